"""Write static/css/quadrants.css from actions/quadrants.py (or, with --check, fail if it is out of date)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from actions.quadrants import STYLESHEET, stylesheet


def stylesheet_path() -> Path:
    """The committed copy, in the project's own static folder."""
    return Path(settings.BASE_DIR) / "static" / STYLESHEET


class Command(BaseCommand):
    help = "Write the quadrant scale's colours and border styles as CSS custom properties (static/css/quadrants.css)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Change nothing; fail if the file is out of date.")

    def handle(self, *args, check=False, **options):
        path, css = stylesheet_path(), stylesheet()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if check:
            if current != css:
                raise CommandError(f"{path} is out of date: run `python manage.py quadrant_css`.")
            self.stdout.write(f"{path} is up to date.")
            return
        if current != css:
            path.write_text(css, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}."))
