"""Reminder emails to action leads: one email per lead per reminder, never the same one twice.

The daily run (``manage.py send_reminders``: :func:`reminders_send`) and a manager's "Send a reminder now"
(:func:`reminder_send_now`) send the same email the same way (:func:`_send_one`), each logged in a
``ReminderLog``. An email that cannot be sent is caught lead by lead: it leaves no log, so it is tried
again, and the others still go.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, MonitoringRound, Outcome, ReminderLog, Update
from people.models import Person

logger = logging.getLogger(__name__)

SUBJECTS = {
    ReminderLog.Kind.OPENED: "{round}: please update your actions by {deadline}",
    ReminderLog.Kind.DUE_SOON: "Reminder: your {round} updates are due on {deadline}",
    ReminderLog.Kind.OVERDUE: "Overdue: your {round} updates were due on {deadline}",
}


@dataclass(frozen=True)
class Reminder:
    """One lead's reminder: ``sent`` is False when the email could not be sent (and nothing was logged)."""

    kind: str
    round: MonitoringRound
    email: str
    actions: list[Action]
    lead_name: str = ""
    sent: bool = True


def _kind_due(monitoring_round: MonitoringRound, today: datetime.date, days_before: int) -> list[str]:
    kinds = [ReminderLog.Kind.OPENED]
    if monitoring_round.update_deadline < today:
        kinds.append(ReminderLog.Kind.OVERDUE)
    elif (monitoring_round.update_deadline - today).days <= days_before:
        kinds.append(ReminderLog.Kind.DUE_SOON)
    return kinds


def reminders_send(*, today: datetime.date, days_before: int | None = None) -> list[Reminder]:
    """Send every reminder that is due today and has not been sent before.

    "Opened" goes to every lead with an action in an open round; "due soon"
    (within ``days_before`` days of the deadline) and "overdue" go to leads
    whose update is not yet submitted, listing only those actions. Each email
    is logged in the same transaction as it is sent, so a failed send is tried
    again tomorrow and a sent one is never repeated, even by two runs at once.
    Returns every reminder tried, sent or not (``sent``): one that failed does
    not stop the rest.
    """
    days_before = settings.REMINDER_DAYS_BEFORE_DEADLINE if days_before is None else days_before
    tried: list[Reminder] = []
    rounds = MonitoringRound.objects.taking_updates().select_related("plan")
    for monitoring_round in rounds:
        done = _submitted(monitoring_round)
        leads, by_lead = _actions_by_lead(monitoring_round)
        already = set(ReminderLog.objects.filter(round=monitoring_round).values_list("person_id", "kind"))
        for kind in _kind_due(monitoring_round, today, days_before):
            for lead_id, actions in by_lead.items():
                if (lead_id, kind) in already:
                    continue
                if kind != ReminderLog.Kind.OPENED:
                    actions = [a for a in actions if a.pk not in done]
                if not actions or not leads[lead_id].user.email:
                    continue
                reminder = _send_one(kind=kind, monitoring_round=monitoring_round, lead=leads[lead_id], actions=actions)
                if reminder:
                    tried.append(reminder)
    return tried


def _submitted(monitoring_round: MonitoringRound) -> set[int]:
    """The actions whose update for the round is submitted or agreed: nobody is reminded about them."""
    return set(
        Update.objects.filter(
            round=monitoring_round, status__in=[Update.Status.SUBMITTED, Update.Status.AGREED]
        ).values_list("action_id", flat=True)
    )


def _actions_by_lead(monitoring_round: MonitoringRound) -> tuple[dict[int, Person], dict[int, list[Action]]]:
    """The round's actions still asking for updates (open: ``Action.outcome``), by their active leads."""
    by_lead: dict[int, list[Action]] = defaultdict(list)
    leads: dict[int, Person] = {}
    for action in (
        Action.objects.with_outcome(Outcome.OPEN)
        .filter(plan=monitoring_round.plan, lead__user__is_active=True)
        .select_related("lead__user")
        .order_by("position", "id")
    ):
        by_lead[action.lead_id].append(action)
        leads[action.lead_id] = action.lead
    return leads, by_lead


def access_round_for_reminder(user: Any, pk: int) -> MonitoringRound:
    """The round, if the user may send its leads a reminder: 404 for another partnership, 403 without the role."""
    monitoring_round = get_object_or_404(MonitoringRound.objects.visible_to(user).select_related("plan"), pk=pk)
    if not user.has_perm("actions.remind", monitoring_round):
        raise PermissionDenied
    return monitoring_round


class ReminderRefused(Exception):
    """Nothing was sent; the message says why, in words for the manager."""


