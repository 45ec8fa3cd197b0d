"""Who may open the register's pages: 404 for another partnership's action, 403 without the right."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from actions.models import Action
from inspections.models import Partnership
from inspections.tenancy import partnership_id_of


def access_register(user: Any) -> Partnership:
    """The partnership whose register the user may read: any member (``inspections.view``); PermissionDenied
    for anyone else, support staff included (they belong to no partnership)."""
    if partnership_id_of(user) is None:
        raise PermissionDenied
    partnership = user.person.partnership
    if not user.has_perm("inspections.view", partnership):
        raise PermissionDenied
    return partnership


def access_action_for_linking(user: Any, pk: int) -> Action:
    """The action, if the user may link it to others: 404 for another partnership, 403 without the right (the
    partnership's manager, who sets its plans up: ``inspections.manage``)."""
    action = get_object_or_404(Action.objects.visible_to(user).select_related("plan__inspection"), pk=pk)
    if not user.has_perm("inspections.manage", action):
        raise PermissionDenied
    return action
