"""Settings > Identity providers: the SCIM connections, each with its own token.
A new token is shown once, right after it is made; only its digest is kept."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.api import (
    Organization,
    audit_values,
    record_audit_event,
)

from .access import require_training_admin
from .models import ProvisioningConnection


class ConnectionForm(forms.ModelForm):
    class Meta:
        model = ProvisioningConnection
        fields = ["name", "organization"]
        labels = {"name": gettext_lazy("Name (e.g. “Okta – Contoso”)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.order_by("name")
        self.fields["organization"].empty_label = _("None: the company's own staff")


def connections(request):
    require_training_admin(request)
    form = ConnectionForm(request.POST or None)
    token = None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            connection = form.save(commit=False)
            connection.created_by = request.user
            token = connection.issue_token()
            connection.save()
            record_audit_event(
                actor=request.user,
                action="provisioning.connection.create",
                target=connection,
                before=None,
                after=audit_values(connection, ["name", "organization_id"]),
            )
        form = ConnectionForm()
    rows = ProvisioningConnection.objects.select_related("organization", "created_by")
    return TemplateResponse(
        request,
        "people/connections.html",
        {
            "form": form,
            "connections": rows.order_by("revoked_at", "name"),
            "new_token": token,
            "scim_base": request.build_absolute_uri(reverse("scim:root")),
        },
    )


@require_POST
def revoke(request, connection_id: int):
    require_training_admin(request)
    with transaction.atomic():
        connection = (
            ProvisioningConnection.objects.usable()
            .select_for_update()
            .filter(pk=connection_id)
            .first()
        )
        if connection is None:
            raise Http404(_("No such connection, or it is revoked already."))
        connection.revoke()
        record_audit_event(
            actor=request.user,
            action="provisioning.connection.revoke",
            target=connection,
            before=None,
            after={"revoked_at": connection.revoked_at.isoformat()},
        )
    messages.success(
        request,
        _("“%(name)s” is revoked: its token no longer works.")
        % {"name": connection.name},
    )
    return redirect("people_connections")
