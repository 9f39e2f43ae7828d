"""Certification levels, and the certificates about to expire."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.api import EXPIRING_WITHIN_DAYS

from .. import filters, selectors
from ..charts import Chart, Series
from .base import ReportColumn, TrainingReportView, percent

EXPIRING_LABEL = _("Expiring in %(days)s days") % {"days": EXPIRING_WITHIN_DAYS}


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
    report_columns = [
        ReportColumn("label", _("Certification")),
        ReportColumn("holders", _("Current holders")),
        ReportColumn("certification_rate", _("Certification rate"), display=percent),
        ReportColumn("certified", _("Ever certified")),
        ReportColumn("candidates", _("Sat the exam")),
        ReportColumn("valid", _("Valid")),
        ReportColumn("expiring", EXPIRING_LABEL),
        ReportColumn("expired", _("Expired")),
        ReportColumn("revoked", _("Revoked")),
        ReportColumn("superseded", _("Renewed")),
    ]

    def get_queryset(self):
        return selectors.certification_rows(scope=self.scope())

    def get_summary(self):
        rows = self.object_list
        return [
            (_("Valid certificates"), str(sum(r.valid for r in rows))),
            (EXPIRING_LABEL, str(sum(r.expiring for r in rows))),
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
                    Series(str(EXPIRING_LABEL), [r.expiring for r in rows]),
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
    report_columns = [
        ReportColumn("serial", _("Serial number")),
        ReportColumn("holder_name", _("Holder")),
        ReportColumn("holder.email", _("E-mail")),
        ReportColumn(
            "holder.organization", _("Organization"), display=lambda o: o or ""
        ),
        ReportColumn("title", _("Certification")),
        ReportColumn("expires_on", _("Expires on")),
        ReportColumn("days_to_expiry", _("Days left")),
        ReportColumn("reminders_sent", _("Reminders sent"), value=_reminders),
    ]

    @property
    def within(self) -> int:
        return int(self.values.get("within") or selectors.EXPIRING_WITHIN_DAYS)

    def get_queryset(self):
        return selectors.expiring_certificates(
            scope=self.scope(), within_days=self.within, level=self.values.get("level")
        )

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
