"""A holder's certificates are kept per holder: a second visit to the dashboard
reads no certificate, and whatever changes one of them (issued, renewed,
revoked, erased, written in bulk, the level's page published) shows on the very
next page. Each visit works out the status on its own day.

These tests commit (a transaction that changed a holder's certificates keeps
nothing it reads of them, so a test inside one transaction would never keep)."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts import roles
from certificates import services
from certificates.models import Certificate, CertificateStatus
from certificates.selectors import holder_certificates
from tests.factories import make_certificate, make_exam, make_level, site_tree

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TODAY = date.today()


def _certificate_reads(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    return [q["sql"] for q in queries if 'FROM "certificates_certificate"' in q["sql"]]


def _statuses(holder, today=None) -> dict[str, str]:
    return {
        row.certificate.serial: row.status
        for row in holder_certificates(user=holder, today=today)
    }


@pytest.fixture
def level():
    site_tree()
    return make_level(exams=[make_exam(count=2)], code="assoc", title="Associate")


def test_a_second_visit_reads_no_certificate(client, learner, level):
    make_certificate(learner, level, expires_on=TODAY + timedelta(days=400))
    client.force_login(learner)
    assert _certificate_reads(client)  # nothing kept: read

    assert _certificate_reads(client) == []
    assert "Associate" in client.get("/dashboard/").content.decode()


def test_a_certificate_issued_shows_at_once(client, learner, level):
    client.force_login(learner)
    assert "No certificates yet" in client.get("/dashboard/").content.decode()

    issued = make_certificate(learner, level, expires_on=TODAY + timedelta(days=400))

    page = client.get("/dashboard/").content.decode()
    assert issued.serial in page and "No certificates yet" not in page


def test_a_renewal_shows_the_old_one_superseded_at_once(learner, level):
    old = make_certificate(learner, level, expires_on=TODAY + timedelta(days=20))
    assert _statuses(learner) == {old.serial: CertificateStatus.VALID}

    renewal = make_certificate(
        learner, level, expires_on=TODAY + timedelta(days=400), cycle=2, supersedes=old
    )

    assert _statuses(learner) == {
        old.serial: CertificateStatus.SUPERSEDED,
        renewal.serial: CertificateStatus.VALID,
    }


def test_a_revocation_shows_at_once(learner, level, user_factory):
    """Revoking is a bulk update (no signal): the queryset names the holder."""
    certificate = make_certificate(
        learner, level, expires_on=TODAY + timedelta(days=400)
    )
    assert _statuses(learner) == {certificate.serial: CertificateStatus.VALID}

    services.revoke_certificate(
        certificate=certificate,
        revoked_by=user_factory(roles=[roles.EXAMINERS]),
        reason="Exam misconduct",
    )

    assert _statuses(learner) == {certificate.serial: CertificateStatus.REVOKED}


def test_bulk_writes_name_their_holders(learner, user_factory, level):
    other = user_factory()
    mine = make_certificate(learner, level, expires_on=TODAY + timedelta(days=400))
    assert [r.certificate.holder_name for r in holder_certificates(user=learner)] == [
        learner.display_name
    ]
    assert holder_certificates(user=other) == []

    Certificate.objects.filter(holder=learner).update(holder_name="")
    Certificate.objects.bulk_create(
        [
            Certificate(
                serial="MWR-BULK-1",
                verification_code="bulk-code-1",
                holder=other,
                holder_name="Other",
                kind="certification",
                level=level,
                title="Associate",
                issued_on=TODAY,
            )
        ]
    )

    assert [r.certificate.holder_name for r in holder_certificates(user=learner)] == [
        ""
    ]
    assert [r.certificate.serial for r in holder_certificates(user=other)] == [
        "MWR-BULK-1"
    ]
    assert mine.serial != "MWR-BULK-1"


def test_the_levels_renewal_window_follows_its_page(learner, level):
    make_certificate(learner, level, expires_on=TODAY + timedelta(days=40))
    level.renewal_window_days = 30
    level.save_revision().publish()
    assert [r.renewal_open for r in holder_certificates(user=learner)] == [False]

    level.renewal_window_days = 60
    level.save_revision().publish()

    assert [r.renewal_open for r in holder_certificates(user=learner)] == [True]


def test_each_visit_works_out_the_status_on_its_own_day(learner, level):
    certificate = make_certificate(learner, level, expires_on=TODAY)
    assert _statuses(learner, TODAY) == {certificate.serial: CertificateStatus.VALID}

    # The next morning, with nothing changed: the kept rows, expired.
    assert _statuses(learner, TODAY + timedelta(days=1)) == {
        certificate.serial: CertificateStatus.EXPIRED
    }


def test_a_rolled_back_issue_is_never_kept(learner, level):
    assert holder_certificates(user=learner) == []

    with pytest.raises(RuntimeError), transaction.atomic():
        make_certificate(learner, level, expires_on=None)
        # This transaction sees its own certificate: it must not keep it.
        assert len(holder_certificates(user=learner)) == 1
        raise RuntimeError("rolled back")

    assert holder_certificates(user=learner) == []


def test_the_certificates_are_read_from_the_database_when_the_cache_is_down(
    learner, level, monkeypatch
):
    certificate = make_certificate(learner, level, expires_on=None)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", down)
    assert list(_statuses(learner)) == [certificate.serial]


def test_the_certificates_are_read_as_the_query_builder_reads_them(
    learner, level, user_factory
):
    """Field for field, newest first, superseded or not, each with its level
    page; a course certificate with none; nobody else's. One statement for the
    certificates and one for their levels."""
    from django.db.models import Exists, OuterRef

    from certificates.selectors import _read_held
    from tests.factories import make_course

    old = make_certificate(
        learner, level, expires_on=TODAY + timedelta(days=20), issued_on=TODAY
    )
    make_certificate(
        learner,
        level,
        expires_on=TODAY + timedelta(days=400),
        issued_on=TODAY,
        cycle=2,
        supersedes=old,
    )
    course = make_course(title="Gateway basics")
    Certificate.objects.create(
        serial="MWR-C-1",
        verification_code="course-code-1",
        holder=learner,
        holder_name=learner.display_name,
        kind="course",
        course=course,
        title=course.title,
        issued_on=TODAY - timedelta(days=3),
    )
    make_certificate(user_factory(), level, expires_on=TODAY + timedelta(days=9))

    with CaptureQueriesContext(connection) as queries:
        held = _read_held(learner.pk)

    assert len(queries) == 2
    expected = list(
        Certificate.objects.filter(holder=learner)
        .select_related("level")
        .annotate(
            superseded=Exists(Certificate.objects.filter(supersedes=OuterRef("pk")))
        )
        .order_by("-issued_on", "-pk")
    )
    assert [c.pk for c in held] == [c.pk for c in expected]
    fields = [field.attname for field in Certificate._meta.concrete_fields]
    for certificate, wanted in zip(held, expected, strict=True):
        for field in fields:
            assert getattr(certificate, field) == getattr(wanted, field), field
        assert certificate.is_superseded == wanted.superseded
        assert certificate.level == wanted.level
    assert [c.is_superseded for c in held] == [False, True, False]
    assert held[0].level.renewal_window_days == level.renewal_window_days
    assert held[2].level is None
    with CaptureQueriesContext(connection) as queries:
        [c.level for c in held]
    assert len(queries) == 0


def test_a_holder_of_nothing_is_read_in_one_statement(learner):
    from certificates.selectors import _read_held

    with CaptureQueriesContext(connection) as queries:
        assert _read_held(learner.pk) == []

    assert len(queries) == 1
