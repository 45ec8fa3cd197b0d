"""A published report (committee or yearly) handed out as a file: the one place that says how.

The PDF byte for byte as it was published; the HTML (stylesheets included) as an attachment under a Content
Security Policy that runs nothing and loads nothing, so a published copy is never shown inside the service.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from audit.downloads import Event, recorded_attachment

#: The published HTML runs nothing and fetches nothing, wherever it is opened.
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


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
        content, content_type = bytes(published.pdf), "application/pdf"
    else:
        content, content_type = published.html.encode("utf-8"), "text/html; charset=utf-8"
    response = recorded_attachment(
        request, event, content, f"{published.filename}.{kind}", content_type, detail=detail, partnership=partnership
    )
    if kind == "html":
        response["Content-Security-Policy"] = HTML_POLICY
    return response
