"""The outside monitor's pages: the plans they can see, a plan's endorsed rounds and published reports, an
endorsed round's board, and the published reports' files. Every page and file they open is written to the
plan's partnership's security log (``services.monitor_viewed``, ``AuditEvent.Event.MONITOR_VIEWED``).

Thin: fetch through ``monitors.access`` (404 for anything not theirs to read), record, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.forms import ChoosePasswordForm
from accounts.second_factor import has_second_factor
from audit.downloads import Event
from monitors import access, selectors, services
from reports.published_files import published_file
from reports.selectors import board_for
from reports.sign_offs import area_sign_offs


def home(request):
    """Plans you can see, by partnership."""
    monitor = access.monitor(request.user)
    groups = selectors.plans_by_partnership(monitor)
    for group in groups:
        services.monitor_viewed(
            request,
            plan=group.accesses[0].plan,
            what="Plans you can see: " + "; ".join(a.plan.title for a in group.accesses),
        )
    return render(request, "monitors/home.html", {"groups": groups})


def plan(request, plan_pk: int):
    """A plan's endorsed rounds, newest first, and its published committee reports."""
    found = access.access_plan_for_monitor(request.user, plan_pk)
    services.monitor_viewed(request, plan=found, what="The plan's endorsed rounds and published reports")
    return render(
        request,
        "monitors/plan.html",
        {
            "plan": found,
            "rounds": selectors.endorsed_rounds(found),
            "reports": selectors.published_reports(found),
        },
    )


def board(request, plan_pk: int, round_pk: int):
    """An endorsed round's board, read from what the board endorsed (its frozen record)."""
    monitoring_round = access.access_round_for_monitor(request.user, plan_pk, round_pk)
    found = monitoring_round.plan
    board = board_for(found, monitoring_round)
    services.monitor_viewed(request, plan=found, what=f"Endorsed board: {monitoring_round.label}")
    return render(
        request,
        "monitors/board.html",
        {"plan": found, "board": board, "quadrant_scale": board.scale, "area_sign_offs": area_sign_offs(board)},
    )


def _published_download(request, pk: int, kind: str):
    published = access.access_published_for_monitor(request.user, pk)
    found = published.report.plan
    detail = f"{found.title}: published report {published.title}, version {published.version} ({kind.upper()})"
    return published_file(
        request, published, kind, event=Event.MONITOR_VIEWED, detail=detail, partnership=found.inspection.partnership_id
    )


def report_pdf(request, pk: int):
    """A published version's PDF, byte for byte as it was published."""
    return _published_download(request, pk, "pdf")


def report_html(request, pk: int):
    """A published version's HTML, as a file: never shown inside the service."""
    return _published_download(request, pk, "html")


_SESSION_TOKEN = "monitor_invitation_token"  # noqa: S105 - a session key, not a secret
_SET_PASSWORD = "set-password"  # noqa: S105 - the address the link is replaced with
_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@login_not_required
@never_cache
@sensitive_post_parameters()
def invitation(request, token: str):
    """The link in an outside monitor's invitation: choose a password and you are signed in. As with a member's
    link (``accounts.views.invitation``), the token moves into the session so it never leaks in a Referer."""
    if token != _SET_PASSWORD:
        request.session[_SESSION_TOKEN] = token
        return redirect("monitors:invitation", token=_SET_PASSWORD)
    token = request.session.get(_SESSION_TOKEN, "")
    found = services.invitation_for(token) if token else None
    if found is None or not found.is_usable:
        return render(request, "monitors/invitation_unusable.html", {"invitation": found}, status=410 if found else 404)
    user = found.access.user
    form = ChoosePasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.monitor_invitation_accept(
                token=token, password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as refused:
            form.add_error("new_password1", refused)
        else:
            request.session.pop(_SESSION_TOKEN, None)
            if has_second_factor(user):
                messages.success(request, "Your password is set. Sign in with it and your authenticator app.")
                return redirect("account_login")
            login(request, user, backend=_BACKEND)
            messages.success(request, f"Welcome, {user.first_name or user.get_username()}. Your password is set.")
            return redirect("monitors:home")
    return render(request, "monitors/invitation.html", {"form": form, "invitation": found, "monitor": user})
