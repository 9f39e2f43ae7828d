"""Single sign-on screens: "Sign in with your company" on the sign-in page (the
organisation is found from the e-mail address), and, in the admin, each
organisation's SAML identity provider."""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp
from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.api import Organization, record_audit_event

from . import saml
from .access import require_training_admin


class CompanyForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Work e-mail address"), max_length=254)


@require_POST
def company_sign_in(request):
    """Send someone to their organisation's identity provider."""
    form = CompanyForm(request.POST)
    organization = (
        saml.organization_for_email(form.cleaned_data["email"])
        if form.is_valid()
        else None
    )
    if organization is None:
        messages.error(
            request,
            _(
                "No company sign-in is set up for that address: sign in with your "
                "password, or ask your training contact."
            ),
        )
        return redirect("account_login")
    url = reverse("saml_login", kwargs={"organization_slug": organization.slug})
    query = {"process": "login"}
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        query["next"] = next_url
    return redirect(f"{url}?{urlencode(query)}")


class SamlForm(forms.Form):
    enabled = forms.BooleanField(
        label=gettext_lazy("Members can sign in through this identity provider"),
        required=False,
    )
    metadata_url = forms.URLField(
        assume_scheme="https",
        label=gettext_lazy("Identity provider's metadata URL"),
        required=False,
        help_text=gettext_lazy(
            "Okta: Sign On > Metadata URL. Entra ID: Single sign-on > App "
            "Federation Metadata Url. Or leave empty and fill in the next three."
        ),
    )
    entity_id = forms.CharField(
        label=gettext_lazy("Identity provider's entity ID (issuer)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Read from the metadata when left empty."),
    )
    sso_url = forms.URLField(
        assume_scheme="https",
        label=gettext_lazy("Sign-on URL"),
        required=False,
        max_length=500,
    )
    certificate = forms.CharField(
        label=gettext_lazy("Signing certificate (PEM)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    group_roles = forms.CharField(
        label=gettext_lazy("Groups to roles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One per line, e.g. “Academy learners = Learners” or “Academy "
            "admins = Organisation admin”. Groups come in a “groups” attribute."
        ),
    )
    allow_idp_initiated = forms.BooleanField(
        label=gettext_lazy(
            "Also accept sign-ins started from the identity provider's dashboard"
        ),
        required=False,
        help_text=gettext_lazy(
            "Off by default: a sign-in the academy did not ask for cannot be tied "
            "to a browser, so it is easier to replay or to push on someone."
        ),
    )

    def clean_group_roles(self):
        try:
            saml.parse_group_roles(self.cleaned_data["group_roles"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        return self.cleaned_data["group_roles"]

    def clean(self):
        data = super().clean()
        if not data.get("enabled"):
            return data
        if data.get("metadata_url"):
            try:
                idp = saml.read_metadata(data["metadata_url"], data.get("entity_id"))
            except ValueError as error:
                raise forms.ValidationError(str(error)) from None
            data["entity_id"] = idp["entityId"]
            data["sso_url"] = idp["singleSignOnService"].get("url", "")
        elif not (data.get("sso_url") and data.get("certificate")):
            raise forms.ValidationError(
                _("Give the metadata URL, or the sign-on URL and the certificate.")
            )
        elif not data.get("entity_id"):
            self.add_error("entity_id", _("Give the identity provider's entity ID."))
        return data


def organizations(request):
    require_training_admin(request)
    configured = set(
        SocialApp.objects.filter(provider=saml.PROVIDER).values_list(
            "client_id", flat=True
        )
    )
    rows = [
        (organization, organization.slug in configured)
        for organization in Organization.objects.order_by("name")
    ]
    return TemplateResponse(request, "people/sso_organizations.html", {"rows": rows})


def organization_saml(request, organization_id: int):
    require_training_admin(request)
    organization = get_object_or_404(Organization, pk=organization_id)
    app = saml.app_for(organization)
    setup = saml.setup_of(app)
    initial = {**setup.__dict__, "enabled": app is not None}
    form = SamlForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            if data["enabled"]:
                new = saml.SamlSetup(
                    **{k: data[k] for k in saml.SamlSetup.__dataclass_fields__}
                )
                app = app or SocialApp(
                    provider=saml.PROVIDER, client_id=organization.slug
                )
                app.provider_id = f"saml-{organization.slug}"[:200]
                app.name = organization.name
                app.settings = saml.app_settings(new)
                app.save()
            elif app is not None:
                app.delete()
            record_audit_event(
                actor=request.user,
                action="organization.saml.set"
                if data["enabled"]
                else "organization.saml.remove",
                target=organization,
                before={"enabled": initial["enabled"], "entity_id": setup.entity_id},
                after={"enabled": data["enabled"], "entity_id": data["entity_id"]},
            )
        messages.success(
            request,
            _("Single sign-on for %(name)s is saved.") % {"name": organization.name},
        )
        return redirect("people_sso")
    slug = organization.slug
    return TemplateResponse(
        request,
        "people/sso_organization.html",
        {
            "organization": organization,
            "form": form,
            "sp": {
                "entity_id": request.build_absolute_uri(
                    reverse("saml_metadata", args=[slug])
                ),
                "acs_url": request.build_absolute_uri(reverse("saml_acs", args=[slug])),
                "metadata_url": request.build_absolute_uri(
                    reverse("saml_metadata", args=[slug])
                ),
            },
        },
    )
