"""How fast is the API's facts feed? Run on demand; not part of the test suite.

Builds a partnership of 3 plans with 40 actions and 8 monitoring rounds each (120 actions, 24 rounds: the first 6
of each plan endorsed, with their frozen records, the next agreed, the last open with submitted proposals; one
update per action per round, quadrants random but seeded) in a throwaway database, then fetches `/api/facts`
(JSON, and CSV) through Django's test client with an API token: 2 warm-up requests, then the median of 9, the
whole streamed body read each time. Then the queries of one request for the same partnership built with 10
actions and with 120, which must be equal.

    .venv/bin/python bench/api_facts.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jtai_bench .venv/bin/python bench/api_facts.py

It never touches db.sqlite3 or the database DATABASE_URL names. Exits with status 1 if the JSON feed's median
is over 1 s, or the queries grow with the actions.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jtai_tracker.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from actions.models import Action, ActionPlan, MonitoringRound, Update  # noqa: E402
from actions.quadrants import Quadrant  # noqa: E402
from actions.services import round_snapshot  # noqa: E402
from api.services import token_create  # noqa: E402
from inspections.models import Agency, Finding, Inspection, Partnership  # noqa: E402
from people.models import Person  # noqa: E402
from reports.frozen import frozen_record_save  # noqa: E402

PLANS = 3
ROUNDS = 8
ENDORSED = 6
WARM_UPS = 2
RUNS = 9
TARGET_MS = 1000
SEED = 2020
OPEN = [Quadrant.GREEN, Quadrant.YELLOW, Quadrant.AMBER, Quadrant.RED]


def build_partnership(name: str, total_actions: int, rng: random.Random) -> tuple[Partnership, str]:
    """A partnership of PLANS plans sharing ``total_actions`` actions, each plan with ROUNDS rounds; and an API
    token."""
    partnership = Partnership.objects.create(name=name, local_authority=f"{name} Council")
    agencies = Agency.objects.bulk_create(
        Agency(partnership=partnership, name=f"{name} agency {n}", short_name=f"AG{n}", kind=Agency.Kind.OTHER)
        for n in range(6)
    )
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            username=f"{name}-{n}", first_name="Lead", last_name=f"Number {n}", password=make_password(None)
        )
        for n in range(12)
    )
    leads = Person.objects.bulk_create(
        Person(user=user, partnership=partnership, agency=agencies[n % len(agencies)], role=Person.Role.LEAD)
        for n, user in enumerate(users)
    )
    start = datetime.date(2020, 1, 31)
    for number in range(PLANS):
        actions_per_plan = total_actions // PLANS + (1 if number < total_actions % PLANS else 0)
        inspection = Inspection.objects.create(
            partnership=partnership,
            theme=f"Theme {number}",
            fieldwork_start=datetime.date(2019, 6, 17) + datetime.timedelta(days=number),
            fieldwork_end=datetime.date(2019, 6, 21) + datetime.timedelta(days=number),
            status=Inspection.Status.MONITORING,
        )
        areas = Finding.objects.bulk_create(
            Finding(inspection=inspection, kind=Finding.Kind.AREA_FOR_IMPROVEMENT, number=n, text=f"Area {n}")
            for n in range(1, 7)
        )
        plan = ActionPlan.objects.create(inspection=inspection, title=f"Plan {number + 1}")
        actions = Action.objects.bulk_create(
            Action(
                plan=plan,
                reference=f"{n // 10 + 1}.{n % 10 + 1}",
                position=n,
                description=f"Action {n}: deliver a piece of the plan across the partnership",
                lead=leads[n % len(leads)],
                lead_agency_id=leads[n % len(leads)].agency_id,
                target_date=start + datetime.timedelta(days=rng.randint(0, 1000)),
            )
            for n in range(actions_per_plan)
        )
        Action.areas.through.objects.bulk_create(
            Action.areas.through(action_id=action.pk, finding_id=rng.choice(areas).pk) for action in actions
        )
        positions = {action.pk: rng.randrange(len(OPEN)) for action in actions}
        for n in range(ROUNDS):
            state = (
                MonitoringRound.State.ENDORSED
                if n < ENDORSED
                else MonitoringRound.State.AGREED
                if n < ROUNDS - 1
                else MonitoringRound.State.OPEN
            )
            period_end = start + datetime.timedelta(days=91 * n)
            monitoring_round = MonitoringRound.objects.create(
                plan=plan,
                label=f"Round {n + 1}",
                period_end=period_end,
                update_deadline=period_end - datetime.timedelta(days=10),
                state=state,
                subgroup_meeting_on=period_end + datetime.timedelta(days=14) if n < ROUNDS - 1 else None,
                endorsed_on=period_end + datetime.timedelta(days=30) if n < ENDORSED else None,
            )
            updates = []
            for action in actions:
                positions[action.pk] = min(len(OPEN) - 1, max(0, positions[action.pk] + rng.choice((-1, 0, 1))))
                quadrant = OPEN[positions[action.pk]]
                agreed = state != MonitoringRound.State.OPEN
                updates.append(
                    Update(
                        action=action,
                        round=monitoring_round,
                        status=Update.Status.AGREED if agreed else Update.Status.SUBMITTED,
                        narrative="Progress this quarter.",
                        proposed_quadrant=quadrant,
                        agreed_quadrant=quadrant if agreed else "",
                    )
                )
            Update.objects.bulk_create(updates)
            if state == MonitoringRound.State.ENDORSED:
                frozen_record_save(monitoring_round=monitoring_round, snapshot=round_snapshot(monitoring_round))
    _, secret = token_create(
        partnership=partnership,
        name="Benchmark",
        scopes=["plans"],
        expires_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    return partnership, secret


def fetch(client: Client, secret: str, query: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(f"/api/facts{query}", headers={"Authorization": f"Bearer {secret}"})
    size = len(b"".join(response.streaming_content))
    assert response.status_code == 200  # noqa: S101
    return (time.perf_counter() - started) * 1000, size


def queries(client: Client, secret: str) -> int:
    fetch(client, secret, "")  # the token's first use this minute writes the audit log: not the feed's queries
    with CaptureQueriesContext(connection) as captured:
        fetch(client, secret, "")
    return len(captured)


def main() -> int:
    warnings.filterwarnings("ignore", message="No directory at")
    setup_test_environment()
    scratch = None
    if connection.vendor == "sqlite":
        scratch = tempfile.TemporaryDirectory(prefix="jtai-bench-")
        connection.settings_dict["TEST"]["NAME"] = os.path.join(scratch.name, "bench.sqlite3")
    original_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    failed = False
    try:
        from django.conf import settings

        settings.API_RATE_LIMIT = "100000/minute"
        rng = random.Random(SEED)  # noqa: S311 (seeded test data, not security)
        started = time.perf_counter()
        _, secret = build_partnership("Big", 120, rng)
        built = time.perf_counter() - started
        client = Client()
        print(
            f"database: {connection.vendor} ({test_name}), {PLANS} plans, {PLANS * 40} actions, "
            f"{PLANS * ROUNDS} rounds ({PLANS * ENDORSED} endorsed), built in {built:.1f} s"
        )
        for label, query in (("JSON", ""), ("CSV", "?format=csv")):
            for _ in range(WARM_UPS):
                fetch(client, secret, query)
            runs = [fetch(client, secret, query) for _ in range(RUNS)]
            timings = [ms for ms, _ in runs]
            median = statistics.median(timings)
            print(
                f"/api/facts {label}: {runs[0][1] // 1024} KB, {PLANS * 40 * ROUNDS} rows, median {median:.0f} ms "
                f"(min {min(timings):.0f}, max {max(timings):.0f}) of {RUNS}"
            )
            if label == "JSON" and median > TARGET_MS:
                print(f"  over the {TARGET_MS} ms target")
                failed = True
        big = queries(client, secret)
        _, small_secret = build_partnership("Small", 10, rng)
        small = queries(client, small_secret)
        print(f"queries for one request: {small} with 10 actions, {big} with 120")
        if small != big:
            print("  the queries grow with the actions")
            failed = True
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        if scratch is not None:
            scratch.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
