"""English and Korean ship complete: every translatable string has a Korean translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["portal", "ambassadors", "stories", "onboarding", "templates", "locale", "manage.py"]


def _msgattrib(selection: str, catalogue: Path) -> str:
    """The catalogue's entries that gettext's msgattrib selects; empty when there are none."""
    return subprocess.run(
        ["msgattrib", selection, "--no-obsolete", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_korean_catalogue_has_every_string_translated(tmp_path):
    """Extract the strings afresh from a copy of the code and look for any left untranslated."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1"}
    env["VAR_DIR"] = str(tmp_path / "var")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ko",
            "--no-location",
            "--no-obsolete",
            "--ignore=var",
        ],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    catalogue = tmp_path / "locale" / "ko" / "LC_MESSAGES" / "django.po"
    untranslated = _msgattrib("--untranslated", catalogue)
    fuzzy = _msgattrib("--only-fuzzy", catalogue)
    assert untranslated == "", "Strings without Korean (run `make makemessages`):\n" + untranslated
    assert fuzzy == "", "Fuzzy Korean translations to check:\n" + fuzzy


def test_committed_korean_catalogue_compiles():
    result = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(ROOT / "locale/ko/LC_MESSAGES/django.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
