"""A person downloads their own data; a training admin erases a person's (in the
admin, after typing their e-mail address)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.api import User, is_training_admin

from . import services
from .personal_data import erase_person, export_person


@login_required
def my_data(request):
    if request.method == "POST":
        response = HttpResponse(
            export_person(request.user), content_type="application/zip"
        )
        name = f"my-academy-data-{timezone.localdate():%Y-%m-%d}.zip"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "people/my_data.html")


class EraseForm(forms.Form):
    confirmation = forms.CharField(
        label=gettext_lazy("Type the person's e-mail address to confirm"),
        max_length=254,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


def erase(request, user_id: int):
    if not is_training_admin(request.user):
        raise PermissionDenied
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        raise Http404(_("No such active person."))
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erase_person(
                actor=request.user,
                person=person,
                confirmation=form.cleaned_data["confirmation"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The person's data was erased."))
            return redirect("wagtailadmin_home")
    return TemplateResponse(
        request, "people/erase.html", {"form": form, "person": person}
    )


class ActiveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


def set_active(request, user_id: int):
    """Deactivate an active person, or reactivate an inactive one (with a reason)."""
    if not is_training_admin(request.user):
        raise PermissionDenied
    person = (
        User.objects.filter(pk=user_id)
        .exclude(email__endswith="@erased.invalid")
        .first()
    )
    if person is None:
        raise Http404(_("No such person."))
    form = ActiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_active(
                actor=request.user,
                person=person,
                active=not person.is_active,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s can sign in again.") % {"name": person.display_name}
                if person.is_active
                else _("%(name)s is deactivated and signed out.")
                % {"name": person.display_name},
            )
            return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request, "people/set_active.html", {"form": form, "person": person}
    )
