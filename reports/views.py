"""The training reports in the Wagtail admin. Wagtail's ReportView gives the
filters and the CSV/XLSX exports; the rows come from the selectors, already
aggregated, so an export holds exactly the rows the page shows."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import Button

from . import filters, selectors, services
from .charts import Chart, ScatterPoint, Series, scatter
from .charts import completion_over_time as completion_over_time_chart
from .models import ExamAnalysis, QuestionAnalysis
from .permissions import can_view_item_analysis, can_view_reports
from .selectors import Scope
from .spreadsheets import SafeSpreadsheetExportMixin


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


class TrainingReportView(SafeSpreadsheetExportMixin, ReportView):
    """A report over selector rows: permission, filter values, rounding. Each
    report's ``get_queryset`` returns its selector's rows, already filtered."""

    results_template_name = "reports/admin/results.html"
    paginate_by = 100
    allowed = staticmethod(can_view_reports)
    report_slug = ""
    # What the report's figures count, shown above them.
    help_text = ""

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def index_url_name(self):
        return f"training_reports:{self.report_slug}"

    @property
    def index_results_url_name(self):
        return f"training_reports:{self.report_slug}_results"

    def get_filename(self):
        return f"{self.report_slug}-{date.today():%Y-%m-%d}"

    @property
    def values(self) -> dict:
        """The filter form's cleaned values ({} when nothing valid was sent)."""
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data
        return {}

    def scope(self) -> Scope:
        period = self.values.get("period")
        return Scope(
            organization=self.values.get("organization"),
            date_from=period.start if period else None,
            date_to=period.stop if period else None,
        )

    def filter_queryset(self, queryset):
        return queryset  # the selectors did the filtering

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}

    def get_heading(self, queryset, field):
        return str(self.export_headings.get(field, field))

    def get_charts(self) -> list:
        return []

    def get_summary(self) -> list[tuple[str, str]]:
        return []

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["charts"] = self.get_charts()
        context["summary"] = self.get_summary()
        context["help_text"] = self.help_text
        return context


# --- course completion ---------------------------------------------------------------


class CompletionReportView(TrainingReportView):
    page_title = _("Course completion")
    header_icon = "tick"
    report_slug = "completion"
    filterset_class = filters.CompletionFilterSet
    columns = [
        Column("label", label=_("Name")),
        Column("enrolled", label=_("Enrolled")),
        Column("not_started", label=_("Not started")),
        Column("in_progress", label=_("In progress")),
        Column("completed", label=_("Completed")),
        Column(
            "rate",
            label=_("Completion rate"),
            accessor=lambda r: percent(r.completion_rate),
        ),
        Column(
            "median",
            label=_("Median days to complete"),
            accessor=lambda r: number(r.median_days),
        ),
    ]
    list_export = [
        "label",
        "enrolled",
        "not_started",
        "in_progress",
        "completed",
        "completion_rate",
        "median_days",
    ]
    export_headings = {
        "label": _("Name"),
        "enrolled": _("Enrolled"),
        "not_started": _("Not started"),
        "in_progress": _("In progress"),
        "completed": _("Completed"),
        "completion_rate": _("Completion rate"),
        "median_days": _("Median days to complete"),
    }

    def get_queryset(self):
        return selectors.completion_rows(
            scope=self.scope(),
            by=self.values.get("by") or "course",
            course=self.values.get("course"),
        )

    def get_summary(self):
        rows = self.object_list
        enrolled = sum(r.enrolled for r in rows)
        completed = sum(r.completed for r in rows)
        return [
            (_("Enrolments"), str(enrolled)),
            (_("Completed"), str(completed)),
            (_("Completion rate"), percent(selectors.ratio(completed, enrolled))),
        ]

    def get_charts(self):
        months = selectors.completion_over_time(scope=self.scope())
        return [
            completion_over_time_chart(months),
            Chart(
                title=str(_("Completion rate")),
                labels=[r.label for r in self.object_list[:24]],
                series=[
                    Series(
                        str(_("Completion rate")),
                        [r.completion_rate for r in self.object_list[:24]],
                    )
                ],
                percent=True,
            ),
        ]


