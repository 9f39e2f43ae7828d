"""content/site.yaml: the home page and the site's name."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site

from lms.models import HomePage

from .base import LoadReport, Schema
from .pages import paragraphs_to_html, upsert_page

FILE = "site.yaml"


class HomeSchema(Schema):
    title: str
    headline: str = ""
    intro: str = ""
    body: str = ""


class IndexSchema(Schema):
    title: str
    intro: str = ""


class SiteSchema(Schema):
    site_name: str
    hostname: str = "localhost"
    home: HomeSchema
    catalog: IndexSchema = IndexSchema(
        title="Course catalog", intro="Every course you can take, with filters."
    )
    paths: IndexSchema = IndexSchema(
        title="Learning paths", intro="Courses in the order that suits your role."
    )


def home_page() -> HomePage | None:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    return HomePage.objects.first()


@transaction.atomic
def apply(spec: SiteSchema, report: LoadReport) -> HomePage:
    root = Page.get_first_root_node()
    home = home_page()
    if home is None:
        # Replace Wagtail's placeholder welcome page with the academy's home page.
        for child in root.get_children():
            if not isinstance(child.specific, HomePage):
                child.delete()
    home = upsert_page(
        parent=root,
        model=HomePage,
        slug="home",
        fields={
            "title": spec.home.title,
            "headline": spec.home.headline,
            "intro": spec.home.intro,
            "body": paragraphs_to_html(spec.home.body),
        },
        report=report,
        kind="home page",
        existing=home,
    )
    site = Site.objects.filter(is_default_site=True).first()
    wanted = {
        "hostname": spec.hostname,
        "site_name": spec.site_name,
        "root_page_id": home.pk,
    }
    if site is None:
        Site.objects.create(is_default_site=True, port=80, **wanted)
        report.add("site", "created")
    elif any(getattr(site, key) != value for key, value in wanted.items()):
        for key, value in wanted.items():
            setattr(site, key, value)
        site.save()
        report.add("site", "updated")
    else:
        report.add("site", "unchanged")
    return home
