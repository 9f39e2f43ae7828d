"""The API's resources. Every list reads a fixed number of queries per page and
is narrowed to what the caller may see (``request.auth.people()``); an id outside
that answers 404, never 403, so nothing is learnt from guessing."""

from __future__ import annotations

from datetime import UTC

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import (
    NotFound,
    Throttled,
    ValidationError,
)
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import Organization, User
from certificates.api import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    revoke_certificate,
    verification_document,
    verify_rate_limited,
)
from courses.api import Audience, CoursePage
from people import services as person_services

from . import serializers
from .idempotency import idempotent
from .problems import Conflict

# Ids are positive 64-bit integers; longer digit strings are no route (404).
ID = r"[0-9]{1,18}"

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only records changed at or after this time (ISO 8601), for "
    "incremental sync.",
)


def email_param(request, name: str) -> str | None:
    """An e-mail filter, checked: a malformed one is a 400, not an empty list."""
    text = request.query_params.get(name)
    if text is None:
        return None
    try:
        validate_email(text.strip())
    except DjangoValidationError:
        raise ValidationError({name: ["Give an e-mail address."]}) from None
    return text.strip()


def choice_param(request, name: str, allowed) -> str | None:
    text = request.query_params.get(name)
    if text is not None and text not in allowed:
        raise ValidationError({name: [f"One of: {', '.join(sorted(allowed))}."]})
    return text


def updated_since(request):
    text = request.query_params.get("updated_since")
    if text is None:
        return None
    try:
        moment = parse_datetime(text)
        # In UTC for the database (PostgreSQL refuses offsets beyond ±15:59).
        moment = moment.astimezone(UTC) if moment and moment.tzinfo else None
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise ValidationError(
            {
                "updated_since": [
                    "Give a date and time with its offset, e.g. 2026-12-01T00:00:00Z."
                ]
            }
        )
    return moment


class Resource(viewsets.GenericViewSet):
    read_scope = ""
    write_scope = ""
    model = None  # what the schema describes when no caller is there

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.records()  # each resource's own reach, from its caller

    @property
    def caller(self):
        return self.request.auth


