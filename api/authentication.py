"""Who is calling the API: the holder of a partnership's token, sent as ``Authorization: Bearer <token>``.

The holder is a :class:`TokenHolder`, not an account: it belongs to the token's partnership, so every read goes
through the same ``.visible_to(user)`` walls as the pages (``inspections.tenancy``), and to nothing else.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions

from api.models import ApiToken
from api.services import digest_of, token_used


class TokenHolder:
    """Whoever presents a usable token: a reader of its partnership, with its scopes, and no account."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, token: ApiToken) -> None:
        self.token = token
        # What inspections.tenancy.partnership_id_of reads: the holder reads its token's partnership only.
        self.person = SimpleNamespace(partnership_id=token.partnership_id, pk=None)

    def __str__(self) -> str:
        return f"API token {self.token.name} ({self.token.prefix})"

    def get_username(self) -> str:
        return str(self)

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False  # no page's permission: the API asks scopes (api.base.HasScope)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[TokenHolder, ApiToken] | None:
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        try:
            presented = words[1].decode("ascii")
        except UnicodeDecodeError as wrong:
            raise exceptions.AuthenticationFailed("This token is not valid.") from wrong
        token = ApiToken.objects.filter(digest=digest_of(presented)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("This token is not valid.")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed("This token has expired.")
        holder = TokenHolder(token)
        token_used(token=token, request=request._request, holder=holder)
        return holder, token

    def authenticate_header(self, request: Any) -> str:
        return f'{self.keyword} realm="api"'
