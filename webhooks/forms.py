from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .addresses import validate_receiver_url
from .events import EVENTS
from .models import Subscription


class SubscriptionForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(name, f"{name} — {text}") for name, text in EVENTS.items()],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Subscription
        fields = ["url", "description", "events", "organization", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["signing_secret"] = forms.CharField(
                label=_("Signing secret"),
                initial=self.instance.secret,
                disabled=True,
                required=False,
                help_text=_(
                    "The receiver checks each webhook-signature with it (Standard "
                    "Webhooks libraries: Webhook(secret).verify(body, headers))."
                ),
            )

    def clean_url(self):
        url = self.cleaned_data["url"]
        validate_receiver_url(url)
        return url
