"""Wagtail admin screens for cohorts. Every change to a hire's membership goes
through the onboarding services, which check the rules and write the audit log."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from accounts.api import person_chooser_widget

from . import services
from .models import Cohort, CohortMember


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    form_fields = ["name", "program", "start_date", "time_zone"]
    list_display = ["name", "start_date", "time_zone"]
    copy_view_enabled = False


class CohortMemberForm(WagtailAdminModelForm):
    class Meta:
        model = CohortMember
        fields = ["cohort", "hire", "mentor", "start_date"]
        widgets = {"hire": person_chooser_widget(), "mentor": person_chooser_widget()}

    def clean(self):
        data = super().clean()
        problem = services.member_problem(
            hire=data.get("hire"), mentor=data.get("mentor")
        )
        if problem:
            raise ValidationError(problem)
        return data


class AddHireView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.add_hire(
            cohort=data["cohort"],
            hire=data["hire"],
            mentor=data["mentor"],
            start_date=data["start_date"],
            added_by=self.request.user,
        )


class ChangeMemberView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.change_member(
            member=self.object,
            cohort=data["cohort"],
            hire=data["hire"],
            mentor=data["mentor"],
            start_date=data["start_date"],
            changed_by=self.request.user,
        )


class RemoveHireView(generic.DeleteView):
    def delete_action(self):
        services.remove_hire(member=self.object, removed_by=self.request.user)


class CohortMemberViewSet(ModelViewSet):
    model = CohortMember
    icon = "user"
    menu_label = _("Hires and mentors")
    list_display = ["hire", "cohort", "mentor", "start_date", "completed_at"]
    list_filter = ["cohort"]
    copy_view_enabled = False
    add_view_class = AddHireView
    edit_view_class = ChangeMemberView
    delete_view_class = RemoveHireView

    def get_form_class(self, for_update=False):
        return CohortMemberForm


class OnboardingGroup(ModelViewSetGroup):
    menu_label = _("Onboarding")
    menu_icon = "group"
    menu_order = 305
    items = (CohortViewSet("cohorts"), CohortMemberViewSet("cohort_members"))


@hooks.register("register_admin_viewset")
def register_onboarding_viewsets():
    return OnboardingGroup()
