"""The support site: the Django admin at ``/support/``, for the service's superusers only.

Partnership users never need it, and neither does any other staff account: a
staff user who is not a superuser cannot sign in to it or open any of its
pages. It has no sign-in page of its own: its sign-in is the service's, with
its throttling, and a superuser's session must have passed a second factor at
sign-in (an authenticator app or a security key) before any page opens. What it
shows and allows is set in ``inspections/admin.py``. It exists only for clients on
``SUPPORT_ADMIN_ALLOWED_NETWORKS`` (:func:`support_site_reachable`, applied by
``jtai_tracker.middleware.SupportAdminAllowListMiddleware``).
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from jtai_tracker.client_ip import client_in


def support_site_reachable(request) -> bool:
    """Whether the client's address (``jtai_tracker.client_ip``) is on ``SUPPORT_ADMIN_ALLOWED_NETWORKS``.

    An empty list means from anywhere in development and from nowhere in production, so a forgotten setting
    never opens the site to the internet (``check --deploy`` warns of it, ``jtai_tracker.checks``). A list
    with an entry that is not an address or network closes the site too (the system check names the entry).
    """
    allowed = settings.SUPPORT_ADMIN_ALLOWED_NETWORKS
    if not allowed:
        return not settings.PRODUCTION
    try:
        return client_in(request, allowed)
    except ValueError:
        return False


def is_support(user) -> bool:
    return bool(user.is_active and user.is_staff and user.is_superuser)


class SupportAdminSite(admin.AdminSite):
    site_header = "JTAI action plan tracker: support"
    site_title = "JTAI tracker support"
    index_title = "Support"

    def has_permission(self, request):
        return is_support(request.user) and used_second_factor(request)

    def login(self, request, extra_context=None):
        """The service's own sign-in (and its second step), then back here; a signed-in user without the right
        is refused."""
        if request.user.is_authenticated and not self.has_permission(request):
            if is_support(request.user):
                return render(request, "errors/support_second_factor.html", status=403)
            raise PermissionDenied
        return secure_admin_login(super().login)(request, extra_context)


def used_second_factor(request) -> bool:
    """This session's sign-in passed a second factor (django-allauth's record of how it signed in)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))
