"""CSV exchange between the directory and staff spreadsheets.

Staff export every entry (café, manager, professional, supplier) as one CSV file
(:mod:`.export`), and import suppliers in bulk from a CSV file (:mod:`.suppliers`), which
reports the rows it refused with their spreadsheet row numbers. :mod:`.csv_files` reads and
writes the files the way French spreadsheets expect them.
"""

from .csv_files import (
    BOM,
    CSV_DELIMITER,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportColumn,
    ImportFileError,
    csv_cell,
    csv_lines,
)
from .export import EXPORT_HEADER, directory_export_rows
from .suppliers import (
    FRENCH_CATEGORY_NAMES,
    SUPPLIER_IMPORT_COLUMNS,
    ImportMode,
    ImportReport,
    RowError,
    supplier_import_categories,
    supplier_import_template,
    suppliers_import,
)

__all__ = [
    "BOM",
    "CSV_DELIMITER",
    "EXPORT_HEADER",
    "FRENCH_CATEGORY_NAMES",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "SUPPLIER_IMPORT_COLUMNS",
    "ImportColumn",
    "ImportFileError",
    "ImportMode",
    "ImportReport",
    "RowError",
    "csv_cell",
    "csv_lines",
    "directory_export_rows",
    "supplier_import_categories",
    "supplier_import_template",
    "suppliers_import",
]
