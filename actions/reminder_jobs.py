"""The daily reminder emails as a task: ``manage.py send_reminders`` (from cron) asks for it, a worker sends them.

No person waits for these, so they are a task of their own rather than a :class:`jobs.models.Job`: the task's
result lists what was sent and what could not be, which the command prints when the backend has run it at once.
"""

from __future__ import annotations

import datetime

from django_tasks import task

from actions.reminders import reminders_send
from inspections.clock_reminders import clock_reminders_send


@task()
def send_due_reminders(today: str, days_before: int | None = None) -> dict[str, list[str]]:
    """Every reminder due on ``today`` (YYYY-MM-DD): the leads' (:func:`actions.reminders.reminders_send`) and the
    managers' statutory clocks (:func:`inspections.clock_reminders.clock_reminders_send`). Each is logged as it is
    sent and never sent twice, so running it again (a retry, a second worker) sends only what is still due."""
    day = datetime.date.fromisoformat(today)
    sent: list[str] = []
    failed: list[str] = []
    for reminder in reminders_send(today=day, days_before=days_before):
        line = f"{reminder.kind}: {reminder.round.label} to {reminder.email} ({len(reminder.actions)} actions)"
        (sent if reminder.sent else failed).append(line)
    for reminder in clock_reminders_send(today=day):
        what = f"{reminder.reading.clock.label} of {reminder.reading.inspection.short_title} to {reminder.email}"
        (sent if reminder.sent else failed).append(f"clock ({reminder.kind}): {what}")
    return {"sent": sent, "failed": failed}
