from django.http import Http404
from django.shortcuts import render

from actions.models import ActionPlan
from actions.quadrants import OPEN_QUADRANTS
from actions.selectors import plan_detail


def plan(request, pk: int):
    try:
        context = plan_detail(request.user, pk)
    except ActionPlan.DoesNotExist as missing:
        raise Http404("No such plan") from missing
    return render(request, "actions/plan_detail.html", {**context, "open_quadrants": OPEN_QUADRANTS})
