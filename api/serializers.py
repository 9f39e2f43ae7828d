"""What the API shows of each record. Results never carry answers or keys."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api import Organization, User, site_url
from certificates.api import Certificate, CertificateStatus
from courses.api import CoursePage


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "sso_only"]


class PersonSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True, allow_null=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "organization",
            "active",
            "manager_id",
            "time_zone",
            "language",
            "date_joined",
            "updated_at",
        ]


class PersonWriteSerializer(serializers.Serializer):
    """What an HR system may set of a person. The organisation is the client's
    own; only a platform-wide client names one."""

    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    external_id = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="The person's id in the HR system, to find them again.",
    )
    organization = serializers.IntegerField(
        min_value=1,
        max_value=2**62,
        required=False,
        allow_null=True,
        help_text="Only for platform-wide clients; others write their own.",
    )
    active = serializers.BooleanField(
        required=False,
        help_text="false deactivates (signed out, refused at sign-in; history and "
        "certificates stay); true reopens.",
    )


class HolderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField(allow_null=True)
    name = serializers.CharField(allow_null=True)


class CertificateSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()
    holder = serializers.SerializerMethodField()
    level = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    course = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    verification_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "serial",
            "kind",
            "title",
            "level",
            "course",
            "holder",
            "issued_on",
            "expires_on",
            "state",
            "revoked_at",
            "verification_url",
        ]

    @extend_schema_field(
        serializers.ChoiceField(choices=[c.value for c in CertificateStatus])
    )
    def get_state(self, certificate) -> str:
        return str(
            certificate.status_on(
                timezone.localdate(), superseded=certificate.is_superseded
            )
        )

    @extend_schema_field(HolderSerializer(allow_null=True))
    def get_holder(self, certificate):
        if certificate.holder_erased_on:
            return {"id": certificate.holder_id, "email": None, "name": None}
        return {
            "id": certificate.holder_id,
            "email": certificate.holder.email,
            "name": certificate.holder_name,
        }

    def get_verification_url(self, certificate) -> str:
        return certificate.verification_url


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, trim_whitespace=True)


class CourseSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CoursePage
        fields = [
            "id",
            "slug",
            "title",
            "code",
            "level",
            "audience",
            "duration_hours",
            "summary",
            "url",
            "last_published_at",
        ]

    def get_url(self, course) -> str:
        return site_url(course.url or "")


class VerificationSerializer(serializers.Serializer):
    """The public verification document (the verification page's JSON)."""

    found = serializers.BooleanField()
    status = serializers.CharField()
    valid = serializers.BooleanField()
    certificate = serializers.DictField()
    checks = serializers.DictField()
    credential = serializers.DictField()
