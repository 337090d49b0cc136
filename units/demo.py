"""Demo organisation of Sở GD&ĐT Bình Phước: units, staff, the demo user accounts, and the
2022 registers of recognised initiatives and of violations.

Used by `manage.py load_demo`. Everything is keyed (Unit.code, User.username, a staff member's
unit and full name) so that a second run finds every row and changes nothing. The people are
invented; names come from fixed lists through random.Random seeded with each unit's code, so the
same names come back on every machine.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone

from .models import (
    AccountSecurity,
    Department,
    DisciplineLevel,
    EarlierIdentity,
    Gender,
    Initiative,
    InitiativeLevel,
    Role,
    StaffCategory,
    StaffMember,
    Unit,
    UnitKind,
    Violation,
    ViolationKind,
)

CADRE = StaffCategory.CADRE
CIVIL = StaffCategory.CIVIL_SERVANT
PUBLIC = StaffCategory.PUBLIC_EMPLOYEE
WORKER = StaffCategory.WORKER

EMAIL_DOMAIN = "thidua.local"

# The named accounts (other modules and the tests refer to them).
DIRECTOR_USERNAME = "giamdoc"
DEPUTY_USERNAME = "phogiamdoc"
OFFICE_USERNAME = "vanphong"
UNION_USERNAME = "congdoan"
STAFF_USERNAME = "canbo"
ADMIN_USERNAME = "quantri"

ACCOUNT_SCHEME = (
    "giamdoc, phogiamdoc, vanphong, congdoan, canbo, quantri: named roles; "
    "tp.<short name> = head of the Office, a functional department or the inspectorate; "
    "ht.<unit code without its first segment> = head of a school or centre "
    "(thpt-hung-vuong -> ht.hung-vuong)."
)

ROOT_CODE = "so-gddt"


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    short_name: str
    kind: str
    order: int
    headcount: int | None
    head_username: str = ""


UNITS = [
    UnitSpec("ban-giam-doc", "Ban Giám đốc", "BGĐ", UnitKind.BOARD, 10, 4),
    UnitSpec("van-phong", "Văn phòng Sở", "Văn phòng", UnitKind.OFFICE, 20, 12, "tp.vanphong"),
    UnitSpec("phong-tccb", "Phòng Tổ chức cán bộ", "Phòng TCCB", UnitKind.FUNCTIONAL, 30, 6,
             "tp.tccb"),
    UnitSpec("phong-khtc", "Phòng Kế hoạch - Tài chính", "Phòng KH-TC", UnitKind.FUNCTIONAL,
             31, 8, "tp.khtc"),
    UnitSpec("phong-gdtrh", "Phòng Giáo dục Trung học", "Phòng GDTrH", UnitKind.FUNCTIONAL, 32,
             10, "tp.gdtrh"),
    UnitSpec("phong-gdmn-gdth", "Phòng Giáo dục Mầm non - Giáo dục Tiểu học", "Phòng GDMN-GDTH",
             UnitKind.FUNCTIONAL, 33, 9, "tp.gdmn-gdth"),
    UnitSpec("phong-gdcn-gdtx", "Phòng Giáo dục chuyên nghiệp - Giáo dục thường xuyên",
             "Phòng GDCN-GDTX", UnitKind.FUNCTIONAL, 34, 5, "tp.gdcn-gdtx"),
    UnitSpec("phong-ktqlcl", "Phòng Khảo thí và Quản lý chất lượng giáo dục", "Phòng KT-QLCLGD",
             UnitKind.FUNCTIONAL, 35, 7, "tp.ktqlcl"),
    UnitSpec("thanh-tra", "Thanh tra Sở", "Thanh tra", UnitKind.INSPECTORATE, 40, 8,
             "tp.thanhtra"),
    UnitSpec("cong-doan", "Công đoàn ngành Giáo dục", "Công đoàn ngành", UnitKind.UNION, 50, 5),
    UnitSpec("thpt-chuyen-quang-trung", "Trường THPT Chuyên Quang Trung",
             "THPT Chuyên Quang Trung", UnitKind.SCHOOL, 100, 112, "ht.chuyen-quang-trung"),
    UnitSpec("thpt-chuyen-binh-long", "Trường THPT Chuyên Bình Long", "THPT Chuyên Bình Long",
             UnitKind.SCHOOL, 101, 86, "ht.chuyen-binh-long"),
    UnitSpec("thpt-hung-vuong", "Trường THPT Hùng Vương", "THPT Hùng Vương", UnitKind.SCHOOL,
             102, 95, "ht.hung-vuong"),
    UnitSpec("thpt-dong-xoai", "Trường THPT Đồng Xoài", "THPT Đồng Xoài", UnitKind.SCHOOL, 103,
             118, "ht.dong-xoai"),
    UnitSpec("thpt-nguyen-du", "Trường THPT Nguyễn Du", "THPT Nguyễn Du", UnitKind.SCHOOL, 104,
             72, "ht.nguyen-du"),
    UnitSpec("thpt-phuoc-binh", "Trường THPT Phước Bình", "THPT Phước Bình", UnitKind.SCHOOL,
             105, 84, "ht.phuoc-binh"),
    UnitSpec("thpt-loc-ninh", "Trường THPT Lộc Ninh", "THPT Lộc Ninh", UnitKind.SCHOOL, 106, 91,
             "ht.loc-ninh"),
    UnitSpec("thpt-bu-dang", "Trường THPT Bù Đăng", "THPT Bù Đăng", UnitKind.SCHOOL, 107, 88,
             "ht.bu-dang"),
    UnitSpec("thpt-chon-thanh", "Trường THPT Chơn Thành", "THPT Chơn Thành", UnitKind.SCHOOL,
             108, 97, "ht.chon-thanh"),
    UnitSpec("thpt-dong-phu", "Trường THPT Đồng Phú", "THPT Đồng Phú", UnitKind.SCHOOL, 109, 76,
             "ht.dong-phu"),
    UnitSpec("thpt-nguyen-hue", "Trường THPT Nguyễn Huệ", "THPT Nguyễn Huệ", UnitKind.SCHOOL,
             110, 64, "ht.nguyen-hue"),
    UnitSpec("thpt-phu-rieng", "Trường THPT Phú Riềng", "THPT Phú Riềng", UnitKind.SCHOOL, 111,
             79, "ht.phu-rieng"),
    UnitSpec("thpt-dak-o", "Trường THPT Đắk Ơ", "THPT Đắk Ơ", UnitKind.SCHOOL, 112, 61,
             "ht.dak-o"),
    UnitSpec("pt-dtnt-tinh", "Trường Phổ thông Dân tộc nội trú tỉnh", "PT DTNT tỉnh",
             UnitKind.SCHOOL, 113, 68, "ht.dtnt-tinh"),
    UnitSpec("tt-gdtx-tinh", "Trung tâm Giáo dục thường xuyên tỉnh", "TT GDTX tỉnh",
             UnitKind.CENTRE, 120, 34, "ht.gdtx-tinh"),
]


@dataclass(frozen=True)
class Person:
    """One staff post. `name` and `hired` are fixed for the account holders and a few others;
    the rest are drawn from the lists below."""

    position: str
    category: str
    role: str = Role.STAFF
    username: str = ""
    name: str = ""
    hired: datetime.date | None = None
    hired_years: tuple[int, int] = (2000, 2021)
    female: bool | None = None


def _lead(position, category, **kw):
    kw.setdefault("hired_years", (1995, 2004))
    return Person(position, category, **kw)


def _deputy(position, category, **kw):
    kw.setdefault("hired_years", (1997, 2009))
    return Person(position, category, **kw)


D = datetime.date

STAFF = {
    "ban-giam-doc": [
        _lead("Giám đốc", CIVIL, role=Role.DIRECTOR, username=DIRECTOR_USERNAME,
              name="Nguyễn Đức Thịnh", hired=D(1995, 9, 1)),
        _deputy("Phó Giám đốc", CIVIL, role=Role.DEPUTY_DIRECTOR, username=DEPUTY_USERNAME,
                name="Trần Thị Ánh Tuyết", hired=D(1998, 9, 1)),
        _deputy("Phó Giám đốc", CIVIL, role=Role.DEPUTY_DIRECTOR),
        _deputy("Phó Giám đốc", CIVIL, role=Role.DEPUTY_DIRECTOR),
    ],
    "van-phong": [
        _lead("Chánh Văn phòng", CIVIL, role=Role.UNIT_HEAD),
        _deputy("Phó Chánh Văn phòng", CIVIL),
        Person("Chuyên viên", CIVIL, role=Role.OFFICE, username=OFFICE_USERNAME,
               name="Hồ Thị Ngọc Lan", hired=D(2008, 3, 1)),
        Person("Chuyên viên", CIVIL, role=Role.ADMIN, username=ADMIN_USERNAME,
               name="Dương Minh Trí", hired=D(2012, 7, 1)),
        Person("Kế toán", CIVIL),
        Person("Văn thư", CIVIL, hired_years=(2005, 2021)),
        Person("Lái xe", WORKER, hired_years=(2003, 2018), female=False),
        Person("Bảo vệ", WORKER, hired=D(2022, 6, 1), female=False),
    ],
    "phong-tccb": [
        _lead("Trưởng phòng", CIVIL, role=Role.UNIT_HEAD),
        _deputy("Phó Trưởng phòng", CIVIL),
        Person("Chuyên viên", CIVIL),
        Person("Chuyên viên", CIVIL),
    ],
    "phong-khtc": [
        _lead("Trưởng phòng", CIVIL, role=Role.UNIT_HEAD),
        _deputy("Phó Trưởng phòng", CIVIL),
        Person("Chuyên viên", CIVIL),
        Person("Kế toán", CIVIL),
        Person("Chuyên viên", CIVIL, hired=D(2022, 3, 1)),
    ],
    "phong-gdtrh": [
        _lead("Trưởng phòng", CIVIL, role=Role.UNIT_HEAD),
        _deputy("Phó Trưởng phòng", CIVIL),
        _deputy("Phó Trưởng phòng", CIVIL),
        Person("Chuyên viên", CIVIL, username=STAFF_USERNAME, name="Lý Thanh Phong",
               hired=D(2014, 10, 1)),
        Person("Chuyên viên", CIVIL),
        Person("Chuyên viên", CIVIL, name="Đinh Thị Quỳnh Như"),
    ],
    "phong-gdmn-gdth": [
        _lead("Trưởng phòng", CIVIL, role=Role.UNIT_HEAD),
        _deputy("Phó Trưởng phòng", CIVIL),
        Person("Chuyên viên", CIVIL, name="Ưng Thị Hồng Nhung"),
        Person("Chuyên viên", CIVIL),
        Person("Chuyên viên", CIVIL),
    ],
    "phong-gdcn-gdtx": [
        _lead("Trưởng phòng", CIVIL, role=Role.UNIT_HEAD),
        _deputy("Phó Trưởng phòng", CIVIL),
        Person("Chuyên viên", CIVIL),
    ],
    "phong-ktqlcl": [
        _lead("Trưởng phòng", CIVIL, role=Role.UNIT_HEAD),
        _deputy("Phó Trưởng phòng", CIVIL),
        Person("Chuyên viên", CIVIL),
        Person("Chuyên viên", CIVIL),
    ],
    "thanh-tra": [
        _lead("Chánh Thanh tra", CIVIL, role=Role.UNIT_HEAD),
        _deputy("Phó Chánh Thanh tra", CIVIL),
        Person("Thanh tra viên", CIVIL, name="Ôn Văn Lực"),
        Person("Thanh tra viên", CIVIL),
    ],
    "cong-doan": [
        _lead("Chủ tịch Công đoàn ngành", CADRE, role=Role.UNION, username=UNION_USERNAME,
              name="Đỗ Thị Thu Hà", hired=D(1999, 9, 1)),
        _deputy("Phó Chủ tịch Công đoàn ngành", CADRE),
        Person("Chuyên viên", CADRE),
    ],
}

# Affiliated units follow one pattern; these entries vary it (extra posts, fixed names, and a few
# staff recruited in 2022 so that later eligibility rules have someone to exclude).
SCHOOL_EXTRAS = {
    "thpt-chuyen-quang-trung": [Person("Giáo viên", PUBLIC), Person("Giáo viên", PUBLIC)],
    "thpt-hung-vuong": [Person("Giáo viên", PUBLIC, name="Âu Thị Ngọc Hân")],
    "thpt-dong-xoai": [Person("Giáo viên", PUBLIC, hired=D(2022, 9, 5)),
                       Person("Bảo vệ", WORKER, female=False)],
    "thpt-phuoc-binh": [Person("Nhân viên thư viện", PUBLIC)],
    "thpt-loc-ninh": [Person("Giáo viên", PUBLIC, hired=D(2022, 2, 14))],
    "thpt-bu-dang": [Person("Giáo viên", PUBLIC), Person("Bảo vệ", WORKER, female=False)],
    "thpt-chon-thanh": [Person("Giáo viên", PUBLIC, name="Đoàn Văn Ước")],
    "thpt-nguyen-hue": [Person("Nhân viên văn thư", PUBLIC)],
    "thpt-phu-rieng": [Person("Giáo viên", PUBLIC, hired=D(2022, 8, 15))],
    "thpt-dak-o": [Person("Giáo viên", PUBLIC, name="Điểu Thị Mai")],
    "pt-dtnt-tinh": [Person("Giáo viên", PUBLIC, name="Điểu Minh Sang"),
                     Person("Nhân viên y tế", PUBLIC)],
}


def _affiliated_staff(spec: UnitSpec) -> list[Person]:
    if spec.kind == UnitKind.CENTRE:
        people = [
            _lead("Giám đốc", PUBLIC, role=Role.UNIT_HEAD, hired_years=(1996, 2006)),
            _deputy("Phó Giám đốc", PUBLIC),
            Person("Giáo viên", PUBLIC),
            Person("Giáo viên", PUBLIC),
            Person("Kế toán", PUBLIC),
        ]
    else:
        people = [
            _lead("Hiệu trưởng", PUBLIC, role=Role.UNIT_HEAD, hired_years=(1995, 2003)),
            _deputy("Phó Hiệu trưởng", PUBLIC),
            Person("Giáo viên", PUBLIC),
            Person("Giáo viên", PUBLIC),
            Person("Kế toán", PUBLIC),
        ]
    return people + SCHOOL_EXTRAS.get(spec.code, [])


# --- names -----------------------------------------------------------------------------------

FAMILY = (
    ["Nguyễn"] * 6 + ["Trần"] * 3 + ["Lê"] * 3 + ["Phạm"] * 2 + ["Huỳnh"] * 2 + ["Võ"] * 2
    + ["Hoàng", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trịnh", "Đinh",
       "Đoàn", "Lâm", "Mai", "Trương", "Tạ", "Cao", "Vũ", "Đào", "Lương"]
)
MIDDLE_M = ["Văn", "Văn", "Văn", "Minh", "Quốc", "Đức", "Hữu", "Thanh", "Ngọc", "Công", "Xuân",
            "Hoàng", "Tấn", "Trọng", "Anh", "Đình"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Thị Thu", "Thị Ngọc", "Thị Kim", "Thị Thanh", "Ngọc", "Thu",
            "Thanh", "Hồng", "Mỹ", "Kim", "Bích", "Thị Hồng", "Thị Mỹ"]
GIVEN_M = ["An", "Ân", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Định", "Đông", "Đức",
           "Hải", "Hậu", "Hiếu", "Hòa", "Hùng", "Huy", "Khang", "Khoa", "Kiên", "Long", "Lộc",
           "Lợi", "Minh", "Nam", "Nghĩa", "Nhân", "Phong", "Phúc", "Quang", "Sơn", "Tài", "Tâm",
           "Thắng", "Thành", "Thiện", "Tiến", "Toàn", "Trung", "Tú", "Tuấn", "Việt", "Vinh", "Vũ"]
GIVEN_F = ["Anh", "Ánh", "Ân", "Bích", "Châu", "Chi", "Diệp", "Dung", "Duyên", "Giang", "Hà",
           "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Lan", "Liên", "Linh", "Loan",
           "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Tâm", "Thảo", "Thơ",
           "Thủy", "Trang", "Trâm", "Uyên", "Vân", "Yến", "Đào"]


def _draw_name(rng: random.Random, female: bool, taken: set[str]) -> str:
    while True:
        family = rng.choice(FAMILY)
        if female:
            name = f"{family} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
        else:
            name = f"{family} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
        if name not in taken:
            return name


def _draw_hired(rng: random.Random, person: Person) -> datetime.date:
    if person.hired:
        return person.hired
    year = rng.randint(*person.hired_years)
    if person.category == PUBLIC and person.position.startswith(("Giáo viên", "Hiệu", "Phó Hiệu")):
        return datetime.date(year, rng.choice([8, 9]), rng.choice([1, 15]))
    return datetime.date(year, rng.randint(1, 12), 1)


def split_name(full_name: str) -> tuple[str, str]:
    """(first_name, last_name) for django.contrib.auth: the given name, and family + middle.

    Vietnamese forms ask for "Họ và tên đệm" and "Tên" in that sense.
    """
    family_middle, _, given = full_name.rpartition(" ")
    return given, family_middle


# --- writing ---------------------------------------------------------------------------------

def upsert(model, lookup: dict, values: dict):
    """update_or_create that writes only what differs, so a re-run issues no UPDATE at all.

    Returns (obj, created, changed) where changed is True when an existing row was updated.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True, False
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return obj, False, bool(changed)


