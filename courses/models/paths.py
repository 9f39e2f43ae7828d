"""Learning paths: ordered steps through the catalog for a role."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from ..forms_admin import LearningPathForm
from .pages import (
    ChildRoutingMixin,
    CoursePage,
    KeptViewRestrictionsMixin,
    KnowsParentMixin,
    Role,
)


class LearningPathIndexPage(KeptViewRestrictionsMixin, ChildRoutingMixin, Page):
    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["courses.LearningPathPage"]
    child_page_model = "courses.LearningPathPage"
    max_count = 1

    class Meta:
        verbose_name = _("learning paths index")

    def get_context(self, request, *args, **kwargs):
        from ..path_progress import learning_paths_overview

        context = super().get_context(request, *args, **kwargs)
        context["paths"] = learning_paths_overview(index=self, user=request.user)
        return context


class LearningPathPage(KeptViewRestrictionsMixin, KnowsParentMixin, Page):
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    summary = models.CharField(_("summary"), max_length=300)
    description = RichTextField(_("description"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("role"),
        FieldPanel("summary"),
        FieldPanel("description"),
        InlinePanel("steps", label=_("Steps"), min_num=1),
    ]
    parent_page_types = ["courses.LearningPathIndexPage"]
    subpage_types: list[str] = []
    base_form_class = LearningPathForm

    class Meta:
        verbose_name = _("learning path")

    def get_context(self, request, *args, **kwargs):
        from ..path_progress import path_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(path_detail(path=self, user=request.user))
        return context


class LearningPathStep(Orderable):
    path = ParentalKey(LearningPathPage, on_delete=models.CASCADE, related_name="steps")
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Untick for a recommended course.")
    )

    panels = [FieldPanel("course"), FieldPanel("required")]

    class Meta(Orderable.Meta):
        verbose_name = _("step")


# --- learner data ------------------------------------------------------------------
