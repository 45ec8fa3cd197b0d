"""The read-only API's endpoints: thin, each a scoped queryset, a serializer and a filter.

Every queryset starts from ``.visible_to(request.user)``: the token's holder reads its partnership's rows and
nothing else (another partnership's id is a 404, or matches nothing in a filter).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from actions.models import Action, ActionPlan, EvidenceFile, MonitoringRound, Update
from api import filters, selectors, serializers
from api.base import ListViewSet, ReadOnlyViewSet
from api.models import Scope
from inspections.models import Finding
from reports.models import PublishedReport
from reports.published_files import published_file
from transfers.spreadsheets import safe_text


class PlanViewSet(ReadOnlyViewSet):
    """The partnership's action plans, with the inspection or review each answers."""

    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter

    def get_queryset(self):
        return ActionPlan.objects.visible_to(self.request.user).select_related("inspection").order_by("pk")


class ActionViewSet(ReadOnlyViewSet):
    """Every action of the partnership's plans as it stands today (a round's view is in the facts feed)."""

    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter

    def get_queryset(self):
        return (
            Action.objects.visible_to(self.request.user)
            .select_related("lead__user", "lead_agency")
            .prefetch_related("supporting_agencies", "areas")
            .order_by("plan_id", "position", "pk")
        )


class FindingViewSet(ReadOnlyViewSet):
    """The findings of the partnership's inspections and reviews, each with its sign-offs as addressed."""

    serializer_class = serializers.FindingSerializer
    filterset_class = filters.FindingFilter

    def get_queryset(self):
        return (
            Finding.objects.visible_to(self.request.user)
            .select_related("inspection")
            .prefetch_related("sign_offs")
            .order_by("inspection_id", "kind", "number", "pk")
        )


@extend_schema_view(
    figures=extend_schema(
        summary="A round's figures",
        description="The board's figures for the round (counts per quadrant, complete, the percentage and its "
        "denominator). An endorsed round's come from its frozen record.",
        responses=serializers.FiguresSerializer,
    )
)
class RoundViewSet(ReadOnlyViewSet):
    """Monitoring rounds of the partnership's plans."""

    serializer_class = serializers.RoundSerializer
    filterset_class = filters.RoundFilter

    def get_queryset(self):
        return MonitoringRound.objects.visible_to(self.request.user).order_by("plan_id", "period_end", "pk")

    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def figures(self, request: Any, pk: str | None = None) -> Response:
        monitoring_round = self.get_object()
        plan = ActionPlan.objects.select_related("inspection").get(pk=monitoring_round.plan_id)
        monitoring_round.plan = plan
        return Response(serializers.FiguresSerializer(selectors.round_figures(monitoring_round)).data)


class UpdateViewSet(ReadOnlyViewSet):
    """Leads' updates once submitted, and the sub-group's decisions on them; drafts are never shown."""

    serializer_class = serializers.UpdateSerializer
    filterset_class = filters.UpdateFilter

    def get_queryset(self):
        return (
            Update.objects.visible_to(self.request.user)
            .exclude(status=Update.Status.DRAFT)
            .order_by("round_id", "action_id", "pk")
        )


class EvidenceViewSet(ReadOnlyViewSet):
    """Details of the evidence files attached to submitted updates (name, type, size, SHA-256): never the file."""

    serializer_class = serializers.EvidenceSerializer
    filterset_class = filters.EvidenceFilter

    def get_queryset(self):
        return (
            EvidenceFile.objects.visible_to(self.request.user)
            .exclude(update__status=Update.Status.DRAFT)
            .select_related("update")
            .order_by("pk")
        )


@extend_schema_view(
    pdf=extend_schema(
        summary="A published report's PDF",
        description="The PDF byte for byte as it was published (its SHA-256 is the report's `sha256`).",
        responses={(200, "application/pdf"): OpenApiResponse(response=OpenApiTypes.BINARY)},
    )
)
class PublishedReportViewSet(ReadOnlyViewSet):
    """Committee reports as published for their meetings: the details and figures; the PDF at `pdf`."""

    serializer_class = serializers.PublishedReportSerializer
    filterset_class = filters.PublishedReportFilter
    required_scope = Scope.REPORTS

    def get_queryset(self):
        return (
            PublishedReport.objects.visible_to(self.request.user)
            .select_related("report")
            .defer("html")
            .order_by("report__plan_id", "meeting_date", "version", "pk")
        )

    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def pdf(self, request: Any, pk: str | None = None) -> Any:
        published = self.get_object()
        published = PublishedReport.objects.get(pk=published.pk)  # with its file
        return published_file(request._request, published, "pdf", detail="Through the API")


class FactsViewSet(ListViewSet):
    """One row per action per round, as at that round: for Power BI and Excel."""

    filterset_class = filters.FactsFilter
    extra_parameters = ("format",)
    serializer_class = serializers.FactSerializer
    pagination_class = None

    def get_queryset(self):
        return MonitoringRound.objects.visible_to(self.request.user)

    @extend_schema(
        summary="The facts feed",
        description=(
            "One row per action per round, as at that round (an endorsed round's from its frozen record), for the "
            "whole partnership or one plan or round. Streamed; not paginated. `?format=csv` gives the same rows as "
            "CSV (UTF-8 with a byte-order mark, for Excel)."
        ),
        parameters=[
            OpenApiParameter("format", str, enum=["json", "csv"], description="json (the default) or csv"),
        ],
        responses={
            (200, "application/json"): serializers.FactSerializer(many=True),
            (200, "text/csv"): OpenApiResponse(response=OpenApiTypes.STR),
        },
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> StreamingHttpResponse:
        chosen = request.query_params.get("format", "json")
        if chosen not in ("json", "csv"):
            raise exceptions.ValidationError({"format": ["Choose json or csv."]})
        rows = selectors.facts(self.filter_queryset(self.get_queryset()))
        if chosen == "csv":
            response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="facts.csv"'
        else:
            response = StreamingHttpResponse(_json_chunks(rows), content_type="application/json")
        return response


def _json_chunks(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield "["
    for number, row in enumerate(rows):
        yield ("," if number else "") + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False)
    yield "]"


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else safe_text(value)


def _csv_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(selectors.FACT_COLUMNS)
    yield out.getvalue()
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow([_csv_cell(row[column]) for column in selectors.FACT_COLUMNS])
        yield out.getvalue()
