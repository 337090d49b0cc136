"""Fill or correct Vietnamese catalogue entries from a small table: `python scripts/translate.py`.

Used after `make messages` for the few new strings of a change; entries given here lose their
fuzzy flag. Keep the table short: translated entries live in the .po file, not here.
"""

import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/vi/LC_MESSAGES/django.po"

TRANSLATIONS: dict[str, str] = {
    "Menu": "Trình đơn",
    "Plan": "Kế hoạch",
    "Showing the first %(n)s; open the plan's dissemination page for all of them.":
        "Đang hiển thị %(n)s đơn vị đầu tiên; mở trang phổ biến kế hoạch để xem tất cả.",
    "Units that have not confirmed dissemination": "Các đơn vị chưa xác nhận phổ biến kế hoạch",
    "Launched on": "Ngày phát động",
    "Your unit:": "Đơn vị của bạn:",
}


def main():
    catalogue = polib.pofile(str(CATALOGUE))
    for entry in catalogue:
        if entry.msgid in TRANSLATIONS:
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
