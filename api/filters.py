"""The filters each list takes: ids as whole numbers (another partnership's id simply matches nothing)."""

from __future__ import annotations

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from actions.models import Action, ActionPlan, EvidenceFile, MonitoringRound, Outcome, Update
from inspections.models import Finding
from reports.models import PublishedReport

#: Ids fit a 64-bit integer: larger numbers are refused with a 400, not sent to the database.
LARGEST_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": LARGEST_ID})
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", LARGEST_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": 20, "pattern": "^[^\u0000]+$"})
class ReferenceFilter(django_filters.CharFilter):
    """An action's reference, exactly ("3.2")."""


class PlanFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionPlan.Status.choices, label="Plans in this state only")

    class Meta:
        model = ActionPlan
        fields = ["status"]


class ActionFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id", label="One plan's actions (its id)")
    lead_agency = IdFilter(field_name="lead_agency_id", label="Actions this agency leads (its id)")
    reference = ReferenceFilter(max_length=20, label="The action with this reference, such as 3.2")
    outcome = django_filters.ChoiceFilter(
        choices=Outcome.choices, method="filter_outcome", label="Actions with this outcome today"
    )

    class Meta:
        model = Action
        fields = ["plan", "lead_agency", "reference", "outcome"]

    def filter_outcome(self, queryset, name, value):
        return queryset.with_outcome(value)


class FindingFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="inspection__plan__id", label="The findings one plan answers (the plan's id)")
    inspection = IdFilter(field_name="inspection_id", label="One inspection or review's findings (its id)")
    kind = django_filters.ChoiceFilter(choices=Finding.Kind.choices, label="Findings of this kind only")

    class Meta:
        model = Finding
        fields = ["plan", "inspection", "kind"]


class RoundFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id", label="One plan's rounds (its id)")
    state = django_filters.ChoiceFilter(choices=MonitoringRound.State.choices, label="Rounds in this state only")

    class Meta:
        model = MonitoringRound
        fields = ["plan", "state"]


class UpdateFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="round__plan_id", label="Updates in one plan's rounds (its id)")
    round = IdFilter(field_name="round_id", label="One round's updates (its id)")
    action = IdFilter(field_name="action_id", label="One action's updates (its id)")
    status = django_filters.ChoiceFilter(
        choices=[(Update.Status.SUBMITTED, "Submitted"), (Update.Status.AGREED, "Agreed")],
        label="Updates in this state only",
    )

    class Meta:
        model = Update
        fields = ["plan", "round", "action", "status"]


class EvidenceFilter(django_filters.FilterSet):
    round = IdFilter(field_name="update__round_id", label="Files of one round's updates (its id)")
    action = IdFilter(field_name="update__action_id", label="Files of one action's updates (its id)")
    update = IdFilter(field_name="update_id", label="One update's files (its id)")

    class Meta:
        model = EvidenceFile
        fields = ["round", "action", "update"]


class PublishedReportFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="report__plan_id", label="One plan's reports (its id)")
    round = IdFilter(field_name="report__round_id", label="One round's reports (its id)")

    class Meta:
        model = PublishedReport
        fields = ["plan", "round"]


class FactsFilter(django_filters.FilterSet):
    """The facts feed's filters (applied to the rounds it reads)."""

    plan = IdFilter(field_name="plan_id", label="One plan's rows (its id)")
    round = IdFilter(field_name="pk", label="One round's rows (its id)")

    class Meta:
        model = MonitoringRound
        fields = ["plan", "round"]
