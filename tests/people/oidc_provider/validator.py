from oauth2_provider.oauth2_validators import OAuth2Validator

# A person whose tokens this provider issues for another client: what a
# misconfigured or hostile provider would do.
OTHER_AUDIENCE_PREFIX = "other-audience"


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "given_name": user.first_name,
            "family_name": user.last_name,
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims = super().get_id_token_dictionary(token, token_handler, request)
        if request.user.username.startswith(OTHER_AUDIENCE_PREFIX):
            claims["aud"] = "someone-elses-client"
        return claims
