"""Reading an uploaded spreadsheet safely, and writing one that is safe to open.

An upload is refused with a sentence the manager can act on (never a crash) when it is not an
.xlsx or .csv file, is not what its name says, is too big, has too many rows, is damaged, or is a
CSV in an encoding we cannot read. Values are read, never calculated: a cell holding a formula is
kept as a :class:`Formula` so the import can point at it.

Every spreadsheet the app writes (a plan, the import template, a round's export) comes from
:func:`workbook_bytes` or :func:`csv_text`, and every text cell in them goes through
:func:`safe_text`, so a value such as ``=HYPERLINK(...)`` is shown as text and never run by
Excel, LibreOffice or Google Sheets (CSV / formula injection).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

from jtai_tracker.forms import file_size
from transfers.columns import MAX_UPLOAD_BYTES

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected workbooks
#: Unpacked, a workbook of 5,000 long actions is a few tens of MB; more than this is a zip bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: Columns read from a sheet; a plan has nine, a wide sheet's far columns are ignored.
MAX_COLUMNS = 60
#: Empty rows in a row that end a sheet's plan: what follows is formatting carried down, not actions.
BLANK_RUN = 1000
#: Excel's own last row: a sheet that claims to go further is damaged.
EXCEL_MAX_ROW = 1_048_576
#: What a value must not start with in a spreadsheet we write (OWASP's CSV injection list).
INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

EXTENSIONS = {"xlsx", "csv"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetRefused(Exception):
    """The upload cannot be read as a plan; the message says why, in words for the manager."""


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula rather than a value."""

    text: str


@dataclass
class SheetRow:
    #: The row's number as the spreadsheet shows it.
    number: int
    #: One value per column: text, a date, a :class:`Formula`, or None for an empty cell.
    values: list[Any]

    def value(self, index: int | None) -> Any:
        if index is None or index >= len(self.values):
            return None
        return self.values[index]


