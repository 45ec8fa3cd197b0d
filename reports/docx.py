"""Committee reports as Word documents, made from the same HTML as the PDF.

:func:`html_to_docx` walks the rendered report page (``render_report_html``,
or a published version's stored HTML) and writes what a reader of the PDF
sees as a Word document, so the two say the same by construction:

* **What is printed, and nothing else.** The page's own stylesheets (linked
  or inline) decide: an element whose class the print stylesheet hides
  (``display: none`` under ``@media print``: the service's header, menus,
  breadcrumbs, ``app-no-print``) or that is ``hidden`` is left out; a class
  that starts a new page in print starts one here; a heading numbered by a
  CSS counter (``.x::before { content: counter(n) ". " }``) gets the same
  number; the page's running header (``@page`` margin boxes with
  ``string-set`` strings) and "Page N of M" become Word's header and footer.
  Only these print rules and single-class selectors are read; everything else
  of the CSS is Word's own styling.
* **Accessible Word.** Real heading styles (``h1``–``h6`` to Heading 1–6),
  Word lists (``ul``/``ol``), tables whose ``thead`` rows repeat as header
  rows (``w:tblHeader``) with their caption above, pictures with alt text
  (``wp:docPr descr``, from ``alt``, ``aria-label``, ``aria-labelledby`` or
  the SVG's ``<title>``; a picture with none is marked decorative), the
  title and language in the document's properties, Arial 12 pt text.
* **Nothing fetched.** SVG is drawn by CairoSVG with a fetcher that allows
  inline ``data:`` images only; ``<img>`` reads ``data:`` URIs and the app's
  own static files (:func:`reports.pdf.static_path_for`), never the network.

Anything else is handled generically: an element it does not know is a
container, and its text becomes paragraphs.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urljoin

import lxml.html
import tinycss2
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from reports.pdf import BASE_URL, static_path_for

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FONT = "Arial"
BODY_PT = 12
HEADINGS = {1: (18, 0, 12), 2: (14, 18, 6), 3: (12, 12, 4), 4: (12, 10, 2), 5: (12, 8, 2), 6: (12, 8, 2)}
TEXT_COLOUR = RGBColor(0x0B, 0x0C, 0x0C)
QUIET_COLOUR = RGBColor(0x50, 0x5A, 0x5F)
LINK_COLOUR = RGBColor(0x1D, 0x70, 0xB8)
HEADER_FILL = "F3F2F1"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN = Mm(20)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
KEEP_TOGETHER_ROWS = 15
TERM_WIDTH = Mm(45)  # a description list's terms, as on the report's cover
SVG_PX = Pt(0.75)  # one CSS pixel

SKIPPED_TAGS = {"head", "script", "style", "template", "noscript", "input", "button", "select", "textarea"}
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "details", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "html", "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
}  # fmt: skip
LINK_SCHEMES = ("http://", "https://", "mailto:")
IMAGE_TYPES = {"png": "png", "jpeg": "jpeg", "jpg": "jpeg", "gif": "gif", "svg+xml": "svg"}
DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def html_to_docx(html: str, *, title: str) -> bytes:
    """The report page ``html`` as a Word document (.docx), with ``title`` as its document title."""
    root = lxml.html.document_fromstring(html)
    rules = print_rules(_stylesheets(root))
    document = Document()
    _set_up(document, title=title, language=root.get("lang") or "en-GB")
    writer = _Writer(document, root, rules)
    body = next(iter(root.iter("main")), None)
    writer.blocks(body if body is not None else root.find("body"), _Container(document, writer.style_id), _Format())
    writer.page_furniture(title)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# The print stylesheet ---------------------------------------------------------------------------


@dataclasses.dataclass
class PrintRules:
    """What the page's CSS says about print, for elements known by one class."""

    hidden: set[str] = dataclasses.field(default_factory=set)
    page_break_before: set[str] = dataclasses.field(default_factory=set)
    looks: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    counters: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)  # class: (counter, suffix)
    running: dict[str, str] = dataclasses.field(default_factory=dict)  # class: string-set name
    margin_boxes: dict[str, tuple[list[tuple[str, str]], bool]] = dataclasses.field(default_factory=dict)
    first_page_blank: set[str] = dataclasses.field(default_factory=set)


def _stylesheets(root) -> str:
    """The page's CSS in cascade order: inline <style> and our own linked static files (nothing else)."""
    sheets = []
    for element in root.iter("style", "link"):
        if element.tag == "style":
            sheets.append(element.text or "")
        elif "stylesheet" in (element.get("rel") or "").split():
            path = static_path_for(urljoin(BASE_URL, element.get("href") or ""))
            if path is not None:
                sheets.append(_read_text(str(path), path.stat().st_mtime_ns))
    return "\n".join(sheets)


