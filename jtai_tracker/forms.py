"""What every form shares: the one date field, and where an error summary link lands.

Dates follow the GOV.UK date input pattern (https://design-system.service.gov.uk/components/date-input/):
three boxes, a four-digit year, and exactly one message per date, naming the date by its label:

- nothing typed: "Enter the target date" (only when the date is required)
- a part missing: "Target date must include a year" ("... a day and month")
- a part that cannot be right (letters, month 13, 31 February, 100 as a day): "Target date must be a real date"
- a year that is not four digits ("21"): "Target date must include a year with 4 numbers"
- outside the field's range: "Target date must be between 1 January 2010 and 31 December 2100";
  a date that has to have happened: "... must be today or in the past"

Any input at all (twenty-digit numbers, unicode digits, whitespace) gets one of those messages, never an error page.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

#: The range any date in the tracker must fall in, unless its field narrows it.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
#: An action's target date (set up by the manager, or asked for by a lead): joint targeted area
#: inspections began in 2016, so an earlier target is a typing slip ("1 1 2000" for "1 1 2020").
TARGET_EARLIEST = datetime.date(2010, 1, 1)

PARTS = ("day", "month", "year")
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: "٣" or "²" are not accepted as digits


def long_date(value: datetime.date) -> str:
    """1 January 2000: how a date reads in a message."""
    return f"{value.day} {value:%B} {value.year}"


def range_message(name: str, earliest: datetime.date = EARLIEST, latest: datetime.date = LATEST) -> str:
    """What is said of a date outside its range, by every form and every import: one wording."""
    return f"{name} must be between {long_date(earliest)} and {long_date(latest)}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class GovukDateField(forms.MultiValueField):
    """A GOV.UK date input (day, month, year) with one plain message for anything wrong with it.

    ``earliest`` and ``latest`` bound the date; ``past_only`` says it records something that has happened
    (today or before). The parts at fault are marked on the day, month and year boxes (red border), and
    :func:`error_anchor` sends the error summary's link to the first of them.
    """

    widget = DateInputWidget

    def __init__(
        self,
        *,
        label: str,
        required: bool = True,
        required_message: str = "",
        earliest: datetime.date = EARLIEST,
        latest: datetime.date = LATEST,
        past_only: bool = False,
        **kwargs: Any,
    ):
        kwargs.setdefault("help_text", "For example, 27 3 2020.")
        parts = tuple(forms.CharField(label=part.capitalize(), required=False) for part in PARTS)
        super().__init__(fields=parts, label=label, required=required, require_all_fields=False, **kwargs)
        self.name = label.removesuffix(" (optional)")
        self.error_messages["required"] = required_message or f"Enter the {_lower_first(self.name)}"
        self.earliest, self.latest, self.past_only = earliest, latest, past_only
        for box in self.widget.widgets:
            box.attrs.update({"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"})

    # The parts at fault, for crispy-forms-gds (which reads each box's widget.errors) and error_anchor.
    def _mark(self, message: str, parts: Iterable[int]) -> None:
        at_fault = set(parts)
        for index, box in enumerate(self.fields):
            box.widget.errors = [message] if index in at_fault else []

    def _refuse(self, message: str, parts: Iterable[int] = (0, 1, 2), code: str = "invalid") -> ValidationError:
        self._mark(message, parts)
        return ValidationError(message, code=code)

    def clean(self, value: Any) -> datetime.date | None:
        self._mark("", ())
        if isinstance(value, datetime.date):  # a disabled field's initial value
            return value
        if not isinstance(value, (list, tuple)):
            value = []
        typed = [str(value[i]).strip() if i < len(value) and value[i] is not None else "" for i in range(3)]
        if not any(typed):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [i for i, part in enumerate(typed) if not part]
        if missing:
            names = " and ".join(PARTS[i] for i in missing)
            raise self._refuse(f"{self.name} must include a {names}", missing, code="incomplete")
        day, month, year = typed
        real_date = f"{self.name} must be a real date"
        wrong = [i for i, part in enumerate(typed) if not _DIGITS.fullmatch(part)]
        wrong += [i for i, part in ((0, day), (1, month)) if i not in wrong and len(part) > 2]
        if not wrong:
            wrong = [i for i, (part, top) in enumerate(((day, 31), (month, 12))) if not 1 <= int(part) <= top]
        if wrong:
            raise self._refuse(real_date, sorted(wrong))
        if len(year) != 4:
            raise self._refuse(f"{self.name} must include a year with 4 numbers", [2])
        if int(year) < datetime.MINYEAR:  # 0000
            raise self._refuse(self._range_message(), code="range")
        try:
            date = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise self._refuse(real_date, [0]) from None  # 31 February: the day is at fault
        return self._in_range(date)

    def _range_message(self) -> str:
        if self.past_only:
            return f"{self.name} must be between {long_date(self.earliest)} and today"
        return range_message(self.name, self.earliest, self.latest)

    def _in_range(self, date: datetime.date) -> datetime.date:
        if self.past_only and date > timezone.localdate():
            raise self._refuse(f"{self.name} must be today or in the past", code="future")
        if not self.earliest <= date <= self.latest:
            raise self._refuse(self._range_message(), code="range")
        return date


class OneMessagePerDate:
    """A form mixin: a date shows one message, its own, never a second that a later rule adds to the same date.

    (A model's ``clean`` can compare a date the user mistyped with another, using the value the row had before.)
    """

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            errors = (self._errors or {}).get(name)
            if isinstance(field, GovukDateField) and errors and len(errors) > 1:
                del errors[1:]


def file_size(size: int) -> str:
    """A size in words as people write it: "256 KB", "20 MB", "1.5 MB" (Django's ``filesizeformat`` less a ".0")."""
    return filesizeformat(size).replace(".0\xa0", "\xa0")


# Error summary links ---------------------------------------------------------


def error_anchor(bound_field: BoundField) -> str:
    """The id an error summary link points at: the first input of the field, so following the link focuses it.

    A date: the first box at fault (the day, when the whole date is wrong). Radios and checkboxes, as
    crispy-forms-gds renders them: the first option (``id_<name>_1``). Anything else: its own input.
    """
    field = bound_field.field
    if isinstance(field.widget, forms.MultiWidget):
        boxes = getattr(field, "fields", ())
        first = next((i for i, box in enumerate(boxes) if getattr(box.widget, "errors", None)), 0)
        return f"{bound_field.auto_id}_{first}"
    if isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"id_{bound_field.html_name}_1"
    return bound_field.id_for_label or bound_field.auto_id


def error_links(form: forms.BaseForm) -> list[tuple[str, str]]:
    """Each of the form's messages, in the order of its fields, with the id its summary link points at.

    Messages about the whole form (and about a hidden field) point at the first field a person can change.
    """
    visible = form.visible_fields()
    first = error_anchor(visible[0]) if visible else ""
    links = [(str(error), first) for error in form.non_field_errors()]
    links += [(str(error), first) for field in form.hidden_fields() for error in field.errors]
    links += [(str(error), error_anchor(field)) for field in visible for error in field.errors]
    return links
