"""How long does the whole test suite take? Run on demand; a benchmark, not a test.

Times ``make test`` (every test, pytest-xdist on every core) from start to finish, as a person or CI
runs it, on the database DATABASE_URL names (SQLite in memory when it is unset):

    .venv/bin/python bench/suite.py                     # SQLite; target: at most 120 s
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jtai_bench .venv/bin/python bench/suite.py
    .venv/bin/python bench/suite.py --dir /tmp/old-checkout --repeat 3

It prints the wall time, the CPU time the suite used (all its processes, browsers included), the
number of tests passed and the load average before and after: on a shared machine other work slows
the wall time, while the CPU time barely moves. ``make`` runs with ``-o venv`` so the time is the
suite's alone, never a ``pip install``. On PostgreSQL pytest-django creates and drops
``test_<name>_gw0``, ``test_<name>_gw1`` and so on; nothing is written to ``<name>`` itself.
Exits with status 1 if the suite fails, or if on SQLite its median wall time is over the target.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SQLITE_S = 120.0


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(directory: Path, env: dict[str, str], workers: str | None, pytest_args: str) -> dict:
    command = ["make", "--no-print-directory", "-C", str(directory), "-o", "venv", "test"]
    if workers is not None:
        command.append(f"TEST_WORKERS={workers}")
    if pytest_args:
        command.append(f"PYTEST_ARGS={pytest_args}")
    load_before = os.getloadavg()[0]
    cpu_before = children_cpu_seconds()
    with tempfile.TemporaryFile(mode="w+") as log:
        start = time.perf_counter()
        status = subprocess.call(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        wall = time.perf_counter() - start
        log.seek(0)
        output = log.read()
    summary = next((line for line in reversed(output.splitlines()) if re.match(r"=+ .* in [\d.]+s", line)), "")
    passed = re.search(r"(\d+) passed", summary)
    if status != 0:
        print(output[-5000:], file=sys.stderr)
    return {
        "status": status,
        "wall": wall,
        "cpu": children_cpu_seconds() - cpu_before,
        "passed": int(passed.group(1)) if passed else 0,
        "summary": summary.strip("= "),
        "load": (load_before, os.getloadavg()[0]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT, help="the checkout to time (default: this one)")
    parser.add_argument("--repeat", type=int, default=1, help="runs, one after another; the median is reported")
    parser.add_argument("--workers", help="TEST_WORKERS for make (default: the Makefile's)")
    parser.add_argument("--pytest-args", default="", help="PYTEST_ARGS for make")
    parser.add_argument("--target", type=float, help=f"seconds (default: {TARGET_SQLITE_S:.0f} on SQLite, none else)")
    options = parser.parse_args()

    env = dict(os.environ)
    url = env.get("DATABASE_URL", "")
    database = "PostgreSQL" if url.startswith(("postgres://", "postgresql://")) else "SQLite"
    if database == "SQLite":
        env.pop("DATABASE_URL", None)
    target = options.target if options.target is not None else (TARGET_SQLITE_S if database == "SQLite" else None)

    print(f"make test in {options.dir} on {database}, {os.cpu_count()} CPUs")
    runs = []
    for number in range(1, options.repeat + 1):
        run = run_once(options.dir, env, options.workers, options.pytest_args)
        runs.append(run)
        print(
            f"  run {number}: {run['wall']:6.1f} s wall, {run['cpu']:6.1f} s CPU, "
            f"load {run['load'][0]:.1f} -> {run['load'][1]:.1f}: {run['summary'] or 'no summary'}"
        )
        if run["status"] != 0:
            print(f"make test failed (status {run['status']})", file=sys.stderr)
            return 1

    wall = statistics.median(run["wall"] for run in runs)
    cpu = statistics.median(run["cpu"] for run in runs)
    print(f"{database}: {wall:.1f} s wall (median of {len(runs)}), {cpu:.1f} s CPU, {runs[-1]['passed']} passed")
    if target is not None:
        verdict = "within" if wall <= target else "OVER"
        print(f"target {target:.0f} s: {verdict}")
        if wall > target:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
