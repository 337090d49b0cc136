"""Fill or correct Vietnamese catalogue entries from a small table: `python scripts/translate.py`.

Used after `make messages` for the few new strings of a change. Only untranslated or fuzzy
entries are filled (a reviewed translation is never overwritten); filled entries lose their
fuzzy flag.
"""

import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/vi/LC_MESSAGES/django.po"

# Fill in the new msgids of a change, run the script, then empty the table again: the
# catalogue is the record, and reviewed translations must not be overwritten from here.
TRANSLATIONS: dict[str, str] = {}


def main():
    catalogue = polib.pofile(str(CATALOGUE))
    for entry in catalogue:
        if entry.msgid in TRANSLATIONS and (not entry.translated() or "fuzzy" in entry.flags):
            if entry.msgid_plural:
                entry.msgstr_plural = {0: TRANSLATIONS[entry.msgid]}  # Vietnamese: one form
            else:
                entry.msgstr = TRANSLATIONS[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    catalogue.save()
    left = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    print(f"{len(left)} entries still need a translation", *left, sep="\n  ")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
