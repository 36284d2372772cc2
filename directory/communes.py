"""Loading the communes reference data (régions, départements, communes) into the database.

Two sources are accepted: the compact files shipped in ``directory/data`` (derived from
@etalab/decoupage-administratif, see SOURCE.md there), and a newer upstream ``communes.json``
from that package, so a yearly INSEE update needs no new derivation before it can be loaded.

Only rows that are new or differ from the database are written, so a second run writes nothing
and the whole load stays a handful of bulk queries.
"""

import csv
import gzip
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.db import models, transaction

from .models import Commune, Departement, PopulationBand, Region
from .selectors import GEOGRAPHY_CACHE_KEY
from .text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_COMMUNES = DATA_DIR / "communes.csv.gz"

COMPACT = "compact CSV"
UPSTREAM = "upstream JSON"

# The region column of the compact file only mirrors departements.csv: not required.
COMMUNE_COLUMNS = ("insee_code", "name", "departement", "postal_codes", "population")
DEPARTEMENT_COLUMNS = ("code", "name", "region")
REGION_COLUMNS = ("code", "name")

# Déléguées, associées and municipal arrondissements are parts of a current commune.
CURRENT_COMMUNE = "commune-actuelle"

# SQLite caps the number of parameters per query (Django lowers this further if needed); on
# PostgreSQL it keeps each statement a reasonable size.
BATCH_SIZE = 1000


class CommunesSourceError(ValueError):
    """The file given is missing or is not a communes file in a known format."""


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportReport:
    source: Path
    source_format: str
    regions: Tally = field(default_factory=Tally)
    departements: Tally = field(default_factory=Tally)
    communes: Tally = field(default_factory=Tally)
    # Kept in the database because cafés and profiles point to them; worth a look by staff.
    communes_absent_from_source: int = 0

    @property
    def changed(self) -> bool:
        return any(t.created or t.updated for t in (self.regions, self.departements, self.communes))


# --- Reading -------------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CommunesSourceError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise CommunesSourceError(f"{path}: is a folder, not a file.") from None
    except OSError as error:
        raise CommunesSourceError(f"{path}: cannot be read ({error.strerror}).") from None
    # By content rather than by name: a .gz suffix is a hint, the magic number is the truth.
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise CommunesSourceError(f"{path}: damaged gzip file ({error}).") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CommunesSourceError(
            f"{path}: not a text file in UTF-8; expected the upstream communes.json or a "
            "CSV file like directory/data/communes.csv.gz."
        ) from None


def _looks_like_json(path: Path, text: str) -> bool:
    if path.name.endswith((".json", ".json.gz")):
        return True
    if path.name.endswith((".csv", ".csv.gz")):
        return False
    return text.lstrip()[:1] in ("[", "{")


