"""Fixtures of the library: its pages, resources made through the services, and files made
in memory by the same libraries the site reads them with."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from resources.models import ResourceCategoryPage
from resources.services import library_ensure, resource_create


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploaded files go to a folder of this test only."""
    settings.RESOURCES_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def library(home_page):
    return library_ensure()


@pytest.fixture
def category(library):
    return ResourceCategoryPage.objects.get(slug="gestion-et-comptabilite")


@pytest.fixture
def resource_factory(category):
    def make(**fields):
        fields.setdefault("title", "Un outil")
        fields.setdefault("summary", "Un résumé de l'outil.")
        fields.setdefault("resource_type", "guide")
        return resource_create(category=fields.pop("category", category), **fields)

    return make


def xlsx_bytes(*rows: tuple, title: str = "Feuille") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(*paragraphs: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def ods_bytes(*cells: str) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Feuille")
    for value in cells:
        row = TableRow()
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=value))
        row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def pdf_bytes(*lines: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in lines:
        pdf.drawString(50, y, line)
        y -= 20
    pdf.save()
    return buffer.getvalue()


def zip_bomb_xlsx() -> bytes:
    """A file that looks like an Excel workbook but unpacks to hundreds of megabytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        chunk = b"0" * (1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
