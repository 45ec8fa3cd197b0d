"""Does one partnership's board stay as fast on a national service as on its own? Run on demand, not in the suite.

Builds, on PostgreSQL, a national service: PARTNERSHIPS partnerships (150), each with one plan of 60 actions,
12 monthly rounds (the oldest 10 endorsed through the endorsement service, the 11th agreed, the latest open
with drafts and submissions) and the updates' change history: about 100,000 updates and 250,000 history rows,
written with bulk_create. Then builds the same partnership alone, in a database of its own, from the same seed.
It times the board and My actions of that partnership in both databases (the median of --runs requests through
Django's test client, signed in as one of its leads) and prints them side by side, then EXPLAIN (ANALYZE,
BUFFERS) of the heaviest queries of those pages on the national database, saying of each whether it reads
through an index or scans a table.

    .venv/bin/python bench/national.py                         # build both databases, measure, explain
    .venv/bin/python bench/national.py --reuse                 # measure and explain the databases built before
    .venv/bin/python bench/national.py --partnerships 20       # a smaller country, to try the script
    .venv/bin/python bench/national.py --drop                  # drop both databases and stop

The databases are jtai_bench_national and jtai_bench_lone on --server (PostgreSQL on 127.0.0.1:5432 as
postgres by default; the user needs the right to create databases). They are kept after a run so that
--reuse can measure again without building; --drop removes them.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import random
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SERVER = "postgres://postgres@127.0.0.1:5432"
NATIONAL = "jtai_bench_national"
LONE = "jtai_bench_lone"
PARTNERSHIPS = 150
ACTIONS = 60
ROUNDS = 12
ENDORSED = 10
PEOPLE = 40
LEADS = 20
AGENCIES = 8
SEED = 1717
#: A table with more rows than one partnership has (every partnership's rounds, actions, people...) is "big": a
#: page of one partnership that reads all of it grows with the country, so a sequential scan of it is a finding.
BIG_TABLE = 1_000
#: The planner's price of a page read through an index on SSD or with the data in memory (PostgreSQL's default: 4).
SSD_PAGE_COST = 1.1
#: The plans EXPLAIN prints in full, per page.
HEAVIEST = 3


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=SERVER, help=f"PostgreSQL server URL, no database (default {SERVER})")
    parser.add_argument("--partnerships", type=int, default=PARTNERSHIPS)
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page (after 3 warm-ups)")
    parser.add_argument("--reuse", action="store_true", help="measure the databases built before; build nothing")
    parser.add_argument("--drop", action="store_true", help="drop both databases and stop")
    return parser.parse_args()


ARGS = parse_args() if __name__ == "__main__" else None
os.environ["DATABASE_URL"] = f"{(ARGS.server if ARGS else SERVER).rstrip('/')}/{NATIONAL}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jtai_tracker.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from actions.models import Action, ActionPlan, MonitoringRound, Update  # noqa: E402
from actions.quadrants import Quadrant  # noqa: E402
from actions.services import round_endorse  # noqa: E402
from bench.pgserver import drop, exists, recreate  # noqa: E402
from inspections.models import Agency, Finding, Inspection, Partnership  # noqa: E402
from people.models import Person  # noqa: E402

OPEN = [Quadrant.GREEN, Quadrant.YELLOW, Quadrant.AMBER, Quadrant.RED]


def use(name: str) -> None:
    """Point Django's default connection at another database of the same server."""
    connection.close()
    connection.settings_dict["NAME"] = name


def month_end(year: int, month: int) -> datetime.date:
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def round_dates(today: datetime.date) -> list[datetime.date]:
    """ROUNDS month ends, the latest the end of last month: the open round is the one just ended."""
    ends = []
    year, month = today.year, today.month
    for _ in range(ROUNDS):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        ends.append(month_end(year, month))
    return list(reversed(ends))


