"""The learner dashboard: composes each app's selectors into one page."""

from accounts.permissions import is_internal_staff
from assignments.api import assigned_to, has_team
from certificates import selectors as certificate_selectors
from courses.api import learner_dashboard
from reports import selectors as report_selectors
from reports.permissions import administered_organization


def dashboard_context(*, user) -> dict:
    courses = learner_dashboard(user=user)
    certificates = certificate_selectors.holder_certificates(user=user)
    return {
        "assigned": assigned_to(user),
        "has_team": has_team(user),
        "courses": courses,
        "certificates": certificates,
        "external_certifications": certificate_selectors.external_certifications(
            user=user
        )
        if is_internal_staff(user)
        else None,
        # From the rows read above: the same figures without a query of their own.
        "figures": report_selectors.learner_figures(
            user=user, enrollments=courses["enrollments"], certificates=certificates
        ),
        "administered_organization": administered_organization(user),
    }
