"""The register's search box and filters: theme, agency, status, source and regime, on a GET form.

The choices come from the partnership (its inspections and reviews, their themes, its agencies), read once
when the page is built, so checking a choice costs no query. The set filters the actions; the selector
(``register.selectors.register_for``) narrows the findings by the same sources (``source_q``) and applies the
search, which spans both.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Fluid, Layout, Size
from django.db.models import Q, QuerySet

from actions.models import Action
from inspections.models import Agency, Inspection
from register.search import MAX_LENGTH
from register.status import Status, status_q

#: The filters that narrow the actions themselves; the others narrow the sources (findings and actions alike).
ACTION_FILTERS = ("agency", "status")


class RegisterFilterSet(django_filters.FilterSet):
    """Filters the partnership's actions (``qs``); the selector narrows the findings by the same choices."""

    q = django_filters.CharFilter(
        label="Search the register",
        help_text="Words in a finding, an action, its reference or measure of success, or the theme",
        max_length=MAX_LENGTH,
        error_messages={"max_length": f"Search must be {MAX_LENGTH} characters or fewer"},
        method="filter_search",
    )
    theme = django_filters.ChoiceFilter(
        field_name="plan__inspection__theme", label="Theme or name", empty_label="All themes and names"
    )
    agency = django_filters.ChoiceFilter(
        label="Lead or supporting agency", empty_label="All agencies", method="filter_agency"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=Status.choices, empty_label="All statuses", method="filter_status"
    )
    source = django_filters.ChoiceFilter(
        field_name="plan__inspection_id", label="Inspection or review", empty_label="All inspections and reviews"
    )
    regime = django_filters.ChoiceFilter(
        field_name="plan__inspection__kind", label="Type", choices=Inspection.Kind.choices, empty_label="All types"
    )

    class Meta:
        model = Action
        fields: list[str] = []

    def __init__(
        self,
        data=None,
        queryset: QuerySet | None = None,
        *,
        sources: list[Inspection],
        agencies: list[Agency],
        today: datetime.date,
        **kwargs: Any,
    ):
        super().__init__(data, queryset, **kwargs)
        self.today = today
        self.filters["source"].extra["choices"] = [(str(source.pk), source.short_title) for source in sources]
        themes = sorted({source.theme for source in sources}, key=str.casefold)
        self.filters["theme"].extra["choices"] = [(theme, theme) for theme in themes]
        self.filters["agency"].extra["choices"] = [(str(agency.pk), agency.name) for agency in agencies]
        self.form.helper = self._helper()

    @staticmethod
    def _helper() -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True  # a GET form: a token would end up in the address, its history and logs
        helper.label_size = Size.SMALL
        helper.layout = Layout(
            Field.text("q", field_width=Fluid.TWO_THIRDS, spellcheck="false", autocomplete="off"),
            Div(
                Field.select("theme"),
                Field.select("agency"),
                Field.select("status"),
                Field.select("source"),
                Field.select("regime"),
                css_class="app-register-filters__selects",
            ),
        )
        return helper

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The search spans findings as well as actions, so the selector applies it (register.search.matching).
        return queryset

    def filter_agency(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        supported = Action.objects.filter(supporting_agencies__pk=value).values("pk")
        return queryset.filter(Q(lead_agency_id=value) | Q(pk__in=supported))

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(status_q(value, self.today))

    def chosen(self) -> dict[str, Any]:
        """The valid choices made, by filter name (a choice typed wrongly is left out and shown as an error)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}

    @property
    def is_filtering(self) -> bool:
        return bool(self.chosen())

    @property
    def search(self) -> str:
        return self.chosen().get("q", "")

    @property
    def narrows_actions(self) -> bool:
        """True when an agency or status is chosen: a finding then shows only if one of its actions is kept."""
        return any(name in self.chosen() for name in ACTION_FILTERS)

    def source_q(self, inspection: str) -> Q:
        """The chosen theme, source and type, as a condition on rows that reach their source by ``inspection``."""
        chosen = self.chosen()
        q = Q()
        if "theme" in chosen:
            q &= Q(**{f"{inspection}__theme": chosen["theme"]})
        if "source" in chosen:
            q &= Q(**{f"{inspection}_id": chosen["source"]})
        if "regime" in chosen:
            q &= Q(**{f"{inspection}__kind": chosen["regime"]})
        return q
