"""Staff CSV exchange: export of the whole directory, import of suppliers from a spreadsheet."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory import exchange
from directory.exchange import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, ImportMode, RowError
from directory.exchange import suppliers as supplier_import
from directory.models import (
    Commune,
    PopulationBand,
    Supplier,
    ValidationStatus,
    Visibility,
)
from directory.search import DatabaseDirectorySearch, DirectoryQuery
from directory.services import manager_profile_save
from directory.text import fold

EXPORT = "/annuaire/export.csv"
IMPORT = "/annuaire/import-fournisseurs/"
TEMPLATE = "/annuaire/import-fournisseurs/modele.csv"

HEADER = (
    "name;commune;categories;departements_delivered;minimum_order;phone;email;conditions;"
    "description"
)


@pytest.fixture
def staff_client(client_for, staff_member):
    client = client_for(staff_member)
    # English source strings, whatever the French catalogue will say.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def export_rows(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def upload(content: bytes | str, name: str = "fournisseurs.csv") -> SimpleUploadedFile:
    if isinstance(content, str):
        content = content.encode("utf-8")
    return SimpleUploadedFile(name, content, content_type="text/csv")


def post_import(client, content, mode: str = ImportMode.ALL_OR_NOTHING, name="fournisseurs.csv"):
    return client.post(IMPORT, {"file": upload(content, name), "mode": mode})


def page_text(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def listed_titles(text: str) -> set[str]:
    results = DatabaseDirectorySearch().search(DirectoryQuery(text=text))
    return {entry.title for entry in results.entries}


# --- Export -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_export_every_entry_with_accents_and_staff_only_contacts(
    staff_client, manager, cafe_factory, professional_factory, supplier_factory
):
    cafe_factory(
        name="Café de l'Église",
        managers=[manager],
        services=["Épicerie", "Relais poste"],
        phone="04 74 00 00 01",
        phone_visibility=Visibility.STAFF,
    )
    manager_profile_save(actor=manager, member=manager, fields={"can_share": "Comptabilité"})
    professional_factory(name="Hélène Comptable", skills=["Hygiène"])
    supplier_factory(
        name="Épicerie Pérougienne",
        commune="Pérouges",
        categories=["grocery", "local_products"],
        phone="+33 4 74 00 00 02",
        email="contact@perougienne.fr",
    )

    response = staff_client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert f'filename="annuaire-comptoir-{today}.csv"' in response["Content-Disposition"]
    header, *rows = export_rows(response)
    assert header == [
        "Type",
        "Name",
        "Commune",
        "INSEE code",
        "Département",
        "Région",
        "Phone",
        "E-mail",
        "Address",
        "Services, skills or categories",
        "Tags",
        "Status",
        "Last verified",
        "Page",
    ]
    by_name = {row[1]: row for row in rows}
    assert set(by_name) == {
        "Café de l'Église",
        manager.get_full_name(),
        "Hélène Comptable",
        "Épicerie Pérougienne",
    }
    cafe = by_name["Café de l'Église"]
    assert cafe[:7] == [
        "Café",
        "Café de l'Église",
        "Sulignat",
        "01412",
        "Ain (01)",
        "Auvergne-Rhône-Alpes",
        "04 74 00 00 01",  # staff only, yet in the staff export
    ]
    assert cafe[9] == "Épicerie, Relais poste"  # sorted as people read, accents aside
    assert cafe[11] == "Open"
    assert cafe[12] == today
    assert cafe[13].startswith("http://testserver/annuaire/cafes/")
    supplier = by_name["Épicerie Pérougienne"]
    # A phone number starting with "+" is not mistaken for a formula.
    assert supplier[6:8] == ["+33 4 74 00 00 02", "contact@perougienne.fr"]
    assert supplier[9] == "Grocery, Local products"
    assert supplier[11] == "Validated"
    manager_row = by_name[manager.get_full_name()]
    assert manager_row[0] == "Café manager"
    assert manager_row[2] == "Sulignat"  # placed at their café
    assert manager_row[7] == manager.email
    assert manager_row[9] == "Comptabilité"
    assert by_name["Hélène Comptable"][2:4] == ["Lagrasse", "11185"]


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused():
    assert exchange.csv_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert exchange.csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert exchange.csv_cell("-2+3*cmd|' /C calc'!A0") == "'-2+3*cmd|' /C calc'!A0"
    assert exchange.csv_cell("+33 4 74 00 00 00") == "+33 4 74 00 00 00"
    assert exchange.csv_cell(None) == ""


@pytest.mark.django_db
def test_export_and_import_are_refused_to_managers(client_for, manager):
    client = client_for(manager)
    assert client.get(EXPORT).status_code == 403
    assert client.get(IMPORT).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    response = client.post(
        IMPORT, {"file": upload(f"{HEADER}\nX;01412;drinks;;;;;;\n"), "mode": "valid_rows"}
    )
    assert response.status_code == 403
    assert not Supplier.objects.exists()


def _export_query_count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(EXPORT)
        rows = export_rows(response)
    return len(queries), len(rows)


@pytest.mark.django_db
def test_export_queries_do_not_grow_with_the_rows(
    staff_client,
    member_factory,
    cafe_factory,
    professional_factory,
    supplier_factory,
    django_assert_max_num_queries,
):
    def add(count: int) -> None:
        for _ in range(count):
            manager = member_factory()
            cafe_factory(managers=[manager], services=["Pain"])
            manager_profile_save(actor=manager, member=manager, fields={}, tags=["conseil"])
            professional_factory(skills=["Hygiène"], serves=["01"])
            supplier_factory(categories=["drinks", "bakery"], delivers=["01"])

    add(3)
    few, few_rows = _export_query_count(staff_client)
    add(27)
    many, many_rows = _export_query_count(staff_client)

    assert (few_rows, many_rows) == (1 + 4 * 3, 1 + 4 * 30)
    assert many == few
    with django_assert_max_num_queries(few):
        export_rows(staff_client.get(EXPORT))


# --- Import: files that go in --------------------------------------------------------------------


@pytest.mark.django_db
def test_import_a_utf8_file_creates_validated_suppliers_found_by_search(
    staff_client, staff_member, geography
):
    content = "\n".join(
        [
            HEADER,
            "Brasserie de la Dombes;01400 Sulignat;Boissons, local_products;01, 42;150 € HT;"
            "04 74 00 00 03;bonjour@dombes.fr;Franco dès 300 €;Bières artisanales",
            # An INSEE code Excel stripped of its leading zero, and the English label.
            "Torréfaction Lotoise;1290;Drinks;46;;;;;Café torréfié",
            ";;;;;;;;",  # an empty row a spreadsheet left behind
        ]
    )
    response = post_import(staff_client, "\ufeff" + content)

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.created_count, report.errors) == (2, [])
    assert "2 suppliers imported and validated." in page_text(response)
    dombes = Supplier.objects.get(name="Brasserie de la Dombes")
    assert dombes.status == ValidationStatus.VALIDATED
    assert dombes.proposed_by == staff_member
    assert dombes.commune == geography["Sulignat"]
    assert set(dombes.categories.values_list("category", flat=True)) == {
        "drinks",
        "local_products",
    }
    assert set(dombes.departements_delivered.values_list("code", flat=True)) == {"01", "42"}
    assert (dombes.minimum_order, dombes.phone, dombes.email) == (
        "150 € HT",
        "04 74 00 00 03",
        "bonjour@dombes.fr",
    )
    assert dombes.conditions == "Franco dès 300 €"
    assert Supplier.objects.get(name="Torréfaction Lotoise").commune == geography["Pérouges"]
    assert "Brasserie de la Dombes" in listed_titles("dombes")
    assert "Torréfaction Lotoise" in listed_titles("torrefaction")


@pytest.mark.django_db
def test_import_a_windows_1252_file_separated_by_commas(staff_client, geography):
    content = (
        "name,commune,categories,departements_delivered\r\n"
        '"Épicerie fine",Sulignat,"Épicerie, Produits du terroir","1, 42"\r\n'
    ).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # really not UTF-8

    response = post_import(staff_client, content)

    assert response.context["report"].errors == []
    supplier = Supplier.objects.get(name="Épicerie fine")
    assert supplier.commune == geography["Sulignat"]
    assert set(supplier.categories.values_list("category", flat=True)) == {
        "grocery",
        "local_products",
    }
    # "01" written back by Excel as the number 1.
    assert set(supplier.departements_delivered.values_list("code", flat=True)) == {"01", "42"}
    assert "Épicerie fine" in listed_titles("epicerie fine")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "NAME;Commune;CATÉGORIES;Départements_Delivered;E-Mail",
        "Nom;Ville;Catégories;Départements livrés;Courriel",
        " name ;COMMUNE;Categories;departements delivered;EMAIL",
    ],
)
def test_column_names_ignore_case_accents_and_take_french_names(staff_client, header, geography):
    content = f"{header}\nLa Fournée;11220 Lagrasse;Pain et pâtisseries;11;pain@fournee.fr\n"

    response = post_import(staff_client, content)

    assert response.context["report"].errors == []
    supplier = Supplier.objects.get(name="La Fournée")
    assert supplier.email == "pain@fournee.fr"
    assert list(supplier.categories.values_list("category", flat=True)) == ["bakery"]


@pytest.mark.django_db
def test_excel_separator_line_and_quoted_multiline_cells(staff_client, geography):
    content = (
        "sep=;\r\n"
        "name;commune;categories;description\r\n"
        'Le Moulin;Lagrasse;Presse, tabac et jeux;"Deux lignes\r\nde description"\r\n'
    )
    response = post_import(staff_client, content)

    assert response.context["report"].errors == []
    supplier = Supplier.objects.get(name="Le Moulin")
    assert supplier.description == "Deux lignes\r\nde description"
    assert list(supplier.categories.values_list("category", flat=True)) == ["press"]


# --- Import: wrong rows --------------------------------------------------------------------------


def _fifty_rows(wrong_commune: str = "99999 Nullepart") -> str:
    lines = [HEADER]
    for number in range(1, 51):
        commune = wrong_commune if number == 50 else "01400 Sulignat"
        lines.append(f"Fournisseur {number:02};{commune};drinks;01;;;;;")
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_all_or_nothing_imports_nothing_and_names_the_spreadsheet_row(staff_client, geography):
    response = post_import(staff_client, _fifty_rows(), mode=ImportMode.ALL_OR_NOTHING)

    assert response.status_code == 200
    report = response.context["report"]
    assert report.nothing_imported
    assert report.rows_read == 50
    assert report.errors == [
        RowError(
            51,
            "commune",
            "No commune matches “99999 Nullepart”. Type its postal code and name.",
        )
    ]
    assert not Supplier.objects.exists()
    text = page_text(response)
    assert "Nothing was imported" in text
    assert "<td>51</td>" in text


@pytest.mark.django_db
def test_all_or_nothing_undoes_rows_already_created_when_the_model_refuses_one(
    staff_client, geography, monkeypatch
):
    """A rule only full_clean knows, met on the last row, still leaves nothing behind."""
    from django.core.exceptions import ValidationError

    real_save = supplier_import.supplier_save

    def save(**kwargs):
        if kwargs["fields"]["name"] == "Fournisseur 50":
            raise ValidationError({"phone": ["Refused by the model."]})
        return real_save(**kwargs)

    monkeypatch.setattr(supplier_import, "supplier_save", save)
    response = post_import(staff_client, _fifty_rows(wrong_commune="01412"))

    assert response.context["report"].errors == [RowError(51, "phone", "Refused by the model.")]
    assert not Supplier.objects.exists()


@pytest.mark.django_db
def test_valid_rows_mode_imports_the_good_rows_and_reports_the_others(staff_client, geography):
    response = post_import(staff_client, _fifty_rows(), mode=ImportMode.VALID_ROWS)

    report = response.context["report"]
    assert not report.nothing_imported
    assert report.created_count == 49
    assert [(error.row, error.column) for error in report.errors] == [(51, "commune")]
    assert Supplier.objects.count() == 49
    assert not Supplier.objects.filter(name="Fournisseur 50").exists()
    text = page_text(response)
    assert "49 suppliers imported and validated." in text
    assert "1 row was left out" in text


@pytest.mark.django_db
def test_every_kind_of_wrong_row_is_reported_with_its_column(
    staff_client, geography, supplier_factory
):
    supplier_factory(name="Brasserie Existante")
    # A second "Pérouges", in the Loire: the name alone no longer tells which one.
    Commune.objects.create(
        insee_code="42999",
        name="Pérouges",
        departement_id="42",
        postal_codes="42999",
        population_band=PopulationBand.UNKNOWN,
        search_name=fold("Pérouges"),
    )
    rows = [
        "Bon Fournisseur;01800 Pérouges;drinks;01;;;;;",  # row 2: fine
        "Inconnu;Nullepart;drinks;;;;;;",  # 3
        "Ambigu;Pérouges;drinks;;;;;;",  # 4
        "Catégorie;Lagrasse;drinks, boucherie;;;;;;",  # 5
        "Département;Lagrasse;drinks;01, 99;;;;;",  # 6
        "Courriel;Lagrasse;drinks;;;;pas-un-courriel;;",  # 7
        f"{'N' * 151};Lagrasse;drinks;;;;;;",  # 8
        "brasserie existante;Lagrasse;drinks;;;;;;",  # 9
        "Bon fournisseur;Lagrasse;drinks;;;;;;",  # 10: same name as row 2
        "Trop;Lagrasse;drinks;;;;;;;en trop",  # 11
        ";;drinks;;;;;;",  # 12
        "Sans catégorie;Lagrasse;;;;;;;",  # 13
    ]
    response = post_import(staff_client, "\n".join([HEADER, *rows]), mode=ImportMode.VALID_ROWS)

    report = response.context["report"]
    assert report.created_count == 1
    found = [(error.row, error.column, error.message) for error in report.errors]
    assert found == [
        (3, "commune", "No commune matches “Nullepart”. Type its postal code and name."),
        (4, "commune", "Several communes match “Pérouges”: add the postal code."),
        (
            5,
            "categories",
            "Unknown category “boucherie”. Use one of: drinks, local_products, grocery, "
            "bakery, equipment, packaging, services, press.",
        ),
        (6, "departements_delivered", "Unknown département code “99”."),
        (7, "email", "Enter a valid email address."),
        (8, "name", "Too long: 151 characters, 150 at most."),
        (9, "name", "A supplier named “brasserie existante” is already in the directory."),
        (10, "name", "The same name is already on row 2 of the file."),
        (
            11,
            "",
            "This row has more cells than the header has columns: a value may hold the "
            "separator “;” without quotes around it.",
        ),
        (12, "name", "The name is missing."),
        (12, "commune", "The commune is missing."),
        (13, "categories", "At least one category is needed."),
    ]
    assert list(Supplier.objects.order_by("name").values_list("name", flat=True)) == [
        "Bon Fournisseur",
        "Brasserie Existante",
    ]


# --- Import: files refused as a whole ---------------------------------------------------------


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\xef\xbb\xbf\r\n \r\n", "The file is empty."),
        (PNG, "This is not a CSV file"),
        (_zip_bytes(), "This is a spreadsheet workbook, not a CSV file."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "spreadsheet workbook"),
        ("name;commune;categories".encode("utf-16"), "This is not a CSV file"),
        (bytes(range(256)) * 4, "This is not a CSV file"),
        (
            b"raison sociale;localite;type\nX;Y;Z\n",
            "Missing columns: name, commune, categories. Unknown columns: raison sociale, "
            "localite, type.",
        ),
        (b"name;commune;categories;name\nX;Lagrasse;drinks;Y\n", "Columns given twice: name."),
        (b"Bonjour,\nvoici la liste des fournisseurs.\n", "Missing columns: name, commune"),
        (f"{HEADER}\n".encode(), "The file has a header row but no data below it."),
        (b'sep="\nname;commune\n', 'Unknown columns: sep=".'),
        (f"{HEADER}\n;;;;\n".encode(), "The file has a header row but no data below it."),
        (
            f'name;commune;categories\nX;Lagrasse;"{"a" * 200_000}"\n'.encode(),
            "The file cannot be read as CSV near row",
        ),
    ],
    ids=[
        "empty",
        "bom-and-blank-lines",
        "png",
        "xlsx",
        "xls",
        "utf-16",
        "binary",
        "wrong-columns",
        "repeated-column",
        "prose",
        "header-only",
        "odd-excel-separator-line",
        "blank-rows-only",
        "huge-cell",
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(staff_client, geography, content, message):
    response = post_import(staff_client, content)

    assert response.status_code == 200
    assert "report" not in response.context
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert message.split("“")[0] in page_text(response)
    assert not Supplier.objects.exists()


@pytest.mark.django_db
def test_a_file_over_two_megabytes_is_refused(staff_client, geography):
    row = "Fournisseur;01400 Sulignat;drinks;;;;;;" + "x" * 200 + "\n"
    content = (HEADER + "\n" + row * (MAX_IMPORT_BYTES // len(row) + 1)).encode()
    assert len(content) > MAX_IMPORT_BYTES

    response = post_import(staff_client, content)

    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert error.startswith("The file is too large (")
    assert "the limit is 2.0\xa0MB" in error
    assert not Supplier.objects.exists()


@pytest.mark.django_db
def test_a_file_over_five_thousand_rows_is_refused(staff_client, geography):
    rows = "".join(f"F{n};01412;drinks\n" for n in range(MAX_IMPORT_ROWS + 1))
    response = post_import(staff_client, "name;commune;categories\n" + rows)

    [error] = response.context["form"].errors["file"]
    assert error == "The file has more than 1,000 rows. Split it into several files."
    assert not Supplier.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_an_oversized_file_whatever_size_it_claims(staff_member, geography):
    """The form checks the declared size; the reader never holds more than the limit."""
    file = io.BytesIO(b"name;commune;categories\n" + b"x" * MAX_IMPORT_BYTES)
    with pytest.raises(exchange.ImportFileError, match="too large"):
        exchange.suppliers_import(actor=staff_member, file=file, mode=ImportMode.VALID_ROWS)


@pytest.mark.django_db
def test_a_form_without_file_or_mode_is_answered_with_the_form(staff_client):
    response = staff_client.post(IMPORT, {"mode": "everything"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"file", "mode"}


# --- Import: the page and its template ---------------------------------------------------------


@pytest.mark.django_db
def test_the_import_page_explains_columns_limits_and_modes(staff_client):
    response = staff_client.get(IMPORT)

    assert response.status_code == 200
    text = page_text(response)
    for column in ("name", "commune", "categories", "departements_delivered", "minimum_order"):
        assert f"<code>{column}</code>" in text
    assert "Produits locaux" in text
    assert "At most 2.0\xa0MB and 1,000 rows." in text
    assert "semicolons (“;”)" in text  # what the export is made of
    assert "import nothing (the default)" in text
    # The safe choice is ticked before staff choose.
    assert 'value="all_or_nothing" required id="id_mode_0" checked' in text
    assert response.context["form"]["mode"].value() == ImportMode.ALL_OR_NOTHING


@pytest.mark.django_db
def test_the_template_downloads_and_imports_once_a_row_is_filled(staff_client, geography):
    response = staff_client.get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "modele-import-fournisseurs.csv" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    template = response.content.decode("utf-8-sig")
    assert template == HEADER + "\r\n"

    filled = template + "Fromagerie du Causse;46330 Saint-Cirq-Lapopie;Produits locaux;46;;;;;\r\n"
    report = post_import(staff_client, ("\ufeff" + filled).encode()).context["report"]

    assert (report.created_count, report.errors) == (1, [])
    assert Supplier.objects.get().commune == geography["Saint-Cirq-Lapopie"]


@pytest.mark.django_db
def test_search_page_links_staff_to_export_and_import(client_for, staff_member, manager):
    staff_page = client_for(staff_member).get("/annuaire/").content.decode()
    manager_page = client_for(manager).get("/annuaire/").content.decode()

    assert EXPORT in staff_page and IMPORT in staff_page
    assert EXPORT not in manager_page and IMPORT not in manager_page
