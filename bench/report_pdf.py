"""Benchmark: how long the committee report's PDF takes, and how much memory, for plans of 22, 100 and 500 actions.

Run on demand, not in the tests::

    .venv/bin/python bench/report_pdf.py            # 22, 100 and 500 actions
    .venv/bin/python bench/report_pdf.py 100 1000   # other sizes

Each size runs in its own subprocess with its own throwaway SQLite database
(created, migrated and filled there, deleted afterwards), so one size's
memory never counts against another's. The child times the report twice in a
row: "cold" includes WeasyPrint's one-off start (imports, fonts) as the first
PDF after a worker starts would; "warm" is every PDF after that. Peak memory
is the child's maximum resident set size (``ru_maxrss``), which includes
Django, the migrations and the data building.

Targets: 100 actions under 2 s, 500 actions under 10 s and under 300 MB, judged on
the warm wall-clock time. The CPU time is printed too: on a machine busy with
other work the wall clock runs well ahead of it.

``--request`` measures what a person sees instead, through the draft PDF's address
(a signed-in officer, Django's test client, the database task backend)::

    .venv/bin/python bench/report_pdf.py --request 500

the time until the request answers (a job's page since jobs/; the PDF itself before),
the worker's run of the job (the PDF laid out in its bounded child: the child's CPU
time and peak memory), and the time to ask again for the unchanged draft (the same
job, already done). Code without jobs/ answers with the PDF: only the first column.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (22, 100, 500)
TARGETS = {100: (2.0, None), 500: (10.0, 300.0)}
AREAS = 14

# Text of the lengths a real plan has (Northumberland's actions and updates).
DESCRIPTION = (
    "Review the multi agency referral form and the MSET risk assessment toolkit so that they focus on a wider "
    "range of child exploitation risks, followed by a relaunch ({n})"
)
NARRATIVE = (
    "The revised toolkit was tested on 15 cases; scores for children at risk of criminal exploitation rose from "
    "low to medium in four of them. Training for MSET members is planned and the guidance has been updated."
)
BARRIERS = "COVID 19 lockdown has prevented the workshops taking place"
NEXT_STEPS = "Agree an alternative way of delivering the workshops and a revised target date."


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return child(int(argv[1]))
    if argv[:1] == ["--request-child"]:
        return request_child(int(argv[1]))
    if argv[:1] == ["--request"]:
        return requests(argv[1:])
    sizes = [int(arg) for arg in argv] or list(DEFAULT_SIZES)
    # Wall-clock times mean little on a busy machine: say how busy it was, and give the CPU time too.
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    print(f"{'actions':>8} {'pages':>6} {'cold s':>8} {'warm s':>8} {'warm CPU s':>10} {'peak MB':>8}  target")
    failed = False
    for size in sizes:
        completed = subprocess.run(  # noqa: S603 - our own script, our own interpreter
            [sys.executable, __file__, "--child", str(size)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            print(completed.stdout, completed.stderr, sep="\n")
            return completed.returncode
        result = json.loads(completed.stdout.strip().splitlines()[-1])
        children_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        peak = max(result["peak_mb"], 0) or children_peak_mb
        limit_s, limit_mb = TARGETS.get(size, (None, None))
        verdict = []
        if limit_s is not None:
            ok = result["warm_s"] < limit_s
            failed |= not ok
            verdict.append(f"{'ok' if ok else 'MISSED'} < {limit_s:g} s")
        if limit_mb is not None:
            ok = peak < limit_mb
            failed |= not ok
            verdict.append(f"{'ok' if ok else 'MISSED'} < {limit_mb:g} MB")
        print(
            f"{size:>8} {result['pages']:>6} {result['cold_s']:>8.2f} {result['warm_s']:>8.2f} "
            f"{result['warm_cpu_s']:>10.2f} {peak:>8.0f}  " + ", ".join(verdict)
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 1 if failed else 0


def child(size: int) -> int:
    with tempfile.TemporaryDirectory(prefix="jtai-bench-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jtai_tracker.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        report = build(size)

        from reports.pdf import html_to_pdf
        from reports.report_context import render_report_html, report_context

        timings, cpu = [], []
        pdf = b""
        for _ in range(2):
            started, started_cpu = time.perf_counter(), time.process_time()
            context = report_context(report, interactive=False)
            html = render_report_html(context)
            pdf = html_to_pdf(html, title=report.title, timeout=600)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        if os.environ.get("BENCH_KEEP"):
            Path(os.environ["BENCH_KEEP"]).write_text(html, encoding="utf-8")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            json.dumps(
                {
                    "actions": size,
                    "pages": _pages(pdf, folder),
                    "cold_s": timings[0],
                    "warm_s": timings[1],
                    "warm_cpu_s": cpu[1],
                    "peak_mb": peak_mb,
                }
            )
        )
    return 0


def requests(argv: list[str]) -> int:
    sizes = [int(arg) for arg in argv] or [500]
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    print(
        f"{'actions':>8} {'answer s':>9} {'answered with':>14} {'job s':>7} {'child CPU s':>11} "
        f"{'child peak MB':>13} {'again s':>8}"
    )
    for size in sizes:
        completed = subprocess.run(  # noqa: S603 - our own script, our own interpreter
            [sys.executable, __file__, "--request-child", str(size)], cwd=ROOT, capture_output=True, text=True
        )
        if completed.returncode != 0:
            print(completed.stdout, completed.stderr, sep="\n")
            return completed.returncode
        r = json.loads(completed.stdout.strip().splitlines()[-1])
        print(
            f"{size:>8} {r['answer_s']:>9.3f} {r['answered_with']:>14} {_or_dash(r.get('job_s'), 7, 2)} "
            f"{_or_dash(r.get('child_cpu_s'), 11, 2)} {_or_dash(r.get('child_peak_mb'), 13, 0)} "
            f"{_or_dash(r.get('again_s'), 8, 3)}"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


def _or_dash(value, width: int, places: int) -> str:
    return f"{value:>{width}.{places}f}" if value is not None else f"{'-':>{width}}"


def request_child(size: int) -> int:
    with tempfile.TemporaryDirectory(prefix="jtai-bench-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ["MEDIA_ROOT"] = f"{folder}/media"
        os.environ["TASKS_BACKEND"] = "database"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jtai_tracker.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        call_command("migrate", verbosity=0)
        report = build(size)
        report.save()
        client = Client()
        client.force_login(report.plan.inspection.partnership.people.get().user)
        address = reverse("reports:committee_report_pdf", args=[report.round_id])
        client.get(reverse("reports:committee_report", args=[report.round_id]))  # warm the session and templates

        started = time.perf_counter()
        response = client.get(address)
        result = {"answer_s": time.perf_counter() - started}
        if response.status_code == 200:
            result["answered_with"] = "the PDF"
        else:
            from django.urls import resolve

            from jobs.services import job_run

            result["answered_with"] = "a job's page"
            job_id = resolve(response["Location"]).kwargs["pk"]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            job = job_run(job_id=job_id)
            result["job_s"] = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if job.state != "done":
                raise RuntimeError(job.error)
            result["child_cpu_s"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            result["child_peak_mb"] = after.ru_maxrss / 1024
            started = time.perf_counter()
            again = client.get(address)
            result["again_s"] = time.perf_counter() - started
            if again["Location"] != response["Location"]:
                raise RuntimeError("asking again made a new job")
        print(json.dumps(result))
    return 0


def _pages(pdf: bytes, folder: str) -> str:
    """The page count, from poppler's pdfinfo when it is installed."""
    path = Path(folder) / "report.pdf"
    path.write_bytes(pdf)
    try:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def build(size: int):
    """A plan of ``size`` actions over 14 areas for improvement, two agreed rounds and two impact measures."""
    import datetime
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from actions.models import Action, ActionPlan, ImpactMeasure, ImpactValue, MonitoringRound, Update
    from actions.quadrants import Quadrant
    from inspections.models import Agency, Finding, Inspection, Partnership
    from people.models import Person
    from reports.models import CommitteeReport

    D = datetime.date
    partnership = Partnership.objects.create(
        name="Benchmark Safeguarding Children Partnership",
        local_authority="Benchmark County Council",
        board_name="Benchmark Safeguarding Children Committee",
    )
    agencies = [
        Agency.objects.create(partnership=partnership, name=name, short_name=short)
        for name, short in (
            ("Benchmark County Council children's services", "BCC"),
            ("Benchmark Police", "Police"),
            ("Benchmark Integrated Care Board", "ICB"),
            ("Benchmark Youth Justice Service", "YJS"),
        )
    ]
    user = get_user_model().objects.create(username="officer", first_name="Olivia", last_name="Officer")
    officer = Person.objects.create(
        user=user, partnership=partnership, agency=agencies[0], role=Person.Role.OFFICER, job_title="Officer"
    )
    inspection = Inspection.objects.create(
        partnership=partnership,
        theme="Child sexual and criminal exploitation",
        fieldwork_start=D(2019, 6, 17),
        fieldwork_end=D(2019, 6, 21),
        letter_published=D(2019, 8, 2),
    )
    areas = [
        Finding.objects.create(
            inspection=inspection,
            kind=Finding.Kind.AREA_FOR_IMPROVEMENT,
            number=n,
            text="Child criminal exploitation is not comprehensively understood by practitioners in all agencies "
            f"across the partnership, so exploitation may not be recognised or responded to ({n}).",
        )
        for n in range(1, AREAS + 1)
    ]
    plan = ActionPlan.objects.create(inspection=inspection, title="JTAI action plan: child exploitation")
    actions = Action.objects.bulk_create(
        Action(
            plan=plan,
            reference=f"{n % AREAS + 1}.{n // AREAS + 1}",
            position=n,
            description=DESCRIPTION.format(n=n + 1),
            lead=officer,
            lead_agency=agencies[n % len(agencies)],
            target_date=D(2020, 6, 30) + datetime.timedelta(days=30 * (n % 12)),
            measure_of_success="Frontline practitioners from every agency use the toolkit.",
        )
        for n in range(size)
    )
    links = Action.areas.through
    links.objects.bulk_create(
        links(action_id=action.pk, finding_id=areas[n % AREAS].pk) for n, action in enumerate(actions)
    )
    order = [Quadrant.GREEN, Quadrant.YELLOW, Quadrant.GREEN, Quadrant.AMBER, Quadrant.YELLOW, Quadrant.RED]
    for index, (label, period_end) in enumerate((("March 2020", D(2020, 3, 31)), ("May 2020", D(2020, 5, 31)))):
        monitoring_round = MonitoringRound.objects.create(
            plan=plan,
            label=label,
            period_end=period_end,
            update_deadline=period_end - datetime.timedelta(days=14),
            state=MonitoringRound.State.AGREED,
            subgroup_meeting_on=period_end - datetime.timedelta(days=4),
        )
        Update.objects.bulk_create(
            Update(
                action=action,
                round=monitoring_round,
                status=Update.Status.AGREED,
                narrative=NARRATIVE,
                evidence="Audit report; attendance figures.",
                barriers=BARRIERS if n % 3 == 0 else "",
                next_steps=NEXT_STEPS,
                proposed_quadrant=order[(n + index) % len(order)],
                agreed_quadrant=order[(n + index) % len(order)],
                agreed_by=officer,
            )
            for n, action in enumerate(actions)
        )
    for position, name in enumerate(("Strategy meetings with police and health attendance", "MSET referrals")):
        measure = ImpactMeasure.objects.create(
            plan=plan, name=name, baseline=Decimal(40), target=Decimal(90), position=position
        )
        for quarter, (label, end) in enumerate(
            (("Q3 2019/20", D(2019, 12, 31)), ("Q4 2019/20", D(2020, 3, 31)), ("Q1 2020/21", D(2020, 6, 30)))
        ):
            ImpactValue.objects.create(measure=measure, period_label=label, period_end=end, value=50 + 10 * quarter)
    report = CommitteeReport.objects.create(
        plan=plan,
        round=monitoring_round,
        title="JTAI action plan – progress update, May 2020",
        committee="Families and Children's Overview and Scrutiny Committee",
        meeting_date=D(2020, 7, 16),
        report_of="Olivia Officer",
        purpose="To consider progress with the action plan.",
        recommendations="It is recommended that the committee:\n- acknowledges the progress made",
        key_issues="- The inspection resulted in no priority areas for action.",
        background="- There have been two rounds of monitoring.",
    )
    report.round = MonitoringRound.objects.select_related("plan__inspection__partnership").get(pk=monitoring_round.pk)
    return report


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