def build(indexes: list[int]) -> dict[str, int]:
    """The partnerships numbered ``indexes``, each from its own seed, so partnership n is the same wherever built.

    Every table is written in one bulk_create per stage across all the partnerships: a few dozen statements per
    thousand rows, not one per row.
    """
    User = get_user_model()
    today = timezone.localdate()
    ends = round_dates(today)
    rngs = {n: random.Random(SEED + n) for n in indexes}  # noqa: S311 (seeded test data, not security)
    started = time.perf_counter()
    partnerships = Partnership.objects.bulk_create(
        Partnership(name=f"Partnership {n:03d}", local_authority=f"Council {n:03d}") for n in indexes
    )
    by_index = dict(zip(indexes, partnerships, strict=True))
    agencies = Agency.objects.bulk_create(
        Agency(partnership=by_index[n], name=f"Agency {n:03d}-{a}", short_name=f"A{a}")
        for n in indexes
        for a in range(AGENCIES)
    )
    agencies_of = {n: agencies[i * AGENCIES : (i + 1) * AGENCIES] for i, n in enumerate(indexes)}
    users = User.objects.bulk_create(
        (
            User(
                username=f"p{n:03d}-{k:02d}",
                first_name="Person",
                last_name=f"{n:03d}-{k:02d}",
                email=f"p{n:03d}-{k:02d}@example.org",
                password="!unusable",  # noqa: S106 (an unusable password: the bench signs in with force_login)
            )
            for n in indexes
            for k in range(PEOPLE)
        ),
        batch_size=2000,
    )

    def role(k: int) -> str:
        if k == 0:
            return Person.Role.MANAGER
        if k == 1:
            return Person.Role.CHAIR
        if k == 2:
            return Person.Role.OFFICER
        return Person.Role.LEAD if k < 3 + LEADS else Person.Role.VIEWER

    people = Person.objects.bulk_create(
        (
            Person(
                user=users[i * PEOPLE + k],
                partnership=by_index[n],
                agency=agencies_of[n][k % AGENCIES],
                role=role(k),
            )
            for i, n in enumerate(indexes)
            for k in range(PEOPLE)
        ),
        batch_size=2000,
    )
    people_of = {n: people[i * PEOPLE : (i + 1) * PEOPLE] for i, n in enumerate(indexes)}
    inspections = Inspection.objects.bulk_create(
        Inspection(
            partnership=by_index[n],
            theme="Child sexual and criminal exploitation",
            fieldwork_start=ends[0] - datetime.timedelta(days=200),
            fieldwork_end=ends[0] - datetime.timedelta(days=196),
            status=Inspection.Status.MONITORING,
        )
        for n in indexes
    )
    findings = Finding.objects.bulk_create(
        Finding(inspection=inspection, kind=kind, number=number, text=f"Finding {number}")
        for inspection in inspections
        for kind, number in [(Finding.Kind.PRIORITY_ACTION, 1), (Finding.Kind.PRIORITY_ACTION, 2)]
        + [(Finding.Kind.AREA_FOR_IMPROVEMENT, m) for m in range(1, 13)]
    )
    findings_of = {n: findings[i * 14 : (i + 1) * 14] for i, n in enumerate(indexes)}
    plans = ActionPlan.objects.bulk_create(
        ActionPlan(inspection=inspection, title=f"Plan of partnership {n:03d}")
        for n, inspection in zip(indexes, inspections, strict=True)
    )
    plan_of = dict(zip(indexes, plans, strict=True))
    actions = []
    for n in indexes:
        rng = rngs[n]
        for k in range(ACTIONS):
            lead = people_of[n][3 + k % LEADS]
            actions.append(
                Action(
                    plan=plan_of[n],
                    reference=f"{k // 10 + 1}.{k % 10 + 1}",
                    position=k,
                    description=f"Action {k} of partnership {n}: deliver a piece of the plan across the partnership",
                    lead=lead,
                    lead_agency_id=lead.agency_id,
                    target_date=ends[0] + datetime.timedelta(days=rng.randint(60, 600)),
                )
            )
    actions = Action.objects.bulk_create(actions, batch_size=2000)
    actions_of = {n: actions[i * ACTIONS : (i + 1) * ACTIONS] for i, n in enumerate(indexes)}
    areas_through, supporting_through = Action.areas.through, Action.supporting_agencies.through
    areas_through.objects.bulk_create(
        (
            areas_through(action_id=action.pk, finding_id=finding.pk)
            for n in indexes
            for action in actions_of[n]
            for finding in rngs[n].sample(findings_of[n], rngs[n].choice((1, 1, 2)))
        ),
        batch_size=5000,
    )
    supporting_through.objects.bulk_create(
        (
            supporting_through(action_id=action.pk, agency_id=agency.pk)
            for n in indexes
            for action in actions_of[n]
            for agency in rngs[n].sample(
                [a for a in agencies_of[n] if a.pk != action.lead_agency_id], rngs[n].choice((0, 1, 2))
            )
        ),
        batch_size=5000,
    )
    rounds = MonitoringRound.objects.bulk_create(
        MonitoringRound(
            plan=plan_of[n],
            label=f"{end:%B %Y}",
            period_end=end,
            update_deadline=end + datetime.timedelta(days=10),
            cadence=MonitoringRound.Cadence.MONTHLY,
            state=MonitoringRound.State.OPEN if r == ROUNDS - 1 else MonitoringRound.State.AGREED,
            subgroup_meeting_on=None if r == ROUNDS - 1 else end + datetime.timedelta(days=14),
        )
        for n in indexes
        for r, end in enumerate(ends)
    )
    rounds_of = {n: rounds[i * ROUNDS : (i + 1) * ROUNDS] for i, n in enumerate(indexes)}

    updates, history, completed = [], [], {}
    HistoricalUpdate = Update.history.model
    when = timezone.now()
    for n in indexes:
        rng, chair = rngs[n], people_of[n][1]
        for action in actions_of[n]:
            position = rng.randrange(len(OPEN))
            for r, monitoring_round in enumerate(rounds_of[n]):
                latest = r == ROUNDS - 1
                if latest and action.pk not in completed and rng.random() < 0.3:
                    continue  # not started yet
                if action.pk in completed:
                    quadrant, carried = Quadrant.COMPLETE, True
                elif r >= 3 and rng.random() < 0.04:
                    quadrant, carried = Quadrant.COMPLETE, False
                    completed[action.pk] = monitoring_round.period_end
                else:
                    position = min(len(OPEN) - 1, max(0, position + rng.choice((-1, 0, 0, 1))))
                    quadrant, carried = OPEN[position], False
                if latest and not carried:
                    status = Update.Status.SUBMITTED if rng.random() < 0.6 else Update.Status.DRAFT
                else:
                    status = Update.Status.AGREED
                update = Update(
                    action=action,
                    round=monitoring_round,
                    status=status,
                    narrative="" if carried else f"Progress in {monitoring_round.label}: the work moved on.",
                    next_steps="" if carried else "Carry on with the plan.",
                    proposed_quadrant="" if carried or status == Update.Status.DRAFT else quadrant,
                    agreed_quadrant=quadrant if status == Update.Status.AGREED else "",
                    carried_forward=carried,
                    submitted_by=None if carried or status == Update.Status.DRAFT else action.lead,
                    agreed_by=chair if status == Update.Status.AGREED else None,
                )
                updates.append(update)
    updates = Update.objects.bulk_create(updates, batch_size=5000)
    lead_user = {person.pk: person.user_id for n in indexes for person in people_of[n]}
    columns = [field.attname for field in Update._meta.concrete_fields]
    for update in updates:
        row = {column: getattr(update, column) for column in columns}
        # The history a lead's draft, submission and the chair's agreement leave; a carried-forward row has one.
        steps = [("+", lead_user[update.action.lead_id], Update.Status.DRAFT)]
        if not update.carried_forward and update.status != Update.Status.DRAFT:
            steps.append(("~", lead_user[update.action.lead_id], Update.Status.SUBMITTED))
        if update.status == Update.Status.AGREED and not update.carried_forward:
            steps.append(("~", update.agreed_by.user_id, Update.Status.AGREED))
        for kind, user_id, status in steps:
            history.append(
                HistoricalUpdate(
                    **{**row, "status": status}, history_date=when, history_type=kind, history_user_id=user_id
                )
            )
    HistoricalUpdate.objects.bulk_create(history, batch_size=5000)
    action_columns = [field.attname for field in Action._meta.concrete_fields]
    Action.history.model.objects.bulk_create(
        (
            Action.history.model(
                **{column: getattr(action, column) for column in action_columns},
                history_date=when,
                history_type="+",
                history_user_id=people_of[n][0].user_id,
            )
            for n in indexes
            for action in actions_of[n]
        ),
        batch_size=5000,
    )
    for action in actions:
        if action.pk in completed:
            action.completed_on = completed[action.pk]
            action.sustainability_plan = "Audited yearly."
    Action.objects.bulk_update(
        [a for a in actions if a.pk in completed], ["completed_on", "sustainability_plan"], batch_size=2000
    )
    bulk = time.perf_counter() - started

    # The endorsements through the service, so each round's frozen record is what the service keeps (wherever it
    # keeps it), oldest first as a partnership's board would endorse them.
    started = time.perf_counter()
    for n in indexes:
        manager = people_of[n][0]
        for monitoring_round in rounds_of[n][:ENDORSED]:
            with transaction.atomic():
                round_endorse(
                    monitoring_round=monitoring_round,
                    by=manager,
                    endorsed_on=monitoring_round.subgroup_meeting_on + datetime.timedelta(days=7),
                    meeting="the partnership board",
                )
    endorse = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a load: the planner's statistics
    return {
        "updates": len(updates),
        "history": len(history),
        "bulk_seconds": round(bulk, 1),
        "endorse_seconds": round(endorse, 1),
    }


