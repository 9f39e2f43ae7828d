"""The admin's webhook screens: subscriptions (a Wagtail model viewset) and the
delivery log, with replay."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.api import is_training_admin

from . import delivery, retry
from .forms import SubscriptionForm
from .models import Delivery, Subscription


class SubscriptionViewSet(ModelViewSet):
    model = Subscription
    icon = "link-external"
    menu_label = gettext_lazy("Webhooks")
    add_to_settings_menu = True
    menu_order = 720
    form_fields = ["url", "description", "events", "organization", "active"]
    list_display = ["url", "description", "organization", "active"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return SubscriptionForm


def deliveries(request):
    if not is_training_admin(request.user):
        raise PermissionDenied
    rows = Delivery.objects.select_related("subscription")
    return TemplateResponse(
        request, "webhooks/deliveries.html", retry.log_page(request, rows)
    )


@require_POST
def replay(request, delivery_id: int):
    if not is_training_admin(request.user):
        raise PermissionDenied
    found = get_object_or_404(Delivery, pk=delivery_id)
    delivery.replay(found)
    messages.success(
        request, _("Sent again (same webhook-id, %(id)s).") % {"id": found.message_id}
    )
    return redirect("webhooks_deliveries")