@dataclass
class Sheet:
    """The plan as uploaded: the header row's names and the rows under it that have anything in them."""

    kind: str
    headers: list[str]
    header_row: int
    rows: list[SheetRow]

    @staticmethod
    def coordinate(index: int, row_number: int) -> str:
        return f"{get_column_letter(index + 1)}{row_number}"

    def column_label(self, index: int) -> str:
        header = self.headers[index]
        return f"Column {get_column_letter(index + 1)}: {header[:60]}{'…' if len(header) > 60 else ''}"

    def samples(self, index: int, count: int = 3) -> list[str]:
        """The first ``count`` values under a column, as the manager would read them."""
        found: list[str] = []
        for row in self.rows:
            value = row.value(index)
            if value is not None:
                found.append(cell_text(value))
                if len(found) == count:
                    break
        return found

    def to_json(self) -> str:
        """The sheet as JSON, so the steps after the upload read it back instead of parsing the file again."""
        return json.dumps(
            {
                "kind": self.kind,
                "headers": self.headers,
                "header_row": self.header_row,
                "rows": [[row.number, [_json_value(value) for value in row.values]] for row in self.rows],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Sheet:
        """A sheet saved by :meth:`to_json`; raises ValueError (or KeyError, TypeError) if it is not one."""
        stored = json.loads(text)
        return cls(
            kind=str(stored["kind"]),
            headers=[str(header) for header in stored["headers"]],
            header_row=int(stored["header_row"]),
            rows=[
                SheetRow(int(number), [_from_json_value(value) for value in values])
                for number, values in stored["rows"]
            ],
        )


def _json_value(value: Any) -> Any:
    if isinstance(value, Formula):
        return {"formula": value.text}
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    return value


def _from_json_value(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if "formula" in value:
        return Formula(str(value["formula"]))
    if "datetime" in value:
        return datetime.datetime.fromisoformat(value["datetime"])
    return datetime.date.fromisoformat(value["date"])


def cell_text(value: Any) -> str:
    """A cell's value as the manager saw it in the spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, datetime.datetime):
        return value.strftime("%-d %B %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    return str(value)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def read_upload(upload: UploadedFile) -> Sheet:
    """Check an upload and read it; raises :class:`SpreadsheetRefused` with a message for the file field."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise SpreadsheetRefused(
            f"The file is {file_size(upload.size)}: it must be smaller than {file_size(MAX_UPLOAD_BYTES)}"
        )
    upload.seek(0)
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    upload.seek(0)
    return read_bytes(content, upload.name or "")


def read_bytes(content: bytes, name: str) -> Sheet:
    """Read a plan from the bytes of an .xlsx or .csv file called ``name``."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise SpreadsheetRefused(f"The file must be smaller than {file_size(MAX_UPLOAD_BYTES)}")
    if not content:
        raise SpreadsheetRefused("The file is empty")
    extension = extension_of(name)
    if extension == "xls" or (extension == "xlsx" and content.startswith(_OLE)):
        raise SpreadsheetRefused(
            "The file is an old-style Excel workbook or has a password: "
            "open it in Excel and save it as an Excel Workbook (.xlsx) without a password"
        )
    if extension not in EXTENSIONS:
        raise SpreadsheetRefused("The file must be an Excel workbook (.xlsx) or a CSV file (.csv)")
    if extension == "xlsx":
        if not content.startswith(_ZIP):
            raise SpreadsheetRefused("The file is not really an Excel workbook: its contents do not match its name")
        return _read_xlsx(content)
    return _read_csv(content)


def _damaged() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        "The file could not be read: it may be damaged. Open it in Excel, save it again as .xlsx and upload that"
    )


def _read_xlsx(content: bytes) -> Sheet:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if "[Content_Types].xml" not in archive.namelist():
                raise _damaged()
        if unpacked > MAX_UNPACKED_BYTES:
            raise SpreadsheetRefused("The workbook is too large once unpacked: copy just the plan into a new workbook")
        # Not data_only: formulas come back as their text, so they can be refused instead of trusted.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except SpreadsheetRefused:
        raise
    except Exception as broken:  # openpyxl raises many kinds (KeyError, ValueError, BadZipFile, XML errors)
        raise _damaged() from broken
    try:
        named = [ws for ws in workbook.worksheets if ws.title.strip().lower() == "actions"]
        worksheet = named[0] if named else workbook.active
        if worksheet is None or not hasattr(worksheet, "_get_source"):
            raise SpreadsheetRefused("The workbook has no sheet of actions")
        grid = _rows_of(_xlsx_rows(worksheet))
    except SpreadsheetRefused:
        raise
    except Exception as broken:
        raise _damaged() from broken
    finally:
        workbook.close()
    return _sheet("xlsx", grid)


def _xlsx_rows(worksheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """The rows the sheet's XML holds, as (number, values), streamed.

    openpyxl's own row iterator fills every gap with an empty row and trusts the size the file declares, so
    one stray cell at row 1,000,000 (or a declared size of a million rows) costs a million empty rows. Its
    parser, used directly, yields only the rows the file holds.
    """
    parent = worksheet.parent
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=False,
            epoch=parent.epoch,
            date_formats=parent._date_formats,
            timedelta_formats=parent._timedelta_formats,
        )
        for number, cells in parser.parse():
            if number > EXCEL_MAX_ROW:
                raise _damaged()
            values: list[Any] = []
            for cell in cells:
                column = cell["column"]
                if column > MAX_COLUMNS:
                    break
                values.extend([None] * (column - 1 - len(values)))
                values.append(_xlsx_value(cell["value"], cell["data_type"]))
            yield number, values


def _xlsx_value(value: Any, data_type: str) -> Any:
    if value is None:
        return None
    if data_type == "f" or not isinstance(
        value, (str, int, float, bool, datetime.date, datetime.time, datetime.timedelta)
    ):
        # A formula (text, or an array / data-table formula object): never evaluated.
        return Formula(str(getattr(value, "text", value)))
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Excel keeps "1.1" typed as a number; write it back as the text the manager saw.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (int, datetime.time, datetime.timedelta)):
        return str(value)
    return _text_value(value)


def _text_value(value: str) -> str | None:
    text = value.strip()
    # Our own exports quote risky text with an apostrophe; take it off again so a round trip is exact.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text or None


def _read_csv(content: bytes) -> Sheet:
    if b"\x00" in content:
        raise SpreadsheetRefused("The file is not a text CSV file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetRefused("The file is not in a text encoding we can read: in Excel, save it as CSV UTF-8")
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        grid = _rows_of(
            (number, [_text_value(cell) for cell in row[:MAX_COLUMNS]]) for number, row in enumerate(reader, start=1)
        )
    except csv.Error as broken:
        raise SpreadsheetRefused(f"The CSV file could not be read: {broken}") from broken
    return _sheet("csv", grid)


def _rows_of(rows: Iterable[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    """The non-empty rows with their numbers, counted while streaming.

    Refuses a file with more rows than ``settings.IMPORT_MAX_ROWS`` (plus the header) as soon as it finds
    one too many. Empty rows do not count, and a run of :data:`BLANK_RUN` empty rows ends the reading:
    what follows is formatting carried down the sheet, not a plan.
    """
    cap = settings.IMPORT_MAX_ROWS
    kept: list[tuple[int, list[Any]]] = []
    blank_run = 0
    for number, row in rows:
        if any(value is not None for value in row):
            blank_run = 0
            kept.append((number, list(row)))
            if len(kept) > cap + 1:  # the header and the cap of actions
                raise SpreadsheetRefused(
                    f"The file has more than {cap:,} rows of actions: split it into files of {cap:,} or fewer"
                )
        else:
            blank_run += 1
            if blank_run >= BLANK_RUN:
                break
    return kept


def _sheet(kind: str, grid: list[tuple[int, list[Any]]]) -> Sheet:
    # The header is the first row with at least two cells filled in: a title above it is skipped.
    header_at = next((i for i, (_, row) in enumerate(grid) if sum(v is not None for v in row) >= 2), None)
    if header_at is None:
        raise SpreadsheetRefused("The file has no header row: put the column names in the first row")
    header_row, header_values = grid[header_at]
    width = max(i + 1 for i, v in enumerate(header_values) if v is not None)
    headers = [
        str(value.text if isinstance(value, Formula) else value) if value is not None else ""
        for value in header_values[:width]
    ]
    headers = [header or f"(no name in column {get_column_letter(i + 1)})" for i, header in enumerate(headers)]
    rows = [SheetRow(number, (values + [None] * width)[:width]) for number, values in grid[header_at + 1 :]]
    rows = [row for row in rows if any(value is not None for value in row.values)]
    if not rows:
        raise SpreadsheetRefused("The file has a header row but no actions under it")
    return Sheet(kind=kind, headers=headers, header_row=header_row, rows=rows)


# Writing ---------------------------------------------------------------------------------------


def safe_text(value: Any) -> Any:
    """A value that a spreadsheet will show and never run: risky text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(INJECTION_PREFIXES):
        return "'" + value
    return value


@dataclass(frozen=True)
class SheetToWrite:
    """One sheet of a workbook we write: the tab's name, the header row, the rows under it, column widths."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    #: In characters, from the first column.
    widths: Sequence[int]


def workbook_bytes(
    sheets: Iterable[SheetToWrite],
    *,
    date_format: str = "dd/mm/yyyy",
    header_fill: str | None = None,
    header_wrap: bool = False,
    filters: bool = False,
    print_title: str | None = None,
) -> bytes:
    """An .xlsx of the sheets, safe to open: every text cell through :func:`safe_text`.

    Guarantees on every sheet: a bold header row that stays in view, the
    rows' text wrapped at the top of its cell, dates as real dates in
    ``date_format``, and no character the file format cannot hold (dropped,
    never an error). What differs between our spreadsheets is asked for:
    ``header_fill`` (an RGB colour such as ``"DDDDDD"``) shades the header,
    ``header_wrap`` wraps its text and ``filters`` gives it filter buttons;
    ``print_title`` lays each sheet out to print (A4 landscape, one page
    wide, the header repeated on every page, gridlines, the title at the top
    and "Page n of N" at the foot) and names the workbook.

    Written by XlsxWriter a row at a time (``constant_memory``): a 5,000-action plan took openpyxl 11 s, building
    every cell as an object first. Text is always written as text (``write_string``), never read as a formula.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    header_format = workbook.add_format({"bold": True, **({"text_wrap": True} if header_wrap else {})})
    if header_fill:
        header_format.set_pattern(1)
        header_format.set_bg_color(f"#{header_fill}")
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    dated = workbook.add_format({"text_wrap": True, "valign": "top", "num_format": date_format})
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.name)
        for column, width in enumerate(sheet.widths):
            worksheet.set_column(column, column, width)
        for column, name in enumerate(sheet.header):
            worksheet.write_string(0, column, _cell_value(name), header_format)
        last_row, last_column = 0, len(sheet.header) - 1
        for last_row, row in enumerate(sheet.rows, start=1):
            last_column = max(last_column, len(row) - 1)
            for column, value in enumerate(row):
                _write_cell(worksheet, last_row, column, value, wrap=wrap, dated=dated)
        worksheet.freeze_panes(1, 0)
        if filters:
            worksheet.autofilter(0, 0, last_row, max(last_column, 0))
        if print_title is not None:
            _lay_out_to_print(worksheet, print_title)
    if print_title is not None:
        workbook.set_properties({"title": print_title})
    workbook.close()
    return buffer.getvalue()


def _write_cell(worksheet: Any, row: int, column: int, value: Any, *, wrap: Any, dated: Any) -> None:
    if value is None:
        worksheet.write_blank(row, column, None, wrap)
    elif isinstance(value, str):
        worksheet.write_string(row, column, _cell_value(value), wrap)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, column, value, wrap)
    elif isinstance(value, datetime.datetime):
        naive = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        worksheet.write_datetime(row, column, naive, dated)
    elif isinstance(value, datetime.date):
        worksheet.write_datetime(row, column, value, dated)
    elif isinstance(value, int | float | Decimal):
        worksheet.write_number(row, column, value, wrap)
    else:
        worksheet.write_string(row, column, _cell_value(str(value)), wrap)


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        # Control characters that XML cannot hold are dropped: a pasted one must not break the export.
        return safe_text(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _lay_out_to_print(worksheet: Any, title: str) -> None:
    worksheet.repeat_rows(0)
    worksheet.set_landscape()
    worksheet.set_paper(9)  # A4
    worksheet.fit_to_pages(1, 0)
    worksheet.hide_gridlines(0)  # gridlines on screen and printed
    # "&" starts a code in Excel's header language; double it to print it.
    worksheet.set_header("&C" + title.replace("&", "&&")[:200])
    worksheet.set_footer("&RPage &P of &N")


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV file's text, safe to open: every text cell through :func:`safe_text`.

    It starts with a byte-order mark, so Excel reads it as UTF-8; dates are
    written YYYY-MM-DD and empty values as empty cells.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_csv_value(name) for name in header])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_text(value)
