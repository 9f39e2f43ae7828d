from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import published, unpublished

        from courses.api import content_changed, register_outline_notes

        from . import exam_facts, live, pools
        from .models import (
            ExamPage,
            ExamRequiredCourse,
            ExamSection,
            Question,
            QuestionBank,
        )
        from .outline import exam_notes

        register_outline_notes(ExamPage, exam_notes)

        post_save.connect(
            live.on_person_saved,
            sender=get_user_model(),
            dispatch_uid="exams.live.person_saved",
        )
        published.connect(
            pools.on_bank_published,
            sender=QuestionBank,
            dispatch_uid="exams.pools.published",
        )
        # A start keeps its exam's sections with their banks' live revisions
        # (``exam_facts``).
        for name, signal in (("published", published), ("unpublished", unpublished)):
            signal.connect(
                exam_facts.blueprints_changed,
                sender=QuestionBank,
                dispatch_uid=f"exams.bank_{name}.blueprints",
            )
        unpublished.connect(
            pools.on_bank_unpublished,
            sender=QuestionBank,
            dispatch_uid="exams.pools.unpublished",
        )
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            # What a start keeps of its exam (``exam_facts``) names these courses.
            signal.connect(
                content_changed,
                sender=ExamRequiredCourse,
                dispatch_uid=f"exams.required_course_{name}",
            )
            signal.connect(
                exam_facts.blueprints_changed,
                sender=ExamSection,
                dispatch_uid=f"exams.section_{name}",
            )
            signal.connect(
                pools.on_question_changed,
                sender=Question,
                dispatch_uid=f"exams.pools.question_{name}",
            )
