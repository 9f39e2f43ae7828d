"""The admin's xAPI screens: learning record stores (a Wagtail model viewset)
and the statement log, with resend."""

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
from webhooks.api import retry

from . import sending
from .forms import RecordStoreForm
from .models import RecordStore, Statement


class RecordStoreViewSet(ModelViewSet):
    model = RecordStore
    icon = "table"
    menu_label = gettext_lazy("Learning record stores")
    add_to_settings_menu = True
    menu_order = 730
    form_fields = ["name", "endpoint", "username", "password", "organization", "active"]
    list_display = ["name", "endpoint", "organization", "active"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return RecordStoreForm


def statement_log(request):
    if not is_training_admin(request.user):
        raise PermissionDenied
    rows = Statement.objects.select_related("store", "person")
    return TemplateResponse(
        request, "xapi/statements.html", retry.log_page(request, rows)
    )


@require_POST
def resend(request, statement_pk: int):
    if not is_training_admin(request.user):
        raise PermissionDenied
    row = get_object_or_404(Statement, pk=statement_pk)
    sending.resend(row)
    messages.success(
        request,
        _("Sent again (same statement id, %(id)s).") % {"id": row.statement_id},
    )
    return redirect("xapi_statements")
