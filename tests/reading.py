"""Reading what users download as they read it: a PDF's words and headings (poppler), a sheet's rows, a Word file."""

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout  # noqa: S603


def pdf_words(content: bytes) -> str:
    """The PDF's text as pdftotext reads it, with runs of white space made one space."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(content)
        return " ".join(poppler("pdftotext", str(path), "-").split())


def xlsx_rows(content: bytes) -> list[dict]:
    """The first sheet's rows as dicts keyed by its header row."""
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def pdf_body_words(content: bytes) -> str:
    """The words of an A4 PDF's pages inside their margins (no running header or footer), one space apart.

    In the order they are drawn (``-raw``), which is the page's order: side-by-side boxes (a chart beside
    its table) are read one after the other, not line by line across both.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(content)
        # A4 is 595 by 842 points; the report's header sits in the top 22 mm, its footer in the bottom 20 mm.
        return " ".join(
            poppler("pdftotext", "-raw", "-x", "0", "-y", "60", "-W", "595", "-H", "725", str(path), "-").split()
        )


def pdf_headings(content: bytes) -> list[tuple[int, str]]:
    """A tagged PDF's headings in order, as (level, text), read from its structure tree (poppler's pdfinfo)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(content)
        tree = poppler("pdfinfo", "-struct-text", str(path))
    headings: list[tuple[int, list[str]]] = []
    depth = None
    for line in tree.splitlines():
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        if depth is not None and indent <= depth:
            depth = None
        if depth is None and re.fullmatch(r"H[1-6] \(block\)", stripped):
            depth = indent
            headings.append((int(stripped[1]), []))
        elif depth is not None and stripped.startswith('"') and stripped.endswith('"'):
            headings[-1][1].append(stripped[1:-1])
    return [(level, " ".join(" ".join(parts).split())) for level, parts in headings]


def docx_blocks(content: bytes) -> list[tuple[str, str]]:
    """A Word document's paragraphs and table cells in reading order, as (style name, text)."""
    from docx import Document
    from docx.table import Table

    blocks: list[tuple[str, str]] = []

    def read(container) -> None:
        for item in container.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            read(cell)
            else:
                blocks.append((item.style.name, item.text))

    read(Document(io.BytesIO(content)))
    return blocks
