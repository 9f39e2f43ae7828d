"""Statements (xAPI 1.0.3) built from the platform's facts. Pure: each builder
takes plain values and returns the statement as a dict, testable without a
database.

The actor is the person by e-mail (``mbox``) and name, as an organisation's own
LRS knows them. A statement's ``id`` is fixed when it is queued, so a resend
after a lost answer is the same statement (an LRS answers 204 to an identical
duplicate, never stores it twice).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .vocabulary import ACTIVITY_TYPES, VERBS

VERSION = "1.0.3"
PLATFORM = "MWRASP Academy"


@dataclass(frozen=True)
class Person:
    email: str
    name: str


@dataclass(frozen=True)
class Activity:
    iri: str
    kind: str
    title: str
    description: str = ""

    def as_object(self) -> dict:
        definition = {
            "name": {"en-US": self.title},
            "type": ACTIVITY_TYPES[self.kind],
        }
        if self.description:
            definition["description"] = {"en-US": self.description}
        return {"objectType": "Activity", "id": self.iri, "definition": definition}


@dataclass(frozen=True)
class Score:
    """A result in percent (0–100) against the pass mark."""

    percent: Decimal
    passed: bool

    def as_result(self) -> dict:
        percent = max(Decimal(0), min(Decimal(100), Decimal(self.percent)))
        return {
            "score": {
                "scaled": float(round(percent / 100, 4)),
                "raw": float(percent),
                "min": 0,
                "max": 100,
            },
            "success": self.passed,
            "completion": True,
        }


def actor(person: Person) -> dict:
    agent = {"objectType": "Agent", "mbox": f"mailto:{person.email}"}
    if person.name:
        agent["name"] = person.name
    return agent


def statement(
    *,
    verb: str,
    person: Person,
    activity: Activity,
    timestamp: datetime,
    parent: Activity | None = None,
    score: Score | None = None,
    statement_id: uuid.UUID | None = None,
) -> dict:
    """One statement: ``person`` ``verb`` ``activity`` at ``timestamp``."""
    known = VERBS[verb]
    context: dict = {"platform": PLATFORM, "language": "en"}
    if parent is not None:
        context["contextActivities"] = {"parent": [parent.as_object()]}
    body = {
        "id": str(statement_id or uuid.uuid4()),
        "actor": actor(person),
        "verb": {"id": known.iri, "display": {"en-US": known.display}},
        "object": activity.as_object(),
        "timestamp": timestamp.isoformat(),
        "context": context,
        "version": VERSION,
    }
    if score is not None:
        body["result"] = score.as_result()
    elif verb == "completed":
        body["result"] = {"completion": True}
    return body
