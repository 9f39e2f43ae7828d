"""Factories shared by the whole suite."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import Organization, User
from exams import question_types

PASSWORD = "correct-horse-battery-9"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Customer Company {n}")
    slug = factory.Sequence(lambda n: f"customer-company-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"learner{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def email_verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=self,
                email=self.email,
                primary=True,
                verified=True if extracted is None else bool(extracted),
            )

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


# --- pages ---------------------------------------------------------------------------


def site_tree():
    """Home, catalog and paths index pages, as the content loader builds them."""
    from wagtail.models import Page, Site

    from courses.models import CatalogPage, LearningPathIndexPage
    from lms.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        for child in root.get_children():
            child.delete()
        home = root.add_child(instance=HomePage(title="Academy", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "testserver", "port": 80, "root_page": home},
        )
    catalog = CatalogPage.objects.first() or home.add_child(
        instance=CatalogPage(title="Catalog", slug="catalog")
    )
    paths = LearningPathIndexPage.objects.first() or home.add_child(
        instance=LearningPathIndexPage(title="Learning paths", slug="paths")
    )
    return home, catalog, paths


_course_counter = iter(range(1, 1_000_000))


def make_course(
    catalog=None, *, modules: int = 2, prerequisites=(), title=None, **fields
):
    """A published course with ``modules`` published lesson pages."""
    from courses.models import CoursePage, CoursePrerequisite, ModulePage

    if catalog is None:
        _home, catalog, _paths = site_tree()
    n = next(_course_counter)
    defaults = {
        "title": title or f"Course {n}",
        "slug": f"course-{n}",
        "code": f"C-{n}",
        "summary": f"What course {n} teaches.",
        "duration_hours": 4,
    }
    defaults.update(fields)
    course = catalog.add_child(instance=CoursePage(**defaults))
    for index, required in enumerate(prerequisites):
        CoursePrerequisite.objects.create(
            course=course, required_course=required, sort_order=index
        )
    for m in range(1, modules + 1):
        course.add_child(
            instance=ModulePage(
                title=f"{course.title}: lesson {m}",
                slug=f"lesson-{m}",
                summary=f"Lesson {m} summary.",
                body=[
                    {"type": "heading", "value": f"Lesson {m} heading"},
                    {"type": "rich_text", "value": f"<p>Secret lesson body {m}.</p>"},
                    {
                        "type": "knowledge_check",
                        "value": {
                            "question": "Which port does the gateway use?",
                            "choices": [
                                {"text": "9443", "correct": True},
                                {"text": "25", "correct": False},
                            ],
                            "explanation": "The gateway listens on 9443.",
                        },
                    },
                ],
            )
        )
    return course


def course_form(course, required_ids=(), *, publish=True, **fields):
    """The course editor's form as posted (Publish unless ``publish`` is False);
    ``fields`` replace the course's values."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    data = {
        "title": course.title,
        "slug": course.slug,
        "code": course.code,
        "level": course.level,
        "audience": course.audience,
        "duration_hours": course.duration_hours,
        "summary": course.summary,
        "description": rich_text("<p>About.</p>"),
        "outcomes": "",
        "equivalent_certifications": "",
        "prerequisite_links": inline_formset(
            [{"required_course": pk} for pk in required_ids]
        ),
        **fields,
    }
    if publish:
        data["action-publish"] = "publish"
    return nested_form_data(data)


def modules_of(course):
    from courses.models import ModulePage

    return list(ModulePage.objects.child_of(course).order_by("path"))


# --- exams ---------------------------------------------------------------------------

# A sample answer block of every automatically graded type.
QUESTION_TEMPLATES = {
    t.code: t.example_answer() for t in question_types.all_types() if not t.manual
}

_bank_counter = iter(range(1, 1_000_000))


def make_bank(*, questions: int = 10, types=("single",), topic: str = "general"):
    """A published bank; question types cycle through ``types``."""
    from exams.models import Question, QuestionBank

    n = next(_bank_counter)
    bank = QuestionBank(key=f"bank-{n}", title=f"Bank {n}")
    bank.questions = [
        Question(
            key=f"q{i}",
            topic=topic,
            stem=f"<p>Question {i} stem.</p>",
            explanation=f"<p>Because of fact {i}.</p>",
            answer=[
                {
                    "type": types[i % len(types)],
                    "value": QUESTION_TEMPLATES[types[i % len(types)]],
                }
            ],
            sort_order=i,
        )
        for i in range(questions)
    ]
    bank.save()
    bank.save_revision().publish()
    return bank


