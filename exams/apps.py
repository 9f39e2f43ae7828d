from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from courses.api import register_outline_notes

        from . import live
        from .models import ExamPage
        from .outline import exam_notes

        register_outline_notes(ExamPage, exam_notes)

        post_save.connect(
            live.on_person_saved,
            sender=get_user_model(),
            dispatch_uid="exams.live.person_saved",
        )
