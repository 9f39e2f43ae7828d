"""Permission policies shared by the apps' Wagtail admin screens."""

from wagtail.permission_policies.base import ModelPermissionPolicy


class ViewOnlyPolicy(ModelPermissionPolicy):
    """For records (attempts, certificates, reviews): the admin may look, never add,
    change or delete directly; changes go through screens that call services."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")