def make_exam(parent=None, *, bank=None, count: int = 5, **fields):
    """A published exam drawing ``count`` questions from ``bank``."""
    from exams.models import ExamIndexPage, ExamPage, ExamSection

    if parent is None:
        home, _catalog, _paths = site_tree()
        parent = ExamIndexPage.objects.first() or home.add_child(
            instance=ExamIndexPage(title="Exams", slug="exams")
        )
    bank = bank or make_bank(questions=max(count, 10))
    n = next(_bank_counter)
    defaults = {
        "title": f"Exam {n}",
        "slug": f"exam-{n}",
        "time_limit_minutes": 30,
        "pass_mark": 70,
        "attempts_allowed": 3,
        "cooldown_minutes": 0,
        "shuffle_questions": False,
        "shuffle_choices": False,
    }
    defaults.update(fields)
    exam = parent.add_child(instance=ExamPage(**defaults))
    ExamSection.objects.create(exam=exam, title="Main", bank=bank, count=count)
    return exam


PRACTICAL_TEMPLATE = {
    "hand_in": "text_and_files",
    "file_types": ".pdf, .txt, .png",
    "max_file_mb": 1,
    "max_files": 2,
    "suggested_minutes": 30,
    "attachments": [],
    "rubric": [
        {
            "title": "Diagnosis",
            "description": "Checks in a sensible order.",
            "levels": [
                {"label": "Exemplary", "description": "All checks.", "points": "10"},
                {"label": "Proficient", "description": "Most.", "points": "7"},
                {"label": "Developing", "description": "Some.", "points": "4"},
                {"label": "Missing", "description": "None.", "points": "0"},
            ],
        },
        {
            "title": "Fix",
            "description": "The right fix.",
            "levels": [
                {"label": "Right", "description": "Fixed.", "points": "10"},
                {"label": "Partial", "description": "Half.", "points": "5"},
                {"label": "Wrong", "description": "No.", "points": "0"},
            ],
        },
    ],
}


def make_practical_exam(*, theory: int = 4, tasks: int = 1, **fields):
    """An exam with ``theory`` single-choice questions, then ``tasks`` practical
    tasks graded by examiners (rubric: 10 + 10 points per task)."""
    from exams.models import ExamSection, Question, QuestionBank

    n = next(_bank_counter)
    bank = QuestionBank(key=f"practical-{n}", title=f"Practical {n}")
    bank.questions = [
        Question(
            key=f"task{i}",
            topic="practical",
            stem=f"<p>Scenario {i}: agents cannot reach the gateway.</p>",
            answer=[{"type": "practical", "value": PRACTICAL_TEMPLATE}],
            sort_order=i,
        )
        for i in range(tasks)
    ]
    bank.save()
    bank.save_revision().publish()
    defaults = {"blind_grading": True, "second_marking_percent": 0}
    defaults.update(fields)
    exam = make_exam(bank=make_bank(questions=max(theory, 1)), count=theory, **defaults)
    if theory == 0:
        exam.sections.all().delete()
    ExamSection.objects.create(
        exam=exam, title="Practical", bank=bank, count=tasks, sort_order=1
    )
    return exam


def rubric_levels(attempt, pick=0):
    """Levels for every practical task of ``attempt``: ``pick`` is the index of the
    level per criterion (0 = best), or a callable(criterion) -> level index."""
    levels = {}
    for question in attempt.served_questions():
        if question.qtype != "practical":
            continue
        levels[question.position] = {
            c["id"]: c["levels"][
                pick(c) if callable(pick) else min(pick, len(c["levels"]) - 1)
            ]["id"]
            for c in question.snapshot["key"]["rubric"]
        }
    return levels


def choice_id(snapshot, letter):
    """The id a served choice question gave its authored option ``letter`` (a, b…):
    attempts name options with random ids, so tests look them up."""
    source = snapshot["key"].get("source") or {}
    for option_id, authored in source.items():
        if authored == letter:
            return option_id
    return letter


def choice_answer(attempt, position, letter):
    """A single-choice response picking authored option ``letter``."""
    snapshot = attempt.served_questions([position])[0].snapshot
    return {"choice": choice_id(snapshot, letter)}


def correct_response(snapshot):
    """The right answer to a served question, as a learner would give it."""
    return question_types.get(snapshot["type"]).correct_response(snapshot["key"])


# --- certificates ---------------------------------------------------------------------


