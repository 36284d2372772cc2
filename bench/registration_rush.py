"""200 members register at once for a 20-place session (PostgreSQL only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench \\
        .venv/bin/python bench/registration_rush.py [--members 200] [--places 20] [--workers 3]

Each member registers through the same service the page calls (``registration_create``), from
a pool of worker processes that each hold their own database connection, all released at once
by a barrier; the mail is queued in the database, as in production. The default of 3 workers is
the production HTTP server's (README: gunicorn --workers 3); more workers show how the one
session lock and the machine's cores share out. Prints throughput, the latency of each
registration (p95 target: under 200 ms), how long members wait from the start of the burst,
and the counts: registered, waiting, errors (target 20 / 180 / 0). Generated rows are removed.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings.dev")
# As in production, the registration only queues its e-mail; a worker sends it later.
os.environ["TASKS_BACKEND"] = "database"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from events.models import Registration, SessionStatus, Training, TrainingSession  # noqa: E402
from events.services import registration_create  # noqa: E402
from events.tasks import send_registration_mail  # noqa: E402
from network.models import Member, MembershipStatus, Role  # noqa: E402

EMAIL_DOMAIN = "rush.comptoir.example"


_barrier = None


def _worker_init(barrier) -> None:
    global _barrier
    _barrier = barrier


def _register_all(job: tuple[list[int], int]) -> list[tuple[float, float, str]]:
    """One worker process, like one of the web server's: registers its members one after the
    other, each through the service the page calls. For each call: its own duration, and the
    time since the burst began (what a member queued behind the others would wait)."""
    member_ids, session_id = job
    members = list(Member.objects.filter(pk__in=member_ids))
    session = TrainingSession.objects.get(pk=session_id)
    _barrier.wait(timeout=60)  # every worker starts at the same moment
    burst = time.perf_counter()
    results = []
    for member in members:
        start = time.perf_counter()
        try:
            status = registration_create(member=member, session=session).status
        except Exception as error:  # counted and printed: the figure is the number of errors
            status = f"error: {type(error).__name__}: {error}"
        end = time.perf_counter()
        results.append(((end - start) * 1000, (end - burst) * 1000, status))
    connections.close_all()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--places", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL (see the docstring).")
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
    began = timezone.now()
    connections.close_all()  # each worker process opens its own connection
    args.workers = min(args.workers, args.members)
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(args.workers)
    chunks = [[m.pk for m in members[i :: args.workers]] for i in range(args.workers)]
    with context.Pool(args.workers, initializer=_worker_init, initargs=(barrier,)) as pool:
        results = pool.map(_register_all, [(chunk, session.pk) for chunk in chunks], chunksize=1)
    latencies = [latency for chunk in results for latency, _waited, _status in chunk]
    waits = sorted(waited for chunk in results for _latency, waited, _status in chunk)
    outcomes = [status for chunk in results for _latency, _waited, status in chunk]

    registered = Registration.objects.filter(session=session, status="registered").count()
    waiting = Registration.objects.filter(session=session, status="waiting").count()
    errors = [o for o in outcomes if o.startswith("error")]
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{args.members} members, {args.places} places, {args.workers} worker processes "
        f"(PostgreSQL, {os.cpu_count()} CPUs)"
    )
    burst = waits[-1] / 1000
    print(f"burst served in {burst:.2f} s, throughput {args.members / burst:.0f} registrations/s")
    print(
        f"latency of a registration ms: p50 {statistics.median(ordered):.1f}, p95 {p95:.1f}, "
        f"max {ordered[-1]:.1f}"
    )
    print(
        f"wait from the start of the burst ms: p50 {statistics.median(waits):.1f}, "
        f"p95 {waits[int(len(waits) * 0.95) - 1]:.1f}"
    )
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
    DBTaskResult.objects.filter(
        enqueued_at__gte=began, task_path=send_registration_mail.module_path
    ).delete()
    Member.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()


if __name__ == "__main__":
    main()
