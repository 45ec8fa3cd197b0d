"""Delete finished jobs older than JOB_RETENTION_DAYS and their files. Safe to run from cron every day."""

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.services import jobs_prune


class Command(BaseCommand):
    help = "Delete jobs finished more than JOB_RETENTION_DAYS days ago, and the files no other job still offers."

    def handle(self, *args, **options):
        jobs, files = jobs_prune(days=settings.JOB_RETENTION_DAYS)
        self.stdout.write(self.style.SUCCESS(f"{jobs} job(s) and {files} file(s) deleted."))
