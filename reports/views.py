"""Report pages. Thin: parse the request, call a selector, render."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from actions.models import ActionPlan, MonitoringRound
from reports import selectors


def board(request, plan_pk: int, round_pk: int | None = None):
    """The quadrant board of a plan for one round (the latest by default), as a 2x2 board or a plain list."""
    try:
        board = selectors.board_for(request.user, plan_pk, round_pk, filters=request.GET)
    except (ActionPlan.DoesNotExist, MonitoringRound.DoesNotExist) as missing:
        raise Http404("No such plan or round") from missing
    if not request.user.has_perm("inspections.view", board.plan):
        raise PermissionDenied
    return render(
        request,
        "reports/board.html",
        {"board": board, "list_view": request.GET.get("view") == "list", "quadrant_scale": board.scale},
    )
