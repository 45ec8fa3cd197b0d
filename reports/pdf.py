"""Committee reports as tagged PDFs: WeasyPrint, fenced in.

Three fences:

* **What it may read.** :func:`static_only_fetcher` serves the app's own
  static files (found the way ``{% static %}`` finds them) and ``data:``
  images, and refuses everything else: ``file://``, other hosts, other
  schemes. A report's text is escaped, but the fetcher is what guarantees a
  rendering can never read the server's files or call out to the network.
* **How long it may take.** :func:`html_to_pdf` renders in a worker thread
  and waits at most ``REPORT_PDF_TIMEOUT_SECONDS`` (default 60). A thread
  rather than ``signal.alarm`` because requests run outside the main thread
  under ``runserver`` and gunicorn's threaded workers; a thread rather than a
  process because forking a threaded server is unsafe and spawning a fresh
  interpreter costs more than a small report takes. When time runs out the
  caller gets :class:`RenderTimeout` at once, and the worker is stopped by
  raising an exception inside it (``PyThreadState_SetAsyncExc``), which
  WeasyPrint's pure-Python layout loop meets within milliseconds.
* **What it produces.** PDF/UA-1: tagged, with the document's language and
  title, real text in Liberation Sans (Arial's metric twin).
"""

from __future__ import annotations

import ctypes
import functools
import logging
import mimetypes
import posixpath
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

#: The base URL the report's HTML is rendered against. Nothing answers at this
#: address: the fetcher recognises it and reads the file from disk instead.
BASE_URL = "https://jtai-report.invalid/"
PDF_VARIANT = "pdf/ua-1"
DEFAULT_TIMEOUT_SECONDS = 60
# WeasyPrint logs every CSS rule it skips (GOV.UK Frontend's screen-only rules: hundreds per PDF) and
# each layout step at INFO. Keep its errors, unless the project's LOGGING says otherwise.
for _name, _level in (("weasyprint", logging.ERROR), ("weasyprint.progress", logging.WARNING)):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(_level)
# WeasyPrint itself is imported only when a PDF is made: it adds over half a second to every process start.

_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|svg\+xml|webp)[;,]", re.IGNORECASE)


class RenderTimeout(Exception):
    """The PDF took longer than the time limit; nothing was produced."""


class FetchRefused(ValueError):
    """The report asked for something outside the app's static files."""


def static_path_for(url: str) -> Path | None:
    """The file behind one of our own static URLs, or None if the URL is anything else."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        return None
    name = path[len(settings.STATIC_URL) :]
    normalised = posixpath.normpath(name)
    if normalised != name or normalised.startswith(("../", "/")) or normalised in ("", ".", ".."):
        return None
    found = finders.find(normalised)
    if found:
        return Path(found)
    # Production serves collected (hashed) names that the finders do not know.
    if staticfiles_storage.exists(normalised):
        return Path(staticfiles_storage.path(normalised))
    return None


def static_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that reads only the app's static files (and inline images)."""
    return _fetcher_class()()


@functools.cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("https", "data"), allow_redirects=False, fail_on_errors=False)

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                if not _DATA_IMAGE.match(url):
                    raise FetchRefused(f"Only data: images may be embedded, not {url[:40]}")
                return super().fetch(url, headers)
            path = static_path_for(url)
            if path is None:
                raise FetchRefused(f"A report may only use the app's own static files, not {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher


_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="(?P<href>[^"]+)"\s*/?>')


def _linked_path(match: re.Match) -> Path | None:
    return static_path_for(BASE_URL.rstrip("/") + match.group("href"))


def inline_stylesheets(html: str) -> str:
    """The page with our own stylesheets copied in, so a stored copy never depends on today's CSS."""

    def replace(match: re.Match) -> str:
        path = _linked_path(match)
        if path is None:
            return ""
        css = path.read_text(encoding="utf-8").replace("</", "<\\/")
        return f"<style>{css}</style>"

    return _STYLESHEET_LINK.sub(replace, html)


def _parsed_stylesheets(html: str) -> tuple[str, list[Any]]:
    """The page without its stylesheet links, and those stylesheets parsed (once per file and process).

    Parsing GOV.UK Frontend's CSS costs more than laying out a short report,
    so each file is parsed once and reused while it is unchanged. Handed to
    WeasyPrint in the page's order, they cascade exactly as the links did.
    """
    sheets = []

    def take(match: re.Match) -> str:
        path = _linked_path(match)
        if path is not None:
            sheets.append(_stylesheet(BASE_URL.rstrip("/") + match.group("href"), str(path), path.stat().st_mtime_ns))
        return ""

    return _STYLESHEET_LINK.sub(take, html), sheets


@functools.lru_cache(maxsize=16)
def _stylesheet(url: str, path: str, mtime_ns: int) -> Any:
    from weasyprint import CSS

    return CSS(string=Path(path).read_text(encoding="utf-8"), base_url=url, url_fetcher=static_only_fetcher())


def parse_stylesheets(html: str) -> None:
    """Import WeasyPrint and parse the page's stylesheets now, so a process forked after this starts with them."""
    import weasyprint  # noqa: F401 - the import is the point

    _parsed_stylesheets(html)


def html_to_pdf(html: str, *, title: str, timeout: float | None = None) -> bytes:
    """A tagged A4 PDF (PDF/UA-1) of the page, with ``title`` as its document title.

    Raises :class:`RenderTimeout` if rendering takes longer than ``timeout``
    seconds (``settings.REPORT_PDF_TIMEOUT_SECONDS`` by default).
    """
    limit = timeout if timeout is not None else getattr(settings, "REPORT_PDF_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)

    from weasyprint import HTML

    outcome: dict[str, Any] = {}
    stopped = threading.Event()

    def render() -> None:
        try:
            page, stylesheets = _parsed_stylesheets(html)
            document = HTML(string=page, base_url=BASE_URL, url_fetcher=static_only_fetcher()).render(
                stylesheets=stylesheets, pdf_variant=PDF_VARIANT
            )
            # The page's <title> carries the service's name; the PDF's is the report's own.
            document.metadata.title = title
            outcome["pdf"] = document.write_pdf(pdf_variant=PDF_VARIANT)
        except _Stop:
            stopped.set()
        except BaseException as error:  # handed to the caller's thread below
            outcome["error"] = error

    worker = threading.Thread(target=render, name="report-pdf", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        _stop(worker, stopped)
        raise RenderTimeout(f"The PDF took longer than {limit:g} seconds to produce, so it was stopped.")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["pdf"]


class _Stop(BaseException):
    """Raised inside a rendering thread that ran out of time."""


def _stop(worker: threading.Thread, stopped: threading.Event) -> None:
    """Raise :class:`_Stop` in the worker until it gives up, from a small thread of its own.

    Once is not always enough: an exception that lands in a destructor run by the
    garbage collector (WeasyPrint's ``FontConfiguration.__del__``) is printed and
    dropped, and the rendering carries on. So it is raised again every tenth of a
    second, for up to a minute, until the worker says it has stopped.
    """
    ident = ctypes.c_ulong(worker.ident)

    def reap() -> None:
        for _ in range(600):
            if stopped.is_set() or not worker.is_alive():
                break
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ident, ctypes.py_object(_Stop))
            stopped.wait(0.1)
        if worker.is_alive():
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ident, None)  # withdraw one still pending

    threading.Thread(target=reap, name="report-pdf-stop", daemon=True).start()
