"""200 members register at once for a 20-place session (PostgreSQL only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench \\
        .venv/bin/python bench/registration_rush.py [--members 200] [--places 20] [--threads 50]

Each member registers through the same service the page calls (``registration_create``), from
a pool of threads that each hold their own database connection, all released at once by a
barrier. Prints throughput, latency percentiles and the counts: registered, waiting, errors.
Target: 20 / 180 / 0, p95 under 200 ms. Generated rows are removed at the end.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from events.models import Registration, SessionStatus, Training, TrainingSession  # noqa: E402
from events.services import registration_create  # noqa: E402
from network.models import Member, MembershipStatus, Role  # noqa: E402

EMAIL_DOMAIN = "rush.comptoir.example"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--places", type=int, default=20)
    parser.add_argument("--threads", type=int, default=50)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL (see the docstring).")
    os.environ["TASKS_BACKEND"] = "immediate"
    call_command("migrate", verbosity=0)

    Member.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
    members = Member.objects.bulk_create(
        Member(
            email=f"rush{n}@{EMAIL_DOMAIN}",
            first_name="Rush",
            last_name=str(n),
            role=Role.MANAGER,
            status=MembershipStatus.APPROVED,
        )
        for n in range(args.members)
    )
    training = Training.objects.create(title="Bench: registration rush")
    starts_at = timezone.now() + timedelta(days=30)
    session = TrainingSession.objects.create(
        training=training,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        capacity=args.places,
        registration_deadline=starts_at - timedelta(days=1),
        status=SessionStatus.OPEN,
    )
    latencies: list[float] = []
    outcomes: list[str] = []
    lock = threading.Lock()

    def register(member: Member) -> None:
        start = time.perf_counter()
        try:
            status = registration_create(member=member, session=session).status
        except Exception as error:  # counted and printed: the figure is the number of errors
            status = f"error: {type(error).__name__}: {error}"
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            latencies.append(elapsed)
            outcomes.append(status)

    def worker(chunk: list[Member]) -> None:
        barrier.wait(timeout=60)  # every thread starts at the same moment
        try:
            for member in chunk:
                register(member)
        finally:
            connections.close_all()

    args.threads = min(args.threads, args.members)
    barrier = threading.Barrier(args.threads)
    chunks = [members[i :: args.threads] for i in range(args.threads)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        list(pool.map(worker, chunks))
    wall = time.perf_counter() - started

    registered = Registration.objects.filter(session=session, status="registered").count()
    waiting = Registration.objects.filter(session=session, status="waiting").count()
    errors = [o for o in outcomes if o.startswith("error")]
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{args.members} members, {args.places} places, {args.threads} threads "
        f"(PostgreSQL, {os.cpu_count()} CPUs)"
    )
    print(f"wall time {wall:.2f} s, throughput {args.members / wall:.0f} registrations/s")
    print(f"latency ms: p50 {statistics.median(ordered):.1f}, p95 {p95:.1f}, max {ordered[-1]:.1f}")
    print(f"registered {registered}, waiting {waiting}, errors {len(errors)}")
    for error in errors[:5]:
        print("  ", error)
    target_counts = (registered, waiting, len(errors)) == (
        args.places,
        args.members - args.places,
        0,
    )
    print(
        f"target {args.places} / {args.members - args.places} / 0: "
        f"{'OK' if target_counts else 'MISSED'}; p95 < 200 ms: {'OK' if p95 < 200 else 'MISSED'}"
    )
    session.delete()
    training.delete()
    Member.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()


if __name__ == "__main__":
    main()
