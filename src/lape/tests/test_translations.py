"""Every user-facing string exists in Finnish and Swedish (English is the source language)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from lape.conftest import _missing

PACKAGE = Path(__file__).resolve().parents[1]
LOCALE = PACKAGE / "locale"
TRANSLATED = ["fi", "sv"]


def _po(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_it_has_every_message_translated(lang: str) -> None:
    po = _po(lang)
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], f"{len(missing)} untranslated in {lang}: {missing[:10]}"


@pytest.mark.parametrize("lang", [*TRANSLATED, "en"])
def test_it_ships_compiled_messages_that_match_the_sources(lang: str) -> None:
    po = _po(lang)
    mo = polib.mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    for entry in po.translated_entries():
        if "fuzzy" in entry.flags:
            continue
        key = (entry.msgctxt, entry.msgid)
        assert key in compiled, f"{lang}: {entry.msgid!r} missing from django.mo; run compilemessages"
        assert compiled[key] == (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))), entry.msgid


def test_it_has_a_source_message_for_every_string_in_the_code(tmp_path: Path) -> None:
    """Extract the messages afresh from a copy of the code; none may be missing from the .po files."""
    if not shutil.which("xgettext"):
        _missing("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "lape"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "*.pyc"))
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fi", "--no-location", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin"},  # no settings: makemessages then writes only into the copy
    )
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/fi/LC_MESSAGES/django.po"))}
    committed = {(e.msgctxt, e.msgid) for e in _po("fi") if not e.obsolete}
    assert sorted(fresh - committed, key=str) == [], "run makemessages and translate the new strings"