def measured_index(partnerships: int) -> int:
    return partnerships // 2


PAGES = ("home", "board", "my actions", "action page")


def pages_of(index: int) -> tuple[Person, list[tuple[str, str]]]:
    """The lead to sign in as (the first lead of the partnership) and the pages to time: the plan's board, the
    lead's home page and My actions, and the page of their first action (its updates and their history)."""
    partnership = Partnership.objects.get(name=f"Partnership {index:03d}")
    lead = (
        Person.objects.filter(partnership=partnership, role=Person.Role.LEAD).select_related("user").order_by("pk")
    ).first()
    plan = ActionPlan.objects.get(inspection__partnership=partnership)
    action = Action.objects.filter(lead=lead).order_by("position").first()
    return lead, [
        ("home", reverse("home")),
        ("board", reverse("reports:board", args=[plan.pk])),
        ("my actions", reverse("actions:mine")),
        ("action page", reverse("actions:detail", args=[action.pk])),
    ]


def time_pages(index: int, runs: int) -> dict[str, dict]:
    """Median, minimum and maximum milliseconds of ``runs`` requests per page, and the queries of one request."""
    lead, pages = pages_of(index)
    client = Client()
    client.force_login(lead.user)
    results = {}
    for name, url in pages:
        for _ in range(3):
            assert client.get(url).status_code == 200, url  # noqa: S101
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url  # noqa: S101
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        results[name] = {
            "median": statistics.median(timings),
            "min": min(timings),
            "max": max(timings),
            "queries": [query["sql"] for query in captured.captured_queries],
        }
    return results


