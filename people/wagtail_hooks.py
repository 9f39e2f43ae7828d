from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.api import is_training_admin

from . import views


@hooks.register("register_admin_urls")
def register_people_urls():
    return [path("people/import/", views.import_people, name="people_import")]


class TrainingAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_training_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return TrainingAdminMenuItem(
        _("Import people"), reverse("people_import"), icon_name="group", order=345
    )
