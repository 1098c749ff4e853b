"""An upload read by what its name says it is: CSV text, or an .xlsx or .ods workbook's first sheet.

Workbooks go through well-kept libraries (openpyxl, odfpy, with defusedxml
guarding their XML), after the zip they come in is checked for being what it
claims and for not unpacking to more than any list of applications needs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any

from apps.pipeline.csv.reading import (
    MAX_COLUMNS,
    MAX_ROWS,
    CsvFileError,
    ReadFile,
    Table,
    decode_upload,
    read_table,
    table_of,
)

# What a workbook may unpack to. A real 20,000-row sheet is a few tens of MB;
# a zip bomb claims gigabytes (Python's zipfile never inflates past the size
# an entry declares, so checking the declared sizes is enough). odfpy holds the
# whole sheet in memory as objects (about 0.3 s and 10 MB a MB), so .ods gets less.
MAX_UNZIPPED_BYTES = {"xlsx": 100 * 1024 * 1024, "ods": 25 * 1024 * 1024}
MAX_ZIP_ENTRIES = 2_000
ZIP_MAGIC = b"PK\x03\x04"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# --- Any upload -----------------------------------------------------------------------------------

# A workbook's first sheet: its name, how many sheets there are, its rows of cells as text.
SheetRecords = tuple[str, int, list[list[str]]]


def read_file(raw: bytes, file_name: str) -> ReadFile:
    """Read an upload by what its name says it is, refusing one that is something else."""
    extension = file_name.rpartition(".")[2].casefold() if "." in file_name else ""
    if extension == "xlsx":
        return _workbook(raw, "xlsx", _xlsx_records)
    if extension == "ods":
        return _workbook(raw, "ods", _ods_records)
    if extension in {"xls", "xlsm", "xlsb", "numbers"}:
        raise CsvFileError(
            f"We can't read .{extension} files. Save it from your spreadsheet as Excel (.xlsx), "
            "OpenDocument (.ods) or CSV and try again."
        )
    if raw.startswith(ZIP_MAGIC):
        raise CsvFileError(
            "This file is a packed workbook, not CSV text. If it is an Excel or OpenDocument file, "
            "give it its .xlsx or .ods name and upload it again, or save it as CSV."
        )
    text, encoding = decode_upload(raw)
    table = read_table(text)
    return ReadFile(text, table, {"format": "csv", "encoding": encoding, "delimiter": table.delimiter})


def _workbook(raw: bytes, kind: str, records_of: Callable[[bytes], SheetRecords]) -> ReadFile:
    label = "an Excel workbook (.xlsx)" if kind == "xlsx" else "an OpenDocument spreadsheet (.ods)"
    refusal = f"This file's name says it is {label}, but it isn't one we can open. "
    archive = _open_zip(
        raw, kind, refusal + "Open it in your spreadsheet and save it again, or save it as CSV."
    )
    with archive:
        if not _is_kind(archive, kind):
            raise CsvFileError(refusal + "Open it in your spreadsheet and save it again, or save it as CSV.")
        try:
            sheet, sheets, records = records_of(raw)
        except CsvFileError:
            raise
        except Exception:  # the libraries refuse a damaged file in many ways, none of them ours
            raise CsvFileError(
                refusal + "Parts of it are missing or damaged. Save it again from your spreadsheet."
            ) from None
    table = table_of(records)
    out = io.StringIO()
    csv.writer(out).writerows([table.headers, *(cells for _, cells in _with_blank_rows(table))])
    return ReadFile(
        out.getvalue(), table, {"format": kind, "sheet": sheet, "sheets": sheets, "delimiter": ","}
    )


def _with_blank_rows(table: Table) -> list[tuple[int, list[str]]]:
    """The rows with the blank ones put back, so row numbers survive writing the sheet out as text."""
    filled: list[tuple[int, list[str]]] = []
    expected = 2
    for number, cells in table.rows:
        filled.extend((blank, [""]) for blank in range(expected, number))
        filled.append((number, cells))
        expected = number + 1
    return filled


def _open_zip(raw: bytes, kind: str, refusal: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise CsvFileError(refusal) from None
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNZIPPED_BYTES[kind]:
        archive.close()
        raise CsvFileError(
            "This file unpacks to far more than a list of applications could need, so we won't open it. "
            "Save the sheet with your applications as CSV and upload that."
        )
    return archive


def _is_kind(archive: zipfile.ZipFile, kind: str) -> bool:
    names = set(archive.namelist())
    if kind == "xlsx":
        return "[Content_Types].xml" in names and "xl/workbook.xml" in names
    return "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE and "content.xml" in names


# The most sheet rows read: the header, every row we could import, and room for blank rows
# between them. One more is read, to know when there are too many.
MAX_SHEET_ROWS = MAX_ROWS + 1 + 1_000


def _xlsx_records(raw: bytes) -> SheetRecords:
    import openpyxl  # only imports need it, and it takes a while to load

    # read_only streams the sheet; data_only gives what each cell shows, not its formula.
    workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        records = [
            [_cell_text(value) for value in row]
            for row in sheet.iter_rows(max_row=MAX_SHEET_ROWS + 1, max_col=MAX_COLUMNS + 1, values_only=True)
        ]
        return sheet.title, len(workbook.worksheets), _trimmed(records)
    finally:
        workbook.close()


def _ods_records(raw: bytes) -> SheetRecords:
    from odf.namespaces import OFFICENS, TABLENS
    from odf.opendocument import load
    from odf.table import Table as OdsTable
    from odf.table import TableRow
    from odf.teletype import extractText

    document = load(io.BytesIO(raw))
    tables = document.spreadsheet.getElementsByType(OdsTable)
    if not tables:
        raise CsvFileError("This spreadsheet has no sheets in it.")
    records: list[list[str]] = []
    for row in tables[0].getElementsByType(TableRow):
        cells: list[str] = []
        for cell in row.childNodes:
            if cell.qname[1] not in {"table-cell", "covered-table-cell"}:
                continue
            text = _ods_value(cell, OFFICENS, extractText)
            repeat = _repeat(cell.attributes.get((TABLENS, "number-columns-repeated")))
            # A sheet pads its rows with thousands of repeated empty cells.
            cells.extend([text] * min(repeat, MAX_COLUMNS + 1 - len(cells)))
            if len(cells) > MAX_COLUMNS:
                break
        repeat = _repeat(row.attributes.get((TABLENS, "number-rows-repeated")))
        # ...and its sheet with a million repeated empty rows.
        records.extend([cells] * min(repeat, MAX_SHEET_ROWS + 1 - len(records)))
        if len(records) > MAX_SHEET_ROWS:
            break
    return str(tables[0].getAttribute("name") or ""), len(tables), _trimmed(records)


def _repeat(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _ods_value(cell, officens: str, extract_text) -> str:
    kind = cell.attributes.get((officens, "value-type"))
    if kind in {"float", "percentage", "currency"}:
        return _number_text(cell.attributes.get((officens, "value"), ""))
    if kind == "date":
        return cell.attributes.get((officens, "date-value"), "")
    if kind == "boolean":
        return "yes" if cell.attributes.get((officens, "boolean-value")) == "true" else "no"
    return "\n".join(extract_text(paragraph) for paragraph in cell.childNodes if paragraph.qname[1] == "p")


def _number_text(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else value


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # Postgres keeps no NUL characters; in a cell they are never meant.
        return value.replace("\x00", "")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _trimmed(records: list[list[str]]) -> list[list[str]]:
    """Empty cells at the ends of rows and empty rows at the end dropped, as a spreadsheet's own CSV
    export does; a sheet too long or too wide refused."""
    trimmed: list[list[str]] = []
    for cells in records:
        end = len(cells)
        while end and not cells[end - 1].strip():
            end -= 1
        trimmed.append(cells[:end])
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    if len(trimmed) > MAX_SHEET_ROWS:
        raise CsvFileError(
            f"This sheet has more than {MAX_ROWS:,} rows; we can import up to {MAX_ROWS:,} at a time. "
            "Split it into smaller files."
        )
    if any(len(cells) > MAX_COLUMNS for cells in trimmed):
        raise CsvFileError(
            f"This sheet has more than {MAX_COLUMNS} columns; we read up to {MAX_COLUMNS}. "
            "Delete the columns you don't need and try again."
        )
    return trimmed
