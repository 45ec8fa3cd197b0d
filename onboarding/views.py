"""Support staff's screens: the partnerships on the service, and a new one set up in one form."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import Invitation
from accounts.services import invite
from inspections.models import Partnership
from onboarding import services
from onboarding.forms import PartnershipForm
from people.models import Person
from setup.generic import attach


def support_only(view):
    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not services.is_support_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


@support_only
def index(request: HttpRequest) -> HttpResponse:
    partnerships = Partnership.objects.annotate(
        people_count=Count("people", filter=Q(people__user__is_active=True), distinct=True),
        manager_count=Count(
            "people", filter=Q(people__role=Person.Role.MANAGER, people__user__is_active=True), distinct=True
        ),
        agency_count=Count("agencies", distinct=True),
        inspection_count=Count("inspections", distinct=True),
    ).order_by("name")
    return render(request, "onboarding/index.html", {"partnerships": partnerships})


@support_only
def partnership_new(request: HttpRequest) -> HttpResponse:
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partnership, manager = services.partnership_create(
                by=request.user,
                name=data["name"],
                local_authority=data["local_authority"],
                board_name=data["board_name"],
                committee_name=data["committee_name"],
                agencies=data["agencies"].splitlines(),
                manager=services.FirstManager(
                    first_name=data["manager_first_name"],
                    last_name=data["manager_last_name"],
                    email=data["manager_email"],
                    agency=data["manager_agency"],
                    job_title=data["manager_job_title"],
                ),
                request=request,
            )
        except ValidationError as refused:
            attach(form, refused)
        else:
            messages.success(request, f"{partnership.name} is set up. {manager.name} has been emailed an invitation.")
            return redirect("onboarding:partnership", pk=partnership.pk)
    return render(
        request,
        "onboarding/partnership_new.html",
        {"form": form, "title": "Set up a new partnership", "submit": "Set up the partnership"},
    )


@support_only
def partnership(request: HttpRequest, pk: int) -> HttpResponse:
    """A partnership as support sees it: its details, agencies and managers (never its plans)."""
    found = get_object_or_404(Partnership, pk=pk)
    managers = list(
        Person.objects.filter(partnership=found, role=Person.Role.MANAGER)
        .select_related("user", "agency")
        .order_by("user__last_name")
    )
    latest = {}
    for invitation in Invitation.objects.filter(person__in=managers).order_by("created_at"):
        latest[invitation.person_id] = invitation
    for manager in managers:
        manager.invitation = latest.get(manager.pk)
    return render(
        request,
        "onboarding/partnership.html",
        {"partnership": found, "agencies": found.agencies.order_by("name"), "managers": managers},
    )


@support_only
def manager_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: a new invitation to one of a partnership's managers (the first one lost theirs)."""
    manager = get_object_or_404(Person.objects.select_related("user", "partnership"), pk=pk, role=Person.Role.MANAGER)
    if request.method == "POST":
        try:
            invitation = invite(person=manager, by=request.user, request=request)
        except ValidationError as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(request, f"Invitation sent to {invitation.sent_to}.")
    return redirect("onboarding:partnership", pk=manager.partnership_id)
