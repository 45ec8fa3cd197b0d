"""How fast is the partnership's register? Run on demand; not part of the test suite.

Builds a partnership with 3 sources (a JTAI, a rapid review and an ILACS), each of 40 findings and 120
actions (360 actions, in varied words so the search has work to do), some complete, withdrawn, not
implemented (with reasons and the chair who agreed), superseded, and some linked across plans. Then times
/register/ through Django's test client, signed in as a member: its first page, a search for one common
word, a two-word phrase, the status filter, and a search with a filter. 2 warm-up requests, then the
median of 15 (the helpers are bench/board.py's).

    .venv/bin/python bench/register.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jtai_bench .venv/bin/python bench/register.py

Exits with status 1 if any page's median is over the target.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from board import time_page
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment
from django.urls import reverse

from actions.models import Action, ActionPlan
from inspections.models import Agency, Finding, Inspection, Partnership
from people.models import Person

SOURCES = (
    ("jtai", Finding.Kind.PRIORITY_ACTION),
    ("rapid_review", Finding.Kind.RECOMMENDATION),
    ("ilacs", Finding.Kind.PRIORITY_ACTION),
)
FINDINGS = 40
ACTIONS = 120
TARGET_MS = 300
SEED = 2026

VERBS = ["Review", "Audit", "Strengthen", "Embed", "Develop", "Train", "Improve", "Agree", "Publish", "Monitor"]
SUBJECTS = [
    "the multi-agency safeguarding hub",
    "strategy discussions",
    "return home interviews",
    "child protection conferences",
    "early help assessments",
    "exploitation screening",
    "supervision of social workers",
    "health visitor contacts",
    "police referrals",
    "school attendance follow-up",
    "missing episodes",
    "neglect toolkit use",
    "domestic abuse notifications",
    "transitions to adult services",
]
PURPOSES = [
    "so that risk is understood early",
    "so that children's voices are heard",
    "so that decisions are recorded and shared",
    "so that thresholds are applied consistently",
    "so that partners act on information quickly",
    "so that leaders know the quality of practice",
]
THEMES = {
    "jtai": "Child sexual and criminal exploitation",
    "rapid_review": "Serious incident: non-accidental injury",
    "ilacs": "Inspection of local authority children's services",
}


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} {rng.choice(PURPOSES)}."


def build_register(rng: random.Random) -> Person:
    """The partnership, its 3 sources and their plans; returns a viewer."""
    partnership = Partnership.objects.create(name="Benchmark partnership", local_authority="Benchmark Council")
    agencies = Agency.objects.bulk_create(
        Agency(partnership=partnership, name=f"Agency {n}", short_name=f"AG{n}", kind=Agency.Kind.OTHER)
        for n in range(8)
    )
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{n}", first_name="Lead", last_name=f"Number {n}", password=make_password(None))
        for n in range(20)
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
    start = datetime.date(2025, 1, 31)
    all_actions = []
    for number, (kind, finding_kind) in enumerate(SOURCES):
        inspection = Inspection.objects.create(
            partnership=partnership,
            kind=kind,
            theme=THEMES[kind],
            fieldwork_start=datetime.date(2025, 3, 3 + number * 7),
            fieldwork_end=datetime.date(2025, 3, 7 + number * 7),
            status=Inspection.Status.MONITORING,
        )
        findings = Finding.objects.bulk_create(
            Finding(inspection=inspection, kind=finding_kind, number=n, text=" ".join(sentence(rng) for _ in range(2)))
            for n in range(1, FINDINGS + 1)
        )
        plan = ActionPlan.objects.create(inspection=inspection, title=f"{THEMES[kind]} action plan")
        actions = []
        for n in range(ACTIONS):
            lead = leads[n % len(leads)]
            actions.append(
                Action(
                    plan=plan,
                    reference=f"{n // 3 + 1}.{n % 3 + 1}",
                    position=n,
                    description=" ".join(sentence(rng) for _ in range(rng.randint(1, 3))),
                    measure_of_success=sentence(rng),
                    lead=lead,
                    lead_agency_id=lead.agency_id,
                    target_date=start + datetime.timedelta(days=rng.randint(0, 700)),
                )
            )
        actions = Action.objects.bulk_create(actions)
        through = Action.areas.through
        through.objects.bulk_create(
            through(action_id=action.pk, finding_id=findings[n // 3].pk) for n, action in enumerate(actions)
        )
        for n, action in enumerate(actions):
            outcome = n % 12
            if outcome in (0, 1, 2):
                action.completed_on = start + datetime.timedelta(days=rng.randint(30, 300))
                action.sustainability_plan = "Audited yearly."
            elif outcome == 3:
                action.withdrawn_on = start + datetime.timedelta(days=40)
                action.withdrawn_reason = "Duplicated another action at set-up."
            elif outcome == 4:
                action.not_implemented_on = start + datetime.timedelta(days=200)
                action.not_implemented_reason = "The service was recommissioned; the partnership board agreed."
                action.not_implemented_agreed_by = viewer
            elif outcome == 5:
                action.replaced_by = actions[n + 1]
                action.replaced_how = "superseded"
                action.replaced_on = start + datetime.timedelta(days=150)
                action.replaced_reason = "A wider action answers the same finding."
        Action.objects.bulk_update(
            actions,
            [
                "completed_on",
                "sustainability_plan",
                "withdrawn_on",
                "withdrawn_reason",
                "not_implemented_on",
                "not_implemented_reason",
                "not_implemented_agreed_by",
                "replaced_by",
                "replaced_how",
                "replaced_on",
                "replaced_reason",
            ],
        )
        all_actions.append(actions)
    # Every 10th action of the JTAI tracks the same recommendation as one in each other plan.
    related = Action.related_actions.through
    links = []
    for n in range(0, ACTIONS, 10):
        first, second, third = (plan_actions[n] for plan_actions in all_actions)
        for a, b in ((first, second), (first, third), (second, third)):
            links += [related(from_action_id=a.pk, to_action_id=b.pk), related(from_action_id=b.pk, to_action_id=a.pk)]
    related.objects.bulk_create(links)
    return viewer


def main() -> int:
    logging.getLogger("axes").setLevel(logging.WARNING)
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
        viewer = build_register(random.Random(SEED))  # noqa: S311 (seeded test data, not security)
        built = time.perf_counter() - started
        client = Client()
        client.force_login(viewer.user)
        print(
            f"database: {connection.vendor} ({test_name}), {len(SOURCES)} sources, "
            f"{Finding.objects.count()} findings, {Action.objects.count()} actions, built in {built:.1f} s"
        )
        url = reverse("register:index")
        pages = [
            ("first page", url),
            ("word", f"{url}?q=supervision"),
            ("phrase", f"{url}?q=strategy+discussions"),
            ("status", f"{url}?status=overdue"),
            ("word+filter", f"{url}?q=referrals&status=overdue"),
        ]
        slowest = 0.0
        for name, page_url in pages:
            timings, queries = time_page(client, page_url)
            median = statistics.median(timings)
            slowest = max(slowest, median)
            print(
                f"{name:<12} median {median:7.1f} ms   min {min(timings):7.1f} ms   max {max(timings):7.1f} ms   "
                f"queries {queries}"
            )
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page_url)
            print(f"{'':<12} entries found {response.context['page'].paginator.count}")
            worst = max(captured.captured_queries, key=lambda query: float(query["time"]))
            print(f"{'':<12} slowest query {float(worst['time']) * 1000:.1f} ms: {worst['sql'][:160]}")
        verdict = "OK" if slowest < TARGET_MS else "TOO SLOW"
        print(f"target: every page's median under {TARGET_MS} ms: {verdict}")
        return 0 if slowest < TARGET_MS else 1
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        teardown_test_environment()
        if scratch is not None:
            scratch.cleanup()


if __name__ == "__main__":
    sys.exit(main())
