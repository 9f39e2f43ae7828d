from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from api.problems import problem_body

from . import health
from .dashboard import dashboard_context
from .page_routes import keep_site
from .tasks import HEARTBEAT_KEY


@require_GET
@never_cache
def healthz(request):
    """Database, cache and broker reachability; 503 when any of them is down."""
    checks = {
        "database": health.check_database(),
        "cache": health.check_cache(),
        "broker": health.check_broker(),
    }
    healthy = all(ok for ok, _detail in checks.values())
    payload = {
        "status": "ok" if healthy else "unavailable",
        **{name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
        "scheduler_last_run": cache.get(HEARTBEAT_KEY) if checks["cache"][0] else None,
    }
    return JsonResponse(payload, status=200 if healthy else 503)


def dashboard(request):
    # The cards link to pages. Before the sign-in check, which would read the
    # session on its own: the site is read ahead with the session and the rest
    # (a visitor without a session is only sent to sign in).
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        keep_site(request)
    return _dashboard(request)


@login_required
def _dashboard(request):
    keep_site(request)  # (once: it was, if read ahead)
    return render(request, "lms/dashboard.html", dashboard_context(user=request.user))


MACHINE_PATHS = ("/api/",)


def _problem(status: int, detail: str) -> JsonResponse:
    """An RFC 9457 problem for machine clients of the API."""
    return JsonResponse(
        problem_body(status, detail),
        status=status,
        content_type="application/problem+json",
    )


def page_not_found(request, exception=None):
    if request.path.startswith(MACHINE_PATHS):
        return _problem(404, "There is nothing at this address.")
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    if request.path.startswith(MACHINE_PATHS):
        return _problem(400, "The request could not be read.")
    from django.views.defaults import bad_request as default_bad_request

    return default_bad_request(request, exception)


def server_error(request):
    if request.path.startswith(MACHINE_PATHS):
        return _problem(500, "The request could not be completed.")
    return render(request, "500.html", status=500)
