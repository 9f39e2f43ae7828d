"""What a course's outline says about its exams: the blueprint in a sentence,
what stops the exam being taken, and where its questions are written."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from wagtail.admin.utils import get_valid_next_url_from_request, set_query_params
from wagtail.models import Revision

from accounts.api import bounded_int
from courses.api import OutlineNotes

from . import blueprint
from .models import ExamPage, ExamSection, QuestionBank

BANK_EDIT = "wagtailsnippets_exams_questionbank:edit"


def exam_notes(pages) -> dict[int, OutlineNotes]:
    """Notes for the outline's exams (three queries, whatever their number)."""
    # The outline shows what the author is working on: the latest revision's
    # sections (for a draft, not yet the stored rows), else the stored ones.
    revisions = Revision.objects.in_bulk(
        [page.latest_revision_id for page in pages if page.latest_revision_id]
    )
    stored: dict[int, list[blueprint.SectionPlan]] = {page.pk: [] for page in pages}
    for section in ExamSection.objects.filter(exam__in=list(stored)).order_by(
        "sort_order", "pk"
    ):
        stored[section.exam_id].append(
            blueprint.SectionPlan(
                section.title, section.bank_id, section.topic, section.count
            )
        )
    plans = {}
    for page in pages:
        revision = revisions.get(page.latest_revision_id)
        drafted = revision.content.get("sections") if revision else None
        plans[page.pk] = (
            stored[page.pk]
            if drafted is None
            else [
                blueprint.SectionPlan(
                    s.get("title") or "",
                    s["bank"],
                    s.get("topic") or "",
                    int(s.get("count") or 0),
                )
                for s in sorted(drafted, key=lambda s: s.get("sort_order") or 0)
                if s.get("bank")
            ]
        )
    bank_ids = {plan.bank_id for each in plans.values() for plan in each}
    pools = blueprint.live_pools(bank_ids)
    banks = QuestionBank.objects.in_bulk(bank_ids)
    notes = {}
    for pk, each in plans.items():
        eligible: set[int] = set()
        for plan in each:
            eligible |= pools.get((plan.bank_id, plan.topic), set())
        summary = blueprint.Summary(
            sections=len(each),
            draws=sum(plan.count for plan in each),
            eligible=len(eligible),
            problems=blueprint.problems(each, pools),
        )
        dialogs = [
            (
                _("Add a question to “%(bank)s”") % {"bank": banks[bank_id].title},
                reverse(BANK_EDIT, args=[bank_id]),
                reverse("exams_bank_saved"),
            )
            for bank_id in dict.fromkeys(plan.bank_id for plan in each)
            if bank_id in banks
        ]
        links = [(_("Try this exam"), reverse("exams_try", args=[pk]))] if each else []
        actions = (
            []
            if each
            else [
                (
                    _("Create a question bank for this exam"),
                    reverse("exams_bank_for_exam", args=[pk]),
                )
            ]
        )
        notes[pk] = OutlineNotes(
            facts=[str(summary)],
            problems=summary.problems,
            links=links,
            actions=actions,
            dialogs=dialogs,
        )
    return notes


@require_POST
def bank_for_exam(request, exam_id):
    """A new bank for an exam that has none, and a section drawing from it.

    The bank starts as a draft named after the exam; the exam's draft gets a
    section "Questions" drawing from it (0 until the author sets a number).
    """
    exam = ExamPage.objects.filter(pk=bounded_int(exam_id)).first()
    if exam is None:
        raise Http404
    if not exam.permissions_for_user(request.user).can_edit() or not (
        request.user.has_perm("exams.add_questionbank")
    ):
        return permission_denied(request, PermissionDenied())
    draft = exam.get_latest_revision_as_object()
    next_url = get_valid_next_url_from_request(request) or reverse(
        "wagtailadmin_pages:edit", args=[exam.pk]
    )
    if list(draft.sections.all()):
        messages.info(request, _("This exam already draws from a bank."))
        return redirect(next_url)
    with transaction.atomic():
        bank = QuestionBank(
            title=_("%(exam)s questions") % {"exam": exam.title}, live=False
        )
        bank.save()
        bank.save_revision(user=request.user, log_action=True)
        draft.sections = [ExamSection(title=_("Questions"), bank=bank, count=0)]
        draft.save_revision(user=request.user, log_action=True)
    messages.success(
        request,
        _(
            "“%(bank)s” created. Write its questions and publish it, then set how "
            "many the exam draws."
        )
        % {"bank": bank.title},
    )
    return redirect(
        set_query_params(reverse(BANK_EDIT, args=[bank.pk]), {"next": next_url})
    )


@xframe_options_sameorigin
def bank_saved(request):
    """Where a bank editor opened over the outline goes once saved: inside the
    outline's dialog it tells the outline (which closes it and reloads); opened on
    its own, it links back."""
    back = get_valid_next_url_from_request(request) or reverse("course_list")
    return TemplateResponse(request, "exams/admin/bank_saved.html", {"back": back})


def admin_urls() -> list:
    return [
        path(
            "exams/<str:exam_id>/new-bank/", bank_for_exam, name="exams_bank_for_exam"
        ),
        path("exams/question-bank-saved/", bank_saved, name="exams_bank_saved"),
    ]
