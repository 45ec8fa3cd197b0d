"""Pages where the partnership manager sets plans up, so that nobody needs the Django admin.

Every view first asks :func:`access.manager_partnership` or
:func:`access.access_for_setup` (403 for anyone but the manager, 404 for
another partnership's rows), then parses the form, calls one service and
redirects with a confirmation.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from accounts import services as account_services
from actions import services as action_services
from actions.models import Action, ActionPlan, ImpactMeasure, ImpactValue, MonitoringRound
from actions.quadrants import scale_for
from inspections import services as inspection_services
from inspections.models import KINDS_NEEDING_ACTION, Agency, Finding, Inspection, kind_words, lower_words
from inspections.regimes import REGIMES
from people import services as people_services
from people.models import Person
from setup import access, forms
from setup.generic import SetupEditView, SetupFormView, attach, crumbs, draft, posted
from setup.tasks import setup_tasks

# Templates call the person being set up "member": "person" is the signed-in user's own Person
# (people.context_processors.membership), which the header and navigation read.

#: Session key holding a new person's temporary password until the page that shows it once.
NEW_PASSWORDS = "setup_new_passwords"


def _inspection_crumb(inspection: Inspection) -> tuple[str, str]:
    return (inspection.short_title, reverse("setup:inspection", args=[inspection.pk]))


def _plan_crumbs(plan: ActionPlan) -> list[tuple[str, str]]:
    return crumbs(_inspection_crumb(plan.inspection), (plan.title, reverse("setup:plan", args=[plan.pk])))


def _measures_of(plan: ActionPlan) -> str:
    return reverse("setup:plan", args=[plan.pk]) + "#impact-measures"


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
        {
            "partnership": partnership,
            "agencies": agencies,
            "people": people,
            "inspections": inspections,
            "setup_tasks": setup_tasks(partnership),
        },
    )


# The partnership's own details -----------------------------------------------


class PartnershipEdit(SetupEditView):
    """The manager's partnership itself (``queryset`` None): its local authority and board name."""

    form_class = forms.PartnershipForm
    submit = "Save details"

    def get_form(self, data, partnership):
        return self.form_class(data, instance=draft(partnership))

    def save(self, form, partnership, by, expected_version):
        return inspection_services.partnership_update(
            partnership=partnership,
            by=by,
            fields=form.cleaned_data,
            expected_version=expected_version,
            request=self.request,
        )

    def done(self, saved, partnership):
        return "Partnership details saved.", reverse("setup:home")

    def page(self, partnership):
        return {
            "title": "Partnership details",
            "cancel": reverse("setup:home"),
            "crumbs": crumbs(),
            "caption": partnership.name,
            "intro": "Your partnership's name is set by the service's support team. Ask them to change it.",
        }


# Agencies --------------------------------------------------------------------


def agency_list(request: HttpRequest) -> HttpResponse:
    partnership = access.manager_partnership(request.user)
    agencies = Agency.objects.for_partnership(partnership).annotate(
        people_count=Count("people", filter=Q(people__user__is_active=True))
    )
    return render(request, "setup/agency_list.html", {"agencies": agencies, "crumbs": crumbs()})


class AgencyAdd(SetupFormView):
    form_class = forms.AgencyForm
    submit = "Add agency"

    def get_form(self, data, partnership):
        return self.form_class(data, partnership=partnership)

    def save(self, form, partnership, by):
        return inspection_services.agency_create(partnership=partnership, by=by, fields=form.cleaned_data)

    def done(self, agency, partnership):
        return f"{agency.name} added.", reverse("setup:agencies")

    def page(self, partnership):
        return {
            "title": "Add an agency",
            "cancel": reverse("setup:agencies"),
            "crumbs": crumbs(("Agencies", reverse("setup:agencies"))),
        }


class AgencyEdit(SetupEditView):
    form_class = forms.AgencyForm
    submit = "Save agency"

    queryset = Agency.objects.all()

    def get_form(self, data, agency):
        return self.form_class(data, instance=draft(agency), partnership=agency.partnership)

    def save(self, form, agency, by, expected_version):
        return inspection_services.agency_update(
            agency=agency, by=by, fields=form.cleaned_data, expected_version=expected_version
        )

    def done(self, saved, agency):
        return f"{saved.name} saved.", reverse("setup:agencies")

    def page(self, agency):
        return {
            "title": f"Edit {agency.name}",
            "cancel": reverse("setup:agencies"),
            "crumbs": crumbs(("Agencies", reverse("setup:agencies"))),
            "caption": "Agency",
        }


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
    return render(request, "setup/person_list.html", {"people": people, "crumbs": crumbs()})


