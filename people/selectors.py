"""Reads about people."""

from __future__ import annotations

from typing import Any

from people.models import Person


def person_for(user: Any) -> Person | None:
    """The active user's Person with partnership and agency loaded, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        person = user.person
    except Person.DoesNotExist:
        return None
    return person
