"""Rate limits per caller (client or token owner); DRF answers 429 with
``Retry-After``. The public verification call shares the verification page's
limit per client address (``certificates.api.verify_rate_limited``)."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from rest_framework.throttling import SimpleRateThrottle

from .callers import Caller


class CallerRateThrottle(SimpleRateThrottle):
    scope = "caller"

    def get_cache_key(self, request, view):
        caller = request.auth
        if isinstance(caller, Caller):
            ident = caller.key
        else:  # the client address, as every other limit counts it
            try:
                ident = get_adapter(request).get_client_ip(request)
            except PermissionDenied:  # no address to tell callers apart by
                ident = "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ident}
