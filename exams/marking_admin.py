"""The examiners' pages in the Wagtail admin: the grading queue and grading one
attempt's practical work against its rubric. Every rule lives in marking_services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django.views.defaults import permission_denied
from wagtail.admin.menu import MenuItem

from . import marking_selectors, marking_services
from .marking_selectors import LEAD_PERMISSION, PERMISSION, QUEUE_URL
from .models import AttemptFile, Marking
from .views import file_response

GRADE_URL = "exams_grade_marking"
FILE_URL = "exams_marking_file"


def _refuse(request):
    # A plain 403: PermissionDenied inside the admin becomes a redirect to its home.
    return permission_denied(request, PermissionDenied())


@require_GET
def grading_queue(request):
    if not request.user.has_perm(PERMISSION):
        return _refuse(request)
    context = marking_selectors.grading_queue(examiner=request.user)
    return render(request, "exams/admin/grading_queue.html", context)


def _levels_from(post, tasks) -> dict[int, dict[str, str]]:
    return {
        task.position: {
            criterion["id"]: post.get(f"level-{task.position}-{criterion['id']}", "")
            for criterion in task.rubric
        }
        for task in tasks
    }


@require_http_methods(["GET", "POST"])
def grade_marking(request, marking_id: int):
    """GET shows the work and the rubric; POST takes, gives back or submits."""
    if not request.user.has_perm(PERMISSION):
        return _refuse(request)
    marking = get_object_or_404(
        Marking.objects.select_related("attempt__exam", "attempt__user", "examiner"),
        pk=marking_id,
    )
    own = marking.examiner_id == request.user.pk
    if marking.is_done and not own and not request.user.has_perm(LEAD_PERMISSION):
        messages.error(request, _("That marking is another examiner's."))
        return redirect(QUEUE_URL)
    reason = marking_services.refusal(marking=marking, examiner=request.user)
    if reason and not (marking.is_done and own):
        messages.error(request, reason)
        return redirect(QUEUE_URL)
    context = marking_selectors.marking_detail(marking=marking, examiner=request.user)
    chosen = {}
    feedback = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "take":
                marking_services.claim_marking(
                    marking_id=marking.pk, examiner=request.user
                )
                return redirect(GRADE_URL, marking_id=marking.pk)
            if action == "release":
                marking_services.release_marking(
                    marking_id=marking.pk, examiner=request.user
                )
                messages.success(request, _("The marking is back in the queue."))
                return redirect(QUEUE_URL)
            if action == "submit":
                chosen = _levels_from(request.POST, context["tasks"])
                feedback = request.POST.get("feedback", "")
                done = marking_services.submit_marking(
                    marking_id=marking.pk,
                    examiner=request.user,
                    levels=chosen,
                    feedback=feedback,
                )
                messages.success(
                    request,
                    _("Graded: %(percent)s%% on the practical part.")
                    % {"percent": done.percent},
                )
                return redirect(GRADE_URL, marking_id=marking.pk)
            messages.error(request, _("Unknown action."))
        except marking_services.GradingError as exc:
            messages.error(request, str(exc))
        context = marking_selectors.marking_detail(
            marking=Marking.objects.select_related(
                "attempt__exam", "attempt__user", "examiner"
            ).get(pk=marking.pk),
            examiner=request.user,
        )
    context["chosen"] = chosen or {
        int(position): levels for position, levels in (marking.levels or {}).items()
    }
    context["feedback"] = feedback or marking.feedback
    return render(request, "exams/admin/grade_marking.html", context)


@require_GET
def marking_file(request, marking_id: int, file_id: int):
    """A candidate's hand-in, for an examiner who may grade this marking."""
    if not request.user.has_perm(PERMISSION):
        return _refuse(request)
    marking = get_object_or_404(
        Marking.objects.select_related("attempt__user", "attempt__exam"), pk=marking_id
    )
    if marking_services.refusal(marking=marking, examiner=request.user) and not (
        marking.examiner_id == request.user.pk
    ):
        return _refuse(request)
    record = get_object_or_404(AttemptFile, pk=file_id, attempt_id=marking.attempt_id)
    return file_response(record)


class GradingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


def admin_urls() -> list:
    return [
        path("grading/", grading_queue, name=QUEUE_URL),
        path("grading/<id:marking_id>/", grade_marking, name=GRADE_URL),
        path(
            "grading/<id:marking_id>/files/<id:file_id>/",
            marking_file,
            name=FILE_URL,
        ),
    ]


def menu_item() -> MenuItem:
    return GradingMenuItem(
        gettext_lazy("Grading queue"),
        reverse_lazy(QUEUE_URL),
        icon_name="clipboard-list",
        order=305,
    )
