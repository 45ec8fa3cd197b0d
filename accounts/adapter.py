"""How django-allauth's sign-in, second factors and single sign-on fit this service.

* No one signs themselves up (``is_open_for_signup``): people are invited, or matched by single sign-on to
  someone already in the partnership whose provider they used (:class:`SignOnAdapter`).
* The client's address is :func:`jtai_tracker.client_ip.client_ip`'s, for every rate limit.
* Failed sign-ins are counted per sign-in name *from one address* (so a lockout from one address does not lock
  the person out from another), per address across names, and per name across all addresses
  (``settings.ACCOUNT_RATE_LIMITS``); reaching a limit is recorded in the security log.
* A partnership that has turned local passwords off (``Partnership.passwords_allowed``) refuses its people's
  passwords: they sign in through their organisation.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit  # its usages can be rolled back, as allauth's own adapter does
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from jtai_tracker.client_ip import client_ip


def display_name(user: Any) -> str:
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def partnership_of(user: Any):
    person = getattr(user, "person", None) if user is not None else None
    return person.partnership if person is not None else None


def _record(request, event: str, **kwargs) -> None:
    from audit.services import record

    record(request, event, **kwargs)


_APP = "allauth.account"


class _Usages:
    """Several rate-limit consumptions rolled back together when the sign-in succeeds."""

    def __init__(self, usages):
        self.usages = usages

    def rollback(self) -> None:
        for usage in self.usages:
            usage.rollback()


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": "Enter a correct username and password. Both are case-sensitive",
        "email_password_mismatch": "Enter a correct email address and password",
        "too_many_login_attempts": (
            "Too many failed attempts to sign in. Wait 15 minutes, then try again. If you have forgotten your "
            "password, reset it or ask your partnership manager"
        ),
        "rate_limited": "Too many tries. Wait 15 minutes, then try again",
        "incorrect_code": "Enter the code your authenticator app shows now, or an unused recovery code",
        "incorrect_password": "Your current password is not right",
        "enter_current_password": "Your current password is not right",  # allauth raises it for a wrong one
        "account_inactive": "This account has been deactivated. Ask your partnership manager",
    }

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        return client_ip(request)

    def pre_authenticate(self, request, **credentials) -> None:
        """Count the attempt before the password is checked; a success rolls back only its own count.

        The account is named by the user it belongs to, whether typed as a username or an email address, in
        any case; the address by its /64 for IPv6 (allauth's ``truncate_ip``). The per-address limit is an
        action of its own, which the second-factor check (which clears ``login_failed``) never clears.
        """
        from allauth.core.internal.ratelimit import truncate_ip
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        typed = (credentials.get("email") or credentials.get("username") or "").strip().lower()
        account = (
            get_user_model()
            .objects.filter(Q(username__iexact=typed) | Q(email__iexact=typed))
            .values_list("pk", flat=True)
            .first()
        )
        name = f"account:{account}" if account else f"name:{typed}"
        address = truncate_ip(self.get_client_ip(request))
        usages = []
        for action, key in (
            ("login_failed_address", None),
            ("login_failed", f"{name}|{address}"),
            ("login_failed_name", name),
        ):
            usage = ratelimit.consume(request, app=_APP, action=action, key=key)
            if not usage:
                _Usages(usages).rollback()
                self._record_lockout(request, typed, f"{action}:{key or address}")
                raise self.validation_error("too_many_login_attempts")
            usages.append(usage)
        self._login_failed_rl_usage = _Usages(usages)

    @staticmethod
    def _record_lockout(request, typed: str, bucket: str) -> None:
        """Once per quarter of an hour for each limit reached, so refused attempts cannot flood the log."""
        from django.core.cache import cache

        if cache.add(f"jtai:lockout-recorded:{bucket}", 1, timeout=15 * 60):
            _record(request, "locked_out", username=typed[:150])

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        partnership = partnership_of(user)
        if partnership is not None and not partnership.passwords_allowed:
            # A password here is never right: counted and answered as a wrong one, so it confirms nothing.
            self.pre_authenticate(request, **credentials)
            self._login_failed_rl_usage = None
            _record(request, "sign_in_failed", user=user, detail="Passwords are off for this partnership")
            return None
        return user

    def clean_password(self, password: str, user=None) -> str:
        """The password rules (``AUTH_PASSWORD_VALIDATORS``), showing only the first one broken: GOV.UK shows one
        message a field."""
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        try:
            validate_password(password, user)
        except ValidationError as refused:
            raise forms.ValidationError(refused.error_list[0]) from refused
        return password

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Changing a second factor asks for the password (or the organisation's sign-in) again, unless this
        session signed in in the last five minutes (``ACCOUNT_REAUTHENTICATION_TIMEOUT``): someone made to set one
        up straight after signing in is not asked twice."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request
        if request is None or not request.user.is_authenticated:
            return True
        limit = time.time() - settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
        return not any(record.get("at", 0) > limit for record in get_authentication_records(request, request.user))

    def get_reset_password_from_key_url(self, key: str) -> str:
        # The link names the service's own address (as invitations do), never the request's Host header.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL.rstrip("/") + path.replace("UID-KEY", quote(key))

    def format_email_subject(self, subject: str) -> str:
        return subject


class SecondFactorAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "Enter the code your authenticator app shows now, or an unused recovery code",
        "cannot_delete_authenticator": "You cannot turn off your second step: your role needs one",
    }

    # Authenticator app secrets and the recovery codes' seed are encrypted in the database (Fernet, a key
    # derived from SECRET_KEY, which lives outside it): a copy of the database alone gives no codes.
    _PREFIX = "fernet:"

    @staticmethod
    def _fernet():
        import base64
        import hashlib

        from cryptography.fernet import Fernet

        digest = hashlib.sha256(f"jtai-tracker second factors {settings.SECRET_KEY}".encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))

    def encrypt(self, text: str) -> str:
        return self._PREFIX + self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(self._PREFIX):
            return encrypted_text  # stored before encryption was turned on
        return self._fernet().decrypt(encrypted_text[len(self._PREFIX) :].encode()).decode()

    def can_delete_authenticator(self, authenticator) -> bool:
        """Someone who must use a second factor keeps at least one (a manager can reset it for them)."""
        from accounts.second_factor import FACTORS, second_factor_required

        if authenticator.type not in FACTORS or not second_factor_required(authenticator.user):
            return True
        return authenticator.user.authenticator_set.filter(type__in=FACTORS).exclude(pk=authenticator.pk).exists()

    def get_totp_label(self, user) -> str:
        return user.email or user.get_username()

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        return {"id": urlsplit(settings.SITE_URL).hostname or "localhost", "name": settings.MFA_TOTP_ISSUER}


class SignOnAdapter(DefaultSocialAccountAdapter):
    """Single sign-on through a partnership's own OpenID Connect provider (``accounts.models.SignOnProvider``).

    Whoever comes back from a provider must already be someone in that provider's partnership: matched by an
    email address the provider says it has verified, the first time; by the connected account afterwards.
    Anyone else is refused, with a page that says why. No account is ever created here.
    """

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        from accounts.models import SignOnProvider
        from people.models import Person

        app = sociallogin.account.get_provider().app
        provider = SignOnProvider.objects.select_related("partnership").filter(app_id=getattr(app, "pk", None)).first()
        if provider is None:
            self._refuse(request, "This sign-in is not set up on the service any more.")
        partnership = provider.partnership
        if sociallogin.is_existing:
            user = sociallogin.user
            if not user.is_active or partnership_of(user) != partnership:
                self._refuse(request, "Your account is not active in this partnership.")
            return
        # Only addresses the provider verified, at the domains it is set up for: one organisation's provider
        # cannot vouch for another's addresses.
        verified = [
            address.email
            for address in sociallogin.email_addresses
            if address.verified and address.email.rsplit("@", 1)[-1].lower() in provider.domains
        ]
        person = None
        for email in verified:
            person = (
                Person.objects.for_partnership(partnership)
                .select_related("user")
                .filter(user__email__iexact=email, user__is_active=True)
                .first()
            )
            if person is not None:
                break
        if person is None:
            _record(
                request,
                "sign_in_failed",
                partnership=partnership,
                username=(verified or [a.email for a in sociallogin.email_addresses] or [""])[0][:150],
                detail=f"Single sign-on through {provider.name}: no one in the partnership has "
                + ("that verified email address" if verified else "a verified email address at its domains"),
            )
            self._refuse(
                request,
                "Your organisation's account does not match anyone in this partnership. Ask your partnership "
                "manager to add you with the email address your organisation uses.",
            )
        sociallogin.connect(request, person.user)
        from accounts.services import revoke_open_invitations

        revoke_open_invitations(person)

    def _refuse(self, request, reason: str) -> None:
        raise ImmediateHttpResponse(render(request, "accounts/sign_on_refused.html", {"reason": reason}, status=403))
