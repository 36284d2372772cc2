"""Every string of the interface has its French translation in the committed catalogue."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAKEMESSAGES_IGNORES = [".venv", "var", "tests", "node_modules"]


def msgids(po_file: Path, *flags: str) -> list[str]:
    output = subprocess.run(
        ["msgattrib", *flags, str(po_file)], capture_output=True, text=True, check=True
    ).stdout
    return [
        line for line in output.splitlines() if line.startswith("msgid ") and line != 'msgid ""'
    ]


def test_french_catalogue_is_complete_and_up_to_date(tmp_path):
    copy = tmp_path / "comptoir"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(*MAKEMESSAGES_IGNORES, ".git", "__pycache__", "*.mo"),
    )
    command = [sys.executable, "manage.py", "makemessages", "--locale", "fr", "--no-obsolete"]
    for folder in MAKEMESSAGES_IGNORES:
        command += ["--ignore", folder]

    subprocess.run(command, cwd=copy, check=True, capture_output=True)

    catalogue = copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    assert msgids(catalogue, "--untranslated") == []
    assert msgids(catalogue, "--only-fuzzy") == []
