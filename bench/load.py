"""How many signed-in people can the service serve at once? A bounded load test on this machine's loopback only.

Builds a plan of --actions actions (500; ``bench/board.py``'s plan: 8 rounds, the latest agreed) in a PostgreSQL
database of its own (jtai_bench_load, dropped afterwards unless --keep), starts gunicorn in production mode
(``DJANGO_PRODUCTION=true`` and the rest of the Makefile's PROD_ENV, bound to 127.0.0.1, --workers 2 by
default), signs --clients people in through the real sign-in page (each its own session cookie), then runs
``wrk`` with --connections connections for --duration seconds against each page in turn: the board, My actions,
the plan page and the committee report page. Then it runs the same again while one report officer (signed in
with their password and authenticator code) downloads the draft committee report PDF in a loop. The PDF loop
takes the PDF if the request answers with it; if it is sent to a job page instead (``/jobs/<id>/``), it reloads
that page every second until it offers a download link, and follows it.

    .venv/bin/python bench/load.py                        # 2 workers, 20 connections, 20 s a page
    .venv/bin/python bench/load.py --workers 3
    .venv/bin/python bench/load.py --worker-command "manage.py db_worker"   # a task worker beside gunicorn

Every request carries ``X-Forwarded-Proto: https`` (what the TLS proxy sets), so the HTTPS redirect does not
fire. wrk counts an answer slower than --timeout as a time-out and leaves it out of the latencies: 30 s by
default, gunicorn's own limit (with wrk's default of 2 s, every answer of a page slower than that is left out and
its p50 and p99 read 0). Prints, per page, requests per second, p50 and p99, errors (any answer but 200, and
socket errors) and time-outs, without and with the PDFs, and the ratio of p99 with PDFs to without; the PDF
loop's own times; and the peak resident memory of a gunicorn worker.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "jtai_bench_load"
#: The Makefile's PROD_ENV (deploy-check), but for the hosts: only this machine's loopback.
PROD_ENV = {
    "DJANGO_PRODUCTION": "true",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_SECRET_KEY": "check-deploy-only-" + "x" * 64 + "-a1b2c3d4e5",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "EMAIL_HOST": "smtp.example.org",
    "DJANGO_SUPPORT_ADMIN_ALLOWED_NETWORKS": "192.0.2.0/24",
}
PASSWORD = "Load-bench-passphrase-4-tracker"  # noqa: S105 (a throwaway database's people)
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 (the tests' authenticator secret, a throwaway account)
#: Today's figures (issue 17: 2 workers, 500 actions), requests per second.
BASELINE = {"board": 8.5, "my actions": 10.4, "plan page": 4.4}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=SERVER, help=f"PostgreSQL server URL, no database (default {SERVER})")
    parser.add_argument("--actions", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2; try 3)")
    parser.add_argument("--clients", type=int, default=20, help="people signed in, one session each")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--duration", type=int, default=20, help="seconds of wrk per page")
    parser.add_argument(
        "--timeout", default="30s", help="wrk's time-out per request (30s, gunicorn's own; wrk's default is 2s)"
    )
    parser.add_argument("--gunicorn-args", default="", help="more gunicorn options, e.g. '--timeout 60'")
    parser.add_argument(
        "--worker-command",
        default="",
        help="a background task worker to run beside gunicorn, as manage.py arguments (e.g. 'manage.py db_worker')",
    )
    parser.add_argument("--no-pdf", action="store_true", help="skip the runs with a PDF loop")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


ARGS = parse_args() if __name__ == "__main__" else None
DATABASE_URL = f"{(ARGS.server if ARGS else SERVER).rstrip('/')}/{DATABASE}"
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jtai_tracker.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from actions.models import MonitoringRound  # noqa: E402
from bench.pgserver import drop, recreate  # noqa: E402
from people.models import Person  # noqa: E402


def build(actions: int) -> dict[str, str]:
    """The plan, passwords for its people and a report officer with an authenticator app; returns the pages."""
    import random

    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth import get_user_model

    import bench.board as board_bench

    board_bench.ACTIONS = actions
    plan, viewer = board_bench.build_plan(random.Random(board_bench.SEED))  # noqa: S311 (seeded test data)
    User = get_user_model()
    User.objects.filter(person__partnership=viewer.partnership).update(password=make_password(PASSWORD))
    officer_user = User.objects.create_user(
        "bench-officer", password=PASSWORD, first_name="Report", last_name="Officer"
    )
    Person.objects.create(user=officer_user, partnership=viewer.partnership, agency=viewer.agency, role="officer")
    with override_settings(SECRET_KEY=PROD_ENV["DJANGO_SECRET_KEY"]):  # the server's key encrypts the secret
        TOTP.activate(officer_user, TOTP_SECRET)
    latest = MonitoringRound.objects.filter(plan=plan).order_by("-period_end").first()
    return {
        "board": reverse("reports:board", args=[plan.pk]),
        "my actions": reverse("actions:mine"),
        "plan page": reverse("actions:plan", args=[plan.pk]),
        "report page": reverse("reports:committee_report", args=[latest.pk]),
        "pdf": reverse("reports:committee_report_pdf", args=[latest.pk]),
    }


# A little HTTP client that keeps cookies by hand: the production cookies are Secure, and this is plain HTTP.


class Browser:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def request(self, method: str, path: str, form: dict[str, str] | None = None, timeout: float = 120):
        """One request; returns (status, headers, body). Never follows redirects."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "User-Agent": "jtai-bench-load",
        }
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content

    def get(self, path: str, timeout: float = 120):
        return self.request("GET", path, timeout=timeout)

    def post_form(self, path: str, fields: dict[str, str]):
        """POST a form after reading its page for the CSRF token, as a browser would."""
        status, _, page = self.get(path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"{path}: {status}, no form to post")
        return self.request("POST", path, {"csrfmiddlewaretoken": token.group(1).decode(), **fields})

    def sign_in(self, username: str) -> None:
        status, headers, _ = self.post_form(reverse("account_login"), {"login": username, "password": PASSWORD})
        location = headers.get("location", "")
        if status == 302 and location.startswith(reverse("mfa_authenticate")):
            from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

            code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
            status, headers, _ = self.post_form(location, {"code": code})
            location = headers.get("location", "")
        if status != 302 or "login" in location or "2fa" in location:
            raise RuntimeError(f"signing in {username} failed: {status} to {location!r}")

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start ({process.returncode}); see its output above")
        try:
            if Browser(port).get("/health", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /health in time")


LUA = """
local cookies = {COOKIES}
local n = 0
local threads = {}
not200 = 0
setup = function(thread)
  table.insert(threads, thread)
end
response = function(status, headers, body)
  if status ~= 200 then
    not200 = not200 + 1
  end
end
request = function()
  n = n + 1
  local headers = {}
  headers["Cookie"] = cookies[(n % #cookies) + 1]
  headers["Host"] = "HOST"
  headers["X-Forwarded-Proto"] = "https"
  return wrk.format("GET", "PATH", headers, nil)
end
done = function(summary, latency, requests)
  local e = summary.errors
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not200")
  end
  io.write(string.format(
    "RESULT {\\"requests\\": %d, \\"seconds\\": %f, \\"p50\\": %f, \\"p99\\": %f, \\"max\\": %f, "
    .. "\\"connect\\": %d, \\"read\\": %d, \\"write\\": %d, \\"status\\": %d, \\"timeout\\": %d, \\"not200\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.status, e.timeout, bad))
end
"""


def run_wrk(port: int, path: str, cookies: list[str], args: argparse.Namespace) -> dict:
    script = (
        LUA.replace("{COOKIES}", "{" + ", ".join(json.dumps(c) for c in cookies) + "}")
        .replace("HOST", f"127.0.0.1:{port}")
        .replace("PATH", path)
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        output = subprocess.run(  # noqa: S603 - wrk, with our own script and loopback URL
            [
                "/usr/bin/wrk",
                f"-t{min(2, args.connections)}",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                f"--timeout={args.timeout}",
                "-s",
                lua.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=args.duration + 60,
        ).stdout
    finally:
        os.unlink(lua.name)
    result = json.loads(output.split("RESULT ", 1)[1].splitlines()[0])
    result["rps"] = result["requests"] / result["seconds"]
    # Any answer but 200 is an error here (a redirect to the sign-in page too); wrk itself counts only 4xx and 5xx.
    result["errors"] = result["connect"] + result["read"] + result["write"] + result["not200"]
    return result


DOWNLOAD = re.compile(r'<a[^>]+href="([^"]+)"[^>]*>(.*?)</a>', re.S | re.I)


class PdfLoop(threading.Thread):
    """One officer downloading the draft PDF again and again, following a job page if the service gives one."""

    def __init__(self, browser: Browser, path: str) -> None:
        super().__init__(daemon=True)
        self.browser, self.path = browser, path
        self.stopping = threading.Event()
        self.times: list[float] = []
        self.failures: list[str] = []
        self.via_job = 0

    def run(self) -> None:
        while not self.stopping.is_set():
            started = time.perf_counter()
            try:
                outcome = self.one()
            except Exception as problem:  # a failed download is counted; the run goes on
                outcome = f"{type(problem).__name__}: {problem}"
            if outcome == "done":
                self.times.append(time.perf_counter() - started)
            elif outcome != "stopped":
                self.failures.append(outcome)  # even one cut short as the run ends: a worker killed mid-render
                time.sleep(1)

    def one(self) -> str:
        """Fetch one PDF: "done", "stopped" (the run ended while a job page was being followed), or what went wrong."""
        path, hops, job_page = self.path, 0, None
        while hops < 300 and not self.stopping.is_set():
            hops += 1
            status, headers, body = self.browser.get(path, timeout=180)
            if status == 200 and headers.get("content-type", "").startswith("application/pdf"):
                self.via_job += job_page is not None
                return "done" if body.startswith(b"%PDF") else "a PDF answer that is not a PDF"
            if status in (301, 302, 303, 307):
                location = urllib.parse.urlsplit(headers["location"])
                path = location.path + (f"?{location.query}" if location.query else "")
                if "/jobs/" in path:
                    job_page = path
                elif job_page is None and path != self.path:
                    return f"sent to {path} instead of the PDF"
                continue
            if status == 200 and job_page is not None:
                link = self.download_link(body.decode("utf-8", "replace"))
                if link is not None:
                    path = link
                else:
                    time.sleep(1)  # "Preparing the PDF…": the page refreshes, so do we
                    path = job_page
                continue
            return f"{status} from {path}"
        return "stopped" if self.stopping.is_set() else "gave up following the job"

    @staticmethod
    def download_link(page: str) -> str | None:
        for href, text in DOWNLOAD.findall(page):
            href = html.unescape(href)
            if href.endswith(".pdf") or "download" in href.lower() or "download" in text.lower():
                return href
        return None


def rss_of_children(master: int) -> list[int]:
    """The resident memory (MB) of each gunicorn worker now."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        if f"\nPPid:\t{master}\n" in status:
            kb = re.search(r"VmRSS:\s+(\d+)", status)
            sizes.append(int(kb.group(1)) // 1024 if kb else 0)
    return sizes


def main() -> int:
    args = ARGS
    print(f"load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    recreate(args.server, DATABASE)
    processes: list[subprocess.Popen] = []
    try:
        from django.db import connection

        connection.close()
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        pages = build(args.actions)
        usernames = list(
            Person.objects.filter(role__in=["lead", "viewer"])
            .order_by("pk")
            .values_list("user__username", flat=True)[: args.clients]
        )
        connection.close()
        built = time.perf_counter() - started
        print(f"built {args.actions} actions and {len(usernames)} people to sign in, in {built:.0f} s")

        env = {**os.environ, **PROD_ENV, "DATABASE_URL": DATABASE_URL}
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        port = free_port()
        gunicorn = [
            str(Path(sys.executable).parent / "gunicorn"),
            "jtai_tracker.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            *shlex.split(args.gunicorn_args),
        ]
        print("server:", " ".join(gunicorn))
        # gunicorn's own log (worker time-outs and kills), kept for reading after the run.
        server_log = Path(tempfile.mkstemp(prefix="jtai-load-gunicorn-", suffix=".log")[1])
        with server_log.open("w") as log_file:
            server = subprocess.Popen(gunicorn, cwd=ROOT, env=env, start_new_session=True, stderr=log_file)  # noqa: S603
        processes.append(server)
        if args.worker_command:
            command = shlex.split(args.worker_command)
            if command[0] == "manage.py":
                command = [sys.executable, *command]
            print("task worker:", " ".join(command))
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True))  # noqa: S603
        wait_for(port, processes[0])

        browsers = []
        for username in usernames:
            browser = Browser(port)
            browser.sign_in(username)
            browsers.append(browser)
        cookies = [browser.cookie_header for browser in browsers]
        for name in ("board", "my actions", "plan page", "report page"):
            status = browsers[0].get(pages[name])[0]
            if status != 200:
                raise RuntimeError(f"{name} answers {status} to a signed-in client")
        officer = Browser(port)
        officer.sign_in("bench-officer")
        print(f"signed in {len(browsers)} clients and one report officer")

        runs: dict[tuple[str, bool], dict] = {}
        pdf_loops = []
        peak_rss = 0
        for with_pdf in (False,) if args.no_pdf else (False, True):
            for name in ("board", "my actions", "plan page", "report page"):
                loop = PdfLoop(officer, pages["pdf"]) if with_pdf else None
                if loop is not None:
                    loop.start()
                    time.sleep(1)  # the first render is under way when the load starts
                sampler_stop = threading.Event()
                peaks: list[int] = []

                def sample(stop=sampler_stop, peaks=peaks) -> None:
                    while not stop.wait(0.5):
                        peaks.append(max(rss_of_children(processes[0].pid), default=0))

                sampler = threading.Thread(target=sample, daemon=True)
                sampler.start()
                result = run_wrk(port, pages[name], cookies, args)
                sampler_stop.set()
                sampler.join()
                result["rss"] = max(peaks, default=0)
                peak_rss = max(peak_rss, result["rss"])
                if loop is not None:
                    loop.stopping.set()
                    loop.join(timeout=200)
                    pdf_loops.append((name, loop))
                runs[(name, with_pdf)] = result
                label = "with PDFs" if with_pdf else "alone"
                print(
                    f"  {name:<12} {label:<10} {result['rps']:6.1f} req/s  p50 {result['p50']:7.0f} ms  "
                    f"p99 {result['p99']:7.0f} ms  errors {result['errors']}  time-outs {result['timeout']}"
                    + (f"  PDFs {len(loop.times)} done, {len(loop.failures)} failed" if loop else "")
                )

        print(
            f"\n{args.workers} gunicorn workers, {args.connections} connections, {args.duration} s a page, "
            f"wrk time-out {args.timeout}, {args.actions} actions; ms"
        )
        header = f"{'page':<13}{'req/s':>7}{'p50':>7}{'p99':>7}{'err':>5}{'t/o':>5}"
        print(f"{'':<13}{'alone':^31}{'':3}{'with PDFs':^31}")
        print(header + "   " + header[13:] + f"{'p99 ratio':>11}{'baseline req/s':>16}")
        for name in ("board", "my actions", "plan page", "report page"):
            alone = runs[(name, False)]
            line = (
                f"{name:<13}{alone['rps']:>7.1f}{alone['p50']:>7.0f}{alone['p99']:>7.0f}"
                f"{alone['errors']:>5}{alone['timeout']:>5}"
            )
            if (name, True) in runs:
                loaded = runs[(name, True)]
                ratio = loaded["p99"] / alone["p99"] if alone["p99"] else float("nan")
                line += (
                    f"   {loaded['rps']:>7.1f}{loaded['p50']:>7.0f}{loaded['p99']:>7.0f}"
                    f"{loaded['errors']:>5}{loaded['timeout']:>5}{ratio:>11.2f}"
                )
            else:
                line += " " * 45
            if name in BASELINE:
                line += f"{BASELINE[name]:>16.1f}"
            print(line)
        all_times = [t for _, loop in pdf_loops for t in loop.times]
        failures = [f for _, loop in pdf_loops for f in loop.failures]
        if pdf_loops:
            via_job = sum(loop.via_job for _, loop in pdf_loops)
            print(
                f"\nPDF loop: {len(all_times)} PDFs ({via_job} through a job page), "
                + (
                    f"median {statistics.median(all_times):.1f} s, max {max(all_times):.1f} s; "
                    if all_times
                    else "none finished; "
                )
                + f"{len(failures)} failed"
                + (f" (first: {failures[0]})" if failures else "")
            )
        print(f"peak resident memory of one gunicorn worker: {peak_rss} MB")
        log = server_log.read_text()
        print(
            f"gunicorn: {log.count('WORKER TIMEOUT')} worker time-outs (a request over its limit, the worker killed), "
            f"{log.count('Traceback')} tracebacks; its log: {server_log}"
        )
        print(f"load average after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
        return 0
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if not args.keep:
            from django.db import connection

            connection.close()
            drop(args.server, DATABASE)


if __name__ == "__main__":
    sys.exit(main())
