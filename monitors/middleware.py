"""The outside monitor's wall: the one place that keeps a monitor to their own pages.

A monitor (``monitors.selectors.is_monitor``: an account with no place in any partnership, given some plan)
may open the monitor's pages (the ``monitors`` URL namespace, under ``/monitor/``), the account pages under
``/accounts/`` (signing in and out, their password, their second factor, their sessions) and the accessibility
statement. Every other address of the service answers them the same 404 as an address that does not exist,
whatever view it would reach; the home page sends them to their own. Members' code below never sees a monitor.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject

from monitors.selectors import is_monitor

#: The namespace of the monitor's own pages.
MONITOR_NAMESPACE = "monitors"
#: Where the account pages live: every route under it is about the account, never a partnership's data.
ACCOUNT_ROUTE = "accounts/"
#: Pages with no partnership's data that everyone may read.
OPEN_PAGES = frozenset({"accessibility", "health"})


class MonitorWallMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        # Asked at most once a request, and only when something needs it (the wall below, the header).
        request.outside_monitor = SimpleLazyObject(lambda: user is not None and is_monitor(user))
        if user is not None and user.is_authenticated:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None  # answered 404 further on, as it is for anyone
            if match is not None and not self._open_to_all(match) and request.outside_monitor:
                if match.url_name == "home" and not match.namespaces:
                    return redirect("monitors:home")
                raise Http404
        return self.get_response(request)

    @staticmethod
    def _open_to_all(match) -> bool:
        return (
            MONITOR_NAMESPACE in match.namespaces
            or match.route.startswith(ACCOUNT_ROUTE)
            or (match.url_name in OPEN_PAGES and not match.namespaces)
        )
