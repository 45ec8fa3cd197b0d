"""Pages for plans, actions and leads' updates. Thin: parse, call a selector or service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from actions import forms, reminders, selectors, services
from actions.forms import UpdateForm
from actions.models import Action, ActionPlan, EvidenceFile, MonitoringRound, Update
from actions.quadrants import OPEN_QUADRANTS, scale_for
from audit.downloads import Event, recorded_attachment
from jtai_tracker.versions import rebased
from people.selectors import person_for


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
        Action.objects.visible_to(request.user).select_related("plan__inspection", "lead__user", "lead_agency"),
        pk=pk,
    )
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "open_round": services.open_round_for(action),
            "updates": selectors.update_history(action),
            "timeline": selectors.action_timeline(action),
            "can_update": request.user.has_perm("actions.update", action)
            and not action.is_complete
            and not action.is_withdrawn,
            "can_reopen": action.is_complete and request.user.has_perm("actions.sense_check", action),
        },
    )


def update_edit(request, pk: int):
    """The lead's form for the open round: save as draft or submit."""
    action = services.access_action_for_update(request.user, pk)
    if action.is_withdrawn:
        messages.info(request, f"Action {action.reference} was withdrawn, so no update is needed.")
        return redirect("actions:detail", pk=action.pk)
    if action.is_complete:
        messages.info(
            request,
            f"Action {action.reference} was agreed complete on {action.completed_on:%-d %B %Y}: no update is needed.",
        )
        return redirect("actions:detail", pk=action.pk)
    monitoring_round = services.open_round_for(action)
    if monitoring_round is None:
        messages.info(request, "No round is open for updates on this plan, so there is nothing to update.")
        return redirect("actions:detail", pk=action.pk)
    update = Update.objects.filter(action=action, round=monitoring_round).first() or Update(
        action=action, round=monitoring_round
    )
    read_only = update.status == Update.Status.AGREED
    scale = scale_for(action.plan.inspection.partnership_id)
    submitting = request.POST.get("intent") == "submit"
    conflict = None
    if request.method == "POST" and not read_only:
        form = UpdateForm(
            request.POST,
            request.FILES,
            scale=scale,
            action=action,
            submitting=submitting,
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
                    submit=submitting,
                    files=form.cleaned_data["files"],
                )
            except services.ActionComplete:
                messages.error(request, f"Action {action.reference} was agreed complete, so no update is needed.")
                return redirect("actions:detail", pk=action.pk)
            except services.RoundNotOpen:
                messages.error(request, "This round has closed for updates, so your changes were not saved.")
                return redirect("actions:detail", pk=action.pk)
            except services.UpdateInvalid as refused:
                form.add_rule_errors(refused.errors)
            except services.UpdateConflict as clash:
                # Keep what this user typed, but against the version now saved, so a second save can go through.
                form = UpdateForm(
                    rebased(request.POST, clash),
                    scale=scale,
                    action=action,
                    submitting=submitting,
                    initial=UpdateForm.initial_for(update),
                )
                form.is_valid()
                conflict = clash.labelled(form)
            else:
                if submitting:
                    messages.success(request, f"Update on {action.reference} submitted to the sub-group.")
                    return redirect("actions:mine")
                messages.success(request, f"Draft update on {action.reference} saved.")
                return redirect("actions:update", pk=action.pk)
    else:
        form = UpdateForm(scale=scale, action=action, submitting=False, initial=UpdateForm.initial_for(update))
    status = 409 if conflict else 200
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
        status=status,
    )


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
    return render(
        request,
        "actions/round_detail.html",
        {
            "round": monitoring_round,
            "progress": selectors.round_progress(monitoring_round),
            "can_chair": user.has_perm("actions.sense_check", monitoring_round),
            "can_manage": user.has_perm("inspections.manage", monitoring_round),
            "close_form": close_form or forms.CloseRoundForm(),
            "endorse_form": endorse_form or forms.EndorseRoundForm(),
            "missing": missing,
        },
        status=status,
    )


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
        messages.success(request, f"{monitoring_round.label} is now {MonitoringRound.State(target).label.lower()}.")
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
    """The meeting mode starts at the first action still waiting for a verdict (or the first action)."""
    monitoring_round = services.access_round_for_sense_check(request.user, pk)
    order = selectors.meeting_order(monitoring_round)
    if not order:
        messages.info(request, "This plan has no actions to sense-check.")
        return redirect("actions:round", pk=pk)
    missing = {a.pk for a in services.round_missing_agreement(monitoring_round)}
    first = next((action_pk for action_pk in order if action_pk in missing), order[0])
    return redirect("actions:sense_check", pk=pk, action_pk=first)


def sense_check(request, pk: int, action_pk: int):
    """One action in the meeting: the lead's update and evidence beside the decision."""
    monitoring_round = services.access_round_for_sense_check(request.user, pk)
    action = get_object_or_404(
        Action.objects.filter(plan_id=monitoring_round.plan_id).select_related("lead__user", "lead_agency"),
        pk=action_pk,
    )
    update = (
        Update.objects.filter(action=action, round=monitoring_round)
        .select_related("submitted_by__user", "agreed_by__user")
        .first()
    )
    scale = scale_for(monitoring_round.plan.inspection.partnership_id)
    order = selectors.meeting_order(monitoring_round)
    position = order.index(action.pk)
    previous_pk = order[position - 1] if position > 0 else None
    next_pk = order[position + 1] if position + 1 < len(order) else None
    editable = monitoring_round.decisions_open
    initial = {
        "version": update.version if update else 0,
        "quadrant": (update.agreed_quadrant or update.proposed_quadrant) if update else "",
        "reason": update.agreed_reason if update else "",
        "date_decision": update.date_decision if update else "",
    }
    form = forms.DecisionForm(scale=scale, update=update, initial=initial)
    status = 200
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
                if request.POST.get("then") == "next" and next_pk:
                    return redirect("actions:sense_check", pk=pk, action_pk=next_pk)
                return redirect("actions:sense_check", pk=pk, action_pk=action.pk)
    return render(
        request,
        "actions/sense_check.html",
        {
            "round": monitoring_round,
            "action": action,
            "update": update,
            "form": form,
            "editable": editable,
            "position": position + 1,
            "total": len(order),
            "previous_pk": previous_pk,
            "next_pk": next_pk,
            "previous_updates": selectors.update_history(action, exclude_round=monitoring_round)[:2],
        },
        status=status,
    )


def round_remind(request, pk: int):
    """The manager's "Send a reminder now": email the round's leads who have not submitted, at most once a day."""
    monitoring_round = reminders.access_round_for_reminder(request.user, pk)
    if request.method == "POST":
        try:
            sent = reminders.reminder_send_now(monitoring_round=monitoring_round, by=request.user.person)
        except reminders.ReminderRefused as refused:
            messages.info(request, str(refused))
        else:
            names = ", ".join(reminder.lead_name for reminder in sent)
            leads = "lead" if len(sent) == 1 else "leads"
            messages.success(request, f"Reminder about {monitoring_round.label} sent to {len(sent)} {leads}: {names}.")
    return redirect("home")  # the top of the page, where the message shows
