"""Our account pages (the rest are django-allauth's, in ``accounts/urls.py``): an invitation's link, finding
your organisation's sign-in, and the rule that a partnership without passwords has no password pages.

None of them needs a partnership role: they are about the account, not the partnership's data. The
invitation's link carries a token in the address; as Django's own reset does, the token is moved into the
session and the address replaced, so it does not leak through the Referer header.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts import services
from accounts.adapter import partnership_of
from accounts.forms import ChoosePasswordForm, OrganisationForm
from accounts.second_factor import has_second_factor

_SESSION_TOKEN = "invitation_token"  # noqa: S105 - a session key, not a secret
_SET_PASSWORD = "set-password"  # noqa: S105 - the address the link is replaced with
_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def passwords_allowed(view):
    """The password pages answer only people whose partnership lets them use a password here."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        partnership = partnership_of(request.user) if request.user.is_authenticated else None
        if partnership is not None and not partnership.passwords_allowed:
            return render(request, "accounts/passwords_off.html", {"partnership": partnership}, status=403)
        return view(request, *args, **kwargs)

    return checked


@login_not_required
@never_cache
@sensitive_post_parameters()
def invitation(request, token: str):
    """The link in an invitation email: choose a password and you are signed in; or, where the partnership
    signs in through its organisations, the way to do that."""
    if token != _SET_PASSWORD:
        request.session[_SESSION_TOKEN] = token
        return redirect("invitation", token=_SET_PASSWORD)
    token = request.session.get(_SESSION_TOKEN, "")
    found = services.invitation_for(token) if token else None
    if found is None or not found.is_usable:
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"invitation": found},
            status=410 if found is not None else 404,
        )
    if not found.person.partnership.passwords_allowed:
        return render(request, "accounts/invitation_organisation.html", {"invitation": found, "member": found.person})
    user = found.person.user
    form = ChoosePasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as refused:
            form.add_error("new_password1", refused)
        else:
            request.session.pop(_SESSION_TOKEN, None)
            if has_second_factor(person.user):
                # The link proves the email address, not the second factor: sign in through both.
                messages.success(request, "Your password is set. Sign in with it and your authenticator app.")
                return redirect("account_login")
            login(request, person.user, backend=_BACKEND)
            messages.success(request, f"Welcome, {person.user.first_name or person.name}. Your password is set.")
            return redirect("home")
    return render(request, "accounts/invitation.html", {"form": form, "invitation": found, "member": found.person})


@login_not_required
@never_cache
def organisation_sign_in(request):
    """'Sign in with your organisation's account': the providers set up for the domain of the address typed.

    It tells nothing about whether an account has the address: only which providers serve its domain.
    """
    form = OrganisationForm(request.POST or None)
    providers = None
    if request.method == "POST" and form.is_valid():
        providers = form.providers
        if len(providers) == 1:
            response = render(
                request, "accounts/organisation_continue.html", {"provider": providers[0], "next": form.next_url}
            )
            return _may_post_to(response, providers)
    return _may_post_to(
        render(request, "accounts/organisation.html", {"form": form, "providers": providers}), providers
    )


def _may_post_to(response, providers):
    """Browsers hold a form's redirects to the Content Security Policy's form-action: the buttons here lead,
    through our own sign-in address, to each provider's, so the page allows those too."""
    origins = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(provider.issuer)) for provider in providers or ()})
    if origins:
        response._csp_update = {"form-action": origins}
    return response
