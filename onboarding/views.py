from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.api import staff_action

from . import selectors as onboarding_selectors
from . import services as onboarding_services
from .models import ActivityProgress, OnboardingActivity


@login_required
@require_POST
def complete_activity(request, activity_id: int):
    activity = get_object_or_404(
        OnboardingActivity.objects.select_related("week"), pk=activity_id
    )
    program = activity.week.get_parent()
    try:
        progress = onboarding_services.complete_activity(
            user=request.user, activity=activity, note=request.POST.get("note", "")
        )
    except onboarding_services.OnboardingError as exc:
        messages.error(request, str(exc))
    else:
        if progress.status == "submitted":
            messages.success(
                request, f"“{activity.title}” is with your mentor for sign-off."
            )
        else:
            messages.success(
                request, _("“%(title)s” is done.") % {"title": activity.title}
            )
    return redirect(f"{program.url}#week-{activity.week.number}")


@staff_action
@login_required
@require_GET
def mentor_view(request):
    context = onboarding_selectors.mentor_overview(mentor=request.user)
    if not context["mentees"]:
        raise Http404
    return TemplateResponse(request, "onboarding/mentor.html", context)


@staff_action
@login_required
@require_POST
def sign_off(request, progress_id: int):
    progress = get_object_or_404(ActivityProgress, pk=progress_id)
    decision = request.POST.get("decision")
    if decision not in ("approve", "send_back"):
        messages.error(request, _("Choose approve or send back; nothing changed."))
        return redirect("onboarding:mentor")
    try:
        onboarding_services.sign_off(
            progress=progress,
            reviewer=request.user,
            approve=decision == "approve",
            comment=request.POST.get("comment", ""),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except onboarding_services.OnboardingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Signed off." if decision == "approve" else "Sent back with your comment.",
        )
    return redirect("onboarding:mentor")
