"""Course content as Wagtail pages: the catalog, courses with their prerequisites, and modules."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..blocks import LessonBlock
from ..forms_admin import CoursePageForm


class Level(models.TextChoices):
    FUNDAMENTALS = "fundamentals", _("Fundamentals")
    ADVANCED = "advanced", _("Advanced")
    EXPERT = "expert", _("Expert")


class Audience(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    INTERNAL = "internal", _("Internal staff")
    BOTH = "both", _("Customers and staff")


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    DEVELOPER = "developer", _("Developer")
    SECURITY_ANALYST = "security_analyst", _("Security analyst")
    ARCHITECT = "architect", _("Architect")


class ChildRoutingMixin:
    """Find a child page already as its specific type, in one query.

    Wagtail's default routing reads the child, then its specific row; for the
    catalog's hot paths one query does, and the child learns its parent for free.
    """

    child_page_model: str = ""

    def route(self, request, path_components):
        if path_components:
            model = apps.get_model(self.child_page_model)
            child = model.objects.child_of(self).filter(slug=path_components[0]).first()
            if child is not None:
                child.routed_parent = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)


class KnowsParentMixin:
    """``parent_page``: the parent, free when the page was reached by routing."""

    @property
    def parent_page(self) -> Page:
        parent = getattr(self, "routed_parent", None)
        if parent is None:
            parent = self.get_parent().specific
            self.routed_parent = parent
        return parent


class KeptViewRestrictionsMixin:
    """A page whose privacy rules are kept with its route (the platform keeps
    Wagtail's route to a page under the content version, which a page's privacy
    settings advance): serving it reads none of them again.

    The rules are read with the route, once (:meth:`keep_view_restrictions`),
    and still checked against each request by Wagtail; a page not reached by a
    kept route reads them as Wagtail does. A page behind a password keeps none
    (a password is never put in the cache)."""

    def keep_view_restrictions(self) -> None:
        from wagtail.models import PageViewRestriction

        rules = list(super().get_view_restrictions().prefetch_related("groups"))
        if any(r.restriction_type == PageViewRestriction.PASSWORD for r in rules):
            return
        self.kept_view_restrictions = rules

    def get_view_restrictions(self):
        kept = self.__dict__.get("kept_view_restrictions")
        return kept if kept is not None else super().get_view_restrictions()


class CatalogPage(
    KeptViewRestrictionsMixin, ChildRoutingMixin, RoutablePageMixin, Page
):
    """The course catalog: every course is a child of this page."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    child_page_model = "courses.CoursePage"
    max_count = 1
    per_page = 12

    class Meta:
        verbose_name = _("course catalog")

    def visitor_queries(self) -> list[str]:
        """The catalog's numbered pages as a visitor sees them, for the visitors'
        page cache to keep ahead of the first visit."""
        from django.contrib.auth.models import AnonymousUser

        from ..catalog import listed_course_ids

        count = len(listed_course_ids(catalog=self, user=AnonymousUser()))
        return [f"page={n}" for n in range(1, -(-count // self.per_page) + 1)]

    @path("")
    def catalog(self, request):
        from ..catalog import catalog_cards
        from ..forms import CatalogFilterForm, blank_filter_fields

        form = CatalogFilterForm(request.GET or None)
        filters = form.cleaned_filters() if form.is_valid() else {}
        page_obj, cards = catalog_cards(
            catalog=self,
            user=request.user,
            filters=filters,
            page_number=request.GET.get("page"),
        )
        query = request.GET.copy()
        query.pop("page", None)
        return self.render(
            request,
            context_overrides={
                "form": form,
                # Nothing filled in (most visits): the fields as rendered once.
                "blank_fields": None
                if any(request.GET.get(name) for name in form.fields)
                else blank_filter_fields(),
                "page_obj": page_obj,
                "cards": cards,
                "filtered": bool(filters),
                "query_string": query.urlencode(),
            },
        )


def resume_point(modules, *, last_module_id, completed_ids):
    """The one rule for "resume here": the module the learner last opened, unless
    they finished it; then the first module they have not finished; with every
    module finished, the first (to review). ``modules`` are the course's live
    modules in order. The course page, the dashboard and enrolment all ask here."""
    for module in modules:
        if module.pk == last_module_id and module.pk not in completed_ids:
            return module
    for module in modules:
        if module.pk not in completed_ids:
            return module
    return modules[0] if modules else None


class CoursePageQuerySet(PageQuerySet):
    def visible_to(self, user) -> CoursePageQuerySet:
        """Live courses ``user`` may see: internal staff courses only for staff."""
        from accounts.api import is_internal_staff

        courses = self.live()
        if not is_internal_staff(user):
            courses = courses.exclude(audience=Audience.INTERNAL)
        return courses


CoursePageManager = PageManager.from_queryset(CoursePageQuerySet)


class CoursePage(
    KeptViewRestrictionsMixin,
    KnowsParentMixin,
    ChildRoutingMixin,
    RoutablePageMixin,
    Page,
):
    """A course: its description, prerequisites and its modules (child pages)."""

    objects = CoursePageManager()

    code = models.CharField(_("code"), max_length=20, blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.FUNDAMENTALS
    )
    audience = models.CharField(
        _("audience"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.CUSTOMERS,
    )
    duration_hours = models.PositiveSmallIntegerField(_("duration in hours"), default=1)
    summary = models.CharField(_("summary"), max_length=300)
    description = RichTextField(_("description"), blank=True)
    outcomes = models.TextField(
        _("learning outcomes"), blank=True, help_text=_("One outcome per line.")
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requires_final_exam = models.BooleanField(
        _("completion requires the final exam"), default=False
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("completion certificate valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty if completing this course awards no certificate."),
    )
    equivalent_certifications = models.CharField(
        _("equivalent certifications"),
        max_length=200,
        blank=True,
        help_text=_(
            "Codes of certification levels (comma-separated) whose valid holders "
            "count as having completed this course when it is a prerequisite."
        ),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldPanel("level"),
                FieldPanel("audience"),
                FieldPanel("duration_hours"),
            ],
            heading=_("Catalog"),
        ),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("outcomes"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                InlinePanel("prerequisite_links", label=_("Prerequisite courses")),
                FieldPanel("equivalent_certifications"),
            ],
            heading=_("Prerequisites"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("requires_final_exam"),
                FieldPanel("certificate_validity_months"),
            ],
            heading=_("Completion"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("outcomes"),
        index.SearchField("code"),
        index.FilterField("level"),
        index.FilterField("audience"),
        index.FilterField("duration_hours"),
    ]
    parent_page_types = ["courses.CatalogPage"]
    subpage_types = ["courses.ModulePage", "exams.ExamPage"]
    base_form_class = CoursePageForm
    child_page_model = "courses.ModulePage"
    # The admin lists a course's lessons in the order learners meet them.
    admin_default_ordering = "ord"

    class Meta:
        verbose_name = _("course")

    def __str__(self) -> str:
        return self.title

    @property
    def is_internal(self) -> bool:
        return self.audience == Audience.INTERNAL

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.outcomes.splitlines() if line.strip()]

    @property
    def equivalent_certification_codes(self) -> list[str]:
        return [
            code.strip()
            for code in self.equivalent_certifications.split(",")
            if code.strip()
        ]

    def clean(self):
        super().clean()
        from ..prerequisites import prerequisite_problem

        required_ids = [
            link.required_course_id
            for link in self.prerequisite_links.all()
            if link.required_course_id
        ]
        problem = prerequisite_problem(course=self, required_ids=required_ids)
        if problem:
            raise ValidationError(problem)

    def check_visible_to(self, user) -> None:
        from accounts.api import is_internal_staff

        if self.is_internal and not is_internal_staff(user):
            raise Http404

    @path("")
    def course(self, request):
        from ..selectors import course_detail

        self.check_visible_to(request.user)
        return self.render(
            request, context_overrides=course_detail(course=self, user=request.user)
        )

    @path("enroll/", name="enroll")
    def enroll_view(self, request):
        from .. import services

        self.check_visible_to(request.user)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_authenticated:
            return redirect_to_login(self.url)
        try:
            enrollment, created = services.enroll(user=request.user, course=self)
        except services.CourseAccessError as exc:
            messages.error(request, str(exc))
            return redirect(self.url)
        if created:
            messages.success(
                request, _("You are enrolled in %(title)s.") % {"title": self.title}
            )
        first = enrollment.resume_module()
        return redirect(first.url if first else self.url)


class CoursePrerequisite(Orderable):
    course = ParentalKey(
        CoursePage, on_delete=models.CASCADE, related_name="prerequisite_links"
    )
    required_course = models.ForeignKey(
        CoursePage,
        verbose_name=_("required course"),
        on_delete=models.CASCADE,
        related_name="required_by_links",
    )

    panels = [FieldPanel("required_course")]

    class Meta(Orderable.Meta):
        verbose_name = _("prerequisite")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "required_course"], name="unique_course_prerequisite"
            )
        ]