# --- certification -------------------------------------------------------------------


class CertificationReportView(TrainingReportView):
    page_title = _("Certification")
    header_icon = "doc-full"
    report_slug = "certification"
    help_text = _(
        "Certification rate: of the people who sat a graded required exam of the "
        "level in the period, the share who hold or held its certificate. Holders "
        "who never sat the exam here (renewed or imported certificates) count as "
        "holders but not in the rate."
    )
    filterset_class = filters.CertificationFilterSet
    columns = [
        Column("label", label=_("Certification")),
        Column("holders", label=_("Current holders")),
        Column(
            "rate",
            label=_("Certification rate"),
            accessor=lambda r: percent(r.certification_rate),
        ),
        Column("certified", label=_("Ever certified")),
        Column("candidates", label=_("Sat the exam")),
        Column("valid", label=_("Valid")),
        Column("expiring", label=_("Expiring in 90 days")),
        Column("expired", label=_("Expired")),
        Column("revoked", label=_("Revoked")),
        Column("superseded", label=_("Renewed")),
    ]
    list_export = [
        "label",
        "holders",
        "certification_rate",
        "certified",
        "candidates",
        "valid",
        "expiring",
        "expired",
        "revoked",
        "superseded",
    ]
    export_headings = {
        "label": _("Certification"),
        "holders": _("Current holders"),
        "certification_rate": _("Certification rate"),
        "certified": _("Ever certified"),
        "candidates": _("Sat the exam"),
        "valid": _("Valid"),
        "expiring": _("Expiring in 90 days"),
        "expired": _("Expired"),
        "revoked": _("Revoked"),
        "superseded": _("Renewed"),
    }

    def get_queryset(self):
        return selectors.certification_rows(scope=self.scope())

    def get_summary(self):
        rows = self.object_list
        return [
            (_("Valid certificates"), str(sum(r.valid for r in rows))),
            (_("Expiring in 90 days"), str(sum(r.expiring for r in rows))),
            (
                _("Certification rate"),
                percent(
                    selectors.ratio(
                        sum(r.certified for r in rows), sum(r.candidates for r in rows)
                    )
                ),
            ),
        ]

    def get_charts(self):
        months = selectors.certifications_over_time(scope=self.scope())
        rows = self.object_list
        return [
            Chart(
                title=str(_("Certificates issued per month")),
                labels=[f"{m['month']:%b %Y}" for m in months],
                series=[
                    Series(
                        str(_("First certification")), [m["issued"] for m in months]
                    ),
                    Series(str(_("Renewal")), [m["renewed"] for m in months]),
                ],
            ),
            Chart(
                title=str(_("Certificates by state")),
                labels=[r.label for r in rows],
                series=[
                    Series(str(_("Valid")), [r.valid for r in rows]),
                    Series(str(_("Expiring in 90 days")), [r.expiring for r in rows]),
                    Series(str(_("Expired")), [r.expired for r in rows]),
                    Series(str(_("Revoked")), [r.revoked for r in rows]),
                ],
            ),
        ]


def _reminders(certificate) -> str:
    sent = sorted(certificate.reminders.all(), key=lambda r: -r.offset_days)
    return ", ".join(
        f"{r.offset_days} d ({timezone.localdate(r.created_at):%Y-%m-%d})" for r in sent
    ) or str(_("none yet"))


