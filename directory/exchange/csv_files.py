"""Reading and writing the CSV files staff exchange with their spreadsheets.

Written files are made for French Excel: ";" between columns and UTF-8 with a byte order mark,
which it opens correctly with a double click. Read files may also use "," and Windows-1252,
which is what Excel writes with "CSV (séparateur : point-virgule)".
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..text import fold

CSV_DELIMITER = ";"
BOM = "\ufeff"

MAX_IMPORT_BYTES = 2 * 1024 * 1024
# A request imports about 80 suppliers a second on PostgreSQL: 1,000 rows stay well inside a
# proxy's timeout. Larger files are split (the page says so).
MAX_IMPORT_ROWS = 1_000


# --- Writing -------------------------------------------------------------------------------------

# A cell starting with one of these is run as a formula by spreadsheets: a supplier proposed by
# any member could otherwise plant "=HYPERLINK(...)" in the file staff open.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ...but "+33 4 74 00 00 00" or "-5" must stay as they are: signs followed by digits only.
_SIGNED_NUMBER = re.compile(r"[+-][\d\s().\-/]*")


def csv_cell(value: Any) -> str:
    """The text of one exported cell, defused if a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS) and not _SIGNED_NUMBER.fullmatch(text):
        return "'" + text
    return text


class _Echo:
    """A file-like object that hands back what it is given, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV text of ``rows``, line by line, starting with the byte order mark."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield BOM
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


# --- Reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportColumn:
    key: str
    required: bool
    description: str
    # Other names the column may carry, folded before comparison: staff write French headers.
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.key, *self.aliases)


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, for staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    header: list[str]
    columns: dict[str, int]  # column key -> index in each row
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)
    delimiter: str

    def heading(self, key: str) -> str:
        """The column's name as the file writes it, so that staff find it in their sheet."""
        index = self.columns.get(key)
        return self.header[index].strip() if index is not None else key

    def value(self, cells: list[str], key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()


# Workbooks saved as such instead of "CSV": zip (xlsx, ods) and OLE2 (xls) signatures.
_WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
# Characters no spreadsheet writes in a CSV file: their presence means a binary file.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_EXCEL_SEPARATOR_LINE = re.compile(r"sep=([;,\t|])\s*", re.IGNORECASE)


def _read_bytes(file: IO[bytes]) -> bytes:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_IMPORT_BYTES:
        raise ImportFileError(_too_large_message(size))
    if hasattr(file, "seek"):
        file.seek(0)
    # Never more than the limit in memory, whatever the size the upload claimed.
    raw = file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFileError(_too_large_message(len(raw)))
    return raw


def _too_large_message(size: int) -> str:
    return _(
        "The file is too large (%(size)s): the limit is %(limit)s. Split it into several files."
    ) % {"size": filesizeformat(size), "limit": filesizeformat(MAX_IMPORT_BYTES)}


def _decode(raw: bytes) -> str:
    if not raw.removeprefix(b"\xef\xbb\xbf").strip():
        raise ImportFileError(_("The file is empty."))
    if raw.startswith(_WORKBOOK_SIGNATURES):
        raise ImportFileError(
            _(
                "This is a spreadsheet workbook, not a CSV file. In your spreadsheet, use "
                "“Save as” and choose the “CSV” format."
            )
        )
    not_text = _(
        "This is not a CSV file: it does not contain text in UTF-8 or Windows-1252. "
        "Save your spreadsheet in the “CSV” format."
    )
    if b"\x00" in raw:
        raise ImportFileError(not_text)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV (séparateur : point-virgule)" writes Windows-1252.
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(not_text) from None
        # A UTF-8 byte order mark on a file whose rest is Windows-1252 (edited by two tools).
        text = text.removeprefix("ï»¿")
    if _CONTROL_CHARACTERS.search(text):
        raise ImportFileError(not_text)
    return text


def _delimiter(header_line: str) -> str:
    # Counted on the header row, whose names hold neither commas nor semicolons; csv.Sniffer
    # guesses wrong on short files. Ties go to ";", the French default.
    counts = {candidate: header_line.count(candidate) for candidate in (";", ",", "\t")}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else CSV_DELIMITER


def table_read(file: IO[bytes], *, columns: Sequence[ImportColumn]) -> Table:
    """The header and the non-empty rows of an uploaded CSV file, or ImportFileError saying
    why the file as a whole cannot be used."""
    text = _decode(_read_bytes(file))
    first_line, *rest = _LINE_BREAK.split(text, maxsplit=1)
    hint = _EXCEL_SEPARATOR_LINE.fullmatch(first_line)
    if hint:
        # Excel's "sep=;" first line: it is not shown as a row, the header is row 1.
        delimiter, text = hint.group(1), "".join(rest)
    else:
        delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = enumerate(reader, start=1)
    rows: list[tuple[int, list[str]]] = []
    number = 0  # the last row read, for the message when the next one cannot be
    try:
        number, header = next(records, (1, []))
        indexes = _header_columns(header, columns)
        for number, cells in records:
            # Spreadsheets leave empty rows behind ("; ; ;"): skipped, yet counted in the
            # numbering as the spreadsheet shows them.
            if not any(cell.strip() for cell in cells):
                continue
            rows.append((number, cells))
            if len(rows) > MAX_IMPORT_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)s rows. Split it into several files.")
                    % {"max": number_format(MAX_IMPORT_ROWS, force_grouping=True)}
                )
    except csv.Error:
        raise ImportFileError(
            _("The file cannot be read as CSV near row %(row)s.") % {"row": number + 1}
        ) from None
    if not rows:
        raise ImportFileError(_("The file has a header row but no data below it."))
    return Table(header=header, columns=indexes, rows=rows, delimiter=delimiter)


def _header_columns(header: list[str], expected: Sequence[ImportColumn]) -> dict[str, int]:
    by_name = {fold(name): column.key for column in expected for name in column.names}
    columns: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, name in enumerate(header):
        folded = fold(name)
        if not folded:
            continue  # an empty heading: a column the spreadsheet kept, not data
        key = by_name.get(folded)
        if key is None:
            unknown.append(name.strip())
        elif key in columns:
            repeated.append(name.strip())
        else:
            columns[key] = index
    missing = [c.key for c in expected if c.required and c.key not in columns]
    if not (missing or unknown or repeated):
        return columns
    problems = []
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if repeated:
        problems.append(_("Columns given twice: %(columns)s.") % {"columns": ", ".join(repeated)})
    problems.append(
        _("The first row must name the columns: %(columns)s.")
        % {"columns": ", ".join(column.key for column in expected)}
    )
    raise ImportFileError(" ".join(problems))
