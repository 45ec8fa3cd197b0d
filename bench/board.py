"""How fast is the quadrant board for a big plan? Run on demand; not part of the test suite.

Builds a plan of 500 actions with 8 monitoring rounds (one agreed update per action per round,
quadrants random but seeded) in a throwaway database, then times the board through Django's test
client, signed in as a member: 2 warm-up requests, then the median of 15.

    .venv/bin/python bench/board.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jtai_bench .venv/bin/python bench/board.py

It never touches db.sqlite3 or the database DATABASE_URL names: Django's test-database machinery
creates a separate one (a temporary SQLite file, or PostgreSQL's test_<name>) and drops it after.
Exits with status 1 if the board's median is over the target.
"""

from __future__ import annotations

import datetime
import logging
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
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from actions.models import Action, ActionPlan, MonitoringRound, Update  # noqa: E402
from actions.quadrants import Quadrant  # noqa: E402
from inspections.models import Agency, Finding, Inspection, Partnership  # noqa: E402
from people.models import Person  # noqa: E402

ACTIONS = 500
ROUNDS = 8
WARM_UPS = 2
RUNS = 15
TARGET_MS = 300
SEED = 2020

OPEN = [Quadrant.GREEN, Quadrant.YELLOW, Quadrant.AMBER, Quadrant.RED]


def build_plan(rng: random.Random) -> tuple[ActionPlan, Person]:
    """A partnership with one plan of ACTIONS actions and ROUNDS agreed rounds; returns the plan and a viewer."""
    partnership = Partnership.objects.create(name="Benchmark partnership", local_authority="Benchmark Council")
    agencies = Agency.objects.bulk_create(
        Agency(partnership=partnership, name=f"Agency {n}", short_name=f"AG{n}", kind=Agency.Kind.OTHER)
        for n in range(8)
    )
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{n}", first_name="Lead", last_name=f"Number {n}", password=make_password(None))
        for n in range(26)
    )
    people = Person.objects.bulk_create(
        Person(
            user=user,
            partnership=partnership,
            agency=agencies[n % len(agencies)],
            role=Person.Role.VIEWER if n == 0 else Person.Role.LEAD,
        )
        for n, user in enumerate(users)
    )
    viewer, leads = people[0], people[1:]
    inspection = Inspection.objects.create(
        partnership=partnership,
        theme="Child sexual and criminal exploitation",
        fieldwork_start=datetime.date(2019, 6, 17),
        fieldwork_end=datetime.date(2019, 6, 21),
        status=Inspection.Status.MONITORING,
    )
    areas = Finding.objects.bulk_create(
        [
            Finding(inspection=inspection, kind=Finding.Kind.AREA_FOR_IMPROVEMENT, number=n, text=f"Area {n}")
            for n in range(1, 13)
        ]
        + [
            Finding(inspection=inspection, kind=Finding.Kind.PRIORITY_ACTION, number=n, text=f"Priority {n}")
            for n in (1, 2)
        ]
    )
    plan = ActionPlan.objects.create(inspection=inspection, title="Benchmark action plan")
    start = datetime.date(2020, 1, 31)
    actions = []
    for n in range(ACTIONS):
        lead = leads[n % len(leads)]
        actions.append(
            Action(
                plan=plan,
                reference=f"{n // 40 + 1}.{n % 40 + 1}",
                position=n,
                description=f"Benchmark action {n}: deliver a piece of the plan across the partnership",
                lead=lead,
                lead_agency_id=lead.agency_id,
                target_date=start + datetime.timedelta(days=rng.randint(0, 1200)),
            )
        )
    actions = Action.objects.bulk_create(actions)
    through = Action.areas.through
    through.objects.bulk_create(
        through(action_id=action.pk, finding_id=area.pk)
        for action in actions
        for area in rng.sample(areas, rng.choice((1, 1, 2)))
    )
    rounds = MonitoringRound.objects.bulk_create(
        MonitoringRound(
            plan=plan,
            label=f"Round {n + 1}",
            period_end=start + datetime.timedelta(days=91 * n),
            update_deadline=start + datetime.timedelta(days=91 * n - 10),
            state=MonitoringRound.State.ENDORSED if n < ROUNDS - 1 else MonitoringRound.State.AGREED,
            endorsed_on=start + datetime.timedelta(days=91 * n + 20) if n < ROUNDS - 1 else None,
        )
        for n in range(ROUNDS)
    )
    updates, completed = [], {}
    for action in actions:
        position = rng.randrange(len(OPEN))
        for n, monitoring_round in enumerate(rounds):
            if action.pk in completed:
                quadrant = Quadrant.COMPLETE
            elif n >= 3 and rng.random() < 0.06:
                quadrant = Quadrant.COMPLETE
                completed[action.pk] = monitoring_round.period_end
            else:
                position = min(len(OPEN) - 1, max(0, position + rng.choice((-1, 0, 0, 1))))
                quadrant = OPEN[position]
            updates.append(
                Update(
                    action=action,
                    round=monitoring_round,
                    status=Update.Status.AGREED,
                    narrative="Progress this quarter.",
                    proposed_quadrant=quadrant,
                    agreed_quadrant=quadrant,
                    agreed_by=viewer,
                )
            )
    Update.objects.bulk_create(updates, batch_size=1000)
    for action in actions:
        if action.pk in completed:
            action.completed_on = completed[action.pk]
            action.sustainability_plan = "Audited yearly."
    Action.objects.bulk_update([a for a in actions if a.pk in completed], ["completed_on", "sustainability_plan"])
    return plan, viewer


