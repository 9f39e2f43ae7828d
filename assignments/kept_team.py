"""Whether each person manages anyone active: the door to the team's assigned
training (the dashboard links to it on every visit), kept per person
(:class:`accounts.api.KeptPerPerson`) instead of a query per visit.

A copy is kept under the person's own number, which a save or delete of one
of their reports advances (a person given a manager, moved to another,
deactivated or deleted: the manager they had when read and the one they have
now), and under everyone's, which a bulk write of managers (the people import)
advances through :func:`teams_changed`. However it was changed, a copy is read
again after :data:`TIMEOUT` seconds. Who is in the team is always read anew
(:func:`~assignments.permissions.team_of`): a copy never shows anyone.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_init, post_save

from accounts.api import ON_DASHBOARD, KeptPerPerson, Prepared, User

TIMEOUT = 60
TEAMS = KeptPerPerson(
    "assignments:manages",
    everyone="assignments:managers",
    timeout=TIMEOUT,
    read_ahead_on=(ON_DASHBOARD,),
)
# A save that writes only other fields (a sign-in's last_login) changes no team.
_TEAM_FIELDS = {"manager", "manager_id", "is_active"}


def manages_anyone(person_id: int) -> bool:
    """Whether anyone active has ``person_id`` as their manager (kept)."""
    return TEAMS.kept(person_id, lambda: bool(_ANYONE_MANAGED.rows(person_id)))


_ANYONE_MANAGED = Prepared(
    lambda person_id: (
        User.objects.filter(manager_id=person_id, is_active=True)
        .order_by()
        .values_list("pk")[:1]
    )
)


def teams_changed(person_ids=None) -> None:
    """The reports of ``person_ids`` (of anyone when None) changed; a bulk
    write of managers, which sends no signal, calls it."""
    TEAMS.changed(person_ids)


def _read_manager(sender, instance, **kwargs) -> None:
    # A deferred manager is not read here (that would be a query per row).
    if "manager_id" in instance.__dict__:
        instance._manager_when_read = instance.manager_id


def _report_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not _TEAM_FIELDS & set(update_fields):
        return
    managers = {instance.__dict__.get("manager_id")}
    managers.add(getattr(instance, "_manager_when_read", None))
    if managers - {None}:
        teams_changed(managers - {None})
    instance._manager_when_read = instance.__dict__.get("manager_id")


def connect() -> None:
    post_init.connect(_read_manager, sender=User, dispatch_uid="assignments.team.read")
    for signal in (post_save, post_delete):
        signal.connect(
            _report_changed,
            sender=User,
            dispatch_uid=f"assignments.team.{signal is post_save}",
        )
