from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.api import ON_DASHBOARD, ON_EVERY_PAGE, register_read_ahead

        from . import learner_rows, path_progress
        from .content_version import VERSION_KEY

        learner_rows.connect()
        # Every part of a learner's page is kept under the content version; the
        # dashboard shows their progress on the live paths.
        register_read_ahead(
            on=(ON_EVERY_PAGE,), numbers=lambda person_id: [VERSION_KEY]
        )
        register_read_ahead(on=(ON_DASHBOARD,), entries=path_progress.read_ahead_keys)
