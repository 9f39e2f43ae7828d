from django.db import migrations

from lms.accounts.roles import EXAMINERS, TRAINING_ADMINS, grant


def grant_permissions(apps, schema_editor):
    grant(
        apps,
        TRAINING_ADMINS,
        [
            "exams.add_questionbank",
            "exams.change_questionbank",
            "exams.delete_questionbank",
            "exams.publish_questionbank",
            "exams.view_questionbank",
            "exams.view_attempt",
        ],
    )
    grant(
        apps,
        EXAMINERS,
        [
            "exams.view_attempt",
            "exams.view_questionbank",
            "exams.add_accommodation",
            "exams.change_accommodation",
            "exams.view_accommodation",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("exams", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
