"""A partnership's logo, checked once on upload: a PNG as it is, an SVG rebuilt from an allow-list.

Reports embed the logo as a ``data:`` image (page, PDF and published copy alike), so what is stored is
what every reader's browser and WeasyPrint will draw. An SVG is parsed with defusedxml (no document type,
no entities, no external anything) and written out afresh keeping only drawing elements and presentation
attributes: scripts, event handlers, ``foreignObject``, styles that fetch anything and links other than to
the drawing's own parts are dropped. A file that cannot be read is refused with a message saying so.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree  # writes the rebuilt tree; defusedxml parses
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

#: The largest logo accepted, in bytes.
MAX_LOGO_BYTES = 256 * 1024
#: The largest PNG accepted, in pixels each way.
MAX_PNG_SIDE = 4000
#: The largest SVG drawing accepted, in its own units each way (width, height and viewBox): a logo is drawn a
#: few centimetres wide, and a drawing that claims to be enormous costs every renderer time and memory.
MAX_SVG_SIDE = 2000
#: At most this many ``<use>`` copies, none of them of something that itself holds a ``<use>``: copies of
#: copies multiply, and a few hundred bytes could otherwise ask a renderer to draw millions of shapes.
MAX_SVG_USES = 50
#: Properties an SVG's ``style`` attribute may set (the rest of a style is dropped).
STYLE_PROPERTIES = frozenset(
    {
        "fill", "fill-opacity", "fill-rule", "opacity", "stroke", "stroke-width", "stroke-linecap",
        "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity",
        "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
        "letter-spacing", "stop-color", "stop-opacity", "clip-path", "clip-rule", "mask", "display",
        "visibility",
    }
)  # fmt: skip
#: A style value: words, numbers, colours and the drawing's own url(#id); no other function (image-set(), ...).
_STYLE_VALUE = re.compile(
    r"^(?:[#\w\s.,%'\"-]|url\(\s*['\"]?#[\w.-]+['\"]?\s*\)|(?:rgb|rgba|hsl|hsla)\([\d\s.,%]+\))*$"
)

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: Drawing elements kept; any other element is dropped with everything inside it.
ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "symbol", "use", "title", "desc",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan",
        "linearGradient", "radialGradient", "stop", "clipPath", "mask",
    }
)  # fmt: skip
#: Attributes kept (without a namespace), once their value passes :func:`_safe_value`.
ATTRIBUTES = frozenset(
    {
        "id", "class", "viewBox", "width", "height", "preserveAspectRatio", "version",
        "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "dx", "dy",
        "d", "points", "transform", "offset",
        "fill", "fill-opacity", "fill-rule", "opacity",
        "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
        "stroke-dasharray", "stroke-dashoffset", "stroke-opacity",
        "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
        "letter-spacing", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod",
        "clip-path", "clip-rule", "clipPathUnits", "mask", "maskUnits", "style", "href",
    }
)  # fmt: skip
_URL = re.compile(r"url\s*\(\s*['\"]?\s*([^)'\"]*)", re.IGNORECASE)
_FORBIDDEN_IN_VALUES = re.compile(r"javascript:|data:|expression\s*\(|@import|\\", re.IGNORECASE)


class LogoRefused(ValueError):
    """The file cannot be a logo; the message says why, in words for the person who uploaded it."""


@dataclass(frozen=True)
class Logo:
    content: bytes
    content_type: str  # "image/png" or "image/svg+xml"


def checked_logo(content: bytes) -> Logo:
    """The logo to store for an uploaded file: a PNG unchanged, an SVG sanitised; :class:`LogoRefused` otherwise."""
    if len(content) > MAX_LOGO_BYTES:
        raise LogoRefused(f"The logo must be smaller than {MAX_LOGO_BYTES // 1024} KB")
    if not content.strip():
        raise LogoRefused("The selected logo file is empty")
    if content.startswith(PNG_SIGNATURE):
        return Logo(_checked_png(content), "image/png")
    if b"<svg" in content[:4096] or content.lstrip().startswith(b"<?xml"):
        return Logo(sanitised_svg(content), "image/svg+xml")
    raise LogoRefused("The logo must be a PNG or an SVG")


def _checked_png(content: bytes) -> bytes:
    """The PNG drawn afresh: only its pixels, none of its chunks (text, a resolution of 0 dpi, ...)."""
    from PIL import Image, UnidentifiedImageError

    unreadable = "The logo could not be read as a PNG image. Save it again as a PNG and upload that"
    too_big = f"The logo must be at most {MAX_PNG_SIDE} pixels wide and high"
    try:
        with Image.open(io.BytesIO(content)) as image:  # reads the header only: nothing is decompressed yet
            if image.width > MAX_PNG_SIDE or image.height > MAX_PNG_SIDE:
                raise LogoRefused(too_big)
            image.load()
            pixels = image.convert("RGBA") if image.mode not in ("RGB", "RGBA", "L", "LA", "P") else image.copy()
    except LogoRefused:
        raise
    except Image.DecompressionBombError as error:
        raise LogoRefused(too_big) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise LogoRefused(unreadable) from error
    redrawn = io.BytesIO()
    pixels.save(redrawn, format="PNG", optimize=True)
    return redrawn.getvalue()


def sanitised_svg(content: bytes) -> bytes:
    """The SVG rebuilt with only allowed elements and attributes; :class:`LogoRefused` if it cannot be parsed."""
    try:
        root = fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise LogoRefused(
            "The logo could not be used: SVG files with a document type or entities are not accepted"
        ) from error
    except ElementTree.ParseError as error:
        raise LogoRefused(
            "The logo could not be read as an SVG file. Export it again from your design program, or upload a PNG"
        ) from error
    if root.tag != f"{{{SVG_NS}}}svg":
        raise LogoRefused("The logo could not be read as an SVG file: it does not start with an svg element")
    clean = _copy(root)
    if not clean.get("viewBox") and clean.get("width") and clean.get("height"):
        clean.set("viewBox", f"0 0 {_number(clean.get('width'))} {_number(clean.get('height'))}")
    _refuse_enormous(clean)
    ElementTree.register_namespace("", SVG_NS)
    ElementTree.register_namespace("xlink", XLINK_NS)
    return ElementTree.tostring(clean, encoding="utf-8", xml_declaration=False)


def _refuse_enormous(root: ElementTree.Element) -> None:
    """:class:`LogoRefused` for a drawing larger than :data:`MAX_SVG_SIDE` or with copies of copies."""
    box = (root.get("viewBox") or "").replace(",", " ").split()
    sides = [root.get("width"), root.get("height"), *(box[2:4] if len(box) == 4 else [])]
    if not any(sides):
        raise LogoRefused("The logo's SVG must say its size: export it again with a width and height, or a viewBox")
    if any(float(_number(side)) > MAX_SVG_SIDE for side in sides if side):
        raise LogoRefused(f"The logo's SVG must be at most {MAX_SVG_SIDE} units wide and high. Export it smaller")
    uses = root.findall(f".//{{{SVG_NS}}}use")
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    copied = [by_id.get((use.get("href") or "").strip()[1:]) for use in uses]
    if len(uses) > MAX_SVG_USES or any(
        target is not None and (target.tag == f"{{{SVG_NS}}}use" or target.find(f".//{{{SVG_NS}}}use") is not None)
        for target in copied
    ):
        raise LogoRefused(
            "The logo's SVG repeats parts of itself too many times to be drawn safely. Export it again with "
            "its shapes written out, or upload a PNG"
        )


def _number(length: str | None) -> str:
    match = re.match(r"\s*([0-9.]+)", length or "")
    return match.group(1) if match else "0"


def _copy(element: ElementTree.Element) -> ElementTree.Element:
    copied = ElementTree.Element(element.tag)
    for name, value in element.attrib.items():
        kept = _kept_attribute(name, value)
        if kept:
            copied.set(*kept)
    copied.text = element.text
    for child in element:
        namespace, _, local = child.tag.rpartition("}")
        if namespace.lstrip("{") == SVG_NS and local in ELEMENTS:
            copied.append(_copy(child))
            copied[-1].tail = child.tail
    return copied


def _kept_attribute(name: str, value: str) -> tuple[str, str] | None:
    namespace, _, local = name.rpartition("}")
    namespace = namespace.lstrip("{")
    if namespace == XML_NS and local == "space":
        return name, value
    if namespace == XLINK_NS and local == "href":
        name = "href"  # written as SVG 2's plain href
    elif namespace or local not in ATTRIBUTES:
        return None  # event handlers (onload...), unknown namespaces, anything not drawing
    if local == "href":
        return (name, value) if value.strip().startswith("#") else None  # only the drawing's own parts
    if local == "style":
        value = _safe_style(value)
        return (name, value) if value else None
    if not _safe_value(value):
        return None
    return name, value


def _safe_style(style: str) -> str:
    """The declarations of a style attribute that only draw: allowed properties with plain values."""
    kept = []
    for declaration in style.split(";"):
        prop, _, value = declaration.partition(":")
        prop, value = prop.strip().lower(), value.strip()
        if prop in STYLE_PROPERTIES and value and _safe_value(value) and _STYLE_VALUE.match(value):
            kept.append(f"{prop}:{value}")
    return ";".join(kept)


def _safe_value(value: str) -> bool:
    """No script, no data, no fetch: every url() must point inside the drawing (url(#gradient))."""
    if _FORBIDDEN_IN_VALUES.search(value):
        return False
    return all(target.strip().startswith("#") for target in _URL.findall(value))
