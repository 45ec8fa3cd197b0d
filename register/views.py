"""The register's pages: the partnership's findings and actions on one page, searched and filtered, and the page
where a manager links an action to the others that track the same recommendation. Thin: fetch, call, render."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from actions.models import Action
from jtai_tracker.writes import author_name
from register import selectors, services
from register.access import access_action_for_linking, access_register
from register.forms import LinkForm

#: Entries (a finding with its actions, or an action answering no finding) on one page of the register.
PER_PAGE = 25


def register(request: HttpRequest) -> HttpResponse:
    partnership = access_register(request.user)
    found = selectors.register_for(partnership, request.GET, timezone.localdate())
    page = Paginator(found.entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "register/register.html",
        {
            "partnership": partnership,
            "filterset": found.filterset,
            "entries": found.entries,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            "can_link": request.user.has_perm("inspections.manage", partnership),
        },
    )


def _posted_id(request: HttpRequest) -> int | None:
    """The form's ``other`` as an id: ASCII digits only (``str.isdigit`` also takes "²" and "١٢")."""
    other = request.POST.get("other", "")
    return int(other) if re.fullmatch(r"[0-9]{1,18}", other) else None


def _other_action(request: HttpRequest) -> Action:
    """The action named by the form's ``other``, of the user's own partnership (404 for any other)."""
    other = _posted_id(request)
    if other is None:
        raise Http404
    return get_object_or_404(Action.objects.visible_to(request.user).select_related("plan"), pk=other)


def links(request: HttpRequest, pk: int) -> HttpResponse:
    action = access_action_for_linking(request.user, pk)
    form = LinkForm(request.POST or None, candidates=services.link_candidates(action))
    if request.method == "POST":
        # Another partnership's action is a 404 before the form says anything; the action itself, a refusal.
        other = _other_action(request) if _posted_id(request) is not None else None
        if form.is_valid() or (other is not None and other.pk == action.pk):
            try:
                linked = services.related_action_link(action=action, other=other, by=request.user.person)
            except services.LinkRefused as refused:
                form.errors.pop("other", None)
                form.add_error("other", str(refused))
            else:
                if linked:
                    messages.success(request, f"Action {action.reference} is now linked to {other.reference}.")
                return redirect("register:links", pk=action.pk)
    related = action.related_actions.select_related("plan__inspection").order_by("plan_id", "position", "pk")
    return render(
        request,
        "register/links.html",
        {
            "action": action,
            "form": form,
            "related": related,
            "history": [
                (record.history_date, record.history_change_reason, author_name(record))
                for record in services.link_history(action)
            ],
        },
        status=400 if form.errors else 200,
    )


def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    action = access_action_for_linking(request.user, pk)  # 404 or 403 first, whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    other = _other_action(request)
    if services.related_action_unlink(action=action, other=other, by=request.user.person):
        messages.success(request, f"Action {action.reference} is no longer linked to {other.reference}.")
    return redirect("register:links", pk=action.pk)
