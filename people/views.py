"""The admin's "Import people": upload, preview (every problem with its line and
column, headers to map), then import all at once. The uploaded file waits in the
cache between the preview and the import, for an hour at most."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from accounts.api import is_training_admin

from .forms import MappingForm, UploadForm
from .importing import ImportOptions, apply, preview
from .importing.applying import ImportRefused

KEEP_SECONDS = 3600
SHOWN_PEOPLE = 50


def _key(request, token: str) -> str:
    return f"people-import:{request.user.pk}:{token}"


def import_people(request):
    if not is_training_admin(request.user):
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _next_step(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = secrets.token_urlsafe(16)
        stored = {
            "data": upload.read(),
            "filename": upload.name,
            "options": ImportOptions(
                create_organizations=form.cleaned_data["create_organizations"],
                send_invitations=form.cleaned_data["send_invitations"],
            ),
        }
        cache.set(_key(request, token), stored, KEEP_SECONDS)
        return _preview(request, token, stored)
    return TemplateResponse(request, "people/import.html", {"form": form})


def _next_step(request):
    token = request.POST["token"]
    stored = cache.get(_key(request, token))
    if stored is None:
        messages.error(request, _("That preview has expired: upload the file again."))
        return redirect("people_import")
    if request.POST.get("action") == "remap":
        plan = preview(stored["data"], stored["filename"], stored["options"])
        form = MappingForm(request.POST, headers=plan.unknown_headers)
        if form.is_valid():
            stored["options"].mapping.update(form.mapping())
            cache.set(_key(request, token), stored, KEEP_SECONDS)
        return _preview(request, token, stored)
    try:
        plan = apply(
            stored["data"], stored["filename"], stored["options"], actor=request.user
        )
    except ImportRefused as refused:
        messages.error(request, _("Nothing was imported: the file has problems."))
        return _preview(request, token, stored, plan=refused.plan)
    cache.delete(_key(request, token))
    messages.success(
        request,
        _(
            "Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
        )
        % {
            "created": plan.created,
            "updated": plan.updated,
            "unchanged": plan.unchanged,
        },
    )
    return redirect("people_import")


def _preview(request, token, stored, plan=None):
    plan = plan or preview(stored["data"], stored["filename"], stored["options"])
    mapped = stored["options"].mapping
    return TemplateResponse(
        request,
        "people/preview.html",
        {
            "plan": plan,
            "token": token,
            "people": plan.people[:SHOWN_PEOPLE],
            "more": max(0, len(plan.people) - SHOWN_PEOPLE),
            "mapping_form": MappingForm(
                headers=plan.unknown_headers,
                initial={
                    f"header_{i}": mapped.get(h, "")
                    for i, h in enumerate(plan.unknown_headers)
                },
            )
            if plan.unknown_headers
            else None,
        },
    )
