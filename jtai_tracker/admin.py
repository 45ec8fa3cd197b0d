"""The support site: the Django admin at ``/support/``, for the service's superusers only.

Partnership users never need it, and neither does any other staff account: a
staff user who is not a superuser cannot sign in to it or open any of its
pages. What it shows and allows is set in ``inspections/admin.py``.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


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
