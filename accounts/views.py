"""The account pages: accepting an invitation, forgotten passwords, and changing a password.

None of them needs a partnership role: they are about the account, not the partnership's data. Pages
reached from an email carry a token in the address; as Django's own reset does, the token is moved into
the session and the address replaced, so it does not leak through the Referer header.

Django's password views send no signal, so they record their own audit events (django-allauth's, which
replace them, send signals that ``audit/receivers.py`` records).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts import services
from accounts.forms import ChoosePasswordForm, ResetRequestForm
from audit.models import AuditEvent
from audit.services import record

_SESSION_TOKEN = "invitation_token"  # noqa: S105 - a session key, not a secret
_SET_PASSWORD = "set-password"  # noqa: S105 - the address the link is replaced with


@login_not_required
@never_cache
@sensitive_post_parameters()
def invitation(request, token: str):
    """The link in an invitation email: choose a password, and you are signed in."""
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
            login(request, person.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {person.user.first_name or person.name}. Your password is set.")
            return redirect("home")
    return render(request, "accounts/invitation.html", {"form": form, "invitation": found, "member": found.person})


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["old_password"].label = "Your current password"
        form.fields["new_password1"].label = "Choose a new password"
        form.fields["new_password2"].label = "Type the new password again"
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_chosen(form.user, how="changed")
        record(self.request, AuditEvent.Event.PASSWORD_CHANGED, user=form.user)
        return response


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    form_class = ChoosePasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_chosen(form.user, how="set from a reset link")
        record(self.request, AuditEvent.Event.PASSWORD_RESET, user=form.user)
        return response


class PasswordReset(auth_views.PasswordResetView):
    def form_valid(self, form):
        # The address as typed (the log finds its account, if any): the page itself never says which.
        record(self.request, AuditEvent.Event.PASSWORD_RESET_REQUESTED, username=form.cleaned_data["email"])
        return super().form_valid(form)


password_reset = login_not_required(
    PasswordReset.as_view(
        form_class=ResetRequestForm,
        template_name="registration/password_reset_form.html",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
    )
)
password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html")
)
password_reset_confirm = login_not_required(PasswordResetConfirm.as_view())
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html")
)
