"""Checking an uploaded file and reading the text inside it, for search.

Checks look at the bytes, not the name: a renamed executable is refused, an office document
must really be one, and a compressed file that would unpack to far more than it weighs (an
"archive bomb") is refused before any library opens it. Reading the text never raises: a file
whose text cannot be read is kept and indexed without text.
"""

import io
import logging
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import TextStatus

logger = logging.getLogger(__name__)

# Extension -> (family, content type served).
ALLOWED = {
    "pdf": ("pdf", "application/pdf"),
    "odt": ("odf", "application/vnd.oasis.opendocument.text"),
    "ods": ("odf", "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": ("odf", "application/vnd.oasis.opendocument.presentation"),
    "docx": (
        "ooxml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("ooxml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "txt": ("text", "text/plain; charset=utf-8"),
    "csv": ("text", "text/csv; charset=utf-8"),
    "png": ("image", "image/png"),
    "jpg": ("image", "image/jpeg"),
    "jpeg": ("image", "image/jpeg"),
}
DEFAULT_MAX_SIZE = 20 * 1024 * 1024
# An office document is a zip archive: what it unpacks to is bounded, in total and per ratio.
MAX_UNPACKED_SIZE = 200 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 20 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_TEXT_LENGTH = 500_000
MAX_PDF_PAGES = 500
MAX_SHEET_CELLS = 200_000


def max_upload_size() -> int:
    return int(getattr(settings, "RESOURCES_MAX_UPLOAD_SIZE", DEFAULT_MAX_SIZE))


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    family: str
    content_type: str


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Raise a ValidationError in the member's words if the file must be refused."""
    extension = extension_of(upload.name or "")
    if extension not in ALLOWED:
        raise ValidationError(
            _(
                "This type of file is not accepted. Send a PDF, an OpenDocument or Microsoft "
                "Word or Excel document, a text or CSV file, or a "
                "PNG or JPEG image."
            ),
            code="type",
        )
    if upload.size is not None and upload.size > max_upload_size():
        raise ValidationError(
            _("This file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_upload_size())},
            code="size",
        )
    if not upload.size:
        raise ValidationError(_("This file is empty."), code="empty")
    family, content_type = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    mismatch = ValidationError(
        _(
            "The content of this file does not match its name (.%(extension)s): it may have "
            "been renamed. Send the original document."
        )
        % {"extension": extension},
        code="mismatch",
    )
    kind = filetype.guess(head)
    if kind is not None and kind.mime in (
        "application/x-msdownload",
        "application/x-executable",
        "application/x-mach-binary",
        "application/x-sh",
        "application/x-shockwave-flash",
    ):
        raise mismatch
    if head.startswith((b"MZ", b"\x7fELF", b"#!")):
        raise mismatch
    if family == "pdf" and not head.lstrip()[:5] == b"%PDF-":
        raise mismatch
    if family in ("odf", "ooxml"):
        _check_archive(upload, family, extension, mismatch)
    if family == "image" and (kind is None or kind.extension != extension.replace("jpeg", "jpg")):
        raise mismatch
    if family == "text" and b"\x00" in head:
        raise mismatch
    return CheckedFile(extension=extension, family=family, content_type=content_type)


def _check_archive(
    upload: UploadedFile, family: str, extension: str, mismatch: ValidationError
) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if family == "odf":
                if "mimetype" not in names:
                    raise mismatch
                expected = ALLOWED[extension][1]
                if archive.read("mimetype").decode("ascii", "replace").strip() != expected:
                    raise mismatch
            elif "[Content_Types].xml" not in names:
                raise mismatch
            unpacked = sum(member.file_size for member in members)
            packed = max(sum(member.compress_size for member in members), 1)
            # The ratio only counts past a few megabytes: small documents of repetitive XML
            # compress very well and are harmless.
            if (
                len(members) > MAX_MEMBERS
                or unpacked > MAX_UNPACKED_SIZE
                or (unpacked > RATIO_FLOOR and unpacked / packed > MAX_RATIO)
            ):
                raise ValidationError(
                    _(
                        "This file would unpack to far more data than it weighs "
                        "(%(size)s): it is refused, as it could be a compressed bomb."
                    )
                    % {"size": filesizeformat(unpacked)},
                    code="bomb",
                )
    except zipfile.BadZipFile:
        raise mismatch from None
    finally:
        upload.seek(0)


@dataclass(frozen=True)
class ExtractedText:
    text: str
    status: str


def extract_text(data: bytes, family: str, extension: str) -> ExtractedText:
    """The text of a checked file; never raises (a broken file gives no text)."""
    if family == "image":
        return ExtractedText("", TextStatus.NOT_TEXT)
    try:
        if family == "pdf":
            text = _pdf_text(data)
        elif family == "odf":
            text = _odf_text(data)
        elif extension == "docx":
            text = _docx_text(data)
        elif extension == "xlsx":
            text = _xlsx_text(data)
        else:
            text = _plain_text(data)
    except Exception:  # every library raises its own errors on a broken file: none may escape
        logger.info("text extraction failed for a .%s file", extension, exc_info=True)
        return ExtractedText("", TextStatus.UNREADABLE)
    text = " ".join(text.split())[:MAX_TEXT_LENGTH]
    return ExtractedText(text, TextStatus.EXTRACTED if text else TextStatus.EMPTY)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    parts = []
    for page in reader.pages[:MAX_PDF_PAGES]:
        parts.append(page.extract_text() or "")
        if sum(len(part) for part in parts) > MAX_TEXT_LENGTH:
            break
    return "\n".join(parts)


def _odf_text(data: bytes) -> str:
    from odf import teletype
    from odf.opendocument import load
    from odf.text import H, P

    document = load(io.BytesIO(data))
    parts = []
    for element_type in (H, P):
        for element in document.getElementsByType(element_type):
            parts.append(teletype.extractText(element))
    return "\n".join(parts)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts: list[str] = []
    cells = 0
    try:
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    cells += 1
                    if isinstance(value, str):
                        parts.append(value)
                if cells > MAX_SHEET_CELLS:
                    return "\n".join(parts)
    finally:
        workbook.close()
    return "\n".join(parts)


def _plain_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")
