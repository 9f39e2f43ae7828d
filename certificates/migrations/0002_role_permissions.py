from django.db import migrations

from lms.accounts.roles import EXAMINERS, MENTORS, TRAINING_ADMINS, grant


def grant_permissions(apps, schema_editor):
    view = [
        "certificates.view_certificate",
        "certificates.view_experienceattestation",
        "certificates.view_externalcertification",
    ]
    grant(apps, TRAINING_ADMINS, view)
    grant(apps, EXAMINERS, view)
    grant(apps, MENTORS, view[1:])


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
