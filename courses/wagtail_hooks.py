from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from . import services
from .models import PrerequisiteExemption


class SaveThroughService:
    """Create and edit exemptions through the service, which records who granted."""

    def save_instance(self):
        data = self.form.cleaned_data
        return services.grant_exemption(
            user=data["user"],
            course=data["course"],
            granted_by=self.request.user,
            reason=data["reason"],
        )


class ExemptionCreateView(SaveThroughService, generic.CreateView):
    pass


class ExemptionEditView(SaveThroughService, generic.EditView):
    pass


class PrerequisiteExemptionViewSet(ModelViewSet):
    model = PrerequisiteExemption
    form_fields = ["user", "course", "reason"]
    icon = "unlock"
    menu_label = _("Exemptions")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["user", "course", "reason", "granted_by", "granted_at"]
    list_filter = ["course"]
    search_fields = ["user__email", "user__last_name", "reason"]
    copy_view_enabled = False
    add_view_class = ExemptionCreateView
    edit_view_class = ExemptionEditView


@hooks.register("register_admin_viewset")
def register_exemptions():
    return PrerequisiteExemptionViewSet("prerequisite_exemptions")
