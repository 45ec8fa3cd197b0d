"""The chair's and the manager's pages for an action's outcome beyond complete, and its impact re-tests.

Thin, like the other pages: :func:`actions.services.access_action_for_outcome` fetches the action (404 for
another partnership, 403 without ``actions.close_outcome``), a form parses the answers and carries the action's
version, a service records the decision; a decision from a page read before someone else saved the action is
answered 409 with both versions side by side (``includes/edit_conflict.html``), keeping what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from actions import forms, selectors, services
from actions.models import Action, Outcome, Retest
from jtai_tracker.versions import EditConflict, rebased


def _decision_page(
    request,
    pk: int,
    *,
    form_class: type[forms._ActionDecisionForm],
    title: str,
    intro: str,
    button: str,
    refused: Callable[[Action], str],
    save: Callable[[Action, Any, dict[str, Any]], Any],
    done: Callable[[Action], str],
    form_kwargs: Callable[[Action], dict[str, Any]] = lambda action: {},
    warning: bool = False,
):
    """One decision's page: the form, its error summary, the 409 on a stale save, then back to the action."""
    action = services.access_action_for_outcome(request.user, pk)
    why_not = refused(action)
    if why_not:
        messages.info(request, why_not)
        return redirect("actions:detail", pk=action.pk)
    kwargs = form_kwargs(action)
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            fields = {name: value for name, value in form.cleaned_data.items() if name != "version"}
            try:
                save(action, request.user.person, {**fields, "expected_version": form.cleaned_data["version"]})
            except EditConflict as clash:
                form = form_class(rebased(request.POST, clash), **kwargs)
                form.is_valid()
                conflict = clash.labelled(form)
            except ValidationError as refusal:
                if hasattr(refusal, "error_dict"):
                    for field, errors in refusal.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, refusal)
            else:
                messages.success(request, done(action))
                return redirect("actions:detail", pk=action.pk)
    else:
        form = form_class(initial={"version": action.version}, **kwargs)
    return render(
        request,
        "actions/outcome_form.html",
        {
            "action": action,
            "form": form,
            "title": title,
            "intro": intro,
            "button": button,
            "warning": warning,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


def _open_only(action: Action) -> str:
    if action.outcome == Outcome.OPEN:
        return ""
    return f"Action {action.reference} is {action.outcome_label.lower()}, so its outcome cannot be recorded again."


def _complete_only(action: Action) -> str:
    if action.outcome == Outcome.COMPLETE:
        return ""
    return f"Action {action.reference} is not complete, so it cannot be re-tested."


def not_implemented(request, pk: int):
    """Record, with the chair's agreement at a meeting, that an open action will not be implemented, and why."""
    return _decision_page(
        request,
        pk,
        form_class=forms.NotImplementedForm,
        title="Record that this action will not be implemented",
        intro="Record this once a sub-group chair has agreed it at a meeting: the record names the chair who agreed "
        "it, and you as the person who recorded it. "
        "No later round asks about the action; reports say it was not implemented, and why.",
        button="Record as not implemented",
        refused=_open_only,
        form_kwargs=lambda action: {"chairs": services.chairs_who_may_agree(action)},
        save=lambda action, by, data: services.action_not_implemented(
            action=action,
            by=by,
            agreed_by=services.chair_who_agreed(action, data["agreed_by"]),
            on=data["not_implemented_on"],
            reason=data["not_implemented_reason"],
            expected_version=data["expected_version"],
        ),
        done=lambda action: f"Action {action.reference} recorded as not implemented. No later round asks about it.",
        warning=True,
    )


def replace(request, pk: int):
    """Record that an open action is superseded by, or merged into, another action of the partnership's."""

    def save(action: Action, by: Any, data: dict[str, Any]) -> Action:
        other = Action.objects.for_partnership(action.plan.inspection.partnership_id).filter(pk=data["replaced_by"])
        return services.action_replace(
            action=action,
            by=by,
            replaced_by=other.select_related("plan__inspection").first(),
            how=data["replaced_how"],
            on=data["replaced_on"],
            reason=data["replaced_reason"],
            expected_version=data["expected_version"],
        )

    return _decision_page(
        request,
        pk,
        form_class=forms.ReplaceForm,
        title="Superseded by or merged into another action",
        intro="Record this once the chair has agreed it at a meeting. No later round asks about this action; "
        "the action that carries the work now is asked about instead.",
        button="Record the decision",
        refused=_open_only,
        save=save,
        done=lambda action: f"Action {action.reference} recorded as replaced. No later round asks about it.",
        form_kwargs=lambda action: {"choices": selectors.replacement_choices(action)},
        warning=True,
    )


def reinstate(request, pk: int):
    """Undo a decision that an action will not be implemented, or is superseded or merged (with a reason)."""
    return _decision_page(
        request,
        pk,
        form_class=forms.ReinstateForm,
        title="Undo this decision",
        intro="The action goes back into the plan: from the next round its lead is asked for updates again. "
        "The decision undone is kept in its history.",
        button="Undo the decision",
        refused=lambda action: (
            ""
            if action.is_decided_not_to_complete
            else f"Action {action.reference} is not recorded as not implemented, superseded or merged."
        ),
        save=lambda action, by, data: services.action_reinstate(
            action=action, by=by, reason=data["reason"], expected_version=data["expected_version"]
        ),
        done=lambda action: f"Action {action.reference} is back in the plan. Its lead will be asked for updates again.",
    )


def retest_due(request, pk: int):
    """Set the day a completed action's impact should be re-tested: the board flags it from then."""
    return _decision_page(
        request,
        pk,
        form_class=forms.RetestDueForm,
        title="Set a re-test date",
        intro="From this date the board shows the action as \u201cRe-test due\u201d until a re-test is recorded.",
        button="Save the re-test date",
        refused=_complete_only,
        save=lambda action, by, data: services.retest_due_set(
            action=action, by=by, due=data["retest_due"], expected_version=data["expected_version"]
        ),
        done=lambda action: f"Re-test date for action {action.reference} saved.",
    )


def retest_record(request, pk: int):
    """Record an impact re-test of a completed action: sustained, or not sustained and reopened."""

    def done(action: Action) -> str:
        latest = action.retests.order_by("-recorded_at", "-id").first()
        if latest is not None and latest.result == Retest.Result.NOT_SUSTAINED:
            return f"Re-test recorded. Action {action.reference} is reopened: its lead will be asked for updates again."
        return f"Re-test recorded: the change to action {action.reference} was sustained."

    return _decision_page(
        request,
        pk,
        form_class=forms.RetestForm,
        title="Record a re-test",
        intro="If the change was not sustained, the action is reopened and its lead is asked for updates again.",
        button="Record the re-test",
        refused=_complete_only,
        save=lambda action, by, data: services.retest_record(
            action=action,
            by=by,
            tested_on=data["tested_on"],
            result=data["result"],
            evidence=data["evidence"],
            expected_version=data["expected_version"],
        ),
        done=done,
    )
