"""Pages for plans, actions and leads' updates. Thin: parse, call a selector or service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from actions import forms, reminders, rounds, selectors, services
from actions.forms import UpdateForm
from actions.models import Action, ActionPlan, EvidenceFile, MonitoringRound, Outcome, Update
from actions.quadrants import OPEN_QUADRANTS, scale_for
from audit.downloads import Event, recorded_attachment
from jtai_tracker.versions import rebased
from people.selectors import person_for

#: What a round's move is called in the message after it (the state's own name reads badly in a sentence).
MOVED = {
    MonitoringRound.State.OPEN: "open for updates",
    MonitoringRound.State.SENSE_CHECK: "updates have stopped and the sense check has started",
}


def plan(request, pk: int):
    plan = get_object_or_404(ActionPlan.objects.visible_to(request.user).select_related("inspection"), pk=pk)
    context = selectors.plan_detail(plan)
    return render(request, "actions/plan_detail.html", {**context, "open_quadrants": OPEN_QUADRANTS})


def my_actions(request):
    person = person_for(request.user)
    rows = selectors.my_actions(person) if person is not None else []
    return render(
        request,
        "actions/my_actions.html",
        {"groups": selectors.my_action_groups(rows), "several_plans": len({row.action.plan_id for row in rows}) > 1},
    )


def action_detail(request, pk: int):
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related(
            "plan__inspection", "lead__user", "lead_agency", "not_implemented_agreed_by__user", "replaced_by__plan"
        ),
        pk=pk,
    )
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "areas": selectors.answered_areas(action),
            "open_round": services.open_round_for(action),
            "updates": selectors.update_history(action),
            "timeline": selectors.action_timeline(action),
            "can_update": request.user.has_perm("actions.update", action) and action.outcome == Outcome.OPEN,
            "can_reopen": action.is_complete and request.user.has_perm("actions.sense_check", action),
            "outcome": selectors.action_outcome(
                action, may_decide=request.user.has_perm("actions.close_outcome", action)
            ),
        },
    )


def _update_or_redirect(request, action: Action):
    """The open round and this action's update in it (unsaved if none yet), or where to send the lead instead."""
    if not action.is_asked_about:
        messages.info(request, f"Action {action.reference} is {action.outcome_label.lower()}, so no update is needed.")
        return None, None, redirect("actions:detail", pk=action.pk)
    if action.is_complete:
        messages.info(
            request,
            f"Action {action.reference} was agreed complete on {action.completed_on:%-d %B %Y}: no update is needed.",
        )
        return None, None, redirect("actions:detail", pk=action.pk)
    monitoring_round = services.open_round_for(action)
    if monitoring_round is None:
        messages.info(request, "No round is open for updates on this plan, so there is nothing to update.")
        return None, None, redirect("actions:detail", pk=action.pk)
    update = Update.objects.filter(action=action, round=monitoring_round).first() or Update(
        action=action, round=monitoring_round
    )
    return monitoring_round, update, None


def _refused_for_state(request, action: Action, refused: services.RoundNotOpen):
    """The update can no longer be changed: say why, on the action's page."""
    if isinstance(refused, services.ActionComplete):
        messages.error(request, f"Action {action.reference} was agreed complete, so no update is needed.")
    elif isinstance(refused, services.UpdateNotDraft):
        messages.error(request, "The update has been submitted, so its files can no longer be removed.")
    else:
        messages.error(request, "This round has closed for updates, so your changes were not saved.")
    return redirect("actions:detail", pk=action.pk)


