"""A partnership manager's pages about a plan's outside monitors: who can see it, inviting someone, removing
their access. Thin: fetch through ``monitors.access``, call ``monitors.services``, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from monitors import access, selectors, services
from monitors.forms import MonitorInviteForm


def monitor_list(request, plan_pk: int):
    """Outside monitors of the plan: who can see it, who invited them and when, and whose access was removed."""
    plan = access.access_plan_for_managing_monitors(request.user, plan_pk)
    accesses = selectors.monitors_of(plan)
    return render(
        request,
        "monitors/manage/list.html",
        {
            "plan": plan,
            "current": [a for a in accesses if a.is_current],
            "removed": [a for a in accesses if not a.is_current],
        },
    )


def monitor_invite(request, plan_pk: int):
    plan = access.access_plan_for_managing_monitors(request.user, plan_pk)
    form = MonitorInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitor_invite(plan=plan, by=request.user.person, request=request, **form.cleaned_data)
        except ValidationError as refused:
            for field, errors in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # The same words whether the account is new or already had a password elsewhere, and the name typed here.
            name = f"{form.cleaned_data['first_name']} {form.cleaned_data['last_name']}".strip()
            messages.success(request, f"{name} can now see this plan. We have emailed them.")
            return redirect("monitor_access:list", plan_pk=plan.pk)
    return render(
        request,
        "monitors/manage/invite.html",
        {"plan": plan, "form": form, "cancel": reverse("monitor_access:list", args=[plan.pk])},
    )


def monitor_remove(request, pk: int):
    """Remove an outside monitor's access to a plan: a confirmation page, then the change."""
    found = access.access_monitor_for_removal(request.user, pk)
    if request.method == "POST":
        name = found.user.get_full_name() or found.user.get_username()
        try:
            services.monitor_access_remove(access=found, by=request.user.person, request=request)
        except ValidationError:  # someone else removed it a moment ago
            messages.info(request, f"{name}'s access had already been removed.")
        else:
            messages.success(request, f"{name} can no longer see this plan.")
        return redirect("monitor_access:list", plan_pk=found.plan_id)
    return render(
        request,
        "monitors/manage/remove.html",
        {"access": found, "plan": found.plan, "cancel": reverse("monitor_access:list", args=[found.plan_id])},
    )
