"""Planning an import: every row checked against the database and the rest of the
file, before anything is written. The plan says, per person, create, update or
leave alone, and lists every problem with its line and column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.api import Organization, User, validate_time_zone
from assignments.api import assignable_pages, assigned_pairs
from onboarding.api import Cohort, CohortMember

from .columns import REQUIRED, canonical_header, label
from .reading import Table, UnreadableFile, read_table

_LIST = re.compile(r"\s*[;|,]\s*")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class ImportOptions:
    create_organizations: bool = False
    send_invitations: bool = False
    # Headers the import does not know, mapped by the person importing to a column
    # ("" leaves the header out).
    mapping: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str


@dataclass
class PersonPlan:
    line: int
    email: str
    action: str
    values: dict
    changes: list[str] = field(default_factory=list)
    user_id: int | None = None


@dataclass
class Plan:
    filename: str
    options: ImportOptions
    people: list[PersonPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    new_organizations: list[str] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (line, of line)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.people)

    def count(self, action: str) -> int:
        return sum(1 for person in self.people if person.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)


def preview(data: bytes, filename: str, options: ImportOptions | None = None) -> Plan:
    """Read ``data`` and plan the import; writes nothing."""
    options = options or ImportOptions()
    plan = Plan(filename=filename, options=options)
    try:
        table = read_table(data, filename)
    except UnreadableFile as error:
        plan.problems.append(Problem(0, "", str(error)))
        return plan
    columns = _columns(table, plan)
    if plan.problems:
        return plan
    _Planner(plan, table, columns).run()
    plan.problems.sort(key=lambda problem: problem.line)
    return plan


def _columns(table: Table, plan: Plan) -> list[str | None]:
    columns: list[str | None] = []
    seen: dict[str, str] = {}
    for header in table.headers:
        column = plan.options.mapping.get(header)
        if column is None:
            column = canonical_header(header)
            if column is None and header:
                plan.unknown_headers.append(header)
        column = column or None
        if column in seen:
            plan.problems.append(
                Problem(
                    1,
                    header,
                    _("“%(a)s” and “%(b)s” both mean %(column)s.")
                    % {"a": seen[column], "b": header, "column": label(column)},
                )
            )
        if column:
            seen[column] = header
        columns.append(column)
    for column in REQUIRED:
        if column not in seen:
            plan.problems.append(
                Problem(
                    1,
                    label(column),
                    _("The file has no %(column)s column.") % {"column": label(column)},
                )
            )
    return columns


def _parse_date(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class _Planner:
    def __init__(self, plan: Plan, table: Table, columns: list[str | None]):
        self.plan, self.table, self.columns = plan, table, columns

    def problem(self, line: int, column: str, message: str) -> None:
        self.plan.problems.append(Problem(line, label(column), message))

    def run(self) -> None:
        records = self._records()
        self._load(records)
        for line, record in records:
            self._person(line, record)
        self._manager_loops()

    def _records(self) -> list[tuple[int, dict]]:
        records, first_seen = [], {}
        for line, cells in self.table.rows:
            record = {
                column: cells[index].strip() if index < len(cells) else ""
                for index, column in enumerate(self.columns)
                if column
            }
            email = " ".join(record.get("email", "").split()).lower()
            record["email"] = email
            if email and email in first_seen:
                earlier_line, earlier = first_seen[email]
                if earlier == record:
                    self.plan.duplicates.append((line, earlier_line))
                else:
                    self.problem(
                        line,
                        "email",
                        _("%(email)s is also on line %(line)s, with other values.")
                        % {"email": email, "line": earlier_line},
                    )
                continue
            if email:
                first_seen[email] = (line, record)
            records.append((line, record))
        return records

    def _load(self, records) -> None:
        """Everything the rows refer to, read in a fixed number of queries."""
        emails = set()
        for _line, record in records:
            emails |= {
                record.get(key, "").lower() for key in ("email", "manager", "mentor")
            }
        emails.discard("")
        self.users = {
            user.email_lower: user
            for user in User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
            .select_related("organization", "manager")
            .prefetch_related("groups")
        }
        self.in_file = {record["email"] for _line, record in records if record["email"]}
        self.organizations = {
            org.name.casefold(): org for org in Organization.objects.all()
        }
        self.groups = {group.name.casefold(): group for group in Group.objects.all()}
        self.cohorts = {
            cohort.name.casefold(): cohort for cohort in Cohort.objects.all()
        }
        ids = [user.pk for user in self.users.values()]
        self.memberships = set(
            CohortMember.objects.filter(hire_id__in=ids).values_list(
                "hire_id", "cohort_id"
            )
        )
        self.pages = {}
        for page in assignable_pages():
            self.pages.setdefault(page.slug.casefold(), page)
            self.pages.setdefault(page.title.casefold(), page)
        self.assigned = assigned_pairs(ids)
        self.languages = {code for code, _name in settings.LANGUAGES}
        self.managers: dict[str, str] = {}

    def _person(self, line: int, record: dict) -> None:
        email = record["email"]
        problems_before = len(self.plan.problems)
        if not email:
            self.problem(line, "email", _("The e-mail address is missing."))
            return
        try:
            validate_email(email)
        except ValidationError:
            self.problem(
                line,
                "email",
                _("“%(email)s” is not an e-mail address.") % {"email": email},
            )
            return
        values = {"email": email}
        for name in ("first_name", "last_name"):
            if record.get(name):
                if len(record[name]) > 150:
                    self.problem(line, name, _("Longer than 150 characters."))
                values[name] = record[name][:150]
        self._organization(line, record, values)
        for key in ("manager", "mentor"):
            self._person_reference(line, record, values, key)
        self._roles(line, record, values)
        self._cohort(line, record, values)
        self._assignments(line, record, values)
        if record.get("time_zone"):
            try:
                validate_time_zone(record["time_zone"])
            except ValidationError as error:
                self.problem(line, "time_zone", " ".join(error.messages))
            else:
                values["time_zone"] = record["time_zone"]
        if record.get("language"):
            code = record["language"].lower()
            if code in self.languages:
                values["language"] = code
            else:
                self.problem(
                    line,
                    "language",
                    _("“%(code)s” is not one of the academy's languages (%(codes)s).")
                    % {
                        "code": record["language"],
                        "codes": ", ".join(sorted(self.languages)),
                    },
                )
        if len(self.plan.problems) > problems_before:
            return
        self.plan.people.append(self._action(line, values))

    def _organization(self, line, record, values) -> None:
        name = record.get("organization", "")
        if not name:
            return
        if name.casefold() in self.organizations:
            values["organization"] = self.organizations[name.casefold()].name
        elif self.plan.options.create_organizations:
            if name not in self.plan.new_organizations:
                self.plan.new_organizations.append(name)
            values["organization"] = name
        else:
            self.problem(
                line,
                "organization",
                _(
                    "There is no organisation “%(name)s” (tick “Create missing "
                    "organisations” to create it)."
                )
                % {"name": name},
            )

    def _person_reference(self, line, record, values, key) -> None:
        other = " ".join(record.get(key, "").split()).lower()
        if not other:
            return
        if other == values["email"]:
            self.problem(
                line, key, _("A person cannot be their own manager or mentor.")
            )
        elif other not in self.users and other not in self.in_file:
            self.problem(
                line,
                key,
                _("Nobody with the e-mail %(email)s is here or in the file.")
                % {"email": other},
            )
        else:
            values[key] = other
            if key == "manager":
                self.managers[values["email"]] = other

    def _roles(self, line, record, values) -> None:
        names = [n for n in _LIST.split(record.get("roles", "")) if n]
        unknown = [n for n in names if n.casefold() not in self.groups]
        if unknown:
            self.problem(
                line,
                "roles",
                _("Unknown role(s): %(unknown)s. Roles are: %(roles)s.")
                % {
                    "unknown": ", ".join(unknown),
                    "roles": ", ".join(sorted(g.name for g in self.groups.values())),
                },
            )
        elif names:
            values["roles"] = sorted({self.groups[n.casefold()].name for n in names})

    def _cohort(self, line, record, values) -> None:
        start = record.get("start_date", "")
        if start:
            parsed = _parse_date(start)
            if parsed is None:
                self.problem(
                    line,
                    "start_date",
                    _("“%(value)s” is not a date (write 2027-01-11 or 11/01/2027).")
                    % {"value": start},
                )
            else:
                values["start_date"] = parsed
        name = record.get("cohort", "")
        if not name:
            return
        cohort = self.cohorts.get(name.casefold())
        if cohort is None:
            self.problem(
                line, "cohort", _("There is no cohort “%(name)s”.") % {"name": name}
            )
            return
        values["cohort"] = cohort.name
        if not (values.get("mentor") or values.get("manager")):
            self.problem(
                line,
                "cohort",
                _("A hire in a cohort needs a mentor (or a manager, who mentors)."),
            )

    def _assignments(self, line, record, values) -> None:
        names = [n for n in _LIST.split(record.get("assignments", "")) if n]
        unknown = [n for n in names if n.casefold() not in self.pages]
        if unknown:
            self.problem(
                line,
                "assignments",
                _("No course, learning path or certification called %(names)s.")
                % {"names": ", ".join(f"“{n}”" for n in unknown)},
            )
        elif names:
            values["assignments"] = sorted({self.pages[n.casefold()].pk for n in names})

    def _action(self, line: int, values: dict) -> PersonPlan:
        user = self.users.get(values["email"])
        if user is None:
            values["new_assignments"] = values.get("assignments", [])
            return PersonPlan(line, values["email"], CREATE, values)
        changes = []
        for name in ("first_name", "last_name", "time_zone", "language"):
            if name in values and getattr(user, name) != values[name]:
                changes.append(name)
        if "organization" in values and (
            user.organization is None
            or user.organization.name != values["organization"]
        ):
            changes.append("organization")
        manager = self.users.get(values.get("manager", ""))
        if "manager" in values and (manager is None or user.manager_id != manager.pk):
            changes.append("manager")
        held = {group.name for group in user.groups.all()}
        if set(values.get("roles", [])) - held:
            changes.append("roles")
        cohort = self.cohorts.get(values.get("cohort", "").casefold())
        if cohort is not None and (user.pk, cohort.pk) not in self.memberships:
            changes.append("cohort")
        values["new_assignments"] = [
            page
            for page in values.get("assignments", [])
            if (user.pk, page) not in self.assigned
        ]
        if values["new_assignments"]:
            changes.append("assignments")
        return PersonPlan(
            line,
            values["email"],
            UPDATE if changes else UNCHANGED,
            values,
            changes,
            user.pk,
        )

    def _manager_loops(self) -> None:
        chains = {
            email: user.manager.email.lower()
            for email, user in self.users.items()
            if user.manager_id and user.manager
        }
        chains.update(self.managers)
        reported = set()
        for person in self.plan.people:
            path, current = [person.email], chains.get(person.email)
            while current and current not in path:
                path.append(current)
                current = chains.get(current)
            if current == person.email and frozenset(path) not in reported:
                reported.add(frozenset(path))
                self.plan.problems.append(
                    Problem(
                        person.line,
                        label("manager"),
                        _("Managers go round in a loop: %(loop)s.")
                        % {"loop": " → ".join([*path, person.email])},
                    )
                )
