from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.api import PersonChooserFields, is_training_admin

from . import services
from .models import CoursePage, ModulePage, PrerequisiteExemption
from .outline import lesson_notes, register_outline_notes


class SaveThroughService:
    """Create and edit exemptions through the service, which records who granted."""

    def save_instance(self):
        data = self.form.cleaned_data
        return services.grant_exemption(
            user=data["user"],
            course=data["course"],
            granted_by=self.request.user,
            reason=data["reason"],
        )


class ExemptionCreateView(SaveThroughService, generic.CreateView):
    pass


class ExemptionEditView(SaveThroughService, generic.EditView):
    pass


class PrerequisiteExemptionViewSet(PersonChooserFields, ModelViewSet):
    model = PrerequisiteExemption
    form_fields = ["user", "course", "reason"]
    icon = "lock-open"
    menu_label = _("Exemptions")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["user", "course", "reason", "granted_by", "granted_at"]
    list_filter = ["course"]
    search_fields = ["user__email", "user__last_name", "reason"]
    copy_view_enabled = False
    add_view_class = ExemptionCreateView
    edit_view_class = ExemptionEditView


@hooks.register("register_admin_viewset")
def register_exemptions():
    return PrerequisiteExemptionViewSet("prerequisite_exemptions")


@hooks.register("register_admin_urls")
def register_outline_urls():
    from .outline_views import admin_urls

    return admin_urls()


register_outline_notes(ModulePage, lesson_notes)


def _outline_button(page, user):
    from wagtail.admin.widgets import Button

    model = page.specific_class
    if (
        model is not None
        and issubclass(model, CoursePage)
        and page.permissions_for_user(user).can_edit()
    ):
        return Button(
            _("Outline"),
            reverse("course_outline", args=[page.pk]),
            icon_name="list-ul",
            priority=5,
        )
    return None


@hooks.register("register_page_header_buttons")
def course_outline_header_button(page, user, view_name=None, next_url=None):
    button = _outline_button(page, user)
    return [button] if button else []


@hooks.register("register_page_listing_buttons")
def course_outline_listing_button(page, user, next_url=None):
    button = _outline_button(page, user)
    return [button] if button else []


class CourseListMenuItem(MenuItem):
    def is_shown(self, request):
        return is_training_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_course_list_menu_item():
    return CourseListMenuItem(
        _("Courses"),
        reverse("course_list"),
        name="courses",
        icon_name="list-ul",
        order=200,
    )
