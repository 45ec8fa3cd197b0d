"""Changes to people: the one way a person is created, and everything a manager does to one afterwards.

Set-up, the spreadsheet import, the JSON import and the demo all create people
through :func:`person_create`, so the same username, password and history
rules hold whichever way a person arrives. Each service runs in one
transaction and records ``by`` as the author of the history it leaves.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.text import slugify

from accounts.services import revoke_open_invitations
from actions.services import actions_reassign_lead
from audit.models import AuditEvent
from audit.services import record_about
from inspections.models import Agency, Partnership
from jtai_tracker.versions import lock_for_edit
from jtai_tracker.writes import attribute, save_checked
from people.models import Person

#: No 0/O, 1/l/I: the manager reads the password out or writes it down.
_UNAMBIGUOUS_CHARACTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"


def temporary_password(user: Any = None) -> str:
    """A random 19-character password in four groups (``Xk7p-Qm2r-Tz9w-Ab3c``) that passes the validators."""
    while True:
        password = "-".join("".join(secrets.choice(_UNAMBIGUOUS_CHARACTERS) for _ in range(4)) for _ in range(4))
        try:
            validate_password(password, user)
        except ValidationError:  # pragma: no cover - vanishingly unlikely
            continue
        return password


def split_name(name: str) -> tuple[str, str]:
    """ "Mary Jane Smith" -> ("Mary Jane", "Smith"); a single word is a first name."""
    first, _, last = " ".join(name.split()).rpartition(" ")
    return (first, last) if first else (last, "")


def unique_username(first_name: str, last_name: str) -> str:
    """``first.last``, with a random suffix when that is taken."""
    user_model = get_user_model()
    base = slugify(f"{first_name} {last_name}".strip()).replace("-", ".")[:100] or "person"
    username = base
    while user_model.objects.filter(username=username).exists():
        username = f"{base}.{secrets.token_hex(3)}"
    return username


@transaction.atomic
def person_create(
    *,
    partnership: Partnership,
    by: Person | None,
    first_name: str,
    last_name: str,
    agency: Agency,
    role: str,
    email: str = "",
    username: str = "",
    job_title: str = "",
    password: str | None = None,
    active: bool = True,
    hash_password: Callable[[str], str] | None = None,
    request: Any = None,
) -> Person:
    """A user account and its place in the partnership: the only way a person is created.

    Without ``username`` one is made from the name (``first.last``, unique).
    With ``password`` (a manager's temporary one, or the demo's) it must pass
    the password validators and is stored only as a hash; without one the
    person cannot sign in until they set a password through a reset link.
    ``hash_password`` stands in for Django's hashing of the (validated)
    password: the demo gives its fifteen users one hash of its published
    password, as hashing is deliberately slow.
    Email addresses and usernames are unique whatever their case. The account
    and the person are checked (``full_clean``) and saved together, or not at
    all. ``request`` (None from commands and imports) gives the audit log its address.
    """
    user_model = get_user_model()
    _refuse_taken_email(email)
    if username and user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The username {username} is already taken: enter a different username"})
    user = user_model(
        username=username or unique_username(first_name, last_name),
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_active=active,
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        if hash_password is None:
            user.set_password(password)
        else:
            user.password = hash_password(password)
    user.full_clean()
    user.save()
    person = save_checked(Person(user=user, partnership=partnership, agency=agency, role=role, job_title=job_title), by)
    record_about(request, AuditEvent.Event.PERSON_ADDED, person, by=by, detail=person.get_role_display())
    return person


def _refuse_taken_email(email: str, *, but: Any = None) -> None:
    """An email address is one account on the service, whatever its case."""
    taken = get_user_model().objects.filter(email__iexact=email)
    if but is not None:
        taken = taken.exclude(pk=but.pk)
    if email and taken.exists():
        raise ValidationError({"email": "Someone already has an account with this email address"})


@transaction.atomic
def person_update(
    *,
    person: Person,
    by: Person,
    agency: Agency,
    role: str,
    job_title: str,
    email: str | None = None,
    expected_version: int | None = None,
    request: Any = None,
) -> Person:
    """Change where the person works, their role and their email address; a stale ``expected_version`` is
    refused (``lock_for_edit``). A new role or address is recorded in the audit log."""
    submitted = {"agency": agency, "role": role, "job_title": job_title}
    lock_for_edit(person, expected_version=expected_version, fields=submitted, what="this person")
    if person.pk == by.pk and role != person.role:
        raise ValidationError({"role": "You cannot change your own role. Ask another manager to do it"})
    if email is not None and email != person.user.email:
        _refuse_support_accounts(person)
        _refuse_taken_email(email, but=person.user)
        old = person.user.email
        person.user.email = email
        person.user.save(update_fields=["email"])
        # Links sent to the old address stop working; the history says who changed it, from what to what.
        revoke_open_invitations(person)
        person._change_reason = f"Email address changed from {old or 'none'} to {email}"
        if old:
            _tell_old_address(person, old, by)
        record_about(request, AuditEvent.Event.EMAIL_CHANGED, person, by=by, detail=f"{old or 'none'} to {email}")
    was = person.role
    person.agency, person.role, person.job_title = agency, role, job_title
    save_checked(person, by)
    if person.role != was:
        changed = f"{Person.Role(was).label} to {person.get_role_display()}"
        record_about(request, AuditEvent.Event.ROLE_CHANGED, person, by=by, detail=changed)
        # A new role may need a second factor: they sign in again, and are asked for one if so.
        from accounts.services import end_sessions

        end_sessions(person.user)
    return person


def _refuse_support_accounts(person: Person) -> None:
    """A staff or superuser account's address and password are the service's support team's, not a manager's."""
    if person.user.is_staff or person.user.is_superuser:
        raise ValidationError("This account is managed by the service's support team")


def _tell_old_address(person: Person, old: str, by: Person) -> None:
    subject = "Your email address on the action plan tracker was changed"
    body = (
        f"{by.name} changed the email address of your account ({person.user.username}) on the "
        f"{person.partnership.name} action plan tracker. Emails about it now go to the new address.\n\n"
        "If you did not expect this, tell your partnership manager or the service's support team at once."
    )
    transaction.on_commit(lambda: send_mail(subject, body, None, [old]), robust=True)


@transaction.atomic
def person_deactivate(*, person: Person, by: Person, reassign_to: Person | None, request: Any = None) -> int:
    """A leaver: their actions pass to ``reassign_to`` and they can no longer sign in.

    Nothing is deleted, so updates they wrote keep their name. Returns how many
    actions were reassigned. Refuses to deactivate the manager doing it, or to
    leave actions without a lead.
    """
    if person.pk == by.pk:
        raise ValidationError("You cannot deactivate yourself. Ask another manager to do it")
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    if reassign_to is not None and (
        reassign_to.pk == person.pk
        or reassign_to.partnership_id != person.partnership_id
        or not reassign_to.user.is_active
    ):
        raise ValidationError({"reassign_to": "Choose an active person in your partnership"})
    reassigned = actions_reassign_lead(from_person=person, to_person=reassign_to, by=by)
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
    revoke_open_invitations(person)  # reactivating them later does not bring an old link back
    # Touch the person so their history shows who deactivated them, and when.
    attribute(person, by)
    person.save()
    handed_on = (
        f"{reassigned} action{'s' if reassigned != 1 else ''} passed to {reassign_to.name}" if reassigned else ""
    )
    record_about(request, AuditEvent.Event.PERSON_DEACTIVATED, person, by=by, detail=handed_on)
    return reassigned


@transaction.atomic
def person_password_reset(*, person: Person, by: Person, request: Any = None) -> str:
    """A new temporary password for someone who has forgotten theirs; returned once, stored only as a hash.

    Changing the password ends the person's existing sessions (Django checks a hash of it on every request).
    """
    if person.pk == by.pk:
        raise ValidationError("Change your own password from the navigation bar")
    _refuse_support_accounts(person)
    revoke_open_invitations(person)
    password = temporary_password(person.user)
    person.user.set_password(password)
    person.user.save(update_fields=["password"])
    person.must_change_password = True  # they choose their own at first sign-in
    person._change_reason = "Temporary password given"
    attribute(person, by)
    person.save()  # the person's history shows who reset it, and when
    record_about(request, AuditEvent.Event.PASSWORD_RESET_BY_MANAGER, person, by=by)
    return password


@transaction.atomic
def person_reactivate(*, person: Person, by: Person, request: Any = None) -> Person:
    """Let a deactivated person sign in again with their old password. Their old actions stay reassigned."""
    person.user.is_active = True
    person.user.save(update_fields=["is_active"])
    attribute(person, by)
    person.save()
    record_about(request, AuditEvent.Event.PERSON_REACTIVATED, person, by=by)
    return person
