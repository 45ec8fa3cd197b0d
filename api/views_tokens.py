"""The partnership manager's API token pages: the list with each token's last use, making one (its secret shown
once, on the page that made it), revoking one. Thin: fetch through ``api.access``, call ``api.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from api import access, services
from api.forms import TokenForm
from api.models import ApiToken


def token_list(request):
    partnership = access.access_tokens(request.user)
    tokens = ApiToken.objects.for_partnership(partnership).select_related("created_by__user", "revoked_by__user")
    return render(
        request,
        "api/tokens/list.html",
        {
            "partnership": partnership,
            "active": [token for token in tokens if token.is_usable],
            "ended": [token for token in tokens if not token.is_usable],
        },
    )


def token_create(request):
    partnership = access.access_tokens(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.token_create(
                partnership=partnership, by=request.user.person, request=request, **form.cleaned_data
            )
        except ValidationError as refused:
            for field, errors in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # The secret is on this page only: it is never stored, so it cannot be shown again.
            return render(request, "api/tokens/created.html", {"token": token, "secret": secret})
    return render(request, "api/tokens/create.html", {"form": form, "cancel": reverse("api_tokens:list")})


def token_revoke(request, pk: int):
    token = access.access_token_for_revoke(request.user, pk)
    if request.method == "POST":
        try:
            services.token_revoke(token=token, by=request.user.person, request=request)
        except ValidationError:
            messages.info(request, f"{token.name} had already been revoked.")
        else:
            messages.success(request, f"{token.name} has been revoked: it no longer works.")
        return redirect("api_tokens:list")
    return render(request, "api/tokens/revoke.html", {"token": token, "cancel": reverse("api_tokens:list")})
