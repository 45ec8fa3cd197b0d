"""Filters for the audit log page and its CSV: the kind of event, a person, and the days between two dates."""

from __future__ import annotations

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms
from django.db.models import Q, QuerySet

from audit.models import AuditEvent
from jtai_tracker.forms import GovukDateField, OneMessagePerDate


class AuditFilterForm(OneMessagePerDate, forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return cleaned


class DateFilter(django_filters.Filter):
    """A GOV.UK date input (``jtai_tracker.forms.GovukDateField``), compared with the day of the event in UK time."""

    field_class = GovukDateField


class AuditEventFilterSet(django_filters.FilterSet):
    event = django_filters.ChoiceFilter(label="Event", choices=AuditEvent.Event.choices, empty_label="All events")
    person = django_filters.CharFilter(
        label="Name or username",
        method="filter_person",
        help_text="Finds what someone did and what was done to them.",
    )
    date_from = DateFilter(field_name="at", lookup_expr="date__gte", label="Date from")
    date_to = DateFilter(field_name="at", lookup_expr="date__lte", label="Date to")

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = AuditFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True  # a GET form: a token would end up in the address, its history and logs
        helper.label_size = Size.SMALL
        legend = {"legend_size": Size.for_legend(Size.SMALL)}
        helper.layout = Layout(
            Field.select("event"),
            Field.text("person", field_width=Fluid.ONE_HALF, spellcheck="false", autocomplete="off"),
            Field("date_from", context=legend),
            Field("date_to", context=legend),
        )
        self.form.helper = helper

    @property
    def is_filtering(self) -> bool:
        """True when a filter that was typed correctly narrows the events."""
        if not self.is_bound:
            return False
        self.form.is_valid()
        return any(value not in (None, "") for value in self.form.cleaned_data.values())

    def filter_person(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word typed is somewhere in the username, the person's name or whom the event concerned."""
        for word in value.split():
            queryset = queryset.filter(
                Q(username__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(subject__icontains=word)
            )
        return queryset
