"""What the other apps may use of accounts (the bottom layer).

Other apps import from here (or from ``accounts.signals``), never from the
modules behind it; an import-linter contract holds them to it. Everything named
here keeps its meaning across changes inside accounts:

- ``User``, ``Organization``: people and the customer organizations they belong to.
- ``roles``: the role (group) names; ``role_names``, ``is_training_admin``,
  ``is_internal_staff``, ``can_review_staff_work``, ``can_revoke_certificates``:
  who may do what. Role names are kept in the cache until a person's groups
  change; ``roles_changed``: code that writes memberships in bulk (no signal)
  says so.
- ``record_audit_event``, ``audit_event``, ``audit_values``: the audit log, written inside the
  transaction of the change it records.
- ``queue_email``, ``site_url``, ``training_admin_emails``: e-mail, sent after
  the transaction commits, with absolute links.
- ``staff_action``: marks a view outside the admin as staff work (MFA applies).
- ``bounded_int``, ``BoundedModelChoiceField``: ids from URLs and forms, bounded
  to what a column holds.
- ``validate_time_zone``: an IANA time zone name, or a clear error;
  ``zone_named``: the zone a stored name means (UTC when unknown).
- ``ViewOnlyPolicy``: an admin permission policy that allows reading only;
  ``TrainingAdminPolicy``, ``TrainingAdminMenuItem``: admin screens and menu
  entries for training admins only; ``kept_forms``: an admin inline formset's
  forms that will be saved, in order; ``PersonChooserFields``: an admin model
  form's people are picked with a searchable chooser (``person_chooser_widget``
  for a form that declares its widgets); ``unique_slug``: a slug of a text,
  not among those taken.
- ``PersonRecord``: marks a model as a record about a person, not content
  (left out of Wagtail's reference index).
- ``KeptRows``: a few fields of rarely edited rows that busy paths read (who
  listens for an event), kept in the shared cache until a row changes;
  ``generation``, ``generations``, ``advance_generation``: a number in the
  cache that makes whatever was kept under an older one out of date;
  ``forget``, ``may_keep``: a change made in a transaction advances it (at once
  and on commit), and that transaction keeps nothing under it; ``kept_under``:
  what a read returns, kept under such numbers; ``KeptPerPerson``: one person's
  rows that a busy page reads, kept per person and forgotten when they change
  (``BulkWritesForget``: a queryset's bulk writes name the people they touched).
- ``read_ahead``: a signed-in page reads every copy it will ask for in two
  cache reads at its start (``read_ahead_signed_in``: for the person signed
  in, with their session); ``ON_EVERY_PAGE``, ``ON_COURSE_PAGES``,
  ``ON_DASHBOARD``: which pages read a part ahead; ``register_read_ahead``: what an app's parts of
  such a page read for a person; ``read_with_session``: cache entries read
  with the session's own data, in one read; ``kept_entry``: a cache entry, as
  read ahead or kept by the request; ``keep``: a copy kept under its numbers,
  with the request's others in one write when it ends; ``Prepared``: a small
  read of plain values whose SQL the query builder writes once per process;
  ``planned_cursor``: a cursor whose statements PostgreSQL plans once per
  connection;
  ``drop_entry``: an entry out of date, gone from the cache and from what was
  read ahead; ``read_ahead_kept_rows``: every ``KeptRows`` copy read ahead, for
  a change whose events read them; ``ProcessMemo``: facts a process saw that
  never change (whose an attempt or a session is), bounded;
  ``HeldUnderNumber``: parts a process holds in its memory under one
  generation number, for a minute at most.
"""

from . import roles
from .admin_policies import (
    TrainingAdminMenuItem,
    TrainingAdminPolicy,
    ViewOnlyPolicy,
    kept_forms,
)
from .audit import audit_event, audit_values, record_audit_event
from .auth_backends import read_person
from .bounds import BoundedModelChoiceField, bounded_int
from .choosers import PersonChooserFields, person_chooser_widget
from .generations import (
    advance_generation,
    drop_entry,
    forget,
    generation,
    generations,
    keep,
    kept_entry,
    kept_under,
    may_keep,
    write_together,
)
from .held import HeldUnderNumber
from .json_field import FastJSONField
from .json_field import dumps as json_dumps
from .json_field import loads as json_loads
from .kept_per_person import BulkWritesForget, KeptPerPerson
from .kept_roles import roles_changed
from .kept_rows import KeptRows, read_ahead_kept_rows
from .middleware import staff_action
from .model_rows import Columns, insert_chain, insert_statement, inserted, quoted
from .models import AuditEvent, Organization, User
from .permissions import (
    can_review_staff_work,
    can_revoke_certificates,
    is_internal_staff,
    is_training_admin,
    role_names,
)
from .prepared import Prepared, planned_cursor
from .read_ahead import COURSES as ON_COURSE_PAGES
from .read_ahead import DASHBOARD as ON_DASHBOARD
from .read_ahead import FRAME as ON_EVERY_PAGE
from .read_ahead import (
    ProcessMemo,
    read_ahead,
    read_ahead_signed_in,
    read_with_session,
)
from .read_ahead import register as register_read_ahead
from .records import PersonRecord
from .services import queue_email, site_url, training_admin_emails
from .slugs import unique_slug
from .sso import address_fits
from .sso import domains as organization_domains
from .tokens import new_secret, secret_digest
from .validators import validate_time_zone, zone_named

__all__ = [
    "HeldUnderNumber",
    "KeptRows",
    "PersonChooserFields",
    "ON_COURSE_PAGES",
    "ON_DASHBOARD",
    "ON_EVERY_PAGE",
    "PersonRecord",
    "ProcessMemo",
    "BoundedModelChoiceField",
    "Organization",
    "TrainingAdminMenuItem",
    "TrainingAdminPolicy",
    "User",
    "ViewOnlyPolicy",
    "address_fits",
    "advance_generation",
    "audit_values",
    "bounded_int",
    "can_review_staff_work",
    "BulkWritesForget",
    "KeptPerPerson",
    "Columns",
    "insert_chain",
    "insert_statement",
    "inserted",
    "quoted",
    "read_person",
    "AuditEvent",
    "audit_event",
    "FastJSONField",
    "json_dumps",
    "json_loads",
    "write_together",
    "forget",
    "generation",
    "generations",
    "drop_entry",
    "keep",
    "kept_entry",
    "Prepared",
    "planned_cursor",
    "kept_under",
    "read_ahead",
    "read_ahead_kept_rows",
    "read_ahead_signed_in",
    "read_with_session",
    "register_read_ahead",
    "may_keep",
    "can_revoke_certificates",
    "is_internal_staff",
    "is_training_admin",
    "kept_forms",
    "organization_domains",
    "person_chooser_widget",
    "queue_email",
    "record_audit_event",
    "new_secret",
    "role_names",
    "roles_changed",
    "roles",
    "secret_digest",
    "site_url",
    "staff_action",
    "training_admin_emails",
    "unique_slug",
    "validate_time_zone",
    "zone_named",
]
