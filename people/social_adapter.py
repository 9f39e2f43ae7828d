"""How a single sign-on (allauth social login) becomes a person here. Sign-ins
through an organisation's SAML identity provider follow the rules of
:mod:`people.saml`; the company-wide OpenID Connect sign-in keeps allauth's."""

from __future__ import annotations

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.template.response import TemplateResponse

from accounts.api import User

from . import saml


def _email_of(sociallogin) -> str:
    email = (sociallogin.user.email or "").strip().lower()
    if not email and sociallogin.email_addresses:
        email = sociallogin.email_addresses[0].email.strip().lower()
    return email


def _refuse(request, organization):
    return ImmediateHttpResponse(
        TemplateResponse(
            request,
            "people/sso_refused.html",
            {"organization": organization},
            status=403,
        )
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def _saml_organization(self, sociallogin):
        return saml.organization_of(sociallogin.account.get_provider().app)

    def pre_social_login(self, request, sociallogin):
        organization = self._saml_organization(sociallogin)
        if organization is None:
            return
        email = _email_of(sociallogin)
        person = (
            sociallogin.user
            if sociallogin.is_existing
            else User.objects.filter(email__iexact=email).first()
        )
        if not email or not saml.may_sign_in(organization, email, person):
            raise _refuse(request, organization)
        if person is not None and person.pk:
            saml.apply_roles(
                person,
                sociallogin.account.get_provider().app,
                sociallogin.account.extra_data,
            )

    def is_open_for_signup(self, request, sociallogin):
        organization = self._saml_organization(sociallogin)
        if organization is None:
            return super().is_open_for_signup(request, sociallogin)
        return saml.may_sign_in(organization, _email_of(sociallogin), None)

    def save_user(self, request, sociallogin, form=None):
        """Someone new, created the first time they sign in (just in time), in
        the organisation whose identity provider vouched for them."""
        organization = self._saml_organization(sociallogin)
        if organization is not None:
            sociallogin.user.organization = organization
        user = super().save_user(request, sociallogin, form)
        if organization is not None:
            saml.apply_roles(
                user,
                sociallogin.account.get_provider().app,
                sociallogin.account.extra_data,
            )
        return user
