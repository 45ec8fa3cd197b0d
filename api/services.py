"""Every change to API tokens: made, revoked, used. Each one is written to the partnership's security log."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from api.models import LONGEST_LIFE, ApiToken, Scope
from audit.models import AuditEvent
from audit.services import record
from jtai_tracker.writes import save_checked

#: At most one "API used" event and one last-use write per token in this time: a dashboard refreshing every
#: few seconds must not fill the security log.
USE_RECORDED_EVERY = datetime.timedelta(minutes=1)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(
    *,
    partnership: Any,
    name: str,
    scopes: list[str],
    expires_on: datetime.date,
    by: Any = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A new token of ``partnership`` and its secret, which is returned here once and never stored.

    Refused (ValidationError) without a name or a scope, with an unknown scope, a name an active token of the
    partnership already has, or an expiry not after today nor within :data:`api.models.LONGEST_LIFE`.
    """
    name = name.strip()
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not name:
        errors["name"] = "Enter a name for the token"
    elif ApiToken.objects.for_partnership(partnership).filter(name__iexact=name, revoked_at__isnull=True).exists():
        errors["name"] = "An active token already has this name: choose another, or revoke that one first"
    if not scopes:
        errors["scopes"] = "Select what the token may read"
    elif set(scopes) - set(Scope.values):
        errors["scopes"] = "Select what the token may read from the list"
    if expires_on <= today:
        errors["expires_on"] = "The expiry date must be in the future"
    elif expires_on > today + LONGEST_LIFE:
        errors["expires_on"] = f"The expiry date must be within {LONGEST_LIFE.days} days of today"
    if errors:
        raise ValidationError(errors)
    prefix = f"jtai_{secrets.token_hex(4)}"
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    # Midnight at the end of the expiry day, local time.
    expires_at = timezone.make_aware(
        datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time())
    )
    token = ApiToken(
        partnership_id=getattr(partnership, "pk", partnership),
        name=name,
        scopes=[scope for scope in Scope.values if scope in scopes],
        prefix=prefix,
        digest=digest_of(secret),
        created_by=by,
        expires_at=expires_at,
    )
    save_checked(token, by)
    record(
        request,
        AuditEvent.Event.API_TOKEN_CREATED,
        user=getattr(by, "user", None),
        partnership=token.partnership_id,
        subject=str(token),
        detail=f"Scopes: {', '.join(token.scopes)}; expires {expires_on:%d %B %Y}",
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by: Any = None, request: HttpRequest | None = None) -> ApiToken:
    """Revoke ``token`` from now on (refused, ValidationError, if it already was): its next request is refused."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError("This token has already been revoked")
    token.revoked_at = timezone.now()
    token.revoked_by = by
    save_checked(token, by)
    record(
        request,
        AuditEvent.Event.API_TOKEN_REVOKED,
        user=getattr(by, "user", None),
        partnership=token.partnership_id,
        subject=str(token),
    )
    return token


def token_used(*, token: ApiToken, request: HttpRequest, holder: Any) -> bool:
    """Note that ``token`` was used now: its last use, and an "API used" event in its partnership's log, at most
    once per :data:`USE_RECORDED_EVERY` per token (True when this request was the one written).

    The token row read to authenticate says whether a minute has passed; only then does one conditional UPDATE
    decide which request writes, so two at once never both do, and most requests write nothing."""
    now = timezone.now()
    if token.last_used_at is not None and token.last_used_at > now - USE_RECORDED_EVERY:
        return False
    with transaction.atomic():
        won = (
            ApiToken.objects.filter(pk=token.pk)
            .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USE_RECORDED_EVERY))
            .update(last_used_at=now)
        )
        if won:
            token.last_used_at = now
            record(
                request,
                AuditEvent.Event.API_USED,
                user=None,
                username=str(holder),
                partnership=token.partnership_id,
                subject=str(token),
                detail=f"{request.method} {request.get_full_path()}"[:500],
            )
    return bool(won)
