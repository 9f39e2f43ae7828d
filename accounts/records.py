"""Records of what happened to people, as opposed to content."""

from __future__ import annotations


class PersonRecord:
    """Mixin for a model that records something about a person (an attempt, a
    booking, a certificate, an audit event), not content an editor writes.

    Wagtail's reference index (the admin's "Usage" of a page or snippet) keeps
    which content links to which. It also indexes every model that has an admin
    view set and a foreign key, which for records means a savepoint, a read and
    an insert on every save (an exam start or submit paid four extra statements)
    and an exam's "usage" listing each of its thousands of attempts. Records are
    left out of it.
    """

    wagtail_reference_index_ignore = True
