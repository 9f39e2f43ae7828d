"""The learner dashboard: composes each app's selectors into one page."""

from courses import selectors as course_selectors


def dashboard_context(*, user) -> dict:
    return {"courses": course_selectors.dashboard(user=user)}
