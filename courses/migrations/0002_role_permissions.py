"""What each role may do with courses."""

from django.db import migrations

from accounts.roles import TRAINING_ADMINS, grant


def grant_permissions(apps, schema_editor):
    grant(
        apps,
        TRAINING_ADMINS,
        [
            "courses.add_prerequisiteexemption",
            "courses.change_prerequisiteexemption",
            "courses.delete_prerequisiteexemption",
            "courses.view_prerequisiteexemption",
            "courses.view_enrollment",
            "courses.view_moduleprogress",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
