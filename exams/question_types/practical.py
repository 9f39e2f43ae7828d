"""Practical task: written work and files, graded by examiners against a rubric."""

from __future__ import annotations

from decimal import Decimal

from .base import MAX_PRACTICAL_TEXT, QuestionType

HAND_IN_TEXT = ("text", "text_and_files")
HAND_IN_FILES = ("files", "text_and_files")
DEFAULT_FILE_TYPES = [".pdf", ".txt", ".log"]
DEFAULT_MAX_FILE_MB = 10
DEFAULT_MAX_FILES = 3


class Practical(QuestionType):
    code = "practical"
    label = "Practical task"
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
