from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.users.views.bulk_actions.set_active_state import SetActiveStateBulkAction

from accounts.api import TrainingAdminMenuItem, is_training_admin

from . import connection_views, data_views, sso_views, views
from .services import apply_active


@hooks.register("register_admin_urls")
def register_people_urls():
    return [
        path("people/import/", views.import_people, name="people_import"),
        path("people/<id:user_id>/erase/", data_views.erase, name="people_erase"),
        path(
            "people/<id:user_id>/active/",
            data_views.set_active,
            name="people_set_active",
        ),
        path(
            "identity-providers/",
            connection_views.connections,
            name="people_connections",
        ),
        path(
            "identity-providers/<id:connection_id>/revoke/",
            connection_views.revoke,
            name="people_connection_revoke",
        ),
        path("single-sign-on/", sso_views.organizations, name="people_sso"),
        path(
            "single-sign-on/<id:organization_id>/",
            sso_views.organization_saml,
            name="people_sso_organization",
        ),
    ]


@hooks.register("register_settings_menu_item")
def register_sso_menu_item():
    return TrainingAdminMenuItem(
        _("Single sign-on"), reverse("people_sso"), icon_name="key", order=710
    )


@hooks.register("register_settings_menu_item")
def register_connections_menu_item():
    return TrainingAdminMenuItem(
        _("Identity providers"),
        reverse("people_connections"),
        icon_name="key",
        order=700,
    )


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return TrainingAdminMenuItem(
        _("Import people"), reverse("people_import"), icon_name="group", order=345
    )


@hooks.register("register_user_listing_buttons")
def account_buttons(user, request_user):
    """Deactivate or reactivate, and erase, in the admin's list of users."""
    if not is_training_admin(request_user) or user.pk == request_user.pk:
        return
    yield ListingButton(
        _("Deactivate") if user.is_active else _("Reactivate"),
        reverse("people_set_active", args=[user.pk]),
        priority=80,
        icon_name="user",
    )
    if user.is_active:
        yield ListingButton(
            _("Erase personal data"),
            reverse("people_erase", args=[user.pk]),
            priority=90,
            icon_name="warning",
        )


class AuditedSetActiveState(SetActiveStateBulkAction):
    """Wagtail's bulk "Set active state" in the admin's user list, through the
    platform's own service (``apply_active``), as the person's own page and the
    identity providers do: each change is audited, a deactivated person is
    signed out everywhere, and whatever was kept about their sessions is
    dropped. Wagtail's own action updated the rows in one statement, which none
    of that saw."""

    @classmethod
    def execute_action(
        cls, objects, mark_as_active=False, model=None, user=None, **kwargs
    ):
        changed = 0
        for person in objects:
            if user is not None and person.pk == user.pk:
                continue  # nobody deactivates themselves (as Wagtail's)
            changed += apply_active(
                person,
                active=mark_as_active,
                actor=user,
                reason=str(_("Set active state in the admin's list of users.")),
            )
        return changed, 0


# After Wagtail's own (order 0), so this one takes its place.
hooks.register("register_bulk_action", AuditedSetActiveState, order=100)
