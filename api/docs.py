"""The API's OpenAPI 3.1 schema (``/api/schema``) and its documentation page (``/api/docs``), built from it.

Both are public: they describe the API and hold no partnership's data. The page is a GOV.UK page rendered on
the server from the same schema, so it needs no script and no asset from elsewhere (the Content Security
Policy allows neither).
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny

schema_view = login_not_required(
    SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny], throttle_classes=[])
)

_METHOD_ORDER = ("get", "head")


@functools.cache
def api_schema() -> dict[str, Any]:
    """The schema, generated once per process: it changes only with the code."""
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _type_words(schema: dict[str, Any], node: dict[str, Any]) -> str:
    node = _resolve(schema, node)
    kind = node.get("type", "")
    if isinstance(kind, list):
        nullable = "null" in kind
        kind = next((k for k in kind if k != "null"), "")
    else:
        nullable = False
    if kind == "array":
        words = f"list of {_type_words(schema, node.get('items', {}))}"
    elif "enum" in node:
        words = "one of " + ", ".join(str(value) for value in node["enum"] if value not in ("", None))
    elif node.get("oneOf") or node.get("allOf"):
        words = " or ".join(_type_words(schema, part) for part in node.get("oneOf") or node.get("allOf"))
    else:
        words = {"string": "text", "integer": "whole number", "boolean": "true or false", "number": "number"}.get(
            kind, kind or "value"
        )
        if node.get("format") in ("date", "date-time"):
            words = "date" if node["format"] == "date" else "date and time"
    return f"{words}, or null" if nullable else words


def _fields(schema: dict[str, Any], node: dict[str, Any]) -> list[dict[str, str]]:
    node = _resolve(schema, node)
    if node.get("type") == "array":
        node = _resolve(schema, node.get("items", {}))
    properties = node.get("properties", {})
    if "results" in properties:  # a page of rows: document the rows
        return _fields(schema, properties["results"])
    return [
        {"name": name, "type": _type_words(schema, prop), "description": _resolve(schema, prop).get("description", "")}
        for name, prop in properties.items()
    ]


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method not in _METHOD_ORDER:
                continue
            ok = operation.get("responses", {}).get("200", {})
            media = ok.get("content", {})
            body = media.get("application/json", {}).get("schema")
            operations.append(
                {
                    "anchor": operation["operationId"].replace("_", "-"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary") or operation.get("description", "").split("\n")[0],
                    "description": operation.get("description", "").replace("`", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "type": _type_words(schema, parameter.get("schema", {})),
                            "description": parameter.get("description", "").replace("`", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "media_types": list(media),
                    "fields": _fields(schema, body) if body else [],
                }
            )
    return operations


@login_not_required
def docs_page(request: HttpRequest) -> HttpResponse:
    schema = api_schema()
    return render(
        request,
        "api/docs.html",
        {"info": schema["info"], "operations": _operations(schema), "openapi": schema["openapi"]},
    )
