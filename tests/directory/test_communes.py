"""The communes reference data: shipped file, upstream updates, bad files, name folding."""

import gzip
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from directory.communes import COMPACT, UPSTREAM, communes_import
from directory.models import Commune, Departement, PopulationBand, Region
from directory.text import fold

# Counted in @etalab/decoupage-administratif 6.0.0: the 109 "départements" include the overseas
# collectivities (975, 977, 978, 984, 986-989), each also listed as its own "région".
REGIONS = 26
DEPARTEMENTS = 109
COMMUNES = 34_969
UNDER_3500 = 31_673
WITHOUT_POPULATION = 6  # the uninhabited TAAF districts and Clipperton

UNDER_3500_BANDS = [
    PopulationBand.UNDER_500,
    PopulationBand.FROM_500,
    PopulationBand.FROM_1000,
    PopulationBand.FROM_2000,
]


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """The full shipped file, loaded once for the module (each test still rolls back its own
    changes) and removed afterwards so that other modules start from empty tables."""
    with django_db_blocker.unblock():
        report = communes_import()
        yield report
        # Plain DELETEs: nothing points to these rows any more (each test rolled back its own),
        # and the ORM's delete would first look for cafés and entries, 35,000 rows at a time.
        with connection.cursor() as cursor:
            for model in (Commune, Departement, Region):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's own table)


def upstream_entry(code: str, name: str, population: int | None, **fields) -> dict:
    """One entry shaped like @etalab/decoupage-administratif's communes.json."""
    return {
        "code": code,
        "nom": name,
        "type": "commune-actuelle",
        "departement": code[:2],
        "region": "84",
        "codesPostaux": ["01400"],
        "population": population,
        **fields,
    }


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --- The shipped file ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_shipped_file_loads_every_current_commune(shipped):
    assert shipped.source_format == COMPACT
    assert (shipped.regions.created, shipped.departements.created) == (REGIONS, DEPARTEMENTS)
    assert shipped.communes.created == COMMUNES
    assert shipped.communes_absent_from_source == 0
    assert Region.objects.count() == REGIONS
    assert Departement.objects.count() == DEPARTEMENTS
    assert Commune.objects.count() == COMMUNES

    assert Commune.objects.filter(population__lt=3500).count() == UNDER_3500
    assert Commune.objects.filter(population_band__in=UNDER_3500_BANDS).count() == UNDER_3500
    unknown = Commune.objects.filter(population_band=PopulationBand.UNKNOWN)
    assert unknown.count() == WITHOUT_POPULATION
    assert not unknown.exclude(population=None).exists()

    commune = Commune.objects.select_related("departement__region").get(insee_code="01001")
    assert commune.name == "L'Abergement-Clémenciat"
    assert commune.search_name == "l abergement clemenciat"
    assert commune.postal_code_list == ["01400"]
    assert commune.population == 860
    assert commune.population_band == PopulationBand.FROM_500
    assert (commune.departement.code, commune.departement.name) == ("01", "Ain")
    region = commune.departement.region
    assert (region.code, region.name) == ("84", "Auvergne-Rhône-Alpes")
    # Corsica's letters and a commune with several postal codes.
    assert Commune.objects.get(insee_code="2A004").name == "Ajaccio"
    assert len(Commune.objects.get(insee_code="13055").postal_code_list) > 1


@pytest.mark.django_db
def test_second_run_changes_nothing(shipped, django_assert_max_num_queries):
    before = list(Commune.objects.order_by("insee_code").values_list())

    # Three reads, no write: nothing differs.
    with django_assert_max_num_queries(10):
        report = communes_import()

    assert not report.changed
    assert (report.regions.unchanged, report.departements.unchanged) == (REGIONS, DEPARTEMENTS)
    assert report.communes.unchanged == COMMUNES
    assert report.communes.created == report.communes.updated == 0
    assert list(Commune.objects.order_by("insee_code").values_list()) == before


# --- An upstream communes.json -------------------------------------------------------------------


