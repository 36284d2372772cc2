import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from directory.communes import SHIPPED_COMMUNES, CommunesSourceError, communes_import


class Command(BaseCommand):
    help = (
        "Load régions, départements and communes: the shipped reference file by default, or "
        "PATH, an upstream communes.json of @etalab/decoupage-administratif (its "
        "departements.json and regions.json are read from the same folder when present). "
        "Safe to run again: only new or changed rows are written, none is deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help=f"communes file (default: {SHIPPED_COMMUNES})",
        )

    def handle(self, *args, path: Path | None = None, **options) -> None:
        started = time.perf_counter()
        try:
            report = communes_import(path=path)
        except CommunesSourceError as error:
            raise CommandError(str(error)) from None
        elapsed = time.perf_counter() - started

        self.stdout.write(f"Read {report.source} ({report.source_format}).")
        self.stdout.write(f"  régions:      {report.regions}")
        self.stdout.write(f"  départements: {report.departements}")
        self.stdout.write(f"  communes:     {report.communes}")
        if report.communes_absent_from_source:
            self.stdout.write(
                self.style.WARNING(
                    f"  {report.communes_absent_from_source} commune(s) in the database are not "
                    "in the file; kept, as cafés or profiles may point to them."
                )
            )
        summary = "Communes updated" if report.changed else "Nothing to change"
        self.stdout.write(self.style.SUCCESS(f"{summary} in {elapsed:.1f} s."))
