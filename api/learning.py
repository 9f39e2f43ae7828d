"""Learning resources: enrolments (list, create), assigned training (list, create), exam
results (list; never answers or keys), classes and bookings (list). Same reach as every resource: the
people the caller may see."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from assignments.api import (
    AudienceKind,
    PersonAssignment,
    assignable_pages,
    create_assignment,
    person_zone,
    standing,
)
from classes.api import SEAT_STATUSES, Booking, ClassSession
from courses.api import CourseAccessError, CoursePage, Enrollment, enroll
from exams.api import Attempt, AttemptStatus

from .idempotency import idempotent
from .problems import Conflict
from .views import ID, UPDATED_SINCE, Resource, updated_since


def person_param(request):
    """``?person=<id>``: one of the caller's people, else a 400."""
    text = request.query_params.get("person")
    if text is None:
        return None
    if not text.isdigit() or len(text) > 18 or int(text) < 1:
        raise ValidationError({"person": ["A person's id."]})
    return int(text)


PERSON = OpenApiParameter(
    "person",
    {"type": "integer", "minimum": 1, "maximum": 10**18 - 1},
    description="Only this person's (their id).",
)


class CourseBrief(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()


class EnrollmentSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="user_id", read_only=True)
    course = CourseBrief(read_only=True)
    completed = serializers.SerializerMethodField()

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "person",
            "course",
            "enrolled_at",
            "last_activity_at",
            "completed_at",
            "completed",
        ]

    def get_completed(self, enrollment) -> bool:
        return enrollment.completed_at is not None


class EnrolSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=2**62)
    course = serializers.IntegerField(min_value=1, max_value=2**62)