def time_page(client: Client, url: str) -> tuple[list[float], int]:
    """Milliseconds for each of RUNS requests after WARM_UPS, and the queries one request makes."""
    for _ in range(WARM_UPS):
        assert client.get(url).status_code == 200  # noqa: S101
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200  # noqa: S101
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return timings, len(captured)


def main() -> int:
    logging.getLogger("axes").setLevel(logging.WARNING)  # one sign-in line per run is noise here
    warnings.filterwarnings("ignore", message="No directory at")
    setup_test_environment()
    scratch = None
    if connection.vendor == "sqlite":
        scratch = tempfile.TemporaryDirectory(prefix="jtai-bench-")
        connection.settings_dict["TEST"]["NAME"] = os.path.join(scratch.name, "bench.sqlite3")
    original_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        plan, viewer = build_plan(random.Random(SEED))  # noqa: S311 (seeded test data, not security)
        built = time.perf_counter() - started
        client = Client()
        client.force_login(viewer.user)
        print(
            f"database: {connection.vendor} ({test_name}), {ACTIONS} actions, {ROUNDS} rounds, "
            f"{Update.objects.count()} updates, built in {built:.1f} s"
        )
        board_url = reverse("reports:board", args=[plan.pk])
        agency = plan.actions.values_list("lead_agency_id", flat=True).first()
        pages = [
            ("board", board_url),
            ("list view", f"{board_url}?view=list"),
            ("filtered", f"{board_url}?lead_agency={agency}&overdue=on"),
        ]
        board_median = None
        for name, url in pages:
            timings, queries = time_page(client, url)
            median = statistics.median(timings)
            board_median = board_median if board_median is not None else median
            print(
                f"{name:<10} median {median:7.1f} ms   min {min(timings):7.1f} ms   max {max(timings):7.1f} ms   "
                f"queries {queries}"
            )
        verdict = "OK" if board_median < TARGET_MS else "TOO SLOW"
        print(f"target: board median under {TARGET_MS} ms: {verdict}")
        return 0 if board_median < TARGET_MS else 1
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        teardown_test_environment()
        if scratch is not None:
            scratch.cleanup()


if __name__ == "__main__":
    sys.exit(main())