@pytest.mark.django_db
def test_upstream_json_updates_in_place_and_adds(shipped, tmp_path):
    path = write_json(
        tmp_path / "communes.json",
        [
            upstream_entry("01001", "L'Abergement-Clémenciat", 4000),
            upstream_entry("01999", "Œuilly-sur-Test", 120, codesPostaux=["01990", "01991"]),
            # Parts of a current commune: not communes of their own.
            upstream_entry("01998", "Ancienne commune", 50, type="commune-deleguee"),
            upstream_entry("01997", "Autre ancienne", 50, type="commune-associee"),
        ],
    )
    out = StringIO()

    call_command("import_communes", str(path), stdout=out)

    updated = Commune.objects.get(insee_code="01001")
    assert updated.population == 4000
    assert updated.population_band == PopulationBand.FROM_3500
    assert (updated.name, updated.departement_id, updated.postal_codes) == (
        "L'Abergement-Clémenciat",
        "01",
        "01400",
    )
    added = Commune.objects.get(insee_code="01999")
    assert (added.name, added.search_name) == ("Œuilly-sur-Test", "oeuilly sur test")
    assert (added.departement_id, added.postal_code_list) == ("01", ["01990", "01991"])
    assert added.population_band == PopulationBand.UNDER_500
    assert not Commune.objects.filter(insee_code__in=["01998", "01997"]).exists()
    # Nothing is deleted: cafés may point to communes that left the file.
    assert Commune.objects.count() == COMMUNES + 1

    output = out.getvalue()
    assert f"{path} (upstream JSON)" in output
    assert "communes:     1 created, 1 updated, 0 unchanged" in output
    # No departements.json next to it: the shipped names are used, and are unchanged.
    assert f"départements: 0 created, 0 updated, {DEPARTEMENTS} unchanged" in output
    assert f"{COMMUNES - 1} commune(s) in the database are not in the file" in output


@pytest.mark.django_db
def test_upstream_departements_and_regions_next_to_the_file_are_used(shipped, tmp_path):
    write_json(
        tmp_path / "communes.json", [upstream_entry("01001", "L'Abergement-Clémenciat", 860)]
    )
    write_json(tmp_path / "departements.json", [{"code": "01", "nom": "Ain (new)", "region": "84"}])
    write_json(tmp_path / "regions.json", [{"code": "84", "nom": "Auvergne-Rhône-Alpes"}])

    report = communes_import(path=tmp_path / "communes.json")

    assert report.source_format == UPSTREAM
    assert (report.regions.unchanged, report.regions.total) == (1, 1)
    assert (report.departements.updated, report.departements.total) == (1, 1)
    assert (report.communes.unchanged, report.communes.total) == (1, 1)
    assert Departement.objects.get(code="01").name == "Ain (new)"
    assert Departement.objects.count() == DEPARTEMENTS


@pytest.mark.django_db
def test_format_is_recognised_by_content(shipped, tmp_path):
    """A gzipped upstream file with an unusual name still reads as JSON."""
    path = tmp_path / "communes-2027"
    entries = [upstream_entry("01001", "L'Abergement-Clémenciat", 861)]
    path.write_bytes(gzip.compress(json.dumps(entries).encode()))

    report = communes_import(path=path)

    assert (report.source_format, report.communes.updated) == (UPSTREAM, 1)
    assert Commune.objects.get(insee_code="01001").population == 861


# --- Files that cannot be used -------------------------------------------------------------------


def _write_bad(tmp_path: Path, name: str, content: bytes | str | list) -> Path:
    path = tmp_path / name
    if isinstance(content, list):
        return write_json(path, content)
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "not a text file in UTF-8"),
        ("notes.txt", "Some notes\nabout communes\n", "not a JSON list nor a CSV file"),
        ("communes.csv", "code,nom\n01001,Test\n", "lacks insee_code, name, departement"),
        ("communes.json", '{"code": "01001"}', "expected a JSON list of objects"),
        ("communes.json", '[{"code": "01001",', "invalid JSON"),
        ("communes.json", [], "no commune in the file"),
        ("communes.json", [{"code": "01001", "departement": "01"}], "commune 01001 has no 'name'"),
        (
            "communes.json",
            [{"code": "01001", "nom": "X", "departement": "01", "population": -3}],
            "commune 01001: invalid population -3",
        ),
        (
            "communes.json",
            [{"code": "99001", "nom": "Nowhere", "departement": "99"}],
            "département\\(s\\) 99 not listed",
        ),
    ],
)
def test_bad_file_gives_a_clear_command_error(tmp_path, name, content, message):
    path = _write_bad(tmp_path, name, content)
    communes_before = Commune.objects.count()

    with pytest.raises(CommandError, match=message) as error:
        call_command("import_communes", str(path), stdout=StringIO())

    assert str(path) in str(error.value)
    assert Commune.objects.count() == communes_before


@pytest.mark.django_db
def test_missing_file_gives_a_clear_command_error(tmp_path):
    with pytest.raises(CommandError, match="no-such-file.json: no such file"):
        call_command("import_communes", str(tmp_path / "no-such-file.json"))


# --- Folding names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Œuilly", "oeuilly"),
        ("L'Abergement-Clémenciat", "l abergement clemenciat"),
        ("Saint-Jean-d’Angély", "saint jean d angely"),
        ("  Lœuilly -- Cæsar  ", "loeuilly caesar"),
        ("ÇA", "ca"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded
