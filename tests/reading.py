"""Reading what users download the way they read it: a PDF's words (poppler) and a workbook's rows."""

import io
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
