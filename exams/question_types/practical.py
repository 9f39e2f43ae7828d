"""Practical task: written work and files, graded by examiners against a rubric."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from .base import MAX_PRACTICAL_TEXT, QuestionType
from .editing import block_error

HAND_IN_TEXT = ("text", "text_and_files")
HAND_IN_FILES = ("files", "text_and_files")
DEFAULT_FILE_TYPES = [".pdf", ".txt", ".log"]
DEFAULT_MAX_FILE_MB = 10
DEFAULT_MAX_FILES = 3


# --- the author's block ---------------------------------------------------------


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
    label = blocks.CharBlock(
        label=gettext_lazy("level"), help_text=gettext_lazy("e.g. Exceeds, Meets")
    )
    description = blocks.TextBlock(label=gettext_lazy("what work at this level shows"))
    points = blocks.DecimalBlock(
        label=gettext_lazy("points"), min_value=0, decimal_places=2
    )


class CriterionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=gettext_lazy("criterion"))
    description = blocks.TextBlock(
        label=gettext_lazy("what is assessed"), required=False
    )
    levels = blocks.ListBlock(
        LevelBlock(), min_num=2, label=gettext_lazy("performance levels, best first")
    )


class PracticalTaskBlock(blocks.StructBlock):
    """A practical task: the question's text is the scenario; examiners grade the
    hand-in against the rubric."""

    hand_in = blocks.ChoiceBlock(
        label=gettext_lazy("what to hand in"),
        choices=[
            ("text", gettext_lazy("A written answer")),
            ("files", gettext_lazy("Files")),
            ("text_and_files", gettext_lazy("A written answer and files")),
        ],
        default="text_and_files",
    )
    file_types = blocks.CharBlock(
        label=gettext_lazy("accepted file types"),
        required=False,
        default=".pdf, .txt, .log, .md, .png, .jpg",
        help_text=gettext_lazy(
            "File name endings separated by commas, e.g. .pdf, .txt, .png"
        ),
    )
    max_file_mb = blocks.IntegerBlock(
        label=gettext_lazy("largest file (MB)"), min_value=1, max_value=50, default=10
    )
    max_files = blocks.IntegerBlock(
        label=gettext_lazy("most files"), min_value=1, max_value=20, default=3
    )
    suggested_minutes = blocks.IntegerBlock(
        label=gettext_lazy("suggested time (minutes)"),
        required=False,
        min_value=1,
        help_text=gettext_lazy(
            "Guidance only: the exam's own deadline is what the server enforces."
        ),
    )
    attachments = blocks.ListBlock(
        DocumentChooserBlock(label=gettext_lazy("document")),
        label=gettext_lazy("attachments for the candidate"),
        required=False,
        default=[],
    )
    rubric = blocks.ListBlock(CriterionBlock(), min_num=1, label=gettext_lazy("rubric"))

    class Meta:
        icon = "clipboard-list"
        label = gettext_lazy("Practical task (graded by an examiner)")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["hand_in"] != "text":
            try:
                if not parse_file_types(value["file_types"] or ""):
                    errors["file_types"] = ValidationError(
                        gettext_lazy(
                            "Name at least one file type for a hand-in with files."
                        )
                    )
            except ValueError as exc:
                errors["file_types"] = ValidationError(
                    gettext_lazy("“%(type)s” is not a file type such as .pdf.")
                    % {"type": exc.args[0]}
                )
        for criterion in value["rubric"]:
            points = [level["points"] for level in criterion["levels"]]
            if max(points) <= 0:
                errors["rubric"] = ValidationError(
                    gettext_lazy(
                        "Criterion “%(title)s” needs a level worth more than 0 points."
                    )
                    % {"title": criterion["title"]}
                )
        if errors:
            raise block_error(errors)
        return value


# --- the type ---------------------------------------------------------------------


class Practical(QuestionType):
    code = "practical"
    label = "Practical task"
    editor_block_class = PracticalTaskBlock
    manual = True
    spec_fields = frozenset(
        {
            "hand_in",
            "file_types",
            "max_file_mb",
            "max_files",
            "suggested_minutes",
            "rubric",
        }
    )
    optional_spec_fields = spec_fields - {"rubric"}

    def snapshot(self, answer, *, make_id, rng, shuffle_choices):
        rubric = []
        for c, criterion in enumerate(answer["rubric"]):
            levels = [
                {
                    "id": f"c{c}l{n}",
                    "label": level["label"],
                    "description": level.get("description", ""),
                    "points": str(Decimal(str(level["points"]))),
                }
                for n, level in enumerate(criterion["levels"])
            ]
            rubric.append(
                {
                    "id": f"c{c}",
                    "title": criterion["title"],
                    "description": criterion.get("description") or "",
                    "levels": levels,
                }
            )
        max_points = sum(
            (max(Decimal(level["points"]) for level in c["levels"]) for c in rubric),
            Decimal(0),
        )
        hand_in = answer.get("hand_in") or "text_and_files"
        public = {
            "hand_in": hand_in,
            "accepts_text": hand_in in HAND_IN_TEXT,
            "accepts_files": hand_in in HAND_IN_FILES,
            "file_types": list(answer.get("file_types") or []),
            "max_file_mb": int(answer.get("max_file_mb") or DEFAULT_MAX_FILE_MB),
            "max_files": int(answer.get("max_files") or DEFAULT_MAX_FILES),
            "suggested_minutes": answer.get("suggested_minutes") or None,
            "attachments": list(answer.get("attachments") or []),
            # Candidates see what is assessed, not the points of each level.
            "criteria": [
                {"id": c["id"], "title": c["title"], "description": c["description"]}
                for c in rubric
            ],
        }
        return public, {"rubric": rubric, "max_points": str(max_points)}

    def points(self, key, authored):
        return Decimal(key["max_points"])

    def sample_form_fields(self, name, public, rng):
        if not public.get("accepts_text"):
            return []
        return [(name, rng.choice(["Restarted the gateway.", "Read the logs first."]))]

    def parse_form(self, name, public, data):
        return {"text": data.get(name, "")}

    def clean(self, public, raw):
        if not public.get("accepts_text"):
            return None
        text = str(raw.get("text", ""))[:MAX_PRACTICAL_TEXT]
        return {"text": text} if text.strip() else None

    def is_answered(self, response):
        return bool(str(response.get("text", "")).strip() or response.get("files"))

    def correct_response(self, key):
        return {"text": "Checked the health endpoint, then port 9443."}

    def answer_from_spec(self, spec):
        return {
            "hand_in": spec.hand_in or "text_and_files",
            "file_types": ", ".join(spec.file_types or DEFAULT_FILE_TYPES),
            "max_file_mb": spec.max_file_mb or DEFAULT_MAX_FILE_MB,
            "max_files": spec.max_files or DEFAULT_MAX_FILES,
            "suggested_minutes": spec.suggested_minutes,
            "attachments": [],
            "rubric": [
                {
                    "title": c.title,
                    "description": c.description,
                    "levels": [
                        {
                            "label": lvl.label,
                            "description": lvl.description,
                            "points": str(lvl.points),
                        }
                        for lvl in c.levels
                    ],
                }
                for c in spec.rubric
            ],
        }

    def example_answer(self):
        return {
            "hand_in": "text_and_files",
            "file_types": [".txt"],
            "rubric": [
                {
                    "title": "Diagnosis",
                    "levels": [
                        {"label": "Missing", "points": "0"},
                        {"label": "Complete", "points": "4"},
                    ],
                }
            ],
        }


TYPE = Practical()
