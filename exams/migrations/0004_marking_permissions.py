from django.db import migrations

from lms.accounts.roles import EXAMINERS, LEAD_EXAMINERS, TRAINING_ADMINS, grant


def grant_permissions(apps, schema_editor):
    grant(apps, EXAMINERS, ["exams.grade_marking", "exams.view_marking"])
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
    grant(
        apps,
        TRAINING_ADMINS,
        ["exams.grade_marking", "exams.decide_marking", "exams.view_marking"],
    )


class Migration(migrations.Migration):
    dependencies = [("exams", "0003_practical_grading"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
