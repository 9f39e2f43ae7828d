"""Errors as RFC 9457 problem details (``application/problem+json``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Server error",
}


class Conflict(exceptions.APIException):
    """The platform's rules refuse this (a course's prerequisites, an address
    someone else has)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The platform's rules refuse this change."


def problem_body(status_code: int, detail, errors=None) -> dict:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem(status_code: int, detail, *, errors=None, headers=None) -> Response:
    body = problem_body(status_code, detail, errors)
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM
    return response


def handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.messages)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            status.HTTP_400_BAD_REQUEST,
            "Some fields are not valid.",
            errors=data,
            headers=dict(response.items()),
        )
    detail = data.get("detail") if isinstance(data, dict) else data
    return problem(response.status_code, str(detail), headers=dict(response.items()))
