"""Filters for the quadrant board: narrow one plan's actions without changing the board's layout.

The choices come from the plan itself (the agencies and people who lead its
actions, the inspection's areas for improvement and priority areas for
action, the partnership's words for the quadrants), passed in by the selector
that has already read them, so checking a choice never costs a query.

A quadrant is not a column of the action but where the round placed it (agreed,
or proposed while the round is open, or carried forward complete), which only
the board works out: the quadrant filter leaves the actions' query alone and
the board keeps the entries in the chosen quadrants (``chosen_quadrants``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Layout, Size
from django import forms
from django.db.models import QuerySet

from actions.models import Action
from inspections.models import Finding, lower_words
from inspections.regimes import Regime

#: The quadrant filter's choice for an action with no quadrant in the round (its update is missing).
UPDATE_MISSING = "missing"


class BoardFilterSet(django_filters.FilterSet):
    quadrant = django_filters.MultipleChoiceFilter(
        label="Quadrant",
        help_text="Select all that apply",
        widget=forms.CheckboxSelectMultiple,
        method="filter_quadrant",
    )
    lead_agency = django_filters.ChoiceFilter(field_name="lead_agency_id", label="Lead agency", empty_label="All")
    area = django_filters.ChoiceFilter(field_name="areas", label="Area for improvement", empty_label="All")
    lead = django_filters.ChoiceFilter(field_name="lead_id", label="Lead", empty_label="All")
    overdue = django_filters.BooleanFilter(
        label="Only overdue actions", widget=forms.CheckboxInput, method="filter_overdue"
    )
    priority = django_filters.BooleanFilter(
        label="Only actions on a priority area for action", widget=forms.CheckboxInput, method="filter_priority"
    )
    retest_due = django_filters.BooleanFilter(
        label="Only actions with a re-test due", widget=forms.CheckboxInput, method="filter_retest_due"
    )

    class Meta:
        model = Action
        fields: list[str] = []

    def __init__(
        self,
        data=None,
        queryset: QuerySet | None = None,
        *,
        agencies: Iterable[tuple[int, str]],
        leads: Iterable[tuple[int, str]],
        areas: Iterable[Finding],
        quadrants: Iterable[tuple[str, str]],
        today: datetime.date,
        regime: Regime | None = None,
        **kwargs,
    ):
        super().__init__(data, queryset, **kwargs)
        self.today = today
        # The priority filter in the plan's regime's words; a regime with no priority kind (a review) has none.
        priority = regime.words(Finding.Kind.PRIORITY_ACTION) if regime is not None else None
        if regime is not None and priority is None:
            del self.filters["priority"]
        elif priority is not None:
            named = lower_words(priority.singular)
            article = "an" if named[:1] in "aeiou" else "a"
            self.filters["priority"].label = f"Only actions on {article} {named}"
        self.filters["lead_agency"].extra["choices"] = [(str(pk), name) for pk, name in agencies]
        self.filters["lead"].extra["choices"] = [(str(pk), name) for pk, name in leads]
        areas = list(areas)
        self.filters["area"].extra["choices"] = [(str(area.pk), area_label(area)) for area in areas]
        kinds = {area.kind_label for area in areas}
        if len(kinds) == 1:  # in the plan's regime's words: "Recommendation" on a rapid review's board
            self.filters["area"].label = kinds.pop()
        self.filters["quadrant"].extra["choices"] = list(quadrants)
        self.form.helper = self._helper(with_priority="priority" in self.filters)

    @staticmethod
    def _helper(*, with_priority: bool = True) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True  # a GET form: a token would end up in the address, its history and logs
        helper.label_size = Size.SMALL
        helper.layout = Layout(
            Div(
                Field.select("lead_agency"),
                Field.select("area"),
                Field.select("lead"),
                css_class="app-board-filters__selects",
            ),
            Div(
                Field.checkboxes("quadrant", legend_size=Size.SMALL, small=True),
                css_class="app-board-filters__quadrants",
            ),
            Div(
                Field.checkbox("overdue", small=True),
                *([Field.checkbox("priority", small=True)] if with_priority else []),
                Field.checkbox("retest_due", small=True),
                css_class="app-board-filters__checks",
            ),
        )
        return helper

    @property
    def is_filtering(self) -> bool:
        """True when a valid filter narrows the board (the board then says "Showing N of M")."""
        return self.is_valid() and any(_chosen(value) for value in self.form.cleaned_data.values())

    @property
    def narrows_actions(self) -> bool:
        """True when a filter other than the quadrant is chosen: only those need the actions' query."""
        return self.is_valid() and any(
            _chosen(value) for name, value in self.form.cleaned_data.items() if name != "quadrant"
        )

    @property
    def chosen_quadrants(self) -> list[tuple[str, str]]:
        """The quadrants (and ``UPDATE_MISSING``) chosen, as (key, label) in the order offered; empty when off."""
        chosen = set(self.form.cleaned_data.get("quadrant") or []) if self.is_valid() else set()
        return [(key, label) for key, label in self.filters["quadrant"].extra["choices"] if key in chosen]

    def filter_quadrant(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        # Applied by the board to its entries (see the module's docstring), not to the actions' query.
        return queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.overdue(self.today)

    def filter_retest_due(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.retest_due(self.today)

    def filter_priority(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(areas__kind=Finding.Kind.PRIORITY_ACTION).distinct()


def _chosen(value) -> bool:
    return value not in (None, "", False, [])


def area_label(area: Finding) -> str:
    """A finding as a filter choice: its kind and number, then the start of its text."""
    words = area.text.split()
    text = " ".join(words[:10]) + ("…" if len(words) > 10 else "")
    return f"{area}: {text}"
