"""The team view (/team/): a manager's direct reports, an organisation admin's
organisation or, for a training admin, anyone, as a people × assigned training
matrix with certificates expiring soon and hires' onboarding progress. The people
come from the signed-in user's scope, never from the URL."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.api import BoundedModelChoiceField, Organization, is_training_admin
from assignments.api import has_team, team_matrix, team_of, with_overdue_training

from .spreadsheets import SafeSpreadsheetExportMixin

PAGE_SIZE = 25


class TeamFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    overdue = forms.BooleanField(
        label=_("Only people with overdue training"), required=False
    )
    organization = BoundedModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.order_by("name"),
        required=False,
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_training_admin(viewer):
            del self.fields["organization"]


class TeamExport(SafeSpreadsheetExportMixin):
    list_export = [
        "name",
        "email",
        "organization",
        "training",
        "kind",
        "cycle",
        "due_on",
        "standing",
        "completed",
        "exempt_until",
    ]
    export_headings = {
        "name": _("Name"),
        "email": _("E-mail"),
        "organization": _("Organisation"),
        "training": _("Training"),
        "kind": _("Kind"),
        "cycle": _("Cycle"),
        "due_on": _("Due on"),
        "standing": _("Standing"),
        "completed": _("Completed"),
        "exempt_until": _("Exempt until"),
    }

    def __init__(self):
        self.export_filename = f"team-training-{date.today():%Y-%m-%d}"

    def get_heading(self, queryset, field):
        return str(self.export_headings[field])


def _people(request, form):
    people = (
        team_of(request.user)
        .select_related("organization")
        .order_by("last_name", "first_name", "pk")
    )
    if not form.is_valid():
        return people
    data = form.cleaned_data
    if data.get("q"):
        people = people.filter(
            Q(first_name__icontains=data["q"])
            | Q(last_name__icontains=data["q"])
            | Q(email__icontains=data["q"])
        )
    if data.get("organization"):
        people = people.filter(organization=data["organization"])
    if data.get("overdue"):
        people = with_overdue_training(people, today=timezone.localdate())
    return people


def _export_rows(matrix):
    for row in matrix.rows:
        for cell in row.cells.values():
            yield SimpleNamespace(
                name=row.person.display_name,
                email=row.person.email,
                organization=row.person.organization.name
                if row.person.organization
                else "",
                training=cell.title,
                kind=cell.kind,
                cycle=cell.row.cycle,
                due_on=cell.row.due_on,
                standing=str(cell.standing.label),
                completed=timezone.localtime(cell.row.completed_at).date()
                if cell.row.completed_at
                else None,
                exempt_until=cell.row.exempt_until,
            )


@login_required
def team(request):
    if not has_team(request.user):
        raise PermissionDenied
    form = TeamFilterForm(request.GET or None, viewer=request.user)
    people = _people(request, form)
    export = request.GET.get("export")
    if export in TeamExport.FORMATS:
        matrix = team_matrix(list(people))
        return TeamExport().as_spreadsheet(list(_export_rows(matrix)), export)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    matrix = team_matrix(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/team.html",
        {
            "form": form if form.is_bound else TeamFilterForm(viewer=request.user),
            "matrix": matrix,
            "page": page,
            "query": query.urlencode(),
        },
    )
