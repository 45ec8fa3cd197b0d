"""Pages where the partnership manager sets plans up, so that nobody needs the Django admin.

Every view first asks :func:`access.manager_partnership` or
:func:`access.access_for_setup` (403 for anyone but the manager, 404 for
another partnership's rows), then parses the form, calls one service and
redirects with a confirmation.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from actions import services as action_services
from actions.models import Action, ActionPlan, ImpactMeasure, ImpactValue, MonitoringRound
from actions.quadrants import scale_for
from inspections import services as inspection_services
from inspections.models import Agency, Finding, Inspection
from people import services as people_services
from people.models import Person
from setup import access, forms

# Templates call the person being set up "member": "person" is the signed-in user's own Person
# (people.context_processors.membership), which the header and navigation read.

#: Session key holding a new person's temporary password until the page that shows it once.
NEW_PASSWORDS = "setup_new_passwords"


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Set up", reverse("setup:home")), *extra]


def _inspection_crumb(inspection: Inspection) -> tuple[str, str]:
    return (inspection.short_title, reverse("setup:inspection", args=[inspection.pk]))


def _plan_crumbs(plan: ActionPlan) -> list[tuple[str, str]]:
    return _crumbs(_inspection_crumb(plan.inspection), (plan.title, reverse("setup:plan", args=[plan.pk])))


def _attach(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    cancel: str,
    crumbs: list[tuple[str, str]],
    caption: str = "",
    intro: str = "",
    template: str = "setup/form.html",
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "cancel": cancel,
        "crumbs": crumbs,
        "caption": caption,
        "intro": intro,
        **extra,
    }
    return render(request, template, context)


def _posted(request: HttpRequest) -> Any:
    """The submitted data for a POST (even an empty one, so it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None


def _draft(obj: Any) -> Any:
    """A copy for a model form to validate, so a refused edit never shows on the page as if saved."""
    return copy.copy(obj)


# The landing page ------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    partnership = access.manager_partnership(request.user)
    agencies = Agency.objects.for_partnership(partnership).aggregate(
        total=Count("id"), active=Count("id", filter=Q(active=True))
    )
    people = Person.objects.for_partnership(partnership).aggregate(
        total=Count("id"), active=Count("id", filter=Q(user__is_active=True))
    )
    inspections = (
        Inspection.objects.for_partnership(partnership)
        .select_related("plan")
        .annotate(finding_count=Count("findings", distinct=True), action_count=Count("plan__actions", distinct=True))
    )
    return render(
        request,
        "setup/home.html",
        {"partnership": partnership, "agencies": agencies, "people": people, "inspections": inspections},
    )


# Agencies --------------------------------------------------------------------


def agency_list(request: HttpRequest) -> HttpResponse:
    partnership = access.manager_partnership(request.user)
    agencies = Agency.objects.for_partnership(partnership).annotate(
        people_count=Count("people", filter=Q(people__user__is_active=True))
    )
    return render(request, "setup/agency_list.html", {"agencies": agencies, "crumbs": _crumbs()})


def agency_add(request: HttpRequest) -> HttpResponse:
    partnership = access.manager_partnership(request.user)
    form = forms.AgencyForm(_posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            agency = inspection_services.agency_create(
                partnership=partnership, by=request.user.person, fields=form.cleaned_data
            )
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, f"{agency.name} added.")
            return redirect("setup:agencies")
    return _form_page(
        request,
        form,
        title="Add an agency",
        submit="Add agency",
        cancel=reverse("setup:agencies"),
        crumbs=_crumbs(("Agencies", reverse("setup:agencies"))),
    )


def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = access.access_for_setup(request.user, Agency.objects.all(), pk)
    form = forms.AgencyForm(_posted(request), instance=_draft(agency), partnership=agency.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            inspection_services.agency_update(agency=agency, by=request.user.person, fields=form.cleaned_data)
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, f"{agency.name} saved.")
            return redirect("setup:agencies")
    return _form_page(
        request,
        form,
        title=f"Edit {agency.name}",
        submit="Save agency",
        cancel=reverse("setup:agencies"),
        crumbs=_crumbs(("Agencies", reverse("setup:agencies"))),
        caption="Agency",
    )


def agency_active(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: deactivate (active=0) or reactivate (active=1) an agency."""
    agency = access.access_for_setup(request.user, Agency.objects.all(), pk)
    if request.method == "POST":
        active = request.POST.get("active") == "1"
        inspection_services.agency_set_active(agency=agency, by=request.user.person, active=active)
        if active:
            messages.success(request, f"{agency.name} reactivated.")
        else:
            messages.success(request, f"{agency.name} deactivated. Its past actions keep its name.")
    return redirect("setup:agencies")


# People ----------------------------------------------------------------------


def person_list(request: HttpRequest) -> HttpResponse:
    partnership = access.manager_partnership(request.user)
    people = (
        Person.objects.for_partnership(partnership)
        .select_related("user", "agency")
        .annotate(action_count=Count("led_actions"))
        .order_by("-user__is_active", "user__last_name", "user__first_name")
    )
    return render(request, "setup/person_list.html", {"people": people, "crumbs": _crumbs()})


def person_add(request: HttpRequest) -> HttpResponse:
    partnership = access.manager_partnership(request.user)
    form = forms.PersonForm(_posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            password = people_services.temporary_password()
            person = people_services.person_create(
                partnership=partnership, by=request.user.person, password=password, **form.cleaned_data
            )
        except ValidationError as refused:
            form.add_service_error(refused)
        else:
            passwords = request.session.get(NEW_PASSWORDS, {})
            passwords[str(person.pk)] = password
            request.session[NEW_PASSWORDS] = passwords
            return redirect("setup:person_added", pk=person.pk)
    return _form_page(
        request,
        form,
        title="Add a person",
        submit="Add person",
        cancel=reverse("setup:people"),
        crumbs=_crumbs(("People", reverse("setup:people"))),
        intro="They get a temporary password, shown to you once on the next page.",
    )


@never_cache
def person_added(request: HttpRequest, pk: int) -> HttpResponse:
    """The new person's temporary password, shown once: it is taken out of the session as it is shown."""
    person = access.access_for_setup(request.user, Person.objects.select_related("user", "agency"), pk)
    passwords = request.session.get(NEW_PASSWORDS, {})
    password = passwords.pop(str(person.pk), None)
    request.session[NEW_PASSWORDS] = passwords
    return render(
        request,
        "setup/person_added.html",
        {
            "member": person,
            "password": password,
            "reset": request.GET.get("reset") == "1",
            "crumbs": _crumbs(("People", reverse("setup:people"))),
        },
    )


def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_for_setup(request.user, Person.objects.select_related("user", "agency"), pk)
    editing_self = person.pk == request.user.person.pk
    form = forms.PersonEditForm(
        _posted(request), instance=_draft(person), partnership=person.partnership, editing_self=editing_self
    )
    if request.method == "POST" and form.is_valid():
        try:
            people_services.person_update(person=person, by=request.user.person, **form.cleaned_data)
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, f"{person.name} saved.")
            return redirect("setup:people")
    return _form_page(
        request,
        form,
        title=f"Edit {person.name}",
        submit="Save",
        cancel=reverse("setup:people"),
        crumbs=_crumbs(("People", reverse("setup:people"))),
        caption=person.user.email or person.user.username,
        template="setup/person_form.html",
        member=person,
        editing_self=editing_self,
    )


def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """A leaver: choose who takes over their actions, then stop them signing in."""
    person = access.access_for_setup(request.user, Person.objects.select_related("user", "agency"), pk)
    if person.pk == request.user.person.pk:
        messages.error(request, "You cannot deactivate yourself. Ask another manager to do it.")
        return redirect("setup:people")
    if not person.user.is_active:
        messages.info(request, f"{person.name} is already deactivated.")
        return redirect("setup:people")
    led = list(Action.objects.filter(lead=person).select_related("plan").order_by("plan", "position", "id"))
    form = forms.DeactivateForm(_posted(request), person=person, action_count=len(led))
    if request.method == "POST" and form.is_valid():
        try:
            moved = people_services.person_deactivate(
                person=person, by=request.user.person, reassign_to=form.cleaned_data.get("reassign_to")
            )
        except ValidationError as refused:
            _attach(form, refused)
        else:
            done = f"{person.name} can no longer sign in."
            if moved:
                taker = form.cleaned_data["reassign_to"]
                done += f" {taker.name} now leads their {moved} action{'s' if moved != 1 else ''}."
            messages.success(request, done)
            return redirect("setup:people")
    return _form_page(
        request,
        form,
        title=f"Deactivate {person.name}",
        submit=f"Deactivate {person.name}",
        cancel=reverse("setup:people"),
        crumbs=_crumbs(("People", reverse("setup:people"))),
        template="setup/person_deactivate.html",
        member=person,
        led=led,
    )


def person_password(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: a new temporary password, shown once on the next page."""
    person = access.access_for_setup(request.user, Person.objects.select_related("user"), pk)
    if request.method != "POST" or not person.user.is_active:
        return redirect("setup:person_edit", pk=person.pk)
    try:
        password = people_services.person_password_reset(person=person, by=request.user.person)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
        return redirect("setup:person_edit", pk=person.pk)
    passwords = request.session.get(NEW_PASSWORDS, {})
    passwords[str(person.pk)] = password
    request.session[NEW_PASSWORDS] = passwords
    return redirect(reverse("setup:person_added", args=[person.pk]) + "?reset=1")


def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_for_setup(request.user, Person.objects.select_related("user"), pk)
    if request.method == "POST" and not person.user.is_active:
        people_services.person_reactivate(person=person, by=request.user.person)
        messages.success(request, f"{person.name} can sign in again. Their old actions stay with whoever took them.")
    return redirect("setup:people")


# Inspections -----------------------------------------------------------------


def inspection_add(request: HttpRequest) -> HttpResponse:
    partnership = access.manager_partnership(request.user)
    form = forms.InspectionForm(_posted(request), instance=Inspection(partnership=partnership))
    if request.method == "POST" and form.is_valid():
        try:
            inspection = inspection_services.inspection_create(
                partnership=partnership,
                by=request.user.person,
                fields=form.inspection_fields(),
                plan_title=form.cleaned_data["plan_title"],
            )
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, f"{inspection.short_title} added, with its action plan.")
            return redirect("setup:inspection", pk=inspection.pk)
    return _form_page(
        request,
        form,
        title="Add an inspection",
        submit="Add inspection",
        cancel=reverse("setup:home"),
        crumbs=_crumbs(),
        intro="This also creates the action plan that answers the inspection.",
    )


def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.access_for_setup(request.user, Inspection.objects.select_related("plan"), pk)
    form = forms.InspectionForm(_posted(request), instance=_draft(inspection))
    if request.method == "POST" and form.is_valid():
        try:
            inspection_services.inspection_update(
                inspection=inspection,
                by=request.user.person,
                fields=form.inspection_fields(),
                plan_title=form.cleaned_data["plan_title"],
            )
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, "Inspection saved.")
            return redirect("setup:inspection", pk=inspection.pk)
    return _form_page(
        request,
        form,
        title=f"Edit {inspection.short_title}",
        submit="Save inspection",
        cancel=reverse("setup:inspection", args=[inspection.pk]),
        crumbs=_crumbs(_inspection_crumb(inspection)),
        caption="Inspection",
    )


def _findings_count(kind: str, count: int) -> str:
    """ "1 strength", "3 areas for improvement"."""
    singular = Finding.Kind(kind).label.lower()
    return f"{count} {singular if count == 1 else FINDING_HEADINGS[kind].lower()}"


FINDING_HEADINGS = {
    Finding.Kind.PRIORITY_ACTION: "Priority areas for action",
    Finding.Kind.AREA_FOR_IMPROVEMENT: "Areas for improvement",
    Finding.Kind.STRENGTH: "Strengths",
}


def inspection_setup(request: HttpRequest, pk: int) -> HttpResponse:
    """One inspection's details and findings, with links to change them and to its plan."""
    inspection = access.access_for_setup(request.user, Inspection.objects.select_related("plan"), pk)
    findings = list(inspection.findings.all())
    groups = [(kind, heading, [f for f in findings if f.kind == kind]) for kind, heading in FINDING_HEADINGS.items()]
    return render(
        request,
        "setup/inspection.html",
        {
            "inspection": inspection,
            "plan": getattr(inspection, "plan", None),
            "groups": groups,
            "crumbs": _crumbs(),
        },
    )


# Findings --------------------------------------------------------------------


def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.access_for_setup(request.user, Inspection.objects.all(), pk)
    kind = request.GET.get("kind")
    initial = {"kind": kind if kind in Finding.Kind.values else Finding.Kind.AREA_FOR_IMPROVEMENT}
    form = forms.FindingForm(
        _posted(request), instance=Finding(inspection=inspection), inspection=inspection, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            finding = inspection_services.finding_create(
                inspection=inspection,
                by=request.user.person,
                kind=data["kind"],
                number=data["number"],
                text=data["text"],
                case_study=data["case_study"],
            )
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, f"{finding} added.")
            return redirect("setup:inspection", pk=inspection.pk)
    return _form_page(
        request,
        form,
        title="Add a finding",
        submit="Add finding",
        cancel=reverse("setup:inspection", args=[inspection.pk]),
        crumbs=_crumbs(_inspection_crumb(inspection)),
        caption=inspection.short_title,
    )


def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = access.access_for_setup(request.user, Finding.objects.select_related("inspection"), pk)
    inspection = finding.inspection
    form = forms.FindingForm(_posted(request), instance=_draft(finding), inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            inspection_services.finding_update(finding=finding, by=request.user.person, **form.cleaned_data)
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, f"{finding} saved.")
            return redirect("setup:inspection", pk=inspection.pk)
    return _form_page(
        request,
        form,
        title=f"Edit {finding}",
        submit="Save finding",
        cancel=reverse("setup:inspection", args=[inspection.pk]),
        crumbs=_crumbs(_inspection_crumb(inspection)),
        caption=inspection.short_title,
    )


def findings_paste(request: HttpRequest, pk: int) -> HttpResponse:
    """Paste the letter's list, check what it makes, then confirm. Nothing is saved before "Confirm and add"."""
    inspection = access.access_for_setup(request.user, Inspection.objects.all(), pk)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    context = {
        "inspection": inspection,
        "crumbs": _crumbs(_inspection_crumb(inspection)),
        "cancel": reverse("setup:inspection", args=[inspection.pk]),
    }
    if step == "change":
        # Back to the textarea with what they pasted, and no error messages yet.
        initial = {"kind": request.POST.get("kind", ""), "text": request.POST.get("text", "")}
        form = forms.FindingsPasteForm(inspection=inspection, initial=initial)
        return render(request, "setup/findings_paste.html", {**context, "form": form})
    if step not in ("preview", "confirm"):
        form = forms.FindingsPasteForm(inspection=inspection)
        return render(request, "setup/findings_paste.html", {**context, "form": form})

    form = forms.FindingsPasteForm(request.POST, inspection=inspection)
    if not form.is_valid():
        return render(request, "setup/findings_paste.html", {**context, "form": form})
    kind, texts = form.cleaned_data["kind"], form.cleaned_data["texts"]
    first_number = inspection_services.finding_next_number(inspection, kind)
    if step == "confirm":
        try:
            expected = int(request.POST.get("first_number", ""))
        except ValueError:
            expected = None
        try:
            added = inspection_services.findings_paste(
                inspection=inspection, by=request.user.person, kind=kind, texts=texts, expected_first_number=expected
            )
        except inspection_services.FindingsChanged as changed:
            first_number = changed.first_number
            context["changed"] = True
        except ValidationError as refused:
            _attach(form, refused)
            return render(request, "setup/findings_paste.html", {**context, "form": form})
        else:
            numbers = f"{added[0].number}" if len(added) == 1 else f"{added[0].number} to {added[-1].number}"
            messages.success(request, f"{_findings_count(kind, len(added))} added, numbered {numbers}.")
            return redirect("setup:inspection", pk=inspection.pk)
    numbered = [(first_number + offset, text) for offset, text in enumerate(texts)]
    return render(
        request,
        "setup/findings_preview.html",
        {
            **context,
            "form": form,
            "what": _findings_count(kind, len(texts)),
            "numbered": numbered,
            "first_number": first_number,
        },
    )


# Plans and actions -----------------------------------------------------------


def plan_setup(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's actions in order (move, renumber), its monitoring rounds and its impact measures."""
    plan = access.access_for_setup(request.user, ActionPlan.objects.select_related("inspection"), pk)
    actions = list(
        Action.objects.filter(plan=plan)
        .select_related("lead__user", "lead_agency")
        .prefetch_related(Prefetch("areas", queryset=Finding.objects.order_by("kind", "number")))
        .order_by("position", "id")
    )
    renumbered = action_services.renumbered_references(actions)
    return render(
        request,
        "setup/plan.html",
        {
            "plan": plan,
            "actions": actions,
            "renumbering": [(a, renumbered[a.pk]) for a in actions if a.reference != renumbered[a.pk]],
            "rounds": plan.rounds.order_by("-period_end"),
            "measures": plan.impact_measures.annotate(value_count=Count("values")),
            "crumbs": _crumbs(_inspection_crumb(plan.inspection)),
        },
    )


def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_for_setup(request.user, ActionPlan.objects.select_related("inspection__partnership"), pk)
    form = forms.ActionForm(_posted(request), instance=Action(plan=plan), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            action = action_services.action_create(
                plan=plan,
                by=request.user.person,
                fields=form.action_fields(),
                areas=form.cleaned_data["areas"],
                supporting_agencies=form.cleaned_data["supporting_agencies"],
            )
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, f"Action {action.reference} added.")
            return redirect("setup:plan", pk=plan.pk)
    return _form_page(
        request,
        form,
        title=f"Add an action to {plan.title}",
        submit="Add action",
        cancel=reverse("setup:plan", args=[plan.pk]),
        crumbs=_plan_crumbs(plan),
    )


def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.access_for_setup(
        request.user, Action.objects.select_related("plan__inspection__partnership", "lead__user", "lead_agency"), pk
    )
    plan = action.plan
    form = forms.ActionForm(_posted(request), instance=_draft(action), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            action_services.action_update(
                action=action,
                by=request.user.person,
                fields=form.action_fields(),
                areas=form.cleaned_data["areas"],
                supporting_agencies=form.cleaned_data["supporting_agencies"],
            )
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, f"Action {action.reference} saved.")
            return redirect("setup:plan", pk=plan.pk)
    return _form_page(
        request,
        form,
        title=f"Edit action {action.reference}",
        submit="Save action",
        cancel=reverse("setup:plan", args=[plan.pk]),
        crumbs=_plan_crumbs(plan),
        caption=plan.title,
    )


def action_move(request: HttpRequest, pk: int) -> HttpResponse:
    """POST direction=up|down: swap the action with its neighbour."""
    action = access.access_for_setup(request.user, Action.objects.select_related("plan__inspection"), pk)
    direction = request.POST.get("direction")
    if request.method == "POST" and direction in ("up", "down"):
        moved = action_services.action_move(action=action, by=request.user.person, direction=direction)
        if moved:
            messages.success(request, f"Action {action.reference} moved {direction}.")
        else:
            messages.info(request, f"Action {action.reference} is already {'first' if direction == 'up' else 'last'}.")
    return redirect(reverse("setup:plan", args=[action.plan_id]) + f"#action-{action.pk}")


def actions_renumber(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_for_setup(request.user, ActionPlan.objects.select_related("inspection"), pk)
    if request.method == "POST":
        changed = action_services.actions_renumber(plan=plan, by=request.user.person)
        if changed:
            messages.success(request, f"Actions renumbered: {changed} reference{'s' if changed != 1 else ''} changed.")
        else:
            messages.info(request, "Every reference was already right, so nothing changed.")
    return redirect("setup:plan", pk=plan.pk)


# Monitoring rounds -----------------------------------------------------------


def round_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_for_setup(request.user, ActionPlan.objects.select_related("inspection"), pk)
    form = forms.RoundForm(_posted(request), instance=MonitoringRound(plan=plan), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            monitoring_round = action_services.round_create(plan=plan, by=request.user.person, **form.cleaned_data)
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(
                request, f"{monitoring_round.label} round created as a draft. Open it for updates when you are ready."
            )
            return redirect("actions:round", pk=monitoring_round.pk)
    return _form_page(
        request,
        form,
        title=f"Add a monitoring round to {plan.title}",
        submit="Create round",
        cancel=reverse("setup:plan", args=[plan.pk]),
        crumbs=_plan_crumbs(plan),
        intro="The round starts as a draft: leads cannot write updates until you open it.",
    )


# Quadrant wording ------------------------------------------------------------


def quadrant_wording(request: HttpRequest) -> HttpResponse:
    partnership = access.manager_partnership(request.user)
    form = forms.QuadrantWordingForm(_posted(request), scale=scale_for(partnership.pk))
    if request.method == "POST" and form.is_valid():
        try:
            action_services.quadrant_wording_save(
                partnership=partnership, by=request.user.person, wording=form.wording()
            )
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, "Quadrant wording saved. Boards, forms and reports now use it.")
            return redirect("setup:home")
    return _form_page(
        request,
        form,
        title="Quadrant wording",
        submit="Save wording",
        cancel=reverse("setup:home"),
        crumbs=_crumbs(),
        intro=(
            "Your partnership's label and description for each quadrant, best first. The order and meaning stay "
            "the same; every quadrant keeps its symbol, so it is never told by colour alone."
        ),
    )


# Impact measures -------------------------------------------------------------


def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_for_setup(request.user, ActionPlan.objects.select_related("inspection"), pk)
    form = forms.ImpactMeasureForm(_posted(request), instance=ImpactMeasure(plan=plan))
    if request.method == "POST" and form.is_valid():
        try:
            measure = action_services.impact_measure_create(
                plan=plan, by=request.user.person, fields=form.measure_fields()
            )
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, f"Impact measure “{measure.name}” added.")
            return redirect(reverse("setup:plan", args=[plan.pk]) + "#impact-measures")
    return _form_page(
        request,
        form,
        title="Add an impact measure",
        submit="Add measure",
        cancel=reverse("setup:plan", args=[plan.pk]),
        crumbs=_plan_crumbs(plan),
        caption=plan.title,
    )


def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.access_for_setup(request.user, ImpactMeasure.objects.select_related("plan__inspection"), pk)
    plan = measure.plan
    form = forms.ImpactMeasureForm(_posted(request), instance=_draft(measure))
    if request.method == "POST" and form.is_valid():
        try:
            action_services.impact_measure_update(measure=measure, by=request.user.person, fields=form.measure_fields())
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, f"Impact measure “{measure.name}” saved.")
            return redirect(reverse("setup:plan", args=[plan.pk]) + "#impact-measures")
    return _form_page(
        request,
        form,
        title=f"Edit {measure.name}",
        submit="Save measure",
        cancel=reverse("setup:plan", args=[plan.pk]),
        crumbs=_plan_crumbs(plan),
        caption="Impact measure",
    )


def value_add(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.access_for_setup(request.user, ImpactMeasure.objects.select_related("plan__inspection"), pk)
    plan = measure.plan
    form = forms.ImpactValueForm(_posted(request), instance=ImpactValue(measure=measure))
    if request.method == "POST" and form.is_valid():
        try:
            action_services.impact_value_record(measure=measure, by=request.user.person, **form.cleaned_data)
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, f"Value for {form.cleaned_data['period_label']} recorded.")
            return redirect(reverse("setup:plan", args=[plan.pk]) + "#impact-measures")
    return _form_page(
        request,
        form,
        title=f"Record a value for {measure.name}",
        submit="Record value",
        cancel=reverse("setup:plan", args=[plan.pk]),
        crumbs=_plan_crumbs(plan),
        caption="Impact measure",
        template="setup/value_form.html",
        measure=measure,
        values=measure.values.order_by("period_end"),
    )
