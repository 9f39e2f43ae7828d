from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from accounts.api import (
    ViewOnlyPolicy,
    bounded_int,
    can_review_staff_work,
    can_revoke_certificates,
)

from . import services
from .models import (
    AttestationStatus,
    Certificate,
    ExperienceAttestation,
    ExternalCertification,
)

for _model in (Certificate, ExperienceAttestation, ExternalCertification):
    register_permission_policy(_model, ViewOnlyPolicy(_model))


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    add_to_admin_menu = True
    menu_order = 340
    form_fields = ["holder_name"]
    list_display = [
        "serial",
        "holder_name",
        "title",
        "issued_on",
        "expires_on",
        "revoked_at",
    ]
    list_filter = ["kind", "level", "issued_on"]
    search_fields = ["serial", "holder_name", "holder__email"]
    inspect_view_enabled = True
    copy_view_enabled = False


class AttestationViewSet(ModelViewSet):
    model = ExperienceAttestation
    icon = "user"
    menu_label = _("Experience to review")
    add_to_admin_menu = True
    menu_order = 341
    form_fields = ["months"]
    list_display = ["user", "level", "months", "status", "submitted_at"]
    list_filter = ["status", "level"]
    inspect_view_enabled = True
    copy_view_enabled = False


class ExternalViewSet(ModelViewSet):
    model = ExternalCertification
    icon = "doc-full-inverse"
    menu_label = _("External certifications")
    add_to_admin_menu = True
    menu_order = 342
    form_fields = ["name"]
    list_display = ["holder", "name", "issuer", "expires_on", "status"]
    list_filter = ["status", "category"]
    inspect_view_enabled = True
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_certificate_viewsets():
    return [
        CertificateViewSet("certificate_records"),
        AttestationViewSet("experience_attestations"),
        ExternalViewSet("external_certifications"),
    ]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


def revoke_view(request, pk):
    if not can_revoke_certificates(request.user):
        raise PermissionDenied
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.revoke_certificate(
            certificate=certificate,
            revoked_by=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Certificate %s revoked.") % certificate.serial)
        return redirect(reverse("review_queue"))
    return TemplateResponse(
        request,
        "certificates/admin/revoke.html",
        {"certificate": certificate, "form": form},
    )


def review_queue(request):
    """Pending experience attestations and external certifications, oldest first."""
    if not can_review_staff_work(request.user):
        raise PermissionDenied
    if request.method == "POST":
        kind, pk, decision = (
            request.POST.get("kind"),
            request.POST.get("pk", ""),
            request.POST.get("decision"),
        )
        model = {
            "experience": ExperienceAttestation,
            "external": ExternalCertification,
        }.get(kind)
        if (
            model is None
            or bounded_int(pk) is None
            or decision not in ("approve", "reject")
        ):
            messages.error(
                request, _("That request was not understood; nothing changed.")
            )
            return redirect(reverse("review_queue"))
        item = get_object_or_404(model, pk=pk, status=AttestationStatus.PENDING)
        try:
            if kind == "experience":
                services.review_experience(
                    attestation=item,
                    reviewer=request.user,
                    approve=decision == "approve",
                )
            else:
                services.review_external_certification(
                    external=item, reviewer=request.user, approve=decision == "approve"
                )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Decision recorded."))
        return redirect(reverse("review_queue"))
    return TemplateResponse(
        request,
        "certificates/admin/review_queue.html",
        {
            "attestations": ExperienceAttestation.objects.filter(status="pending")
            .select_related("user", "level")
            .order_by("submitted_at"),
            "externals": ExternalCertification.objects.filter(status="pending")
            .select_related("holder")
            .order_by("submitted_at"),
        },
    )


@hooks.register("register_admin_urls")
def register_certificate_urls():
    return [
        path("certification-reviews/", review_queue, name="review_queue"),
        path("certificates/<id:pk>/revoke/", revoke_view, name="revoke_certificate"),
    ]


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return MenuItem(
        _("Certification reviews"),
        reverse("review_queue"),
        icon_name="tick-inverse",
        order=343,
    )
