"""A published report (committee or yearly) handed out as a file: the one place that says how, and the one place
that reads a published PDF from storage (Django's storage API: ``PublishedPdf.pdf_file``).

The PDF byte for byte as it was published, streamed from storage; the HTML (stylesheets included) as an
attachment under a Content Security Policy that runs nothing and loads nothing, so a published copy is never shown
inside the service.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from audit.downloads import Event, recorded_attachment

#: The published HTML runs nothing and fetches nothing, wherever it is opened.
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def pdf_bytes(published: Any) -> bytes:
    """A published version's PDF (a ``PublishedReport`` or ``PublishedYearlyReport``), byte for byte, from storage."""
    with published.pdf_file.open("rb") as stored:
        return stored.read()


def published_file(
    request: HttpRequest,
    published: Any,
    kind: str,
    *,
    event: str = Event.REPORT_DOWNLOADED,
    detail: str = "",
    partnership: Any = None,
) -> HttpResponse:
    """``published`` (a ``PublishedReport`` or ``PublishedYearlyReport``) as its ``kind`` ("pdf" or "html"),
    recorded in the security log as ``event``."""
    if kind == "pdf":
        content, content_type = published.pdf_file.open("rb"), "application/pdf"  # streamed from storage
    else:
        content, content_type = published.html.encode("utf-8"), "text/html; charset=utf-8"
    response = recorded_attachment(
        request, event, content, f"{published.filename}.{kind}", content_type, detail=detail, partnership=partnership
    )
    if kind == "html":
        response["Content-Security-Policy"] = HTML_POLICY
    return response
