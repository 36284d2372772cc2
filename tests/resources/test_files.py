"""Uploads are checked by their content, and the text inside them is read for search."""

import pytest
from django.core.exceptions import ValidationError

from resources.files import check_upload, extract_text
from resources.models import TextStatus

from .conftest import (
    docx_bytes,
    ods_bytes,
    odt_bytes,
    pdf_bytes,
    upload,
    xlsx_bytes,
    zip_bomb_xlsx,
)


@pytest.mark.parametrize(
    ("name", "data", "word"),
    [
        (
            "tresorerie.xlsx",
            xlsx_bytes(("Mois", "Encaissements"), ("Janvier", 1200)),
            "Encaissements",
        ),
        ("plan.docx", docx_bytes("Plan d'action du café", "Échéancier des travaux"), "Échéancier"),
        ("courrier.odt", odt_bytes("Lettre à la mairie pour la terrasse"), "terrasse"),
        ("stock.ods", ods_bytes("Inventaire des boissons", "Sirop de menthe"), "menthe"),
        ("guide.pdf", pdf_bytes("Ouvrir un relais colis au cafe"), "relais"),
        ("notes.txt", "Idées du conseil municipal".encode(), "municipal"),
    ],
)
def test_text_is_read_from_each_accepted_format(name, data, word):
    checked = check_upload(upload(name, data))
    extracted = extract_text(data, checked.family, checked.extension)
    assert extracted.status == TextStatus.EXTRACTED
    assert word in extracted.text


def test_wrong_extension_is_refused_in_french():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("macro.exe", b"MZ\x90\x00rest"))
    assert "Ce type de fichier n'est pas accepté" in error.value.messages[0]


def test_renamed_executable_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("tableau.xlsx", b"MZ\x90\x00" + b"\x00" * 200))
    assert error.value.code == "mismatch"
    assert "ne correspond pas à son nom" in error.value.messages[0]


@pytest.mark.parametrize("name", ["guide.pdf", "notes.txt", "affiche.png"])
def test_executable_renamed_to_any_accepted_type_is_refused(name):
    with pytest.raises(ValidationError):
        check_upload(upload(name, b"\x7fELF\x02\x01\x01" + b"\x00" * 200))


def test_too_large_file_is_refused_with_the_limit(settings):
    settings.RESOURCES_MAX_UPLOAD_SIZE = 1000
    with pytest.raises(ValidationError) as error:
        check_upload(upload("notes.txt", b"a" * 2000))
    assert error.value.code == "size"
    assert "trop lourd" in error.value.messages[0]


def test_archive_bomb_is_refused_before_it_is_opened():
    data = zip_bomb_xlsx()
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        check_upload(upload("tableau.xlsx", data))
    assert error.value.code == "bomb"
    assert "bombe" in error.value.messages[0]


def test_pdf_that_fails_to_parse_is_kept_without_text():
    data = b"%PDF-1.7\n" + b"\x00garbage that is no PDF structure" * 50
    checked = check_upload(upload("abime.pdf", data))
    extracted = extract_text(data, checked.family, checked.extension)
    assert extracted.status == TextStatus.UNREADABLE
    assert extracted.text == ""


def test_zip_that_is_not_an_office_document_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", b"MZ")
    with pytest.raises(ValidationError):
        check_upload(upload("tableau.docx", buffer.getvalue()))