@functools.lru_cache(maxsize=16)
def _read_text(path: str, mtime_ns: int) -> str:
    return Path(path).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=8)
def print_rules(css: str) -> PrintRules:
    """The print rules of ``css`` (parsed once per distinct stylesheet and process)."""
    rules = PrintRules()
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type == "qualified-rule":
            _read_rule(rule, rules, printing=False)
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and _for_print(rule.prelude):
            for inner in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True):
                if inner.type == "qualified-rule":
                    _read_rule(inner, rules, printing=True)
        elif rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content:
            first = ":first" in tinycss2.serialize(rule.prelude or [])
            for box in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True):
                if box.type == "at-rule" and box.content is not None:
                    declarations = _declarations(box.content)
                    content = declarations.get("content")
                    if first and content is not None and tinycss2.serialize(content).strip() == "none":
                        rules.first_page_blank.add(box.lower_at_keyword)
                    elif not first and content is not None:
                        weight = declarations.get("font-weight", [])
                        bold = _look("font-weight", weight, [t.lower_value for t in weight if t.type == "ident"])
                        rules.margin_boxes[box.lower_at_keyword] = (_content_parts(content), bool(bold.get("bold")))
    return rules


def _for_print(prelude) -> bool:
    words = [token.lower_value for token in prelude if token.type == "ident"]
    return "print" in words and "not" not in words


def _declarations(content) -> dict[str, list]:
    return {
        item.lower_name: item.value
        for item in tinycss2.parse_blocks_contents(content, skip_whitespace=True, skip_comments=True)
        if item.type == "declaration"
    }


def _single_classes(prelude) -> Iterator[tuple[str, str]]:
    """(class, pseudo-element) for each selector in the list that is one class, optionally ``::before``."""
    selector: list = []
    for token in [*prelude, None]:
        if token is None or (token.type == "literal" and token.value == ","):
            parts = [t for t in selector if t.type != "whitespace"]
            kinds = [(t.type, getattr(t, "value", None)) for t in parts]
            if len(parts) == 2 and kinds[0] == ("literal", ".") and parts[1].type == "ident":
                yield parts[1].value, ""
            elif (
                len(parts) == 5
                and kinds[0] == ("literal", ".")
                and parts[1].type == "ident"
                and kinds[2] == kinds[3] == ("literal", ":")
                and parts[4].type == "ident"
            ):
                yield parts[1].value, parts[4].lower_value
            selector = []
        else:
            selector.append(token)


def _read_rule(rule, rules: PrintRules, *, printing: bool) -> None:
    declarations = _declarations(rule.content)
    for name, pseudo in _single_classes(rule.prelude):
        if pseudo == "before":
            content = declarations.get("content")
            parts = _content_parts(content) if content else []
            if len(parts) == 2 and parts[0][0] == "counter" and parts[1][0] == "text":
                rules.counters[name] = (parts[0][1], parts[1][1])
            continue
        if pseudo:
            continue
        for key, value in declarations.items():
            words = [token.lower_value for token in value if token.type == "ident"]
            if key == "display" and printing and words[:1] == ["none"]:
                rules.hidden.add(name)
            elif key in ("break-before", "page-break-before") and set(words) & {"page", "always"}:
                rules.page_break_before.add(name)
            elif key == "string-set" and words:
                rules.running[name] = value[0].value if value[0].type == "ident" else words[0]
            elif key == "font-size" and printing and name.startswith("app-"):
                # The service's own print sizes, never below the body's 12 pt (GOV.UK Frontend's print sizes
                # are for its own pages: report.css overrides them with selectors this reader does not follow).
                points = next((t.value for t in value if t.type == "dimension" and t.unit == "pt"), None)
                rules.looks.setdefault(name, {})["size"] = points if points and points > BODY_PT else None
            else:
                look = _look(key, value, words)
                if look:
                    rules.looks.setdefault(name, {}).update(look)


def _look(key: str, value, words: list[str]) -> dict[str, Any]:
    """What one declaration says about a run's look, in the few properties a Word run has."""
    if key == "font-weight":
        weight = next((token.int_value for token in value if token.type == "number"), None)
        return {"bold": "bold" in words or (weight or 0) >= 600}
    if key == "font-style":
        return {"italic": bool({"italic", "oblique"} & set(words))}
    if key == "text-transform":
        return {"caps": "uppercase" in words}
    return {}


