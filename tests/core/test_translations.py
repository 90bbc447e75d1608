"""Every user-facing string is in both catalogues, and the Persian one translates all of them."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "marketplace" / "translations"


def read(path):
    with open(path, "rb") as source:
        return read_po(source)


def test_catalogues_cover_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--ignore-dirs",
            ".*",
            "-o",
            str(pot),
            "marketplace",
            "templates",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    in_code = {message.id for message in read(pot) if message.id}
    assert len(in_code) > 100  # the extraction really read the code
    for locale in ("fa", "en"):
        catalogue = {
            message.id for message in read(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po") if message.id
        }
        missing = in_code - catalogue
        assert not missing, f"{locale} catalogue lacks {sorted(map(str, missing))[:10]}: run `make messages`"


def test_persian_catalogue_complete():
    untranslated = [
        message.id
        for message in read(TRANSLATIONS / "fa" / "LC_MESSAGES" / "messages.po")
        if message.id and (not message.string or (isinstance(message.string, tuple) and not all(message.string)))
    ]
    assert not untranslated, f"untranslated Persian strings: {untranslated[:10]}"


def test_persian_translations_keep_placeholders():
    import re

    for message in read(TRANSLATIONS / "fa" / "LC_MESSAGES" / "messages.po"):
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        target = message.string[0] if isinstance(message.string, tuple) else message.string
        assert set(re.findall(r"%\(\w+\)\w", source)) == set(re.findall(r"%\(\w+\)\w", target)), source
