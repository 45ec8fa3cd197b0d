"""The project's own middleware: headers on every response, the support site's allow-list, and a hard limit on
how long one sign-in lasts."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

from jtai_tracker.admin import support_site_reachable

#: The URLconf of a request from outside SUPPORT_ADMIN_ALLOWED_NETWORKS: the service's, without the support site.
OUTSIDE_URLCONF = "jtai_tracker.urls_outside"


class ResponseHeadersMiddleware:
    """``Cache-Control: private, no-store`` and ``Permissions-Policy`` on every response the app makes.

    No copy of any page is kept by the browser or a shared cache: signed-in pages and downloads hold a
    partnership's records, and the pages before sign-in (signing in, choosing or resetting a password) carry
    a CSRF token and what was typed. One rule for every response, not a list of pages that may be kept, so
    no new page can be forgotten; the public pages (the accessibility statement, ``/health``) lose nothing
    by it. Static files are answered by WhiteNoise before this runs, and keep its caching. Listed straight
    after WhiteNoise, so nothing below it can weaken these headers on the way out; ``patch_cache_control``
    keeps what a response already says (``never_cache``, ``downloads.attachment_response``) and drops
    ``public``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


class SupportAdminAllowListMiddleware:
    """From outside ``SUPPORT_ADMIN_ALLOWED_NETWORKS`` the support site does not exist.

    The request is resolved against a URLconf without it (:data:`OUTSIDE_URLCONF`), so every address under
    ``/support/``, its sign-in page included, answers the same 404 as any unknown address: a 403 would say
    there is something there, and so would CommonMiddleware's redirect from ``/support`` to ``/support/``,
    which a missing URL does not get either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not support_site_reachable(request):
            request.urlconf = OUTSIDE_URLCONF
        return self.get_response(request)


SESSION_KEY = "signed_in_at"
#: When the session was last written (Unix time): within SESSION_REFRESH_SECONDS of it a request writes nothing.
REFRESHED_KEY = "refreshed_at"


class AbsoluteSessionLimitMiddleware:
    """The two limits on a sign-in: 30 minutes idle (SESSION_COOKIE_AGE) and SESSION_ABSOLUTE_LIMIT_SECONDS (12
    hours) after signing in, however busy.

    The idle limit is the stored session's expiry, pushed back each time the session is written. Writing it on every
    request (SESSION_SAVE_EVERY_REQUEST) was one UPDATE per page view; it is written at most once every
    SESSION_REFRESH_SECONDS (60) instead, and whenever a page changes it, so the idle limit counts from a moment at
    most a minute before the last request.
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
            if now - request.session.get(REFRESHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session[REFRESHED_KEY] = now  # written, so its expiry moves 30 minutes on
        return self.get_response(request)
