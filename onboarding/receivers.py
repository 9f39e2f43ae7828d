"""How onboarding hears of exams: each receiver calls one service."""

from exams.api import register_conflict_source
from exams.signals import pass_recorded

from . import selectors, services


def on_pass_recorded(sender, attempt, user, exam, **kwargs):
    services.record_exam_passed(user=user, exam_page_id=exam.pk)


def connect() -> None:
    pass_recorded.connect(on_pass_recorded, dispatch_uid="onboarding.pass_recorded")
    # A mentor never grades their own hire's practical work.
    register_conflict_source(selectors.mentees_of)
