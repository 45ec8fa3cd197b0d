"""A new partnership, on the service in one step: the partnership, its agencies and its first manager, who is
emailed an invitation. Done by support staff (``onboarding.views``) or by ``manage.py create_partnership``.

Support staff are accounts in the "Support staff" group with no place in any partnership: they set
partnerships up, and see none of their plans. They are not Django superusers; the Django admin
(``/support/``) stays for those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.services import invite
from inspections.models import Agency, Partnership
from inspections.services import agency_create
from people.models import Person
from people.services import person_create

SUPPORT_STAFF = "Support staff"

#: Words in an agency's name that say what kind of agency it is; the manager can change the kind later.
_KINDS = [
    (Agency.Kind.POLICE, r"\bpolice|constabulary"),
    (Agency.Kind.HEALTH, r"\bnhs\b|\btrust\b|\bicb\b|integrated care|health|hospital|\bccg\b"),
    (Agency.Kind.PROBATION, r"probation"),
    (Agency.Kind.YOUTH_JUSTICE, r"youth (justice|offending)|\byjs\b|\byos\b"),
    (Agency.Kind.EDUCATION, r"school|education|academ|college"),
    (Agency.Kind.COUNCIL, r"council|borough|county|city of|local authority"),
]


def agency_kind(name: str) -> str:
    lowered = name.lower()
    return next((kind for kind, pattern in _KINDS if re.search(pattern, lowered)), Agency.Kind.OTHER)


_SHORT_NAME = re.compile(r"^(?P<name>.+?)\s*\((?P<short>[^()]{1,40})\)$")


def agency_line(line: str) -> tuple[str, str]:
    """An agency as support types it: "Northumbria Police", or with the short name a plan's sheet may use,
    "Northumberland County Council (NCC)". Returns (name, short name)."""
    line = " ".join(line.split())
    match = _SHORT_NAME.match(line)
    if match is None:
        return line, ""
    return match["name"], match["short"].strip()


def is_support_staff(user: Any) -> bool:
    """An active account in the Support staff group with no place in a partnership."""
    if not (user.is_authenticated and user.is_active) or hasattr(user, "person"):
        return False
    return user.groups.filter(name=SUPPORT_STAFF).exists()


def support_user_create(*, username: str, email: str, first_name: str = "", last_name: str = "") -> Any:
    """A support staff account, without a password (they set one from a reset link or ``changepassword``)."""
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The username {username} is already taken"})
    if email and user_model.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone already has an account with this email address"})
    user = user_model(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=SUPPORT_STAFF)[0])
    return user


@dataclass(frozen=True)
class FirstManager:
    first_name: str
    last_name: str
    email: str
    #: One of the new partnership's agencies, by name.
    agency: str
    job_title: str = ""


@transaction.atomic
def partnership_create(
    *,
    by: Any,
    name: str,
    local_authority: str,
    board_name: str = "",
    committee_name: str = "",
    agencies: list[str],
    manager: FirstManager,
    request: Any = None,
) -> tuple[Partnership, Person]:
    """The partnership, its agencies and its first manager (invited by email), or nothing at all.

    ``by`` is the support user (or None from the command line). Raises ValidationError keyed by field:
    "name" (taken), "agencies" (none, or a name twice), "manager_agency" (not one of them), "manager_email".
    ``request`` (None from the command line) gives the audit log the support user's address.
    """
    name = " ".join(name.split())
    shorts: dict[str, str] = {}
    names = []
    for line in agencies:
        full, short = agency_line(line)
        if full:
            names.append(full)
            shorts[full] = short
    errors: dict[str, str] = {}
    if Partnership.objects.filter(name__iexact=name).exists():
        errors["name"] = f"There is already a partnership called {name}"
    if not names:
        errors["agencies"] = "Enter at least one agency, one per line"
    seen: set[str] = set()
    for each in names:
        if each.lower() in seen:
            errors["agencies"] = f"{each} is listed twice"
        seen.add(each.lower())
    chosen = next((each for each in names if each.lower() == " ".join(manager.agency.split()).lower()), None)
    if names and chosen is None:
        errors["manager_agency"] = "Enter one of the agencies listed above"
    if errors:
        raise ValidationError(errors)
    partnership = Partnership(
        name=name,
        local_authority=" ".join(local_authority.split()),
        board_name=board_name.strip(),
        committee_name=committee_name.strip(),
    )
    if by is not None:
        partnership._history_user = by
    partnership.full_clean()
    partnership.save()
    created = {
        each: agency_create(
            partnership=partnership,
            by=None,
            fields={"name": each, "short_name": shorts[each], "kind": agency_kind(each)},
        )
        for each in names
    }
    try:
        person = person_create(
            partnership=partnership,
            by=None,
            first_name=manager.first_name.strip(),
            last_name=manager.last_name.strip(),
            email=manager.email.strip(),
            agency=created[chosen],
            role=Person.Role.MANAGER,
            job_title=manager.job_title.strip(),
            request=request,
        )
    except ValidationError as refused:  # the person's fields are the manager's here
        raise ValidationError({f"manager_{key}": value for key, value in refused.message_dict.items()}) from None
    invite(person=person, by=by, request=request)
    return partnership, person
