"""One person's rows kept per person (``accounts.api.KeptPerPerson``): how many
people a change names decides what it forgets, and a queryset's bulk writes
name everyone they touched, the person a row is given to as well."""

from datetime import date

import pytest

from accounts.kept_per_person import MANY, KeptPerPerson
from certificates.held import HELD
from certificates.models import Certificate
from tests.factories import make_certificate, make_exam, make_level, site_tree

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _reads(kept: KeptPerPerson, person_id: int, reads: list) -> None:
    kept.kept(person_id, lambda: reads.append(person_id) or [person_id])


def test_a_few_people_are_forgotten_each_and_many_at_once(db):
    rows = KeptPerPerson("tests:rows", everyone="tests:rows:everyone")
    reads = []
    for person_id in (1, 2):
        _reads(rows, person_id, reads)
    assert reads == [1, 2]

    rows.changed([1])
    for person_id in (1, 2):
        _reads(rows, person_id, reads)
    assert reads == [1, 2, 1]  # the other one's copy still counts

    rows.changed(range(100, 101 + MANY))  # many: everyone's number, one write
    for person_id in (1, 2):
        _reads(rows, person_id, reads)
    assert reads == [1, 2, 1, 1, 2]


def test_rows_with_no_number_for_everyone_forget_each_person(db):
    rows = KeptPerPerson("tests:own")
    reads = []
    _reads(rows, 1, reads)
    rows.changed(range(1, 2 + MANY))
    _reads(rows, 1, reads)
    assert reads == [1, 1]
    with pytest.raises(ValueError, match="name the people"):
        rows.changed()


@pytest.fixture
def level():
    site_tree()
    return make_level(exams=[make_exam(count=2)], code="assoc", title="Associate")


def test_a_row_given_to_someone_else_changes_their_rows_too(user_factory, level):
    first, second = user_factory(), user_factory()
    certificate = make_certificate(first, level, expires_on=date(2030, 1, 1))
    assert HELD.kept(second.pk, lambda: ["nothing"]) == ["nothing"]

    Certificate.objects.filter(pk=certificate.pk).update(holder=second)

    assert HELD.kept(second.pk, lambda: ["read anew"]) == ["read anew"]
    assert HELD.kept(first.pk, lambda: ["read anew"]) == ["read anew"]


def test_a_locking_queryset_updates_outside_a_transaction(user_factory, level):
    """The people touched are read without the lock: Django refuses a locking
    read outside a transaction, and a plain update needs none."""
    holder = user_factory()
    make_certificate(holder, level, expires_on=date(2030, 1, 1))
    assert (
        Certificate.objects.select_for_update()
        .filter(holder=holder)
        .update(holder_name="Renamed")
        == 1
    )
    assert HELD.kept(holder.pk, lambda: ["read anew"]) == ["read anew"]
