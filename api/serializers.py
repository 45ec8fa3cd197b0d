"""How each row reads in the API: flat, with ids to join on and names to show."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.models import Action, ActionPlan, EvidenceFile, MonitoringRound, Update
from inspections.models import Finding, FindingSignOff
from reports.models import PublishedReport


class PlanSerializer(serializers.ModelSerializer):
    inspection_id = serializers.IntegerField()
    inspection_kind = serializers.CharField(source="inspection.kind")
    inspection_theme = serializers.CharField(source="inspection.theme")
    fieldwork_start = serializers.DateField(source="inspection.fieldwork_start")
    fieldwork_end = serializers.DateField(source="inspection.fieldwork_end")
    letter_published = serializers.DateField(source="inspection.letter_published", allow_null=True)

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "title",
            "status",
            "signed_off_on",
            "inspection_id",
            "inspection_kind",
            "inspection_theme",
            "fieldwork_start",
            "fieldwork_end",
            "letter_published",
        ]


class ActionSerializer(serializers.ModelSerializer):
    plan_id = serializers.IntegerField()
    lead = serializers.CharField(source="lead.name")
    lead_agency_id = serializers.IntegerField()
    lead_agency = serializers.CharField(source="lead_agency.name")
    supporting_agencies = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    finding_ids = serializers.PrimaryKeyRelatedField(source="areas", many=True, read_only=True)
    current_target_date = serializers.DateField()
    outcome = serializers.CharField()
    replaced_by_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "plan_id",
            "reference",
            "position",
            "description",
            "lead",
            "lead_agency_id",
            "lead_agency",
            "supporting_agencies",
            "finding_ids",
            "target_date",
            "revised_target_date",
            "current_target_date",
            "measure_of_success",
            "completed_on",
            "withdrawn_on",
            "not_implemented_on",
            "replaced_by_id",
            "replaced_how",
            "replaced_on",
            "retest_due",
            "outcome",
        ]


class SignOffSerializer(serializers.ModelSerializer):
    class Meta:
        model = FindingSignOff
        fields = ["id", "signed_off_on", "agreed_by_body", "evidence", "note", "reopened_on", "reopened_reason"]


class FindingSerializer(serializers.ModelSerializer):
    inspection_id = serializers.IntegerField()
    reference = serializers.CharField()
    sign_offs = SignOffSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "inspection_id", "kind", "number", "reference", "text", "sign_offs"]


class RoundSerializer(serializers.ModelSerializer):
    plan_id = serializers.IntegerField()

    class Meta:
        model = MonitoringRound
        fields = [
            "id",
            "plan_id",
            "label",
            "period_end",
            "update_deadline",
            "state",
            "cadence",
            "subgroup_meeting_on",
            "endorsed_on",
            "endorsement_meeting",
            "imported",
        ]


class UpdateSerializer(serializers.ModelSerializer):
    action_id = serializers.IntegerField()
    round_id = serializers.IntegerField()

    class Meta:
        model = Update
        fields = [
            "id",
            "action_id",
            "round_id",
            "status",
            "narrative",
            "evidence",
            "barriers",
            "next_steps",
            "proposed_quadrant",
            "requested_target_date",
            "achieved_on",
            "carried_forward",
            "submitted_at",
            "agreed_quadrant",
            "agreed_reason",
            "date_decision",
            "agreed_at",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    """An evidence file's details: never its bytes."""

    update_id = serializers.IntegerField()
    action_id = serializers.IntegerField(source="update.action_id")
    round_id = serializers.IntegerField(source="update.round_id")

    class Meta:
        model = EvidenceFile
        fields = [
            "id",
            "update_id",
            "action_id",
            "round_id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
        ]


class QuadrantCountSerializer(serializers.Serializer):
    quadrant = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer):
    """A round's figures: the board's (``reports.selectors.round_figures``)."""

    round_id = serializers.IntegerField()
    plan_id = serializers.IntegerField()
    label = serializers.CharField()
    state = serializers.CharField()
    as_at = serializers.DateField()
    from_endorsed_record = serializers.BooleanField(help_text="Read from the round's frozen record, not today's rows.")
    total = serializers.IntegerField(help_text="The actions the round covers: the percentage's denominator.")
    complete = serializers.IntegerField()
    complete_percent = serializers.IntegerField()
    denominator = serializers.CharField()
    quadrants = QuadrantCountSerializer(many=True)
    update_missing = serializers.IntegerField()
    not_implemented = serializers.IntegerField()
    superseded_or_merged = serializers.IntegerField()


class PublishedReportSerializer(serializers.ModelSerializer):
    plan_id = serializers.IntegerField(source="report.plan_id")
    round_id = serializers.IntegerField(source="report.round_id")
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = PublishedReport
        fields = [
            "id",
            "plan_id",
            "round_id",
            "version",
            "title",
            "committee",
            "meeting_date",
            "published_at",
            "sha256",
            "figures",
            "pdf_url",
        ]

    @extend_schema_field(serializers.CharField())
    def get_pdf_url(self, published: PublishedReport) -> str:
        return f"/api/reports/{published.pk}/pdf"


class FactSerializer(serializers.Serializer):
    """One action in one round, as at that round: one row of the facts feed."""

    plan_id = serializers.IntegerField()
    plan_title = serializers.CharField()
    round_id = serializers.IntegerField()
    round_label = serializers.CharField()
    round_period_end = serializers.DateField()
    round_state = serializers.CharField()
    round_as_at = serializers.DateField()
    from_endorsed_record = serializers.BooleanField()
    action_id = serializers.IntegerField()
    action_reference = serializers.CharField()
    action_description = serializers.CharField()
    lead = serializers.CharField()
    lead_agency = serializers.CharField()
    target_date = serializers.DateField(allow_null=True)
    quadrant = serializers.CharField(help_text="Empty when the update is missing or the action closed otherwise.")
    quadrant_label = serializers.CharField()
    quadrant_proposed = serializers.BooleanField()
    previous_quadrant = serializers.CharField()
    movement = serializers.CharField()
    overdue = serializers.BooleanField()
    due_soon_not_green = serializers.BooleanField()
    update_missing = serializers.BooleanField()
    carried_forward = serializers.BooleanField()
    retest_due = serializers.BooleanField()
    outcome = serializers.CharField(help_text="Empty, or not implemented, superseded or merged as at the round.")

    def to_representation(self, instance: Any) -> Any:
        return instance  # rows are built ready (api.selectors.facts)
