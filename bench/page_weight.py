"""What the main pages weigh on the wire, first load and repeat visit, as a phone would fetch them.

    .venv/bin/python bench/page_weight.py

Sets up a database of its own (SQLite in a temporary folder: migrate, seed_demo), collects the
static files as production does (whitenoise's compressed manifest: hashed names, gzip and
Brotli copies, cached for a year), serves the site with gunicorn (settings
bench/page_weight_settings.py: production's static files and security, HTML compressed with gzip
as the proxy does in production), then opens each page in headless Chromium, signed in as a
demo member. For each page it prints the bytes transferred (headers and bodies, as Chromium's
network log counts them) and the number of requests: on a first load with an empty cache, and
on a second load of the same page. Uploaded photos (/media/) are counted apart, as the target
leaves them out.

Targets (issue "Reach and hardening"): at most 60 KB on a first load, without user photos; at
most 10 KB on a repeat visit.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST_LOAD_TARGET = 60 * 1024
REPEAT_TARGET = 10 * 1024
CHROMIUM = os.environ.get("COMPTOIR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare() -> dict:
    """Migrate, seed and collect the static files; returns the pages to weigh."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", no_input=True, verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", no_input=True, verbosity=0)

    from network.models import Channel, ChannelKind, Project
    from resources.models import ResourcePage

    channel = Channel.objects.filter(kind=ChannelKind.TOPIC).order_by("pk").first()
    return {
        "home (anonymous)": (None, "/"),
        "members' home": ("gerante@comptoir.example", "/espace/"),
        "directory search": ("gerante@comptoir.example", "/annuaire/?q=caf%C3%A9"),
        "training sessions": ("gerante@comptoir.example", "/formations/"),
        "channel": ("gerante@comptoir.example", channel.get_absolute_url()),
        "resource page": (
            "gerante@comptoir.example",
            ResourcePage.objects.live().order_by("pk").first().url,
        ),
        "project page (resident)": (
            "habitant@comptoir.example",
            Project.objects.order_by("pk").first().get_absolute_url(),
        ),
    }


class Wire:
    """Bytes and requests of one page load, from Chromium's network log (DevTools)."""

    def __init__(self, cdp) -> None:
        self.urls: dict[str, str] = {}
        self.bytes = 0
        self.photo_bytes = 0
        self.requests = 0
        self.cached = 0
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.loadingFinished", self._finished)

    def reset(self) -> None:
        self.urls.clear()
        self.bytes = self.photo_bytes = self.requests = self.cached = 0

    def _sent(self, event) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _from_cache(self, event) -> None:
        self.cached += 1

    def _finished(self, event) -> None:
        url = self.urls.get(event["requestId"], "")
        length = int(event.get("encodedDataLength", 0))
        if "/media/" in url:
            self.photo_bytes += length
            return
        if length:
            self.requests += 1
        self.bytes += length


def weigh(base_url: str, pages: dict) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from comptoir.demo import DEMO_PASSWORD

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, (email, path) in pages.items():
            context = browser.new_context(
                base_url=base_url, locale="fr-FR", viewport={"width": 360, "height": 740}
            )
            page = context.new_page()
            if email:
                page.goto("/compte/login/")
                page.fill("main form input[name='login']", email)
                page.fill("main form input[name='password']", DEMO_PASSWORD)
                page.click("main form button[type='submit']")
                page.wait_for_load_state("load")
            # Signing in loaded the site's styles: empty the cache so the first load is one.
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.clearBrowserCache")
            wire = Wire(cdp)
            page.goto(path, wait_until="load")
            page.wait_for_timeout(300)
            first = (wire.bytes, wire.requests, wire.photo_bytes)
            wire.reset()
            page.goto(path, wait_until="load")
            page.wait_for_timeout(300)
            repeat = (wire.bytes, wire.requests)
            rows.append({"page": label, "path": path, "first": first, "repeat": repeat})
            context.close()
        browser.close()
    return rows


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="comptoir-weight-"))
    # The bench's own database and files, whatever the environment names.
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.page_weight_settings"
    os.environ["COMPTOIR_VAR_DIR"] = str(work)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = None
    try:
        pages = prepare()
        port = free_port()
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        server = subprocess.Popen(  # noqa: S603 (our own server, fixed arguments)
            [gunicorn, "comptoir.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        base_url = f"http://localhost:{port}"
        for _attempt in range(100):
            try:
                urlopen(f"{base_url}/health/", timeout=1)  # noqa: S310 (our own server)
                break
            except OSError:
                time.sleep(0.1)
        rows = weigh(base_url, pages)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    print("Bytes on the wire (KB = 1,024 bytes), 360 px wide, gzip/Brotli as served in production")
    print(
        f"{'page':<26} {'first load':>11} {'requests':>9} {'photos':>7} {'repeat':>8}"
        f" {'requests':>9}  target"
    )
    for row in rows:
        first_bytes, first_requests, photos = row["first"]
        repeat_bytes, repeat_requests = row["repeat"]
        ok = first_bytes <= FIRST_LOAD_TARGET and repeat_bytes <= REPEAT_TARGET
        print(
            f"{row['page']:<26} {first_bytes / 1024:>8.1f} KB {first_requests:>9} "
            f"{photos / 1024:>4.0f} KB {repeat_bytes / 1024:>5.1f} KB {repeat_requests:>9}  "
            f"{'met' if ok else 'MISSED'}"
        )
    print(
        f"Targets: first load <= {FIRST_LOAD_TARGET // 1024} KB without photos, "
        f"repeat <= {REPEAT_TARGET // 1024} KB."
    )


if __name__ == "__main__":
    main()
