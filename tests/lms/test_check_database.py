"""``make run`` on a database from before the migrations were regenerated stops
with a message that says what to do, instead of failing half-way through."""

import pytest
from django.core.management import CommandError, call_command
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db


def test_a_current_database_passes(capsys):
    call_command("check_database")
    assert "matches" in capsys.readouterr().out


def test_a_database_from_the_earlier_layout_is_refused_with_advice():
    MigrationRecorder.Migration.objects.create(app="courses", name="0003_classes")
    with pytest.raises(CommandError, match=r"remove the var/ directory") as refused:
        call_command("check_database")
    assert "courses.0003_classes" in str(refused.value)
