from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from actions.selectors import plan_summaries
from inspections.models import Finding, Inspection
from people.selectors import person_for
from reports.selectors import round_figures


def home(request):
    """The partnership's inspections and plans, with where each plan stands."""
    person = person_for(request.user)
    summaries = plan_summaries(person.partnership_id) if person is not None else []
    for summary in summaries:
        # The agreed round's figures from the one source the board and the report use, so they agree.
        summary.figures = round_figures(summary.plan, summary.agreed_round) if summary.agreed_round else None
    return render(request, "inspections/home.html", {"summaries": summaries})


def inspection_detail(request, pk: int):
    inspection = get_object_or_404(Inspection.objects.visible_to(request.user).select_related("plan"), pk=pk)
    findings = list(inspection.findings.all())
    headings = {
        Finding.Kind.PRIORITY_ACTION: "Priority areas for action",
        Finding.Kind.AREA_FOR_IMPROVEMENT: "Areas for improvement",
        Finding.Kind.STRENGTH: "Strengths",
    }
    groups = [(heading, [f for f in findings if f.kind == kind]) for kind, heading in headings.items()]
    return render(
        request,
        "inspections/inspection_detail.html",
        {"inspection": inspection, "finding_groups": [(label, items) for label, items in groups if items]},
    )


@login_not_required
@never_cache
def health(request):
    """For load balancers and monitoring: is the app up and can it reach its database?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