class ExpiringCertificatesView(TrainingReportView):
    page_title = _("Expiring certificates")
    header_icon = "time"
    report_slug = "expiring"
    filterset_class = filters.ExpiringFilterSet
    columns = [
        Column("serial", label=_("Serial number")),
        Column("holder_name", label=_("Holder")),
        Column("email", label=_("E-mail"), accessor="holder.email"),
        Column(
            "organization",
            label=_("Organization"),
            accessor=lambda c: c.holder.organization or "",
        ),
        Column("title", label=_("Certification")),
        Column("expires_on", label=_("Expires on")),
        Column("days", label=_("Days left"), accessor="days_to_expiry"),
        Column("reminders", label=_("Reminders sent"), accessor=_reminders),
    ]
    list_export = [
        "serial",
        "holder_name",
        "holder.email",
        "holder.organization",
        "title",
        "expires_on",
        "days_to_expiry",
        "reminders_sent",
    ]
    export_headings = {
        "serial": _("Serial number"),
        "holder_name": _("Holder"),
        "holder.email": _("E-mail"),
        "holder.organization": _("Organization"),
        "title": _("Certification"),
        "expires_on": _("Expires on"),
        "days_to_expiry": _("Days left"),
        "reminders_sent": _("Reminders sent"),
    }

    @property
    def within(self) -> int:
        return int(self.values.get("within") or selectors.EXPIRING_WITHIN_DAYS)

    def get_queryset(self):
        return selectors.expiring_certificates(
            scope=self.scope(), within_days=self.within, level=self.values.get("level")
        )

    def to_row_dict(self, item):
        item.reminders_sent = _reminders(item)
        return super().to_row_dict(item)

    def get_charts(self):
        weeks = selectors.expiring_per_week(
            scope=self.scope(), within_days=self.within, level=self.values.get("level")
        )
        return [
            Chart(
                title=str(_("Certificates expiring per week")),
                labels=[f"{w['week']:%d %b}" for w in weeks],
                series=[Series(str(_("Expiring")), [w["count"] for w in weeks])],
            )
        ]

    def get_summary(self):
        return [
            (
                _("Expiring within %(days)s days") % {"days": self.within},
                str(self.object_list.count()),
            )
        ]


# --- exams ---------------------------------------------------------------------------


class ExamReportView(TrainingReportView):
    page_title = _("Exams")
    header_icon = "doc-full-inverse"
    report_slug = "exams"
    filterset_class = filters.ExamFilterSet
    columns = [
        Column("label", label=_("Exam")),
        Column("attempts", label=_("Attempts")),
        Column("graded", label=_("Graded")),
        Column("awaiting_grading", label=_("Awaiting grading")),
        Column("passed", label=_("Passed")),
        Column("rate", label=_("Pass rate"), accessor=lambda r: percent(r.pass_rate)),
        Column(
            "score",
            label=_("Average score (%)"),
            accessor=lambda r: number(r.average_percent),
        ),
        Column(
            "minutes",
            label=_("Average time used (minutes)"),
            accessor=lambda r: number(r.average_minutes),
        ),
        Column(
            "per_pass",
            label=_("Attempts per pass"),
            accessor=lambda r: number(r.attempts_per_pass, 2),
        ),
    ]
    list_export = [
        "label",
        "attempts",
        "graded",
        "awaiting_grading",
        "passed",
        "pass_rate",
        "average_percent",
        "average_minutes",
        "attempts_per_pass",
    ]
    export_headings = {
        "label": _("Exam"),
        "attempts": _("Attempts"),
        "graded": _("Graded"),
        "awaiting_grading": _("Awaiting grading"),
        "passed": _("Passed"),
        "pass_rate": _("Pass rate"),
        "average_percent": _("Average score (%)"),
        "average_minutes": _("Average time used (minutes)"),
        "attempts_per_pass": _("Attempts per pass"),
    }

    def get_queryset(self):
        return selectors.exam_rows(scope=self.scope(), exam=self.values.get("exam"))

    def get_summary(self):
        rows = self.object_list
        graded = sum(r.graded for r in rows)
        return [
            (_("Graded attempts"), str(graded)),
            (_("Awaiting grading"), str(sum(r.awaiting_grading for r in rows))),
            (
                _("Pass rate"),
                percent(selectors.ratio(sum(r.passed for r in rows), graded)),
            ),
        ]

    def get_charts(self):
        bands = selectors.score_histogram(
            scope=self.scope(), exam=self.values.get("exam")
        )
        rows = self.object_list[:24]
        return [
            Chart(
                title=str(_("Score distribution (graded attempts)")),
                labels=[b["band"] for b in bands],
                series=[Series(str(_("Attempts")), [b["attempts"] for b in bands])],
            ),
            Chart(
                title=str(_("Pass rate per exam")),
                labels=[r.label for r in rows],
                series=[Series(str(_("Pass rate")), [r.pass_rate for r in rows])],
                percent=True,
            ),
        ]


