"""The forms of the account pages, in GOV.UK words: signing in, choosing, changing and resetting a password.

Signing in, changing and resetting are django-allauth's forms (``settings.ACCOUNT_FORMS``) with our labels;
choosing a password from an invitation is Django's ``SetPasswordForm``. Every new password passes
``AUTH_PASSWORD_VALIDATORS``.
"""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.passwords import HINT

_NEW = "Choose a new password"
_AGAIN = "Type the new password again"
_MISMATCH = "The two passwords do not match: type the same password twice"


def _label(form: forms.Form, name: str, label: str, *, required: str, help_text: str = "") -> None:
    field = form.fields[name]
    field.label = label
    field.help_text = help_text
    field.error_messages["required"] = required
    field.widget.attrs.pop("placeholder", None)


class _TwoPasswords:
    """A new password typed twice, with our words; allauth's mixin checks they match."""

    def _words(self, first: str = _NEW) -> None:
        _label(self, "password1", first, required=first, help_text=HINT)
        _label(self, "password2", _AGAIN, required=_AGAIN)

    def clean(self):
        cleaned = forms.Form.clean(self)
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _MISMATCH)
        return cleaned


class SignInForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label(self, "login", "Username or email address", required="Enter your username or email address")
        _label(self, "password", "Password", required="Enter your password")
        self.fields["login"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})


class ChangePasswordForm(_TwoPasswords, allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label(self, "oldpassword", "Your current password", required="Enter your current password")
        self._words()


class ResetRequestForm(allauth_forms.ResetPasswordForm):
    """'Forgotten your password?': a reset link to the address, if it is an active account's that may use a
    password here. The page says the same whatever the address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = "Email address"
        field.error_messages.update(
            required="Enter your email address",
            invalid="Enter an email address in the correct format, like name@example.org",
        )
        field.widget.attrs.pop("placeholder", None)
        field.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})

    def save(self, request, **kwargs):
        from audit.models import AuditEvent
        from audit.services import record

        # The address as typed (the log finds its account, if any): the page itself never says which.
        record(request, AuditEvent.Event.PASSWORD_RESET_REQUESTED, username=str(self.data.get("email", ""))[:150])
        return super().save(request, **kwargs)

    def clean_email(self):
        email = super().clean_email()
        from accounts.adapter import partnership_of

        self.users = [
            user for user in self.users if partnership_of(user) is None or partnership_of(user).passwords_allowed
        ]
        return email


class ResetChoosePasswordForm(_TwoPasswords, allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._words()


class ChoosePasswordForm(SetPasswordForm):
    """A new password from an invitation, typed twice, with GOV.UK messages."""

    error_messages = {**SetPasswordForm.error_messages, "password_mismatch": _MISMATCH}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label(self, "new_password1", "Choose a password", required="Choose a password", help_text=HINT)
        _label(self, "new_password2", "Type the password again", required="Type the password again")

    def validate_password_for_user(self, user, password_field_name=None):
        # SetPasswordForm.clean names the second box; the rules are about the password chosen in the first, and
        # GOV.UK shows one message a field: the first rule broken.
        password = self.cleaned_data.get("new_password1")
        if password:
            try:
                validate_password(password, user)
            except ValidationError as refused:
                self.add_error("new_password1", refused.error_list[0])


class OrganisationForm(forms.Form):
    """The work email address whose domain finds the organisation's sign-in (``SignOnProvider.domains``)."""

    email = forms.EmailField(
        label="Your work email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_email(self):
        from accounts.models import SignOnProvider

        email = self.cleaned_data["email"]
        domain = email.rsplit("@", 1)[-1].lower()
        self.providers = [
            provider
            for provider in SignOnProvider.objects.select_related("app", "partnership").order_by("name")
            if domain in provider.domains
        ]
        if not self.providers:
            raise forms.ValidationError(
                f"Single sign-on is not set up for addresses ending @{domain}. Sign in with your username and "
                "password, or ask your partnership manager"
            )
        return email

    @property
    def next_url(self) -> str:
        from django.utils.http import url_has_allowed_host_and_scheme

        target = self.cleaned_data.get("next") or ""
        return target if url_has_allowed_host_and_scheme(target, allowed_hosts=None) else ""
