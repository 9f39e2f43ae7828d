"""Wagtail admin for classes, bookings and on-site training requests."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.api import PersonChooserFields

from . import services
from .models import (
    Booking,
    BookingStatus,
    ClassSession,
    OnSiteRequestStatus,
    OnSiteTrainingRequest,
)


class SessionEditView(generic.EditView):
    """Saving may add seats: waitlisted learners then move up at once."""

    def save_instance(self):
        instance = super().save_instance()
        services.fill_free_seats(session=instance)
        return instance


class ClassSessionViewSet(PersonChooserFields, ModelViewSet):
    model = ClassSession
    icon = "date"
    menu_label = _("Classes")
    form_fields = [
        "title",
        "course",
        "topic",
        "description",
        "kind",
        "instructor",
        "starts_at",
        "ends_at",
        "time_zone",
        "capacity",
        "meeting_url",
        "location",
        "recording_url",
        "recording_days",
        "cancellation_cutoff_hours",
        "published",
    ]
    list_display = ["title", "starts_at", "kind", "instructor", "capacity", "published"]
    list_filter = ["kind", "published"]
    search_fields = ["title", "topic", "location"]
    ordering = ["-starts_at"]
    edit_view_class = SessionEditView
    copy_view_enabled = True


class BookingChangeForm(WagtailAdminModelForm):
    """No field of the booking is edited directly: the admin picks a change and
    gives a reason, and the service applies it."""

    change = forms.ChoiceField(
        label=_("Change"),
        choices=[
            (
                "cancel",
                _("Cancel the booking (the first learner waiting gets the seat)"),
            ),
            (BookingStatus.ATTENDED, _("Record: attended")),
            (BookingStatus.NO_SHOW, _("Record: did not attend")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Kept in the audit log."),
    )

    class Meta:
        model = Booking
        fields: list[str] = []


class BookingChangeView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.change_booking(
            booking=self.object,
            change=data["change"],
            acting_user=self.request.user,
            reason=data["reason"].strip(),
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (services.BookingError, PermissionDenied) as exc:
            form.add_error(None, str(exc) or _("You cannot change this booking."))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class BookingViewSet(ModelViewSet):
    model = Booking
    icon = "user"
    menu_label = _("Bookings")
    edit_view_class = BookingChangeView
    list_display = ["user", "session", "status", "position", "created_at"]
    list_filter = ["status"]
    search_fields = [
        "user__email",
        "user__first_name",
        "user__last_name",
        "session__title",
    ]
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return BookingChangeForm


class AnswerRequestForm(WagtailAdminModelForm):
    class Meta:
        model = OnSiteTrainingRequest
        fields = ["status", "answer"]

    def clean_answer(self) -> str:
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise forms.ValidationError(_("Write an answer for the requester."))
        return answer


class AnswerRequestView(generic.EditView):
    """Answering goes through the service: it records who answered and e-mails."""

    def save_instance(self):
        data = self.form.cleaned_data
        return services.answer_onsite_request(
            request=self.object,
            answered_by=self.request.user,
            answer=data["answer"],
            decline=data["status"] == OnSiteRequestStatus.DECLINED,
        )


class OnSiteTrainingRequestViewSet(ModelViewSet):
    model = OnSiteTrainingRequest
    icon = "group"
    menu_label = _("On-site requests")
    form_fields = ["status", "answer"]
    list_display = ["organization", "attendees", "preferred_dates", "status"]
    list_filter = ["status"]
    search_fields = ["organization__name", "topics"]
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_view_class = AnswerRequestView

    def get_form_class(self, for_update=False):
        return AnswerRequestForm


class TrainingViewSetGroup(ViewSetGroup):
    items = (
        ClassSessionViewSet("class_sessions"),
        BookingViewSet("class_bookings"),
        OnSiteTrainingRequestViewSet("onsite_training_requests"),
    )
    menu_icon = "date"
    menu_label = _("Classes")
    menu_order = 320


@hooks.register("register_admin_viewset")
def register_training():
    return TrainingViewSetGroup()
