from django.db import migrations

from lms.accounts.roles import MENTORS, TRAINING_ADMINS, grant


def grant_permissions(apps, schema_editor):
    grant(
        apps,
        TRAINING_ADMINS,
        [
            "courses.add_cohort",
            "courses.change_cohort",
            "courses.view_cohort",
            "courses.add_cohortmember",
            "courses.change_cohortmember",
            "courses.delete_cohortmember",
            "courses.view_cohortmember",
            "courses.view_activityprogress",
        ],
    )
    grant(apps, MENTORS, ["courses.view_cohortmember", "courses.view_activityprogress"])


class Migration(migrations.Migration):
    dependencies = [("courses", "0005_onboarding"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
