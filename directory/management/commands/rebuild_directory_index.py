from django.core.management.base import BaseCommand

from directory.indexing import directory_rebuild
from directory.search import get_directory_search


class Command(BaseCommand):
    help = (
        "Rebuild the directory's search entries from the profiles, then the search engine's "
        "index (Elasticsearch when ELASTICSEARCH_URL is set)."
    )

    def handle(self, *args, **options) -> None:
        engine = type(get_directory_search()).__name__
        count = directory_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{count} directory entries indexed ({engine})."))
