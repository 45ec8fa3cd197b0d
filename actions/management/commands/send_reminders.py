"""Send the reminder emails due today. Safe to run from cron every day: nothing is sent twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actions.reminders import reminders_send
from inspections.clock_reminders import clock_reminders_send


class Command(BaseCommand):
    help = (
        "Email action leads when a round opens, before its deadline and when their update is overdue; "
        "email partnership managers before a statutory clock runs out and on its last day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="Act as if today were YYYY-MM-DD.")
        parser.add_argument("--days-before", type=int, help="Days before the deadline to send 'due soon'.")

    def handle(self, *args, date=None, days_before=None, **options):
        today = date or timezone.localdate()
        tried = reminders_send(today=today, days_before=days_before)
        clocks = clock_reminders_send(today=today)
        sent = [reminder for reminder in tried if reminder.sent]
        failed = [reminder for reminder in tried if not reminder.sent]
        for reminder in sent:
            self.stdout.write(
                f"{reminder.kind}: {reminder.round.label} to {reminder.email} ({len(reminder.actions)} actions)"
            )
        for reminder in failed:
            self.stderr.write(f"Not sent: {reminder.kind}: {reminder.round.label} to {reminder.email}")
        for reminder in clocks:
            what = f"{reminder.reading.clock.label} of {reminder.reading.inspection.short_title} to {reminder.email}"
            if reminder.sent:
                self.stdout.write(f"clock ({reminder.kind}): {what}")
            else:
                self.stderr.write(f"Not sent: clock ({reminder.kind}): {what}")
        sent += [reminder for reminder in clocks if reminder.sent]
        failed += [reminder for reminder in clocks if not reminder.sent]
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} reminder email(s) sent for {today:%-d %B %Y}."))
        if failed:  # a non-zero exit, so cron reports it; the next run tries them again
            raise CommandError(f"{len(failed)} reminder email(s) could not be sent; the next run tries them again.")
