"""A person's notifications and their e-mail choices. Everything is the signed-in
person's own: another person's notification id is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import HELP, EmailChoicesForm
from .models import Notification

PAGE_SIZE = 20


@login_required
def notification_list(request):
    page = Paginator(
        Notification.objects.filter(user=request.user), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@login_required
def mark_read(request, notification_id: int):
    notification = Notification.objects.filter(
        user=request.user, pk=notification_id
    ).first()
    if notification is None:
        raise Http404(_("No such notification."))
    services.mark_read(request.user, notification.pk)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
@login_required
def mark_all_read(request):
    changed = services.mark_read(request.user)
    if changed:
        messages.success(request, _("All notifications marked as read."))
    return redirect("notifications:list")


@login_required
def email_settings(request):
    choices = services.email_choices(request.user)
    form = EmailChoicesForm(
        request.POST if request.method == "POST" else None, choices=choices
    )
    if request.method == "POST" and form.is_valid():
        services.set_email_choices(request.user, form.enabled())
        messages.success(request, _("Your e-mail choices are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form, "help": HELP})
