"""The API's own pages: OAuth2 clients (training admins for any organisation or
all, organisation admins for theirs) and personal access tokens (anyone, for
themselves). Secrets are shown once; only digests are kept."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from drf_spectacular.views import SpectacularSwaggerSplitView
from oauth2_provider.models import AccessToken, Application

from accounts.api import Organization, is_training_admin, record_audit_event

from .models import ApiClient, PersonalAccessToken
from .scopes import SCOPES

SCOPE_CHOICES = [(name, f"{name} — {text}") for name, text in SCOPES.items()]
TOKEN_DAYS = [
    (30, gettext_lazy("30 days")),
    (90, gettext_lazy("90 days")),
    (365, gettext_lazy("1 year")),
]


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the app's own files. Its scripts load from the site under
    the usual policy; only its inline styles need allowing, on this page alone."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response


def _client_organizations(user):
    """Organisations ``user`` may make clients for: any (or none) for training
    admins, their own for organisation admins; None when they may not."""
    if is_training_admin(user):
        return Organization.objects.order_by("name")
    if user.is_organization_admin and user.organization_id:
        return Organization.objects.filter(pk=user.organization_id)
    return None


def _may_manage(user, client) -> bool:
    return is_training_admin(user) or (
        client.organization_id is not None
        and client.organization_id == user.organization_id
        and user.is_organization_admin
    )


class ClientForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name (e.g. “Support desk”)"), max_length=100
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organisation it sees"),
        queryset=Organization.objects.none(),
        required=False,
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes it may ask for"),
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organizations, everyone: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = organizations
        if everyone:
            field.empty_label = _("Every organisation")
        else:
            field.required = True
            field.empty_label = None


@login_required
def clients(request):
    organizations = _client_organizations(request.user)
    if organizations is None:
        raise PermissionDenied
    everyone = is_training_admin(request.user)
    form = ClientForm(
        request.POST or None, organizations=organizations, everyone=everyone
    )
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        secret = secrets.token_urlsafe(32)
        with transaction.atomic():
            application = Application.objects.create(
                name=data["name"],
                user=request.user,
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
                client_secret=secret,
                hash_client_secret=True,
            )
            client = ApiClient.objects.create(
                application=application,
                organization=data["organization"],
                scopes=" ".join(sorted(data["scopes"])),
            )
            record_audit_event(
                actor=request.user,
                action="api.client.create",
                target=client,
                before=None,
                after={
                    "scopes": client.scopes,
                    "organization_id": client.organization_id,
                },
            )
        created = {"client_id": application.client_id, "client_secret": secret}
        form = ClientForm(organizations=organizations, everyone=everyone)
    listed = ApiClient.objects.select_related(
        "application", "organization", "application__user"
    )
    if not everyone:
        listed = listed.filter(organization_id=request.user.organization_id)
    return TemplateResponse(
        request,
        "api/clients.html",
        {
            "form": form,
            "clients": listed.order_by("revoked_at", "-created_at"),
            "created": created,
        },
    )


@require_POST
@login_required
def revoke_client(request, client_id: int):
    organizations = _client_organizations(request.user)
    if organizations is None:
        raise PermissionDenied
    with transaction.atomic():
        client = (
            ApiClient.objects.select_for_update()
            .filter(pk=client_id, revoked_at__isnull=True)
            .first()
        )
        if client is not None and not _may_manage(request.user, client):
            client = None
        if client is None:
            raise Http404(_("No such client, or it is revoked already."))
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        AccessToken.objects.filter(application_id=client.application_id).delete()
        record_audit_event(
            actor=request.user,
            action="api.client.revoke",
            target=client,
            before=None,
            after={"revoked_at": client.revoked_at.isoformat()},
        )
    messages.success(request, _("The client is revoked: its tokens no longer work."))
    return redirect("api_clients")


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name (what it is for)"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Expires after"), choices=TOKEN_DAYS, coerce=int, initial=90
    )


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = PersonalAccessToken(
            user=request.user,
            name=data["name"],
            scopes=" ".join(sorted(data["scopes"])),
            expires_at=timezone.now() + timedelta(days=data["days"]),
        )
        created = token.issue()
        token.save()
        form = TokenForm()
    return TemplateResponse(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": PersonalAccessToken.objects.filter(user=request.user),
            "created": created,
            "now": timezone.now(),
            "api_docs": reverse("api_docs"),
        },
    )


@require_POST
@login_required
def revoke_token(request, token_id: int):
    updated = PersonalAccessToken.objects.filter(
        pk=token_id, user=request.user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise Http404(_("No such token, or it is revoked already."))
    messages.success(request, _("The token is revoked."))
    return redirect("api_tokens")
