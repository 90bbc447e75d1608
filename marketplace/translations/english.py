"""English is the source language: fill the English catalogue's empty entries with their msgid,
so `pybabel compile --statistics` reports it complete. Run by `make messages`."""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).parent / "en" / "LC_MESSAGES" / "messages.po"


def fill_english(path: Path = CATALOGUE) -> int:
    """Copy each msgid into its empty msgstr; returns how many entries were filled."""
    with path.open("rb") as source:
        catalog = read_po(source, locale="en")
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string or ()):  # a plural's is a tuple; Babel's annotation also allows None
                message.string = (message.id[0], message.id[1])
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as target:
        write_po(target, catalog, width=100, no_location=True, sort_output=True)
    return filled


if __name__ == "__main__":
    print(f"English catalogue: {fill_english()} entries filled")