class _Passwords:
    """Hash the demo password once and reuse the hash: PBKDF2 per account would take seconds."""

    def __init__(self, password: str):
        self.password = password
        self._encoded = None
        self._checked: dict[str, bool] = {}

    def apply(self, user) -> bool:
        """Give `user` the demo password unless it already has it. True when changed."""
        if user.password and self._matches(user.password):
            return False
        if self._encoded is None:
            self._encoded = make_password(self.password)
        user.password = self._encoded
        user.save(update_fields=["password"])
        self._checked[self._encoded] = True
        return True

    def _matches(self, encoded: str) -> bool:
        if encoded not in self._checked:
            self._checked[encoded] = check_password(self.password, encoded)
        return self._checked[encoded]


def load_units(*, password: str) -> dict:
    """Create or update the demo organisation, its staff and the demo accounts.

    Side effects: Unit, StaffMember and User rows (only missing or differing ones are written).
    Returns {"root", "units", "staff", "accounts": [(username, role label, unit name)],
    "scheme", "created", "updated"}.
    """
    User = get_user_model()
    passwords = _Passwords(password)
    created = updated = 0

    def count(was_created, was_changed):
        nonlocal created, updated
        created += was_created
        updated += was_changed

    root, c, u = upsert(Unit, {"code": ROOT_CODE}, {
        "name": "Sở Giáo dục và Đào tạo Bình Phước", "short_name": "Sở GD&ĐT",
        "kind": UnitKind.DEPARTMENT, "parent": None, "order": 0, "headcount": None,
        "is_active": True,
    })
    count(c, u)

    taken: set[str] = set()
    for people in list(STAFF.values()) + list(SCHOOL_EXTRAS.values()):
        taken.update(p.name for p in people if p.name)

    accounts = []
    staff_total = 0
    for spec in UNITS:
        unit, c, u = upsert(Unit, {"code": spec.code}, {
            "name": spec.name, "short_name": spec.short_name, "kind": spec.kind,
            "parent": root, "order": spec.order, "headcount": spec.headcount, "is_active": True,
        })
        count(c, u)
        people = STAFF.get(spec.code) or _affiliated_staff(spec)
        rng = random.Random(f"thidua-demo:{spec.code}")
        for person in people:
            female = person.female
            if female is None:
                female = rng.random() < (0.62 if person.category == PUBLIC else 0.5)
            full_name = person.name or _draw_name(rng, female, taken)
            taken.add(full_name)
            hired = _draw_hired(rng, person)
            username = person.username
            if person.role == Role.UNIT_HEAD:
                username = spec.head_username
            user = None
            if username:
                first, last = split_name(full_name)
                is_admin = person.role == Role.ADMIN
                user, c, u = upsert(User, {"username": username}, {
                    "first_name": first, "last_name": last,
                    "email": f"{username}@{EMAIL_DOMAIN}", "is_active": True,
                    "is_staff": is_admin, "is_superuser": is_admin,
                })
                password_changed = passwords.apply(user)
                # Everyone shares the demo password and keeps it: never force a change.
                _state, _new, exempted = upsert(AccountSecurity, {"user": user}, {
                    "exempt_from_password_change": True, "must_change_password": False,
                })
                count(c, not c and (u or password_changed or exempted))
                accounts.append((username, str(Role(person.role).label), unit.name))
            _, c, u = upsert(StaffMember, {"unit": unit, "full_name": full_name}, {
                "position": person.position, "category": person.category, "role": person.role,
                "recruitment_date": hired, "is_active": True, "user": user,
                # What the seniority medal reads: the demo's people entered the sector when
                # they were recruited.
                "gender": Gender.FEMALE if female else Gender.MALE, "sector_start_date": hired,
                # The staff record is the source of the account's address.
                "email": user.email if user else "",
            })
            count(c, u)
            staff_total += 1

    return {
        "root": root,
        "units": len(UNITS) + 1,
        "staff": staff_total,
        "accounts": accounts,
        "scheme": ACCOUNT_SCHEME,
        "created": created,
        "updated": updated,
    }


