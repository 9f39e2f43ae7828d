"""The platform's roles, as Django groups, and the permissions each one holds.

Later apps' data migrations call :func:`grant` to add their own model permissions to
these groups, so every role's rights are declared next to the models they concern.
"""

LEARNERS = "Learners"
SUPPORT_HIRES = "Support hires"
MENTORS = "Mentors"
EXAMINERS = "Examiners"
TRAINING_ADMINS = "Training admins"
LEAD_EXAMINERS = "Lead examiners"

ALL_ROLES = [
    LEARNERS,
    SUPPORT_HIRES,
    MENTORS,
    EXAMINERS,
    LEAD_EXAMINERS,
    TRAINING_ADMINS,
]


def grant(apps, group_name: str, permissions: list[str]) -> None:
    """Give ``group_name`` each ``app_label.codename`` permission (idempotent).

    Meant for data migrations: ``apps`` is the historical app registry. Missing
    permissions are created, as Django only creates them after all migrations.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _created = Group.objects.get_or_create(name=group_name)
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is None:
            model = codename.split("_", 1)[1]
            content_type, _ct = ContentType.objects.get_or_create(
                app_label=app_label, model=model
            )
            permission, _p = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename.replace("_", " ").capitalize()},
            )
        group.permissions.add(permission)
