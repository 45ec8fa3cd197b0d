"""Benchmark: how long the committee report takes as a Word document: the demo, and 22, 100 and 500 actions.

Run on demand, not in the tests::

    .venv/bin/python bench/report_docx.py            # the demo's May 2020 report, then 22, 100 and 500 actions
    .venv/bin/python bench/report_docx.py 100 1000   # other sizes (and the demo)

Each run has its own throwaway SQLite database in a subprocess (the plans are
built by ``bench/report_pdf.py``'s ``build``; the demo by ``load_demo``). The
child renders the report page once (``report_context`` and the template, timed
apart: the PDF needs it too) and then times ``html_to_docx`` twice: "cold"
includes the one-off start (parsing the stylesheets, loading Cairo), "warm" is
every Word document after that. Nothing is asserted: these are measurements.
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


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return child(argv[1])
    runs = ["demo", *(argv or [str(size) for size in DEFAULT_SIZES])]
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    print(f"{'report':>8} {'page s':>8} {'cold s':>8} {'warm s':>8} {'warm CPU s':>10} {'KB':>6} {'peak MB':>8}")
    for run in runs:
        completed = subprocess.run(  # noqa: S603 - our own script, our own interpreter
            [sys.executable, __file__, "--child", run], cwd=ROOT, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            print(completed.stdout, completed.stderr, sep="\n")
            return completed.returncode
        result = json.loads(completed.stdout.strip().splitlines()[-1])
        print(
            f"{run:>8} {result['page_s']:>8.2f} {result['cold_s']:>8.2f} {result['warm_s']:>8.2f} "
            f"{result['warm_cpu_s']:>10.2f} {result['kb']:>6.0f} {result['peak_mb']:>8.0f}"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


def child(run: str) -> int:
    with tempfile.TemporaryDirectory(prefix="jtai-bench-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jtai_tracker.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        report = demo_report() if run == "demo" else _build(int(run))

        from reports.docx import html_to_docx
        from reports.report_context import render_report_html, report_context

        started = time.perf_counter()
        html = render_report_html(report_context(report, interactive=False))
        page_s = time.perf_counter() - started
        timings, cpu = [], []
        content = b""
        for _ in range(2):
            started, started_cpu = time.perf_counter(), time.process_time()
            content = html_to_docx(html, title=report.title)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        if os.environ.get("BENCH_KEEP"):
            Path(os.environ["BENCH_KEEP"]).write_bytes(content)
        result = {
            "page_s": page_s,
            "cold_s": timings[0],
            "warm_s": timings[1],
            "warm_cpu_s": cpu[1],
            "kb": len(content) / 1024,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        print(json.dumps(result))
    return 0


def demo_report():
    """The demo's May 2020 report, as its officer first opens it."""
    from demo.loader import load_demo
    from people.models import Person
    from reports.report_text import report_or_default

    load_demo()
    officer = Person.objects.select_related("partnership").get(user__username="officer")
    from actions.models import MonitoringRound

    monitoring_round = MonitoringRound.objects.select_related("plan__inspection__partnership").get(
        plan__inspection__partnership=officer.partnership, label="May 2020"
    )
    return report_or_default(monitoring_round, officer)


def _build(size: int):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from report_pdf import build

    return build(size)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
