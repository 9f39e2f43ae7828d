"""Forms of the team view's actions. Choices are limited to what the actor may
use; the services check again, so a tampered form changes nothing."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from accounts.api import BoundedModelChoiceField, Organization
from onboarding.api import Cohort

from .kinds import assignable_pages
from .models import AUDIENCE_FIELD, DEFAULT_REMINDER_DAYS, AudienceKind, DueFrom
from .permissions import allowed_audiences, team_of

DATE = forms.DateInput(attrs={"type": "date"})


class AssignForm(forms.Form):
    item = BoundedModelChoiceField(
        label=_("Course, learning path or certification"),
        queryset=Page.objects.none(),
    )
    audience = forms.ChoiceField(label=_("Assign to"), choices=())
    people = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=None,
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    organization = BoundedModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.none(), required=False
    )
    role = BoundedModelChoiceField(
        label=_("Role"), queryset=Group.objects.order_by("name"), required=False
    )
    cohort = BoundedModelChoiceField(
        label=_("Onboarding cohort"), queryset=Cohort.objects.all(), required=False
    )
    keeps_matching = forms.BooleanField(
        label=_("Also assign to people who join later"),
        required=False,
        initial=True,
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)
    due_days = forms.IntegerField(
        label=_("…or due this many days later"),
        required=False,
        min_value=1,
        max_value=3650,
    )
    due_from = forms.ChoiceField(
        label=_("Counted from"), choices=DueFrom.choices, initial=DueFrom.ASSIGNED
    )
    recur_months = forms.IntegerField(
        label=_("Repeat every (months)"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_(
            "Certifications only (they are renewed): counted from each completion."
        ),
    )
    window_days = forms.IntegerField(
        label=_("A repeat opens this many days before it is due"),
        initial=30,
        min_value=0,
        max_value=365,
    )
    reminder_days = forms.CharField(
        label=_("Remind this many days before the due date"),
        initial=DEFAULT_REMINDER_DAYS,
        max_length=50,
        help_text=_(
            "Whole days, separated by commas. Also on the day and once overdue."
        ),
    )
    escalate_after_days = forms.IntegerField(
        label=_("Tell the manager after this many days overdue"),
        initial=3,
        min_value=0,
        max_value=365,
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["item"].queryset = assignable_pages()
        allowed = allowed_audiences(actor)
        self.fields["audience"].choices = [
            (value, label) for value, label in AudienceKind.choices if value in allowed
        ]
        self.fields["people"].queryset = team_of(actor)
        if AudienceKind.ORGANIZATION in allowed:
            organizations = Organization.objects.order_by("name")
            if AudienceKind.ROLE not in allowed:  # an organisation admin: their own
                organizations = organizations.filter(pk=actor.organization_id)
            self.fields["organization"].queryset = organizations
        for name, kind in (
            ("role", AudienceKind.ROLE),
            ("cohort", AudienceKind.COHORT),
        ):
            if kind not in allowed:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        needed = AUDIENCE_FIELD.get(audience)
        if needed and not data.get(needed):
            self.add_error(
                needed if needed in self.fields else None,
                _("Choose who it is assigned to."),
            )
        if data.get("due_on") and data.get("due_days"):
            self.add_error(
                "due_days", _("Give a due date or a number of days, not both.")
            )
        return data

    def assignment_fields(self) -> dict:
        data = self.cleaned_data
        audience = data["audience"]
        fields = {
            "due_on": data.get("due_on"),
            "due_days": data.get("due_days"),
            "due_from": data["due_from"],
            "recur_months": data.get("recur_months"),
            "window_days": data["window_days"],
            "reminder_days": data["reminder_days"],
            "escalate_after_days": data["escalate_after_days"],
            "keeps_matching": bool(data.get("keeps_matching")),
        }
        named = AUDIENCE_FIELD[audience]
        if named != "people":
            fields[named] = data.get(named)
        return fields


class ExtendForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExemptForm(forms.Form):
    until = forms.DateField(label=_("Exempt until"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