def person_add(request: HttpRequest) -> HttpResponse:
    partnership = access.manager_partnership(request.user)
    form = forms.PersonForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person = people_services.person_create(
                    partnership=partnership, by=request.user.person, request=request, **form.cleaned_data
                )
                account_services.invite(person=person, by=request.user, request=request)
        except ValidationError as refused:
            form.add_service_error(refused)
        else:
            return redirect("setup:person_added", pk=person.pk)
    return _form_page(
        request,
        form,
        title="Add a person",
        submit="Add person and send invitation",
        cancel=reverse("setup:people"),
        crumbs=crumbs(("People", reverse("setup:people"))),
        intro=("We email them an invitation: a link, good for 7 days, with which they choose their own password."),
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
            "invitation": person.invitations.order_by("-created_at").first(),
            "reset": request.GET.get("reset") == "1",
            "crumbs": crumbs(("People", reverse("setup:people"))),
        },
    )


class PersonEdit(SetupEditView):
    form_class = forms.PersonEditForm
    template_name = "setup/person_form.html"

    def get_object(self, request, pk):
        person = access.access_for_setup(request.user, Person.objects.select_related("user", "agency"), pk)
        person.editing_self = person.pk == request.user.person.pk
        return person

    def get_form(self, data, person):
        return self.form_class(
            data, instance=draft(person), partnership=person.partnership, editing_self=person.editing_self
        )

    def save(self, form, person, by, expected_version):
        return people_services.person_update(
            person=person, by=by, expected_version=expected_version, request=self.request, **form.cleaned_data
        )

    def done(self, saved, person):
        return f"{person.name} saved.", reverse("setup:people")

    def page(self, person):
        return {
            "title": f"Edit {person.name}",
            "cancel": reverse("setup:people"),
            "crumbs": crumbs(("People", reverse("setup:people"))),
            "caption": person.user.email or person.user.username,
            "member": person,
            "editing_self": person.editing_self,
            "invitation": person.invitations.order_by("-created_at").first(),
            "member_second_factors": second_factors_in_words(person.user),
        }


def second_factors_in_words(user) -> str:
    """'an authenticator app and 8 recovery codes', or '' when they have none."""
    from allauth.mfa.models import Authenticator

    authenticators = list(Authenticator.objects.filter(user=user))  # one query for all three kinds
    kinds = {authenticator.type: authenticator for authenticator in authenticators}
    parts = []
    if Authenticator.Type.TOTP in kinds:
        parts.append("an authenticator app")
    keys = sum(authenticator.type == Authenticator.Type.WEBAUTHN for authenticator in authenticators)
    if keys:
        parts.append(f"{keys} security key{'s' if keys != 1 else ''}")
    if Authenticator.Type.RECOVERY_CODES in kinds:
        unused = len(kinds[Authenticator.Type.RECOVERY_CODES].wrap().get_unused_codes())
        parts.append(f"{unused} unused recovery code{'s' if unused != 1 else ''}")
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


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
    form = forms.DeactivateForm(posted(request), person=person, action_count=len(led))
    if request.method == "POST" and form.is_valid():
        try:
            moved = people_services.person_deactivate(
                person=person,
                by=request.user.person,
                reassign_to=form.cleaned_data.get("reassign_to"),
                request=request,
            )
        except ValidationError as refused:
            attach(form, refused)
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
        crumbs=crumbs(("People", reverse("setup:people"))),
        template="setup/person_deactivate.html",
        member=person,
        led=led,
    )


def confirm_it_is_still_them(request: HttpRequest) -> None:
    """Taking over someone's sign-in (a temporary password, a second-factor reset) asks the manager to confirm
    their own password (or code) again unless they signed in in the last five minutes: a session left open on
    a shared computer is not enough. Once they have, they press the button again."""
    from allauth.account.internal.flows.reauthentication import raise_if_reauthentication_required

    if request.method == "POST":
        raise_if_reauthentication_required(request, app="")


