"""Report pages. Thin: parse the request, fetch what the user may see, call a selector, render."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from actions.models import ActionPlan, MonitoringRound
from reports import selectors
from reports.sign_offs import area_sign_offs


def board(request, plan_pk: int, round_pk: int | None = None):
    """The quadrant board of a plan for one round (the latest by default), as a 2x2 board or a plain list."""
    if round_pk is None:
        plan = get_object_or_404(ActionPlan.objects.visible_to(request.user).select_related("inspection"), pk=plan_pk)
        monitoring_round = None
    else:
        # The round and its plan in one query; a round of another plan is not found, like one of another partnership.
        monitoring_round = get_object_or_404(
            MonitoringRound.objects.visible_to(request.user).select_related("plan__inspection"),
            pk=round_pk,
            plan_id=plan_pk,
        )
        plan = monitoring_round.plan
    if not request.user.has_perm("inspections.view", plan):
        raise PermissionDenied
    board = selectors.board_for(plan, monitoring_round, filters=request.GET)
    list_view = request.GET.get("view") == "list"
    # The list view pages through every entry; the board lists the first of each quadrant (Board.shown).
    page = Paginator(board.entries, settings.LIST_PER_PAGE).get_page(request.GET.get("page")) if list_view else None
    return render(
        request,
        "reports/board.html",
        {
            "board": board,
            "list_view": list_view,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number) if page else [],
            "quadrant_scale": board.scale,
            "area_sign_offs": area_sign_offs(board),
        },
    )
