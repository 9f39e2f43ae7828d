"""The answer part of a question: one block, whose type is the question's type."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


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


FILE_TYPE = re.compile(r"^\.[a-z0-9]{1,10}$")


def parse_file_types(text: str) -> list[str]:
    """``".pdf, .LOG txt"`` to ``[".pdf", ".log", ".txt"]``; ValueError if malformed."""
    types = []
    for part in re.split(r"[\s,]+", text.strip().lower()):
        if not part:
            continue
        part = part if part.startswith(".") else f".{part}"
        if not FILE_TYPE.match(part):
            raise ValueError(part)
        if part not in types:
            types.append(part)
    return types


class LevelBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("level"), help_text=_("e.g. Exceeds, Meets"))
    description = blocks.TextBlock(label=_("what work at this level shows"))
    points = blocks.DecimalBlock(label=_("points"), min_value=0, decimal_places=2)


class CriterionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("criterion"))
    description = blocks.TextBlock(label=_("what is assessed"), required=False)
    levels = blocks.ListBlock(
        LevelBlock(), min_num=2, label=_("performance levels, best first")
    )


class PracticalTaskBlock(blocks.StructBlock):
    """A practical task: the question's text is the scenario; examiners grade the
    hand-in against the rubric."""

    hand_in = blocks.ChoiceBlock(
        label=_("what to hand in"),
        choices=[
            ("text", _("A written answer")),
            ("files", _("Files")),
            ("text_and_files", _("A written answer and files")),
        ],
        default="text_and_files",
    )
    file_types = blocks.CharBlock(
        label=_("accepted file types"),
        required=False,
        default=".pdf, .txt, .log, .md, .png, .jpg",
        help_text=_("File name endings separated by commas, e.g. .pdf, .txt, .png"),
    )
    max_file_mb = blocks.IntegerBlock(
        label=_("largest file (MB)"), min_value=1, max_value=50, default=10
    )
    max_files = blocks.IntegerBlock(
        label=_("most files"), min_value=1, max_value=20, default=3
    )
    suggested_minutes = blocks.IntegerBlock(
        label=_("suggested time (minutes)"),
        required=False,
        min_value=1,
        help_text=_(
            "Guidance only: the exam's own deadline is what the server enforces."
        ),
    )
    attachments = blocks.ListBlock(
        DocumentChooserBlock(label=_("document")),
        label=_("attachments for the candidate"),
        required=False,
        default=[],
    )
    rubric = blocks.ListBlock(CriterionBlock(), min_num=1, label=_("rubric"))

    class Meta:
        icon = "clipboard-list"
        label = _("Practical task (graded by an examiner)")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["hand_in"] != "text":
            try:
                if not parse_file_types(value["file_types"] or ""):
                    errors["file_types"] = ValidationError(
                        _("Name at least one file type for a hand-in with files.")
                    )
            except ValueError as exc:
                errors["file_types"] = ValidationError(
                    _("“%(type)s” is not a file type such as .pdf.")
                    % {"type": exc.args[0]}
                )
        for criterion in value["rubric"]:
            points = [level["points"] for level in criterion["levels"]]
            if max(points) <= 0:
                errors["rubric"] = ValidationError(
                    _("Criterion “%(title)s” needs a level worth more than 0 points.")
                    % {"title": criterion["title"]}
                )
        if errors:
            raise _error(errors)
        return value


class AnswerBlock(blocks.StreamBlock):
    single = SingleChoiceBlock()
    multiple = MultipleResponseBlock()
    true_false = TrueFalseBlock()
    short_answer = ShortAnswerBlock()
    numeric = NumericBlock()
    matching = MatchingBlock()
    ordering = OrderingBlock()
    practical = PracticalTaskBlock()

    class Meta:
        min_num = 1
        max_num = 1
