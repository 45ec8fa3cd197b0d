"""Rendering a report's PDF in a child process with limits, so no PDF can take a worker down with it.

The worker that runs a job forks a child for WeasyPrint (:func:`render_pdf`). The child runs at the lowest
priority (nice 19), so pages served on the same machine come first; with an address-space limit
(``RLIMIT_AS``: ``REPORT_PDF_MEMORY_MB`` on top of the worker's own size, which the child starts with), so an
enormous report fails with ``MemoryError`` instead of pushing the machine into swap; with a CPU limit
(``RLIMIT_CPU``: ``REPORT_PDF_CPU_SECONDS``, then the kernel ends it); and the parent kills it once
``REPORT_PDF_TIMEOUT_SECONDS`` have passed on the clock. Whichever limit is hit, :class:`RenderLimit` says so
in words for the person who asked.

The child touches no database: the parent reads everything and renders the HTML; the child only lays it out
and writes the PDF to a file the parent reads. It leaves with ``os._exit``, running none of the parent's
clean-up (database connections, log handlers). WeasyPrint is imported and the stylesheets parsed in the parent
first, so every child starts with them ready.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import resource
import signal
import tempfile
import time
import traceback
from pathlib import Path

from django.conf import settings
from django.utils.text import slugify

from jobs.work import JobFailed, Outcome
from reports.pdf import html_to_pdf, parse_stylesheets

logger = logging.getLogger(__name__)

#: The child's exit codes, each a limit or an error the parent names.
_OK, _OUT_OF_MEMORY, _FAILED = 0, 3, 4


class RenderLimit(Exception):
    """The PDF hit a limit (time, CPU or memory) and was stopped; the message is for the person who asked."""


def _minutes(seconds: int) -> str:
    if seconds % 60 == 0 and seconds >= 60:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} seconds"


def _too_large(what: str) -> str:
    return (
        f"The report was too large to prepare {what}, so it was stopped. Make it shorter (fewer actions in one "
        "report), or ask support to raise the limit."
    )


def _own_size_bytes() -> int:
    """This process's address space now (VmSize), which a forked child starts with."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def render_pdf(html: str, *, title: str) -> bytes:
    """The PDF of ``html`` (see :func:`reports.pdf.html_to_pdf`), rendered in a child process within the limits.

    Raises :class:`RenderLimit` when the child runs out of time, CPU or memory, and ``RuntimeError`` if it
    fails any other way.
    """
    wall = settings.REPORT_PDF_TIMEOUT_SECONDS
    cpu = settings.REPORT_PDF_CPU_SECONDS
    memory = _own_size_bytes() + settings.REPORT_PDF_MEMORY_MB * 1024 * 1024
    parse_stylesheets(html)  # once in the parent: every child inherits them parsed
    with tempfile.TemporaryDirectory(prefix="jtai-pdf-") as folder:
        output, errors = Path(folder) / "report.pdf", Path(folder) / "error.txt"
        pid = os.fork()
        if pid == 0:  # the child: render, write, leave without the parent's clean-up
            os._exit(_child(html, title, output, errors, memory=memory, cpu=cpu, wall=wall))
        status = _wait(pid, wall)
        if status is None:
            raise RenderLimit(_too_large(f"in {_minutes(wall)}"))
        if os.WIFSIGNALED(status):
            if os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
                raise RenderLimit(_too_large(f"within {_minutes(cpu)} of computing time"))
            # Cairo, Pango and GLib abort (SIGABRT, SIGTRAP) or crash when an allocation fails under the
            # address-space limit, where Python would raise MemoryError: taken as running out of memory.
            logger.warning("The PDF's process was ended by signal %s", os.WTERMSIG(status))
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else _OUT_OF_MEMORY
        if code == _OUT_OF_MEMORY:
            raise RenderLimit(_too_large(f"within {settings.REPORT_PDF_MEMORY_MB} MB of memory"))
        if code != _OK:
            detail = errors.read_text(encoding="utf-8", errors="replace") if errors.exists() else ""
            raise RuntimeError(f"The PDF's process failed (exit {code}).\n{detail}")
        return output.read_bytes()


def _child(html: str, title: str, output: Path, errors: Path, *, memory: int, cpu: int, wall: int) -> int:
    try:
        os.nice(19)
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        # SIGXCPU at the soft limit ends the process (its default action); SIGKILL a second later if it does not.
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        # The parent's clock is the time limit; html_to_pdf's own thread limit is kept out of its way.
        output.write_bytes(html_to_pdf(html, title=title, timeout=wall + 60))
        return _OK
    except MemoryError:
        return _OUT_OF_MEMORY
    except BaseException:  # anything else: the parent reads it from the file
        with contextlib.suppress(BaseException):  # even writing the error may fail without memory
            errors.write_text(traceback.format_exc(), encoding="utf-8")
        return _FAILED


def _wait(pid: int, wall: float) -> int | None:
    """The child's wait status, or None if it was still running after ``wall`` seconds (then it is killed)."""
    deadline = time.monotonic() + wall
    pause = 0.01
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def content_key(html: str, title: str) -> str:
    """The SHA-256 of what a PDF is made from: the same page and title make the same PDF."""
    return hashlib.sha256(f"{title}\n{html}".encode()).hexdigest()


def draft_pdf_outcome(html: str, *, title: str) -> Outcome:
    """A draft report's PDF as a job's outcome, within the limits (a limit hit is the person's message)."""
    try:
        pdf = render_pdf(html, title=title)
    except RenderLimit as limit:
        raise JobFailed(str(limit)) from limit
    return Outcome(
        content=pdf,
        filename=f"{slugify(title)[:80]}-draft.pdf",
        content_type="application/pdf",
        message="The draft PDF is ready",
        content_key=content_key(html, title),
    )
