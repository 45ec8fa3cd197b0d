"""Reads about findings: where each stands on being signed off as addressed, as at a day.

Each takes an inspection the caller has already fetched within its partnership: views check access at
their edge, so these never re-scope.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from inspections.models import FindingSignOff, Inspection


@dataclass(frozen=True)
class SignOffState:
    """A finding's sign-off as at a day: the sign-off then in force, or the last one reopened by then."""

    standing: FindingSignOff | None = None
    #: When none stands: the latest sign-off reopened by the day, so a page can say why.
    reopened: FindingSignOff | None = None

    @property
    def signed_off(self) -> bool:
        return self.standing is not None

    @property
    def summary(self) -> str:
        """'Signed off as addressed by the sub-group on 12 March 2021', or 'Not signed off' (and why)."""
        if self.standing is not None:
            return self.standing.summary
        if self.reopened is not None:
            return f"Not signed off. {self.reopened.reopened_summary}"
        return "Not signed off"

    @property
    def sentence(self) -> str:
        """The report's sentence for a standing sign-off ("Priority area for action 1 was signed off as …");
        empty when none stands."""
        return self.standing.sentence if self.standing is not None else ""


def sign_off_states(
    inspection: Inspection, day: datetime.date, *, known_on: datetime.date | None = None
) -> defaultdict[int, SignOffState]:
    """Finding id -> its :class:`SignOffState` as at ``day``; a finding never signed off gets an empty state.

    A sign-off stands on ``day`` when it is dated on or before it and was not reopened on or before
    it. ``known_on`` also leaves out what was recorded after that day (a sign-off or a reopening typed
    in later), so what an endorsed round said stays as the board endorsed it. One query.
    """
    states: defaultdict[int, SignOffState] = defaultdict(SignOffState)
    sign_offs = FindingSignOff.objects.filter(finding__inspection=inspection, signed_off_on__lte=day).select_related(
        "finding"
    )
    for sign_off in sign_offs.order_by("signed_off_on", "recorded_at", "id"):
        if known_on is not None and _day_of(sign_off.recorded_at) > known_on:
            continue
        reopened_by_then = sign_off.reopened_on is not None and sign_off.reopened_on <= day
        if reopened_by_then and known_on is not None and sign_off.reopened_at is not None:
            reopened_by_then = _day_of(sign_off.reopened_at) <= known_on
        if reopened_by_then:
            states[sign_off.finding_id] = SignOffState(reopened=sign_off)
        else:
            states[sign_off.finding_id] = SignOffState(standing=sign_off)
    return states


def _day_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)
