"""Where an action stands in the register, in words: the one place its status is read from its fields.

The statuses are the action's outcome (``Action.outcome``, filtered by ``actions.models.outcome_q``: withdrawn,
not implemented, superseded, merged, complete, open), with open actions past their target date shown as
"Overdue" (the one definition, ``ActionQuerySet.overdue``).

The register filters by :func:`status_q` and shows the words annotated by :func:`status_annotation`, so the
filter and the words can never disagree.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, Q, Value, When

from actions.models import Action, Outcome, outcome_q


class Status(models.TextChoices):
    OPEN = "open", "Open"
    OVERDUE = "overdue", "Overdue"
    COMPLETE = "complete", "Complete"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NOT_IMPLEMENTED = "not_implemented", "Not implemented"
    SUPERSEDED = "superseded", "Superseded"
    MERGED = "merged", "Merged"


#: The order the statuses are tested in: the first that holds is the action's.
ORDER = (
    Status.WITHDRAWN,
    Status.NOT_IMPLEMENTED,
    Status.SUPERSEDED,
    Status.MERGED,
    Status.COMPLETE,
    Status.OVERDUE,
    Status.OPEN,
)

#: The GOV.UK tag colour beside each status's words (the words always say it; the colour only helps).
TAG_CLASSES = {
    Status.OPEN: "govuk-tag--blue",
    Status.OVERDUE: "govuk-tag--red",
    Status.COMPLETE: "govuk-tag--green",
    Status.WITHDRAWN: "govuk-tag--grey",
    Status.NOT_IMPLEMENTED: "govuk-tag--orange",
    Status.SUPERSEDED: "govuk-tag--purple",
    Status.MERGED: "govuk-tag--purple",
}


def _holds(status: Status, today: datetime.date) -> Q:
    """The fields that make ``status`` true of an action: the action's outcome (``actions.models.outcome_q``, the
    one rule), with "Overdue" the open actions past their target date (``ActionQuerySet.overdue``)."""
    if status == Status.OVERDUE:
        return outcome_q(Outcome.OPEN) & Q(pk__in=Action.objects.overdue(today).values("pk"))
    return outcome_q(status.value)


def status_q(status: str, today: datetime.date) -> Q:
    """The actions whose status as at ``today`` is ``status``: it holds, and no status before it does."""
    chosen = Status(status)
    q = _holds(chosen, today)
    for earlier in ORDER[: ORDER.index(chosen)]:
        q &= ~_holds(earlier, today)
    return q


def status_annotation(today: datetime.date) -> Case:
    """Each action's status key as at ``today``, for ``.annotate(register_status=...)``."""
    return Case(
        *(When(_holds(status, today), then=Value(status.value)) for status in ORDER[:-1]),
        default=Value(Status.OPEN.value),
        output_field=models.CharField(),
    )