# --- registers (2022) ------------------------------------------------------------------------

@dataclass(frozen=True)
class InitiativeSpec:
    unit: str  # Unit.code
    title: str
    authors: tuple[str, ...]  # staff of that unit: a full name, or a position (see _member)
    level: str
    decision: str
    decided_on: datetime.date


GRASSROOTS = InitiativeLevel.GRASSROOTS
PROVINCE = InitiativeLevel.PROVINCE
# Grassroots initiatives are recognised by the Director of the DoET, province-level ones by the
# Provincial People's Committee. Every date is before the demo's "today" (tasks.demo.AS_OF,
# 25/10/2022), and so is every recorded_at.
SO_JUNE = ("215/QĐ-SGDĐT", D(2022, 6, 15))
SO_SEPTEMBER = ("438/QĐ-SGDĐT", D(2022, 9, 28))
UBND_OCTOBER = ("2310/QĐ-UBND", D(2022, 10, 12))

INITIATIVES = [
    InitiativeSpec("thpt-hung-vuong", "Ứng dụng Google Forms trong tiếp nhận hồ sơ xin chuyển "
                   "trường, xin học lại của học sinh", ("Âu Thị Ngọc Hân", "Phó Hiệu trưởng"),
                   GRASSROOTS, *SO_JUNE),
    InitiativeSpec("thpt-dong-xoai", "Số hóa học bạ và sổ điểm điện tử, giảm hồ sơ giấy tại "
                   "Trường THPT Đồng Xoài", ("Phó Hiệu trưởng", "Giáo viên"), GRASSROOTS,
                   *SO_JUNE),
    InitiativeSpec("thpt-chon-thanh", "Quy trình một cửa tiếp nhận và trả kết quả giấy xác nhận "
                   "học sinh tại Trường THPT Chơn Thành", ("Đoàn Văn Ước",), GRASSROOTS,
                   *SO_JUNE),
    InitiativeSpec("thpt-loc-ninh", "Ứng dụng chữ ký số trong ký duyệt văn bản, hồ sơ chuyên "
                   "môn của nhà trường", ("Hiệu trưởng", "Kế toán"), GRASSROOTS, *SO_JUNE),
    InitiativeSpec("thpt-phuoc-binh", "Thu học phí và các khoản thu không dùng tiền mặt qua "
                   "ngân hàng tại Trường THPT Phước Bình", ("Kế toán",), GRASSROOTS,
                   *SO_SEPTEMBER),
    InitiativeSpec("tt-gdtx-tinh", "Quản lý học viên và công khai kết quả học tập trên phần mềm "
                   "trực tuyến tại Trung tâm GDTX tỉnh", ("Phó Giám đốc", "Giáo viên"),
                   GRASSROOTS, *SO_SEPTEMBER),
    InitiativeSpec("thpt-chuyen-quang-trung", "Quản lý văn bản đi, đến và điều hành công việc "
                   "trên môi trường mạng tại trường trung học phổ thông chuyên",
                   ("Hiệu trưởng", "Giáo viên"), PROVINCE, *UBND_OCTOBER),
    InitiativeSpec("pt-dtnt-tinh", "Bồi dưỡng giáo viên và sinh hoạt chuyên môn trực tuyến qua "
                   "Microsoft Teams tại trường phổ thông dân tộc nội trú",
                   ("Điểu Minh Sang", "Phó Hiệu trưởng"), PROVINCE, *UBND_OCTOBER),
]


