"""Support staff's screens: the partnerships on the service, and a new one set up in one form."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts import services as accounts_services
from accounts.models import Invitation, SignOnProvider
from accounts.services import invite
from inspections.models import Partnership
from onboarding import services
from onboarding.forms import PartnershipForm, SignOnForm
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
    providers = list(found.sign_on_providers.select_related("app"))
    for provider in providers:
        provider.callback = callback_url(provider)
    return render(
        request,
        "onboarding/partnership.html",
        {
            "partnership": found,
            "agencies": found.agencies.order_by("name"),
            "managers": managers,
            "providers": providers,
        },
    )


def callback_url(provider: SignOnProvider) -> str:
    """The address to register with the provider as the service's redirect URI."""
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("openid_connect_callback", args=[provider.provider_id])


@support_only
def sign_on(request: HttpRequest, pk: int, provider_pk: int | None = None) -> HttpResponse:
    """Add or change one of a partnership's single sign-on providers."""
    found = get_object_or_404(Partnership, pk=pk)
    provider = (
        get_object_or_404(SignOnProvider.objects.select_related("app"), pk=provider_pk, partnership=found)
        if provider_pk
        else None
    )
    initial = (
        {
            "name": provider.name,
            "issuer": provider.issuer,
            "client_id": provider.app.client_id,
            "email_domains": provider.email_domains,
        }
        if provider
        else {}
    )
    form = SignOnForm(request.POST or None, initial=initial)
    if provider is None:
        form.fields["client_secret"].required = True
        form.fields["client_secret"].help_text = ""
        form.fields["client_secret"].error_messages["required"] = "Enter the client secret"
    if request.method == "POST" and form.is_valid():
        try:
            saved = accounts_services.sign_on_save(
                partnership=found, by=request.user, provider=provider, request=request, **form.cleaned_data
            )
        except ValidationError as refused:
            attach(form, refused)
        else:
            messages.success(
                request, f"{saved.name} is saved. Register {callback_url(saved)} with the provider as its redirect URI."
            )
            return redirect("onboarding:partnership", pk=found.pk)
    return render(
        request,
        "onboarding/sign_on.html",
        {"form": form, "partnership": found, "provider": provider, "callback": provider and callback_url(provider)},
    )


@support_only
def sign_on_delete(request: HttpRequest, pk: int, provider_pk: int) -> HttpResponse:
    """POST: remove a single sign-on provider."""
    provider = get_object_or_404(
        SignOnProvider.objects.select_related("partnership"), pk=provider_pk, partnership_id=pk
    )
    if request.method == "POST":
        try:
            accounts_services.sign_on_delete(provider=provider, by=request.user, request=request)
        except ValidationError as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(request, f"{provider.name} is removed.")
    return redirect("onboarding:partnership", pk=pk)


@support_only
def passwords(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: turn the partnership's passwords on or off."""
    found = get_object_or_404(Partnership, pk=pk)
    if request.method == "POST":
        allowed = request.POST.get("allowed") == "yes"
        try:
            accounts_services.passwords_allowed_set(
                partnership=found, allowed=allowed, by=request.user, request=request
            )
        except ValidationError as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(
                request,
                f"{found.name}'s people can now sign in with a password."
                if allowed
                else f"{found.name}'s people now sign in only through single sign-on.",
            )
    return redirect("onboarding:partnership", pk=pk)


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
