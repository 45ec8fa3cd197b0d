"""Evidence files live outside the web root and are only ever served through a checked view."""

from jtai_tracker.storage import NamedStorage


def evidence_storage() -> NamedStorage:
    """``EvidenceFile.file``'s storage: ``settings.STORAGES["evidence"]``, looked up at each use. A callable, so the
    migration records a name rather than a frozen storage."""
    return NamedStorage("evidence")
