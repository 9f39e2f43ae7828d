"""The exam's rules for the learner's way through it, in one place: which pages
they may still open and answer (navigation), and when the review opens (review
timing). Who may grade whom is ``exams.conflicts``. The views, selectors and
services ask here; none of them compares a policy's value itself.
"""

from __future__ import annotations

from django.utils import timezone

from .models import Navigation, ReviewTiming


def is_sequential(exam) -> bool:
    """Pages are answered in order, with no going back."""
    return exam.navigation == Navigation.SEQUENTIAL


def page_to_show(attempt, page: int) -> int:
    """The page a learner asking for ``page`` is shown: never one they have left
    behind in a sequential exam."""
    if attempt.sequential and page < attempt.furthest_page:
        return attempt.furthest_page
    return page


def page_is_closed(attempt, page: int) -> bool:
    """A page the learner has left behind in a sequential exam takes no answers."""
    return attempt.sequential and page < attempt.furthest_page


def review_timing_allows(exam, now=None) -> bool:
    """Whether results may be shown yet: at once, or once the exam window closes."""
    if exam.review_after == ReviewTiming.CLOSE and exam.closes_at:
        return (now or timezone.now()) >= exam.closes_at
    return True
