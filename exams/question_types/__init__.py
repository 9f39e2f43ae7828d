"""Question types: one module per type, one registration line each.

To add a type: write ``exams/question_types/<code>.py`` with a
:class:`~exams.question_types.base.QuestionType` subclass, its two templates
(``exams/question_types/<code>.html`` for the form, ``<code>_review.html`` for the
review), and register it below. The contract test then checks it like the others.
"""

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
from .matching import Matching
from .multiple import MultipleResponse
from .numeric import Numeric
from .ordering import Ordering
from .practical import Practical
from .short_answer import ShortAnswer
from .single import SingleChoice
from .true_false import TrueFalse

register(SingleChoice())
register(MultipleResponse())
register(TrueFalse())
register(ShortAnswer())
register(Numeric())
register(Matching())
register(Ordering())
register(Practical())

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
