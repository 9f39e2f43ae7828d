"""The pieces of the exam form that the question types write in code.

A page of an exam is the page learners load most on exam day, and its ten
questions of four choices were some forty small template pieces: the template
engine spent more CPU on them than on the rest of the request. A type writes its
inputs with these helpers instead (:meth:`QuestionType.form_html`); a type
without a reason to be fast keeps its template. Every value is escaped
(``format_html``), and the markup is the same the templates gave.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

NOTHING = mark_safe("")
CHECKED = mark_safe(" checked")
SELECTED = mark_safe(" selected")
DISABLED = mark_safe(" disabled")


def response_of(question) -> dict:
    """The learner's response as a dict, ``{}`` when there is none (or a stored
    one of another shape: the form then shows the question blank)."""
    response = question.response
    return response if isinstance(response, dict) else {}


def joined(pieces: Iterable[SafeString]) -> SafeString:
    """Pieces of markup (each already escaped) one after the other."""
    return mark_safe("".join(pieces))  # noqa: S308 (each piece is escaped)


def when(flag: bool, attribute: SafeString) -> SafeString:
    return attribute if flag else NOTHING


def choice(
    kind: str, name: str, input_id: str, value, label, *, checked: bool, locked: bool
) -> SafeString:
    """One radio button or checkbox with its label."""
    return format_html(
        '<div class="choice"><input type="{}" name="{}" id="{}" value="{}"{}{}>'
        '<label for="{}">{}</label></div>',
        kind,
        name,
        input_id,
        value,
        when(checked, CHECKED),
        when(locked, DISABLED),
        input_id,
        label,
    )


def choices(
    kind: str, name: str, options: Iterable[dict], chosen, *, locked: bool
) -> SafeString:
    """A radio button or checkbox for each option (``id``, ``text``); those
    whose id is in ``chosen`` are checked."""
    return joined(
        choice(
            kind,
            name,
            f"{name}-{option['id']}",
            option["id"],
            option["text"],
            checked=option["id"] in chosen,
            locked=locked,
        )
        for option in options
    )


def labelled_select(
    css_class: str,
    name: str,
    label,
    options: Iterable[tuple[object, object]],
    *,
    chosen,
    blank,
    locked: bool,
) -> SafeString:
    """A select with its label and a blank first option; ``options`` are
    ``(value, text)`` and the one whose value equals ``chosen`` is selected."""
    return format_html(
        '<div class="field {}"><label for="{}">{}</label>'
        '<select name="{}" id="{}"{}><option value="">{}</option>{}</select></div>',
        css_class,
        name,
        label,
        name,
        name,
        when(locked, DISABLED),
        blank,
        format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((value, when(value == chosen, SELECTED), text) for value, text in options),
        ),
    )


def labelled_text(
    name: str,
    input_id: str,
    label,
    value,
    *,
    max_length: int,
    locked: bool,
    decimal: bool = False,
) -> SafeString:
    """A one-line text input with its label, never completed by the browser."""
    return format_html(
        '<label for="{}">{}</label><input type="text"{} name="{}" id="{}" value="{}"'
        ' maxlength="{}" autocomplete="off"{}>',
        input_id,
        label,
        mark_safe(' inputmode="decimal"') if decimal else NOTHING,
        name,
        input_id,
        value,
        max_length,
        when(locked, DISABLED),
    )
