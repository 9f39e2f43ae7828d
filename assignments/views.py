"""The team view's actions: assign, move a due date, exempt, remind now.

Each is a POST with CSRF; the person must be one of the actor's people (else 404,
never a hint that the id exists). The team page itself is in reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import services
from .forms import AssignForm, ExemptForm, ExtendForm
from .models import PersonAssignment
from .permissions import has_team, team_of

BACK = "team:index"


def _team_member_row(request, row_id: int) -> PersonAssignment:
    try:
        return services.team_row(request.user, row_id)
    except PermissionDenied:
        raise Http404(_("No such assigned training among your people.")) from None


def _require_team(request) -> None:
    if not has_team(request.user):
        raise PermissionDenied


@login_required
def assign(request):
    _require_team(request)
    data = request.POST if request.method == "POST" else None
    initial = {"people": request.GET.getlist("people")} if data is None else None
    form = AssignForm(data, initial=initial, actor=request.user)
    if data is not None and form.is_valid():
        try:
            assignment, refusals = services.create_assignment(
                actor=request.user,
                item=form.cleaned_data["item"],
                audience=form.cleaned_data["audience"],
                people=form.cleaned_data["people"],
                **form.assignment_fields(),
            )
        except PermissionDenied:
            form.add_error(None, _("You can assign training only to your own people."))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            reached = assignment.rows.count()
            messages.success(
                request,
                ngettext(
                    "%(title)s assigned to %(count)d person.",
                    "%(title)s assigned to %(count)d people.",
                    reached,
                )
                % {"title": assignment.item.title, "count": reached},
            )
            for refusal in refusals:
                messages.warning(request, refusal)
            return redirect(BACK)
    chosen = (
        team_of(request.user).filter(pk__in=form["people"].value() or [])
        if "people" in form.fields
        else []
    )
    return render(
        request, "assignments/assign.html", {"form": form, "chosen": list(chosen)}
    )


def _row_action(request, row_id, form_class, template, apply):
    _require_team(request)
    row = _team_member_row(request, row_id)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = apply(row, form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(BACK)
    return render(request, template, {"form": form, "row": row})


@login_required
def extend(request, row_id: int):
    def apply(row, data):
        services.extend(
            actor=request.user,
            row_id=row.pk,
            due_on=data["due_on"],
            reason=data["reason"],
        )
        return _("New due date for %(name)s: %(date)s.") % {
            "name": row.person.display_name,
            "date": data["due_on"],
        }

    return _row_action(request, row_id, ExtendForm, "assignments/extend.html", apply)


@login_required
def exempt(request, row_id: int):
    def apply(row, data):
        services.exempt(
            actor=request.user,
            row_id=row.pk,
            reason=data["reason"],
            until=data["until"],
        )
        return _("%(name)s is exempt until %(date)s.") % {
            "name": row.person.display_name,
            "date": data["until"],
        }

    return _row_action(request, row_id, ExemptForm, "assignments/exempt.html", apply)


@require_POST
@login_required
def remind(request, row_id: int):
    _require_team(request)
    row = _team_member_row(request, row_id)
    try:
        services.remind_now(actor=request.user, row_id=row.pk)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Reminder sent to %(name)s.") % {"name": row.person.display_name}
        )
    return redirect(BACK)
