"""Guardrails before publishing: an exam publishes only if every section can be
drawn; a bank change that leaves a live exam short names it; keys are made from
the text; a new bank is created once, whatever the editor's autosave does."""

import html

import pytest
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from accounts import roles
from exams import blueprint, services
from exams.models import ExamPage, ExamSection, Question, QuestionBank
from tests.factories import make_bank, make_exam, site_tree

pytestmark = pytest.mark.django_db


def exam_form(title, sections, action="action-publish"):
    return nested_form_data(
        {
            "title": title,
            "slug": "checked-exam",
            "intro": rich_text(""),
            "time_limit_minutes": 30,
            "pass_mark": 70,
            "attempts_allowed": 3,
            "cooldown_minutes": 0,
            "deadline_policy": "auto_submit",
            "grace_minutes": 0,
            "navigation": "free",
            "questions_per_page": 10,
            "review_policy": "score",
            "review_after": "submit",
            "practical_weight": 50,
            "second_marking_percent": 20,
            "second_marking_margin": 5,
            "marking_tolerance": 10,
            "appeal_days": 14,
            "required_courses": inline_formset([]),
            "sections": inline_formset(sections),
            action: action,
        }
    )


@pytest.fixture
def admin_client(client, user_factory):
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    return client


def exams_index():
    from exams.models import ExamIndexPage

    home, _catalog, _paths = site_tree()
    return ExamIndexPage.objects.first() or home.add_child(
        instance=ExamIndexPage(title="Exams", slug="exams")
    )


