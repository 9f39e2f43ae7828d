"""Wagtail admin screens for cohorts (imported by courses.wagtail_hooks)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Cohort, CohortMember


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    form_fields = ["name", "program", "start_date", "time_zone"]
    list_display = ["name", "start_date", "time_zone"]
    copy_view_enabled = False


class CohortMemberViewSet(ModelViewSet):
    model = CohortMember
    icon = "user"
    menu_label = _("Hires and mentors")
    form_fields = ["cohort", "hire", "mentor", "start_date"]
    list_display = ["hire", "cohort", "mentor", "start_date", "completed_at"]
    list_filter = ["cohort"]
    copy_view_enabled = False


class OnboardingGroup(ModelViewSetGroup):
    menu_label = _("Onboarding")
    menu_icon = "group"
    menu_order = 305
    items = (CohortViewSet("cohorts"), CohortMemberViewSet("cohort_members"))


@hooks.register("register_admin_viewset")
def register_onboarding_viewsets():
    return OnboardingGroup()
