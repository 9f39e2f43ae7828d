"""The events a subscription can choose: one registry, read by the form, the
emitters and the README."""

EVENTS: dict[str, str] = {
    "certificate.issued": "A certificate was issued (first issue)",
    "certificate.renewed": "A certificate was renewed (a new cycle)",
    "certificate.revoked": "A certificate was revoked",
    "certificate.expiring": "A certificate reached a reminder before it expires",
    "course.completed": "Someone completed a course",
    "attempt.graded": "An exam result became final (pass or fail)",
    "assignment.overdue": "Someone's assigned training became overdue",
    "person.created": "A person was created (sign-up, import, SCIM, SSO)",
    "person.deactivated": "A person was deactivated",
}
