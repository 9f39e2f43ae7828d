from assignments import services
from assignments.models import AudienceKind, PersonAssignment
from tests.factories import modules_of, study_module


def assign(actor, item, *, people=(), audience=AudienceKind.PEOPLE, **fields):
    assignment, _refusals = services.create_assignment(
        actor=actor, item=item, audience=audience, people=people, **fields
    )
    return assignment


def rows_of(person, assignment=None):
    rows = PersonAssignment.objects.filter(person=person).order_by("cycle")
    if assignment is not None:
        rows = rows.filter(assignment=assignment)
    return list(rows)


def complete_course(user, course):
    from courses import services as course_services

    course_services.enroll(user=user, course=course)
    for module in modules_of(course):
        study_module(user=user, module=module)
