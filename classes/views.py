"""Thin views for instructor-led classes; every rule lives in training_services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api import staff_action

from . import selectors, services
from .calendar import build_calendar
from .forms import AttendanceForm, OnSiteTrainingRequestForm
from .models import Booking, BookingStatus, ClassSession

PER_PAGE = 10


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _detail_url(session: ClassSession) -> str:
    return _absolute(reverse("classes:detail", args=[session.pk]))


def _uid_domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def session_list(request):
    sessions = selectors.upcoming_sessions(user=request.user)
    page_obj = Paginator(sessions, per_page=PER_PAGE).get_page(request.GET.get("page"))
    bookings = selectors.bookings_by_session(user=request.user, sessions=list(page_obj))
    rows = [
        (
            session,
            bookings.get(session.pk),
            max(session.capacity - session.seats_taken, 0),
        )
        for session in page_obj
    ]
    return render(
        request,
        "classes/session_list.html",
        {"page_obj": page_obj, "rows": rows},
    )


@require_GET
@never_cache
def session_detail(request, session_id: int):
    detail = selectors.session_detail(session_id=session_id, user=request.user)
    if detail is None:
        raise Http404
    return render(request, "classes/session_detail.html", {"d": detail})


@require_POST
@login_required
def book(request, session_id: int):
    session = get_object_or_404(
        selectors.visible_sessions(user=request.user), pk=session_id
    )
    try:
        booking, created = services.book_session(user=request.user, session=session)
    except services.BookingError as exc:
        messages.error(request, str(exc))
        return redirect("classes:detail", session_id=session.pk)
    if not created:
        messages.info(request, _("You already have a place in this class."))
    elif booking.status == BookingStatus.BOOKED:
        messages.success(request, _("You are booked on %(t)s.") % {"t": session.title})
    else:
        messages.info(
            request,
            _(
                "The class is full: you are number %(n)s on the waitlist. We will "
                "e-mail you if a seat opens up."
            )
            % {"n": booking.position},
        )
    return redirect("classes:detail", session_id=session.pk)


@require_POST
@login_required
def cancel(request, session_id: int):
    booking = (
        Booking.objects.filter(session_id=session_id, user=request.user)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("session")
        .first()
    )
    if booking is None:
        raise Http404
    was_waitlisted = booking.status == BookingStatus.WAITLISTED
    try:
        services.cancel_booking(booking=booking, acting_user=request.user)
    except services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("You left the waitlist.")
            if was_waitlisted
            else _("Your booking is cancelled."),
        )
    return redirect("classes:detail", session_id=session_id)


@require_GET
@login_required
def session_ics(request, session_id: int):
    session = selectors.booked_session(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    body = build_calendar(
        [session],
        uid_domain=_uid_domain(),
        detail_url=_detail_url,
        now=timezone.now(),
    )
    return _calendar_response(body, f"class-{session.pk}.ics")


@require_GET
def calendar_feed(request, token: str):
    feed = selectors.feed_owner(token=token)
    if feed is None:
        raise Http404
    body = build_calendar(
        selectors.feed_sessions(user=feed.user),
        uid_domain=_uid_domain(),
        detail_url=_detail_url,
        name=_("My classes - MWRASP Academy"),
        now=timezone.now(),
    )
    return _calendar_response(body, "classes.ics")


@require_GET
@login_required
@never_cache
def calendar_settings(request):
    token = selectors.active_feed_token(user=request.user)
    feed_url = _absolute(reverse("classes:feed", args=[token.token])) if token else ""
    return render(
        request,
        "classes/calendar.html",
        {"token": token, "feed_url": feed_url},
    )


@require_POST
@login_required
def calendar_regenerate(request):
    services.issue_feed_token(user=request.user)
    messages.success(
        request,
        _("Your new calendar address is ready. The previous one no longer works."),
    )
    return redirect("classes:calendar")


@require_POST
@login_required
def calendar_revoke(request):
    services.revoke_feed_token(user=request.user)
    messages.success(request, _("Your calendar feed is turned off."))
    return redirect("classes:calendar")


@staff_action
@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def attendance(request, session_id: int):
    session = get_object_or_404(
        ClassSession.objects.select_related("course", "instructor"), pk=session_id
    )
    if not services.can_manage_session(user=request.user, session=session):
        raise Http404
    roster = selectors.attendance_roster(session=session)
    form = AttendanceForm(request.POST or None, roster=roster)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.mark_attendance(
                session=session, marks=form.marks(), acting_user=request.user
            )
        except services.BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Attendance saved (%(n)s change(s)).") % {"n": changed},
            )
            return redirect("classes:attendance", session_id=session.pk)
    return render(
        request,
        "classes/attendance.html",
        {
            "session": session,
            "form": form,
            "waitlist": selectors.waitlist(session=session),
            "has_started": session.starts_at <= timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def onsite_request(request):
    user = request.user
    if not (user.is_organization_admin and user.organization_id):
        raise PermissionDenied
    form = OnSiteTrainingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_onsite_training(
            requested_by=user,
            preferred_dates=form.cleaned_data["preferred_dates"],
            attendees=form.cleaned_data["attendees"],
            topics=form.cleaned_data["topics"],
        )
        messages.success(
            request,
            _("Thank you: the training team will answer your request by e-mail."),
        )
        return redirect("classes:list")
    return render(request, "classes/onsite_request.html", {"form": form})
