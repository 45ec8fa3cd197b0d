"""Every change to outside monitors: a manager gives someone a plan (:func:`monitor_invite`) or takes it away
(:func:`monitor_access_remove`); the monitor sets their password from their link (:func:`monitor_invitation_accept`);
and what a monitor reads is written to the security log (:func:`monitor_viewed`).

Each change runs in one transaction, leaves history (django-simple-history, naming who did it) and an event
in the partnership's security log (``audit.services.record``); emails leave once the transaction commits.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionPlan
from audit.models import AuditEvent
from audit.services import record
from monitors.models import MonitorAccess, MonitorInvitation
from monitors.selectors import has_person
from onboarding.services import is_support_staff
from people.models import Person
from people.services import unique_username

#: Days an invitation link works: the same as a member's (``accounts.services.INVITATION_DAYS``).
INVITATION_DAYS = 7

#: One refusal for every address that cannot be a monitor's (a member's of any partnership, support staff's, a
#: closed account's), so a manager cannot learn from it which accounts another partnership or the service has.
CANNOT_INVITE = (
    "This email address cannot be used for an outside monitor. Ask them for another work address, or ask the "
    "service's support team why"
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('monitors:invitation', args=[token])}"


def _who(user: Any) -> str:
    return f"{user.get_full_name() or user.get_username()} ({user.get_username()})"


@dataclass
class Invited:
    access: MonitorAccess
    #: A link to set a password was sent (a new account, or one whose password was never set); else they were
    #: told by email that they can now see the plan.
    invitation_sent: bool


@transaction.atomic
def monitor_invite(
    *,
    plan: ActionPlan,
    first_name: str,
    last_name: str,
    email: str,
    organisation: str,
    by: Person,
    request: Any = None,
) -> Invited:
    """Give the person with ``email`` the right to read ``plan``'s endorsed rounds and published reports.

    Refused (``ValidationError`` on ``email``) for the address of a member of any partnership, of support staff,
    or of someone who can already see the plan. An outside monitor who already has an account (for another plan,
    here or in another partnership) is emailed that they can now see it; anyone else gets an account with no
    place in a partnership and no usable password, and a single-use link to choose one.
    """
    email = email.strip()
    user_model = get_user_model()
    user = user_model.objects.select_for_update().filter(email__iexact=email).first()
    if user is not None:
        if has_person(user) or user.is_staff or user.is_superuser or is_support_staff(user) or not user.is_active:
            raise ValidationError({"email": CANNOT_INVITE})
        if MonitorAccess.objects.filter(user=user, plan=plan).current().exists():
            raise ValidationError({"email": "Someone with this email address can already see this plan"})
    else:
        user = user_model(
            username=unique_username(first_name, last_name),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    access = MonitorAccess(user=user, plan=plan, organisation=organisation.strip(), invited_by=by)
    access._history_user = by.user
    access._change_reason = "Access given"
    access.full_clean()
    access.save()
    partnership = plan.inspection.partnership
    record(
        request,
        AuditEvent.Event.MONITOR_ACCESS_GIVEN,
        user=by.user,
        partnership=partnership,
        subject=_who(user),
        detail=f"{plan.title}; {access.organisation}",
    )
    context = {
        "user": user,
        "plan": plan,
        "partnership": partnership,
        "sender": by.name,
        "organisation": access.organisation,
        "home_link": f"{settings.SITE_URL.rstrip('/')}{reverse('monitors:home')}",
    }
    if user.has_usable_password():
        subject = f"You can now see {plan.title} ({partnership.name})"
        body = render_to_string("monitors/email/access_given.txt", context)
        transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]), robust=True)
        return Invited(access, invitation_sent=False)
    _send_invitation(access, by=by, request=request, context=context)
    return Invited(access, invitation_sent=True)


def _send_invitation(access: MonitorAccess, *, by: Person, request: Any, context: dict) -> MonitorInvitation:
    """A new link (revoking any open one) for a monitor with no password yet."""
    now = timezone.now()
    MonitorInvitation.objects.filter(access__user=access.user).open().update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = MonitorInvitation.objects.create(
        access=access,
        token_hash=_hash(token),
        sent_to=access.user.email,
        created_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
    )
    record(
        request,
        AuditEvent.Event.INVITATION_SENT,
        user=by.user,
        partnership=access.plan.inspection.partnership,
        subject=_who(access.user),
        detail=f"Outside monitor; sent to {invitation.sent_to}",
    )
    context = {**context, "link": invitation_link(token), "expires_on": invitation.expires_on}
    subject = f"You have been invited to see {access.plan.title} ({access.plan.inspection.partnership.name})"
    body = render_to_string("monitors/email/invitation.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.sent_to]), robust=True)
    return invitation


@transaction.atomic
def monitor_access_remove(*, access: MonitorAccess, by: Person, request: Any = None) -> MonitorAccess:
    """Take the plan away from the monitor, at once: their next page of it is a 404. The row stays, saying who
    took it away and when. With no plan left, any link they have not yet used stops working."""
    locked = MonitorAccess.objects.select_for_update().select_related("user", "plan__inspection").get(pk=access.pk)
    if not locked.is_current:
        raise ValidationError("This outside monitor's access has already been removed")
    locked.revoked_at = timezone.now()
    locked.revoked_by = by
    locked._history_user = by.user
    locked._change_reason = "Access removed"
    locked.save()
    if not MonitorAccess.objects.filter(user=locked.user).current().exists():
        MonitorInvitation.objects.filter(access__user=locked.user).open().update(revoked_at=locked.revoked_at)
    record(
        request,
        AuditEvent.Event.MONITOR_ACCESS_REMOVED,
        user=by.user,
        partnership=locked.plan.inspection.partnership_id,
        subject=_who(locked.user),
        detail=locked.plan.title,
    )
    return locked


def invitation_for(token: str) -> MonitorInvitation | None:
    """The invitation the link names, whatever its state; None if there is none."""
    return (
        MonitorInvitation.objects.select_related("access__user", "access__plan__inspection__partnership")
        .filter(token_hash=_hash(token))
        .first()
    )


@transaction.atomic
def monitor_invitation_accept(*, token: str, password: str, request: Any = None) -> Any:
    """Set the monitor's password from their link; the link is spent. Returns their account."""
    invitation = (
        MonitorInvitation.objects.select_for_update()
        .select_related("access__user", "access__plan__inspection")
        .filter(token_hash=_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        raise ValidationError("This link has expired or has already been used")
    user = invitation.access.user
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    MonitorInvitation.objects.filter(access__user=user).open().update(revoked_at=invitation.accepted_at)
    record(
        request,
        AuditEvent.Event.INVITATION_ACCEPTED,
        user=user,
        partnership=invitation.access.plan.inspection.partnership_id,
        detail="Outside monitor",
    )
    return user


def monitor_viewed(request: Any, *, plan: ActionPlan, what: str) -> None:
    """An outside monitor read ``what`` of ``plan``: in the plan's partnership's security log."""
    record(
        request,
        AuditEvent.Event.MONITOR_VIEWED,
        partnership=plan.inspection.partnership_id,
        subject=plan.title,
        detail=what,
    )
