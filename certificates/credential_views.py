"""Credentials for machines: a certificate's Open Badges 3.0 credential (JSON or
signed ``vc+jwt``), the issuer's profile and public keys, and the revocation
status list. Public, like the verification page: the verification code in the URL
is what grants access."""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import selectors
from .credentials import openbadges
from .models import Certificate
from .services import credentials
from .views import CODE_PATTERN, rate_limited_response

JSON_INDENT = {"indent": 2, "ensure_ascii": False}


def _certificate(code: str) -> Certificate:
    if not CODE_PATTERN.match(code):
        raise Http404
    certificate = selectors.certificate_by_code(code)
    if certificate is None or certificate.holder_erased_on is not None:
        # An erased holder's credential carried their name: it is not served.
        raise Http404
    return certificate


@require_GET
def credential_json(request, code: str):
    """The ``OpenBadgeCredential`` as JSON, to keep or to import into a wallet."""
    if limited := rate_limited_response(request):
        return limited
    certificate = _certificate(code)
    response = JsonResponse(
        credentials.credential(certificate), json_dumps_params=JSON_INDENT
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{certificate.serial}.credential.json"'
    )
    return response


@require_GET
def credential_jwt(request, code: str):
    """The same credential, signed by the issuer (``vc+jwt``)."""
    if limited := rate_limited_response(request):
        return limited
    certificate = _certificate(code)
    response = HttpResponse(
        credentials.signed_credential(certificate), content_type=openbadges.MEDIA_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{certificate.serial}.credential.jwt"'
    )
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def issuer(request):
    return JsonResponse(openbadges.issuer_profile(), json_dumps_params=JSON_INDENT)


@require_GET
@cache_control(public=True, max_age=300)
def jwks(request):
    """Every key a credential may be signed with; old keys stay after a rotation."""
    return JsonResponse(credentials.jwks(), json_dumps_params=JSON_INDENT)


@require_GET
@cache_control(public=True, max_age=credentials.STATUS_LIST_MAX_AGE)
def status_list(request, purpose: str):
    """The signed revocation list: rebuilt at once on a revocation, else reused
    for at most a minute."""
    if purpose != openbadges.STATUS_LIST_PATH:
        raise Http404
    return HttpResponse(
        credentials.signed_status_list(), content_type=openbadges.MEDIA_TYPE
    )
