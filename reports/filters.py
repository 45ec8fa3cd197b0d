"""Filters for the quadrant board: narrow one plan's actions without changing the board's layout.

The choices come from the plan itself (the agencies and people who lead its
actions, the inspection's areas for improvement and priority areas for
action), passed in by the selector that has already read them, so checking a
choice never costs a query.
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
from inspections.models import Finding


class BoardFilterSet(django_filters.FilterSet):
    lead_agency = django_filters.ChoiceFilter(field_name="lead_agency_id", label="Lead agency", empty_label="All")
    area = django_filters.ChoiceFilter(field_name="areas", label="Area for improvement", empty_label="All")
    lead = django_filters.ChoiceFilter(field_name="lead_id", label="Lead", empty_label="All")
    overdue = django_filters.BooleanFilter(
        label="Only overdue actions", widget=forms.CheckboxInput, method="filter_overdue"
    )
    priority = django_filters.BooleanFilter(
        label="Only actions on a priority area for action", widget=forms.CheckboxInput, method="filter_priority"
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
        today: datetime.date,
        **kwargs,
    ):
        super().__init__(data, queryset, **kwargs)
        self.today = today
        self.filters["lead_agency"].extra["choices"] = [(str(pk), name) for pk, name in agencies]
        self.filters["lead"].extra["choices"] = [(str(pk), name) for pk, name in leads]
        self.filters["area"].extra["choices"] = [(str(area.pk), area_label(area)) for area in areas]
        self.form.helper = self._helper()

    @staticmethod
    def _helper() -> FormHelper:
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
                Field.checkbox("overdue", small=True),
                Field.checkbox("priority", small=True),
                css_class="app-board-filters__checks",
            ),
        )
        return helper

    @property
    def is_filtering(self) -> bool:
        """True when a valid filter narrows the board (the board then says "Showing N of M")."""
        return self.is_valid() and any(value not in (None, "", False) for value in self.form.cleaned_data.values())

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.overdue(self.today)

    def filter_priority(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(areas__kind=Finding.Kind.PRIORITY_ACTION).distinct()


def area_label(area: Finding) -> str:
    """A finding as a filter choice: its kind and number, then the start of its text."""
    words = area.text.split()
    text = " ".join(words[:10]) + ("…" if len(words) > 10 else "")
    return f"{area}: {text}"