def _content_parts(value) -> list[tuple[str, str]]:
    parts = []
    for token in value:
        if token.type == "string":
            parts.append(("text", token.value))
        elif token.type == "function" and token.lower_name in ("counter", "string"):
            argument = next((t.value for t in token.arguments if t.type == "ident"), "")
            parts.append((token.lower_name, argument))
    return parts


# The document's settings ------------------------------------------------------------------------


def _set_up(document, *, title: str, language: str) -> None:
    properties = document.core_properties
    properties.title = title
    properties.language = language
    properties.author = properties.last_modified_by = properties.comments = properties.keywords = ""
    properties.subject = properties.category = ""

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Mm(10)

    styles = document.styles
    _font(styles["Normal"], size=BODY_PT, language=language)
    normal = styles["Normal"].paragraph_format
    normal.space_before, normal.space_after, normal.line_spacing = Pt(0), Pt(8), 1.15
    for level, (size, before, after) in HEADINGS.items():
        style = styles[f"Heading {level}"]
        _font(style, size=size, bold=True)
        style.font.italic = False
        layout = style.paragraph_format
        layout.space_before, layout.space_after, layout.keep_with_next = Pt(before), Pt(after), True
    caption = styles["Caption"]
    _font(caption, size=BODY_PT, bold=True)
    caption.font.italic = False
    caption.paragraph_format.space_before, caption.paragraph_format.space_after = Pt(6), Pt(4)
    caption.paragraph_format.keep_with_next = True
    for name in ("Header", "Footer"):
        _font(styles[name], size=10, colour=QUIET_COLOUR)
        styles[name].paragraph_format.tab_stops.clear_all()  # the template's are for US Letter
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2", "List Number 3"):
        styles[name].paragraph_format.space_after = Pt(4)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb, link.font.underline = LINK_COLOUR, True


def _font(style, *, size: float, bold: bool | None = None, colour: RGBColor = TEXT_COLOUR, language=None) -> None:
    """Arial in every script slot (no theme font, which would win), in one colour, at one size."""
    style.font.name, style.font.size, style.font.color.rgb = FONT, Pt(size), colour
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:eastAsia"), FONT)
    fonts.set(qn("w:cs"), FONT)
    if language:
        rpr = style.element.get_or_add_rPr()
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), language)


# Walking the page -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Format:
    bold: bool | None = None
    italic: bool | None = None
    caps: bool | None = None
    size: float | None = None
    mono: bool = False
    link: str | None = None


@dataclasses.dataclass
class _Text:
    text: str
    format: _Format


@dataclasses.dataclass
class _Picture:
    element: Any
    format: _Format


class _Break:
    pass


class _Container:
    """Where blocks go: the document body, or a table cell (whose first paragraph is already there)."""

    def __init__(self, target, style_id, *, spare: Paragraph | None = None) -> None:
        self.target = target
        self.style_id = style_id
        self.spare = spare
        # The body's paragraphs go just before its section properties (python-docx searches for them each time).
        body = getattr(target, "element", None)
        self.section = body.body.sectPr if body is not None and hasattr(body, "body") else None

    def add_paragraph(self, style: str | None = None) -> Paragraph:
        if self.spare is not None:
            paragraph, self.spare = self.spare, None
        elif self.section is not None:
            element = OxmlElement("w:p")
            self.section.addprevious(element)
            paragraph = Paragraph(element, self.target._body)
        else:
            paragraph = self.target.add_paragraph()
        if style:
            paragraph._p.style = self.style_id(style)  # by id: python-docx finds a name through every style
        return paragraph

    def add_table(self, rows: int, cols: int):
        if self.spare is not None:  # a cell that starts with a table: drop the empty paragraph before it
            self.spare._p.getparent().remove(self.spare._p)
            self.spare = None
        return self.target.add_table(rows, cols)


