"""Reminder emails to action leads: one email per lead per reminder, never the same one twice."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from actions.models import Action, MonitoringRound, ReminderLog, Update

logger = logging.getLogger(__name__)

SUBJECTS = {
    ReminderLog.Kind.OPENED: "{round}: please update your actions by {deadline}",
    ReminderLog.Kind.DUE_SOON: "Reminder: your {round} updates are due on {deadline}",
    ReminderLog.Kind.OVERDUE: "Overdue: your {round} updates were due on {deadline}",
}


@dataclass(frozen=True)
class SentReminder:
    kind: str
    round: MonitoringRound
    email: str
    actions: list[Action]


def _kind_due(monitoring_round: MonitoringRound, today: datetime.date, days_before: int) -> list[str]:
    kinds = [ReminderLog.Kind.OPENED]
    if monitoring_round.update_deadline < today:
        kinds.append(ReminderLog.Kind.OVERDUE)
    elif (monitoring_round.update_deadline - today).days <= days_before:
        kinds.append(ReminderLog.Kind.DUE_SOON)
    return kinds


def reminders_send(*, today: datetime.date, days_before: int | None = None) -> list[SentReminder]:
    """Send every reminder that is due today and has not been sent before.

    "Opened" goes to every lead with an action in an open round; "due soon"
    (within ``days_before`` days of the deadline) and "overdue" go to leads
    whose update is not yet submitted, listing only those actions. Each email
    is logged in the same transaction as it is sent, so a failed send is tried
    again tomorrow and a sent one is never repeated, even by two runs at once.
    """
    days_before = settings.REMINDER_DAYS_BEFORE_DEADLINE if days_before is None else days_before
    sent: list[SentReminder] = []
    rounds = MonitoringRound.objects.taking_updates().select_related("plan")
    for monitoring_round in rounds:
        done = set(
            Update.objects.filter(
                round=monitoring_round, status__in=[Update.Status.SUBMITTED, Update.Status.AGREED]
            ).values_list("action_id", flat=True)
        )
        by_lead: dict[int, list[Action]] = defaultdict(list)
        leads = {}
        for action in (
            Action.objects.current()
            .filter(plan=monitoring_round.plan, completed_on__isnull=True, lead__user__is_active=True)
            .select_related("lead__user")
            .order_by("position", "id")
        ):
            by_lead[action.lead_id].append(action)
            leads[action.lead_id] = action.lead
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
                    sent.append(reminder)
    return sent


def _send_one(*, kind: str, monitoring_round: MonitoringRound, lead, actions: list[Action]) -> SentReminder | None:
    subject = SUBJECTS[kind].format(
        round=monitoring_round.label, deadline=f"{monitoring_round.update_deadline:%-d %B %Y}"
    )
    body = render_to_string(
        "actions/email/reminder.txt",
        {
            "kind": kind,
            "lead": lead,
            "round": monitoring_round,
            "actions": actions,
            "my_actions_url": settings.SITE_URL.rstrip("/") + reverse("actions:mine"),
        },
    )
    try:
        with transaction.atomic():
            ReminderLog.objects.create(round=monitoring_round, person=lead, kind=kind, action_count=len(actions))
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [lead.user.email])
    except IntegrityError:
        return None  # another run sent it a moment ago
    logger.info("Sent %s reminder for %s to %s (%d actions)", kind, monitoring_round, lead.user.email, len(actions))
    return SentReminder(kind=kind, round=monitoring_round, email=lead.user.email, actions=actions)
