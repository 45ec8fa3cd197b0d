"""The support site: the Django admin at ``/support/``, for the service's superusers only.

Partnership users never need it, and neither does any other staff account: a
staff user who is not a superuser cannot sign in to it or open any of its
pages. What it shows and allows is set in ``inspections/admin.py``. It exists only for clients on
``SUPPORT_ADMIN_ALLOWED_NETWORKS`` (:func:`support_site_reachable`, applied by
``jtai_tracker.middleware.SupportAdminAllowListMiddleware``).
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

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


class SupportLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            "Enter the %(username)s and password of a support (superuser) account. Both may be case-sensitive."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not is_support(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class SupportAdminSite(admin.AdminSite):
    site_header = "JTAI action plan tracker: support"
    site_title = "JTAI tracker support"
    index_title = "Support"
    login_form = SupportLoginForm

    def has_permission(self, request):
        return is_support(request.user)