@dataclass(frozen=True)
class ViolationSpec:
    unit: str  # Unit.code
    kind: str
    occurred_on: datetime.date
    description: str
    decision: str = ""
    staff: str = ""  # a full name or a position in that unit (see _member)
    discipline_level: str = ""


VIOLATIONS = [
    ViolationSpec("thpt-nguyen-du", ViolationKind.LATE_REPORTING, D(2022, 6, 28),
                  "Gửi báo cáo kết quả cải cách hành chính quý II/2022 chậm 13 ngày so với thời "
                  "hạn (hạn ngày 15/6/2022).", "1532/SGDĐT-VP"),
    ViolationSpec("phong-gdcn-gdtx", ViolationKind.LATE_REPORTING, D(2022, 10, 7),
                  "Chậm cập nhật dữ liệu thủ tục hành chính lĩnh vực giáo dục thường xuyên trên "
                  "Cổng dịch vụ công tháng 9/2022."),
    ViolationSpec("thpt-dak-o", ViolationKind.OTHER, D(2022, 8, 25),
                  "Chưa niêm yết công khai đầy đủ thủ tục hành chính tại nơi tiếp nhận hồ sơ "
                  "(phát hiện qua kiểm tra công tác cải cách hành chính năm 2022).",
                  "Biên bản kiểm tra ngày 25/8/2022"),
    ViolationSpec("thpt-dong-phu", ViolationKind.COMPLAINT, D(2022, 10, 14),
                  "Khiếu nại của cha mẹ học sinh về các khoản thu ngoài quy định đầu năm học "
                  "2022-2023 được kết luận là đúng; nhà trường đã hoàn trả các khoản thu sai.",
                  "18/KL-TTr"),
    ViolationSpec("thpt-bu-dang", ViolationKind.DISCIPLINE, D(2022, 10, 17),
                  "Tổ chức dạy thêm có thu tiền đối với học sinh lớp mình đang dạy chính khóa, "
                  "trái quy định của Thông tư 17/2012/TT-BGDĐT.", "52/QĐ-THPTBĐ",
                  staff="Giáo viên", discipline_level=DisciplineLevel.REPRIMAND),
]


