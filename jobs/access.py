"""Fetching a job to show it: the one way, scoped to the partnership and to the person who asked."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from jobs.models import Job


def access_job(user: Any, pk: int) -> Job:
    """The job, for the person who asked for it; 404 for anyone else, in another partnership or their own."""
    return get_object_or_404(Job.objects.visible_to(user).select_related("partnership"), pk=pk, requested_by__user=user)
