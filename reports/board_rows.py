"""The board's rows as HTML, written by Python: one action on the board, in the list view, or closed.

A board of 500 actions rendered each row through ``{% include %}`` and ``{% url %}``: 69 % and 20 % of the
page's time, the page 16.6 times as slow as a trivial one. Here every row is one ``format_html`` call (so every
value is escaped as a template would) and the action's address is the one reversed prefix with its id put in.
The markup is the templates' own: ``templates/reports/includes/board_grid.html`` and ``board_table.html`` call
these through ``{% load board_rows %}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

#: An id no action has: reversed once, then replaced by each action's own.
_MARKER = "999999999"


class ActionAddress:
    """``reverse("actions:detail", args=[pk])`` for many actions with one reversal."""

    def __init__(self) -> None:
        self.before, _, self.after = reverse("actions:detail", args=[int(_MARKER)]).rpartition(_MARKER)

    def __call__(self, pk: int) -> str:
        return f"{self.before}{pk}{self.after}"


def _flags(entry: Any) -> SafeString:
    tags = []
    if entry.overdue:
        tags.append(("red", "Overdue"))
    if entry.due_soon_not_green:
        tags.append(("orange", "Due within 2 months and not green"))
    if entry.update_missing:
        tags.append(("grey", "Update missing"))
    if entry.retest_due:
        tags.append(("yellow", "Re-test due"))
    if not tags:
        return SafeString("")
    items = format_html_join("", '<li><strong class="govuk-tag govuk-tag--{}">{}</strong></li>', tags)
    return format_html('\n  <ul class="app-board__flags">{}</ul>', items)


def _entry(entry: Any, address: ActionAddress) -> SafeString:
    """One action on the board (``board_grid.html``): reference and words, lead agency, state, movement, flags."""
    action = entry.action
    notes = []
    if entry.proposed:
        notes.append(
            mark_safe(
                '<p class="govuk-body-s app-board__meta"><strong class="govuk-tag govuk-tag--purple">'
                "Proposed, not yet agreed</strong></p>"
            )
        )
    if entry.carried_forward:
        notes.append(mark_safe('<p class="govuk-body-s app-board__meta">Complete in an earlier round</p>'))
    if entry.update_missing:
        notes.append(
            format_html(
                '<p class="govuk-body-s app-board__meta">{}{}</p>',
                "Draft started, not submitted. " if entry.draft_started else "",
                f"Last agreed: {entry.previous.label}" if entry.previous else "",
            )
        )
    return format_html(
        '<li class="app-board__action{}">\n'
        '  <a class="govuk-link app-board__action-link" href="{}"><span class="app-board__ref">{}</span> {}</a>\n'
        '  <p class="govuk-body-s app-board__meta">Lead agency: {}</p>{}\n'
        '  <p class="govuk-body-s app-board__meta app-board__movement app-board__movement--{}">'
        '<span class="app-board__arrow" aria-hidden="true">{}</span> {}</p>{}\n'
        "</li>",
        " app-board__action--proposed" if entry.proposed else "",
        address(action.pk),
        action.reference,
        Truncator(action.description).words(24, truncate=" …"),
        action.lead_agency.display_name,
        SafeString("".join(f"\n  {note}" for note in notes)),
        entry.movement,
        entry.arrow,
        entry.movement_text,
        _flags(entry),
    )


def _closed_entry(entry: Any, address: ActionAddress) -> SafeString:
    """An action not implemented, superseded or merged, on the board: its words and its outcome."""
    action = entry.action
    return format_html(
        '<li class="app-board__action">\n'
        '  <a class="govuk-link app-board__action-link" href="{}"><span class="app-board__ref">{}</span> {}</a>\n'
        '  <p class="govuk-body-s app-board__meta">{}</p>\n'
        "</li>",
        address(action.pk),
        action.reference,
        Truncator(action.description).words(24, truncate=" …"),
        entry.outcome_sentence,
    )


def _quadrant_tag(quadrant: Any) -> SafeString:
    """``{% quadrant_tag %}``'s markup (``templates/includes/quadrant_tag.html``) for a quadrant already looked up."""
    return format_html(
        '<strong class="govuk-tag app-quadrant {}"><span class="app-quadrant__symbol" aria-hidden="true">{}</span>'
        " {}</strong>",
        quadrant.css_class,
        quadrant.symbol,
        quadrant.label,
    )


def _table_row(entry: Any, address: ActionAddress) -> SafeString:
    """One action in the list view (``board_table.html``)."""
    action = entry.action
    if entry.quadrant is None:
        quadrant = SafeString("Update missing")
    else:
        note = ""
        if entry.proposed:
            note = '<br><span class="govuk-body-s">proposed, not yet agreed</span>'
        elif entry.carried_forward:
            note = '<br><span class="govuk-body-s">complete in an earlier round</span>'
        quadrant = SafeString(_quadrant_tag(entry.quadrant) + note)
    return format_html(
        '<tr class="govuk-table__row">\n'
        '  <th scope="row" class="govuk-table__header">{}</th>\n'
        '  <td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>\n'
        '  <td class="govuk-table__cell">{}</td>\n'
        '  <td class="govuk-table__cell">{}</td>\n'
        '  <td class="govuk-table__cell"><span class="app-board__arrow" aria-hidden="true">{}</span> {}</td>\n'
        '  <td class="govuk-table__cell">{}</td>\n'
        "</tr>",
        action.reference,
        address(action.pk),
        action.description,
        action.lead_agency.display_name,
        quadrant,
        entry.arrow,
        entry.movement_text,
        "; ".join(entry.flags) or "None",
    )


def _closed_row(entry: Any, address: ActionAddress) -> SafeString:
    """An action not implemented, superseded or merged, in the list view."""
    action = entry.action
    return format_html(
        '<tr class="govuk-table__row">\n'
        '  <th scope="row" class="govuk-table__header">{}</th>\n'
        '  <td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>\n'
        '  <td class="govuk-table__cell">{}</td>\n'
        "</tr>",
        action.reference,
        address(action.pk),
        action.description,
        entry.outcome_sentence,
    )


_KINDS = {"entry": _entry, "closed_entry": _closed_entry, "row": _table_row, "closed_row": _closed_row}


def board_rows(entries: Iterable[Any], kind: str = "entry") -> SafeString:
    """The HTML of many board entries (``reports.selectors.BoardEntry``) of one kind: ``entry`` (the board),
    ``closed_entry`` (the board's closed actions), ``row`` (the list view) or ``closed_row``."""
    render = _KINDS[kind]
    address = ActionAddress()
    return SafeString("\n".join(render(entry, address) for entry in entries))
