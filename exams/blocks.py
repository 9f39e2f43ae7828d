"""The answer part of a question: one block, whose type is the question's type."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


def _error(block_errors):
    return blocks.StructBlockValidationError(block_errors=block_errors)


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"))
    correct = blocks.BooleanBlock(label=_("correct"), required=False)


class SingleChoiceBlock(blocks.StructBlock):
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, label=_("choices"))

    class Meta:
        icon = "radio-full"
        label = _("Single choice")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for c in value["choices"] if c["correct"]) != 1:
            raise _error(
                {"choices": ValidationError(_("Mark exactly one correct choice."))}
            )
        return value


class MultipleResponseBlock(blocks.StructBlock):
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, label=_("choices"))
    scoring = blocks.ChoiceBlock(
        label=_("scoring"),
        choices=[
            ("all_or_nothing", _("All or nothing")),
            ("partial", _("Partial credit")),
        ],
        default="all_or_nothing",
    )

    class Meta:
        icon = "tasks"
        label = _("Multiple response")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for c in value["choices"] if c["correct"]) < 2:
            raise _error(
                {"choices": ValidationError(_("Mark at least two correct choices."))}
            )
        return value


class TrueFalseBlock(blocks.StructBlock):
    answer = blocks.BooleanBlock(label=_("the statement is true"), required=False)

    class Meta:
        icon = "tick"
        label = _("True / false")


class ShortAnswerBlock(blocks.StructBlock):
    accepted = blocks.ListBlock(
        blocks.CharBlock(label=_("accepted answer")), min_num=1, label=_("accepted")
    )
    pattern = blocks.CharBlock(
        label=_("regular expression"),
        required=False,
        help_text=_("Optional; matched against the whole answer, ignoring case."),
    )

    class Meta:
        icon = "edit"
        label = _("Short answer")

    def clean(self, value):
        value = super().clean(value)
        if value["pattern"]:
            try:
                re.compile(value["pattern"])
            except re.error as exc:
                raise _error(
                    {"pattern": ValidationError(_("Invalid expression: %s") % exc)}
                ) from exc
        return value


class NumericBlock(blocks.StructBlock):
    answer = blocks.DecimalBlock(label=_("answer"))
    tolerance = blocks.DecimalBlock(
        label=_("tolerance (±)"), min_value=0, required=False
    )

    class Meta:
        icon = "order"
        label = _("Numeric")


class PairBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(label=_("prompt"))
    match = blocks.CharBlock(label=_("match"))


class MatchingBlock(blocks.StructBlock):
    pairs = blocks.ListBlock(PairBlock(), min_num=2, label=_("pairs"))

    class Meta:
        icon = "link"
        label = _("Matching")


class OrderingBlock(blocks.StructBlock):
    items = blocks.ListBlock(
        blocks.CharBlock(label=_("item")),
        min_num=2,
        label=_("items in the correct order"),
    )

    class Meta:
        icon = "list-ol"
        label = _("Ordering")


class AnswerBlock(blocks.StreamBlock):
    single = SingleChoiceBlock()
    multiple = MultipleResponseBlock()
    true_false = TrueFalseBlock()
    short_answer = ShortAnswerBlock()
    numeric = NumericBlock()
    matching = MatchingBlock()
    ordering = OrderingBlock()

    class Meta:
        min_num = 1
        max_num = 1
