"""A hard limit on how long one sign-in lasts, on top of Django's idle timeout."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

SESSION_KEY = "signed_in_at"


class AbsoluteSessionLimitMiddleware:
    """Sign the user out once SESSION_ABSOLUTE_LIMIT_SECONDS have passed since they signed in.

    The idle timeout (SESSION_COOKIE_AGE, renewed on every request) alone would
    let an always-busy session live for ever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_LIMIT_SECONDS:
                logout(request)
                messages.info(request, "You have been signed out because you signed in more than 12 hours ago.")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
