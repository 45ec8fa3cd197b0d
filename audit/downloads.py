"""A file handed to a signed-in user, recorded in the audit log: evidence, reports and exports.

Every download view answers with :func:`recorded_attachment` instead of calling
``jtai_tracker.downloads.attachment_response`` itself, so no download can be handed out unrecorded by a
forgotten line. The blank import template is the one file not recorded: it holds no partnership's data.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from django.http import FileResponse, HttpRequest, HttpResponse

from audit.models import AuditEvent
from audit.services import record
from jtai_tracker.downloads import attachment_response, safe_filename

#: The events a download is recorded as, for the views to name: ``Event.EXPORTED``.
Event = AuditEvent.Event


def recorded_attachment(
    request: HttpRequest,
    event: str,
    content: bytes | BinaryIO,
    filename: str,
    content_type: str,
    *,
    inline: bool = False,
    detail: str = "",
    partnership: Any = None,
) -> HttpResponse | FileResponse:
    """:func:`~jtai_tracker.downloads.attachment_response`, and an ``event`` naming the file as it was sent.

    ``partnership`` is whose log shows it, for someone who belongs to none (an outside monitor); without it,
    the downloader's own partnership."""
    response = attachment_response(content, filename, content_type, inline=inline)
    record(request, event, subject=safe_filename(filename), detail=detail, partnership=partnership)
    return response
