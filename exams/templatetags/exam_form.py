"""``{% question_form q %}``: one question of the exam form, written in code.

The busiest page on exam day shows ten questions; as templates they cost more
CPU than the rest of the request. The frame of a question is written here, its
inputs by its type (:meth:`QuestionType.form_html`), every value escaped.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from exams.question_types.markup import CHECKED, DISABLED, NOTHING, when

register = template.Library()


@register.simple_tag(takes_context=True)
def question_form(context, q, locked=False, trying=False) -> SafeString:
    """``q`` (a served question) as a fieldset: its number and section, its
    stem, its inputs and, unless the author is trying the exam, the flag."""
    n = q.position
    return format_html(
        '<fieldset class="question card" id="question-{}" data-position="{}"'
        ' data-type="{}"><legend><span class="question__number">{}</span>'
        ' <span class="helptext">{}</span></legend>'
        '<div class="question__stem prose" id="stem-{}">{}</div>{}{}</fieldset>',
        n,
        n,
        q.qtype,
        _("Question %(position)s") % {"position": n},
        q.section_title,
        n,
        # The stem is the bank's rich text, sanitised when it was published.
        mark_safe(q.stem),  # noqa: S308
        q.question_type.form_html(q, locked=locked, context=context),
        NOTHING if trying else _flag(n, flagged=q.flagged, locked=locked),
    )


def _flag(n: int, *, flagged: bool, locked: bool) -> SafeString:
    return format_html(
        '<div class="choice flag"><input type="checkbox" name="flag{}" id="flag{}"{}{}>'
        '<label for="flag{}">{}</label></div>',
        n,
        n,
        when(flagged, CHECKED),
        when(locked, DISABLED),
        n,
        _("Flag this question to review later"),
    )
