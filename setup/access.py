"""Fetching what a manager sets up: 404 for another partnership's rows, 403 for anyone who is not its manager."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from inspections.models import Partnership
from inspections.tenancy import TenantQuerySet, partnership_id_of


def manager_partnership(user: Any) -> Partnership:
    """The partnership the user manages; PermissionDenied for anyone who is not its manager."""
    if partnership_id_of(user) is None:
        raise PermissionDenied
    partnership = user.person.partnership
    if not user.has_perm("inspections.manage", partnership):
        raise PermissionDenied
    return partnership


def access_for_setup(user: Any, queryset: TenantQuerySet, pk: int) -> Any:
    """One row to set up: 404 if it is another partnership's (whatever the user's role), else 403 unless manager."""
    obj = get_object_or_404(queryset.visible_to(user), pk=pk)
    if not user.has_perm("inspections.manage", obj):
        raise PermissionDenied
    return obj
