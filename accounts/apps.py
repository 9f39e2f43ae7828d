from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.urls import register_converter

        from . import kept_roles
        from .bounds import BoundedIdConverter

        kept_roles.connect()

        # Every app's routes take ids as <id:...>, bounded to what a column holds.
        register_converter(BoundedIdConverter, "id")
