"""Question types: one module per type, one registration line each.

To add a type: write ``exams/question_types/<code>.py`` with a
:class:`~exams.question_types.base.QuestionType` subclass (its editor block
included) and ``TYPE = <the subclass>()``, its templates
(``exams/question_types/<code>.html`` for the form, ``<code>_review.html`` for the
review), and add the module's name to ``TYPE_MODULES`` below. A type on most exam
pages writes its form in code instead (``form_html``, with the helpers in
``markup``). The contract tests (``test_question_types_contract``,
``test_exam_form``) then check it like the others.
"""

from importlib import import_module

from .base import (
    QuestionType,
    all_types,
    auto_codes,
    codes,
    get,
    manual_codes,
    normalise_text,
    parse_number,
    register,
)

# One line per type: the module that holds it. Each module's ``TYPE`` is
# registered, in this order (the order authors see in the editor).
TYPE_MODULES = (
    "single",
    "multiple",
    "true_false",
    "short_answer",
    "numeric",
    "matching",
    "ordering",
    "practical",
)
for _module in TYPE_MODULES:
    register(import_module(f"{__name__}.{_module}").TYPE)

__all__ = [
    "QuestionType",
    "all_types",
    "auto_codes",
    "codes",
    "get",
    "manual_codes",
    "normalise_text",
    "parse_number",
    "register",
]
