"""Who may read the audit log: a partnership's manager, their own partnership's only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from inspections.models import Partnership
from inspections.tenancy import partnership_id_of


def access_log(user: Any) -> Partnership:
    """The partnership whose log the user may read (``audit.view_log``); PermissionDenied for anyone else,
    support staff included (they belong to no partnership)."""
    if partnership_id_of(user) is None:
        raise PermissionDenied
    partnership = user.person.partnership
    if not user.has_perm("audit.view_log", partnership):
        raise PermissionDenied
    return partnership
