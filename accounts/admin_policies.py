"""Permission policies shared by the apps' Wagtail admin screens."""

from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.base import ModelPermissionPolicy


class ViewOnlyPolicy(ModelPermissionPolicy):
    """For records (attempts, certificates, reviews): the admin may look, never add,
    change or delete directly; changes go through screens that call services."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


class TrainingAdminPolicy(ModelPermissionPolicy):
    """Records training admins manage in full (organisations): no delete, since
    people and figures refer to them."""

    def user_has_permission(self, user, action):
        from .permissions import is_training_admin

        return action in ("view", "add", "change") and is_training_admin(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        from .models import User

        return User.objects.filter(is_active=True, is_superuser=True)


class TrainingAdminMenuItem(MenuItem):
    """A menu entry only training admins see (the page behind it checks again)."""

    def is_shown(self, request):
        from .permissions import is_training_admin

        return is_training_admin(request.user)


def kept_forms(formset):
    """An inline formset's forms that will be saved, in the editor's order."""
    forms = [
        form
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    return sorted(forms, key=lambda form: form.cleaned_data.get("ORDER") or 0)
