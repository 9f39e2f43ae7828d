from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.api import TrainingAdminMenuItem, TrainingAdminPolicy

from . import views
from .models import RecordStore

register_permission_policy(RecordStore, TrainingAdminPolicy(RecordStore))


@hooks.register("register_admin_viewset")
def register_record_stores():
    return views.RecordStoreViewSet("xapi_stores")


@hooks.register("register_admin_urls")
def register_statement_urls():
    return [
        path("xapi-statements/", views.statement_log, name="xapi_statements"),
        path(
            "xapi-statements/<id:statement_pk>/resend/",
            views.resend,
            name="xapi_resend",
        ),
    ]


@hooks.register("register_settings_menu_item")
def register_statement_log():
    return TrainingAdminMenuItem(
        _("xAPI statements"),
        reverse("xapi_statements"),
        icon_name="list-ul",
        order=731,
    )