def person_password(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: a new temporary password, shown once on the next page."""
    person = access.access_for_setup(request.user, Person.objects.select_related("user"), pk)
    confirm_it_is_still_them(request)
    if request.method != "POST" or not person.user.is_active:
        return redirect("setup:person_edit", pk=person.pk)
    try:
        password = people_services.person_password_reset(person=person, by=request.user.person, request=request)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
        return redirect("setup:person_edit", pk=person.pk)
    passwords = request.session.get(NEW_PASSWORDS, {})
    passwords[str(person.pk)] = password
    request.session[NEW_PASSWORDS] = passwords
    return redirect(reverse("setup:person_added", args=[person.pk]) + "?reset=1")


def person_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: the person's second factors stop working; they set up a new one at their next sign-in."""
    person = access.access_for_setup(request.user, Person.objects.select_related("user"), pk)
    confirm_it_is_still_them(request)
    if request.method == "POST":
        try:
            account_services.second_factor_reset(person=person, by=request.user.person, request=request)
        except ValidationError as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(
                request,
                f"{person.name}'s second step is reset. They have been emailed, and set up a new one next time.",
            )
    return redirect("setup:person_edit", pk=person.pk)


def person_sign_out(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: sign the person out of every browser."""
    person = access.access_for_setup(request.user, Person.objects.select_related("user"), pk)
    if request.method == "POST":
        ended = account_services.sign_out_everywhere(person=person, by=request.user.person, request=request)
        messages.success(
            request, f"{person.name} is signed out everywhere ({ended} session{'s' if ended != 1 else ''})."
        )
    return redirect("setup:person_edit", pk=person.pk)


def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: email the person a new invitation link (the open one stops working)."""
    person = access.access_for_setup(request.user, Person.objects.select_related("user", "agency"), pk)
    if request.method == "POST":
        try:
            invitation = account_services.invite(person=person, by=request.user, request=request)
        except ValidationError as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.sent_to}. The link works until {invitation.expires_on:%-d %B %Y}.",
            )
    return redirect("setup:person_edit", pk=person.pk)


def person_invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: the person's invitation link stops working."""
    person = access.access_for_setup(request.user, Person.objects.select_related("user"), pk)
    if request.method == "POST" and account_services.invitation_revoke(
        person=person, by=request.user.person, request=request
    ):
        messages.success(request, f"{person.name}'s invitation link no longer works.")
    return redirect("setup:person_edit", pk=person.pk)


def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_for_setup(request.user, Person.objects.select_related("user"), pk)
    if request.method == "POST" and not person.user.is_active:
        people_services.person_reactivate(person=person, by=request.user.person, request=request)
        messages.success(request, f"{person.name} can sign in again. Their old actions stay with whoever took them.")
    return redirect("setup:people")


# Inspections -----------------------------------------------------------------


class InspectionAdd(SetupFormView):
    """Add an inspection or review: first its type (a regime, ``?type=``), then the form that regime asks for."""

    form_class = forms.InspectionForm

    def post(self, request, **kwargs):
        self.regime_code = request.POST.get("kind", "") if request.method == "POST" else request.GET.get("type", "")
        if self.regime_code not in REGIMES:
            return self.choose_type(request)
        self.submit = f"Add {REGIMES[self.regime_code].noun}"
        return super().post(request, **kwargs)

    def choose_type(self, request):
        """The first question: which type of inspection or review. A GET form, so nothing is saved."""
        access.manager_partnership(request.user)
        asked = "type" in request.GET or "asked" in request.GET or request.method == "POST"
        return render(
            request,
            "setup/inspection_type.html",
            {
                "regimes": REGIMES.values(),
                "first": next(iter(REGIMES)),
                "error": "Select the type of inspection or review" if asked else "",
                "crumbs": crumbs(),
                "cancel": reverse("setup:home"),
            },
        )

    def get_form(self, data, partnership):
        return self.form_class(data, instance=Inspection(partnership=partnership), regime_code=self.regime_code)

    def save(self, form, partnership, by):
        return inspection_services.inspection_create(
            partnership=partnership, by=by, fields=form.inspection_fields(), plan_title=form.cleaned_data["plan_title"]
        )

    def done(self, inspection, partnership):
        return (
            f"{inspection.short_title} added, with its {lower_words(inspection.regime.plan)}.",
            reverse("setup:inspection", args=[inspection.pk]),
        )

    def page(self, partnership):
        chosen = REGIMES[self.regime_code]
        return {
            "title": "Add an inspection or review",
            "caption": chosen.name,
            "cancel": reverse("setup:home"),
            "crumbs": crumbs(("Add an inspection or review", reverse("setup:inspection_add"))),
            "intro": (
                f"This also creates the {lower_words(chosen.plan)} that answers the {chosen.noun}."
                if chosen.noun != "plan"  # a local plan is itself the plan: "the action plan that answers the plan"
                else f"This also creates its {lower_words(chosen.plan)}."
            ),
            "regime": chosen,
        }