def table_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'")
        return dict(cursor.fetchall())


SCAN = re.compile(r"(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan) (?:using (\S+) )?on (\S+)")


def explain(sql: str, random_page_cost: float | None = None) -> tuple[float, list[str]]:
    """The plan of the query's fastest of three runs (a busy machine slows some), and its execution time in ms.

    ``random_page_cost``: the planner's price of reading a page through an index, for this query only
    (PostgreSQL's default is 4, for disks; 1.1 is the usual setting where the data sits in memory or on SSD).
    """
    runs = []
    with connection.cursor() as cursor:
        if random_page_cost is not None:
            cursor.execute(f"SET random_page_cost = {float(random_page_cost)}")
        for _ in range(3):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            lines = [row[0] for row in cursor.fetchall()]
            total = next(
                (float(line.split(":")[1].split()[0]) for line in lines if line.startswith("Execution Time")), 0.0
            )
            runs.append((total, lines))
        if random_page_cost is not None:
            cursor.execute("RESET random_page_cost")
    return min(runs, key=lambda run: run[0])


def verdict(lines: list[str], rows: dict[str, int]) -> str:
    """Which tables the plan scans, by which index, and whether any big table is read from end to end."""
    parts, big, heap = [], [], "?"
    for line in lines:
        for kind, index, table in SCAN.findall(line):
            if kind == "Bitmap Heap Scan":
                heap = table  # its bitmap index scan, on the lines below, names the index
            elif kind == "Bitmap Index Scan":
                parts.append(f"{heap}: bitmap index scan {table}")
            elif kind == "Seq Scan":
                size = rows.get(table, 0)
                parts.append(f"{table}: sequential scan ({size:,} rows)")
                if size > BIG_TABLE:
                    big.append(table)
            else:
                parts.append(f"{table}: {kind.lower()} {index}")
    used = "; ".join(dict.fromkeys(parts)) or "no table read"
    if big:
        return f"SEQUENTIAL SCAN OF A BIG TABLE ({', '.join(big)}): {used}"
    return f"{'indexes' if 'index' in used else 'small tables only'}: {used}"


