"""Rebuild the sample workbooks of docs/samples/ (a small department's units and staff), as a
department's HR office would fill them in: run `.venv/bin/python scripts/make_samples.py`.

don-vi.xlsx: code, name, kind, parent's code (the organisation workbook).
can-bo.xlsx: the staff workbook the portal's staff import reads, with a title row above the
header as HR files have, text dates, an optional staff code, an optional e-mail address
(some people have none: their account's link is handed over in person) and an optional
start of service in the sector (ngày vào ngành: empty for a few, earlier than recruitment for
some).
The people are invented; the file is the same on every run (fixed random seed).
"""

import random
import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

OUT = Path(__file__).resolve().parent.parent / "docs" / "samples"

UNITS = [
    ("so-gddt", "Sở Giáo dục và Đào tạo Đồng Nai", "Sở GD&ĐT", ""),
    ("bgd", "Ban Giám đốc", "Ban Giám đốc", "so-gddt"),
    ("vp", "Văn phòng Sở", "Văn phòng", "so-gddt"),
    ("tccb", "Phòng Tổ chức cán bộ", "Phòng chức năng", "so-gddt"),
    ("gdtrh", "Phòng Giáo dục Trung học", "Phòng chức năng", "so-gddt"),
    ("ttra", "Thanh tra Sở", "Thanh tra", "so-gddt"),
    ("cd", "Công đoàn ngành Giáo dục", "Công đoàn", "so-gddt"),
    ("thpt-hung-vuong", "Trường THPT Hùng Vương", "Trường học", "so-gddt"),
    ("thpt-dong-xoai", "Trường THPT Đồng Xoài", "Trường học", "so-gddt"),
    ("thpt-nguyen-du", "Trường THPT Nguyễn Du", "Trường học", "so-gddt"),
    ("thpt-chuyen-qh", "Trường THPT chuyên Quang Trung", "Trường học", "so-gddt"),
    ("gdtx-tinh", "Trung tâm GDNN-GDTX tỉnh", "Trung tâm", "so-gddt"),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương"]
MIDDLE = {"Nam": ["Văn", "Minh", "Đức", "Hữu", "Quốc", "Thanh"],
          "Nữ": ["Thị", "Thu", "Ngọc", "Thị Thu", "Thanh", "Thị Ngọc"]}
GIVEN = {"Nam": ["An", "Bình", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân",
                 "Sơn", "Thắng", "Trung", "Tuấn"],
         "Nữ": ["Ánh", "Cúc", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nhung",
                "Oanh", "Phương", "Thảo", "Trang", "Yến"]}
SCHOOL_POSITIONS = ["Giáo viên"] * 8 + ["Tổ trưởng chuyên môn", "Nhân viên văn thư", "Kế toán"]
# Per kind of unit: (the head's position, the deputy's, everyone else's — None: drawn from
# SCHOOL_POSITIONS), as a department's HR list writes them.
POSITIONS = {
    "Ban Giám đốc": ("Giám đốc", "Phó Giám đốc", "Phó Giám đốc"),
    "Văn phòng": ("Chánh Văn phòng", "Phó Chánh Văn phòng", "Chuyên viên"),
    "Phòng chức năng": ("Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên"),
    "Thanh tra": ("Chánh Thanh tra", "Phó Chánh Thanh tra", "Thanh tra viên"),
    "Công đoàn": ("Chủ tịch Công đoàn ngành", "Phó Chủ tịch Công đoàn ngành", "Chuyên viên"),
    "Trường học": ("Hiệu trưởng", "Phó Hiệu trưởng", None),
    "Trung tâm": ("Giám đốc", "Phó Giám đốc", None),
}


def _email(name: str, number: int) -> str:
    """"Ngô Thị Ánh", 12 → "anhnt12@dongnai.edu.vn"; every sixth person has no address."""
    if number % 6 == 0:
        return ""
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    words = "".join(c for c in plain if not unicodedata.combining(c)).lower().split()
    return f"{words[-1]}{''.join(w[0] for w in words[:-1])}{number}@dongnai.edu.vn"


def _bold_header(sheet, row):
    for cell in sheet[row]:
        cell.font = Font(bold=True)


def units_workbook(path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Đơn vị"
    sheet.append(["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên"])
    _bold_header(sheet, 1)
    for row in UNITS:
        sheet.append(list(row))
    for letter, width in zip("ABCD", (18, 42, 18, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    book.save(path)


def staff_workbook(path):
    rng = random.Random(2025)
    # Its own generator: the column added later leaves every other cell as it was.
    sector_rng = random.Random(16)
    book = Workbook()
    sheet = book.active
    sheet.title = "Cán bộ"
    sheet.append(["DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC NĂM 2025"])
    sheet.merge_cells("A1:J1")
    sheet.append(["Họ và tên", "Ngày sinh", "Giới tính", "Mã đơn vị", "Chức vụ", "Phân loại",
                  "Ngày tuyển dụng", "Mã cán bộ", "Thư điện tử", "Ngày vào ngành"])
    _bold_header(sheet, 2)
    number = 0
    for code, _name, kind, _parent in UNITS[1:]:
        size = {"Trường học": 14, "Trung tâm": 8}.get(kind, 4)
        for index in range(size):
            number += 1
            gender = rng.choice(["Nam", "Nữ"])
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
            head, deputy, other = POSITIONS[kind]
            position = (head, deputy)[index] if index < 2 else other or rng.choice(
                SCHOOL_POSITIONS)
            if kind in ("Trường học", "Trung tâm"):
                category = "người lao động" if position == "Nhân viên văn thư" else "viên chức"
            else:
                category = "công chức"
            # Heads and deputies have served twenty years or so; the others are of every age.
            leads = index < 2 or kind == "Ban Giám đốc"
            year = rng.randint(1966, 1980 if leads else 1998)
            born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}"
            # Recruited after their studies, at 22 or later, and before this year's list.
            hired = f"01/{rng.choice(['08', '09'])}/{rng.randint(year + 22, min(year + 40, 2024))}"
            # Some HR offices have no staff code for newer people: the import matches them on
            # name, date of birth and unit.
            staff_code = f"DN{number:05d}" if number % 7 else ""
            # Ngày vào ngành: most entered the sector when recruited here; some taught elsewhere
            # in the sector first; a few HR sheets leave it empty.
            hired_year = int(hired[-4:])
            earlier = sector_rng.random() < 0.3 and hired_year - 8 >= year + 22
            sector = (f"01/09/{hired_year - sector_rng.randint(1, 8)}" if earlier
                      else "" if sector_rng.random() < 0.1 else hired)
            sheet.append([name, born, gender, code, position, category, hired, staff_code,
                          _email(name, number), sector])
    for letter, width in zip("ABCDEFGHIJ", (28, 12, 9, 18, 24, 16, 16, 12, 30, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    book.save(path)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    units_workbook(OUT / "don-vi.xlsx")
    staff_workbook(OUT / "can-bo.xlsx")
    print(f"wrote {OUT / 'don-vi.xlsx'} and {OUT / 'can-bo.xlsx'}")
