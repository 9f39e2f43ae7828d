"""Forms for instructor-led classes (validation only; writes go to services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OnSiteTrainingRequest


class OnSiteTrainingRequestForm(forms.ModelForm):
    class Meta:
        model = OnSiteTrainingRequest
        fields = ["preferred_dates", "attendees", "topics"]
        widgets = {"topics": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "topics": _("Which courses or subjects should the class cover?"),
        }


ATTENDANCE_CHOICES = [
    ("attended", _("Attended")),
    ("no_show", _("Did not attend")),
]


class AttendanceForm(forms.Form):
    """One attended/did-not-attend choice per booked learner."""

    def __init__(self, *args, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = roster
        for booking in roster:
            initial = booking.status if booking.status != "booked" else None
            self.fields[f"booking-{booking.pk}"] = forms.ChoiceField(
                label=str(booking.user),
                choices=ATTENDANCE_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=initial,
            )

    def marks(self) -> dict[int, str]:
        return {
            booking.pk: self.cleaned_data[f"booking-{booking.pk}"]
            for booking in self.roster
            if self.cleaned_data.get(f"booking-{booking.pk}")
        }

    def rows(self):
        for booking in self.roster:
            yield booking, self[f"booking-{booking.pk}"]
