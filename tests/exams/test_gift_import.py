"""GIFT import: the all-or-nothing service, the command and the admin upload."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from accounts import roles
from exams.gift_import import GiftImportError, import_gift
from exams.models import QuestionBank
from tests.exams.gift_support import (
    BROKEN_SECOND,
    GOOD,
    SAMPLE,
    UPLOAD_URL,
    bank_state,
    grade,
)
from tests.factories import make_bank

# --- the service --------------------------------------------------------------------


@pytest.mark.django_db
def test_import_appends_questions_keeps_the_old_ones_and_publishes():
    bank = make_bank(questions=2)
    revisions = bank.revisions.count()
    report = import_gift(bank=bank, text=GOOD, default_topic="priorities")
    assert report.added == ["p1-response", "firewall-ports"]
    assert report.counts == {"single": 1, "multiple": 1}
    bank.refresh_from_db()
    assert bank.live and bank.revisions.count() == revisions + 1
    assert bank.live_revision_id == bank.latest_revision_id
    keys = list(bank.questions.order_by("sort_order").values_list("key", flat=True))
    assert keys == ["q0", "q1", "p1-response", "firewall-ports"]
    ports = bank.questions.get(key="firewall-ports")
    assert ports.topic == "priorities"
    assert grade(ports, {"choices": ["a", "b"]}) == 1
    assert grade(ports, {"choices": ["a"]}) == Decimal("0.5")


@pytest.mark.django_db
def test_one_bad_question_leaves_the_bank_untouched():
    bank = make_bank(questions=2)
    before = bank_state(bank)
    with pytest.raises(GiftImportError) as caught:
        import_gift(bank=bank, text=BROKEN_SECOND)
    assert [e.line for e in caught.value.errors] == [4]
    assert bank_state(bank) == before


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing():
    bank = make_bank(questions=1)
    import_gift(bank=bank, text="::P1 response::A? {T}")
    before = bank_state(bank)
    report = import_gift(bank=bank, text=GOOD, dry_run=True)
    assert report.dry_run
    assert report.added == ["firewall-ports"]
    assert report.updated == ["p1-response"]
    assert bank_state(bank) == before


@pytest.mark.django_db
def test_reimporting_updates_by_key_instead_of_duplicating():
    bank = make_bank(questions=0)
    import_gift(bank=bank, text="::Timeout code::Code? {=QT-001}")
    question = bank.questions.get(key="timeout-code")
    question.points = Decimal(3)
    question.difficulty = "hard"
    question.save()

    report = import_gift(bank=bank, text="::Timeout code::Which code? {=QT-001 =QT001}")
    assert report.updated == ["timeout-code"] and report.added == []
    question = QuestionBank.objects.get(pk=bank.pk).questions.get()
    assert question.pk is not None and question.stem == "<p>Which code?</p>"
    assert grade(question, {"text": "qt001"}) == 3
    assert (question.difficulty, question.points) == ("hard", Decimal(3))


@pytest.mark.django_db
def test_an_unpublished_draft_of_the_bank_is_kept():
    bank = make_bank(questions=1)
    draft = bank.get_latest_revision_as_object()
    draft.title = "Renamed in a draft"
    draft.save_revision()
    import_gift(bank=bank, text="New? {T}")
    bank.refresh_from_db()
    assert bank.title == "Renamed in a draft"
    assert bank.questions.count() == 2


@pytest.mark.django_db
def test_imported_numeric_range_accepts_the_whole_range():
    bank = make_bank(questions=0)
    import_gift(bank=bank, text="P1 response in minutes? {#0..15}")
    question = bank.questions.get()
    assert grade(question, {"value": "0"}) == 1
    assert grade(question, {"value": "15"}) == 1
    assert grade(question, {"value": "16"}) == 0


@pytest.mark.django_db
def test_a_new_unsaved_bank_is_created_only_by_a_real_import():
    report = import_gift(
        bank=QuestionBank(key="gift-new", title="New"), text=GOOD, dry_run=True
    )
    assert report.added == ["p1-response", "firewall-ports"]
    assert not QuestionBank.objects.filter(key="gift-new").exists()
    import_gift(bank=QuestionBank(key="gift-new", title="New"), text=GOOD)
    bank = QuestionBank.objects.get(key="gift-new")
    assert bank.live and bank.questions.count() == 2


# --- the command --------------------------------------------------------------------


def write(tmp_path, content, name="questions.gift"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_command_imports_the_sample_and_prints_counts(capsys):
    bank = make_bank(questions=0)
    call_command("import_gift", bank.key, str(SAMPLE))
    out = capsys.readouterr().out
    assert "8 question(s) added, 0 updated" in out
    assert "single choice: 3" in out
    assert bank.questions.count() == 8
    assert set(bank.questions.values_list("topic", flat=True)) == {
        "priorities",
        "connectivity",
        "error-codes",
    }


@pytest.mark.django_db
def test_command_dry_run_writes_nothing(tmp_path, capsys):
    bank = make_bank(questions=1)
    before = bank_state(bank)
    call_command("import_gift", bank.key, write(tmp_path, GOOD), "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run, nothing written" in out and "would add p1-response" in out
    assert bank_state(bank) == before


@pytest.mark.django_db
def test_command_prints_file_and_line_for_each_error_and_writes_nothing(
    tmp_path, capsys
):
    bank = make_bank(questions=1)
    before = bank_state(bank)
    path = write(tmp_path, BROKEN_SECOND)
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_gift", bank.key, path)
    assert f"{path}:4: no correct answer" in capsys.readouterr().err
    assert bank_state(bank) == before


@pytest.mark.django_db
def test_command_refuses_an_unknown_bank_unless_told_to_create_it(tmp_path):
    path = write(tmp_path, GOOD)
    with pytest.raises(CommandError, match="No question bank has the key"):
        call_command("import_gift", "support-basics", path)
    assert not QuestionBank.objects.filter(key="support-basics").exists()
    call_command(
        "import_gift", "support-basics", path, "--create", "--title", "Support basics"
    )
    bank = QuestionBank.objects.get(key="support-basics")
    assert bank.title == "Support basics" and bank.questions.count() == 2


@pytest.mark.django_db
def test_command_creates_no_bank_when_the_file_is_bad(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_gift", "fresh", write(tmp_path, BROKEN_SECOND), "--create")
    assert not QuestionBank.objects.filter(key="fresh").exists()


@pytest.mark.django_db
def test_command_explains_unreadable_and_non_utf8_files(tmp_path):
    bank = make_bank(questions=0)
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_gift", bank.key, str(tmp_path / "missing.gift"))
    latin1 = write(tmp_path, "First? {T}\n\nCaf\xe9? {T}\n".encode("latin-1"))
    with pytest.raises(CommandError, match=r":3: the file is not UTF-8"):
        call_command("import_gift", bank.key, latin1)
    assert bank.questions.count() == 0


# --- the admin upload ---------------------------------------------------------------


def upload(content: bytes, name="questions.gift"):
    return SimpleUploadedFile(name, content, content_type="text/plain")


@pytest.fixture
def training_admin(client, user_factory):
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    return client


@pytest.mark.django_db
def test_admin_dry_run_shows_the_report_and_writes_nothing(training_admin):
    bank = make_bank(questions=1)
    before = bank_state(bank)
    response = training_admin.post(
        UPLOAD_URL,
        {"bank": bank.pk, "gift_file": upload(GOOD.encode()), "dry_run": "on"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dry run" in content and "firewall-ports" in content
    assert "multiple response: 1" in content
    assert bank_state(bank) == before


@pytest.mark.django_db
def test_admin_import_adds_the_questions_and_says_so(training_admin):
    bank = make_bank(questions=1)
    response = training_admin.post(
        UPLOAD_URL, {"bank": bank.pk, "gift_file": upload(GOOD.encode())}
    )
    assert response.status_code == 200
    assert "2 question(s) added, 0 updated" in response.content.decode()
    assert bank.questions.count() == 3


@pytest.mark.django_db
def test_admin_lists_errors_with_line_numbers_and_imports_nothing(training_admin):
    bank = make_bank(questions=1)
    before = bank_state(bank)
    response = training_admin.post(
        UPLOAD_URL, {"bank": bank.pk, "gift_file": upload(BROKEN_SECOND.encode())}
    )
    content = response.content.decode()
    assert "Line 4: no correct answer" in content
    assert "nothing was imported" in content
    assert bank_state(bank) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"Q? {T}\n" + b"x" * (1024 * 1024), "big.gift", "the limit is 1 MB"),
        ("Caf\xe9? {T}".encode("latin-1"), "latin.gift", "not UTF-8"),
        (b"Q? {T}", "questions.xml", "Upload a .gift or .txt file"),
    ],
)
def test_admin_refuses_bad_uploads_with_a_clear_message(
    training_admin, content, name, words
):
    bank = make_bank(questions=1)
    before = bank_state(bank)
    response = training_admin.post(
        UPLOAD_URL, {"bank": bank.pk, "gift_file": upload(content, name)}
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert bank_state(bank) == before


@pytest.mark.django_db
def test_admin_menu_offers_the_upload_to_training_admins(training_admin):
    assert UPLOAD_URL in training_admin.get("/admin/").content.decode()
    assert training_admin.get(UPLOAD_URL).status_code == 200


@pytest.mark.django_db
def test_learners_and_examiners_cannot_upload(client, learner, user_factory):
    bank = make_bank(questions=1)
    before = bank_state(bank)
    data = {"bank": bank.pk, "gift_file": upload(GOOD.encode())}
    client.force_login(learner)
    response = client.post(UPLOAD_URL, data)
    assert response.status_code in (302, 403)
    examiner = user_factory(roles=[roles.EXAMINERS])
    client.force_login(examiner)
    assert UPLOAD_URL not in client.get("/admin/").content.decode()
    data["gift_file"] = upload(GOOD.encode())
    assert client.post(UPLOAD_URL, data).status_code == 403
    assert bank_state(bank) == before


@pytest.mark.django_db
def test_admin_upload_requires_the_csrf_token(user_factory):
    bank = make_bank(questions=1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    response = client.post(
        UPLOAD_URL, {"bank": bank.pk, "gift_file": upload(GOOD.encode())}
    )
    assert response.status_code == 403
    assert bank.questions.count() == 1
