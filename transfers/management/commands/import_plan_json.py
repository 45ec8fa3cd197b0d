"""Bring a plan exported as JSON (``/plans/<pk>/export.json``) into an empty partnership."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from inspections.models import Partnership
from transfers.plan_json import PlanDocumentInvalid, plan_import_document


class Command(BaseCommand):
    help = (
        "Import a plan exported as JSON into a partnership with no inspections yet. The partnership is "
        "created if there is none of that name; agencies and people missing from it are created (people "
        "without a usable password: invite them to set one)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The JSON file exported from a plan page.")
        parser.add_argument("--partnership", required=True, help="The name of the partnership to import into.")

    def handle(self, *args, file: Path, partnership: str, **options):
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as missing:
            raise CommandError(f"There is no file {file}.") from missing
        except (UnicodeDecodeError, json.JSONDecodeError) as broken:
            raise CommandError(f"{file} is not a JSON file: {broken}") from broken
        source = document.get("partnership", {}) if isinstance(document, dict) else {}
        try:
            with transaction.atomic():
                target, created = Partnership.objects.get_or_create(
                    name=partnership.strip(),
                    defaults={
                        "local_authority": str(source.get("local_authority") or partnership)[:200],
                        "board_name": str(source.get("board_name") or "")[:200],
                    },
                )
                result = plan_import_document(document=document, partnership=target)
        except PlanDocumentInvalid as invalid:
            raise CommandError(f"Nothing was imported. {invalid}") from invalid
        if created:
            self.stdout.write(f"Created the partnership {target.name}.")
        self.stdout.write(
            f"Created {result.agencies_created} agencies and {result.people_created} people "
            "(they cannot sign in until they set a password)."
        )
        if result.evidence_files_skipped:
            self.stdout.write(
                self.style.WARNING(
                    f"{result.evidence_files_skipped} evidence file(s) are listed in the export but their "
                    "contents are not in it, so they were not imported."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.plan.title}: {result.plan.actions.count()} actions, "
                f"{result.plan.rounds.count()} rounds."
            )
        )
