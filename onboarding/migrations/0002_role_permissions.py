"""What each role may do with onboarding."""

from django.db import migrations

from accounts.roles import MENTORS, TRAINING_ADMINS, grant


def grant_permissions(apps, schema_editor):
    grant(
        apps,
        TRAINING_ADMINS,
        [
            "onboarding.add_cohort",
            "onboarding.change_cohort",
            "onboarding.view_cohort",
            "onboarding.add_cohortmember",
            "onboarding.change_cohortmember",
            "onboarding.delete_cohortmember",
            "onboarding.view_cohortmember",
            "onboarding.view_activityprogress",
        ],
    )
    grant(
        apps,
        MENTORS,
        [
            "onboarding.view_cohortmember",
            "onboarding.view_activityprogress",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
