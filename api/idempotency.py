"""``Idempotency-Key`` on POST: the first answer to a key is kept for a day and
given again for the same request; the same key with another body is refused,
and a second request while the first runs gets 409."""

from __future__ import annotations

import functools
import hashlib
import json

from django.core.cache import cache
from rest_framework.response import Response

from .problems import problem

KEEP_SECONDS = 24 * 3600
RUNNING = "running"


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(
        f"{request.method} {request.path}\n{body}".encode()
    ).hexdigest()


def idempotent(handler):
    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return handler(view, request, *args, **kwargs)
        if len(key) > 200:
            return problem(400, "An Idempotency-Key has at most 200 characters.")
        cache_key = (
            "idem:" + hashlib.sha256(f"{request.auth.key}\n{key}".encode()).hexdigest()
        )
        fingerprint = _fingerprint(request)
        if not cache.add(
            cache_key, {"state": RUNNING, "fp": fingerprint}, KEEP_SECONDS
        ):
            kept = cache.get(cache_key) or {}
            if kept.get("fp") != fingerprint:
                return problem(
                    422, "This Idempotency-Key was used for a different request."
                )
            if kept.get("state") == RUNNING:
                return problem(409, "A request with this Idempotency-Key is running.")
            replay = Response(kept["data"], status=kept["status"])
            replay["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = handler(view, request, *args, **kwargs)
        except Exception:
            cache.delete(cache_key)  # a failed attempt may be tried again
            raise
        if response.status_code >= 500:
            cache.delete(cache_key)
        else:
            cache.set(
                cache_key,
                {
                    "state": "done",
                    "fp": fingerprint,
                    "status": response.status_code,
                    "data": response.data,
                },
                KEEP_SECONDS,
            )
        return response

    return wrapper
