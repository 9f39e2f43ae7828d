"""``/admin/exams/<id>/try/``: an exam's author takes it as a learner would, and
sees the score, without an attempt being stored (see ``exams.trial``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.defaults import permission_denied
from wagtail.admin.utils import get_valid_next_url_from_request, set_query_params

from accounts.api import bounded_int

from . import trial
from .models import ExamPage
from .services import BlueprintError
from .views import parse_answers


def _back_url(request, exam: ExamPage) -> str:
    return get_valid_next_url_from_request(request) or reverse(
        "wagtailadmin_pages:edit", args=[exam.pk]
    )


@never_cache
@require_http_methods(["GET", "POST"])
def try_exam(request, exam_id):
    exam = ExamPage.objects.filter(pk=bounded_int(exam_id)).first()
    if exam is None:
        raise Http404
    if not exam.permissions_for_user(request.user).can_edit():
        return permission_denied(request, PermissionDenied())
    draft = trial.draft_of(exam)
    context = {"exam": draft, "back_url": _back_url(request, exam), "trial": None}
    if request.method == "POST":
        seed = bounded_int(request.POST.get("seed"), maximum=trial.MAX_SEED)
        try:
            if seed is None:
                raise trial.TrialChanged(
                    _("This try could not be read, so these are new questions.")
                )
            shown = trial.redraw(
                draft, seed=seed, shown=request.POST.get("questions", "")[:5000]
            )
        except trial.TrialChanged as exc:
            messages.warning(request, str(exc))
            return redirect(
                set_query_params(request.path, {"next": context["back_url"]})
            )
        answers, _flags = parse_answers(
            [q.served for q in shown.questions], request.POST
        )
        context["trial"] = shown
        if trial.answer(shown, answers):
            context["review"] = trial.grade(shown)
        return TemplateResponse(request, "exams/admin/try_exam.html", context)
    try:
        context["trial"] = trial.draw(draft, seed=trial.new_seed())
    except BlueprintError as exc:
        context["problem"] = str(exc)
    return TemplateResponse(request, "exams/admin/try_exam.html", context)


def admin_urls() -> list:
    return [path("exams/<str:exam_id>/try/", try_exam, name="exams_try")]