def _member(unit: Unit, who: str) -> StaffMember:
    """A staff member of `unit`: the one with that full name, or else the longest-serving holder
    of that position (names are drawn per unit, so the same person comes back every time)."""
    people = StaffMember.objects.filter(unit=unit)
    found = (people.filter(full_name=who).first()
             or people.filter(position=who).order_by("recruitment_date", "full_name").first())
    if found is None:
        raise LookupError(f"No staff member {who!r} in {unit.code}")
    return found


def _recorded(day: datetime.date) -> datetime.datetime:
    """When the Office entered a row: two working days later, at 09:00 (the demo is in 2022)."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=2),
                                                         datetime.time(9, 0)))


def load_registers(*, recorder) -> dict:
    """Create or update the 2022 initiatives and violations, entered by `recorder` (the Office).

    Rows are keyed by unit and title (initiatives) or unit, kind and date (violations).
    Side effects: Initiative (with authors) and Violation rows, only missing or differing ones.
    Returns {"initiatives", "violations", "created", "updated"}.
    """
    units = {unit.code: unit for unit in Unit.objects.filter(
        code__in={spec.unit for spec in INITIATIVES + VIOLATIONS})}
    created = updated = 0
    for spec in INITIATIVES:
        unit = units[spec.unit]
        initiative, c, u = upsert(Initiative, {"unit": unit, "title": spec.title}, {
            "level": spec.level, "year": spec.decided_on.year, "decision": spec.decision,
            "decided_on": spec.decided_on,
        })
        if c:
            Initiative.objects.filter(pk=initiative.pk).update(
                recorded_by=recorder, recorded_at=_recorded(spec.decided_on))
        authors = {_member(unit, who).pk for who in spec.authors}
        if set(initiative.authors.values_list("pk", flat=True)) != authors:
            initiative.authors.set(authors)
            u = u or not c
        created += c
        updated += u
    for spec in VIOLATIONS:
        unit = units[spec.unit]
        staff = _member(unit, spec.staff) if spec.staff else None
        violation, c, u = upsert(
            Violation, {"unit": unit, "kind": spec.kind, "occurred_on": spec.occurred_on}, {
                "description": spec.description, "staff": staff,
                "discipline_level": spec.discipline_level, "decision": spec.decision,
            })
        if c:
            Violation.objects.filter(pk=violation.pk).update(
                recorded_by=recorder, recorded_at=_recorded(spec.occurred_on))
        created += c
        updated += u
    return {"initiatives": len(INITIATIVES), "violations": len(VIOLATIONS), "created": created,
            "updated": updated}


def head_of(unit: Unit):
    """The user account of a unit's head (None when the unit has none)."""
    head = (StaffMember.objects.filter(unit=unit, role=Role.UNIT_HEAD, user__isnull=False,
                                       is_active=True)
            .select_related("user").first())
    return head.user if head else None


