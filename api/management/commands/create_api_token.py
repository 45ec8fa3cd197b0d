"""Make an API token for a partnership from the command line (support staff, or the demo); prints it once."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.models import Scope
from api.services import token_create
from inspections.models import Partnership


class Command(BaseCommand):
    help = "Make an API token for a partnership and print it: it is shown this once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's name.")
        parser.add_argument("--name", required=True, help="What will use it, e.g. Power BI dashboard.")
        parser.add_argument(
            "--scope", action="append", choices=Scope.values, required=True, help="plans, reports (repeat for both)."
        )
        parser.add_argument(
            "--days", type=int, default=90, help="Days until it expires (90 unless given; 366 at most)."
        )

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(name=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership is called {options['partnership']!r}.")
        expires_on = timezone.localdate() + datetime.timedelta(days=options["days"])
        try:
            token, secret = token_create(
                partnership=partnership, name=options["name"], scopes=options["scope"], expires_on=expires_on
            )
        except ValidationError as refused:
            raise CommandError("; ".join(refused.messages)) from refused
        self.stderr.write(f"Made {token} for {partnership.name}, expiring {expires_on:%d %B %Y}. The token:")
        self.stdout.write(secret)
