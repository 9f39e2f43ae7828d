"""The SCIM endpoints: django-scim2's views, behind a bearer token per
identity-provider connection, reading people and roles through the connection's
scope with a fixed number of queries per request."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import View
from django_scim import constants, exceptions
from django_scim.models import SCIMServiceProviderConfig
from django_scim.views import ResourceTypesView, SchemasView
from scim2_filter_parser.transpilers.django_q_object import get_query

from accounts.api import User, secret_digest

from ..models import ProvisioningConnection
from . import scope
from .adapters import PersonAdapter, RoleAdapter, scim_id

logger = logging.getLogger(__name__)

MAX_RESULTS = 200
# ``last used`` is written at most this often, not on every request.
LAST_USED_EVERY = timedelta(minutes=5)

PERSON_FILTERS = {
    ("userName", None, None): "email",
    ("emails", "value", None): "email",
    ("emails", None, None): "email",
    ("externalId", None, None): "external_id",
    ("name", "givenName", None): "first_name",
    ("name", "familyName", None): "last_name",
    ("active", None, None): "is_active",
}
ROLE_FILTERS = {("displayName", None, None): "name"}


def connection_for(request) -> ProvisioningConnection | None:
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        return None
    connection = (
        ProvisioningConnection.objects.usable()
        .select_related("organization")
        .filter(token_digest=secret_digest(token))
        .first()
    )
    now = timezone.now()
    if connection and (
        connection.last_used_at is None
        or now - connection.last_used_at > LAST_USED_EVERY
    ):
        ProvisioningConnection.objects.filter(pk=connection.pk).update(last_used_at=now)
    return connection


def scim_response(doc, status=200, location=None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(doc), content_type=constants.SCIM_CONTENT_TYPE, status=status
    )
    if location:
        response["Location"] = location
    return response


def error_response(error: exceptions.SCIMException) -> HttpResponse:
    doc = error.to_dict()
    doc["status"] = str(error.status)  # RFC 7644 section 3.12: a string
    response = scim_response(doc, status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response


class Authenticated:
    """Every SCIM request names its connection by bearer token; errors are SCIM
    error bodies, never an HTML page."""

    def dispatch(self, request, *args, **kwargs):
        connection = connection_for(request)
        if connection is None:
            return error_response(
                exceptions.AuthorizationError(
                    "A valid bearer token for a provisioning connection is required."
                )
            )
        request.scim_connection = connection
        try:
            return View.dispatch(self, request, *args, **kwargs)
        except exceptions.SCIMException as error:
            return error_response(error)
        except Exception:
            logger.exception("SCIM request failed")
            return error_response(
                exceptions.SCIMException("The request could not be completed.")
            )

    def body(self):
        try:
            body = json.loads(self.request.body.decode() or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise exceptions.BadRequestError(
                "The body is not JSON.", scim_type="invalidSyntax"
            ) from None
        if not isinstance(body, dict) or not body:
            raise exceptions.BadRequestError(
                "The body must be a JSON object.", scim_type="invalidSyntax"
            )
        return body


def page_of(request) -> tuple[int, int]:
    """``startIndex`` from 1, ``count`` up to MAX_RESULTS (RFC 7644 section 3.4.2.4)."""
    try:
        start = int(request.GET.get("startIndex", 1))
        count = int(request.GET.get("count", 100))
    except ValueError:
        raise exceptions.BadRequestError(
            "startIndex and count must be whole numbers.", scim_type="invalidValue"
        ) from None
    return max(start, 1), min(max(count, 0), MAX_RESULTS)


class Resources(Authenticated, View):
    """A SCIM resource type; each one names its ``queryset()``: what the
    request's connection may see."""

    adapter = PersonAdapter
    filters: dict = {}

    def find(self, uuid):
        pk = scim_id(uuid)
        found = self.queryset().filter(pk=pk).first() if pk else None
        if found is None:
            raise exceptions.NotFoundError(uuid)
        return found

    def show(self, obj, status=200):
        adapter = self.adapter(obj, self.request)
        return scim_response(adapter.to_dict(), status, adapter.location)

    def get(self, request, uuid=None):
        if uuid:
            return self.show(self.find(uuid))
        queryset = self.queryset()
        text = request.GET.get("filter")
        if text:
            try:
                query = get_query(text, self.filters)
            except Exception:  # noqa: BLE001 - the parser raises many kinds
                query = None
            if query is None:
                raise exceptions.BadRequestError(
                    f"Cannot filter by “{text[:200]}”.", scim_type="invalidFilter"
                )
            queryset = queryset.filter(query)
        start, count = page_of(request)
        total = queryset.count()
        items = list(queryset.order_by("pk")[start - 1 : start - 1 + count])
        return scim_response(
            {
                "schemas": [constants.SchemaURI.LIST_RESPONSE],
                "totalResults": total,
                "itemsPerPage": len(items),
                "startIndex": start,
                "Resources": [self.adapter(o, request).to_dict() for o in items],
            }
        )

    def put(self, request, uuid=None):
        obj = self.find(uuid)
        adapter = self.adapter(obj, request)
        adapter.from_dict(self.body())
        adapter.save()
        return self.show(self.find(uuid))

    def patch(self, request, uuid=None):
        obj = self.find(uuid)
        operations = self.body().get("Operations")
        if not operations:
            raise exceptions.BadRequestError(
                "A PATCH needs Operations.", scim_type="invalidSyntax"
            )
        self.adapter(obj, request).handle_operations(operations)
        return self.show(self.find(uuid))


