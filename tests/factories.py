"""Factories shared by the whole suite."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from lms.accounts.models import Organization, User

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
                                {"type": "item", "value": "9443"},
                                {"type": "item", "value": "25"},
                            ],
                            "answer": 1,
                            "explanation": "The gateway listens on 9443.",
                        },
                    },
                ],
            )
        )
    return course


def modules_of(course):
    from courses.models import ModulePage

    return list(ModulePage.objects.child_of(course).order_by("path"))
