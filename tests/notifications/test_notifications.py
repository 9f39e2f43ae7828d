"""The notifications people missed: what each says and to whom, each scheduled one
once, the e-mail choices, the bell, and that nobody reads another's."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client

from classes import services as class_services
from notifications import notices, services
from notifications.kinds import CERTIFICATE_ISSUED
from notifications.models import Notification
from onboarding import services as onboarding_services
from tests.classes.fixtures import instructor, make_session  # noqa: F401
from tests.factories import make_exam, make_level, pass_exam, site_tree
from tests.onboarding.test_onboarding import START, activity, at, member, people  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_a_new_certificate_is_announced_with_its_pdf_and_verification_links(
    learner, settings, tmp_path
):
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    site_tree()
    level = make_level(exams=[make_exam(count=4)], code="associate", title="Associate")
    pass_exam(learner, level.required_exams.get().exam)

    assert titles(learner) == ["Your certificate: Associate"]
    [message] = [m for m in mail.outbox if m.to == [learner.email]]
    assert "/pdf/" in message.body and "/verify/" in message.body


def test_hand_ins_reach_the_mentor_and_reviews_reach_the_hire(
    member,  # noqa: F811
    people,  # noqa: F811
    committed,
    time_machine,
):
    time_machine.move_to(at(START))
    with committed():
        progress = onboarding_services.complete_activity(
            user=people["hire"], activity=activity(1, "practice"), note="Done in lab 2"
        )
    with committed():
        onboarding_services.sign_off(
            progress=progress,
            reviewer=people["mentor"],
            approve=False,
            comment="Add the ticket number",
        )

    [submitted] = titles(people["mentor"])
    assert people["hire"].display_name in submitted and "Practice week 1" in submitted
    assert titles(people["hire"]) == ["Sent back: “Practice week 1”"]
    to_hire = [m for m in mail.outbox if m.to == [people["hire"].email]]
    assert "Add the ticket number" in to_hire[0].body


def test_a_week_opening_is_announced_once_on_the_hires_day(
    member,  # noqa: F811
    people,  # noqa: F811
):
    # Week 2 opens on 30 November in the cohort's time zone (UTC here).
    assert notices.weeks_opening(now=at(START + timedelta(days=6), 23)) == 0
    runs = [notices.weeks_opening(now=at(START + timedelta(days=7), h)) for h in (0, 9)]

    assert runs == [1, 0]
    assert titles(people["hire"]) == ["Week 2 of your onboarding is open: Week 2"]


def test_a_class_tomorrow_is_announced_once_and_not_after_a_cancellation(
    user_factory,
    make_session,  # noqa: F811
):
    starts = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    session = make_session(starts_at=starts, capacity=5)
    berlin = user_factory(time_zone="Europe/Berlin")
    cancelled = user_factory()
    class_services.book_session(session=session, user=berlin)
    booking, _promoted = class_services.book_session(session=session, user=cancelled)
    class_services.cancel_booking(booking=booking, acting_user=cancelled)

    # 9 December 23:30 UTC is already the 10th in Berlin: "tomorrow" has passed.
    late = notices.classes_tomorrow(now=datetime(2026, 12, 9, 23, 30, tzinfo=UTC))
    day_before = [
        notices.classes_tomorrow(now=datetime(2026, 12, 9, h, 0, tzinfo=UTC))
        for h in (7, 8)
    ]

    assert late == 0 and day_before == [1, 0]
    assert titles(berlin) == ["Tomorrow at 10:00: Fundamentals live class"]
    assert titles(cancelled) == []


def test_an_e_mail_switched_off_still_leaves_the_notification(client, learner):
    client.force_login(learner)
    page = client.get("/notifications/settings/")
    assert "Training assigned to you" not in page.content.decode()  # always sent

    client.post("/notifications/settings/", {"onboarding_reviewed": "on"})
    services.notify(
        learner,
        CERTIFICATE_ISSUED,
        title="Your certificate: X",
        email={"subject": "s", "body_text": "b", "body_html": ""},
    )

    assert titles(learner) == ["Your certificate: X"]
    assert mail.outbox == []


def test_the_bell_counts_unread_and_marking_read_clears_it(client, learner):
    for n in range(3):
        services.notify(learner, CERTIFICATE_ISSUED, title=f"Note {n}")
    client.force_login(learner)

    assert (
        '3<span class="visually-hidden"> unread'
        in client.get("/dashboard/").content.decode()
    )
    first = Notification.objects.filter(user=learner).last()
    client.post(f"/notifications/{first.pk}/read/")
    page = client.get("/notifications/").content.decode()
    assert '2<span class="visually-hidden"> unread' in page
    client.post("/notifications/read/")
    assert (
        'visually-hidden"> unread' not in client.get("/notifications/").content.decode()
    )


def test_nobody_marks_or_reads_another_persons_notifications(learner, user_factory):
    theirs = services.notify(user_factory(), CERTIFICATE_ISSUED, title="Private")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)

    assert "Private" not in browser.get("/notifications/").content.decode()
    assert browser.get(f"/notifications/{theirs.pk}/read/").status_code == 405
    assert browser.post(f"/notifications/{theirs.pk}/read/").status_code == 403
    plain = Client()
    plain.force_login(learner)
    assert plain.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert plain.post("/notifications/99999999999999999999/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_never_redirects_off_site(client, learner):
    note = services.notify(learner, CERTIFICATE_ISSUED, title="Mine")
    client.force_login(learner)

    response = client.post(
        f"/notifications/{note.pk}/read/", {"next": "https://evil.example/"}
    )

    assert response.status_code == 302 and response["Location"] == "/notifications/"


def test_notifications_are_kept_for_ninety_days(learner):
    with time_machine.travel(datetime(2026, 9, 1, tzinfo=UTC)):
        services.notify(learner, CERTIFICATE_ISSUED, title="Old")
    with time_machine.travel(datetime(2026, 11, 1, tzinfo=UTC)):
        services.notify(learner, CERTIFICATE_ISSUED, title="Recent")

    purged = services.purge_old(now=datetime(2026, 12, 4, tzinfo=UTC))

    assert purged == 1 and titles(learner) == ["Recent"]


def test_the_list_is_paginated_and_says_when_it_is_empty(client, learner):
    client.force_login(learner)
    assert "Nothing yet" in client.get("/notifications/").content.decode()
    for n in range(25):
        services.notify(learner, CERTIFICATE_ISSUED, title=f"Note {n}")
    page = client.get("/notifications/").content.decode()
    assert "Page 1 of 2" in page and "Note 24" in page and "Note 0" not in page
    assert client.get("/notifications/?page=999").status_code == 200
    assert client.get("/notifications/?page=abc").status_code == 200