class ModulePage(KeptViewRestrictionsMixin, RoutablePageMixin, Page):
    """One lesson of a course."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=30
    )
    body = StreamField(LessonBlock(), verbose_name=_("content"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    @property
    def course(self) -> CoursePage:
        parent = getattr(self, "routed_parent", None)
        if parent is None:
            parent = CoursePage.objects.get(path=self.path[: -self.steplen])
            self.routed_parent = parent
        return parent

    @path("")
    def lesson(self, request):
        from ..selectors import module_detail

        course = self.course
        course.check_visible_to(request.user)
        context = module_detail(module=self, course=course, user=request.user)
        if context["can_study"]:
            from .. import services

            services.open_module(
                user=request.user, module=self, enrollment=context["card"].enrollment
            )
        context["check_feedback"] = request.session.pop(f"check:{self.pk}", None)
        return self.render(request, context_overrides=context)

    @path("complete/", name="complete")
    def complete_view(self, request):
        from .. import services

        course = self.course
        course.check_visible_to(request.user)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_authenticated:
            return redirect_to_login(self.url)
        try:
            result = services.complete_module(user=request.user, module=self)
        except services.CourseAccessError as exc:
            messages.error(request, str(exc))
            return redirect(self.url)
        if result.course_completed:
            messages.success(
                request,
                _("Course complete: you finished %(title)s.") % {"title": course.title},
            )
        elif result.next_module:
            return redirect(result.next_module.url)
        return redirect(course.url)

    @path("check/<str:block_id>/", name="check")
    def check_view(self, request, block_id):
        """Answer a knowledge check; the feedback shows on the lesson (no JS needed)."""
        course = self.course
        course.check_visible_to(request.user)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        block = next(
            (
                b
                for b in self.body
                if b.block_type == "knowledge_check" and b.id == block_id
            ),
            None,
        )
        if block is None:
            raise Http404
        try:
            chosen = int(request.POST.get("choice", ""))
        except ValueError:
            chosen = None
        choices = block.value["choices"]
        if chosen is None or not 1 <= chosen <= len(choices):
            feedback = {
                "block_id": block_id,
                "error": str(_("Choose one answer first.")),
            }
        else:
            feedback = {
                "block_id": block_id,
                "chosen": chosen,
                "correct": bool(choices[chosen - 1]["correct"]),
            }
        request.session[f"check:{self.pk}"] = feedback
        return redirect(f"{self.url}#check-{block_id}")