def explain_pages(results: dict[str, dict]) -> None:
    rows = table_rows()
    for name, result in results.items():
        explained = []
        for sql in result["queries"]:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            total, lines = explain(sql)
            explained.append((total, sql, lines))
        explained.sort(key=lambda item: item[0], reverse=True)
        print(f"\n=== {name}: {len(result['queries'])} queries; the {HEAVIEST} heaviest by EXPLAIN ANALYZE ===")
        for total, sql, lines in explained[:HEAVIEST]:
            print(f"\n--- {total:.2f} ms: {sql[:300]}{'...' if len(sql) > 300 else ''}")
            print("\n".join(f"    {line}" for line in lines))
            said = verdict(lines, rows)
            print(f"    => {said}")
            if said.startswith("SEQUENTIAL"):
                # An index the planner passed over as dearer than a scan, at the default price of an index read?
                cheaper, other = explain(sql, random_page_cost=SSD_PAGE_COST)
                print(
                    f"    with random_page_cost = {SSD_PAGE_COST} (data in memory or on SSD): {cheaper:.2f} ms, "
                    f"{verdict(other, rows)}"
                )
        rest = explained[HEAVIEST:]
        if rest:
            print(f"\n    the other {len(rest)} SELECTs: {sum(item[0] for item in rest):.2f} ms in all")
            for total, _, lines in rest:
                print(f"    {total:6.2f} ms  {verdict(lines, rows)}")


def main() -> int:
    args = ARGS
    logging.getLogger("axes").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")
    if args.drop:
        drop(args.server, NATIONAL)
        drop(args.server, LONE)
        print(f"dropped {NATIONAL} and {LONE}")
        return 0
    setup_test_environment()
    index = measured_index(args.partnerships)
    if not args.reuse:
        for name, indexes in ((NATIONAL, list(range(args.partnerships))), (LONE, [index])):
            recreate(args.server, name)
            use(name)
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            migrated = time.perf_counter() - started
            built = build(indexes)
            print(
                f"{name}: {len(indexes)} partnership(s), {built['updates']:,} updates, {built['history']:,} update "
                f"history rows; migrate {migrated:.0f} s, bulk {built['bulk_seconds']} s, "
                f"{ENDORSED} endorsements each {built['endorse_seconds']} s"
            )
    elif not (exists(args.server, NATIONAL) and exists(args.server, LONE)):
        print(f"--reuse: {NATIONAL} and {LONE} must exist; run without --reuse first")
        return 1
    else:
        for name in (NATIONAL, LONE):
            use(name)
            call_command("migrate", verbosity=0)  # a migration added since (an index) applies to the data built
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    results = {}
    for name in (NATIONAL, LONE):
        use(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM inspections_partnership")
            count = cursor.fetchone()[0]
        results[name] = time_pages(index, args.runs)
        results[name]["partnerships"] = count
    use(NATIONAL)
    national, lone = results[NATIONAL], results[LONE]
    print(
        f"\nPartnership {index:03d} ({ACTIONS} actions, {ROUNDS} monthly rounds), signed in as its first lead; "
        f"median of {args.runs} (min-max), ms"
    )
    print(
        f"{'page':<12}{'national (' + str(national['partnerships']) + ' partnerships)':>34}"
        f"{'lone':>26}{'ratio':>8}{'queries':>10}"
    )
    for page in PAGES:
        n, lo = national[page], lone[page]
        print(
            f"{page:<12}{n['median']:>16.1f} ({n['min']:.1f}-{n['max']:.1f}){'':>6}"
            f"{lo['median']:>12.1f} ({lo['min']:.1f}-{lo['max']:.1f})"
            f"{n['median'] / lo['median']:>8.2f}{len(n['queries']):>6} / {len(lo['queries'])}"
        )
    explain_pages({page: national[page] for page in PAGES})
    return 0


if __name__ == "__main__":
    sys.exit(main())
