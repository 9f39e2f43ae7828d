"""GIFT import: the pure parser, the all-or-nothing service, the command, the admin."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from accounts import roles
from exams import grading
from exams.gift import parse_gift
from exams.gift_import import GiftImportError, import_gift
from exams.models import Question, QuestionBank
from tests.factories import make_bank

SAMPLE = Path(__file__).resolve().parents[2] / "content/gift/sample-support-basics.gift"
UPLOAD_URL = "/admin/exams/gift-import/"

GOOD = """\
::P1 response::How fast must support answer a P1?{=15 minutes ~1 hour ~4 hours}

::Firewall ports::Which ports must be open? {~%50%8443 ~%50%9443 ~%-100%25}
"""

BROKEN_SECOND = """\
::P1 response::How fast must support answer a P1?{=15 minutes ~1 hour}

::Ports::Which ports must be open? {
  ~8443
  ~25
}
"""


def only(text: str):
    result = parse_gift(text)
    assert result.errors == []
    assert len(result.questions) == 1
    return result.questions[0]


def grade(question, response) -> Decimal:
    """Points a learner gets for ``response`` to a stored question."""
    snapshot = grading.build_snapshot(
        qtype=question.qtype,
        answer=question.answer_data(),
        stem=question.stem,
        points=question.points,
    )
    return grading.grade_question(snapshot, response).points


def bank_state(bank):
    """Everything an import may change, to prove that nothing did."""
    bank = QuestionBank.objects.get(pk=bank.pk)
    questions = [
        (q.key, q.topic, q.stem, str(q.answer_data()))
        for q in Question.objects.filter(bank=bank).order_by("sort_order")
    ]
    return questions, bank.revisions.count(), bank.live_revision_id


# --- parser: one question type at a time ------------------------------------------


def test_single_choice_with_feedback_becomes_the_explanation():
    question = only(
        "::P1::How fast is a P1 answered?{\n"
        "  =15 minutes#Right, P1 is critical.\n"
        "  ~1 hour#That is P2.\n"
        "  ~4 hours\n"
        "  ####P1 gets the fastest response.\n"
        "}\n"
    )
    assert question.qtype == "single"
    assert question.answer == {
        "choices": [
            {"text": "15 minutes", "correct": True},
            {"text": "1 hour", "correct": False},
            {"text": "4 hours", "correct": False},
        ]
    }
    assert question.stem_html == "<p>How fast is a P1 answered?</p>"
    assert question.explanation_html.startswith("<p>P1 gets the fastest response.</p>")
    assert "<b>1 hour</b>: That is P2." in question.explanation_html
    assert "Right, P1 is critical." in question.explanation_html


def test_weighted_choices_become_multiple_response_with_partial_credit():
    question = only("Which ports? {~%50%8443 ~%50%9443 ~%-100%25}")
    assert question.qtype == "multiple"
    assert question.answer == {
        "choices": [
            {"text": "8443", "correct": True},
            {"text": "9443", "correct": True},
            {"text": "25", "correct": False},
        ],
        "scoring": "partial",
    }


def test_full_weights_on_several_choices_are_all_or_nothing():
    question = only("Which ports? {~%100%8443 ~%100%9443 ~25}")
    assert question.answer["scoring"] == "all_or_nothing"


def test_uneven_weights_are_imported_with_a_warning():
    result = parse_gift("Which? {~%70%a ~%30%b ~c}")
    assert result.questions[0].answer["scoring"] == "partial"
    assert "shared equally" in result.warnings[0].message


@pytest.mark.parametrize(
    ("written", "truth"),
    [("T", True), ("TRUE", True), ("F", False), ("FALSE", False), ("true", True)],
)
def test_true_false_spellings(written, truth):
    question = only(f"mwrasp-cli system status shows the status. {{{written}}}")
    assert question.qtype == "true_false"
    assert question.answer == {"answer": truth}


def test_true_false_feedback_says_which_answer_it_is_for():
    question = only("The CLI is safe. {T#Wrong, it is safe.#Right.}")
    assert "<b>If you answered False</b>: Wrong, it is safe." in (
        question.explanation_html
    )
    assert "<b>If you answered True</b>: Right." in question.explanation_html


def test_equals_only_answers_are_a_short_answer():
    question = only("Gateway timeout code? {=QT-001 =QT001}")
    assert question.qtype == "short_answer"
    assert question.answer == {"accepted": ["QT-001", "QT001"], "pattern": ""}


def test_partially_weighted_short_answers_are_left_out_with_a_warning():
    result = parse_gift("Code?\n{=QT-001\n=%50%QT}")
    assert result.questions[0].answer["accepted"] == ["QT-001"]
    assert result.warnings[0].line == 3


@pytest.mark.parametrize(
    ("braces", "answer", "tolerance"),
    [
        ("{#15}", "15", "0"),
        ("{#15:2}", "15", "2"),
        ("{#10..20}", "15", "5"),
        ("{#1.5..2}", "1.75", "0.25"),
        ("{#=60:0 =%50%60:10}", "60", "0"),
    ],
)
def test_numeric_answers(braces, answer, tolerance):
    question = only(f"P1 response in minutes? {braces}")
    assert question.qtype == "numeric"
    assert question.answer == {"answer": answer, "tolerance": tolerance}


def test_matching_pairs():
    question = only(
        "Match the codes.{\n  =QT-001 -> Gateway timeout\n  =NET-002 -> API rate limit\n}"
    )
    assert question.qtype == "matching"
    assert question.answer == {
        "pairs": [
            {"prompt": "QT-001", "match": "Gateway timeout"},
            {"prompt": "NET-002", "match": "API rate limit"},
        ]
    }


def test_missing_word_puts_a_blank_in_the_stem():
    question = only("The gateway port {=8443 ~25} must be open.")
    assert question.stem_text == "The gateway port ___ must be open."
    assert question.qtype == "single"


def test_escaped_characters_are_literal_text():
    question = only(
        r"::Escapes \: all::Braces \{x\} and \~ \= \# stay.{=a\=b\#c ~d\~e \{f\}}"
    )
    assert question.title == "Escapes : all"
    assert question.stem_text == "Braces {x} and ~ = # stay."
    assert [c["text"] for c in question.answer["choices"]] == ["a=b#c", "d~e {f}"]


def test_categories_set_the_topic_of_the_questions_after_them():
    result = parse_gift(
        "Before any category? {T}\n\n"
        "$CATEGORY: $course$/top/Support/Response Times\n\n"
        "First? {T}\n\n"
        "Second? {F}\n\n"
        "$CATEGORY: Error codes\n"
        "Third? {T}\n"
    )
    assert result.errors == []
    assert [q.topic for q in result.questions] == [
        None,
        "response-times",
        "response-times",
        "error-codes",
    ]


def test_keys_come_from_titles_or_positions_and_are_unique():
    result = parse_gift(
        "::Port check::A? {T}\n\n"
        "B? {T}\n\n"
        "::Port check::C? {T}\n\n"
        "::Port check::D? {T}\n"
    )
    assert [q.key for q in result.questions] == [
        "port-check",
        "q-2",
        "port-check-2",
        "port-check-3",
    ]


def test_html_keeps_simple_tags_and_drops_attributes_and_scripts():
    question = only(
        '[html]Is <b onclick="steal()">P1</b> urgent?<script>alert(1)</script>'
        '<a href="javascript:x">link</a> {T}'
    )
    assert question.stem_html == "<p>Is <b>P1</b> urgent?link</p>"


def test_plain_text_is_escaped_not_interpreted():
    question = only("[plain]Is <b>P1</b> urgent? {T}")
    assert question.stem_html == "<p>Is &lt;b&gt;P1&lt;/b&gt; urgent?</p>"


def test_comments_are_ignored_and_descriptions_are_skipped_with_a_warning():
    result = parse_gift(
        "// a comment {not an answer}\n"
        "Question? {T}\n\n"
        "Just some text about the exam.\n"
    )
    assert len(result.questions) == 1
    assert result.warnings[0].line == 4
    assert "description" in result.warnings[0].message


def test_the_sample_file_parses_and_covers_every_supported_type():
    result = parse_gift(SAMPLE.read_text(encoding="utf-8"))
    assert result.errors == [] and result.warnings == []
    assert 6 <= len(result.questions) <= 8
    assert {q.qtype for q in result.questions} == {
        "single",
        "multiple",
        "true_false",
        "short_answer",
        "numeric",
        "matching",
    }


# --- parser: errors and their lines -------------------------------------------------


def test_an_unclosed_brace_is_reported_on_the_line_that_opens_it():
    result = parse_gift("First? {T}\n\nSecond?\n{=a\n~b\n")
    assert [(e.line, "never closed" in e.message) for e in result.errors] == [(4, True)]
    assert [q.stem_text for q in result.questions] == ["First?"]


def test_a_single_choice_without_a_correct_answer_is_an_error():
    result = parse_gift(BROKEN_SECOND)
    assert len(result.errors) == 1
    assert result.errors[0].line == 4
    assert "no correct answer" in result.errors[0].message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("// c\nWhat?\n{blah blah}", 3, "unknown answer syntax"),
        ("Essay question? {}", 1, "essay"),
        ("Two right? {=a =b ~c}", 1, "2 choices are marked right"),
        ("Stray } brace {T}", 1, "closes nothing"),
        ("One {=a ~b}\nTwo {=c ~d}", 2, "blank line"),
        ("::Unclosed title\nQ? {T}", 1, "title"),
        ("Bad weight? {~%abc%a ~%50%b}", 1, "weight"),
        ("Bad number? {#fifteen}", 1, "not a number"),
        ("Backwards? {#20..10}", 1, "backwards"),
        ("One pair? {=a -> b}", 1, "two pairs"),
        ("$CATEGORY: /\n\nQ? {T}", 1, "category"),
        ("// only comments\n", 1, "no questions"),
    ],
)
def test_broken_input_gets_a_clear_error_on_its_line(text, line, words):
    result = parse_gift(text)
    assert not result.ok
    assert result.errors[0].line == line
    assert words in result.errors[0].message


def test_every_broken_question_is_reported_not_just_the_first():
    result = parse_gift("A? {~a ~b}\n\nB? {T}\n\nC?\n{}\n")
    assert [e.line for e in result.errors] == [1, 6]


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
