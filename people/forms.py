from django import forms
from django.utils.translation import gettext_lazy as _

from .importing.columns import COLUMNS

MAX_UPLOAD = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "One person a row. Columns: e-mail (required), first and last name, "
            "organisation, manager's e-mail, mentor's e-mail, roles, cohort, start "
            "date, assignments, time zone, language. Up to 20 MB."
        ),
    )
    create_organizations = forms.BooleanField(
        label=_("Create missing organisations"), required=False
    )
    send_invitations = forms.BooleanField(
        label=_("E-mail new people a link to choose their password"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class MappingForm(forms.Form):
    """A column for each header the import did not recognise."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Leave out"))] + [
            (key, label) for key, (label, _spellings) in COLUMNS.items()
        ]
        for index, header in enumerate(headers):
            self.fields[f"header_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False
            )
        self.headers = headers

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data.get(f"header_{index}", "")
            for index, header in enumerate(self.headers)
        }
