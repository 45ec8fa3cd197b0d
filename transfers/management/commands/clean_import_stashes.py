"""Delete what abandoned imports left in the imports storage: run it daily (the README has the cron line)."""

from django.core.management.base import BaseCommand

from transfers.services import import_stashes_clean


class Command(BaseCommand):
    help = (
        "Delete the files imports keep between their steps once they are more than a day old, and any file in "
        "the imports storage that no import owns (an orphan, left for an hour first)."
    )

    def handle(self, *args, **options):
        result = import_stashes_clean()
        self.stdout.write(
            f"Deleted {result.stale} abandoned import file(s) and {result.orphans} orphaned file(s).", ending="\n"
        )
