"""Time the main pages in-process (no network, no server) and count their queries.

    .venv/bin/python bench/http_pages.py [--requests 200]

Runs against the configured database (the embedded SQLite by default, PostgreSQL with
DATABASE_URL), migrated and seeded with the demo data. Prints, for each page, the mean and 95th
percentile time per request and the number of SQL queries. It measures Django's work only: see
README.md for figures under a real server (ASGI versus WSGI).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from network.models import Member  # noqa: E402

PAGES = [
    ("home (anonymous)", None, "/"),
    ("login page", None, "/compte/login/"),
    ("legal notice", None, "/mentions-legales/"),
    ("members' home (manager)", "gerante@comptoir.example", "/espace/"),
    ("membership status (pending)", "en-attente@comptoir.example", "/adhesion/"),
    ("health check", None, "/health/"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"database: {connection.vendor}, {args.requests} requests per page")
    print(f"{'page':<30} {'mean ms':>8} {'p95 ms':>8} {'queries':>8} {'bytes':>7}")
    for label, email, path in PAGES:
        client = Client(HTTP_HOST="localhost")
        if email:
            client.force_login(Member.objects.get(email=email))
        warm = client.get(path)  # warm the caches (templates, translations)
        if warm.status_code != 200:
            sys.exit(f"{path} answered {warm.status_code}: is the database migrated?")
        timings = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(
            f"{label:<30} {statistics.mean(timings):>8.2f} {p95:>8.2f} "
            f"{len(queries):>8} {len(response.content):>7}"
        )


if __name__ == "__main__":
    main()
