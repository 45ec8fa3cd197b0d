"""Tenancy in one place.

Every record belongs to exactly one partnership. Each tenant model names the
lookup that leads from it to its partnership (``partnership_lookup``) and uses
:class:`TenantQuerySet` as its manager; views narrow every queryset with
``.visible_to(request.user)`` (services and commands with
``.for_partnership(p)``) and never filter by partnership by hand.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class TenantQuerySet(models.QuerySet):
    def for_partnership(self, partnership: Any) -> TenantQuerySet:
        partnership_id = getattr(partnership, "pk", partnership)
        return self.filter(**{self.model.partnership_lookup: partnership_id})

    def visible_to(self, user: Any) -> TenantQuerySet:
        """Rows of the user's own partnership; nothing for anyone without one."""
        partnership_id = partnership_id_of(user)
        if partnership_id is None:
            return self.none()
        return self.for_partnership(partnership_id)


def partnership_id_of(user: Any) -> int | None:
    """The partnership an active signed-in user belongs to, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    person = getattr(user, "person", None)
    return person.partnership_id if person is not None else None


def partnership_id_for(obj: Any) -> int:
    """The partnership a tenant object belongs to, by walking its lookup."""
    if obj.partnership_lookup == "pk":  # the partnership itself
        return obj.pk
    *path, last = obj.partnership_lookup.split("__")
    for step in path:
        obj = getattr(obj, step)
    return getattr(obj, f"{last}_id")