# --- onboarding ----------------------------------------------------------------------


class OnboardingReportView(TrainingReportView):
    page_title = _("Onboarding")
    header_icon = "group"
    report_slug = "onboarding"
    filterset_class = filters.OnboardingFilterSet
    results_template_name = "reports/admin/onboarding_results.html"
    columns = [
        Column("hire", label=_("Hire"), accessor="member.hire"),
        Column("cohort", label=_("Cohort"), accessor="member.cohort"),
        Column("mentor", label=_("Mentor"), accessor="member.mentor"),
        Column("week", label=_("Current week"), accessor="current_week"),
        Column("completed", label=_("Required activities done")),
        Column("expected", label=_("Expected by now")),
        Column(
            "behind",
            label=_("Behind schedule"),
            accessor=lambda r: _("yes") if r.behind else _("no"),
        ),
        Column("awaiting_signoff", label=_("Waiting for sign-off")),
    ]
    list_export = [
        "member.hire",
        "member.hire.email",
        "member.cohort",
        "member.mentor",
        "current_week",
        "completed",
        "expected",
        "behind",
        "awaiting_signoff",
    ]
    export_headings = {
        "member.hire": _("Hire"),
        "member.hire.email": _("E-mail"),
        "member.cohort": _("Cohort"),
        "member.mentor": _("Mentor"),
        "current_week": _("Current week"),
        "completed": _("Required activities done"),
        "expected": _("Expected by now"),
        "behind": _("Behind schedule"),
        "awaiting_signoff": _("Waiting for sign-off"),
    }

    def get_queryset(self):
        self.figures = selectors.onboarding_figures(
            cohort=self.values.get("cohort"),
            behind_only=bool(self.values.get("behind")),
        )
        return self.figures.hires

    def get_summary(self):
        hires = self.figures.hires
        return [
            (_("Hires"), str(len(hires))),
            (_("Behind schedule"), str(sum(1 for h in hires if h.behind))),
            (
                _("Waiting for sign-off"),
                str(sum(entry["waiting"] for entry in self.figures.backlog)),
            ),
        ]

    def get_charts(self):
        weeks = self.figures.week_numbers
        return [
            Chart(
                title=str(_("Cohort progress, week by week")),
                labels=[str(_("Week %(n)s") % {"n": n}) for n in weeks],
                series=[
                    Series(name, values)
                    for name, values in self.figures.cohort_weeks.items()
                ],
                percent=True,
            )
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["backlog"] = self.figures.backlog
        return context


# --- classes -------------------------------------------------------------------------


class ClassReportView(TrainingReportView):
    page_title = _("Classes")
    header_icon = "date"
    report_slug = "classes"
    filterset_class = filters.ClassFilterSet
    columns = [
        Column("title", label=_("Class"), accessor="session.title"),
        Column("starts", label=_("Starts at"), accessor="session.starts_at"),
        Column("capacity", label=_("Seats"), accessor="session.capacity"),
        Column("seats_taken", label=_("Booked")),
        Column("fill", label=_("Fill rate"), accessor=lambda r: percent(r.fill_rate)),
        Column("waitlisted", label=_("Waitlist")),
        Column(
            "attendance",
            label=_("Attendance rate"),
            accessor=lambda r: percent(r.attendance_rate),
        ),
    ]
    list_export = [
        "session.title",
        "session.starts_at",
        "session.capacity",
        "seats_taken",
        "fill_rate",
        "waitlisted",
        "attended",
        "no_show",
        "attendance_rate",
    ]
    export_headings = {
        "session.title": _("Class"),
        "session.starts_at": _("Starts at"),
        "session.capacity": _("Seats"),
        "seats_taken": _("Booked"),
        "fill_rate": _("Fill rate"),
        "waitlisted": _("Waitlist"),
        "attended": _("Attended"),
        "no_show": _("Did not attend"),
        "attendance_rate": _("Attendance rate"),
    }

    def get_queryset(self):
        return selectors.class_rows(
            scope=self.scope(), course=self.values.get("course")
        )

    def get_summary(self):
        rows = self.object_list
        return [
            (_("Classes"), str(len(rows))),
            (_("Waiting for a seat"), str(sum(r.waitlisted for r in rows))),
        ]

    def get_charts(self):
        rows = self.object_list[:24]
        return [
            Chart(
                title=str(_("Fill and attendance rate per class")),
                labels=[r.session.title for r in rows],
                series=[
                    Series(str(_("Fill rate")), [r.fill_rate for r in rows]),
                    Series(
                        str(_("Attendance rate")), [r.attendance_rate for r in rows]
                    ),
                ],
                percent=True,
            )
        ]


# --- item analysis -------------------------------------------------------------------


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
    columns = [
        Column("exam", label=_("Exam"), accessor=_exam_link),
        Column("attempts", label=_("Graded attempts")),
        Column(
            "mean", label=_("Mean score (%)"), accessor=lambda a: number(a.mean_percent)
        ),
        Column(
            "reliability",
            label=_("Reliability (KR-20 / alpha)"),
            accessor=lambda a: number(a.reliability, 2),
        ),
        Column("sem", label=_("SEM (points)"), accessor=lambda a: number(a.sem, 2)),
        Column("flagged_questions", label=_("Flagged questions")),
        Column("computed_at", label=_("Computed at")),
    ]
    list_export = [
        "exam.title",
        "attempts",
        "mean_percent",
        "items_per_attempt",
        "reliability",
        "reliability_method",
        "sem",
        "flagged_questions",
        "computed_at",
    ]
    export_headings = {
        "exam.title": _("Exam"),
        "attempts": _("Graded attempts"),
        "mean_percent": _("Mean score (%)"),
        "items_per_attempt": _("Questions per attempt"),
        "reliability": _("Reliability"),
        "reliability_method": _("Reliability method"),
        "sem": _("SEM (points)"),
        "flagged_questions": _("Flagged questions"),
        "computed_at": _("Computed at"),
    }

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


class ItemAnalysisExamView(TrainingReportView):
    page_title = _("Item analysis")
    header_icon = "help"
    report_slug = "item_analysis_exam"
    allowed = staticmethod(can_view_item_analysis)
    filterset_class = filters.QuestionFilterSet
    results_template_name = "reports/admin/item_analysis_results.html"
    columns = [
        Column("question", label=_("Question (edit)"), accessor=_question_link),
        Column("exposure", label=_("Times drawn")),
        Column(
            "exposure_rate",
            label=_("Exposure"),
            accessor=lambda q: percent(q.exposure_rate),
        ),
        Column(
            "facility", label=_("Facility"), accessor=lambda q: number(q.facility, 2)
        ),
        Column(
            "discrimination",
            label=_("Discrimination"),
            accessor=lambda q: number(q.discrimination, 2),
        ),
        Column(
            "point_biserial",
            label=_("Point-biserial"),
            accessor=lambda q: number(q.point_biserial, 2),
        ),
        Column(
            "options",
            label=_("Choices picked"),
            accessor=lambda q: ", ".join(
                f"{o['id']}{'*' if o['correct'] else ''} {100 * o['share']:.0f}%"
                for o in q.options
            ),
        ),
        Column("flags", label=_("Flags"), accessor=lambda q: ", ".join(q.flag_labels)),
    ]
    list_export = [
        "label",
        "question_type",
        "exposure",
        "exposure_rate",
        "facility",
        "discrimination",
        "point_biserial",
        "choices_picked",
        "unanswered",
        "flags",
    ]
    export_headings = {
        "label": _("Question"),
        "question_type": _("Type"),
        "exposure": _("Times drawn"),
        "exposure_rate": _("Exposure"),
        "facility": _("Facility"),
        "discrimination": _("Discrimination"),
        "point_biserial": _("Point-biserial"),
        "choices_picked": _("Choices picked"),
        "unanswered": _("Unanswered"),
        "flags": _("Flags"),
    }

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

    def to_row_dict(self, item):
        item.choices_picked = "; ".join(
            f"{o['id']}{' (key)' if o['correct'] else ''}: {o['count']}"
            for o in item.options
        )
        item.flags = ", ".join(item.flag_labels)
        return super().to_row_dict(item)

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
