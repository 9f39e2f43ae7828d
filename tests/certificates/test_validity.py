"""One rule for "valid certificate": the certificate's own status, the queryset,
the dashboard's figure, the certification report, prerequisites and reminders
all agree on certificates in every state."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus, certificate_states
from certificates.selectors import held_level_codes, holder_certificates
from reports.selectors import Scope, certification_rows, learner_figures
from tests.factories import make_exam, make_level, site_tree

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


def certificate(holder, level, *, expires_on, cycle=1, **extra):
    return Certificate.objects.create(
        cycle=cycle,
        serial=f"MWR-V-{holder.pk}-{cycle}-{level.pk}",
        holder=holder,
        holder_name=holder.display_name,
        kind="certification",
        level=level,
        title=level.title,
        issued_on=TODAY - timedelta(days=400),
        expires_on=expires_on,
        **extra,
    )


@pytest.fixture
def every_state(user_factory):
    site_tree()
    exam = make_exam(count=2)
    levels = [
        make_level(exams=[exam], code=f"level-{n}", title=f"Level {n}")
        for n in range(6)
    ]
    holder = user_factory()
    made = {
        "valid": certificate(holder, levels[0], expires_on=TODAY + timedelta(days=400)),
        "no expiry": certificate(holder, levels[1], expires_on=None),
        "expiring": certificate(
            holder, levels[2], expires_on=TODAY + timedelta(days=5)
        ),
        "expires today": certificate(holder, levels[3], expires_on=TODAY),
        "expired": certificate(holder, levels[4], expires_on=TODAY - timedelta(days=1)),
        "revoked": certificate(
            holder,
            levels[5],
            expires_on=TODAY + timedelta(days=400),
            revoked_at=timezone.now(),
        ),
    }
    old = certificate(holder, levels[0], expires_on=TODAY + timedelta(days=30), cycle=2)
    made["superseded"] = old
    renewal = Certificate.objects.get(pk=made["valid"].pk)
    Certificate.objects.filter(pk=renewal.pk).update(supersedes=old)
    return holder, made


def test_each_certificate_is_in_exactly_the_state_its_status_says(every_state):
    _holder, made = every_state
    states = certificate_states(TODAY)
    exclusive = [
        CertificateStatus.VALID,
        CertificateStatus.EXPIRED,
        CertificateStatus.REVOKED,
        CertificateStatus.SUPERSEDED,
    ]
    for name, cert in made.items():
        cert.refresh_from_db()
        matching = [
            state
            for state in exclusive
            if Certificate.objects.filter(states[state], pk=cert.pk).exists()
        ]
        assert matching == [cert.status_on(TODAY)], name
    assert {c.status_on(TODAY) for c in made.values()} == set(exclusive)


def test_a_rows_expiring_is_the_querys_expiring(every_state):
    """The dashboard counts the rows it shows as expiring (``is_expiring``); the
    reports count them in SQL (``certificate_states``): the same certificates."""
    holder, made = every_state
    in_sql = set(
        Certificate.objects.filter(
            certificate_states(TODAY)["expiring"], holder=holder
        ).values_list("pk", flat=True)
    )
    rows = holder_certificates(user=holder, today=TODAY)
    in_rows = {row.certificate.pk for row in rows if row.expiring}
    assert in_rows == in_sql == {made["expiring"].pk, made["expires today"].pk}
    figures = learner_figures(user=holder, today=TODAY)
    assert figures["certificates_expiring"] == 2
    assert figures["next_expiry"] == TODAY


def test_the_dashboard_the_report_and_prerequisites_count_the_same_valid(
    every_state,
):
    holder, made = every_state
    valid = Certificate.objects.valid_on(TODAY).filter(holder=holder)
    expected = {"valid", "no expiry", "expiring", "expires today"}
    assert {c.pk for c in valid} == {made[name].pk for name in expected}
    assert learner_figures(user=holder, today=TODAY)["certificates_valid"] == 4
    rows = certification_rows(scope=Scope(), today=TODAY)
    assert sum(row.valid for row in rows) == 4
    assert sum(row.expired for row in rows) == 1
    assert sum(row.revoked for row in rows) == 1
    assert sum(row.superseded for row in rows) == 1
    # Prerequisites read today's date: shift the certificates' dates to match.
    shift = timezone.localdate() - TODAY
    for cert in Certificate.objects.filter(expires_on__isnull=False):
        Certificate.objects.filter(pk=cert.pk).update(
            expires_on=cert.expires_on + shift
        )
    assert held_level_codes(holder) == {made[name].level.code for name in expected}
