"""Which evidence files are accepted: an allow-list by extension, confirmed by the file's first bytes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from jtai_tracker.forms import file_size

_PDF = (b"%PDF-",)
_ZIP = (b"PK\x03\x04",)  # .docx, .xlsx, .pptx, .odt, .ods, .odp
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc, .xls, .ppt
_PNG = (b"\x89PNG\r\n\x1a\n",)
_JPEG = (b"\xff\xd8\xff",)
_GIF = (b"GIF87a", b"GIF89a")

#: extension -> (content type we serve it as, signatures its first bytes must match; None = plain text)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", _PDF),
    "doc": ("application/msword", _OLE),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xls": ("application/vnd.ms-excel", _OLE),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "ppt": ("application/vnd.ms-powerpoint", _OLE),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    "png": ("image/png", _PNG),
    "jpg": ("image/jpeg", _JPEG),
    "jpeg": ("image/jpeg", _JPEG),
    "gif": ("image/gif", _GIF),
    "csv": ("text/csv", None),
}

ALLOWED_DESCRIPTION = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF or CSV"


def validate_evidence_file(upload: UploadedFile) -> str:
    """Refuse a file that is too big or not of an allowed type; return the content type to store."""
    name = upload.name or "file"
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            f"{name} is {file_size(upload.size)}: a file must be smaller than {file_size(settings.EVIDENCE_MAX_BYTES)}"
        )
    if upload.size == 0:
        raise ValidationError(f"{name} is empty")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(f"{name} must be a {ALLOWED_DESCRIPTION} file")
    content_type, signatures = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures is None:
        if b"\x00" in head:
            raise ValidationError(f"{name} is not a text CSV file")
    elif not head.startswith(signatures):
        raise ValidationError(f"{name} is not really a .{extension} file: its contents do not match its name")
    return content_type
