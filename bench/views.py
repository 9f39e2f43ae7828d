"""Baselines: what a request costs before the application does anything.

B0 answers through the full middleware stack and touches nothing else; B1 does the
same plus one indexed read. Both accept GET and POST (a POST passes the CSRF check
like every real write), so a scenario can swap any request for its baseline.
"""

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods


@never_cache
@require_http_methods(["GET", "POST"])
def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_http_methods(["GET", "POST"])
def one_read(request):
    try:
        pk = int(request.GET.get("id", "1"))
    except ValueError:
        pk = 1
    email = (
        get_user_model().objects.filter(pk=pk).values_list("email", flat=True).first()
    )
    return HttpResponse(email or "-", content_type="text/plain")