@extend_schema(tags=["People"])
class PeopleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    Resource,
):
    """People the caller may see; an HR system creates and changes them with
    ``people:write`` (the same rules as an identity provider's SCIM: a real,
    unique address within the organisation's e-mail domains, audited)."""

    serializer_class = serializers.PersonSerializer
    read_scope = "people:read"
    write_scope = "people:write"
    model = User
    lookup_value_regex = ID
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "email", OpenApiTypes.EMAIL, description="Exact address, any case."
            ),
            UPDATED_SINCE,
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def records(self):
        people = self.caller.people().select_related("organization")
        if self.action == "list":
            if email := email_param(self.request, "email"):
                people = people.filter(email__iexact=email)
            if since := updated_since(self.request):
                people = people.filter(updated_at__gte=since)
        if self.action == "partial_update":
            # Nobody changes a superuser, or themselves, through the API.
            people = people.exclude(is_superuser=True)
        return people

    def _organization(self, wanted: dict):
        if self.caller.organization_id is not None or not self.caller.everyone:
            if wanted.get("organization") not in (None, self.caller.organization_id):
                raise NotFound("The caller has no organisation with this id.")
            return Organization.objects.filter(pk=self.caller.organization_id).first()
        if wanted.get("organization") is None:
            return None
        found = Organization.objects.filter(pk=wanted["organization"]).first()
        if found is None:
            raise NotFound("No organisation has this id.")
        return found

    def _write(self, person, wanted: dict, *, organization, address_changed: bool):
        reason = f"REST API ({self.caller.key})"
        if wanted.get("active") is False and person.pk == self.caller.acts_as.pk:
            raise Conflict("A client cannot deactivate the person it acts as.")
        try:
            person_services.check_address(
                person, organization=organization, address_changed=address_changed
            )
            with transaction.atomic():
                created = person_services.save_person(
                    person,
                    organization=organization,
                    reason=reason,
                    actor=self.caller.acts_as,
                )
                if "active" in wanted:
                    person_services.apply_active(
                        person,
                        active=wanted["active"],
                        reason=reason,
                        actor=self.caller.acts_as,
                    )
        except person_services.PersonRefused as refused:
            if refused.taken:
                raise Conflict(str(refused)) from None
            raise ValidationError({"email": [str(refused)]}) from None
        return created

    @extend_schema(
        request=serializers.PersonWriteSerializer,
        responses={201: serializers.PersonSerializer},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Create a person (no password: they sign in by e-mail link or single
        sign-on). An address someone already has answers 409."""
        form = serializers.PersonWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        wanted = form.validated_data
        person = User(
            email=wanted["email"],
            first_name=wanted.get("first_name", ""),
            last_name=wanted.get("last_name", ""),
            external_id=wanted.get("external_id", ""),
        )
        self._write(
            person,
            wanted,
            organization=self._organization(wanted),
            address_changed=True,
        )
        person = self.get_queryset().get(pk=person.pk)
        return Response(self.get_serializer(person).data, status=201)

    @extend_schema(
        request=serializers.PersonWriteSerializer(partial=True),
        responses={200: serializers.PersonSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        """Change a person's name, address, HR id or whether they are active."""
        person = self.get_object()
        form = serializers.PersonWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        wanted = form.validated_data
        if "organization" in wanted:
            raise ValidationError(
                {"organization": ["A person's organisation is not changed here."]}
            )
        old_email = person.email
        for field in ("email", "first_name", "last_name", "external_id"):
            if field in wanted:
                setattr(person, field, wanted[field])
        self._write(
            person,
            wanted,
            organization=person.organization,
            address_changed=person.email.lower() != old_email.lower(),
        )
        person = self.get_queryset().get(pk=person.pk)
        return Response(self.get_serializer(person).data)


@extend_schema(tags=["People"])
class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    serializer_class = serializers.OrganizationSerializer
    read_scope = write_scope = "people:read"
    model = Organization
    lookup_value_regex = ID

    def records(self):
        organizations = Organization.objects.all()
        if self.caller.everyone:
            return organizations
        return organizations.filter(pk=self.caller.organization_id or 0)


@extend_schema(tags=["Catalog"])
class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Live courses of the catalog (internal staff courses only for callers who
    see everyone)."""

    serializer_class = serializers.CourseSerializer
    read_scope = write_scope = "learning:read"
    model = CoursePage
    lookup_value_regex = ID

    def records(self):
        courses = CoursePage.objects.live()
        if not self.caller.everyone:
            courses = courses.exclude(audience=Audience.INTERNAL)
        return courses.order_by("pk")


@extend_schema(tags=["Certificates"])
class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Certificates of the people the caller may see: is this person certified,
    and until when?"""

    serializer_class = serializers.CertificateSerializer
    read_scope = "certificates:read"
    write_scope = "certificates:write"
    model = Certificate
    lookup_field = "serial"
    lookup_value_regex = r"[A-Za-z0-9-]{1,40}"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "holder_email",
                OpenApiTypes.EMAIL,
                description="The holder's address, any case.",
            ),
            OpenApiParameter(
                "state",
                OpenApiTypes.STR,
                enum=[*(c.value for c in CertificateStatus), "expiring"],
                description="valid, expiring (valid, ending within 90 days), "
                "expired, revoked or superseded, today.",
            ),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=list(CertificateKind.values)
            ),
            UPDATED_SINCE,
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def records(self):
        certificates = (
            Certificate.objects.filter(holder__in=self.caller.people())
            .select_related("holder", "level", "course")
            .annotate(
                is_superseded=Exists(
                    Certificate.objects.filter(supersedes=OuterRef("pk"))
                )
            )
        )
        if self.action != "list":
            return certificates
        request = self.request
        if email := email_param(request, "holder_email"):
            certificates = certificates.filter(holder__email__iexact=email)
        states = {c.value for c in CertificateStatus} | {"expiring"}
        if state := choice_param(request, "state", states):
            certificates = certificates.in_state(state)
        if kind := choice_param(request, "kind", set(CertificateKind.values)):
            certificates = certificates.filter(kind=kind)
        if since := updated_since(self.request):
            certificates = certificates.filter(
                Q(created_at__gte=since) | Q(revoked_at__gte=since)
            )
        return certificates

    @extend_schema(
        request=serializers.RevokeSerializer,
        responses=serializers.CertificateSerializer,
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def revoke(self, request, serial=None):
        """Revoke with a reason, as an examiner or training admin would in the
        admin (the client acts as the admin who created it)."""
        certificate = self.get_object()
        form = serializers.RevokeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with transaction.atomic():
            revoke_certificate(
                certificate=certificate,
                revoked_by=self.caller.acts_as,
                reason=form.validated_data["reason"],
            )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=certificate.pk)).data
        )


@extend_schema(
    tags=["Certificates"], responses=serializers.VerificationSerializer, auth=[]
)
@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other address under /api/: a problem, not the site's page."""
    from django.http import JsonResponse

    from .problems import problem_body

    return JsonResponse(
        problem_body(404, "There is nothing at this address."),
        status=404,
        content_type="application/problem+json",
    )


class VerifyView(APIView):
    """Public: what a verification code (printed on the certificate and in its QR
    code) says. Shares the verification page's rate limit per client address."""

    public = True
    serializer_class = serializers.VerificationSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    def get(self, request, code: str):
        if verify_rate_limited(request):
            raise Throttled(wait=60)
        document = verification_document(code)
        if document is None:
            raise NotFound("No certificate has this verification code.")
        return Response(document)
