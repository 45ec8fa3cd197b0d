"""What someone signed in must do before anything else: choose their own password if they were given a
temporary one, and set up a second factor if their role or their partnership requires it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from accounts.second_factor import second_factor_missing

#: Pages someone with a temporary password may still open.
_PASSWORD_PAGES = ("account_change_password", "account_logout")
#: Pages someone who must set up a second factor may still open (the second-factor pages are under these).
_SECOND_FACTOR_PAGES = ("account_logout", "account_reauthenticate", "account_change_password")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            person = getattr(user, "person", None)
            if (
                person is not None
                and person.must_change_password
                and request.path not in {reverse(name) for name in _PASSWORD_PAGES}
            ):
                messages.info(request, "You signed in with a temporary password. Choose your own to carry on.")
                return redirect("account_change_password")
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Someone who must use a second factor and has none is sent to set one up; they may sign out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and second_factor_missing(request):
            allowed = request.path.startswith(reverse("mfa_index")) or request.path in {
                reverse(name) for name in _SECOND_FACTOR_PAGES
            }
            if not allowed:
                messages.info(
                    request, "Your role needs a second step at sign-in. Set up an authenticator app to carry on."
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
