"""``manage.py load_demo``: load (or reset) the two demo partnerships and print how to sign in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from demo.loader import MONITOR_ORGANISATION, MONITOR_USERNAME, SUPPORT_USERNAME, DemoConflict, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: Northumberland's 2019 JTAI with its 22-action plan, its three endorsed 2020 rounds "
        "and a round open for updates this month, and a small second partnership (Halton). Safe to run "
        "again: it resets the demo rows and touches no other partnership."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        if settings.PRODUCTION:
            raise CommandError(
                "The demo is not for a live service: its accounts have a published password. "
                "Set up real partnerships with create_partnership instead."
            )
        try:
            summary = load_demo()
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write(self.style.SUCCESS("Demo loaded."))
        for label, count in summary.counts().items():
            self.stdout.write(f"  {label:<16} {count:>4}")

        for partnership, label, deadline in summary.open_rounds:
            self.stdout.write(f"Open for updates: {label} ({partnership}), updates due {deadline:%-d %B %Y}.")

        self.stdout.write("")
        self.stdout.write(f"Demo logins (every one has the password {summary.password}):")
        width = max(len(login.username) for login in summary.logins)
        role_width = max(len(login.role) for login in summary.logins)
        self.stdout.write(f"  {'username':<{width}}  {'role':<{role_width}}  name")
        for login in summary.logins:
            self.stdout.write(
                f"  {login.username:<{width}}  {login.role:<{role_width}}  {login.name} ({login.partnership})"
            )
        self.stdout.write(
            f"  {SUPPORT_USERNAME:<{width}}  {'Support staff':<{role_width}}  sets partnerships up at /onboarding/"
        )
        self.stdout.write(
            f"  {MONITOR_USERNAME:<{width}}  {'Outside monitor':<{role_width}}  "
            f"Helen Ashworth ({MONITOR_ORGANISATION}): reads the plans she was given at /monitor/"
        )
        self.stdout.write("")
        self.stdout.write(f"Password: {summary.password}")
