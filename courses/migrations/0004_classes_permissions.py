from django.db import migrations

from lms.accounts.roles import TRAINING_ADMINS, grant


def grant_permissions(apps, schema_editor):
    grant(
        apps,
        TRAINING_ADMINS,
        [
            "courses.add_classsession",
            "courses.change_classsession",
            "courses.view_classsession",
            "courses.view_booking",
            "courses.change_booking",
            "courses.view_onsitetrainingrequest",
            "courses.change_onsitetrainingrequest",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_classes"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
