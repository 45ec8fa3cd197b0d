"""Reading the audit log: a partnership's events (the view has checked access: ``audit.access.access_log``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from inspections.models import Partnership
from transfers.spreadsheets import csv_text


def events_of(partnership: Partnership) -> QuerySet[AuditEvent]:
    """The partnership's events, newest first, with the account of each read in the same query."""
    return AuditEvent.objects.for_partnership(partnership).select_related("user").order_by("-at", "-id")


CSV_HEADER = ["When", "Event", "Username", "Name", "Concerning", "Address", "Browser", "Detail"]


def log_csv(events: QuerySet[AuditEvent]) -> str:
    """The events as a CSV file (``transfers.spreadsheets.csv_text``): when in UK time with its offset from UTC,
    and the browser's whole User-Agent header."""
    rows = (
        [
            timezone.localtime(event.at).replace(microsecond=0).isoformat(),
            event.get_event_display(),
            event.username,
            event.user.get_full_name() if event.user else "",
            event.subject,
            event.ip_address,
            event.user_agent,
            event.detail,
        ]
        for event in events.iterator(chunk_size=2000)
    )
    return csv_text(CSV_HEADER, rows)
