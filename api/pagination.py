"""Pages of a list: ``?page=`` and ``?page_size=`` (1 to :data:`MAX_PAGE_SIZE`; anything else is a 400)."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, pagination

#: Rows a page may hold at most; 100 unless ``page_size`` says otherwise.
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100


class Pagination(pagination.PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Any) -> int:
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return self.page_size
        if not asked.isdigit() or not 1 <= int(asked) <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError({"page_size": [f"Enter a whole number from 1 to {MAX_PAGE_SIZE}."]})
        return int(asked)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        described["required"] = ["count", "next", "previous", "results"]
        return described

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 10**9}
        return parameters
