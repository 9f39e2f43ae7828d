"""Who is calling and what they may see: one home for the API's reach.

- A client of no organisation (made by a training admin) sees everyone.
- A client of an organisation sees that organisation's people only.
- A personal access token acts as its person: a training admin sees everyone, an
  organisation admin their organisation, anyone else themselves.
Writes act as a person (the client's creator, or the token's owner) through the
same services as the pages, so the same permissions and audit apply.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.api import User, is_training_admin


@dataclass(frozen=True)
class Caller:
    scopes: frozenset[str]
    acts_as: object | None  # the person writes are made as (and audited to)
    everyone: bool = False
    organization_id: int | None = None
    only_person_id: int | None = None
    client_id: str = ""

    @property
    def key(self) -> str:
        """Tells callers apart for rate limits and idempotency keys."""
        return self.client_id or f"person:{self.only_person_id or self.acts_as.pk}"

    def people(self):
        people = User.objects.all()
        if self.everyone:
            return people
        if self.organization_id is not None:
            return people.filter(organization_id=self.organization_id)
        return people.filter(pk=self.only_person_id)

    def may_see_organization(self, organization_id: int | None) -> bool:
        return self.everyone or (
            self.organization_id is not None and organization_id == self.organization_id
        )


def for_client(api_client, token_scopes: frozenset[str]) -> Caller:
    application = api_client.application
    return Caller(
        scopes=token_scopes & api_client.allowed_scopes,
        acts_as=application.user,
        everyone=api_client.organization_id is None,
        organization_id=api_client.organization_id,
        client_id=f"client:{application.client_id}",
    )


def for_person(person, token_scopes: frozenset[str]) -> Caller:
    if is_training_admin(person):
        return Caller(scopes=token_scopes, acts_as=person, everyone=True)
    if person.is_organization_admin and person.organization_id:
        return Caller(
            scopes=token_scopes,
            acts_as=person,
            organization_id=person.organization_id,
        )
    return Caller(scopes=token_scopes, acts_as=person, only_person_id=person.pk)
