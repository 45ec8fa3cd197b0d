"""drf-spectacular hook: the errors every endpoint can answer, and what each id parameter does, documented once."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERRORS = {
    "400": "A query parameter is unknown or its value is not valid: `errors` says which.",
    "401": "No token, or one that is not valid, has expired or has been revoked.",
    "403": "The token's scopes do not include this.",
    "404": "Not found, or not your partnership's.",
    "429": "Too many requests for this token: wait the `Retry-After` seconds.",
}


#: What an id parameter does, wherever it is used (a filter's schema is fixed by its class: api.filters.IdFilter).
ID_PARAMETERS = {
    "id": "The row's id.",
    "plan": "Only rows of this plan (its id).",
    "round": "Only rows of this round (its id).",
    "action": "Only rows of this action (its id).",
    "update": "Only files of this update (its id).",
    "inspection": "Only findings of this inspection or review (its id).",
    "lead_agency": "Only actions this agency leads (its id).",
}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = {
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
        "required": ["detail"],
    }
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if not parameter.get("description") and parameter["name"] in ID_PARAMETERS:
                    parameter["description"] = ID_PARAMETERS[parameter["name"]]
            responses = operation.setdefault("responses", {})
            for code, words in ERRORS.items():
                responses.setdefault(code, {"description": words, "content": body})
            responses.setdefault("304", {"description": "Not modified: the `If-None-Match` ETag is current."})
    return result


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes api.authentication.BearerTokenAuthentication."""

    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A partnership's API token, made by its manager."}
