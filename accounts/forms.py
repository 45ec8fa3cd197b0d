"""The forms of the account pages: asking for a reset link, and choosing a password."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.passwords import HINT


class ResetRequestForm(PasswordResetForm):
    """'Forgotten your password?': a reset link to the address, if it is an active account's.

    The page says the same whether or not an account has the address. Unlike Django's own form it also
    reaches someone who has not yet chosen a password (their invitation expired or was lost).
    """

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    def get_users(self, email):
        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)

    def save(self, **kwargs):
        # The link names the service's own address (as invitations do), never the request's Host header.
        site = urlsplit(settings.SITE_URL)
        return super().save(**{**kwargs, "domain_override": site.netloc, "use_https": site.scheme == "https"})


class ChoosePasswordForm(SetPasswordForm):
    """A new password, typed twice, with GOV.UK messages.

    The password rules (``accounts/passwords.py``) are checked against the first box, and only the first rule
    the password breaks is shown: GOV.UK shows one message a field.
    """

    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": "The two passwords do not match: type the same password twice",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password1"].help_text = HINT
        self.fields["new_password2"].label = "Type the password again"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password1"].error_messages["required"] = "Choose a password"
        self.fields["new_password2"].error_messages["required"] = "Type the password again"

    def validate_password_for_user(self, user, password_field_name=None):
        # SetPasswordForm.clean names the second box; the rules are about the password chosen in the first.
        password = self.cleaned_data.get("new_password1")
        if password:
            try:
                validate_password(password, user)
            except ValidationError as refused:
                self.add_error("new_password1", refused.error_list[0])