class InspectionEdit(SetupEditView):
    form_class = forms.InspectionForm

    @property
    def submit(self):
        return f"Save {self.object.regime.noun}"

    def get_object(self, request, **kwargs):
        self.object = super().get_object(request, **kwargs)
        return self.object

    queryset = Inspection.objects.select_related("plan")

    def get_form(self, data, inspection):
        return self.form_class(data, instance=draft(inspection))

    def save(self, form, inspection, by, expected_version):
        return inspection_services.inspection_update(
            inspection=inspection,
            by=by,
            fields=form.inspection_fields(),
            plan_title=form.cleaned_data["plan_title"],
            expected_version=expected_version,
        )

    def done(self, saved, inspection):
        return f"{inspection.regime.noun.capitalize()} saved.", reverse("setup:inspection", args=[inspection.pk])

    def page(self, inspection):
        return {
            "title": f"Edit {inspection.short_title}",
            "cancel": reverse("setup:inspection", args=[inspection.pk]),
            "crumbs": crumbs(_inspection_crumb(inspection)),
            "caption": inspection.regime.name,
            "regime": inspection.regime,
        }


def _findings_count(inspection: Inspection, kind: str, count: int) -> str:
    """ "1 strength", "3 areas for improvement", "5 recommendations": in the inspection's regime's words."""
    singular, plural = kind_words(inspection.kind, kind)
    return f"{count} {lower_words(singular if count == 1 else plural)}"


def inspection_setup(request: HttpRequest, pk: int) -> HttpResponse:
    """One inspection's details and findings, with links to change them and to its plan."""
    inspection = access.access_for_setup(request.user, Inspection.objects.select_related("plan"), pk)
    findings = list(inspection.findings.all())
    groups = inspection.finding_groups(findings)
    return render(
        request,
        "setup/inspection.html",
        {
            "inspection": inspection,
            "plan": getattr(inspection, "plan", None),
            "groups": groups,
            "crumbs": crumbs(),
        },
    )


# Findings --------------------------------------------------------------------


class FindingAdd(SetupFormView):
    form_class = forms.FindingForm
    submit = "Add finding"

    def get_object(self, request, pk):
        inspection = access.access_for_setup(request.user, Inspection.objects.all(), pk)
        kind = request.GET.get("kind")
        kinds = inspection.regime.finding_kinds
        fallback = next((k for k in kinds if k in KINDS_NEEDING_ACTION), kinds[0] if kinds else "")
        inspection.initial_kind = kind if kind in kinds else fallback
        return inspection

    def get_form(self, data, inspection):
        return self.form_class(
            data,
            instance=Finding(inspection=inspection),
            inspection=inspection,
            initial={"kind": inspection.initial_kind},
        )

    def save(self, form, inspection, by):
        data = form.cleaned_data
        return inspection_services.finding_create(
            inspection=inspection,
            by=by,
            kind=data["kind"],
            number=data["number"],
            text=data["text"],
            case_study=data["case_study"],
        )

    def done(self, finding, inspection):
        return f"{finding} added.", reverse("setup:inspection", args=[inspection.pk])

    def page(self, inspection):
        return {
            "title": "Add a finding",
            "cancel": reverse("setup:inspection", args=[inspection.pk]),
            "crumbs": crumbs(_inspection_crumb(inspection)),
            "caption": inspection.short_title,
        }


class FindingEdit(SetupEditView):
    form_class = forms.FindingForm
    submit = "Save finding"

    queryset = Finding.objects.select_related("inspection")

    def get_form(self, data, finding):
        return self.form_class(data, instance=draft(finding), inspection=finding.inspection)

    def save(self, form, finding, by, expected_version):
        return inspection_services.finding_update(
            finding=finding, by=by, expected_version=expected_version, **form.cleaned_data
        )

    def done(self, saved, finding):
        return f"{saved} saved.", reverse("setup:inspection", args=[finding.inspection_id])

    def page(self, finding):
        return {
            "title": f"Edit {finding}",
            "cancel": reverse("setup:inspection", args=[finding.inspection_id]),
            "crumbs": crumbs(_inspection_crumb(finding.inspection)),
            "caption": finding.inspection.short_title,
        }


