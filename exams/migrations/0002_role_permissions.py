"""What each role may do with exams: examiners grade; only training admins grant accommodations."""

from django.db import migrations

from accounts.roles import EXAMINERS, LEAD_EXAMINERS, TRAINING_ADMINS, grant


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
            "exams.grade_marking",
            "exams.decide_marking",
            "exams.view_marking",
            "exams.add_accommodation",
            "exams.change_accommodation",
            "exams.view_accommodation",
        ],
    )
    grant(
        apps,
        EXAMINERS,
        [
            "exams.view_attempt",
            "exams.view_questionbank",
            "exams.grade_marking",
            "exams.view_marking",
        ],
    )
    grant(
        apps,
        LEAD_EXAMINERS,
        [
            "wagtailadmin.access_admin",
            "exams.grade_marking",
            "exams.decide_marking",
            "exams.view_marking",
            "exams.view_attempt",
            "exams.view_questionbank",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("exams", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