def last_sent_by_a_manager(monitoring_round: MonitoringRound) -> ReminderLog | None:
    """The latest reminder a manager sent for the round, with who sent it."""
    return (
        ReminderLog.objects.filter(round=monitoring_round, kind=ReminderLog.Kind.CHASED)
        .select_related("sent_by__user")
        .order_by("-sent_at", "-pk")
        .first()
    )


def sent_when(reminder: ReminderLog) -> str:
    """When a reminder was sent, as a sentence says it: "today at 9:05am", or "on 2 June 2030 at 4:30pm"."""
    at = timezone.localtime(reminder.sent_at)
    time = f"{at:%-I:%M}{at:%p}".lower()
    day = "today" if at.date() == timezone.localdate() else f"on {at:%-d %B %Y}"
    return f"{day} at {time}"


def reminder_send_now(*, monitoring_round: MonitoringRound, by: Person) -> list[Reminder]:
    """A manager's "Send a reminder now": email every lead with an update still to submit in the round.

    Guarantees: only while the round takes updates; at most once a day per round, whoever presses (the
    round is locked first, so two presses at once send once); each email is logged with who sent it
    (``ReminderLog``, kind ``CHASED``) as it is sent. An email that cannot be sent is caught for that lead
    alone: it leaves no log and the others still go, and the logs of those sent are kept (they are the
    once-a-day record); if none could be sent, nothing is recorded and the manager may press again.
    Otherwise nothing is sent and :class:`ReminderRefused` says why: a second press the same day names
    when the last one went and who sent it. Returns every reminder tried, one per lead, each saying
    whether it was ``sent``.
    """
    with transaction.atomic():
        locked = MonitoringRound.objects.select_for_update().select_related("plan").get(pk=monitoring_round.pk)
        if not locked.takes_updates:
            raise ReminderRefused(f"{locked.label} is not open for updates, so no reminder was sent.")
        last = last_sent_by_a_manager(locked)
        if last is not None and timezone.localdate(last.sent_at) == timezone.localdate():
            raise ReminderRefused(
                f"A reminder about {locked.label} was already sent {sent_when(last)} by {last.sent_by.name}. "
                "Nothing was sent: you can send the next one tomorrow."
            )
        done = _submitted(locked)
        leads, by_lead = _actions_by_lead(locked)
        tried = []
        for lead_id, actions in by_lead.items():
            actions = [action for action in actions if action.pk not in done]
            if actions and leads[lead_id].user.email:
                reminder = _send_one(
                    kind=ReminderLog.Kind.CHASED, monitoring_round=locked, lead=leads[lead_id], actions=actions, by=by
                )
                if reminder:
                    tried.append(reminder)
        if not tried:
            raise ReminderRefused(f"Every lead has submitted their {locked.label} updates: there is nobody to remind.")
    logger.info("%s sent a reminder for %s to %d of %d leads", by, locked, sum(r.sent for r in tried), len(tried))
    return tried


def _subject(kind: str, monitoring_round: MonitoringRound) -> str:
    if kind == ReminderLog.Kind.CHASED:  # the daily run's words, as the deadline stands
        late = monitoring_round.update_deadline < timezone.localdate()
        kind = ReminderLog.Kind.OVERDUE if late else ReminderLog.Kind.DUE_SOON
    return SUBJECTS[kind].format(round=monitoring_round.label, deadline=f"{monitoring_round.update_deadline:%-d %B %Y}")


def _send_one(
    *, kind: str, monitoring_round: MonitoringRound, lead, actions: list[Action], by: Person | None = None
) -> Reminder | None:
    subject = _subject(kind, monitoring_round)
    body = render_to_string(
        "actions/email/reminder.txt",
        {
            "kind": kind,
            "lead": lead,
            "round": monitoring_round,
            "actions": actions,
            "sent_by": by,
            "late": monitoring_round.update_deadline < timezone.localdate(),
            "my_actions_url": settings.SITE_URL.rstrip("/") + reverse("actions:mine"),
        },
    )
    reminder = Reminder(kind=kind, round=monitoring_round, email=lead.user.email, actions=actions, lead_name=lead.name)
    try:
        # The log and the send succeed or fail together: a savepoint, inside the manager's transaction too.
        with transaction.atomic():
            ReminderLog.objects.create(
                round=monitoring_round, person=lead, kind=kind, action_count=len(actions), sent_by=by
            )
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [lead.user.email])
    except IntegrityError:
        return None  # another run sent it a moment ago
    except Exception:  # any mail backend's failure (SMTP, connection, API): this lead's only
        logger.exception("Could not send %s reminder for %s to %s", kind, monitoring_round, lead.user.email)
        return replace(reminder, sent=False)
    logger.info("Sent %s reminder for %s to %s (%d actions)", kind, monitoring_round, lead.user.email, len(actions))
    return reminder
