"""Evidence files live outside the web root and are only ever served through a checked view."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class EvidenceStorage(FileSystemStorage):
    """File storage rooted at ``settings.EVIDENCE_ROOT``, read at each use (so tests and deployments can move it)."""

    @property
    def base_location(self):
        return str(settings.EVIDENCE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None  # never linked directly: the download view checks access first


def evidence_storage() -> FileSystemStorage:
    """A callable, so the migration records a name rather than a frozen path."""
    return EvidenceStorage()
