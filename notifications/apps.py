from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.api import ON_EVERY_PAGE, register_read_ahead

        from . import receivers, services

        receivers.connect()
        register_read_ahead(on=(ON_EVERY_PAGE,), entries=services.read_ahead_keys)
