"""Send the reminder emails due today. Safe to run from cron every day: nothing is sent twice.

The emails are sent by a task (:func:`actions.reminder_jobs.send_due_reminders`) on the worker, so cron's run
takes a moment whatever the number of partnerships. When the task has run by the time it returns (the
``immediate`` backend, or ``--wait``), the command says what was sent and fails if any email could not be.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks import TaskResultStatus

from actions.reminder_jobs import send_due_reminders

#: How long ``--wait`` waits for a worker to send them.
WAIT_SECONDS = 600


class Command(BaseCommand):
    help = (
        "Email action leads when a round opens, before its deadline and when their update is overdue; "
        "email partnership managers before a statutory clock runs out and on its last day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="Act as if today were YYYY-MM-DD.")
        parser.add_argument("--days-before", type=int, help="Days before the deadline to send 'due soon'.")
        parser.add_argument("--wait", action="store_true", help="Wait for a worker to send them, and report.")

    def handle(self, *args, date=None, days_before=None, wait=False, **options):
        today = date or timezone.localdate()
        result = send_due_reminders.enqueue(today.isoformat(), days_before)
        deadline = time.monotonic() + WAIT_SECONDS
        while wait and not result.is_finished and time.monotonic() < deadline:
            time.sleep(1)
            result.refresh()
        if not result.is_finished:
            self.stdout.write(
                f"The reminders for {today:%-d %B %Y} are queued (task {result.id}): a worker sends them."
            )
            return
        if result.status != TaskResultStatus.SUCCESSFUL:
            raise CommandError(f"The reminders for {today:%-d %B %Y} could not be sent; see the worker's log.")
        outcome = result.return_value
        for line in outcome["sent"]:
            self.stdout.write(line)
        for line in outcome["failed"]:
            self.stderr.write(f"Not sent: {line}")
        self.stdout.write(self.style.SUCCESS(f"{len(outcome['sent'])} reminder email(s) sent for {today:%-d %B %Y}."))
        if outcome["failed"]:  # a non-zero exit, so cron reports it; the next run tries them again
            raise CommandError(
                f"{len(outcome['failed'])} reminder email(s) could not be sent; the next run tries them again."
            )
