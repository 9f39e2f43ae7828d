"""The public lookup and verification cannot be used to walk the register, and
their rate limits end, per real client, behind the proxy too."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from certificates.models import Certificate
from tests.factories import make_exam, make_level, pass_exam, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        yield


@pytest.fixture
def level(db):
    site_tree()
    return make_level(exams=[make_exam(count=4)], code="associate")


def certify(user_factory, level, **names) -> Certificate:
    holder = user_factory(**names)
    pass_exam(holder, level.required_exams.get().exam)
    return Certificate.objects.get(holder=holder)


def lookup(client, serial, surname, address="203.0.113.7", **headers):
    return client.post(
        "/verify/",
        {"serial": serial, "surname": surname},
        REMOTE_ADDR=address,
        **headers,
    )


def found(response, certificate) -> bool:
    return response.get("Location") == f"/verify/{certificate.verification_code}/"


def test_a_serial_and_part_of_a_name_find_nothing(client, user_factory, level):
    certificate = certify(user_factory, level, first_name="Zoë", last_name="Müller")
    for partial in ("M", "r", "ller", "üller", "Zoë", "Zoë Mülle"):
        response = lookup(
            client, certificate.serial, partial, address=f"10.0.0.{len(partial)}"
        )
        assert not found(response, certificate), partial
        cache.clear()  # the per-serial limit is tested on its own below
    for exact in ("Müller", "muller", "MÜLLER", " müller ", "Zoe Muller"):
        assert found(lookup(client, certificate.serial, exact), certificate), exact
        cache.clear()


def test_serials_are_random_not_counting(user_factory, level):
    serials = [certify(user_factory, level).serial for _ in range(3)]
    for serial in serials:
        assert re.fullmatch(r"MWR-ASSO-\d{4}-[2-9A-HJKMNP-Z]{8}", serial), serial
    tails = sorted(serial.rsplit("-", 1)[1] for serial in serials)
    assert tails != ["00000001", "00000002", "00000003"] and len(set(tails)) == 3


def test_guesses_at_one_serial_are_limited_from_any_number_of_addresses(
    client, user_factory, level
):
    certificate = certify(user_factory, level, last_name="Okafor")
    statuses = [
        lookup(
            client, certificate.serial, f"Guess{n}", address=f"198.51.100.{n}"
        ).status_code
        for n in range(6)
    ]
    assert statuses == [404] * 5 + [429]
    # Other serials are not held up by it.
    other = certify(user_factory, level, last_name="Adeyemi")
    assert found(
        lookup(client, other.serial, "Adeyemi", address="198.51.100.99"), other
    )


def test_the_verification_limit_ends_even_while_requests_keep_coming(
    client, user_factory, level
):
    certificate = certify(user_factory, level)
    url = f"/verify/{certificate.verification_code}/"
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert [client.get(url).status_code for _ in range(60)] == [200] * 60
        assert client.get(url).status_code == 429
        # The client keeps asking every five seconds while it is held up...
        for _ in range(11):
            clock.shift(timedelta(seconds=5))
            assert client.get(url).status_code == 429
        # ...and once its first requests are a minute old it is let in again.
        clock.shift(timedelta(seconds=6))
        assert client.get(url).status_code == 200


def test_clients_behind_the_trusted_proxy_get_their_own_limits(
    client, user_factory, level, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    certificate = certify(user_factory, level)
    url = f"/verify/{certificate.verification_code}/"
    proxy = "10.0.0.1"

    def ask(forwarded_for):
        return client.get(
            url, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    assert [ask("192.0.2.10") for _ in range(60)] == [200] * 60
    assert ask("192.0.2.10") == 429
    # Another person behind the same proxy is not locked out by the first.
    assert ask("192.0.2.20") == 200


def test_a_forged_forwarded_for_header_is_ignored_without_a_trusted_proxy(
    client, user_factory, level, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    certificate = certify(user_factory, level)
    url = f"/verify/{certificate.verification_code}/"
    statuses = [
        client.get(
            url, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(61)
    ]
    assert statuses[-1] == 429
