"""What each event says: ids and dates an outside system can act on, never
answers, keys or anything a person would not want sent."""


def org(person):
    return person.organization_id if person is not None else None


def person(user) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organization_id": user.organization_id,
        "active": user.is_active,
    }


def course(page) -> dict:
    return {"id": page.pk, "slug": page.slug, "title": page.title}


def certificate(certificate) -> dict:
    return {
        "serial": certificate.serial,
        "kind": certificate.kind,
        "title": certificate.title,
        "holder": {"id": certificate.holder_id, "email": certificate.holder.email},
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat()
        if certificate.expires_on
        else None,
        "revoked": certificate.revoked_at is not None,
        "revocation_reason": certificate.revocation_reason or None,
        "verification_url": certificate.verification_url,
    }


def result(attempt) -> dict:
    """An exam result as the API's results show it: never answers or keys."""
    return {
        "id": str(attempt.public_id),
        "person": person(attempt.user),
        "exam": {
            "id": attempt.exam_id,
            "slug": attempt.exam.slug,
            "title": attempt.exam.title,
        },
        "number": attempt.number,
        "percent": float(attempt.percent) if attempt.percent is not None else None,
        "passed": attempt.passed,
        "graded_at": attempt.graded_at.isoformat() if attempt.graded_at else None,
    }