def update_edit(request, pk: int):
    """The lead's form for the open round: save as draft, or continue to check the answers before submitting.

    "Continue" saves the answers as a draft once they pass the rules for submitting, then shows them on
    "Check your answers" (``update_check``), the one way an update is submitted.
    """
    action = services.access_action_for_update(request.user, pk)
    monitoring_round, update, elsewhere = _update_or_redirect(request, action)
    if elsewhere:
        return elsewhere
    read_only = update.status == Update.Status.AGREED
    scale = scale_for(action.plan.inspection.partnership_id)
    checking = request.POST.get("intent") == "check"
    conflict = None
    if request.method == "POST" and not read_only:
        form = UpdateForm(
            request.POST,
            request.FILES,
            scale=scale,
            action=action,
            submitting=checking,
            initial=UpdateForm.initial_for(update),
        )
        if form.is_valid():
            try:
                services.update_save(
                    action=action,
                    monitoring_round=monitoring_round,
                    by=request.user.person,
                    expected_version=form.cleaned_data["version"],
                    fields=form.update_fields(),
                    submit=False,
                    files=form.cleaned_data["files"],
                )
            except services.RoundNotOpen as refused:
                return _refused_for_state(request, action, refused)
            except services.UpdateInvalid as refused:
                form.add_rule_errors(refused.errors)
            except services.UpdateConflict as clash:
                # Keep what this user typed, but against the version now saved, so a second save can go through.
                form = UpdateForm(
                    rebased(request.POST, clash),
                    scale=scale,
                    action=action,
                    submitting=checking,
                    initial=UpdateForm.initial_for(update),
                )
                form.is_valid()
                conflict = clash.labelled(form)
            else:
                if checking:
                    return redirect("actions:update_check", pk=action.pk)
                messages.success(request, f"Draft update on {action.reference} saved.")
                return redirect("actions:update", pk=action.pk)
    else:
        form = UpdateForm(scale=scale, action=action, submitting=False, initial=UpdateForm.initial_for(update))
    return _render_update_form(request, action, monitoring_round, update, form, conflict=conflict, read_only=read_only)


def _render_update_form(request, action, monitoring_round, update, form, *, conflict=None, read_only=False):
    return render(
        request,
        "actions/update_form.html",
        {
            "action": action,
            "round": monitoring_round,
            "update": update,
            "form": form,
            "read_only": read_only,
            "conflict": conflict,
            "previous_updates": selectors.update_history(action, exclude_round=monitoring_round),
            "files": list(update.files.all()) if update.pk else [],
        },
        status=409 if conflict else 200,
    )


def update_check(request, pk: int):
    """ "Check your answers": the saved draft, each answer with a link to change it, and "Submit update".

    Submitting sends the draft as this page showed it (the version it carries): if anyone saved the update
    since, the lead gets the form back with their own answers and the other version beside them (409).
    """
    action = services.access_action_for_update(request.user, pk)
    monitoring_round, update, elsewhere = _update_or_redirect(request, action)
    if elsewhere:
        return elsewhere
    if request.method == "POST":
        form = forms.VersionForm(request.POST)
        try:
            if not form.is_valid():
                raise services.UpdateConflict(update if update.pk else None, [])
            services.update_submit(
                action=action,
                monitoring_round=monitoring_round,
                by=request.user.person,
                expected_version=form.cleaned_data["version"],
            )
        except services.RoundNotOpen as refused:
            return _refused_for_state(request, action, refused)
        except services.UpdateConflict as clash:
            return _update_conflict(request, action, monitoring_round, update, clash, form)
        except services.UpdateInvalid:
            pass  # the page below says what is wrong, each message linked to the answer to change
        except services.AlreadySubmitted:
            return _submitted(request, action)  # their own first click (a double click): end where it ended
        else:
            return _submitted(request, action)
    if not update.pk or not update.is_draft:
        # Nothing to check: a new update is written first, a submitted or agreed one is shown on the form page.
        return redirect("actions:update", pk=action.pk)
    scale = scale_for(action.plan.inspection.partnership_id)
    form = UpdateForm(scale=scale, action=action, submitting=True, initial=UpdateForm.initial_for(update))
    files = list(update.files.all())
    change = reverse("actions:update", args=[action.pk])
    problems = [
        (f"{change}#{forms.answer_anchor(form, field)}", message)
        for field, message in services.update_problems(
            action=action,
            fields={name: getattr(update, name) for name in services.LEAD_FIELDS},
            submit=True,
            has_files=bool(files),
        ).items()
    ]
    return render(
        request,
        "actions/update_check.html",
        {
            "action": action,
            "round": monitoring_round,
            "update": update,
            "rows": forms.check_rows(form, update, files),
            "problems": problems,
        },
        status=200,
    )


def _submitted(request, action: Action):
    messages.success(request, f"Update on {action.reference} submitted to the sub-group.")
    return redirect("actions:mine")


