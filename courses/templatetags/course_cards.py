"""``{% keep_card_heads cards %}``: the part of a course card that is the same for
every learner, rendered once and kept; ``{% progress_bar percent label detail %}``:
a course's, path's or onboarding's progress."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import get_language
from wagtail.models import Site

from ..content_version import kept_per_id
from ..models import Audience
from ..selectors import with_cover_renditions

register = template.Library()

HEAD_TEMPLATE = "courses/includes/course_card_head.html"


@register.simple_tag(takes_context=True)
def keep_card_heads(context, cards) -> str:
    """Give each of ``cards`` its head (``card.head``): the course's cover, code,
    level, length, title and summary, rendered once and kept under the content
    version for the request's site and language. One cache read for all the
    cards; the heads not kept are rendered (their covers' renditions read in one
    query). The learner's part of a card (progress, lock) is rendered for each
    request by ``course_card.html``. Renders nothing.

    A head holds its cover's rendition address: an image saved (a new focal
    point, a new file) advances the version, but renditions purged by hand
    without saving the image leave kept heads pointing at them until they
    expire (``KEPT_TTL``)."""
    request = context.get("request")
    if request is None:
        return ""
    cards = list(cards)
    site = Site.find_for_request(request)
    courses = {card.course.pk: card.course for card in cards}

    def render(pks) -> dict[int, str]:
        with_cover_renditions([courses[pk] for pk in pks])
        return {
            pk: render_to_string(
                HEAD_TEMPLATE,
                {"course": courses[pk], "request": request, "Audience": Audience},
            )
            for pk in pks
        }

    heads = kept_per_id(
        f"courses:card-head:{site.pk if site else 0}:{get_language()}",
        courses,
        render,
    )
    for card in cards:
        card.head = heads[card.course.pk]
    return ""


@register.simple_tag
def progress_bar(percent, label="", detail=""):
    """The progress bar with its figure and, when given, its detail ("2 of 3
    lessons"): the one place every page that shows progress draws it (a tag,
    not an include: a dashboard or a catalog page draws a dozen)."""
    return format_html(
        '<div class="progress-wrap">\n'
        '  <progress class="progress" max="100" value="{}" aria-label="{}">'
        "{}%</progress>\n"
        '  <span class="progress-text">{}% {}</span>\n'
        "</div>\n",
        percent,
        label or "Progress",
        percent,
        percent,
        format_html("· {}", detail) if detail else "",
    )
