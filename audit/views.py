"""The audit log pages: a partnership's manager reads their partnership's events and downloads them. Thin: check
access, filter, render."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from audit import selectors
from audit.access import access_log
from audit.downloads import Event, recorded_attachment
from audit.filters import AuditEventFilterSet

#: Events on one page of the log.
PER_PAGE = 50


def log(request: HttpRequest) -> HttpResponse:
    partnership = access_log(request.user)
    filterset = AuditEventFilterSet(request.GET or None, queryset=selectors.events_of(partnership))
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {
            "partnership": partnership,
            "filterset": filterset,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            "retention_days": settings.AUDIT_RETENTION_DAYS,
        },
    )


def download(request: HttpRequest) -> HttpResponse:
    """The events the page's filters pick, every page of them, as a CSV file; the download is itself an event."""
    partnership = access_log(request.user)
    filterset = AuditEventFilterSet(request.GET or None, queryset=selectors.events_of(partnership))
    if filterset.is_bound and not filterset.is_valid():
        # The page shows what is wrong with the filters.
        return redirect(f"{reverse('audit:log')}?{request.GET.urlencode()}")
    events = filterset.qs
    count = events.count()
    return recorded_attachment(
        request,
        Event.EXPORTED,
        selectors.log_csv(events).encode("utf-8"),
        f"security-audit-log-{timezone.localdate():%Y-%m-%d}.csv",
        "text/csv; charset=utf-8",
        detail=f"Security audit log: {count} event{'s' if count != 1 else ''}",
    )
