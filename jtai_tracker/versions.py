"""Optimistic versions: a save from a form someone else has saved since it was read is refused, never lost.

A row a form edits counts its saves in ``version`` (:class:`Versioned`; a lead's
``Update`` keeps its own count in its services). The form carries the version it
was read at; the service that saves it first locks the row as it is now
(:func:`lock_for_edit`) and, if the versions differ and saving the form would
undo a change someone else made since (the row's history says what it was at
that version), writes nothing and raises :class:`EditConflict` with both
versions, field by field (:class:`FieldChange`). The page then shows "their
version" and "your version" side by side, keeps what the user typed in the form
against the version now saved, and answers 409; saving again goes through. A
stale save that undoes nothing (a second click on "Save", or a form whose row
was only moved or reactivated meanwhile) is saved.

One template shows every refusal: ``templates/includes/edit_conflict.html``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format

from jtai_tracker.writes import author_name

T = TypeVar("T", bound=models.Model)


class Versioned(models.Model):
    """A row whose every save adds one to ``version``, so a form can tell whether it was saved since it was read."""

    # The database's default too, so a row written by older code or by hand starts at 1 like any other.
    version = models.PositiveIntegerField(
        default=1,
        db_default=1,
        editable=False,
        help_text="How many times the row has been saved; a form carries it back.",
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


@dataclass(frozen=True)
class FieldChange:
    """One field on which the saved row ("theirs") and the refused save ("yours") differ, as the page shows them."""

    field: str
    label: str
    theirs: Any
    yours: Any


class EditConflict(Exception):
    """Someone saved the row after this user's form read it, and their change would be lost: nothing was saved.

    ``current`` is the row as saved now (None if it went away), ``changes`` what differs.
    """

    what = "this page"

    def __init__(self, current: models.Model | None, changes: list[FieldChange], what: str = ""):
        self.what = what or self.what
        super().__init__(f"Someone else saved {self.what} while you were editing it.")
        self.current = current
        self.changes = changes

    @property
    def version(self) -> int:
        """The version the form must carry now for a second save to go through (0: nothing is saved)."""
        return getattr(self.current, "version", 0) if self.current is not None else 0

    @property
    def saved_by(self) -> str:
        """The name of whoever saved the current version, if the row's history says."""
        history = getattr(self.current, "history", None)
        latest = history.select_related("history_user__person__user").first() if history is not None else None
        return author_name(latest) if latest is not None and latest.history_user_id is not None else ""

    def labelled(self, form: Any) -> EditConflict:
        """The same conflict with each field named as the form's label names it ("Lead agency", not "lead_agency")."""
        fields = getattr(form, "fields", {})
        self.changes = [
            replace(change, label=str(fields[change.field].label).removesuffix(" (optional)"))
            if change.field in fields and fields[change.field].label
            else change
            for change in self.changes
        ]
        return self


def _key(value: Any) -> Any:
    """What two values are compared by: rows by id, collections as sorted sets, text without outer spaces."""
    if isinstance(value, models.Model):
        return ("row", value.pk)
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return tuple(sorted((_key(item) for item in value), key=repr))
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    return value


def shown(field: models.Field | None, value: Any) -> str:
    """A value as the conflict table prints it: labels for choices, dates in words, "Yes"/"No", names of rows."""
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return ", ".join(sorted(shown(field, item) for item in value))
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _current_value(current: models.Model, field: models.Field | None, name: str) -> Any:
    if field is not None and field.many_to_many:
        return list(getattr(current, name).all())
    return getattr(current, name)


def field_changes(
    current: models.Model, submitted: Mapping[str, Any], labels: Mapping[str, str] | None = None
) -> list[FieldChange]:
    """Each submitted field whose value differs from the saved row's, theirs and yours as text, in the given order."""
    changes = []
    for name, yours in submitted.items():
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist:  # not a column of the row: the caller compares it with change()
            continue
        theirs = _current_value(current, field, name)
        if _key(theirs) == _key(yours):
            continue
        label = (labels or {}).get(name) or str(getattr(field, "verbose_name", name)).capitalize()
        changes.append(FieldChange(field=name, label=label, theirs=shown(field, theirs), yours=shown(field, yours)))
    return changes


def change(name: str, label: str, theirs: Any, yours: Any) -> list[FieldChange]:
    """A difference in a value that is not a column of the row (empty when the two are the same)."""
    if _key(theirs) == _key(yours):
        return []
    return [FieldChange(field=name, label=label, theirs=shown(None, theirs), yours=shown(None, yours))]


def _as_read(current: models.Model, version: int) -> Any:
    """The row as it was at ``version`` (its latest history record of that version), if its history has it."""
    history = getattr(current, "history", None)
    return history.filter(version=version).first() if history is not None and version else None


def _changed_since(read: Any, current: models.Model, name: str) -> bool:
    """Whether someone else changed ``name`` since the form read the row (unsure, as for a list of rows: yes)."""
    try:
        field = current._meta.get_field(name)
    except FieldDoesNotExist:
        return True
    if read is None or field.many_to_many or not field.concrete:
        return True
    return _key(getattr(read, field.attname)) != _key(getattr(current, field.attname))


def refuse_if_stale(
    current: models.Model, expected_version: int | None, changes: Iterable[FieldChange], what: str = ""
) -> None:
    """Raise :class:`EditConflict` if the form read an older version and saving it would undo someone's change.

    ``changes`` are the fields where the form differs from what is saved now. The save is refused when one of
    them was changed by someone else since ``expected_version`` (as the row's history has it; every one, if it
    cannot tell). A stale form that differs only where its user typed, or not at all, is saved: nothing is lost.
    ``expected_version`` None means the caller carries no version (an import, a command): nothing is refused.
    """
    changes = list(changes)
    if expected_version is None or current.version == expected_version or not changes:
        return
    read = _as_read(current, expected_version)
    if any(_changed_since(read, current, change.field) for change in changes):
        raise EditConflict(current, changes, what)


def lock_for_edit(obj: T, *, expected_version: int | None, fields: Mapping[str, Any], what: str = "") -> T:
    """Load ``obj`` afresh and lock its row until the transaction ends, then refuse a stale edit (see module).

    Call it inside the service's transaction, before assigning the new values: the row is then saved on top of
    what is saved now (its other columns included), never on top of what the page read.
    """
    obj.refresh_from_db(from_queryset=type(obj)._base_manager.select_for_update())
    refuse_if_stale(obj, expected_version, field_changes(obj, fields), what)
    return obj


def rebased(data: Any, conflict: EditConflict) -> Any:
    """The submitted form data, as typed, but carrying the version now saved: saving it again goes through."""
    data = data.copy()
    data["version"] = conflict.version
    return data
