"""The per-token rate limit (its own module: DRF reads it while defining its views)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import throttling


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """``settings.API_RATE_LIMIT`` requests per token (read at each request, so a deployment can change it)."""

    scope = "api_token"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT

    def allow_request(self, request: Any, view: Any) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.auth is None:
            return None  # refused anyway: no token
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
