from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS


class EmailChoicesForm(forms.Form):
    """A tick box per kind of e-mail a person may switch off."""

    def __init__(self, *args, choices: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for key, enabled in choices.items():
            self.fields[key] = forms.BooleanField(
                label=KINDS[key].label, required=False, initial=enabled
            )

    def enabled(self) -> set[str]:
        return {key for key, value in self.cleaned_data.items() if value}


HELP = _(
    "Reminders of training assigned to you, and managers' digests of their people's "
    "overdue training, are always sent."
)
