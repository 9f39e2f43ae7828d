from django.db import migrations

from lms.accounts.roles import EXAMINERS, TRAINING_ADMINS, grant

ACCOMMODATION_PERMISSIONS = [
    "exams.add_accommodation",
    "exams.change_accommodation",
    "exams.view_accommodation",
]


def move_accommodations_to_training_admins(apps, schema_editor):
    """Examiners grade; only training admins grant extra time or attempts."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    grant(apps, TRAINING_ADMINS, ACCOMMODATION_PERMISSIONS)
    examiners = Group.objects.filter(name=EXAMINERS).first()
    if examiners is not None:
        codenames = [dotted.split(".", 1)[1] for dotted in ACCOMMODATION_PERMISSIONS]
        examiners.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="exams", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0005_sweep_failure_stamp"),
        ("accounts", "0004_audit_event"),
    ]
    operations = [
        migrations.RunPython(
            move_accommodations_to_training_admins, migrations.RunPython.noop
        )
    ]
