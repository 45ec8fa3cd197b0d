"""Pages for plans, actions and leads' updates. Thin: parse, call a selector or service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from actions import selectors, services
from actions.forms import UpdateForm
from actions.models import Action, ActionPlan, EvidenceFile, Update
from actions.quadrants import OPEN_QUADRANTS, scale_for


def plan(request, pk: int):
    try:
        context = selectors.plan_detail(request.user, pk)
    except ActionPlan.DoesNotExist as missing:
        raise Http404("No such plan") from missing
    return render(request, "actions/plan_detail.html", {**context, "open_quadrants": OPEN_QUADRANTS})


def my_actions(request):
    rows = selectors.my_actions(request.user)
    return render(
        request,
        "actions/my_actions.html",
        {
            "leading": [row for row in rows if row.role == "lead"],
            "supporting": [row for row in rows if row.role == "supporting"],
        },
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
            "can_update": request.user.has_perm("actions.update", action),
        },
    )


def update_edit(request, pk: int):
    """The lead's form for the open round: save as draft or submit."""
    action = services.access_action_for_update(request.user, pk)
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
            except services.RoundNotOpen:
                messages.error(request, "This round has closed for updates, so your changes were not saved.")
                return redirect("actions:detail", pk=action.pk)
            except services.UpdateConflict as clash:
                conflict = clash
                # Keep what this user typed, but against the version now saved, so a second save can go through.
                data = request.POST.copy()
                data["version"] = clash.current.version if clash.current else 0
                form = UpdateForm(
                    data, scale=scale, action=action, submitting=submitting, initial=UpdateForm.initial_for(update)
                )
                form.is_valid()
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
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name)
    response["Content-Type"] = evidence.content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
