from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's front page: what the academy is, and the ways in."""

    headline = models.CharField(
        _("headline"),
        max_length=255,
        blank=True,
        help_text=_("The big line on the front page; the title stays “Home”."),
    )
    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("headline"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "courses.CatalogPage",
        "courses.LearningPathIndexPage",
        "onboarding.OnboardingProgramPage",
        "exams.ExamIndexPage",
        "certificates.CertificationProgramPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
