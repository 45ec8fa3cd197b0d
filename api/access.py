"""Fetching a partnership's API tokens for its manager: 404 for another partnership's, 403 for anyone else."""

from __future__ import annotations

from typing import Any

from api.models import ApiToken
from setup.access import access_for_setup, manager_partnership


def access_tokens(user: Any) -> Any:
    """The partnership whose tokens ``user`` manages (PermissionDenied for anyone but its manager)."""
    return manager_partnership(user)


def access_token_for_revoke(user: Any, pk: int) -> ApiToken:
    return access_for_setup(user, ApiToken.objects.select_related("created_by__user"), pk)