def _update_conflict(request, action, monitoring_round, update, clash, version_form):
    """A stale submit: the form page with the answers the lead checked, against the version now saved (409)."""
    checked_version = version_form.cleaned_data.get("version") if version_form.is_valid() else None
    checked = update.history.filter(version=checked_version).first() if update.pk and checked_version else None
    answers = {name: getattr(checked, name) for name in services.LEAD_FIELDS} if checked else None
    current = Update.objects.filter(pk=update.pk).first() if update.pk else None
    update = current or update
    scale = scale_for(action.plan.inspection.partnership_id)
    initial = UpdateForm.initial_for(update, answers)
    form = UpdateForm(scale=scale, action=action, submitting=True, initial=initial)
    return _render_update_form(request, action, monitoring_round, update, form, conflict=clash.labelled(form))


def evidence_remove(request, pk: int):
    """POST: take a file off the lead's draft update (the version the page showed must still be the saved one)."""
    evidence = get_object_or_404(EvidenceFile.objects.visible_to(request.user).select_related("update"), pk=pk)
    action = services.access_action_for_update(request.user, evidence.update.action_id)
    if request.method != "POST":
        return redirect("actions:update", pk=action.pk)
    form = forms.VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise services.UpdateConflict(evidence.update, [])
        services.evidence_remove(
            evidence=evidence, by=request.user.person, expected_version=form.cleaned_data["version"]
        )
    except services.RoundNotOpen as refused:
        return _refused_for_state(request, action, refused)
    except services.UpdateConflict:
        messages.error(
            request,
            f"Someone else saved this update after you opened it, so {evidence.original_name} was not removed. "
            "Check the update below, then remove the file again if you still want to.",
        )
    except services.UpdateInvalid:
        messages.error(
            request,
            f"{evidence.original_name} is the only evidence that the action is complete, so it was not removed. "
            "Give the evidence in words or attach another file first.",
        )
    else:
        messages.success(request, f"{evidence.original_name} removed from your draft update.")
    return redirect("actions:update", pk=action.pk)


