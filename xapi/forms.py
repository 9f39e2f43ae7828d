from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from webhooks.api import validate_receiver_url

from .models import RecordStore


class RecordStoreForm(WagtailAdminModelForm):
    """The secret is write-only: it is never shown again, and leaving it empty
    when editing keeps the stored one."""

    password = forms.CharField(
        label=_("Secret (password)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the stored secret."),
    )

    class Meta:
        model = RecordStore
        fields = ["name", "endpoint", "username", "password", "organization", "active"]

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"]
        validate_receiver_url(endpoint)
        return endpoint

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            return password
        if self.instance.pk:
            return self.instance.password
        raise forms.ValidationError(_("Enter the LRS's secret for this key."))
