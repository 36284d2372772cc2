"""The staff import of suppliers from a CSV file, with a report of the rows refused.

The whole file is read and every row checked before anything is created; rows are numbered as
the spreadsheet shows them (the header is row 1).
"""

import re
from dataclasses import dataclass, field
from typing import IO, Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.models import Member

from .. import permissions
from ..models import Commune, Departement, Supplier, SupplierCategory
from ..services import supplier_save
from ..text import fold
from .csv_files import ImportColumn, Table, csv_lines, table_read


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = (
        "all_or_nothing",
        gettext_lazy("Import nothing, so that I can correct the file and send it again"),
    )
    VALID_ROWS = "valid_rows", gettext_lazy("Import the valid rows only, and list the others")


SUPPLIER_IMPORT_COLUMNS = (
    ImportColumn(
        "name",
        True,
        gettext_lazy(
            "The supplier's name, 150 characters at most. It must not be in the directory "
            "already, nor twice in the file."
        ),
        ("nom", "nom du fournisseur", "fournisseur"),
    ),
    ImportColumn(
        "commune",
        True,
        gettext_lazy(
            "Where the supplier is based: postal code and name (“01400 Sulignat”) or INSEE "
            "code (“01412”)."
        ),
        ("ville", "code insee"),
    ),
    ImportColumn(
        "categories",
        True,
        gettext_lazy("One or more categories, separated by commas: codes or names (see below)."),
        ("category", "categorie", "categories fournisseur"),
    ),
    ImportColumn(
        "departements_delivered",
        False,
        gettext_lazy("Codes of the départements delivered, separated by commas (“01, 42, 2A”)."),
        ("departements", "departements livres", "livraison"),
    ),
    ImportColumn(
        "minimum_order",
        False,
        gettext_lazy("Free text, 100 characters at most (“150 € HT”)."),
        ("commande minimum", "minimum de commande", "minimum"),
    ),
    ImportColumn(
        "phone",
        False,
        gettext_lazy("30 characters at most. Shown to programme staff only."),
        ("telephone", "tel"),
    ),
    ImportColumn(
        "email",
        False,
        gettext_lazy("A valid e-mail address. Shown to programme staff only."),
        ("e mail", "courriel", "mail", "adresse e mail"),
    ),
    ImportColumn("conditions", False, gettext_lazy("Delivery or payment conditions.")),
    ImportColumn("description", False, gettext_lazy("What the supplier offers.")),
)
# French names of the categories, accepted whatever the catalogue of translations says: the
# spreadsheets are written in French by people who will not look up the codes.
FRENCH_CATEGORY_NAMES = {
    SupplierCategory.DRINKS: ("Boissons",),
    SupplierCategory.LOCAL_PRODUCTS: ("Produits locaux", "Produits du terroir"),
    SupplierCategory.GROCERY: ("Épicerie",),
    SupplierCategory.BAKERY: (
        "Pain et viennoiseries",
        "Pain et pâtisseries",
        "Boulangerie",
        "Boulangerie-pâtisserie",
    ),
    SupplierCategory.EQUIPMENT: ("Équipement", "Matériel"),
    SupplierCategory.PACKAGING: ("Emballages et consommables", "Emballages", "Consommables"),
    SupplierCategory.SERVICES: ("Services",),
    SupplierCategory.PRESS: ("Presse, tabac et jeux", "Presse", "Tabac"),
}


def supplier_import_template() -> str:
    """The CSV file staff download and fill in: the header row alone."""
    return "".join(csv_lines([[column.key for column in SUPPLIER_IMPORT_COLUMNS]]))


def supplier_import_categories() -> list[tuple[str, str, tuple[str, ...]]]:
    """(code, label, French names) of each category, for the page that explains the import."""
    return [
        (category.value, category.label, FRENCH_CATEGORY_NAMES.get(category, ()))
        for category in SupplierCategory
    ]


def _category_names() -> dict[str, str]:
    """Folded name -> category code: codes, French names, the labels in English and in the
    site's languages."""
    names: dict[str, str] = {}
    for category in SupplierCategory:
        names[fold(category.value)] = category.value
        for name in FRENCH_CATEGORY_NAMES.get(category, ()):
            names[fold(name)] = category.value
        for language in (None, "fr", translation.get_language()):
            with translation.override(language):
                names.setdefault(fold(str(category.label)), category.value)
    return names


# --- The report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str  # the column's name as written in the file; empty for the whole row
    message: str