def evidence_download(request, pk: int):
    """Serve an evidence file to members of its partnership only, always as a download."""
    evidence = get_object_or_404(EvidenceFile.objects.visible_to(request.user).select_related("update__action"), pk=pk)
    if not request.user.has_perm("inspections.view", evidence.update.action):
        raise PermissionDenied
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file is no longer stored") from missing
    response = recorded_attachment(
        request, Event.EVIDENCE_DOWNLOADED, handle, evidence.original_name, evidence.content_type
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# Rounds and the sense check ----------------------------------------------------


def action_reopen(request, pk: int):
    """A chair reopens an action agreed complete, with a reason; its lead is asked for updates again."""
    action = get_object_or_404(Action.objects.visible_to(request.user).select_related("plan"), pk=pk)
    if not request.user.has_perm("actions.sense_check", action):
        raise PermissionDenied
    if not action.is_complete:
        messages.info(request, f"Action {action.reference} is not complete, so there is nothing to reopen.")
        return redirect("actions:detail", pk=action.pk)
    form = forms.ReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_reopen(action=action, by=request.user.person, reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"Action {action.reference} reopened. Its lead will be asked for updates again.")
            return redirect("actions:detail", pk=action.pk)
    return render(request, "actions/action_reopen.html", {"action": action, "form": form})


def round_detail(request, pk: int):
    """Where a round stands, and the next step for whoever may take it."""
    monitoring_round = get_object_or_404(
        MonitoringRound.objects.visible_to(request.user).select_related("plan__inspection"), pk=pk
    )
    return _render_round(request, monitoring_round)


def _render_round(request, monitoring_round, *, close_form=None, endorse_form=None, missing=None, status=200):
    user = request.user
    can_chair = user.has_perm("actions.sense_check", monitoring_round)
    by_state = selectors.round_actions(monitoring_round)
    may_close = _may_close(user, monitoring_round)
    return render(
        request,
        "actions/round_detail.html",
        {
            "round": monitoring_round,
            "by_state": by_state,
            "can_view": user.has_perm("inspections.view", monitoring_round),
            "can_chair": can_chair,
            "next_move": _next_move(user, monitoring_round, by_state, may_close),
            "may_close": may_close,
            "may_reopen": can_chair
            and monitoring_round.decisions_open
            and not monitoring_round.takes_updates
            and rounds.can_move(monitoring_round.state, MonitoringRound.State.OPEN),
            "close_form": close_form or forms.CloseRoundForm(),
            "endorse_form": endorse_form or forms.EndorseRoundForm(),
            "missing": missing,
        },
        status=status,
    )


def _next_move(user, monitoring_round: MonitoringRound, by_state, may_close: bool) -> str:
    """The one step the round page offers as its primary button: the round's next move this viewer may make.

    "open" (a manager opens a draft), "stop_updates" (the chair ends the updates), "sense_check" (decisions
    remain), "close" (every action decided), "endorse" (the board's endorsement), or "" (nothing for them).
    """
    state = monitoring_round.state
    if rounds.can_move(state, MonitoringRound.State.OPEN) and not monitoring_round.decisions_open:
        return "open" if user.has_perm("inspections.manage", monitoring_round) else ""
    if not user.has_perm("actions.sense_check", monitoring_round):
        return ""
    if monitoring_round.takes_updates and rounds.can_move(state, MonitoringRound.State.SENSE_CHECK):
        return "stop_updates"
    if monitoring_round.decisions_open:
        return "close" if may_close and not by_state.undecided else "sense_check"
    if rounds.can_move(state, MonitoringRound.State.ENDORSED):
        return "endorse"
    return ""


def round_transition(request, pk: int):
    """POST: open a draft round for updates (manager), or start / stop the sense check (chair)."""
    monitoring_round = get_object_or_404(MonitoringRound.objects.visible_to(request.user), pk=pk)
    if request.method != "POST":
        return redirect("actions:round", pk=pk)
    target = request.POST.get("state")
    if target == MonitoringRound.State.OPEN:
        if not (
            request.user.has_perm("inspections.manage", monitoring_round)
            or (
                monitoring_round.state == MonitoringRound.State.SENSE_CHECK
                and request.user.has_perm("actions.sense_check", monitoring_round)
            )
        ):
            raise PermissionDenied
    else:
        monitoring_round = services.access_round_for_sense_check(request.user, pk)
    try:
        services.round_set_state(monitoring_round=monitoring_round, by=request.user.person, state=target)
    except services.RoundStateError as refused:
        messages.error(request, str(refused))
    else:
        moved = MOVED.get(target, MonitoringRound.State(target).label)
        messages.success(request, f"{monitoring_round.label}: {moved}.")
    return redirect("actions:round", pk=pk)


def round_close(request, pk: int):
    monitoring_round = services.access_round_for_sense_check(request.user, pk)
    if request.method != "POST":
        return redirect("actions:round", pk=pk)
    form = forms.CloseRoundForm(request.POST)
    if not form.is_valid():
        return _render_round(request, monitoring_round, close_form=form, status=200)
    try:
        services.round_close(
            monitoring_round=monitoring_round, by=request.user.person, meeting_on=form.cleaned_data["meeting_on"]
        )
    except services.RoundIncomplete as incomplete:
        return _render_round(request, monitoring_round, close_form=form, missing=incomplete.missing)
    except services.RoundStateError as refused:
        messages.error(request, str(refused))
        return redirect("actions:round", pk=pk)
    messages.success(request, f"{monitoring_round.label} closed: every quadrant is agreed.")
    return redirect("actions:round", pk=pk)


def round_endorse(request, pk: int):
    monitoring_round = services.access_round_for_sense_check(request.user, pk)
    if request.method != "POST":
        return redirect("actions:round", pk=pk)
    form = forms.EndorseRoundForm(request.POST)
    if not form.is_valid():
        return _render_round(request, monitoring_round, endorse_form=form)
    try:
        services.round_endorse(
            monitoring_round=monitoring_round,
            by=request.user.person,
            endorsed_on=form.cleaned_data["endorsed_on"],
            meeting=form.cleaned_data["meeting"],
        )
    except services.RoundStateError as refused:
        messages.error(request, str(refused))
        return redirect("actions:round", pk=pk)
    messages.success(request, f"{monitoring_round.label} endorsed. Its figures are now fixed.")
    return redirect("actions:round", pk=pk)


def sense_check_start(request, pk: int):
    """The jump list: every action the round asks about, decided or not, each a link to its sense check page."""
    monitoring_round = services.access_round_for_sense_check(request.user, pk)
    check = selectors.sense_check(monitoring_round)
    only_undecided = request.GET.get("show") == "undecided"
    return render(
        request,
        "actions/sense_check_list.html",
        {
            "round": monitoring_round,
            "check": check,
            "rows": check.undecided if only_undecided else check.rows,
            "only_undecided": only_undecided,
            "next_row": check.next_undecided(),
            "can_close": _may_close(request.user, monitoring_round),
        },
    )


def _may_close(user, monitoring_round: MonitoringRound) -> bool:
    """Closing is offered once the round has stopped taking updates: never while leads may still write."""
    return (
        user.has_perm("actions.sense_check", monitoring_round)
        and not monitoring_round.takes_updates
        and rounds.can_move(monitoring_round.state, MonitoringRound.State.AGREED)
    )


def sense_check(request, pk: int, action_pk: int):
    """One action in the meeting: the lead's update and evidence beside the decision."""
    monitoring_round = services.access_round_for_sense_check(request.user, pk)
    check = selectors.sense_check(monitoring_round)
    position = check.index(action_pk)
    if position is None:
        raise Http404("No such action in this round")
    row = check.rows[position]
    action, update = row.action, row.update
    scale = scale_for(monitoring_round.plan.inspection.partnership_id)
    previous_pk = check.rows[position - 1].action.pk if position > 0 else None
    next_pk = check.rows[position + 1].action.pk if position + 1 < check.total else None
    editable = monitoring_round.decisions_open
    initial = forms.DecisionForm.initial_for(update)
    form = forms.DecisionForm(scale=scale, update=update, initial=initial)
    if request.method == "POST" and editable:
        form = forms.DecisionForm(request.POST, scale=scale, update=update, initial=initial)
        if form.is_valid():
            try:
                services.update_agree(
                    action=action,
                    monitoring_round=monitoring_round,
                    by=request.user.person,
                    quadrant=form.cleaned_data["quadrant"],
                    reason=form.cleaned_data["reason"],
                    date_decision=form.cleaned_data.get("date_decision", ""),
                    expected_version=form.cleaned_data["version"],
                )
            except services.DecisionInvalid as invalid:
                for field, message in invalid.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            except services.UpdateConflict:
                messages.error(
                    request,
                    "The lead or another chair changed this update while you were looking at it. "
                    "Read it again below, then record the decision.",
                )
                return redirect("actions:sense_check", pk=pk, action_pk=action.pk)
            except services.RoundStateError as refused:
                messages.error(request, str(refused))
                return redirect("actions:round", pk=pk)
            else:
                messages.success(request, f"Decision on {action.reference} recorded.")
                following = selectors.sense_check(monitoring_round).next_undecided(after_pk=action.pk)
                if following is None:
                    return redirect("actions:sense_check_start", pk=pk)
                return redirect("actions:sense_check", pk=pk, action_pk=following.action.pk)
    return render(
        request,
        "actions/sense_check.html",
        {
            "round": monitoring_round,
            "check": check,
            "row": row,
            "action": action,
            "update": update,
            "form": form,
            "editable": editable,
            "position": position + 1,
            "previous_pk": previous_pk,
            "next_pk": next_pk,
            "previous_updates": selectors.update_history(action, exclude_round=monitoring_round)[:2],
        },
    )


def round_remind(request, pk: int):
    """The manager's "Send a reminder now": email the round's leads who have not submitted, at most once a day."""
    monitoring_round = reminders.access_round_for_reminder(request.user, pk)
    if request.method == "POST":
        try:
            tried = reminders.reminder_send_now(monitoring_round=monitoring_round, by=request.user.person)
        except reminders.ReminderRefused as refused:
            messages.info(request, str(refused))
        else:
            _say_what_was_sent(request, monitoring_round, tried)
    return redirect("home")  # the top of the page, where the message shows


def _say_what_was_sent(request, monitoring_round: MonitoringRound, tried: list[reminders.Reminder]) -> None:
    """The manager's message: who was sent the reminder and, honestly, whose email could not be sent."""
    sent = [reminder.lead_name for reminder in tried if reminder.sent]
    failed = [reminder.lead_name for reminder in tried if not reminder.sent]
    about = monitoring_round.label
    if not failed:
        leads = "lead" if len(sent) == 1 else "leads"
        messages.success(request, f"Reminder about {about} sent to {len(sent)} {leads}: {', '.join(sent)}.")
    elif not sent:
        messages.error(
            request,
            f"The reminder about {about} could not be sent to {_and(failed)}. "
            "Nothing was sent, so you can try again later.",
        )
    else:
        emails = "email" if len(failed) == 1 else "emails"
        messages.warning(
            request,
            f"Reminder about {about} sent to {len(sent)} of {len(tried)} leads: {', '.join(sent)}. "
            f"The {emails} to {_and(failed)} could not be sent: contact them another way, "
            "or send a reminder again tomorrow.",
        )


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
