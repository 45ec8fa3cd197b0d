from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Puts the user's email, whether it is verified, and name in the ID token and the userinfo response.

    django-oauth-toolkit adds `sub` (the user's primary key) itself and hands out each claim only with its
    scope: `email` and `email_verified` with "email", `name` with "profile". Taking no request argument
    makes the toolkit list these claims in the discovery document's `claims_supported`.
    """

    def get_additional_claims(self):
        return {
            "email": lambda request: request.user.email,
            "email_verified": lambda request: request.user.profile.email_verified,
            "name": lambda request: request.user.profile.name,
        }
