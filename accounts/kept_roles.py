"""Each person's role (group) names, which every signed-in request asks for, kept
in the shared cache instead of a query per request.

A copy is kept under two generation numbers: the person's own, which any change
to their groups advances (``user.groups.add``/``remove``/``set``/``clear``, and
``group.user_set`` for the people named), and everyone's, which a group saved,
renamed or deleted, or a group emptied at once (``group.user_set.clear()``),
advances. Each advances at once and again when the change commits
(:func:`~accounts.generations.forget`); a transaction that changed someone's
roles keeps nothing it reads of them. A bulk write of memberships sends no
signal: the code that makes one calls :func:`roles_changed` itself. However it
was changed, a copy is read again after :data:`TIMEOUT` seconds: a role taken
away while the cache could not be reached (its number not advanced) is gone a
minute later at most. When the cache is down, the names are read from the
database.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save

from .kept_per_person import KeptPerPerson
from .prepared import Prepared
from .read_ahead import FRAME

TIMEOUT = 60
ROLES = KeptPerPerson(
    "accounts:roles", everyone="accounts:roles", timeout=TIMEOUT, read_ahead_on=(FRAME,)
)


_NAMES = Prepared(
    lambda user_id: Group.objects.filter(user=user_id).values_list("name", flat=True)
)


def _read(user_id: int) -> frozenset[str]:
    return frozenset(name for (name,) in _NAMES.rows(user_id))


def kept_role_names(user_id: int) -> frozenset[str]:
    """The person's role names: two cache reads when kept, one query when not."""
    return ROLES.kept(user_id, lambda: _read(user_id))


def roles_changed(user_ids=None) -> None:
    """The roles of ``user_ids`` (of everyone when None) changed: no copy kept so
    far is read again."""
    ROLES.changed(user_ids)


def _memberships_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:  # user.groups
        roles_changed([instance.pk])
    elif pk_set:  # group.user_set, these people
        roles_changed(pk_set)
    elif action == "post_clear":  # group.user_set.clear(): whoever they were
        roles_changed()


def _group_changed(sender, **kwargs):
    roles_changed()


def connect() -> None:
    from django.contrib.auth import get_user_model

    m2m_changed.connect(
        _memberships_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="accounts.kept-roles.memberships",
    )
    for signal in (post_save, post_delete):
        signal.connect(
            _group_changed,
            sender=Group,
            dispatch_uid=f"accounts.kept-roles.group:{signal is post_save}",
        )