@dataclass
class ImportReport:
    mode: str
    rows_read: int
    created: list[Supplier] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def created_count(self) -> int:
        return len(self.created)

    @property
    def rejected_count(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def nothing_imported(self) -> bool:
        """All-or-nothing mode met an error: no supplier was created."""
        return self.mode == ImportMode.ALL_OR_NOTHING and bool(self.errors)


# --- Checking the rows ---------------------------------------------------------------------------


def _max_length(name: str) -> int:
    return Supplier._meta.get_field(name).max_length


def _name_key(name: str) -> str:
    # "Épicerie Dupont" and "EPICERIE  dupont" are the same supplier; a name made of
    # punctuation only still needs a key of its own.
    return fold(name) or name.strip().casefold()


class _CommuneLookup:
    """CommuneField's rules (INSEE code, or postal code and name), remembered per value: a file
    often names the same commune on many rows."""

    def __init__(self) -> None:
        # Imported here because forms.py imports this module for the upload form.
        from ..forms import CommuneField

        self._field = CommuneField(required=False)
        self._found: dict[str, Commune | ValidationError] = {}

    def __call__(self, value: str) -> Commune:
        if value.isdigit() and len(value) == 4:
            # Excel reads the INSEE code "01412" as the number 1412 and saves it so.
            value = "0" + value
        if value not in self._found:
            try:
                self._found[value] = self._field.clean(value)
            except ValidationError as error:
                self._found[value] = error
        found = self._found[value]
        if isinstance(found, ValidationError):
            raise found
        return found


@dataclass
class _Lookups:
    """What every row is checked against, loaded once per file."""

    commune: _CommuneLookup
    category_names: dict[str, str]
    departements: dict[str, Departement]
    existing_names: set[str]
    email: forms.EmailField
    names_seen: dict[str, int] = field(default_factory=dict)


@dataclass
class _SupplierRow:
    number: int
    fields: dict[str, Any]
    categories: list[str]
    departements: list[Departement]


def _split_categories(value: str, names: dict[str, str]) -> tuple[list[str], list[str]]:
    """(category codes, pieces matching none). A name may hold commas itself ("Presse, tabac
    et jeux"): at each piece, the longest run of pieces that names a category wins."""
    pieces = [piece.strip() for piece in re.split(r"[,;]", value) if fold(piece)]
    folded = [fold(piece) for piece in pieces]
    codes: list[str] = []
    unknown: list[str] = []
    start = 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            code = names.get(" ".join(folded[start:end]))
            if code:
                codes.append(code)
                start = end
                break
        else:
            unknown.append(pieces[start])
            start += 1
    return list(dict.fromkeys(codes)), unknown


def _split_departements(value: str) -> list[str]:
    codes = []
    for piece in re.split(r"[\s,;/]+", value):
        code = piece.strip().upper()
        if code.isdigit() and len(code) == 1:
            # Excel writes the département "01" back as the number 1.
            code = "0" + code
        if code:
            codes.append(code)
    return list(dict.fromkeys(codes))


def _too_long(value: str, key: str) -> str | None:
    limit = _max_length(key)
    if len(value) <= limit:
        return None
    return _("Too long: %(length)s characters, %(max)s at most.") % {
        "length": len(value),
        "max": limit,
    }


def _row_check(
    table: Table, number: int, cells: list[str], lookups: _Lookups
) -> tuple[_SupplierRow | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(key: str, message: str) -> None:
        errors.append(RowError(number, table.heading(key) if key else "", message))

    if any(cell.strip() for cell in cells[len(table.header) :]):
        fail(
            "",
            _(
                "This row has more cells than the header has columns: a value may hold the "
                "separator “%(separator)s” without quotes around it."
            )
            % {"separator": table.delimiter},
        )

    name = table.value(cells, "name")
    if not name:
        fail("name", _("The name is missing."))
    elif message := _too_long(name, "name"):
        fail("name", message)
    else:
        key = _name_key(name)
        if key in lookups.existing_names:
            fail(
                "name",
                _("A supplier named “%(name)s” is already in the directory.") % {"name": name},
            )
        elif key in lookups.names_seen:
            fail(
                "name",
                _("The same name is already on row %(row)s of the file.")
                % {"row": lookups.names_seen[key]},
            )
        else:
            lookups.names_seen[key] = number

    commune = None
    commune_text = table.value(cells, "commune")
    if not commune_text:
        fail("commune", _("The commune is missing."))
    else:
        try:
            commune = lookups.commune(commune_text)
        except ValidationError as error:
            for message in error.messages:
                fail("commune", message)

    categories, unknown = _split_categories(
        table.value(cells, "categories"), lookups.category_names
    )
    for piece in unknown:
        fail(
            "categories",
            _("Unknown category “%(value)s”. Use one of: %(choices)s.")
            % {"value": piece, "choices": ", ".join(SupplierCategory.values)},
        )
    if not categories and not unknown:
        fail("categories", _("At least one category is needed."))

    departements = []
    for code in _split_departements(table.value(cells, "departements_delivered")):
        departement = lookups.departements.get(code)
        if departement is None:
            fail(
                "departements_delivered",
                _("Unknown département code “%(code)s”.") % {"code": code},
            )
        else:
            departements.append(departement)

    for key in ("minimum_order", "phone"):
        if message := _too_long(table.value(cells, key), key):
            fail(key, message)

    email = table.value(cells, "email")
    if email:
        try:
            email = lookups.email.clean(email)
        except ValidationError as error:
            for message in error.messages:
                fail("email", message)

    if errors:
        return None, errors
    fields = {
        "name": name,
        "commune": commune,
        "minimum_order": table.value(cells, "minimum_order"),
        "phone": table.value(cells, "phone"),
        "email": email,
        "conditions": table.value(cells, "conditions"),
        "description": table.value(cells, "description"),
    }
    return _SupplierRow(number, fields, categories, departements), []


def _rows_check(table: Table) -> tuple[list[_SupplierRow], list[RowError]]:
    lookups = _Lookups(
        commune=_CommuneLookup(),
        category_names=_category_names(),
        departements=Departement.objects.in_bulk(),
        existing_names={
            _name_key(name) for name in Supplier.objects.values_list("name", flat=True)
        },
        email=forms.EmailField(max_length=_max_length("email")),
    )
    valid: list[_SupplierRow] = []
    errors: list[RowError] = []
    for number, cells in table.rows:
        row, row_errors = _row_check(table, number, cells, lookups)
        if row is not None:
            valid.append(row)
        errors.extend(row_errors)
    return valid, errors


def _model_errors(table: Table, number: int, error: ValidationError) -> list[RowError]:
    """full_clean's refusals, placed in the file's columns where the field is one of them."""
    if not hasattr(error, "error_dict"):
        return [RowError(number, "", message) for message in error.messages]
    return [
        RowError(number, table.heading(name) if name in table.columns else "", message)
        for name, messages in error.message_dict.items()
        for message in messages
    ]


# --- Writing -------------------------------------------------------------------------------------


def suppliers_import(*, actor: Member, file: IO[bytes], mode: str) -> ImportReport:
    """Create the suppliers of a CSV file on behalf of ``actor`` (staff, so they are validated
    and listed at once), each through :func:`~directory.services.supplier_save`.

    Every row is checked before anything is written. In ``ImportMode.ALL_OR_NOTHING`` a single
    wrong row means no supplier is created; in ``ImportMode.VALID_ROWS`` the valid rows are
    created and the others reported. Raises :class:`ImportFileError` when the file as a whole
    cannot be used (not a CSV, too large, empty, columns missing...), ``PermissionDenied`` when
    ``actor`` is not staff.
    """
    if not permissions.can_exchange_files(actor):
        raise PermissionDenied
    if mode not in ImportMode.values:
        raise ValueError(f"unknown import mode: {mode!r}")
    table = table_read(file, columns=SUPPLIER_IMPORT_COLUMNS)
    rows, errors = _rows_check(table)
    report = ImportReport(mode=mode, rows_read=len(table.rows), errors=errors)
    if report.nothing_imported:
        return report
    # One transaction either way: in all-or-nothing mode it is what undoes the rows already
    # created when a later one fails; supplier_save's own atomic block is a savepoint in it, so
    # a failed row leaves the others intact in valid-rows mode.
    with transaction.atomic():
        for row in rows:
            try:
                supplier = supplier_save(
                    actor=actor,
                    fields=row.fields,
                    categories=row.categories,
                    departements_delivered=row.departements,
                )
            except ValidationError as error:
                # full_clean's last word, on a rule of the model the checks above do not know.
                report.errors.extend(_model_errors(table, row.number, error))
                continue
            report.created.append(supplier)
        if report.nothing_imported:
            transaction.set_rollback(True)
            report.created = []
    report.errors.sort(key=lambda error: error.row)
    return report
