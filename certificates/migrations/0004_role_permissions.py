"""What each role may see of certificates."""

from django.db import migrations

from accounts.roles import EXAMINERS, MENTORS, TRAINING_ADMINS, grant


def grant_permissions(apps, schema_editor):
    grant(
        apps,
        TRAINING_ADMINS,
        [
            "certificates.view_certificate",
            "certificates.view_experienceattestation",
            "certificates.view_externalcertification",
        ],
    )
    grant(
        apps,
        EXAMINERS,
        [
            "certificates.view_certificate",
            "certificates.view_experienceattestation",
            "certificates.view_externalcertification",
        ],
    )
    grant(
        apps,
        MENTORS,
        [
            "certificates.view_experienceattestation",
            "certificates.view_externalcertification",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0003_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
