import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .admin_policies import TrainingAdminPolicy, ViewOnlyPolicy
from .models import AuditEvent, Organization


class AuditEventFilterSet(WagtailFilterSet):
    """Filter by person and by record. People are named by e-mail address, not
    chosen from a list: a list of every account would not scale, and would put
    names on the page that blind grading keeps off it."""

    actor = django_filters.CharFilter(
        field_name="actor__email", lookup_expr="iexact", label=_("Who (e-mail)")
    )
    subject = django_filters.CharFilter(
        field_name="subject__email",
        lookup_expr="iexact",
        label=_("About whom (e-mail)"),
    )
    target_id = django_filters.CharFilter(label=_("Record id"))

    class Meta:
        model = AuditEvent
        fields = ["action", "target_type", "target_id"]


class AuditLogViewSet(ModelViewSet):
    """Who changed what, read-only: events are written by the services."""

    model = AuditEvent
    icon = "history"
    menu_label = _("Audit log")
    add_to_admin_menu = True
    menu_order = 900
    form_fields = ["reason"]
    list_display = ["created_at", "actor", "subject", "action", "target_label"]
    filterset_class = AuditEventFilterSet
    search_fields = [
        "target_label",
        "actor__email",
        "actor__last_name",
        "subject__email",
        "subject__last_name",
        "action",
    ]
    inspect_view_enabled = True
    inspect_view_fields = [
        "created_at",
        "actor",
        "subject",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "before",
        "after",
        "reason",
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return AuditEvent.objects.select_related("actor", "subject", "target_type")


register_permission_policy(AuditEvent, ViewOnlyPolicy(AuditEvent))


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditLogViewSet("audit-log")


class OrganizationViewSet(ModelViewSet):
    """Customer organisations: name, and whether their people sign in through SSO."""

    model = Organization
    icon = "group"
    menu_label = _("Organisations")
    add_to_admin_menu = True
    menu_order = 880
    form_fields = ["name", "slug", "sso_only", "email_domains"]
    list_display = ["name", "sso_only", "email_domains"]
    search_fields = ["name", "email_domains"]
    copy_view_enabled = False


register_permission_policy(Organization, TrainingAdminPolicy(Organization))


@hooks.register("register_admin_viewset")
def register_organizations():
    return OrganizationViewSet("organizations")


@hooks.register("register_admin_viewset")
def register_person_chooser():
    from .choosers import person_chooser

    return person_chooser
