"""Who must use a second factor at sign-in, and a manager's reset of someone's.

Required for partnership managers, sub-group chairs and report officers, for support staff and outside
monitors (``monitors``), and for everyone in a partnership that says so
(``Partnership.second_factor_for_everyone``). An authenticator app or a security key counts; recovery codes
only back one up. Always in production (``settings.SECOND_FACTOR_REQUIRED``); the local demo and most tests
leave it off so that anyone can try the service with a username and password.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings

from people.models import Person

#: The roles that must use a second factor whatever their partnership says.
ROLES = frozenset({Person.Role.MANAGER, Person.Role.CHAIR, Person.Role.OFFICER})
FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def second_factor_required(user: Any) -> bool:
    if not settings.SECOND_FACTOR_REQUIRED or not user.is_authenticated or not user.is_active:
        return False
    person = getattr(user, "person", None)
    if person is None:
        from monitors.selectors import is_monitor
        from onboarding.services import is_support_staff

        # Outside monitors read several partnerships' records: as support staff do, they always need one.
        return is_support_staff(user) or user.is_superuser or is_monitor(user)
    return person.role in ROLES or person.partnership.second_factor_for_everyone


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type__in=FACTORS).exists()


#: Set in the session once the check passes, so later pages cost no query; removing one's own factor clears it.
SESSION_KEY = "second_factor_checked"


def second_factor_missing(request) -> bool:
    """Required of the signed-in user, and none set up."""
    if request.session.get(SESSION_KEY):
        return False
    missing = second_factor_required(request.user) and not has_second_factor(request.user)
    if not missing:
        request.session[SESSION_KEY] = True
    return missing