def make_level(*, exams=(), courses=(), code=None, **fields):
    """A published certification level requiring ``exams`` and ``courses``."""
    from certificates.models import (
        CertificationLevelPage,
        CertificationProgramPage,
        LevelRequiredCourse,
        LevelRequiredExam,
    )

    home, _catalog, _paths = site_tree()
    program = CertificationProgramPage.objects.first() or home.add_child(
        instance=CertificationProgramPage(title="Certifications", slug="certifications")
    )
    n = next(_bank_counter)
    defaults = {
        "title": f"Certified Level {n}",
        "slug": f"level-{n}",
        "code": code or f"lvl{n}",
        "summary": "A certification.",
        "validity_months": 36,
        "renewal_window_days": 90,
    }
    defaults.update(fields)
    level = program.add_child(instance=CertificationLevelPage(**defaults))
    for index, exam in enumerate(exams):
        LevelRequiredExam.objects.create(level=level, exam=exam, sort_order=index)
    for index, course in enumerate(courses):
        LevelRequiredCourse.objects.create(level=level, course=course, sort_order=index)
    return level


def make_certificate(holder, level, *, expires_on, issued_on=None, cycle=1, **extra):
    """A certification certificate written directly (no exam, no PDF), for tests
    about what is shown of certificates rather than how they are issued."""
    from datetime import date, timedelta

    from certificates.models import Certificate

    return Certificate.objects.create(
        cycle=cycle,
        serial=f"MWR-T-{holder.pk}-{level.pk}-{cycle}",
        verification_code=f"code{holder.pk:06d}x{level.pk}x{cycle}",
        holder=holder,
        holder_name=holder.display_name,
        kind="certification",
        level=level,
        title=level.title,
        issued_on=issued_on or date.today() - timedelta(days=30),
        expires_on=expires_on,
        **extra,
    )


def pass_exam(user, exam, *, now=None):
    """Start, answer everything correctly and submit: a passing attempt. What the
    pass triggers after commit (certificates, PDFs) runs before this returns."""
    from django.test import TestCase

    from exams import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        attempt = services.start_attempt(user=user, exam=exam, now=now)
        services.save_answers(
            attempt=attempt,
            sequence=1,
            answers={
                q.position: correct_response(q.snapshot)
                for q in attempt.served_questions()
            },
            now=now,
        )
        attempt = services.submit_attempt(attempt=attempt, now=now)
    return attempt


# --- onboarding -----------------------------------------------------------------------


def make_onboarding(*, weeks: int = 4, signoff_in_week: int = 1):
    """A published program with ``weeks`` weeks of two activities each; the second
    activity of week ``signoff_in_week`` needs a mentor's sign-off."""
    from onboarding.models import (
        OnboardingActivity,
        OnboardingProgramPage,
        OnboardingWeekPage,
    )

    home, _catalog, _paths = site_tree()
    program = home.add_child(
        instance=OnboardingProgramPage(title="Onboarding", slug="onboarding")
    )
    for number in range(1, weeks + 1):
        week = program.add_child(
            instance=OnboardingWeekPage(
                title=f"Week {number}",
                slug=f"week-{number}",
                number=number,
                topics="Topic",
            )
        )
        OnboardingActivity.objects.create(
            week=week,
            key="read",
            title=f"Read week {number}",
            kind="lesson",
            sort_order=0,
        )
        OnboardingActivity.objects.create(
            week=week,
            key="practice",
            title=f"Practice week {number}",
            kind="mock_call",
            requires_signoff=number == signoff_in_week,
            sort_order=1,
        )
    return program


def study_module(*, user, module):
    """Open a lesson and mark it complete, as a learner does (a lesson that was
    never opened cannot be completed)."""
    from courses import services as course_services

    course_services.open_module(user=user, module=module)
    return course_services.complete_module(user=user, module=module)


# --- attempts' papers -------------------------------------------------------------


def served_question(attempt, position=None, *, qtype=None):
    """The one question of ``attempt`` at ``position`` (or of type ``qtype``) as
    its paper holds it now, with its answer."""
    from exams.models import AttemptPaper

    questions = [
        q
        for q in AttemptPaper.questions_of(attempt.pk)
        if (position is None or q.position == position)
        and (qtype is None or q.qtype == qtype)
    ]
    assert len(questions) == 1, questions
    return questions[0]


def any_answer_stored() -> bool:
    """Whether any attempt's paper holds an answer."""
    from exams.models import AttemptPaper

    return any(
        response is not None
        for responses in AttemptPaper.objects.values_list("responses", flat=True)
        for response in responses.values()
    )
