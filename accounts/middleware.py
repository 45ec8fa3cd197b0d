"""Someone signed in with a temporary password chooses their own before they do anything else."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

#: Pages someone with a temporary password may still open.
_ALLOWED = ("password_change", "password_change_done", "logout")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            person = getattr(user, "person", None)
            if person is not None and person.must_change_password:
                allowed = {reverse(name) for name in _ALLOWED}
                if request.path not in allowed:
                    messages.info(request, "You signed in with a temporary password. Choose your own to carry on.")
                    return redirect("password_change")
        return self.get_response(request)
