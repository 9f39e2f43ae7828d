"""A customer organization admin's figures: the same completion and certification
numbers as the training reports, for the admin's own people only. The scope comes
from the signed-in user, never from the URL or the query string."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from accounts.api import BoundedModelChoiceField
from certificates.api import holder_certificates
from courses.api import CoursePage, learner_dashboard

from . import selectors
from .charts import Chart, Series
from .charts import completion_over_time as completion_over_time_chart
from .permissions import administered_organization
from .selectors import Scope
from .spreadsheets import SafeSpreadsheetExportMixin

ALLOWED_PARAMETERS = {"course", "date_from", "date_to", "export"}


class OrganizationFilterForm(forms.Form):
    course = BoundedModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        required=False,
    )
    date_from = forms.DateField(
        label=_("Enrolled from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Enrolled until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        # Customers' admins choose among the courses their people can see.
        self.fields["course"].queryset = CoursePage.objects.visible_to(viewer).order_by(
            "title"
        )


class PeopleExport(SafeSpreadsheetExportMixin):
    list_export = [
        "display_name",
        "email",
        "enrolled",
        "completed",
        "valid_certificates",
        "last_activity",
        "is_active",
    ]
    export_headings = {
        "display_name": _("Name"),
        "email": _("E-mail"),
        "enrolled": _("Courses enrolled"),
        "completed": _("Courses completed"),
        "valid_certificates": _("Valid certificates"),
        "last_activity": _("Last activity"),
        "is_active": _("Active"),
    }

    def __init__(self, organization):
        self.export_filename = f"{organization.slug}-people-{date.today():%Y-%m-%d}"

    def get_heading(self, queryset, field):
        return str(self.export_headings[field])


def _organization_or_403(request):
    organization = administered_organization(request.user)
    if organization is None:
        raise PermissionDenied
    unknown = set(request.GET) - ALLOWED_PARAMETERS
    if unknown:
        # An organization, user or other id in the query string is an attempt to
        # widen the scope: refuse it rather than silently ignore it.
        raise PermissionDenied
    return organization


@login_required
def organization_report(request):
    organization = _organization_or_403(request)
    form = OrganizationFilterForm(request.GET or None, viewer=request.user)
    if form.is_bound and not form.is_valid():
        raise Http404(_("No such course or date."))
    values = form.cleaned_data if form.is_bound else {}
    scope = Scope(
        organization=organization,
        date_from=values.get("date_from"),
        date_to=values.get("date_to"),
    )
    people = selectors.organization_people(organization=organization)
    export = request.GET.get("export")
    if export in PeopleExport.FORMATS:
        return PeopleExport(organization).as_spreadsheet(people, export)
    completion = selectors.completion_rows(scope=scope, course=values.get("course"))
    certification = selectors.certification_rows(scope=scope)
    months = selectors.completion_over_time(scope=scope)
    charts = [
        completion_over_time_chart(months),
        Chart(
            title=str(_("Certificates by state")),
            labels=[r.label for r in certification],
            series=[
                Series(str(_("Valid")), [r.valid for r in certification]),
                Series(
                    str(_("Expiring in 90 days")), [r.expiring for r in certification]
                ),
                Series(str(_("Expired")), [r.expired for r in certification]),
            ],
        ),
    ]
    return render(
        request,
        "reports/organization.html",
        {
            "organization": organization,
            "form": form
            if form.is_bound
            else OrganizationFilterForm(viewer=request.user),
            "completion": completion,
            "certification": certification,
            "people": people,
            "charts": charts,
        },
    )


@login_required
def organization_person(request, user_id: int):
    """One of the organization's people: their courses and certificates."""
    organization = _organization_or_403(request)
    person = get_object_or_404(
        selectors.organization_people(organization=organization), pk=user_id
    )
    return render(
        request,
        "reports/organization_person.html",
        {
            "organization": organization,
            "person": person,
            "courses": learner_dashboard(user=person),
            "certificates": holder_certificates(user=person),
        },
    )
