"""The verbs and activity types the statements use: one registry, read by the
statement builders, the admin's statement log and the README.

Verb and activity-type IRIs are the ADL vocabulary's where it has one (xAPI
1.0.3 leaves the choice to the community of practice); "earned" is the TinCan
registry's, which most LRS dashboards recognise.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verb:
    iri: str
    display: str
    meaning: str


VERBS: dict[str, Verb] = {
    "registered": Verb(
        "http://adlnet.gov/expapi/verbs/registered",
        "registered",
        "Someone enrolled in a course",
    ),
    "experienced": Verb(
        "http://adlnet.gov/expapi/verbs/experienced",
        "experienced",
        "Someone worked through a lesson (first completion)",
    ),
    "completed": Verb(
        "http://adlnet.gov/expapi/verbs/completed",
        "completed",
        "Someone completed a course",
    ),
    "passed": Verb(
        "http://adlnet.gov/expapi/verbs/passed",
        "passed",
        "An exam result became final: a pass, with the score",
    ),
    "failed": Verb(
        "http://adlnet.gov/expapi/verbs/failed",
        "failed",
        "An exam result became final: not a pass, with the score",
    ),
    "attended": Verb(
        "http://adlnet.gov/expapi/verbs/attended",
        "attended",
        "Someone was marked present at an instructor-led class",
    ),
    "earned": Verb(
        "http://id.tincanapi.com/verb/earned",
        "earned",
        "Someone was issued a certificate (first issue or renewal)",
    ),
}

ACTIVITY_TYPES: dict[str, str] = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "meeting": "http://adlnet.gov/expapi/activities/meeting",
    "certificate": "http://activitystrea.ms/schema/1.0/badge",
}
