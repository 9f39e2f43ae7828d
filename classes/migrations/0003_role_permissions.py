"""What each role may do with classes."""

from django.db import migrations

from accounts.roles import TRAINING_ADMINS, grant


def grant_permissions(apps, schema_editor):
    grant(
        apps,
        TRAINING_ADMINS,
        [
            "classes.add_classsession",
            "classes.change_classsession",
            "classes.view_classsession",
            "classes.view_booking",
            "classes.change_booking",
            "classes.view_onsitetrainingrequest",
            "classes.change_onsitetrainingrequest",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("classes", "0002_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
