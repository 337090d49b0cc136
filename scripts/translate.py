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
    "The name in the document header, under the parent agency.":
        "Tên in ở đầu văn bản, dưới tên cơ quan chủ quản.",
    "Launch plan %(code)s? It can no longer be edited, and every implementing unit will be asked "
    "to confirm dissemination.":
        "Phát động kế hoạch %(code)s? Sau khi phát động, kế hoạch không thể sửa nữa và mọi đơn vị "
        "thực hiện sẽ được yêu cầu xác nhận đã phổ biến.",
    "Add a row": "Thêm dòng",
    "The username or password is wrong. Check both (the password is case-sensitive) and try "
    "again.":
        "Tên đăng nhập hoặc mật khẩu không đúng. Hãy kiểm tra lại cả hai (mật khẩu phân biệt chữ "
        "hoa, chữ thường) rồi thử lại.",
    "This account is disabled. Ask the Office to reactivate it.":
        "Tài khoản này đã bị khóa. Hãy đề nghị Văn phòng mở lại.",
    "%(counter)s person has a record in the portal.":
        "%(counter)s người đã có hồ sơ trên cổng thông tin.",
    "The unit's headcount is %(n)s; the others are not entered yet.":
        "Tổng số cán bộ, nhân viên của đơn vị là %(n)s; những người còn lại chưa được nhập.",
    "issuing body as printed": "tên cơ quan ban hành in trên văn bản",
    "Close campaign %(code)s? Units will no longer be able to confirm dissemination.":
        "Kết thúc phong trào %(code)s? Các đơn vị sẽ không thể xác nhận phổ biến thêm.",
    "Print the plan": "In kế hoạch",
    "units are asked to confirm dissemination": "đơn vị được yêu cầu xác nhận đã phổ biến",
    "Empty rows are ignored. Tick “Delete” to remove a row when saving.":
        "Các dòng để trống sẽ được bỏ qua. Đánh dấu “Xóa” để bỏ một dòng khi lưu.",
}


def main():
    catalogue = polib.pofile(str(CATALOGUE))
    for entry in catalogue:
        if entry.msgid in TRANSLATIONS:
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
