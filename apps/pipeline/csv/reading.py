"""Reading CSV text into a table of cells, in any common dialect and encoding.

Nothing here knows about applications: the header row and the rows under it, and
how the file was read, which the review page says in plain words. Workbooks
(.xlsx, .ods) are read into the same table by uploads.py.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from typing import Any

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 200
# csv.Sniffer's regular expressions take quadratic time on some crafted text (20 s for 64 KB
# of ',"'); a few kilobytes hold the header and enough rows, and cost under a tenth of that.
SNIFF_BYTES = 4 * 1024

NOT_TEXT = (
    "This file doesn't look like a spreadsheet or CSV file. "
    "Save it from your spreadsheet as CSV, Excel (.xlsx) or OpenDocument (.ods) and try again."
)

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO 8859-1)",
}
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}


class CsvFileError(Exception):
    """The file as a whole cannot be imported; the message is shown to the user."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    # (row number as a spreadsheet shows it, the header being row 1; the cells)
    rows: list[tuple[int, list[str]]]
    delimiter: str = ","


@dataclass(frozen=True)
class ReadFile:
    """An upload read: the text we keep, its table, and how it was read."""

    text: str
    table: Table
    read_as: dict[str, Any] = field(default_factory=dict)


# --- Text files ---------------------------------------------------------------------------------


def decode_upload(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 (with or without a BOM), UTF-16 with a BOM,
    else Windows-1252, else Latin-1, which reads any bytes at all."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text" is UTF-16 with a byte order mark.
        text, encoding = _decode_or_refuse(raw, "utf-16"), "utf-16"
    else:
        text, encoding = _first_that_reads(raw)
    if "\x00" in text:
        # Binaries decode "successfully" as Latin-1 into NUL-filled text.
        raise CsvFileError(NOT_TEXT)
    return text, encoding


def _first_that_reads(raw: bytes) -> tuple[str, str]:
    # utf-8-sig drops the byte order mark Excel writes, and reads files without one too.
    for encoding, name in (("utf-8-sig", "utf-8"), ("cp1252", "cp1252")):
        try:
            return raw.decode(encoding), name
        except UnicodeDecodeError:
            continue
    # Windows-1252 leaves five bytes undefined; Latin-1 defines all 256.
    return raw.decode("latin-1"), "latin-1"


def _decode_or_refuse(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise CsvFileError(NOT_TEXT) from None


def sniff_delimiter(text: str) -> str:
    """The separator of a CSV text: the Sniffer's answer on a sample if it splits the header row,
    else whichever of , ; tab | the header row has most of, else a comma."""
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    first_line = sample.lstrip("\r\n").split("\n", 1)[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITER_NAMES)).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and sniffed in first_line:
        return sniffed
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITER_NAMES}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_table(text: str, delimiter: str | None = None) -> Table:
    """Split CSV text into the header row and the non-blank rows under it."""
    if not text.strip():
        raise CsvFileError("This file is empty. Choose the file with your applications in it.")
    delimiter = delimiter or sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise CsvFileError(
            f"This file could not be read as CSV ({error}). Save it again as 'CSV UTF-8'."
        ) from None
    return table_of(records, delimiter=delimiter)


def table_of(records: list[list[str]], *, delimiter: str = ",") -> Table:
    """The header row and the non-blank rows of already split records, with the file's checks."""
    if not records or not any(cell.strip() for record in records for cell in record):
        raise CsvFileError("This file is empty. Choose the file with your applications in it.")
    headers = [cell.strip() for cell in records[0]]
    if not any(headers):
        raise CsvFileError("The first row of the file should hold the column names, but it is empty.")
    if len(headers) > MAX_COLUMNS:
        raise CsvFileError(
            f"This file has {len(headers):,} columns; we read up to {MAX_COLUMNS}. "
            "Delete the columns you don't need and try again."
        )
    _refuse_repeated_headers(headers)
    rows = [
        (number, cells)
        for number, cells in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise CsvFileError("This file has column names but no applications under them.")
    if len(rows) > MAX_ROWS:
        raise CsvFileError(
            f"This file has {len(rows):,} applications; we can import up to {MAX_ROWS:,} at a time. "
            "Split it into smaller files."
        )
    return Table(headers=headers, rows=rows, delimiter=delimiter)


def _refuse_repeated_headers(headers: list[str]) -> None:
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise CsvFileError(
                f"Two columns are both called '{header}'. Give each column its own name and upload it again."
            )
        seen.add(header)


def read_upload(raw: bytes) -> tuple[str, Table]:
    text, _ = decode_upload(raw)
    return text, read_table(text)


def describe(read_as: dict[str, Any]) -> list[str]:
    """How a file was read, in sentences for the review page; nothing for a plain UTF-8 CSV."""
    notes: list[str] = []
    encoding = read_as.get("encoding", "utf-8")
    if encoding in {"cp1252", "latin-1"}:
        notes.append(
            f"Your file isn't UTF-8, so we read it as {ENCODING_NAMES[encoding]}, the usual for older "
            "Excel files. If letters like é or £ look wrong below, save it as 'CSV UTF-8' and upload it "
            "again."
        )
    elif encoding == "utf-16":
        notes.append("We read your file as UTF-16 text, as Excel saves 'Unicode Text'.")
    delimiter = read_as.get("delimiter", ",")
    if read_as.get("format", "csv") == "csv" and delimiter != ",":
        notes.append(f"Its columns are separated by {DELIMITER_NAMES.get(delimiter, repr(delimiter))}.")
    if read_as.get("format") in {"xlsx", "ods"}:
        sheets = read_as.get("sheets", 1)
        sheet = f"'{read_as['sheet']}'" if read_as.get("sheet") else "the first sheet"
        others = f" (of the {sheets} in the file)" if sheets > 1 else ""
        notes.append(f"We read the sheet {sheet}{others}. Formulas come in as the values they show.")
    return notes
