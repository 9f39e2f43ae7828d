from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Assigned training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import kept_rows, kept_team, receivers

        receivers.connect()
        kept_rows.connect()
        kept_team.connect()
