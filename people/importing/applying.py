"""Writing an import: all of it in one transaction, or nothing.

The file is planned again inside the transaction, so what is written is what the
database holds at that moment; a plan with any problem writes nothing.
"""

from __future__ import annotations

from collections import defaultdict

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import Page

from accounts.api import (
    Organization,
    User,
    queue_email,
    record_audit_event,
    roles_changed,
    site_url,
)
from assignments.api import AudienceKind, create_assignment, sync_rules, teams_changed
from onboarding.api import Cohort, CohortMember

from ..signals import people_imported
from .planning import CREATE, UPDATE, ImportOptions, Plan, preview

CHUNK = 1000


class ImportRefused(Exception):
    """The plan has problems; nothing was written."""

    def __init__(self, plan: Plan):
        self.plan = plan
        super().__init__(f"{len(plan.problems)} problem(s); nothing was imported")


def apply(data: bytes, filename: str, options: ImportOptions, *, actor) -> Plan:
    with transaction.atomic():
        plan = preview(data, filename, options)
        if not plan.ok:
            raise ImportRefused(plan)
        _Writer(plan, actor).write()
    return plan


class _Writer:
    def __init__(self, plan: Plan, actor):
        self.plan, self.actor = plan, actor

    def write(self) -> None:
        self.organizations = self._organizations()
        people = self._people()
        self._managers(people)
        self._roles(people)
        self._cohorts(people)
        self._assignments(people)
        sync_rules()  # rules reach the new people (bulk writes send no signals)
        record_audit_event(
            actor=self.actor,
            action="people.import",
            target=self.actor,
            before=None,
            after={
                "file": self.plan.filename,
                "created": self.plan.created,
                "updated": self.plan.updated,
                "unchanged": self.plan.unchanged,
            },
        )
        if self.plan.options.send_invitations:
            # People of an organisation that signs in through SSO need no password.
            self._invite(
                [
                    people[p.email]
                    for p in self.plan.people
                    if p.action == CREATE and not self._sso_only(p)
                ]
            )

    def _sso_only(self, person) -> bool:
        name = person.values.get("organization")
        return bool(name) and self.organizations[name].sso_only

    def _organizations(self) -> dict[str, Organization]:
        for name in self.plan.new_organizations:
            slug, n = slugify(name)[:90] or "organisation", 1
            base = slug
            while Organization.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            Organization.objects.get_or_create(name=name, defaults={"slug": slug})
        return {org.name: org for org in Organization.objects.all()}

    def _people(self) -> dict[str, User]:
        fields = ("first_name", "last_name", "time_zone", "language")
        new = []
        for person in self.plan.people:
            if person.action != CREATE:
                continue
            user = User(
                email=person.email,
                **{
                    name: person.values[name]
                    for name in fields
                    if name in person.values
                },
            )
            org = person.values.get("organization")
            user.organization = self.organizations[org] if org else None
            user.set_unusable_password()
            new.append(user)
        User.objects.bulk_create(new, batch_size=CHUNK)
        people_imported.send(sender=User, people=new)
        # The file's people and everyone named as a manager or mentor: one query.
        named = {p.email for p in self.plan.people} | {
            p.values[key]
            for p in self.plan.people
            for key in ("manager", "mentor")
            if p.values.get(key)
        }
        people = {
            user.email_lower: user
            for user in User.objects.annotate(email_lower=Lower("email")).filter(
                email_lower__in=named
            )
        }
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(
                    user=people[u.email], email=u.email, verified=True, primary=True
                )
                for u in new
            ],
            batch_size=CHUNK,
            ignore_conflicts=True,
        )
        changed = []
        for person in self.plan.people:
            if person.action != UPDATE:
                continue
            user = people[person.email]
            for name in fields:
                if name in person.changes:
                    setattr(user, name, person.values[name])
            if "organization" in person.changes:
                user.organization = self.organizations[person.values["organization"]]
            changed.append(user)
        User.objects.bulk_update(changed, [*fields, "organization"], batch_size=CHUNK)
        return people

    def _managers(self, people) -> None:
        users = []
        for person in self.plan.people:
            email = person.values.get("manager")
            if email and ("manager" in person.changes or person.action == CREATE):
                user = people[person.email]
                user.manager = people[email]
                users.append(user)
        User.objects.bulk_update(users, ["manager"], batch_size=CHUNK)
        if users:
            teams_changed()  # a bulk write sends no signal

    def _roles(self, people) -> None:
        groups = {group.name: group for group in Group.objects.all()}
        links = [
            User.groups.through(user_id=people[p.email].pk, group_id=groups[name].pk)
            for p in self.plan.people
            for name in p.values.get("roles", [])
        ]
        User.groups.through.objects.bulk_create(
            links, batch_size=CHUNK, ignore_conflicts=True
        )
        if links:
            roles_changed()  # a bulk write sends no signal

    def _cohorts(self, people) -> None:
        cohorts = {cohort.name: cohort for cohort in Cohort.objects.all()}
        members = []
        for person in self.plan.people:
            name = person.values.get("cohort")
            if not name:
                continue
            mentor_email = person.values.get("mentor") or person.values.get("manager")
            mentor = people[mentor_email]
            members.append(
                CohortMember(
                    cohort=cohorts[name],
                    hire=people[person.email],
                    mentor=mentor,
                    start_date=person.values.get("start_date"),
                )
            )
        CohortMember.objects.bulk_create(
            members, batch_size=CHUNK, ignore_conflicts=True
        )

    def _assignments(self, people) -> None:
        wanted = defaultdict(list)
        for person in self.plan.people:
            for page_id in person.values.get("new_assignments", []):
                wanted[page_id].append(people[person.email])
        for page_id, assignees in wanted.items():
            create_assignment(
                actor=self.actor,
                item=Page.objects.get(pk=page_id),
                audience=AudienceKind.PEOPLE,
                people=assignees,
            )

    def _invite(self, users) -> None:
        for user in users:
            link = site_url(
                reverse(
                    "account_reset_password_from_key",
                    kwargs={
                        "uidb36": user_pk_to_url_str(user),
                        "key": default_token_generator.make_token(user),
                    },
                )
            )
            context = {"person": user, "link": link}
            queue_email(
                to=[user.email],
                subject=render_to_string(
                    "people/email/invitation_subject.txt", context
                ),
                body_text=render_to_string("people/email/invitation.txt", context),
                body_html=render_to_string("people/email/invitation.html", context),
            )
