"""Instructor-led training: scheduled classes, bookings, calendar feeds, on-site
training requests. Learner data, so plain models (the admin sees ViewSets)."""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.api import PersonRecord, validate_time_zone

MAX_ON_SITE_DAYS = 5


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class ClassKind(models.TextChoices):
    VIRTUAL = "virtual", _("Virtual")
    ON_SITE = "on_site", _("On site")


class ClassSession(models.Model):
    """One scheduled class: of a course, or an ongoing-training ``topic``."""

    title = models.CharField(_("title"), max_length=200)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="class_sessions",
        help_text=_("Leave empty for ongoing training such as a weekly talk."),
    )
    topic = models.CharField(
        _("topic"),
        max_length=200,
        blank=True,
        help_text=_("For ongoing training: e.g. weekly technical talk."),
    )
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ClassKind.choices, default=ClassKind.VIRTUAL
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructor"),
        on_delete=models.PROTECT,
        related_name="taught_class_sessions",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Where the class is held, e.g. Europe/Berlin."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("seats"), default=20, validators=[MinValueValidator(1)]
    )
    meeting_url = models.URLField(
        _("meeting link"), blank=True, help_text=_("Shown only to booked learners.")
    )
    location = models.CharField(_("location"), max_length=300, blank=True)
    recording_url = models.URLField(_("recording link"), blank=True)
    recording_days = models.PositiveSmallIntegerField(
        _("recording available for (days)"), default=30
    )
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        _("learners may cancel until (hours before start)"), default=24
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="class_session_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["published", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not self.course_id and not self.topic.strip():
            errors["topic"] = _("Choose a course or name the topic.")
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                errors["ends_at"] = _("The class must end after it starts.")
            elif self.kind == ClassKind.VIRTUAL and (
                self.ends_at - self.starts_at > timedelta(days=1)
            ):
                errors["ends_at"] = _("A virtual class lasts at most one day.")
            elif self.ends_at - self.starts_at > timedelta(days=MAX_ON_SITE_DAYS):
                errors["ends_at"] = _("An on-site class lasts at most five days.")
        if self.kind == ClassKind.ON_SITE and not self.location.strip():
            errors["location"] = _("Say where the on-site class is held.")
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def subject(self) -> str:
        """What the class is about: its course, or its ongoing-training topic."""
        return self.course.title if self.course_id else self.topic

    @property
    def cancellation_deadline(self) -> datetime:
        return self.starts_at - timedelta(hours=self.cancellation_cutoff_hours)

    @property
    def recording_available_until(self) -> datetime:
        return self.ends_at + timedelta(days=self.recording_days)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not attend")


# Statuses that hold a seat: a learner keeps it when attendance is marked.
SEAT_STATUSES = (BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)


class Booking(PersonRecord, models.Model):
    """A learner's seat, or place on the waitlist, in one class."""

    session = models.ForeignKey(
        ClassSession,
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="class_bookings",
    )
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    position = models.PositiveIntegerField(
        _("waitlist position"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    promoted_at = models.DateTimeField(
        _("moved off the waitlist at"), null=True, blank=True
    )
    attendance_marked_at = models.DateTimeField(
        _("attendance marked at"), null=True, blank=True
    )

    class Meta:
        ordering = ["session", "created_at", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="cancelled"),
                name="unique_active_booking",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.user} - {self.session} ({self.get_status_display()})"

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_STATUSES


class CalendarFeedToken(models.Model):
    """The secret in a learner's private calendar feed URL; revoked, never reused."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_tokens",
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_feed_token
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_calendar_feed_token",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class OnSiteRequestStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")


class OnSiteTrainingRequest(PersonRecord, models.Model):
    """A customer organization asks for a class at its premises."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="onsite_training_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    preferred_dates = models.CharField(
        _("preferred dates"),
        max_length=300,
        help_text=_("e.g. any three days in the weeks of 3 or 10 March"),
    )
    attendees = models.PositiveSmallIntegerField(
        _("number of attendees"),
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    topics = models.TextField(_("topics"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OnSiteRequestStatus.choices,
        default=OnSiteRequestStatus.NEW,
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("on-site training request")
        verbose_name_plural = _("on-site training requests")

    def __str__(self) -> str:
        return f"{self.organization}: {self.attendees} attendees"
