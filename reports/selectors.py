"""Reads for the training reports. Each function runs a fixed number of queries,
whatever the number of learners: counting, averaging and ranking happen in the
database; Python only divides the aggregated numbers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Floor, RowNumber, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from certificates.models import (
    EXPIRING_WITHIN_DAYS,
    Certificate,
    CertificateStatus,
    CertificationLevelPage,
    LevelRequiredExam,
    certificate_states,
)
from classes.models import BookingStatus, ClassSession
from courses.models import CoursePage, Enrollment, LearningPathPage
from exams.models import Attempt, AttemptStatus, ExamPage
from onboarding import schedule
from onboarding.models import (
    ActivityProgress,
    Cohort,
    CohortMember,
    OnboardingWeekPage,
    ProgressStatus,
)

DIMENSIONS = {
    # dimension: (model, path from it to its enrollments, label field)
    "course": (CoursePage, "enrollments", "title"),
    "path": (LearningPathPage, "steps__course__enrollments", "title"),
    "organization": (Organization, "members__enrollments", "name"),
    "cohort": (Cohort, "members__hire__enrollments", "name"),
}
DIMENSION_CHOICES = [
    ("course", _("Course")),
    ("path", _("Learning path")),
    ("organization", _("Organization")),
    ("cohort", _("Onboarding cohort")),
]


def ratio(part: int | None, whole: int | None) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Scope:
    """Whose data a report covers: everybody, or one customer organization's
    people (never internal staff), and an optional period."""

    organization: Organization | None = None
    date_from: date | None = None
    date_to: date | None = None

    def start(self) -> datetime | None:
        if self.date_from is None:
            return None
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    def end(self) -> datetime | None:
        if self.date_to is None:
            return None
        return timezone.make_aware(
            datetime.combine(self.date_to + timedelta(days=1), time.min)
        )

    def people(self, prefix: str) -> Q:
        """People in scope, ``prefix`` being the path to a user (``"user__"``)."""
        if self.organization is None:
            return Q()
        return Q(**{f"{prefix}organization": self.organization}) & Q(
            **{f"{prefix}is_staff": False}
        )

    def days(self, field_path: str) -> Q:
        """The period, on a date field."""
        q = Q()
        if self.date_from:
            q &= Q(**{f"{field_path}__gte": self.date_from})
        if self.date_to:
            q &= Q(**{f"{field_path}__lte": self.date_to})
        return q

    def period(self, field_path: str) -> Q:
        q = Q()
        if start := self.start():
            q &= Q(**{f"{field_path}__gte": start})
        if end := self.end():
            q &= Q(**{f"{field_path}__lt": end})
        return q


# --- course completion ---------------------------------------------------------------


@dataclass
class CompletionRow:
    key: int
    label: str
    enrolled: int
    not_started: int
    completed: int
    median_days: float | None = None

    @property
    def in_progress(self) -> int:
        return self.enrolled - self.completed - self.not_started

    @property
    def completion_rate(self) -> float | None:
        return ratio(self.completed, self.enrolled)


def completion_rows(
    *, scope: Scope, by: str = "course", course: CoursePage | None = None
) -> list[CompletionRow]:
    """Enrolled, not started, in progress, completed and the median days to complete,
    per course, learning path, organization or cohort. Two queries."""
    model, to_enrollments, label_field = DIMENSIONS[by]
    p = to_enrollments
    condition = scope.people(f"{p}__user__") & scope.period(f"{p}__enrolled_at")
    if course is not None:
        condition &= Q(**{f"{p}__course": course})
    if by == "organization" and scope.organization is not None:
        model_filter = Q(pk=scope.organization.pk)
    else:
        model_filter = Q()
    rows = (
        model.objects.filter(model_filter)
        .annotate(
            enrolled=Count(p, filter=condition, distinct=True),
            completed=Count(
                p,
                filter=condition & Q(**{f"{p}__completed_at__isnull": False}),
                distinct=True,
            ),
            not_started=Count(
                p,
                filter=condition
                & Q(
                    **{
                        f"{p}__completed_at__isnull": True,
                        f"{p}__last_activity_at__isnull": True,
                    }
                ),
                distinct=True,
            ),
        )
        .filter(enrolled__gt=0)
        .order_by(label_field)
        .values_list("pk", label_field, "enrolled", "not_started", "completed")
    )
    result = [CompletionRow(*row) for row in rows]
    medians = _median_days(model, p, condition & model_filter)
    for row in result:
        row.median_days = medians.get(row.key)
    return result


def _median_days(model, p: str, condition: Q) -> dict[int, float]:
    """Median days from enrolment to completion per group, ranked by a window
    function so only the one or two middle rows of each group leave the database."""
    duration = ExpressionWrapper(
        F(f"{p}__completed_at") - F(f"{p}__enrolled_at"),
        output_field=DurationField(),
    )
    middle = (
        model.objects.filter(condition, **{f"{p}__completed_at__isnull": False})
        .annotate(
            duration=duration,
            rank=Window(RowNumber(), partition_by=[F("pk")], order_by=duration.asc()),
            size=Window(Count(f"{p}__pk"), partition_by=[F("pk")]),
        )
        .filter(rank__gte=(F("size") + 1) / 2, rank__lte=F("size") / 2 + 1)
        .values_list("pk", "duration")
    )
    found: dict[int, list[timedelta]] = defaultdict(list)
    for key, length in middle:
        found[key].append(length)
    return {
        key: sum(lengths, timedelta()).total_seconds() / len(lengths) / 86400
        for key, lengths in found.items()
    }


@dataclass
class MonthPoint:
    month: date
    values: dict[str, float] = field(default_factory=dict)


def _month_counts(queryset, field_name: str) -> dict[date, int]:
    return {
        month.date() if isinstance(month, datetime) else month: number
        for month, number in queryset.annotate(month=TruncMonth(field_name))
        .order_by()
        .values("month")
        .annotate(number=Count("pk"))
        .values_list("month", "number")
        if month is not None
    }


def _months(start: date, end: date) -> list[date]:
    months, current = [], date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def _default_window(scope: Scope, today: date) -> tuple[date, date]:
    end = scope.date_to or today
    start = scope.date_from or date(end.year - 1, end.month, 1)
    return start, end


def completion_over_time(*, scope: Scope, today: date | None = None) -> list[dict]:
    """Enrolments and completions per month (two queries)."""
    today = today or timezone.localdate()
    start, end = _default_window(scope, today)
    window = Scope(scope.organization, start, end)
    enrollments = Enrollment.objects.filter(window.people("user__"))
    enrolled = _month_counts(
        enrollments.filter(window.period("enrolled_at")), "enrolled_at"
    )
    completed = _month_counts(
        enrollments.filter(window.period("completed_at")), "completed_at"
    )
    return [
        {
            "month": month,
            "enrolled": enrolled.get(month, 0),
            "completed": completed.get(month, 0),
        }
        for month in _months(start, end)
    ]


# --- certification -------------------------------------------------------------------


@dataclass
class CertificationRow:
    key: int
    label: str
    holders: int
    certified: int
    candidates: int
    valid: int
    expiring: int
    expired: int
    revoked: int
    superseded: int

    @property
    def certification_rate(self) -> float | None:
        return ratio(self.certified, self.candidates)


def _count_distinct(field_name: str) -> Func:
    """COUNT(DISTINCT field) as a subquery's one value (Django's Count would add
    a GROUP BY that a correlated subquery must not have)."""
    return Func(
        F(field_name),
        function="COUNT",
        template="COUNT(DISTINCT %(expressions)s)",
        output_field=IntegerField(),
    )


def certification_rows(
    *, scope: Scope, today: date | None = None
) -> list[CertificationRow]:
    """Per certification level: current holders, certification rate, and
    certificates by state. One query.

    The rate counts the same people above and below the line: of the people who
    sat a graded required exam of the level in the period (``candidates``), the
    share who hold or held a certificate of the level (``certified``). Holders
    who never sat the exam here (renewals of older certificates, imported ones)
    count as holders, not in the rate, so it never exceeds 100%."""
    today = today or timezone.localdate()
    people = scope.people("certificates__holder__")
    issued = people & scope.days("certificates__issued_on")
    states = certificate_states(today, "certificates__")

    def sat_a_required_exam(level_ref):
        return Attempt.objects.filter(
            scope.people("user__"),
            scope.period("started_at"),
            status=AttemptStatus.GRADED,
            exam_id__in=LevelRequiredExam.objects.filter(level_id=level_ref).values(
                "exam_id"
            ),
        )

    certified_candidates = (
        Certificate.objects.filter(
            level_id=OuterRef("pk"),
            holder_id__in=sat_a_required_exam(OuterRef(OuterRef("level_id"))).values(
                "user_id"
            ),
        )
        .order_by()
        .annotate(certified_count=_count_distinct("holder_id"))
        .values("certified_count")[:1]
    )
    candidates = (
        sat_a_required_exam(OuterRef(OuterRef("pk")))
        .order_by()
        .annotate(candidate_count=_count_distinct("user_id"))
        .values("candidate_count")[:1]
    )
    rows = (
        CertificationLevelPage.objects.annotate(
            holders=Count(
                "certificates__holder",
                filter=issued & states[CertificateStatus.VALID],
                distinct=True,
            ),
            certified=Subquery(certified_candidates, output_field=IntegerField()),
            candidates=Subquery(candidates, output_field=IntegerField()),
            **{
                f"state_{name}": Count("certificates", filter=issued & q, distinct=True)
                for name, q in states.items()
            },
        )
        .order_by("path")
        .values_list(
            "pk",
            "title",
            "holders",
            "certified",
            "candidates",
            *(f"state_{name}" for name in states),
        )
    )
    return [
        CertificationRow(*row[:3], row[3] or 0, row[4] or 0, *row[5:]) for row in rows
    ]


def certifications_over_time(*, scope: Scope, today: date | None = None) -> list[dict]:
    """Certificates issued, and renewals among them, per month (two queries)."""
    today = today or timezone.localdate()
    start, end = _default_window(scope, today)
    window = Scope(scope.organization, start, end)
    certificates = Certificate.objects.filter(
        window.people("holder__"),
        window.days("issued_on"),
        kind="certification",
    )
    issued = _month_counts(certificates.filter(cycle=1), "issued_on")
    renewed = _month_counts(certificates.filter(cycle__gt=1), "issued_on")
    return [
        {
            "month": month,
            "issued": issued.get(month, 0),
            "renewed": renewed.get(month, 0),
        }
        for month in _months(start, end)
    ]


def expiring_certificates(
    *,
    scope: Scope,
    within_days: int = EXPIRING_WITHIN_DAYS,
    level: CertificationLevelPage | None = None,
    today: date | None = None,
) -> QuerySet[Certificate]:
    """Valid certificates expiring within ``within_days``, soonest first, with their
    holder, organization and the reminders already sent (two queries)."""
    today = today or timezone.localdate()
    queryset = Certificate.objects.filter(
        scope.people("holder__"),
        revoked_at__isnull=True,
        superseded_by__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=within_days),
    )
    if level is not None:
        queryset = queryset.filter(level=level)
    return (
        queryset.select_related("holder__organization", "level")
        .prefetch_related("reminders")
        .order_by("expires_on", "pk")
    )


def expiring_per_week(
    *,
    scope: Scope,
    within_days: int = EXPIRING_WITHIN_DAYS,
    level: CertificationLevelPage | None = None,
    today: date | None = None,
) -> list[dict]:
    """How many of those certificates expire in each coming week (one query)."""
    today = today or timezone.localdate()
    weeks = [0] * (within_days // 7 + 1)
    for expires_on in expiring_certificates(
        scope=scope, within_days=within_days, level=level, today=today
    ).values_list("expires_on", flat=True):
        weeks[(expires_on - today).days // 7] += 1
    return [
        {"week": today + timedelta(days=7 * i), "count": n} for i, n in enumerate(weeks)
    ]


# --- exams ---------------------------------------------------------------------------


@dataclass
class ExamRow:
    key: int
    label: str
    attempts: int
    graded: int
    awaiting_grading: int
    passed: int
    average_percent: float | None
    average_duration: timedelta | None

    @property
    def pass_rate(self) -> float | None:
        return ratio(self.passed, self.graded)

    @property
    def attempts_per_pass(self) -> float | None:
        return ratio(self.graded, self.passed)

    @property
    def average_minutes(self) -> float | None:
        if self.average_duration is None:
            return None
        return self.average_duration.total_seconds() / 60


def exam_rows(*, scope: Scope, exam: ExamPage | None = None) -> list[ExamRow]:
    """Per exam: closed attempts, pass rate over graded attempts, attempts awaiting
    grading, average score and time used, attempts per pass. One query."""
    condition = scope.people("attempts__user__") & scope.period("attempts__started_at")
    graded = condition & Q(attempts__status=AttemptStatus.GRADED)
    queryset = ExamPage.objects.all()
    if exam is not None:
        queryset = queryset.filter(pk=exam.pk)
    rows = (
        queryset.annotate(
            attempts_count=Count(
                "attempts",
                filter=condition
                & Q(
                    attempts__status__in=[AttemptStatus.GRADED, AttemptStatus.SUBMITTED]
                ),
            ),
            graded_count=Count("attempts", filter=graded),
            awaiting=Count(
                "attempts",
                filter=condition & Q(attempts__status=AttemptStatus.SUBMITTED),
            ),
            passed_count=Count("attempts", filter=graded & Q(attempts__passed=True)),
            average_percent=Avg("attempts__percent", filter=graded),
            average_duration=Avg(
                ExpressionWrapper(
                    F("attempts__submitted_at") - F("attempts__started_at"),
                    output_field=DurationField(),
                ),
                filter=graded & Q(attempts__submitted_at__isnull=False),
            ),
        )
        .filter(attempts_count__gt=0)
        .order_by("title")
        .values_list(
            "pk",
            "title",
            "attempts_count",
            "graded_count",
            "awaiting",
            "passed_count",
            "average_percent",
            "average_duration",
        )
    )
    return [
        ExamRow(
            *row[:6],
            float(row[6]) if row[6] is not None else None,
            row[7],
        )
        for row in rows
    ]


def score_histogram(*, scope: Scope, exam: ExamPage | None = None) -> list[dict]:
    """Graded attempts per score band of ten points (0-9, ..., 90-100). One query."""
    attempts = Attempt.objects.filter(
        scope.people("user__"),
        scope.period("started_at"),
        status=AttemptStatus.GRADED,
        percent__isnull=False,
    )
    if exam is not None:
        attempts = attempts.filter(exam=exam)
    counts = [0] * 10
    for band, number in (
        attempts.annotate(band=Floor(F("percent") / 10))
        .order_by()
        .values("band")
        .annotate(number=Count("pk"))
        .values_list("band", "number")
    ):
        counts[min(9, max(0, int(band)))] += number
    return [
        {"band": f"{10 * i}–{10 * i + 9 if i < 9 else 100}", "attempts": counts[i]}
        for i in range(10)
    ]


# --- onboarding ----------------------------------------------------------------------


@dataclass
class HireRow:
    member: CohortMember
    weeks_elapsed: int
    completed: int
    expected: int
    awaiting_signoff: int

    @property
    def behind(self) -> bool:
        return schedule.is_behind(self.completed, self.expected)

    @property
    def current_week(self) -> int:
        return self.weeks_elapsed + 1


@dataclass
class OnboardingFigures:
    hires: list[HireRow]
    # cohort name -> [percent of the week's required activities done, per week]
    cohort_weeks: dict[str, list[float | None]]
    week_numbers: list[int]
    backlog: list[dict]


def onboarding_figures(
    *,
    cohort: Cohort | None = None,
    behind_only: bool = False,
    now: datetime | None = None,
) -> OnboardingFigures:
    """Each hire's progress against the schedule (``onboarding.schedule``, on the
    day it is in the hire's cohort's time zone), each cohort's progress week by
    week, and the mentors' sign-off backlog. Four queries."""
    members_qs = CohortMember.objects.select_related(
        "hire", "mentor", "cohort__program"
    ).annotate(
        awaiting=Count("progress", filter=Q(progress__status=ProgressStatus.SUBMITTED))
    )
    if cohort is not None:
        members_qs = members_qs.filter(cohort=cohort)
    members = list(members_qs.order_by("-cohort__start_date", "hire__last_name"))
    required: dict[str, dict[int, int]] = defaultdict(dict)
    for path, number, count in (
        OnboardingWeekPage.objects.live()
        .annotate(required=Count("activities", filter=Q(activities__required=True)))
        .values_list("path", "number", "required")
    ):
        required[path[: -OnboardingWeekPage.steplen]][number] = count
    done: dict[int, dict[int, int]] = defaultdict(dict)
    for member_id, number, count in (
        ActivityProgress.objects.filter(
            member__in=[m.pk for m in members],
            activity__required=True,
            status__in=[ProgressStatus.DONE, ProgressStatus.SIGNED_OFF],
        )
        .values("member_id", "activity__week__number")
        .annotate(number=Count("pk"))
        .values_list("member_id", "activity__week__number", "number")
    ):
        done[member_id][number] = count

    hires, week_numbers = [], set()
    cohort_done: dict[str, dict[int, list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for member in members:
        weeks = required.get(member.cohort.program.path, {})
        week_numbers.update(weeks)
        today = member.local_today(now)
        elapsed = schedule.weeks_ended(member.starts_on, today)
        expected = schedule.required_due(weeks, member.starts_on, today)
        completed = sum(done[member.pk].values())
        row = HireRow(member, elapsed, completed, expected, member.awaiting)
        for number, needed in weeks.items():
            pair = cohort_done[member.cohort.name][number]
            if not pair:
                pair.extend([0, 0])
            pair[0] += done[member.pk].get(number, 0)
            pair[1] += needed
        if row.behind or not behind_only:
            hires.append(row)
    ordered_weeks = sorted(week_numbers)
    cohort_weeks = {
        name: [
            ratio(weeks[n][0], weeks[n][1]) if n in weeks else None
            for n in ordered_weeks
        ]
        for name, weeks in cohort_done.items()
    }
    backlog = list(
        ActivityProgress.objects.filter(status=ProgressStatus.SUBMITTED)
        .values("member__mentor__first_name", "member__mentor__last_name")
        .annotate(waiting=Count("pk"), oldest=Min("submitted_at"))
        .order_by("-waiting", "oldest")
    )
    for entry in backlog:
        entry["mentor"] = (
            f"{entry['member__mentor__first_name']} {entry['member__mentor__last_name']}"
        ).strip()
        entry["days_waiting"] = (timezone.now() - entry["oldest"]).days
    return OnboardingFigures(hires, cohort_weeks, ordered_weeks, backlog)


# --- classes -------------------------------------------------------------------------


@dataclass
class ClassRow:
    session: ClassSession
    seats_taken: int
    waitlisted: int
    attended: int
    no_show: int

    @property
    def fill_rate(self) -> float | None:
        return ratio(self.seats_taken, self.session.capacity)

    @property
    def attendance_rate(self) -> float | None:
        return ratio(self.attended, self.attended + self.no_show)


def class_rows(*, scope: Scope, course: CoursePage | None = None) -> list[ClassRow]:
    """Per class: seats taken, fill rate, waitlist length, attendance rate (of those
    whose attendance was marked). One query."""
    seat = Q(
        bookings__status__in=[
            BookingStatus.BOOKED,
            BookingStatus.ATTENDED,
            BookingStatus.NO_SHOW,
        ]
    )
    sessions = ClassSession.objects.filter(scope.period("starts_at"))
    if course is not None:
        sessions = sessions.filter(course=course)
    sessions = sessions.select_related("course").annotate(
        seats_taken=Count("bookings", filter=seat),
        waitlisted=Count(
            "bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)
        ),
        attended=Count("bookings", filter=Q(bookings__status=BookingStatus.ATTENDED)),
        no_show=Count("bookings", filter=Q(bookings__status=BookingStatus.NO_SHOW)),
    )
    return [
        ClassRow(s, s.seats_taken, s.waitlisted, s.attended, s.no_show)
        for s in sessions.order_by("starts_at", "pk")
    ]


# --- people of one organization --------------------------------------------------------


def organization_people(*, organization: Organization, today: date | None = None):
    """The organization's people (never internal staff) with their course and
    certificate figures. One query."""
    from accounts.models import User

    today = today or timezone.localdate()
    states = certificate_states(today, "certificates__")
    return (
        User.objects.filter(organization=organization, is_staff=False)
        .annotate(
            enrolled=Count("enrollments", distinct=True),
            completed=Count(
                "enrollments",
                filter=Q(enrollments__completed_at__isnull=False),
                distinct=True,
            ),
            valid_certificates=Count(
                "certificates", filter=states[CertificateStatus.VALID], distinct=True
            ),
            last_activity=Max("enrollments__last_activity_at"),
        )
        .order_by("last_name", "first_name", "email")
    )


# --- the learner's own figures (dashboard) ---------------------------------------------


def learner_figures(*, user, today: date | None = None) -> dict:
    """The signed-in learner's own numbers for the dashboard. One query."""
    from accounts.models import User

    today = today or timezone.localdate()
    states = certificate_states(today, "certificates__")
    figures = User.objects.filter(pk=user.pk).aggregate(
        enrolled=Count("enrollments", distinct=True),
        completed=Count(
            "enrollments",
            filter=Q(enrollments__completed_at__isnull=False),
            distinct=True,
        ),
        valid=Count(
            "certificates", filter=states[CertificateStatus.VALID], distinct=True
        ),
        expiring=Count("certificates", filter=states["expiring"], distinct=True),
        next_expiry=Min(
            "certificates__expires_on", filter=states[CertificateStatus.VALID]
        ),
    )
    return {
        "courses_enrolled": figures["enrolled"],
        "courses_completed": figures["completed"],
        "courses_in_progress": figures["enrolled"] - figures["completed"],
        "completion_rate": ratio(figures["completed"], figures["enrolled"]),
        "certificates_valid": figures["valid"],
        "certificates_expiring": figures["expiring"],
        "next_expiry": figures["next_expiry"],
    }
