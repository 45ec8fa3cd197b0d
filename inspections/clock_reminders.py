"""Reminding the partnership's managers of a statutory clock: some working days before it runs out, and on the day.

The daily ``manage.py send_reminders`` calls :func:`clock_reminders_send` after the leads' reminders. Each
clock of a source's regime names how many working days before its end to remind (``remind`` in
inspections/regimes.toml); every email is logged in a :class:`~inspections.models.ClockReminderLog` with it,
in one savepoint, so a second run the same day (or the next day) sends nothing again, and an email that
cannot be sent leaves no log and is tried again by the next run.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from inspections.clocks import ClockReading, State, running_clocks
from inspections.models import ClockReminderLog, Inspection
from people.models import Person

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClockReminder:
    """One manager's email about one clock; ``sent`` is False when it could not be sent (nothing was logged)."""

    kind: str
    reading: ClockReading
    email: str
    sent: bool = True


def reminder_kind(reading: ClockReading, today: datetime.date) -> str | None:
    """Which reminder a running clock is due on ``today``: "on the day" on its last day, "before" from
    ``remind`` working days before it until then (so a missed run sends it the next day), else None."""
    if reading.state == State.DUE_TODAY:
        return ClockReminderLog.Kind.ON_THE_DAY
    if reading.state == State.DUE_SOON:  # within its reminder lead time (inspections.clocks.due_soon)
        return ClockReminderLog.Kind.BEFORE
    return None


def _managers(partnership_id: int) -> list[Person]:
    """The partnership's active managers with an email address: who set the source up and answer for its clocks."""
    return list(
        Person.objects.for_partnership(partnership_id)
        .filter(role=Person.Role.MANAGER, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )


def clock_reminders_send(*, today: datetime.date) -> list[ClockReminder]:
    """Email each partnership's managers about every clock due a reminder today, once per clock, deadline,
    kind and manager. Returns every email tried, sent or not."""
    tried: list[ClockReminder] = []
    managers: dict[int, list[Person]] = {}
    for reading in running_clocks(Inspection.objects.select_related("partnership"), today):
        kind = reminder_kind(reading, today)
        if kind is None:
            continue
        inspection = reading.inspection
        already = set(
            ClockReminderLog.objects.filter(
                inspection=inspection, clock=reading.clock.code, due=reading.due, kind=kind
            ).values_list("person_id", flat=True)
        )
        if inspection.partnership_id not in managers:
            managers[inspection.partnership_id] = _managers(inspection.partnership_id)
        for manager in managers[inspection.partnership_id]:
            if manager.pk not in already:
                tried.append(_send_one(kind=kind, reading=reading, manager=manager))
    return [reminder for reminder in tried if reminder is not None]


def _send_one(*, kind: str, reading: ClockReading, manager: Person) -> ClockReminder | None:
    inspection = reading.inspection
    if kind == ClockReminderLog.Kind.ON_THE_DAY:
        subject = f"Due today: {reading.clock.label} for {inspection.short_title}"
    else:
        subject = f"Due on {reading.due:%-d %B %Y}: {reading.clock.label} for {inspection.short_title}"
    body = render_to_string(
        "inspections/email/clock_reminder.txt",
        {
            "manager": manager,
            "reading": reading,
            "inspection": inspection,
            "on_the_day": kind == ClockReminderLog.Kind.ON_THE_DAY,
            "url": settings.SITE_URL.rstrip("/") + inspection.get_absolute_url() + "#clocks",
        },
    )
    reminder = ClockReminder(kind=kind, reading=reading, email=manager.user.email)
    try:
        with transaction.atomic():  # the log and the send succeed or fail together
            ClockReminderLog.objects.create(
                inspection=inspection, clock=reading.clock.code, due=reading.due, kind=kind, person=manager
            )
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [manager.user.email])
    except IntegrityError:
        return None  # another run sent it a moment ago
    except Exception:  # any mail backend's failure: this email only
        logger.exception("Could not send the %s reminder for %s to %s", reading.clock.code, inspection, reminder.email)
        return replace(reminder, sent=False)
    logger.info("Sent the %s reminder (%s) for %s to %s", reading.clock.code, kind, inspection, reminder.email)
    return reminder