def findings_paste(request: HttpRequest, pk: int) -> HttpResponse:
    """Paste the letter's list, check what it makes, then confirm. Nothing is saved before "Confirm and add"."""
    inspection = access.access_for_setup(request.user, Inspection.objects.all(), pk)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    context = {
        "inspection": inspection,
        "crumbs": crumbs(_inspection_crumb(inspection)),
        "cancel": reverse("setup:inspection", args=[inspection.pk]),
        "example_kind": lower_words(inspection.finding_kinds()[0][2]),
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
            attach(form, refused)
            return render(request, "setup/findings_paste.html", {**context, "form": form})
        else:
            numbers = f"{added[0].number}" if len(added) == 1 else f"{added[0].number} to {added[-1].number}"
            messages.success(request, f"{_findings_count(inspection, kind, len(added))} added, numbered {numbers}.")
            return redirect("setup:inspection", pk=inspection.pk)
    numbered = [(first_number + offset, text) for offset, text in enumerate(texts)]
    return render(
        request,
        "setup/findings_preview.html",
        {
            **context,
            "form": form,
            "what": _findings_count(inspection, kind, len(texts)),
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
        .prefetch_related(
            Prefetch("areas", queryset=Finding.objects.select_related("inspection").order_by("kind", "number"))
        )
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
            "renumber_hint": action_services.renumber_hint(plan.inspection.regime),
            "rounds": plan.rounds.order_by("-period_end"),
            "measures": plan.impact_measures.annotate(value_count=Count("values")),
            "crumbs": crumbs(_inspection_crumb(plan.inspection)),
        },
    )


class ActionAdd(SetupFormView):
    form_class = forms.ActionForm
    submit = "Add action"

    queryset = ActionPlan.objects.select_related("inspection__partnership")

    def get_form(self, data, plan):
        return self.form_class(data, instance=Action(plan=plan), plan=plan)

    def save(self, form, plan, by):
        return action_services.action_create(
            plan=plan,
            by=by,
            fields=form.action_fields(),
            areas=form.cleaned_data["areas"],
            supporting_agencies=form.cleaned_data["supporting_agencies"],
        )

    def done(self, action, plan):
        return f"Action {action.reference} added.", reverse("setup:plan", args=[plan.pk])

    def page(self, plan):
        return {
            "title": f"Add an action to {plan.title}",
            "cancel": reverse("setup:plan", args=[plan.pk]),
            "crumbs": _plan_crumbs(plan),
        }


class ActionWithdraw(SetupFormView):
    form_class = forms.WithdrawForm
    submit = "Withdraw action"

    queryset = Action.objects.select_related("plan__inspection")

    def get_form(self, data, action):
        return self.form_class(data)

    def save(self, form, action, by):
        return action_services.action_withdraw(action=action, by=by, **form.cleaned_data)

    def done(self, saved, action):
        return (
            f"Action {action.reference} withdrawn. Rounds that covered it keep it; later rounds do not ask about it.",
            reverse("setup:plan", args=[action.plan_id]),
        )

    def page(self, action):
        return {
            "title": f"Withdraw action {action.reference}",
            "cancel": reverse("setup:plan", args=[action.plan_id]),
            "crumbs": _plan_crumbs(action.plan),
            "caption": action.plan.title,
            "intro": (
                f"“{action.description.rstrip('.')}.” The action is kept with its history and updates, and rounds "
                "that covered it keep saying what they said. From now on no round asks its lead for an update."
            ),
        }


class ActionEdit(SetupEditView):
    form_class = forms.ActionForm
    submit = "Save action"

    queryset = Action.objects.select_related("plan__inspection__partnership", "lead__user", "lead_agency")

    def get_form(self, data, action):
        return self.form_class(data, instance=draft(action), plan=action.plan)

    def save(self, form, action, by, expected_version):
        return action_services.action_update(
            action=action,
            by=by,
            fields=form.action_fields(),
            areas=form.cleaned_data["areas"],
            supporting_agencies=form.cleaned_data["supporting_agencies"],
            expected_version=expected_version,
        )

    def done(self, saved, action):
        return f"Action {saved.reference} saved.", reverse("setup:plan", args=[action.plan_id])

    def page(self, action):
        return {
            "title": f"Edit action {action.reference}",
            "cancel": reverse("setup:plan", args=[action.plan_id]),
            "crumbs": _plan_crumbs(action.plan),
            "caption": action.plan.title,
        }


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


class RoundAdd(SetupFormView):
    form_class = forms.RoundForm
    submit = "Create round"

    queryset = ActionPlan.objects.select_related("inspection")

    def get_form(self, data, plan):
        return self.form_class(data, instance=MonitoringRound(plan=plan), plan=plan)

    def save(self, form, plan, by):
        return action_services.round_create(plan=plan, by=by, **form.cleaned_data)

    def done(self, monitoring_round, plan):
        return (
            f"{monitoring_round.label} round created as a draft. Open it for updates when you are ready.",
            reverse("actions:round", args=[monitoring_round.pk]),
        )

    def page(self, plan):
        return {
            "title": f"Add a monitoring round to {plan.title}",
            "cancel": reverse("setup:plan", args=[plan.pk]),
            "crumbs": _plan_crumbs(plan),
            "intro": "The round starts as a draft: leads cannot write updates until you open it.",
        }


# Quadrant wording ------------------------------------------------------------


class QuadrantWordingEdit(SetupFormView):
    form_class = forms.QuadrantWordingForm
    submit = "Save wording"

    def get_form(self, data, partnership):
        return self.form_class(data, scale=scale_for(partnership.pk))

    def save(self, form, partnership, by):
        return action_services.quadrant_wording_save(partnership=partnership, by=by, wording=form.wording())

    def done(self, saved, partnership):
        return "Quadrant wording saved. Boards, forms and reports now use it.", reverse("setup:home")

    def page(self, partnership):
        return {
            "title": "Quadrant wording",
            "cancel": reverse("setup:home"),
            "crumbs": crumbs(),
            "intro": (
                "Your partnership's label and description for each quadrant, best first. The order and meaning "
                "stay the same; every quadrant keeps its symbol, so it is never told by colour alone."
            ),
        }


# Impact measures -------------------------------------------------------------


class MeasureAdd(SetupFormView):
    form_class = forms.ImpactMeasureForm
    submit = "Add measure"

    queryset = ActionPlan.objects.select_related("inspection")

    def get_form(self, data, plan):
        return self.form_class(data, instance=ImpactMeasure(plan=plan))

    def save(self, form, plan, by):
        return action_services.impact_measure_create(plan=plan, by=by, fields=form.measure_fields())

    def done(self, measure, plan):
        return f"Impact measure “{measure.name}” added.", _measures_of(plan)

    def page(self, plan):
        return {
            "title": "Add an impact measure",
            "cancel": reverse("setup:plan", args=[plan.pk]),
            "crumbs": _plan_crumbs(plan),
            "caption": plan.title,
        }


class MeasureEdit(SetupEditView):
    form_class = forms.ImpactMeasureForm
    submit = "Save measure"

    queryset = ImpactMeasure.objects.select_related("plan__inspection")

    def get_form(self, data, measure):
        return self.form_class(data, instance=draft(measure))

    def save(self, form, measure, by, expected_version):
        return action_services.impact_measure_update(
            measure=measure, by=by, fields=form.measure_fields(), expected_version=expected_version
        )

    def done(self, saved, measure):
        return f"Impact measure “{saved.name}” saved.", _measures_of(measure.plan)

    def page(self, measure):
        return {
            "title": f"Edit {measure.name}",
            "cancel": reverse("setup:plan", args=[measure.plan_id]),
            "crumbs": _plan_crumbs(measure.plan),
            "caption": "Impact measure",
        }


class ValueAdd(SetupFormView):
    form_class = forms.ImpactValueForm
    template_name = "setup/value_form.html"
    submit = "Record value"

    queryset = ImpactMeasure.objects.select_related("plan__inspection")

    def get_form(self, data, measure):
        return self.form_class(data, instance=ImpactValue(measure=measure))

    def save(self, form, measure, by):
        return action_services.impact_value_record(measure=measure, by=by, **form.cleaned_data)

    def done(self, value, measure):
        return f"Value for {value.period_label} recorded.", _measures_of(measure.plan)

    def page(self, measure):
        return {
            "title": f"Record a value for {measure.name}",
            "cancel": reverse("setup:plan", args=[measure.plan_id]),
            "crumbs": _plan_crumbs(measure.plan),
            "caption": "Impact measure",
            "measure": measure,
            "values": measure.values.order_by("period_end"),
        }
