"""Public verification, the holder's PDF, and the learner's certification forms."""

from __future__ import annotations

import re

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.api import is_internal_staff, site_url

from . import selectors, services
from .credentials import pdf_signature
from .forms import (
    CheckPdfForm,
    ExperienceForm,
    ExternalCertificationForm,
    LookupForm,
)
from .models import Certificate, CertificateStatus, CertificationLevelPage

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{10,40}$")
# Public, unauthenticated checks. Per client address (allauth's client IP, which
# honours ALLAUTH_TRUSTED_PROXY_COUNT behind a proxy) and, for the lookup form, per
# serial too, so spreading guesses over many addresses does not help. Windows end:
# a client that keeps asking is let in again once its oldest request is a minute old.
VERIFY_RATE_LIMITS = {
    "verify": "60/m/ip",
    "lookup": "20/m/ip,5/m/key",
}


def _rate_limited(request, action: str, key: str | None = None) -> bool:
    return not ratelimit.consume(
        request,
        app="certificates",
        action=action,
        config=VERIFY_RATE_LIMITS,
        key=key,
        limit_get=True,
    )


def verification_document(code: str) -> dict | None:
    """What a machine learns of a verification code (the page's JSON), or None
    for a malformed or unknown one."""
    result = selectors.verification(code=code) if CODE_PATTERN.match(code) else None
    return verification_json(result) if result else None


def verify_rate_limited(request) -> bool:
    """Whether this client is over the verification limit (page and API alike)."""
    return _rate_limited(request, "verify")


def rate_limited_response(request):
    """The answer to a client over the verification limit, or None."""
    if _rate_limited(request, "verify"):
        return TemplateResponse(request, "certificates/verify_limited.html", status=429)
    return None


def _not_found(request, status=404):
    return TemplateResponse(
        request,
        "certificates/verify_not_found.html",
        {"form": LookupForm()},
        status=status,
    )


@require_http_methods(["GET"])
def verify(request, code: str):
    if limited := rate_limited_response(request):
        return limited
    # Malformed and unknown codes get the same answer: nothing to learn from it.
    result = selectors.verification(code=code) if CODE_PATTERN.match(code) else None
    if result is None:
        if wants_json(request):
            return JsonResponse({"found": False}, status=404)
        return _not_found(request)
    if wants_json(request):
        return JsonResponse(verification_json(result))
    return TemplateResponse(
        request,
        "certificates/verify.html",
        {**result, "issuer_name": settings.CREDENTIAL_ISSUER_NAME},
    )


def wants_json(request) -> bool:
    """A machine asking for JSON (``Accept: application/json``) before HTML."""
    return (
        request.get_preferred_type(["text/html", "application/json"])
        == "application/json"
    )


def verification_json(result: dict) -> dict:
    """The verification page for machines: the same claims and checks."""
    certificate = result["certificate"]
    status = str(result["status"])
    return {
        "found": True,
        "status": status,
        "valid": status == CertificateStatus.VALID,
        "certificate": {
            "serial": certificate.serial,
            "holder": certificate.holder_name or None,
            "holder_erased_on": certificate.holder_erased_on.isoformat()
            if certificate.holder_erased_on
            else None,
            "kind": certificate.kind,
            "title": certificate.title,
            "score": str(certificate.score) if certificate.score is not None else None,
            "issued_on": certificate.issued_on.isoformat(),
            "expires_on": certificate.expires_on.isoformat()
            if certificate.expires_on
            else None,
            "revoked_on": certificate.revoked_at.date().isoformat()
            if certificate.revoked_at
            else None,
            "superseded_by": result["superseded_by"].serial
            if result["superseded_by"]
            else None,
        },
        "checks": {
            "issuer": settings.CREDENTIAL_ISSUER_NAME,
            "revoked": status
            in (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED),
            "expired": status == CertificateStatus.EXPIRED,
        },
        "credential": {
            "json": site_url(result["credential_json_url"]),
            "jwt": site_url(result["credential_jwt_url"]),
        },
    }


@require_http_methods(["GET", "POST"])
def check_pdf(request):
    """Anyone checks a certificate PDF against the issuer's signature: genuine
    and unaltered, or not. The file is read in memory and never kept."""
    form = (
        CheckPdfForm(request.POST, request.FILES)
        if request.method == "POST"
        else CheckPdfForm()
    )
    context = {"form": form, "checked": False, "certificate": None}
    if request.method == "POST":
        if limited := rate_limited_response(request):
            return limited
        if form.is_valid():
            result = pdf_signature.check(form.cleaned_data["pdf"])
            context.update(
                form=CheckPdfForm(),
                checked=True,
                certificate=Certificate.objects.filter(serial=result.serial).first()
                if result.genuine
                else None,
            )
    return TemplateResponse(request, "certificates/check_pdf.html", context)


@require_http_methods(["GET", "POST"])
def lookup(request):
    form = LookupForm(request.POST or None)
    if request.method == "POST":
        serial = str(request.POST.get("serial", "")).strip().upper()[:40]
        if _rate_limited(request, "lookup", key=f"serial:{serial}"):
            return TemplateResponse(
                request, "certificates/verify_limited.html", status=429
            )
        if form.is_valid():
            certificate = selectors.certificate_by_serial_and_surname(
                serial=form.cleaned_data["serial"], surname=form.cleaned_data["surname"]
            )
            if certificate:
                return redirect(
                    "certificates:verify", code=certificate.verification_code
                )
            return _not_found(request)
    return TemplateResponse(request, "certificates/lookup.html", {"form": form})


@login_required
def download_pdf(request, serial: str):
    """The holder's own PDF; anyone else gets 404."""
    certificate = get_object_or_404(Certificate, serial=serial, holder=request.user)
    if not certificate.pdf:
        certificate = services.generate_certificate_pdf(certificate_id=certificate.pk)
        certificate.refresh_from_db()
    if getattr(certificate.pdf.storage, "querystring_auth", False):
        # Object storage: a signed URL for this holder that expires in a minute.
        return redirect(certificate.pdf.url)
    try:
        handle = certificate.pdf.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def attest_experience(request, level_id: int):
    level = get_object_or_404(CertificationLevelPage.objects.live(), pk=level_id)
    form = ExperienceForm(request.POST)
    if form.is_valid():
        try:
            services.attest_experience(
                user=request.user, level=level, **form.cleaned_data
            )
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, "Thank you: an examiner will review your experience."
            )
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(level.url)


@login_required
@require_http_methods(["GET", "POST"])
def external_new(request):
    if not is_internal_staff(request.user):
        raise Http404
    form = ExternalCertificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        proof = data.pop("proof")
        try:
            services.record_external_certification(
                holder=request.user, proof=proof, **data
            )
        except ValueError as exc:
            form.add_error("proof" if "proof" in str(exc).lower() else None, str(exc))
        else:
            messages.success(request, _("Recorded: a mentor or admin will approve it."))
            return redirect("dashboard")
    return TemplateResponse(request, "certificates/external_form.html", {"form": form})
