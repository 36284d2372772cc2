"""Rebuild the compact communes files from an unpacked @etalab/decoupage-administratif package.

    cd /tmp && mkdir -p etalab && cd etalab \\
        && npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-*.tgz
    python directory/data/derive.py /tmp/etalab/package

Plain Python, no Django: the output must depend on the package alone. The upstream
communes.json weighs 8.6 MB; the few fields the directory uses fit in a few hundred kB once
gzipped. The gzip header carries no date or file name, so the same package gives the same bytes.
Update SOURCE.md (version, date) after running it on a new release.
"""

import argparse
import csv
import gzip
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

COMMUNE_COLUMNS = ["insee_code", "name", "departement", "region", "postal_codes", "population"]
DEPARTEMENT_COLUMNS = ["code", "name", "region"]
REGION_COLUMNS = ["code", "name"]

# The other types (communes déléguées, associées, arrondissements of Paris, Lyon and
# Marseille) are parts of a current commune and share its territory.
CURRENT_COMMUNE = "commune-actuelle"


def _load(package: Path, name: str) -> list[dict]:
    with (package / "data" / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def _write_csv(handle: io.TextIOBase, columns: list[str], rows: list[list]) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)


def derive(package: Path, output: Path) -> dict[str, int]:
    """Write communes.csv.gz, departements.csv and regions.csv; return the row counts."""
    communes = [
        [
            entry["code"],
            entry["nom"],
            entry["departement"],
            entry["region"],
            " ".join(sorted(set(entry.get("codesPostaux") or []))),
            "" if entry.get("population") is None else entry["population"],
        ]
        for entry in _load(package, "communes.json")
        if entry.get("type", CURRENT_COMMUNE) == CURRENT_COMMUNE
    ]
    departements = [
        [entry["code"], entry["nom"], entry["region"]]
        for entry in _load(package, "departements.json")
    ]
    regions = [[entry["code"], entry["nom"]] for entry in _load(package, "regions.json")]
    for rows in (communes, departements, regions):
        rows.sort(key=lambda row: row[0])

    output.mkdir(parents=True, exist_ok=True)
    with (
        (output / "communes.csv.gz").open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as zipped,
        io.TextIOWrapper(zipped, encoding="utf-8", newline="") as text,
    ):
        _write_csv(text, COMMUNE_COLUMNS, communes)
    with (output / "departements.csv").open("w", encoding="utf-8", newline="") as text:
        _write_csv(text, DEPARTEMENT_COLUMNS, departements)
    with (output / "regions.csv").open("w", encoding="utf-8", newline="") as text:
        _write_csv(text, REGION_COLUMNS, regions)
    return {"communes": len(communes), "departements": len(departements), "regions": len(regions)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", type=Path, help="the unpacked npm package folder")
    parser.add_argument("--output", type=Path, default=HERE, help=f"default: {HERE}")
    args = parser.parse_args(argv)
    metadata = json.loads((args.package / "package.json").read_text(encoding="utf-8"))
    counts = derive(args.package, args.output)
    print(f"{metadata['name']}@{metadata['version']} -> {args.output}")
    for name, count in counts.items():
        print(f"  {name}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
