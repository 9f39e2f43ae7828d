from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExternalCertification


class LookupForm(forms.Form):
    serial = forms.CharField(label=_("Serial number"), max_length=40)
    surname = forms.CharField(label=_("Holder's surname"), max_length=150)


class ExperienceForm(forms.Form):
    months = forms.IntegerField(
        label=_("Months of relevant experience"), min_value=1, max_value=600
    )
    description = forms.CharField(
        label=_("What you did"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=20,
        max_length=2000,
        help_text=_(
            "Roles, products and responsibilities; an examiner will review it."
        ),
    )


class ExternalCertificationForm(forms.ModelForm):
    class Meta:
        model = ExternalCertification
        fields = [
            "name",
            "issuer",
            "category",
            "credential_id",
            "issued_on",
            "expires_on",
            "proof",
        ]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"proof": _("PDF, PNG or JPEG, at most 5 MB.")}


# A certificate PDF is a few dozen kilobytes; anything far larger is not one.
MAX_CHECKED_PDF_BYTES = 5 * 1024 * 1024


class CheckPdfForm(forms.Form):
    """A PDF to check against the issuer's signature; read in memory, never kept."""

    pdf = forms.FileField(
        label=_("Certificate PDF"),
        help_text=_("The PDF file of a certificate, up to 5 MB. It is not kept."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_pdf(self) -> bytes:
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_CHECKED_PDF_BYTES:
            raise forms.ValidationError(
                _("That file is larger than 5 MB: a certificate PDF is much smaller.")
            )
        data = upload.read(MAX_CHECKED_PDF_BYTES + 1)
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("That file is not a PDF."))
        return data