class _Writer:
    def __init__(self, document, root, rules: PrintRules) -> None:
        self.document = document
        self.rules = rules
        self.ids = {element.get("id"): element for element in root.iter() if isinstance(element.tag, str)}
        self.ids.pop(None, None)
        self.counters: dict[str, int] = {}
        self.running: dict[str, str] = {}
        self.break_pending = False
        self.pictures = 0
        self.style_ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    # Blocks ----------------------------------------------------------------------------------

    def skipped(self, element) -> bool:
        if not isinstance(element.tag, str) or element.tag in SKIPPED_TAGS or element.get("hidden") is not None:
            return True
        return bool(self.rules.hidden & set(element.classes))

    def format_of(self, element, outer: _Format) -> _Format:
        changes: dict[str, Any] = {}
        for name in element.classes:
            changes.update(self.rules.looks.get(name, {}))
        if element.tag in ("strong", "b", "th"):
            changes["bold"] = True
        elif element.tag in ("em", "i", "cite"):
            changes["italic"] = True
        elif element.tag in ("code", "kbd", "samp", "pre"):
            changes["mono"] = True
        elif element.tag == "a" and (element.get("href") or "").startswith(LINK_SCHEMES):
            changes["link"] = element.get("href")
        for name in element.classes:
            running = self.rules.running.get(name)
            if running and running not in self.running:  # the first on the page, as on the PDF's first page
                self.running[running] = " ".join(element.text_content().split())
        return dataclasses.replace(outer, **changes) if changes else outer

    def blocks(self, element, container: _Container, outer: _Format) -> None:
        """Each block child as its own paragraphs, and runs of inline content between them as paragraphs."""
        if element is None:
            return
        pending: list = []
        for piece in self.children(element, outer):
            if isinstance(piece, tuple):  # a block element
                self.paragraph(container, pending)
                pending = []
                self.block(*piece, container)
            else:
                pending.append(piece)
        self.paragraph(container, pending)

    def children(self, element, outer: _Format) -> Iterator:
        """The element's content: inline pieces (text, pictures, breaks), and (element, format) for blocks."""
        if element.text:
            yield _Text(element.text, outer)
        for child in element:
            if not self.skipped(child):
                look = self.format_of(child, outer)
                if child.tag in BLOCK_TAGS:
                    yield (child, look)
                else:
                    yield from self.inline(child, look)
            if child.tail:
                yield _Text(child.tail, outer)

    def inline(self, element, look: _Format) -> Iterator:
        if element.tag in ("svg", "img"):
            yield _Picture(element, look)
        elif element.tag == "br":
            yield _Break()
        else:
            for piece in self.children(element, look):
                if isinstance(piece, tuple):  # a block inside an inline element: read it as inline
                    yield from self.inline(*piece)
                else:
                    yield piece

    def block(self, element, look: _Format, container: _Container) -> None:
        if any(name in self.rules.page_break_before for name in element.classes):
            self.break_pending = True
        tag = element.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            heading = dataclasses.replace(look, size=None, bold=None)
            pieces = list(self.inline(element, heading))
            counted = next((name for name in element.classes if name in self.rules.counters), None)
            if counted:
                counter, suffix = self.rules.counters[counted]
                self.counters[counter] = self.counters.get(counter, 0) + 1
                pieces.insert(0, _Text(f"{self.counters[counter]}{suffix}", heading))
            self.paragraph(container, pieces, style=f"Heading {tag[1]}", always=True)
        elif tag in ("ul", "ol"):
            self.list(element, look, container, level=1)
        elif tag == "table":
            self.table(element, look, container)
        elif tag == "dl":
            self.description_list(element, look, container)
        elif tag in ("figcaption", "caption"):
            self.paragraph(container, list(self.inline(element, look)), style="Caption")
        elif tag == "hr":
            return
        else:
            self.blocks(element, container, look)

    def paragraph(self, container, pieces: list, *, style: str | None = None, always: bool = False):
        pieces = _collapse(pieces)
        if not pieces and not always:
            return None
        paragraph = container.add_paragraph(style)
        if self.break_pending:
            paragraph.paragraph_format.page_break_before = True
            self.break_pending = False
        self.runs(paragraph, pieces)
        return paragraph

    def runs(self, paragraph: Paragraph, pieces: list) -> None:
        for piece in pieces:
            if isinstance(piece, _Break):
                paragraph.add_run().add_break()
            elif isinstance(piece, _Picture):
                self.picture(paragraph, piece)
            elif piece.format.link:
                _hyperlink(paragraph, piece.text, piece.format)
            else:
                _format_run(_add_run(paragraph, piece.text), piece.format)

    # Lists, tables, description lists ---------------------------------------------------------

    def list(self, element, look: _Format, container: _Container, *, level: int) -> None:
        kind = "List Number" if element.tag == "ol" else "List Bullet"
        style = kind if level == 1 else f"{kind} {min(level, 3)}"
        number = None
        if kind == "List Number":
            number = _restarted_numbering(self.document, style, _whole(element.get("start"), 1))
        for item in element:
            if self.skipped(item):
                continue
            item_look = self.format_of(item, look)
            pieces: list = []
            for piece in self.children(item, item_look) if item.tag == "li" else [(item, item_look)]:
                if isinstance(piece, tuple) and piece[0].tag in ("ul", "ol"):
                    self.list_paragraph(container, pieces, style, number)
                    pieces = []
                    self.list(piece[0], piece[1], container, level=level + 1)
                elif isinstance(piece, tuple):
                    pieces.extend(self.inline(*piece))
                    pieces.append(_Break())
                else:
                    pieces.append(piece)
            while pieces and isinstance(pieces[-1], _Break):
                pieces.pop()
            self.list_paragraph(container, pieces, style, number)

    def list_paragraph(self, container, pieces, style, number) -> None:
        paragraph = self.paragraph(container, pieces, style=style)
        if paragraph is not None and number is not None:
            numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            numbering.get_or_add_numId().val = number

    def table(self, element, look: _Format, container: _Container) -> None:
        caption = element.find("caption")
        if caption is not None and not self.skipped(caption):
            self.paragraph(container, list(self.inline(caption, self.format_of(caption, look))), style="Caption")
        rows = []
        for part in element:
            if part.tag == "tr":
                rows.append((part, False))
            elif part.tag in ("thead", "tbody", "tfoot") and not self.skipped(part):
                rows.extend((row, part.tag == "thead") for row in part if row.tag == "tr" and not self.skipped(row))
        cells = [[cell for cell in row if cell.tag in ("th", "td") and not self.skipped(cell)] for row, _ in rows]
        columns = max((sum(_span(cell) for cell in row) for row in cells), default=0)
        if not columns:
            return
        table = container.add_table(0, columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        widths = _column_widths(cells, columns)
        for (_row, header), row_cells in zip(rows, cells, strict=True):
            row = table.add_row()
            properties = row._tr.get_or_add_trPr()
            properties.append(OxmlElement("w:cantSplit"))
            if header:
                properties.append(OxmlElement("w:tblHeader"))
            column = 0
            for cell_element in row_cells:
                span = min(_span(cell_element), columns - column)
                if span <= 0:
                    break
                cell = row.cells[column]
                if span > 1:
                    cell = cell.merge(row.cells[column + span - 1])
                cell.width = sum(widths[column : column + span])
                if header:
                    _shade(cell, HEADER_FILL)
                first = cell.paragraphs[0]
                self.blocks(
                    cell_element, _Container(cell, self.style_id, spare=first), self.format_of(cell_element, look)
                )
                if any(name.endswith("--numeric") for name in cell_element.classes):
                    for paragraph in cell.paragraphs:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.space_after = Pt(2)
                column += span
        for index, width in enumerate(widths):
            table.columns[index].width = width
        if len(rows) <= KEEP_TOGETHER_ROWS:  # a short table on one page, as the PDF keeps it
            for row in table.rows[:-1]:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        # Word needs something between two tables, and space after one reads better.
        container.add_paragraph().paragraph_format.space_after = Pt(0)

    def description_list(self, element, look: _Format, container: _Container) -> None:
        """Each term with its description on one line: the term in bold, a tab, the description."""
        groups: list[list] = []
        for child in element:
            if self.skipped(child):
                continue
            if child.tag == "div":
                groups.append([c for c in child if c.tag in ("dt", "dd") and not self.skipped(c)])
            elif child.tag == "dt" and (not groups or any(c.tag == "dd" for c in groups[-1])):
                groups.append([child])
            elif groups:
                groups[-1].append(child)
        for group in groups:
            pieces: list = []
            previous = None
            for part in group:
                part_look = self.format_of(part, look)
                if part.tag == "dt":
                    part_look = dataclasses.replace(part_look, bold=True)
                if previous is not None:
                    pieces.append(_Text("\t" if (previous, part.tag) == ("dt", "dd") else "; ", look))
                pieces.extend(_collapse(list(self.inline(part, part_look))))
                previous = part.tag
            paragraph = self.paragraph(container, pieces)
            if paragraph is not None:
                layout = paragraph.paragraph_format
                layout.left_indent, layout.first_line_indent = TERM_WIDTH, -TERM_WIDTH
                layout.tab_stops.add_tab_stop(TERM_WIDTH, WD_TAB_ALIGNMENT.LEFT)
                layout.space_after = Pt(4)

    # Pictures ----------------------------------------------------------------------------------

    def picture(self, paragraph: Paragraph, piece: _Picture) -> None:
        element = piece.element
        alt = self.alt_text(element)
        image = _svg_png(element) if element.tag == "svg" else _image(element.get("src") or "")
        if image is None:  # nothing we may read: its words instead
            if alt:
                _format_run(paragraph.add_run(alt), piece.format)
            return
        content, width_px = image
        run = paragraph.add_run()
        try:
            shape = run.add_picture(io.BytesIO(content), width=int(width_px * SVG_PX) if width_px else None)
        except Exception:  # an image Word's library cannot place (e.g. a PNG claiming 0 dpi): its words instead
            _format_run(run, piece.format)
            run.text = alt
            return
        if shape.width > TEXT_WIDTH:
            shape.height, shape.width = int(shape.height * TEXT_WIDTH / shape.width), TEXT_WIDTH
        self.pictures += 1
        for side in ("distT", "distB", "distL", "distR"):  # in line with the text, as the PDF has it
            shape._inline.set(side, "0")
        properties = shape._inline.docPr
        properties.set("name", f"Picture {self.pictures}")
        if alt:
            properties.set("descr", alt)
        else:
            _mark_decorative(properties)

    def alt_text(self, element) -> str:
        if element.get("aria-hidden") == "true" or element.get("role") in ("presentation", "none"):
            return ""
        if element.get("aria-label"):
            return " ".join(element.get("aria-label").split())
        if element.get("aria-labelledby"):
            labels = [self.ids.get(name) for name in element.get("aria-labelledby").split()]
            text = " ".join(label.text_content() for label in labels if label is not None)
            if text.strip():
                return " ".join(text.split())
        if element.tag == "img":
            return " ".join((element.get("alt") or "").split())
        title = element.find("title")
        return " ".join(title.text_content().split()) if title is not None else ""

    # Header and footer -------------------------------------------------------------------------

    def page_furniture(self, title: str) -> None:
        """The @page margin boxes as Word's header and footer ("Page N of M" as fields)."""
        section = self.document.sections[0]
        boxes = self.rules.margin_boxes
        if not boxes:
            boxes = {
                "top-left": ([("text", title)], False),
                "bottom-right": ([("text", "Page "), ("counter", "page")], False),
            }
        section.different_first_page_header_footer = bool(self.rules.first_page_blank)
        for edge, part in (("top", section.header), ("bottom", section.footer)):
            self.margin_line(part.paragraphs[0], edge, boxes, set())
        if self.rules.first_page_blank:
            self.margin_line(section.first_page_header.paragraphs[0], "top", boxes, self.rules.first_page_blank)
            self.margin_line(section.first_page_footer.paragraphs[0], "bottom", boxes, self.rules.first_page_blank)

    def margin_line(self, paragraph: Paragraph, edge: str, boxes, blank: set[str]) -> None:
        stops = {"center": (TEXT_WIDTH // 2, WD_TAB_ALIGNMENT.CENTER), "right": (TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)}
        for place in ("left", "center", "right"):
            name = f"{edge}-{place}"
            if name in blank or name not in boxes:
                continue
            parts, bold = boxes[name]
            if place in stops:
                paragraph.paragraph_format.tab_stops.add_tab_stop(*stops[place])
                paragraph.add_run("\t")
            for kind, value in parts:
                if kind == "text":
                    paragraph.add_run(value).bold = bold or None
                elif kind == "string":
                    paragraph.add_run(self.running.get(value, "")).bold = bold or None
                elif kind == "counter" and value in ("page", "pages"):
                    _field(paragraph, "PAGE" if value == "page" else "NUMPAGES", bold)


# Helpers ----------------------------------------------------------------------------------------


_SPACE = re.compile(r"[ \t\n\r\f]+")


def _collapse(pieces: list) -> list:
    """HTML's white space: runs of it one space, none at the start or end of a line."""
    out: list = []
    at_space = True
    for piece in pieces:
        if isinstance(piece, _Text):
            text = piece.text if "\t" in piece.text and not piece.text.strip(" \t") else _SPACE.sub(" ", piece.text)
            if at_space:
                text = text.lstrip(" ")
            if text:
                out.append(_Text(text, piece.format))
                at_space = text.endswith((" ", "\t"))
        else:
            if isinstance(piece, _Break):
                _trim_end(out)
            out.append(piece)
            at_space = isinstance(piece, _Break)
    _trim_end(out)
    while out and isinstance(out[-1], _Break):
        out.pop()
    return out


def _trim_end(pieces: list) -> None:
    while pieces and isinstance(pieces[-1], _Text):
        text = pieces[-1].text.rstrip(" ")
        if text:
            pieces[-1] = _Text(text, pieces[-1].format)
            return
        pieces.pop()


def _add_run(paragraph: Paragraph, text: str) -> Run:
    """``paragraph.add_run(text)``, without python-docx's character-by-character reading of plain text."""
    if "\t" in text or "\n" in text:
        return paragraph.add_run(text)
    run, words = OxmlElement("w:r"), OxmlElement("w:t")
    words.text = text
    words.set(qn("xml:space"), "preserve")
    run.append(words)
    paragraph._p.append(run)
    return Run(run, paragraph)


def _format_run(run, look: _Format) -> None:
    if look.bold is not None:
        run.bold = look.bold
    if look.italic is not None:
        run.italic = look.italic
    if look.caps:
        run.font.all_caps = True
    if look.size:
        run.font.size = Pt(look.size)
    if look.mono:
        run.font.name = "Courier New"


def _hyperlink(paragraph: Paragraph, text: str, look: _Format) -> None:
    relationship = paragraph.part.relate_to(look.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    paragraph._p.append(link)
    run = paragraph.add_run(text, style="Hyperlink")
    _format_run(run, dataclasses.replace(look, link=None))
    link.append(run._r)


def _field(paragraph: Paragraph, instruction: str, bold: bool) -> None:
    """A field Word fills in (PAGE, NUMPAGES), with a placeholder until it does."""
    for kind, text in (
        ("begin", None),
        ("instr", f" {instruction} "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        run.bold = bold or None
        if kind == "instr":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
        elif kind == "text":
            run.text = text
        else:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _whole(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _span(cell) -> int:
    try:
        return max(1, min(int(cell.get("colspan") or 1), 50))
    except ValueError:
        return 1


def _column_widths(rows: list[list], columns: int) -> list:
    """The columns' widths: room for each column's longest word, the rest shared by its longest cell."""
    longest, word = [1] * columns, [1] * columns
    for row in rows:
        column = 0
        for cell in row:
            span = _span(cell)
            if span == 1 and column < columns:
                words = cell.text_content().split()
                longest[column] = max(longest[column], min(len(" ".join(words)), 60))
                word[column] = max([word[column], *(min(len(w), 25) for w in words)])
            column += span
    # About 2.4 mm a character of 12 pt Arial, and the cell's padding.
    least = [int(Mm(2.4 * length + 4)) for length in word]
    if sum(least) >= TEXT_WIDTH:
        return [TEXT_WIDTH * width // sum(least) for width in least]
    spare = TEXT_WIDTH - sum(least)
    return [width + spare * length // sum(longest) for width, length in zip(least, longest, strict=True)]


def _restarted_numbering(document, style: str, start: int) -> int:
    """A new numbering instance of the list style's numbering, so each <ol> counts from its own start."""
    style_element = document.styles[style].element
    numbering_properties = style_element.pPr.numPr if style_element.pPr is not None else None
    if numbering_properties is None or numbering_properties.numId is None:
        return None
    numbering = document.part.numbering_part.element
    existing = numbering.num_having_numId(numbering_properties.numId.val)
    instance = numbering.add_num(existing.abstractNumId.val)
    override = instance.add_lvlOverride(ilvl=0)
    override.add_startOverride(start)
    return instance.numId


def _mark_decorative(properties) -> None:
    extensions = etree.SubElement(properties, qn("a:extLst"))
    extension = etree.SubElement(extensions, qn("a:ext"), uri=DECORATIVE_URI)
    etree.SubElement(extension, f"{{{DECORATIVE_NS}}}decorative", val="1")


# Images -----------------------------------------------------------------------------------------

# The HTML parser lower-cases SVG's mixed-case names; these put them back (the HTML standard's lists).
_SVG_MIXED_CASE = (
    "altGlyph altGlyphDef altGlyphItem animateColor animateMotion animateTransform clipPath feBlend "
    "feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap "
    "feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge "
    "feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence "
    "foreignObject glyphRef linearGradient radialGradient textPath "
    "attributeName attributeType baseFrequency baseProfile calcMode clipPathUnits diffuseConstant "
    "edgeMode filterUnits glyphRef gradientTransform gradientUnits kernelMatrix kernelUnitLength "
    "keyPoints keySplines keyTimes lengthAdjust limitingConeAngle markerHeight markerUnits markerWidth "
    "maskContentUnits maskUnits numOctaves pathLength patternContentUnits patternTransform patternUnits "
    "pointsAtX pointsAtY pointsAtZ preserveAlpha preserveAspectRatio primitiveUnits refX refY "
    "repeatCount repeatDur requiredExtensions requiredFeatures specularConstant specularExponent "
    "spreadMethod startOffset stdDeviation stitchTiles surfaceScale systemLanguage tableValues targetX "
    "targetY textLength viewBox viewTarget xChannelSelector yChannelSelector zoomAndPan"
)
_SVG_NAMES = {name.lower(): name for name in _SVG_MIXED_CASE.split()}
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"


def _svg_source(element) -> bytes:
    """An inline <svg> as a standalone SVG file, its names as SVG spells them."""

    def copy_of(node, parent=None):
        tag = _SVG_NAMES.get(node.tag, node.tag)
        attributes = {}
        for name, value in node.attrib.items():
            if name == "xmlns" or name.startswith("xmlns:"):
                continue
            if name.startswith("xlink:"):
                name = f"{{{_XLINK_NS}}}{name[6:]}"
            elif ":" in name:
                continue
            attributes[_SVG_NAMES.get(name, name)] = value
        made = (
            etree.Element(f"{{{_SVG_NS}}}{tag}", attributes, nsmap={None: _SVG_NS, "xlink": _XLINK_NS})
            if parent is None
            else etree.SubElement(parent, f"{{{_SVG_NS}}}{tag}", attributes)
        )
        made.text = node.text
        for child in node:
            if isinstance(child.tag, str):
                copy_of(child, made).tail = child.tail
        return made

    return etree.tostring(copy_of(element))


#: The most device pixels one picture is drawn with (a page-wide chart at three pixels to one needs about 5.5M).
MAX_PICTURE_PIXELS = 6_000_000


def _only_inline_images(url: str, resource_type: str) -> bytes:
    """CairoSVG's fetcher: inline data: images only; anything else draws as nothing."""
    if url.startswith("data:image/"):
        decoded = _data_uri(url)
        if decoded is not None:
            return decoded[1]
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'


def _svg_png(element) -> tuple[bytes, float] | None:
    return _svg_bytes_png(_svg_source(element))


def _svg_bytes_png(source: bytes) -> tuple[bytes, float] | None:
    from cairosvg.surface import PNGSurface  # only when a picture is drawn: it loads Cairo

    try:
        root = etree.fromstring(source, etree.XMLParser(resolve_entities=False, no_network=True))
        box = (root.get("viewBox") or "").replace(",", " ").split()
        width = _css_pixels(root.get("width")) or _css_pixels(box[2] if len(box) == 4 else None)
        height = _css_pixels(root.get("height")) or _css_pixels(box[3] if len(box) == 4 else None)
        if not width or not height:
            return None  # no size to draw it at: its words instead
        # Three device pixels to a CSS pixel (sharp in print, and when zoomed), within a budget of pixels, so
        # a drawing that claims to be enormous costs no more than a page-wide chart.
        scale = min(3.0, (MAX_PICTURE_PIXELS / (width * height)) ** 0.5)
        png = PNGSurface.convert(bytestring=source, url_fetcher=_only_inline_images, scale=scale)
    except Exception:  # a drawing that cannot be drawn is replaced by its words
        return None
    return png, width


def _css_pixels(value) -> float:
    match = re.fullmatch(r"\s*([0-9.]+)\s*(px)?\s*", value or "")
    return float(match.group(1)) if match else 0.0


def _data_uri(url: str) -> tuple[str, bytes] | None:
    match = re.match(r"data:image/([a-z+]+)((?:;[^,;]*)*?)(;base64)?,(.*)$", url, re.IGNORECASE | re.DOTALL)
    if not match or match.group(1).lower() not in IMAGE_TYPES:
        return None
    try:
        data = base64.b64decode(match.group(4), validate=False) if match.group(3) else unquote_to_bytes(match.group(4))
    except (binascii.Error, ValueError):
        return None
    return IMAGE_TYPES[match.group(1).lower()], data


def _image(src: str) -> tuple[bytes, float] | None:
    """An <img>'s picture from a data: URI or one of our own static files; None for anything else."""
    if src.startswith("data:"):
        decoded = _data_uri(src)
    else:
        path = static_path_for(urljoin(BASE_URL, src))
        suffix = path.suffix.lower().lstrip(".") if path else ""
        kind = {"svg": "svg", "png": "png", "jpg": "jpeg", "jpeg": "jpeg", "gif": "gif"}.get(suffix)
        decoded = (kind, path.read_bytes()) if kind else None
    if decoded is None:
        return None
    kind, data = decoded
    if kind == "svg":
        return _svg_bytes_png(data)
    return data, 0
