from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from inspections import forms, services
from inspections.clocks import source_clocks
from inspections.home import home_sections
from inspections.models import Finding, Inspection
from onboarding.services import is_support_staff
from people.selectors import person_for


def home(request):
    """What the person needs to do next, a section for each part they play, and where the plans stand."""
    person = person_for(request.user)
    if person is None and is_support_staff(request.user):
        return redirect("onboarding:index")
    sections = home_sections(request.user, person) if person is not None else []
    return render(request, "inspections/home.html", {"sections": sections})


def inspection_detail(request, pk: int):
    inspection = get_object_or_404(Inspection.objects.visible_to(request.user).select_related("plan"), pk=pk)
    findings = list(inspection.findings.all())
    groups = [(heading, items) for _, heading, items in inspection.finding_groups(findings) if items]
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "finding_groups": groups,
            "clocks": source_clocks(
                inspection, timezone.localdate(), has_priority=any(f.kind == "priority" for f in findings)
            ),
        },
    )


# Signing findings off --------------------------------------------------------------


def _back_to(finding: Finding) -> str:
    """The plan page at the finding's area, or the inspection page if it has no plan."""
    plan = getattr(finding.inspection, "plan", None)
    url = plan.get_absolute_url() if plan is not None else finding.inspection.get_absolute_url()
    return f"{url}#area-{finding.pk}"


def _show_refusal(form, refused: ValidationError, fields: dict[str, str]) -> None:
    """The service's ValidationError beside the form's field (``fields`` maps the model's names), else at the top."""
    if not hasattr(refused, "error_dict"):
        form.add_error(None, refused)
        return
    for name, errors in refused.error_dict.items():
        field = fields.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


def _render_sign_off_page(request, finding, form, *, title, submit, intro=""):
    return render(
        request,
        "inspections/finding_sign_off.html",
        {
            "finding": finding,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "cancel": _back_to(finding),
        },
    )


def finding_sign_off(request, pk: int):
    """The chair or the manager records that a finding was agreed as addressed."""
    finding = services.access_finding_for_sign_off(request.user, pk)
    if finding.sign_offs.standing().exists():
        messages.info(request, f"{finding} is already signed off. Reopen it first to record a new sign-off.")
        return redirect(_back_to(finding))
    board_name = finding.inspection.partnership.board_name
    form = forms.SignOffForm(request.POST if request.method == "POST" else None, board_name=board_name)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_sign_off(finding=finding, by=request.user.person, **form.cleaned_data)
        except ValidationError as refused:
            _show_refusal(form, refused, {})
        else:
            messages.success(request, f"{finding} signed off as addressed.")
            return redirect(_back_to(finding))
    return _render_sign_off_page(request, finding, form, title=f"Sign off {str(finding).lower()}", submit="Sign off")


def finding_reopen(request, pk: int):
    """The chair or the manager reopens a signed-off finding, with the meeting's date and its reason."""
    finding = services.access_finding_for_sign_off(request.user, pk)
    standing = finding.sign_offs.standing().first()
    if standing is None:
        messages.info(request, f"{finding} is not signed off, so there is nothing to reopen.")
        return redirect(_back_to(finding))
    form = forms.ReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_reopen(
                finding=finding,
                by=request.user.person,
                reopened_on=form.cleaned_data["reopened_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as refused:
            _show_refusal(form, refused, {"reopened_reason": "reason"})
        else:
            messages.success(request, f"{finding} reopened.")
            return redirect(_back_to(finding))
    return _render_sign_off_page(
        request, finding, form, title=f"Reopen {str(finding).lower()}", submit="Reopen", intro=f"{standing.summary}."
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
