"""manage.py prune_audit_log: delete security audit events older than AUDIT_RETENTION_DAYS (default 730).

Run it daily from cron; running it twice deletes nothing more.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.services import prune, retention_cutoff


class Command(BaseCommand):
    help = "Delete security audit events older than AUDIT_RETENTION_DAYS days, and say how many."

    def handle(self, *args, **options):
        now = timezone.now()
        deleted = prune(now=now)
        cutoff = timezone.localtime(retention_cutoff(now))
        when = f"{cutoff.day} {cutoff:%B %Y}, {cutoff:%-I:%M}{cutoff:%p}".replace("AM", "am").replace("PM", "pm")
        self.stdout.write(
            f"Deleted {deleted} security audit event{'s' if deleted != 1 else ''} from before {when} "
            f"(older than {settings.AUDIT_RETENTION_DAYS} days)."
        )