@extend_schema(tags=["Learning"])
class EnrollmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, Resource
):
    """Who is enrolled in what, and who completed it."""

    serializer_class = EnrollmentSerializer
    read_scope = "learning:read"
    write_scope = "learning:write"
    model = Enrollment
    lookup_value_regex = ID

    @extend_schema(parameters=[PERSON, UPDATED_SINCE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def records(self):
        rows = Enrollment.objects.filter(user__in=self.caller.people()).select_related(
            "course"
        )
        if self.action == "list":
            if (person := person_param(self.request)) is not None:
                rows = rows.filter(user_id=person)
            if since := updated_since(self.request):
                rows = rows.filter(
                    Q(enrolled_at__gte=since)
                    | Q(last_activity_at__gte=since)
                    | Q(completed_at__gte=since)
                )
        return rows

    @extend_schema(
        request=EnrolSerializer,
        responses={201: EnrollmentSerializer, 200: EnrollmentSerializer},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Enrol one of the caller's people, with the same checks (catalog,
        audience, prerequisites) as the page's "Enrol" button."""
        form = EnrolSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        person = self.caller.people().filter(pk=form.validated_data["person"]).first()
        course = (
            CoursePage.objects.live().filter(pk=form.validated_data["course"]).first()
        )
        if person is None:
            raise NotFound("The caller has no person with this id.")
        if course is None:
            raise NotFound("No live course has this id.")
        try:
            with transaction.atomic():
                enrollment, created = enroll(user=person, course=course)
        except CourseAccessError as refusal:
            raise Conflict(str(refusal)) from None
        enrollment = self.get_queryset().get(pk=enrollment.pk)
        return Response(
            self.get_serializer(enrollment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AssignmentSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", read_only=True)
    title = serializers.CharField(source="assignment.item.title", read_only=True)
    standing = serializers.SerializerMethodField()

    class Meta:
        model = PersonAssignment
        fields = [
            "id",
            "person",
            "title",
            "cycle",
            "assigned_at",
            "due_on",
            "completed_at",
            "exempt_until",
            "standing",
        ]

    def get_standing(self, row) -> str:
        zone = person_zone(row.person)
        today = timezone.localtime(timezone.now(), zone).date()
        return str(standing(row, today=today, zone=zone))


class OptionalDate(serializers.DateField):
    """A date, or nothing: null or an empty string."""

    def to_internal_value(self, value):
        return None if value == "" else super().to_internal_value(value)


class AssignSerializer(serializers.Serializer):
    item = serializers.IntegerField(
        min_value=1,
        max_value=2**62,
        help_text="The id of a live course, learning path or certification level.",
    )
    people = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        min_length=1,
        max_length=500,
        help_text="The people to assign it to (ids of the caller's people).",
    )
    due_on = OptionalDate(required=False, allow_null=True)
    due_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=3650
    )
    recur_months = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=120
    )

    def validate(self, data):
        if data.get("due_on") and data.get("due_days"):
            raise ValidationError(
                {"due_days": ["Give a due date or a number of days, not both."]}
            )
        return data


class AssignedSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    rows = AssignmentSerializer(many=True)
    refusals = serializers.ListField(
        child=serializers.CharField(),
        help_text="Enrolments the course's rules refused (prerequisites), to follow up.",
    )


@extend_schema(tags=["Learning"])
class AssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, Resource
):
    """Assigned training, one row per person and cycle, with where they stand
    today on their own calendar (done, exempt, overdue…)."""

    serializer_class = AssignmentSerializer
    read_scope = "learning:read"
    write_scope = "learning:write"
    model = PersonAssignment
    lookup_value_regex = ID

    @extend_schema(parameters=[PERSON])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def records(self):
        rows = PersonAssignment.objects.filter(
            person__in=self.caller.people(), left_audience_at__isnull=True
        ).select_related("assignment__item", "person")
        if self.action == "list":
            if (person := person_param(self.request)) is not None:
                rows = rows.filter(person_id=person)
        return rows

    @extend_schema(request=AssignSerializer, responses={201: AssignedSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        """Assign a course, path or certification to some of the caller's people,
        as the "Assign training" page does: the same permissions (a client of an
        organisation assigns within it), due dates, reminders and audit."""
        form = AssignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        wanted = form.validated_data
        item = assignable_pages().filter(pk=wanted["item"]).first()
        if item is None:
            raise NotFound("No live course, path or certification level has this id.")
        ids = set(wanted["people"])
        people = list(self.caller.people().filter(pk__in=ids, is_active=True))
        if missing := ids - {p.pk for p in people}:
            raise NotFound(f"The caller has no active person with id {min(missing)}.")
        with transaction.atomic():
            assignment, refusals = create_assignment(
                actor=self.caller.acts_as,
                item=item.specific,
                audience=AudienceKind.PEOPLE,
                people=people,
                due_on=wanted.get("due_on"),
                due_days=wanted.get("due_days"),
                recur_months=wanted.get("recur_months"),
            )
        rows = self.get_queryset().filter(assignment=assignment).order_by("person_id")
        return Response(
            {
                "assignment": assignment.pk,
                "rows": AssignmentSerializer(rows, many=True).data,
                "refusals": refusals,
            },
            status=status.HTTP_201_CREATED,
        )


class ResultSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.IntegerField(source="user_id", read_only=True)
    exam = CourseBrief(read_only=True)
    percent = serializers.SerializerMethodField()
    passed = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = [
            "id",
            "person",
            "exam",
            "number",
            "status",
            "started_at",
            "submitted_at",
            "graded_at",
            "pass_mark",
            "percent",
            "passed",
        ]

    def get_percent(self, attempt) -> float | None:
        graded = attempt.status == AttemptStatus.GRADED
        return (
            float(attempt.percent) if graded and attempt.percent is not None else None
        )

    def get_passed(self, attempt) -> bool | None:
        return attempt.passed if attempt.status == AttemptStatus.GRADED else None


@extend_schema(tags=["Results"])
class ResultViewSet(mixins.ListModelMixin, Resource):
    """Exam attempts and their results: score and pass or fail once graded.
    Answers, questions and keys are never part of the API."""

    serializer_class = ResultSerializer
    read_scope = write_scope = "results:read"
    model = Attempt

    @extend_schema(parameters=[PERSON, UPDATED_SINCE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def records(self):
        rows = (
            Attempt.objects.filter(user__in=self.caller.people())
            .select_related("exam")
            .only(*RESULT_FIELDS)
        )
        if (person := person_param(self.request)) is not None:
            rows = rows.filter(user_id=person)
        if since := updated_since(self.request):
            rows = rows.filter(Q(started_at__gte=since) | Q(graded_at__gte=since))
        return rows


RESULT_FIELDS = (
    "public_id",
    "user_id",
    "exam__id",
    "exam__slug",
    "exam__title",
    "number",
    "status",
    "started_at",
    "submitted_at",
    "graded_at",
    "pass_mark",
    "percent",
    "passed",
)


class ClassSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    seats_taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = ClassSession
        fields = [
            "id",
            "title",
            "course",
            "kind",
            "starts_at",
            "ends_at",
            "time_zone",
            "capacity",
            "seats_taken",
            "location",
        ]


@extend_schema(tags=["Classes"])
class ClassViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Instructor-led classes from today on, with seats taken (the meeting link
    is only for the people booked)."""

    serializer_class = ClassSerializer
    read_scope = write_scope = "learning:read"
    model = ClassSession
    lookup_value_regex = ID

    def records(self):
        sessions = (
            ClassSession.objects.filter(published=True)
            .select_related("course")
            .annotate(
                seats_taken=Count(
                    "bookings", filter=Q(bookings__status__in=SEAT_STATUSES)
                )
            )
        )
        if self.action == "list":
            sessions = sessions.filter(ends_at__gte=timezone.now())
        return sessions


class BookingSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="user_id", read_only=True)
    session = serializers.IntegerField(source="session_id", read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "person",
            "session",
            "status",
            "position",
            "created_at",
            "cancelled_at",
        ]


@extend_schema(tags=["Classes"])
class BookingViewSet(mixins.ListModelMixin, Resource):
    """Seats and waitlist places of the caller's people."""

    serializer_class = BookingSerializer
    read_scope = write_scope = "learning:read"
    model = Booking

    @extend_schema(parameters=[PERSON])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def records(self):
        rows = Booking.objects.filter(user__in=self.caller.people())
        if (person := person_param(self.request)) is not None:
            rows = rows.filter(user_id=person)
        return rows