# The demo department's identity (units.Department): what its pages and documents print today.
# On 01/07/2025 Bình Phước province was merged into Đồng Nai (docs/domain.md, "The
# department's identity over time"): the department prints the merged province from that day,
# while documents dated before it (the 2022 plan, decisions and reports) keep Bình Phước
# (EARLIER).
IDENTITY = {
    "name": "Sở Giáo dục và Đào tạo Đồng Nai",
    "short_name": "Sở GD&ĐT Đồng Nai",
    "parent_agency": "UBND TỈNH ĐỒNG NAI",
    "issuing_name": "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "place": "Đồng Nai",
    "director_title": "GIÁM ĐỐC",
    "deputy_title": "PHÓ GIÁM ĐỐC",
    "email": f"vanphong@{EMAIL_DOMAIN}",
}
MERGED_ON = datetime.date(2025, 7, 1)
EARLIER = {
    "until": MERGED_ON - datetime.timedelta(days=1),
    "name": "Sở Giáo dục và Đào tạo Bình Phước",
    "short_name": "Sở GD&ĐT Bình Phước",
    "parent_agency": "UBND TỈNH BÌNH PHƯỚC",
    "issuing_name": "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "place": "Bình Phước",
    "note": "Tỉnh Bình Phước hợp nhất vào tỉnh Đồng Nai từ ngày 01/07/2025.",
}