def test_an_exam_that_draws_more_than_its_bank_has_is_not_published(admin_client):
    index = exams_index()
    bank = make_bank(questions=3)
    section = {"title": "Everything", "bank": bank.pk, "topic": "", "count": 10}
    response = admin_client.post(
        f"/admin/pages/add/exams/exampage/{index.pk}/",
        exam_form("Ten from three", [section]),
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert (
        "Section “Everything” draws 10 questions, but only 3 live questions in its "
        "bank can be drawn for it." in page
    )
    assert not ExamPage.objects.filter(title="Ten from three").exists()

    # A draft may be saved as it is: the author fixes it later.
    response = admin_client.post(
        f"/admin/pages/add/exams/exampage/{index.pk}/",
        exam_form("Ten from three", [section], action="action-draft"),
    )
    assert response.status_code == 302
    draft = ExamPage.objects.get(title="Ten from three")
    assert not draft.live

    # Publishing it is refused until the count fits.
    response = admin_client.post(
        f"/admin/pages/{draft.pk}/edit/", exam_form("Ten from three", [section])
    )
    assert response.status_code == 200
    assert not ExamPage.objects.get(pk=draft.pk).live
    response = admin_client.post(
        f"/admin/pages/{draft.pk}/edit/",
        exam_form("Ten from three", [{**section, "count": 3}]),
    )
    assert response.status_code == 302
    assert ExamPage.objects.get(pk=draft.pk).live


def test_topics_and_sections_sharing_a_bank_are_counted_against_each_other():
    bank = make_bank(questions=4, topic="networking")
    extra = make_bank(questions=2, topic="security")
    pools = blueprint.live_pools([bank.pk, extra.pk])
    plan = blueprint.SectionPlan
    # Four networking questions: "any 3" may take three of them, leaving one.
    short = blueprint.shortfalls(
        [plan("Any", bank.pk, "", 3), plan("Networking", bank.pk, "networking", 2)],
        pools,
    )
    assert [(s.section, s.wanted, s.eligible) for s in short] == [("Networking", 2, 1)]
    # A topic the bank doesn't have: nothing eligible.
    short = blueprint.shortfalls([plan("Storage", bank.pk, "storage", 1)], pools)
    assert short[0].message == (
        "Section “Storage” draws 1 question, but only 0 live questions on topic "
        "“storage” can be drawn for it."
    )
    # Sections on different banks don't take from each other.
    assert not blueprint.shortfalls(
        [plan("A", bank.pk, "", 4), plan("B", extra.pk, "", 2)], pools
    )
    assert blueprint.problems([plan("None", bank.pk, "", 0)], pools) == [
        "The exam draws no questions: give a section a number to draw."
    ]


def test_a_blueprint_that_passes_can_always_be_drawn():
    """The worst case is assumed: whatever the dice, a passed blueprint starts."""
    import random

    bank = make_bank(questions=5, topic="networking")
    for question in Question.objects.filter(bank=bank)[:2]:
        question.topic = "security"
        question.save()
    plan = blueprint.SectionPlan
    plans = [plan("Any", bank.pk, "", 2), plan("Security", bank.pk, "security", 0)]
    plans_ok = [plan("Security", bank.pk, "security", 2), plan("Any", bank.pk, "", 3)]
    pools = blueprint.live_pools([bank.pk])
    assert not blueprint.shortfalls(plans, pools)
    assert not blueprint.shortfalls(plans_ok, pools)
    exam = make_exam(bank=bank, count=2)
    ExamSection.objects.filter(exam=exam).update(topic="security")
    ExamSection.objects.create(exam=exam, title="Rest", bank=bank, count=3)
    for seed in range(30):
        drawn = services.draw_questions(exam, rng=random.Random(seed))
        assert len(drawn) == 5
    # One more question asked: the guard says no, and some draws would fail too.
    risky = [plan("Any", bank.pk, "", 4), plan("Security", bank.pk, "security", 1)]
    assert blueprint.shortfalls(risky, pools)


def test_the_start_page_refusal_uses_the_same_words(learner):
    bank = make_bank(questions=5)
    exam = make_exam(bank=bank, count=5)
    Question.objects.filter(bank=bank, key__in=["q0", "q1"]).delete()
    with pytest.raises(services.BlueprintError) as refused:
        services.start_attempt(user=learner, exam=exam)
    assert str(refused.value) == (
        "Section “Main” draws 5 questions, but only 3 live questions in its bank "
        "can be drawn for it."
    )


def test_unpublishing_a_bank_names_the_live_exams_it_breaks(admin_client):
    bank = make_bank(questions=5)
    exam = make_exam(bank=bank, count=5, title="Associate exam")
    untouched = make_exam(count=3, title="Other exam")
    response = admin_client.post(
        f"/admin/snippets/exams/questionbank/unpublish/{bank.pk}/", follow=True
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "The live exam “Associate exam” can no longer be started" in page
    assert "only 0 live questions" in page
    assert "Other exam" not in page
    short = blueprint.live_exams_short_of_questions()
    assert [found.pk for found, _problems in short] == [exam.pk]
    assert untouched.live


def question_row(question):
    return {
        "id": question.get("id", ""),
        "key": question.get("key", ""),
        "topic": question.get("topic", ""),
        "difficulty": "medium",
        "points": "1",
        "stem": rich_text(f"<p>{question['stem']}</p>"),
        "explanation": rich_text(""),
        "answer": streamfield([("true_false", {"answer": question.get("true", True)})]),
        **({"DELETE": "1"} if question.get("delete") else {}),
    }


def bank_form(title, questions, key="", action="action-publish", initial=0):
    return nested_form_data(
        {
            "title": title,
            "key": key,
            "description": "",
            "questions": inline_formset(
                [question_row(question) for question in questions], initial=initial
            ),
            action: action,
        }
    )


def test_a_bank_edit_that_breaks_a_live_exam_names_it(admin_client):
    bank = make_bank(questions=3)
    make_exam(bank=bank, count=3, title="Associate exam")
    stored = list(bank.questions.order_by("sort_order"))
    questions = [
        {"id": q.pk, "key": q.key, "stem": "Kept", "delete": i > 0}
        for i, q in enumerate(stored)
    ]
    response = admin_client.post(
        f"/admin/snippets/exams/questionbank/edit/{bank.pk}/",
        bank_form(bank.title, questions, key=bank.key, initial=len(stored)),
        follow=True,
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "The live exam “Associate exam” can no longer be started" in page
    assert "draws 3 questions, but only 1" in page
    assert Question.objects.filter(bank=bank).count() == 1


def test_keys_and_topics_are_made_from_the_text(admin_client):
    questions = [
        {"stem": "Which port does <b>HTTPS</b> use by default?"},
        {"stem": "Which port does HTTPS use by default?", "topic": "networking"},
        {"stem": "An own key", "key": "my-key"},
    ]
    response = admin_client.post(
        "/admin/snippets/exams/questionbank/add/",
        bank_form("Networking basics", questions),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bank = QuestionBank.objects.get(title="Networking basics")
    assert bank.key == "networking-basics" and bank.live
    assert list(bank.questions.order_by("sort_order").values_list("key", "topic")) == [
        ("which-port-does-https-use-by-default", "general"),
        ("which-port-does-https-use-by-default-2", "networking"),
        ("my-key", "general"),
    ]
    # A second bank of the same title gets its own key.
    response = admin_client.post(
        "/admin/snippets/exams/questionbank/add/",
        bank_form("Networking basics", [{"stem": "Another"}]),
    )
    assert response.status_code == 302
    assert sorted(
        QuestionBank.objects.filter(title="Networking basics").values_list(
            "key", flat=True
        )
    ) == ["networking-basics", "networking-basics-2"]


def test_a_typed_key_that_is_taken_is_refused_with_a_message(admin_client):
    make_bank(questions=1)  # bank-N
    taken = QuestionBank.objects.get().key
    response = admin_client.post(
        "/admin/snippets/exams/questionbank/add/",
        bank_form("Copy", [{"stem": "Q"}], key=taken),
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert QuestionBank.objects.count() == 1


def test_a_new_bank_is_not_autosaved_but_an_existing_one_is(admin_client):
    """Autosave on the create form is what made a second bank (see the view)."""
    create = admin_client.get("/admin/snippets/exams/questionbank/add/")
    assert create.context["autosave_enabled"] is False
    bank = make_bank(questions=1)
    edit = admin_client.get(f"/admin/snippets/exams/questionbank/edit/{bank.pk}/")
    assert edit.context["autosave_enabled"] is True


def test_an_autosave_style_request_never_creates_a_bank(admin_client):
    response = admin_client.post(
        "/admin/snippets/exams/questionbank/add/",
        bank_form("Networking basics", [{"stem": "Q"}]),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error_code"] == "not_saved_until_created"
    assert not QuestionBank.objects.exists()
    response = admin_client.post(
        "/admin/snippets/exams/questionbank/add/",
        bank_form("Networking basics", [{"stem": "Q"}]),
    )
    assert response.status_code == 302
    assert QuestionBank.objects.count() == 1
