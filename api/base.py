"""What every API endpoint shares: scopes, the per-token rate limit, pagination, ETags, and errors as JSON.

* :class:`HasScope`: a token reads only what its scopes name (``required_scope`` on the view).
* ``api.throttling.TokenRateThrottle``: ``settings.API_RATE_LIMIT`` requests per token, in the shared cache.
* ``api.pagination.Pagination``: ``?page=`` and ``?page_size=`` (1 to 1,000; anything else is a 400).
* ``api.errors.exception_handler``: every error as JSON.
* :class:`ReadOnlyViewSet`: refuses query parameters it does not know (400), answers ``If-None-Match`` with 304.
"""

from __future__ import annotations

from typing import Any

from django.utils.cache import get_conditional_response, set_response_etag
from rest_framework import exceptions, mixins, permissions, viewsets

#: Query parameters every list takes besides its filters.
COMMON_PARAMETERS = {"page", "page_size"}


class HasScope(permissions.BasePermission):
    """The token's scopes include the view's ``required_scope``."""

    message = "This token may not read this: ask your partnership manager for a token with that scope."

    def has_permission(self, request: Any, view: Any) -> bool:
        token = request.auth
        return token is not None and token.allows(view.required_scope)


def known_parameters(view: Any) -> set[str]:
    """The query parameters a view understands: its filters' and the common ones."""
    known = set(COMMON_PARAMETERS)
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        known |= set(filterset_class.base_filters)
    return known | set(getattr(view, "extra_parameters", ()))


def refuse_unknown_parameters(request: Any, view: Any) -> None:
    """400 for a parameter the view does not know, or one given with no value (``?plan=``): a mistake, not "any"."""
    empty = sorted(name for name, values in request.query_params.lists() if any(value == "" for value in values))
    if empty:
        raise exceptions.ValidationError({name: ["Give a value, or leave the parameter out."] for name in empty})
    unknown = sorted(set(request.query_params) - known_parameters(view))
    if unknown:
        raise exceptions.ValidationError(
            {
                name: [f"Unknown query parameter: use one of {', '.join(sorted(known_parameters(view)))}."]
                for name in unknown
            }
        )


def with_etag(request: Any, response: Any) -> Any:
    """A successful GET's ETag (a hash of its body), and 304 Not Modified when ``If-None-Match`` already has it."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    set_response_etag(response)
    return get_conditional_response(request, etag=response.get("ETag"), response=response)


class ApiView:
    """For token holders with ``required_scope``; no session, no CSRF, no sign-in page."""

    permission_classes = [permissions.IsAuthenticated, HasScope]
    required_scope = "plans"
    #: Ids in URLs are whole numbers of at most 18 digits: anything else is a 404 before the database is asked.
    lookup_value_regex = "[0-9]{1,18}"

    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        view = super().as_view(*args, **kwargs)
        view.login_required = False  # Django's LoginRequiredMiddleware: the token is the sign-in
        return view

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        refuse_unknown_parameters(request, self)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        return with_etag(request, response)


class ReadOnlyViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """A list (filtered, paginated) and a detail."""


class ListViewSet(ApiView, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A list only."""