def load_identity() -> tuple[bool, bool]:
    """The identity of today (Đồng Nai, since the merger) with the Bình Phước names before it,
    its director and deputies named from the demo's board. Returns (created, changed)."""
    board = StaffMember.objects.filter(is_active=True, unit__kind=UnitKind.BOARD).order_by("pk")
    director = board.filter(role=Role.DIRECTOR).values_list("full_name", flat=True).first()
    deputies = board.filter(role=Role.DEPUTY_DIRECTOR).values_list("full_name", flat=True)
    values = {**IDENTITY, "director_name": director or "", "deputy_names": "\n".join(deputies)}
    existing = Department.objects.order_by("pk").first()
    _department, created, changed = upsert(
        Department, {"pk": existing.pk} if existing else {}, values)
    _earlier, earlier_created, earlier_changed = upsert(
        EarlierIdentity, {"until": EARLIER["until"]},
        {name: value for name, value in EARLIER.items() if name != "until"})
    return created, changed or earlier_created or earlier_changed


def load(context: dict) -> None:
    """`load_demo` hook: the organisation and accounts (see the command for `context`).

    Reads context["password"]; puts "org", "accounts", "scheme" and "office_user" (the Office
    account later loaders act as), loads the 2022 registers and notes what it wrote.
    """
    org = load_units(password=context["password"])
    created, changed = load_identity()
    org["created"] += created
    org["updated"] += changed
    context["org"] = org
    context["accounts"] = org["accounts"]
    context["scheme"] = org["scheme"]
    context["office_user"] = get_user_model().objects.get(username=OFFICE_USERNAME)
    registers = load_registers(recorder=context["office_user"])
    changes = org["created"] + org["updated"]
    register_changes = registers["created"] + registers["updated"]
    context.setdefault("summary", []).extend([
        f"{'Organisation:':<16}{org['created']} rows created, {org['updated']} updated"
        + ("" if changes else " (nothing to do)"),
        f"{'Registers:':<16}{registers['created']} rows created, {registers['updated']} updated"
        + ("" if register_changes else " (nothing to do)"),
    ])


def summary(context: dict) -> list[tuple]:
    """`load_demo` hook, after every loader: the organisation and the registers as stored."""
    rows = [(None, "Organisation:",
             f"{Unit.objects.count()} units, {StaffMember.objects.count()} staff members, "
             f"{get_user_model().objects.count()} user accounts")]
    years = sorted(set(Initiative.objects.values_list("year", flat=True))
                   | {day.year for day in Violation.objects.values_list("occurred_on",
                                                                         flat=True)})
    for year in years:
        rows.append((year, "Registers:",
                     f"{Initiative.objects.of_year(year).count()} initiatives, "
                     f"{Violation.objects.of_year(year).count()} violations"))
    return rows