def _parse_json(path: Path, text: str) -> list[dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommunesSourceError(f"{path}: invalid JSON ({error}).") from None
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        raise CommunesSourceError(
            f"{path}: expected a JSON list of objects, as in @etalab/decoupage-administratif."
        )
    return data


def _parse_csv(path: Path, text: str, required: tuple[str, ...]) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [column for column in required if column not in header]
    if missing:
        found = ", ".join(header) or "nothing"
        if len(found) > 80:
            found = found[:77] + "..."
        raise CommunesSourceError(
            f"{path}: not a JSON list nor a CSV file with the columns {', '.join(required)}; "
            f"its first line lacks {', '.join(missing)} (found: {found!r})."
        )
    try:
        return list(reader)
    except csv.Error as error:
        raise CommunesSourceError(f"{path}: invalid CSV ({error}).") from None


def _text_value(path: Path, entry: dict, key: str, label: str, *, max_length: int) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CommunesSourceError(f"{path}: {label} has no {key!r}.")
    value = value.strip()
    if len(value) > max_length:
        raise CommunesSourceError(f"{path}: {label}: {key!r} is longer than {max_length}.")
    return value


def _population(path: Path, value: object, label: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value)
    # bool is an int to Python, not a population.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise CommunesSourceError(f"{path}: {label}: invalid population {value!r}.")


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _read_regions(path: Path) -> dict[str, str]:
    """``{code: name}`` from regions.json or regions.csv."""
    text = _read_text(path)
    if _looks_like_json(path, text):
        entries = [{"code": e.get("code"), "name": e.get("nom")} for e in _parse_json(path, text)]
    else:
        entries = _parse_csv(path, text, REGION_COLUMNS)
    regions = {}
    for number, entry in enumerate(entries, start=1):
        label = f"région #{number}"
        code = _text_value(path, entry, "code", label, max_length=_max_length(Region, "code"))
        label = f"région {code}"
        regions[code] = _text_value(
            path, entry, "name", label, max_length=_max_length(Region, "name")
        )
    return regions


def _read_departements(path: Path) -> dict[str, tuple[str, str]]:
    """``{code: (name, region code)}`` from departements.json or departements.csv."""
    text = _read_text(path)
    if _looks_like_json(path, text):
        entries = [
            {"code": e.get("code"), "name": e.get("nom"), "region": e.get("region")}
            for e in _parse_json(path, text)
        ]
    else:
        entries = _parse_csv(path, text, DEPARTEMENT_COLUMNS)
    departements = {}
    code_length = _max_length(Departement, "code")
    for number, entry in enumerate(entries, start=1):
        code = _text_value(path, entry, "code", f"département #{number}", max_length=code_length)
        label = f"département {code}"
        departements[code] = (
            _text_value(path, entry, "name", label, max_length=_max_length(Departement, "name")),
            _text_value(path, entry, "region", label, max_length=_max_length(Region, "code")),
        )
    return departements


@dataclass(frozen=True)
class _CommuneRow:
    name: str
    departement: str
    postal_codes: str
    population: int | None

    def values(self) -> tuple:
        """The stored columns, in the order of ``_COMMUNE_FIELDS``."""
        return (
            self.name,
            self.departement,
            self.postal_codes,
            self.population,
            PopulationBand.for_population(self.population).value,
            fold(self.name),
        )


_COMMUNE_FIELDS = (
    "name",
    "departement_id",
    "postal_codes",
    "population",
    "population_band",
    "search_name",
)


def _read_communes(path: Path) -> tuple[str, dict[str, _CommuneRow]]:
    """The format found and ``{insee code: row}`` for the current communes in the file."""
    text = _read_text(path)
    if _looks_like_json(path, text):
        source_format = UPSTREAM
        entries = [
            {
                "insee_code": e.get("code"),
                "name": e.get("nom"),
                "departement": e.get("departement"),
                "postal_codes": e.get("codesPostaux") or [],
                "population": e.get("population"),
            }
            for e in _parse_json(path, text)
            # Older releases had no type: every entry was a current commune then.
            if e.get("type", CURRENT_COMMUNE) == CURRENT_COMMUNE
        ]
    else:
        source_format = COMPACT
        entries = _parse_csv(path, text, COMMUNE_COLUMNS)
    if not entries:
        raise CommunesSourceError(f"{path}: no commune in the file.")

    communes = {}
    code_length = _max_length(Commune, "insee_code")
    postal_length = _max_length(Commune, "postal_codes")
    for number, entry in enumerate(entries, start=1):
        code = _text_value(path, entry, "insee_code", f"commune #{number}", max_length=code_length)
        label = f"commune {code}"
        postal_codes = entry.get("postal_codes") or ""
        if isinstance(postal_codes, list):
            postal_codes = " ".join(sorted({str(postal_code) for postal_code in postal_codes}))
        elif not isinstance(postal_codes, str):
            raise CommunesSourceError(f"{path}: {label}: invalid postal codes {postal_codes!r}.")
        postal_codes = " ".join(postal_codes.split())
        if len(postal_codes) > postal_length:
            raise CommunesSourceError(f"{path}: {label}: postal codes too long.")
        communes[code] = _CommuneRow(
            name=_text_value(path, entry, "name", label, max_length=_max_length(Commune, "name")),
            departement=_text_value(
                path, entry, "departement", label, max_length=_max_length(Departement, "code")
            ),
            postal_codes=postal_codes,
            population=_population(path, entry.get("population"), label),
        )
    return source_format, communes


def _sibling(path: Path, stem: str) -> Path:
    """The régions or départements file next to ``path``, else the shipped one."""
    for suffix in (".json", ".csv", ".csv.gz"):
        candidate = path.parent / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return DATA_DIR / f"{stem}.csv"


# --- Writing -------------------------------------------------------------------------------------


def _upsert(
    model: type[models.Model],
    key: str,
    fields: tuple[str, ...],
    wanted: dict[str, tuple],
    tally: Tally,
) -> None:
    """Create or update the rows of ``wanted`` (``{key: values in fields order}``) that differ."""
    existing = {row[0]: tuple(row[1:]) for row in model.objects.values_list(key, *fields)}
    to_write = []
    for code, values in wanted.items():
        current = existing.get(code)
        if current == values:
            tally.unchanged += 1
            continue
        if current is None:
            tally.created += 1
        else:
            tally.updated += 1
        to_write.append(model(**{key: code}, **dict(zip(fields, values, strict=True))))
    if to_write:
        model.objects.bulk_create(
            to_write,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=[key],
            update_fields=list(fields),
        )


def communes_import(*, path: Path | None = None) -> ImportReport:
    """Load régions, départements and communes; create the new ones, update the changed ones.

    ``path`` is the shipped compact file when None, or an upstream ``communes.json`` (its
    ``departements.json`` and ``regions.json`` are taken from the same folder when present, else
    the shipped ones give the names). Communes absent from the file are kept and counted.
    Raises :class:`CommunesSourceError` for a file that cannot be used; nothing is written then.
    """
    path = Path(path) if path is not None else SHIPPED_COMMUNES
    source_format, communes = _read_communes(path)
    departements_path = _sibling(path, "departements")
    departements = _read_departements(departements_path)
    regions_path = _sibling(path, "regions")
    regions = _read_regions(regions_path)

    # Checked before writing: a foreign key error halfway would be far less clear.
    for code, (_name, region) in departements.items():
        if region not in regions:
            raise CommunesSourceError(
                f"{departements_path}: département {code} is in région {region}, "
                f"which {regions_path} does not list."
            )
    unknown = sorted({row.departement for row in communes.values()} - departements.keys())
    if unknown:
        raise CommunesSourceError(
            f"{path}: département(s) {', '.join(unknown)} not listed in {departements_path}."
        )

    report = ImportReport(source=path, source_format=source_format)
    with transaction.atomic():
        _upsert(
            Region,
            "code",
            ("name",),
            {code: (name,) for code, name in regions.items()},
            report.regions,
        )
        _upsert(Departement, "code", ("name", "region_id"), departements, report.departements)
        _upsert(
            Commune,
            "insee_code",
            _COMMUNE_FIELDS,
            {code: row.values() for code, row in communes.items()},
            report.communes,
        )
        report.communes_absent_from_source = Commune.objects.count() - report.communes.total
        transaction.on_commit(lambda: cache.delete(GEOGRAPHY_CACHE_KEY))
    return report
