"""Files the app hands out (reports, exports, evidence): one way to answer with a download."""

from __future__ import annotations

import unicodedata
from typing import BinaryIO

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

#: What a file is called when nothing is left of the name it was given.
FALLBACK_NAME = "download"


def attachment_response(
    content: bytes | BinaryIO, filename: str, content_type: str, *, inline: bool = False
) -> HttpResponse | FileResponse:
    """A response that hands ``content`` to the browser as a file called ``filename``.

    Guarantees, whoever chose the name: it is saved as a file (shown in the
    browser only when ``inline``), under a name with no folder, no control
    character and no double quote (:func:`safe_filename`), written per
    RFC 6266 and, when it is not plain ASCII, as RFC 5987's ``filename*``;
    the browser never second-guesses ``content_type`` (``nosniff``); and no
    shared cache or the browser's disk keeps a copy (``no-store``). Bytes are
    sent as they are; an open file is streamed, and closed once sent.
    """
    name = safe_filename(filename)
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(not inline, name)
    else:
        response = FileResponse(content, as_attachment=not inline, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def safe_filename(name: str) -> str:
    """The last part of ``name`` without control or invisible characters, and with no double quote.

    Names come from people's computers (an evidence file's original name) as
    well as from titles: a folder, a line break or a quote in one must not
    reach the header or the user's disk.
    """
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(character for character in name if unicodedata.category(character)[0] != "C")
    return name.replace('"', "'").strip().lstrip(".") or FALLBACK_NAME
