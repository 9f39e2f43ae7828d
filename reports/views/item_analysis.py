"""Item analysis: each exam's reliability, each question's statistics."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.widgets.button import Button

from .. import filters, services
from ..charts import Chart, ScatterPoint, Series, scatter
from ..models import ExamAnalysis, QuestionAnalysis
from ..permissions import can_view_item_analysis
from .base import ReportColumn, TrainingReportView, number, percent


def _exam_link(analysis: ExamAnalysis):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("training_reports:item_analysis_exam", args=[analysis.exam_id]),
        analysis.exam.title,
    )


class ItemAnalysisIndexView(TrainingReportView):
    page_title = _("Item analysis")
    header_icon = "help"
    report_slug = "item_analysis"
    allowed = staticmethod(can_view_item_analysis)
    results_template_name = "reports/admin/item_analysis_index_results.html"
    report_columns = [
        ReportColumn("exam.title", _("Exam"), cell=_exam_link),
        ReportColumn("attempts", _("Graded attempts")),
        ReportColumn("mean_percent", _("Mean score (%)"), display=number),
        ReportColumn("items_per_attempt", _("Questions per attempt"), table=False),
        ReportColumn(
            "reliability",
            _("Reliability (KR-20 / alpha)"),
            display=lambda v: number(v, 2),
        ),
        ReportColumn("reliability_method", _("Reliability method"), table=False),
        ReportColumn("sem", _("SEM (points)"), display=lambda v: number(v, 2)),
        ReportColumn("flagged_questions", _("Flagged questions")),
        ReportColumn("computed_at", _("Computed at")),
    ]

    def get_queryset(self):
        return ExamAnalysis.objects.select_related("exam").order_by("exam__title")

    def get_charts(self):
        rows = list(self.object_list[:24])
        return [
            Chart(
                title=str(_("Reliability per exam")),
                labels=[a.exam.title for a in rows],
                series=[Series(str(_("Reliability")), [a.reliability for a in rows])],
            )
        ]


def _question_link(row: QuestionAnalysis):
    if row.bank_id is None:
        return row.label
    return format_html(
        '<a href="{}">{}</a>',
        reverse("wagtailsnippets_exams_questionbank:edit", args=[row.bank_id]),
        row.label,
    )


def _choices_picked(row: QuestionAnalysis) -> str:
    return "; ".join(
        f"{o['id']}{' (key)' if o['correct'] else ''}: {o['count']}"
        for o in row.options
    )


def _choice_shares(row: QuestionAnalysis) -> str:
    return ", ".join(
        f"{o['id']}{'*' if o['correct'] else ''} {100 * o['share']:.0f}%"
        for o in row.options
    )


class ItemAnalysisExamView(TrainingReportView):
    page_title = _("Item analysis")
    header_icon = "help"
    report_slug = "item_analysis_exam"
    allowed = staticmethod(can_view_item_analysis)
    filterset_class = filters.QuestionFilterSet
    results_template_name = "reports/admin/item_analysis_results.html"
    report_columns = [
        ReportColumn("label", _("Question"), cell=_question_link),
        ReportColumn("question_type", _("Type"), table=False),
        ReportColumn("exposure", _("Times drawn")),
        ReportColumn("exposure_rate", _("Exposure"), display=percent),
        ReportColumn("facility", _("Facility"), display=lambda v: number(v, 2)),
        ReportColumn(
            "discrimination", _("Discrimination"), display=lambda v: number(v, 2)
        ),
        ReportColumn(
            "point_biserial", _("Point-biserial"), display=lambda v: number(v, 2)
        ),
        ReportColumn(
            "choices_picked",
            _("Choices picked"),
            value=_choices_picked,
            cell=_choice_shares,
        ),
        ReportColumn("unanswered", _("Unanswered"), table=False),
        ReportColumn("flags", _("Flags"), value=lambda q: ", ".join(q.flag_labels)),
    ]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.exam_id = kwargs["exam_id"]

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        self.analysis = get_object_or_404(
            ExamAnalysis.objects.select_related("exam"), exam_id=self.exam_id
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.analysis.exam.title

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.exam_id])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.exam_id])

    def get_filename(self):
        return f"item-analysis-{self.analysis.exam.slug}-{date.today():%Y-%m-%d}"

    def get_queryset(self):
        questions = self.analysis.questions.all()
        if self.values.get("flagged"):
            questions = questions.filter(flagged=True)
        return questions

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        rows = list(self.object_list)
        context["analysis"] = self.analysis
        context["scatter"] = scatter(
            str(_("Facility against discrimination")),
            [
                ScatterPoint(q.facility, q.discrimination, q.label, q.flagged)
                for q in rows
                if q.facility is not None and q.discrimination is not None
            ],
            x_label=str(_("facility")),
            y_label=str(_("discrimination")),
        )
        return context

    def get_header_more_buttons(self):
        return [
            *super().get_header_more_buttons(),
            Button(
                _("All exams"),
                url=reverse("training_reports:item_analysis"),
                icon_name="arrow-left",
                priority=10,
            ),
        ]


@require_POST
def refresh_item_analysis(request):
    """Queue a background refresh of one exam's (or every exam's) item analysis."""
    if not can_view_item_analysis(request.user):
        raise PermissionDenied
    exam_id = request.POST.get("exam", "")
    if exam_id:
        if not exam_id.isdigit():
            raise Http404
        services.schedule_item_analysis(exam_ids=[int(exam_id)])
    else:
        services.schedule_all_item_analyses()
    messages.success(
        request,
        _("Item analysis is being recomputed; reload this page in a minute."),
    )
    return redirect(reverse("training_reports:item_analysis"))