class PeopleView(Resources):
    http_method_names = ["get", "post", "put", "patch", "delete"]
    adapter = PersonAdapter
    filters = PERSON_FILTERS

    def queryset(self):
        return scope.people(self.request.scim_connection).prefetch_related("groups")

    def post(self, request, uuid=None):
        if uuid:
            raise exceptions.BadRequestError("POST to /Users, without an id.")
        body = self.body()
        email = str(body.get("userName") or "").strip().lower()
        connection = request.scim_connection
        # Someone this connection removed comes back (a re-hire) with their
        # history; anyone else with the address is a conflict.
        person = (
            User.objects.filter(
                email__iexact=email,
                organization_id=connection.organization_id,
                is_superuser=False,
                deprovisioned_at__isnull=False,
            ).first()
            if email
            else None
        )
        adapter = PersonAdapter(person or User(), request)
        adapter.from_dict(body)
        if person is not None:
            person.deprovisioned_at = None
            if adapter.change.active is None:
                adapter.change.active = True
        adapter.save()
        return self.show(self.find(adapter.obj.pk), status=201)

    def delete(self, request, uuid=None):
        PersonAdapter(self.find(uuid), request).delete()
        return HttpResponse(status=204)


class RolesView(Resources):
    http_method_names = ["get", "post", "put", "patch", "delete"]
    adapter = RoleAdapter
    filters = ROLE_FILTERS

    def queryset(self):
        return scope.groups(self.request.scim_connection)

    def post(self, request, uuid=None):
        name = self.body().get("displayName")
        allowed = scope.role_names(request.scim_connection)
        if name in allowed:
            raise exceptions.IntegrityError(
                f"The role “{name}” exists: link your group to it.",
                scim_type="uniqueness",
            )
        raise exceptions.BadRequestError(
            "Groups are the academy's roles, which cannot be created here: "
            + ", ".join(allowed)
            + ".",
            scim_type="invalidValue",
        )

    def delete(self, request, uuid=None):
        self.find(uuid)
        raise exceptions.BadRequestError(
            "Roles cannot be deleted; remove their members instead.",
            scim_type="mutability",
        )


class ServiceProviderConfig(SCIMServiceProviderConfig):
    def to_dict(self):
        d = super().to_dict()
        d.update(
            {
                "filter": {"supported": True, "maxResults": MAX_RESULTS},
                "changePassword": {"supported": False},
                "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            }
        )
        return d


class ServiceProviderConfigView(Authenticated, View):
    http_method_names = ["get"]

    def get(self, request):
        return scim_response(ServiceProviderConfig(request=request).to_dict())


class ResourceTypes(Authenticated, ResourceTypesView):
    pass


class Schemas(Authenticated, SchemasView):
    pass


def not_found(request, *args, **kwargs):
    return error_response(exceptions.NotFoundError(request.path[:200]))
