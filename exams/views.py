"""Thin views for taking exams; every rule lives in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api import (
    ON_EVERY_PAGE,
    bounded_int,
    read_ahead_kept_rows,
    read_ahead_signed_in,
)
from courses.api import CONTENT_VERSION_KEY

from . import live, marking_services, policy, question_types, selectors, services
from .exam_facts import (
    exam_facts,
    live_exam,
    read_ahead_start,
    with_kept_exam,
)
from .models import Attempt, AttemptFile, ExamPage
from .models.paper_reads import PaperPage


def exam_overview(request, exam: ExamPage):
    course = exam.get_parent().specific
    if hasattr(course, "check_visible_to"):
        course.check_visible_to(request.user)
    context = selectors.exam_overview(exam=exam, user=request.user)
    return exam.render(request, context_overrides=context)


def start_exam(request, exam: ExamPage):
    """Start ``exam`` (from its page's "Start" form), or say why not."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(exam.url)
    try:
        attempt = services.start_attempt(user=request.user, exam=exam)
    except services.ExamError as exc:
        messages.error(request, str(exc))
        return redirect(exam.url)
    return redirect("exams:attempt", public_id=attempt.public_id)


def start_view(request, exam_id):
    """The start at its own address, without Wagtail's walk down the page tree
    (the site, then each ancestor page: eight queries on exam day's busiest
    minute). The exam must be live, and its page's view restrictions (login,
    groups, password) are checked as Wagtail would serve it; a refused request
    is sent to the exam's page, which asks for what is missing. Whether it has
    any restriction is kept (``exam_facts``), and so is the live page itself
    (``live_exam``); what the restrictions ask is read each time."""
    read_ahead_start(request, exam_id)
    exam = live_exam(exam_id)
    if exam is None:
        raise Http404
    if exam_facts(exam).private and any(
        not r.accept_request(request) for r in exam.get_view_restrictions()
    ):
        return redirect(exam.url)
    return start_exam(request, exam)


def _own_attempt(request, public_id, *, with_exam: bool = False) -> Attempt:
    """The attempt, if it is the signed-in learner's; 404 for anyone else. Its
    ``user`` is the signed-in one, already loaded (not read a second time).
    ``with_exam`` for a view that shows the exam page's fields: the kept page
    (:func:`with_kept_exam`), not a join on every request."""
    attempt = get_object_or_404(Attempt, public_id=public_id, user=request.user)
    attempt.user = request.user
    return with_kept_exam(attempt) if with_exam else attempt


def _own_attempt_page(
    request, public_id, page: int | None, *, with_exam: bool = True
) -> tuple[Attempt, PaperPage]:
    """The learner's attempt (404 for anyone else's), with its exam (unless
    not ``with_exam``), and one page of its paper
    (``services.attempt_with_page``), read together: what the exam page and the
    review show (``selectors.attempt_page``), and what a save reads when the
    attempt's state is not kept."""
    found = services.attempt_with_page(
        public_id=public_id, user=request.user, page=page
    )
    if found is None:
        raise Http404
    attempt, paper = found
    attempt.user = request.user
    return (with_kept_exam(attempt) if with_exam else attempt), paper


def _page_number(request) -> int:
    """The page asked for; the selectors clamp it to the attempt's pages."""
    return bounded_int(
        request.GET.get("page") or request.POST.get("page") or 1, default=1
    )


def parse_answers(questions, data) -> tuple[dict, dict]:
    """Form fields (``q<n>``, ``q<n>-<part>``, ``flag<n>``) to raw responses, each
    question's fields read by its type."""
    answers: dict[int, dict] = {}
    flags: dict[int, bool] = {}
    for question in questions:
        n = question.position
        answers[n] = question_types.get(question.qtype).parse_form(
            f"q{n}", question.public, data
        )
        flags[n] = data.get(f"flag{n}") == "on"
    return answers, flags


def _allowed_positions(attempt: Attempt, page: int) -> set[int] | None:
    if not attempt.sequential:
        return None
    if policy.page_is_closed(attempt, page):
        return set()
    return set(attempt.positions_on_page(page))


def attempt_view(request, public_id):
    # Before the sign-in check, which would read the session on its own: what
    # the page's frame reads of the person (roles, unread count), with it.
    read_ahead_signed_in(request, on=(ON_EVERY_PAGE,), numbers=[CONTENT_VERSION_KEY])
    return _attempt(request, public_id)


@login_required
@never_cache
@require_GET
def _attempt(request, public_id):
    asked = _page_number(request)
    attempt, paper = _own_attempt_page(request, public_id, asked)
    if not attempt.accepts_answers():
        return redirect("exams:result", public_id=attempt.public_id)
    page = policy.page_to_show(attempt, asked)
    context = selectors.attempt_page(attempt=attempt, page=page, paper=paper)
    return TemplateResponse(request, "exams/attempt.html", context)


def _save_from_form(request, attempt: Attempt, page: int, sequence, paper: PaperPage):
    """The save's result and the page's questions as read before it (those of
    ``paper`` when it was read for that page)."""
    page, questions = selectors.questions_on_page(
        attempt=attempt, page=page, paper=paper
    )
    answers, flags = parse_answers(questions, request.POST)
    result = services.save_answers(
        attempt=attempt,
        sequence=sequence,
        answers=answers,
        flags=flags,
        allowed_positions=_allowed_positions(attempt, page),
        questions=questions,
    )
    return result, questions


@never_cache
@require_POST
def save_view(request, public_id):
    """Autosave (JSON in, JSON out): answers of one page with a sequence number.
    Saved from the attempt's kept state when the signed-in owner sends it (no
    database read), otherwise from the database."""
    page = _page_number(request)
    state, read_along = live.read(request.session, public_id, page=page)
    sequence = _sequence(request)
    if state is not None and state.quick_save and sequence is not None:
        response = _save_from_kept_state(
            request, state, public_id, sequence, read_along
        )
        if response is not None:
            return response
    return _save_from_database(request, public_id, sequence)


def _sequence(request) -> int | None:
    """The save's sequence number, or None when it is missing or out of range."""
    try:
        sequence = int(request.POST.get("seq", ""))
    except ValueError:
        return None
    return sequence if 0 <= sequence <= Attempt.MAX_SAVE_SEQUENCE else None


def _save_from_kept_state(request, state, public_id, sequence, read_along):
    """The save's answer, or None when the database path must answer (the save
    was not stored: it says why). ``read_along``: the pages read with the state."""
    page = min(max(1, _page_number(request)), state.page_count)
    questions, read_now = live.page_questions(state, public_id, page, read_along)
    try:
        answers, flags = parse_answers(questions, request.POST)
        result = services.save_kept_page(
            attempt_id=state.attempt_id,
            user_id=state.user_id,
            sequence=sequence,
            answers=answers,
            flags=flags,
            questions=questions,
        )
    except ValueError as exc:
        return _not_saved(exc)
    if result is None:
        return None
    live.remember_save(
        state,
        public_id,
        seq=result.sequence,
        page=(page, questions) if read_now else None,
    )
    return _saved(result, questions, state.remaining_seconds(result.saved_at))


def _not_saved(exc: ValueError) -> JsonResponse:
    return JsonResponse({"ok": False, "message": f"Not saved: {exc}."}, status=400)


def _saved(result, questions, remaining_seconds: int) -> JsonResponse:
    """A save's answer, from either path: 409 when the attempt takes no answers."""
    return JsonResponse(
        {
            "ok": result.accepted,
            "applied": result.applied,
            "seq": result.sequence,
            "saved_at": result.saved_at.isoformat() if result.saved_at else None,
            "message": result.message,
            "remaining_seconds": remaining_seconds,
            "answered_on_page": selectors.answered_on_page(questions, result.responses),
        },
        status=200 if result.accepted else 409,
    )


@login_required
def _save_from_database(request, public_id, sequence):
    page = _page_number(request)
    # The attempt and the page's questions in one statement.
    attempt, paper = _own_attempt_page(request, public_id, page, with_exam=False)
    if sequence is None:
        return JsonResponse(
            {
                "ok": False,
                "message": _("A sequence number from 0 to %(max)s is required.")
                % {"max": Attempt.MAX_SAVE_SEQUENCE},
            },
            status=400,
        )
    try:
        result, questions = _save_from_form(request, attempt, page, sequence, paper)
    except ValueError as exc:
        return _not_saved(exc)
    if result.accepted:
        page = (
            (attempt.page_of(questions[0].position), questions) if questions else None
        )
        live.remember(attempt, seq=result.sequence, session=request.session, page=page)
    return _saved(result, questions, attempt.remaining_seconds())


@login_required
@never_cache
@require_POST
def answer_view(request, public_id):
    """The same save as a plain form post (works without JavaScript)."""
    page = _page_number(request)
    # The attempt and the page's questions in one statement.
    attempt, paper = _own_attempt_page(request, public_id, page, with_exam=False)
    try:
        result, _questions = _save_from_form(request, attempt, page, None, paper)
    except ValueError as exc:
        messages.error(
            request,
            _("Your answers on this page were not saved: %(reason)s.")
            % {"reason": exc},
        )
        return redirect(
            f"{reverse('exams:attempt', args=[attempt.public_id])}?page={page}"
        )
    if not result.accepted:
        messages.error(request, result.message)
        return redirect("exams:submit", public_id=attempt.public_id)
    target = request.POST.get("go", "")
    if target == "submit":
        return redirect("exams:submit", public_id=attempt.public_id)
    destination = bounded_int(target)
    if destination is not None:
        destination = services.go_to_page(attempt=attempt, page=destination)
        return redirect(
            f"{reverse('exams:attempt', args=[attempt.public_id])}?page={destination}"
        )
    messages.success(request, _("Your answers are saved."))
    return redirect(f"{reverse('exams:attempt', args=[attempt.public_id])}?page={page}")


@never_cache
@require_GET
def status_view(request, public_id):
    """Remaining time from the stored deadline and the server's clock (no writes).
    Answered from the attempt's cached state when the signed-in owner asks (no
    database read); otherwise from the database, which keeps the state."""
    state = live.for_session(request.session, public_id)
    if state is not None:
        return JsonResponse(state.as_poll(timezone.now()))
    return _status_from_database(request, public_id)


@login_required
def _status_from_database(request, public_id):
    attempt = _own_attempt(request, public_id)
    live.remember(attempt, session=request.session)
    return JsonResponse(
        {
            "status": attempt.status,
            "remaining_seconds": attempt.remaining_seconds(),
            "accepts_answers": attempt.accepts_answers(),
            "server_time": timezone.now().isoformat(),
            "seq": attempt.last_save_sequence,
        }
    )


def submit_view(request, public_id):
    if request.method == "POST":
        # Before the sign-in check, which would read the session on its own:
        # the rows the submit's events read after its commit (who listens for
        # webhooks, which record stores take statements), with the session
        # and the content version its exam page is kept under.
        read_ahead_kept_rows(request.session, numbers=[CONTENT_VERSION_KEY])
    return _submit(request, public_id)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def _submit(request, public_id):
    if request.method == "POST":
        # Found, checked as the learner's and locked in one read.
        attempt = services.submit_own_attempt(user=request.user, public_id=public_id)
        if attempt is None:
            raise Http404
        return redirect("exams:result", public_id=attempt.public_id)
    # No page's questions: the review lists every question's mark.
    attempt, paper = _own_attempt_page(request, public_id, None)
    if not attempt.is_open:
        return redirect("exams:result", public_id=attempt.public_id)
    return TemplateResponse(
        request,
        "exams/submit.html",
        selectors.attempt_review(attempt=attempt, paper=paper),
    )


@login_required
@never_cache
@require_GET
def result_view(request, public_id):
    attempt = _own_attempt(request, public_id, with_exam=True)
    if attempt.is_open:
        if attempt.accepts_answers():
            return redirect("exams:attempt", public_id=attempt.public_id)
        # Past the cutoff and not yet swept: close it now, as the sweep would.
        attempt = services.close_overdue_attempt(attempt_id=attempt.pk) or attempt
        attempt.refresh_from_db()  # (drops the exam it held)
        with_kept_exam(attempt)
    return TemplateResponse(
        request, "exams/result.html", selectors.attempt_result(attempt=attempt)
    )


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _back_to_question(attempt: Attempt, position: int):
    page = attempt.page_of(position)
    url = reverse("exams:attempt", args=[attempt.public_id])
    return redirect(f"{url}?page={page}#question-{position}")


@login_required
@never_cache
@require_POST
def upload_view(request, public_id, position: int):
    """Hand in one file for a practical task (a plain multipart form post)."""
    attempt = _own_attempt(request, public_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise marking_services.GradingError("Choose a file to hand in.")
        record = marking_services.upload_hand_in(
            attempt=attempt, position=position, upload=upload
        )
    except marking_services.GradingError as exc:
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": str(exc)}, status=400)
        messages.error(request, str(exc))
    else:
        if _wants_json(request):
            return JsonResponse({"ok": True, "id": record.pk})
        messages.success(
            request, _("“%(name)s” is handed in.") % {"name": record.original_name}
        )
    return _back_to_question(attempt, position)


@login_required
@never_cache
@require_POST
def remove_upload_view(request, public_id, file_id: int):
    attempt = _own_attempt(request, public_id)
    record = get_object_or_404(AttemptFile, pk=file_id, attempt=attempt)
    try:
        marking_services.remove_hand_in(attempt=attempt, file_id=record.pk)
    except marking_services.GradingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("“%(name)s” is removed.") % {"name": record.original_name}
        )
    return _back_to_question(attempt, record.position)


def file_response(record: AttemptFile) -> FileResponse:
    """A handed-in file as a download (never rendered inline: it is untrusted)."""
    try:
        handle = record.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=record.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@never_cache
@require_GET
def download_upload_view(request, public_id, file_id: int):
    attempt = _own_attempt(request, public_id)
    record = get_object_or_404(AttemptFile, pk=file_id, attempt=attempt)
    return file_response(record)


@login_required
@never_cache
@require_POST
def appeal_view(request, public_id):
    attempt = _own_attempt(request, public_id, with_exam=True)
    try:
        marking_services.lodge_appeal(
            attempt=attempt, user=request.user, reason=request.POST.get("reason", "")
        )
    except marking_services.GradingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Your appeal is lodged. A lead examiner will re-grade your practical "
            "work and we will e-mail you the outcome.",
        )
    return redirect("exams:result", public_id=attempt.public_id)
