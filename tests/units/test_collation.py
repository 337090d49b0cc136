"""Vietnamese order: the Python key, the SQLite collation and PostgreSQL's ICU vi-VN agree, and
people are listed by given name, then family and middle names."""

import itertools
import random
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from units import demo
from units.collation import display_name, person_key, person_order, sort_key, split_name, vi
from units.models import StaffCategory, StaffMember, Unit, UnitKind

from ..factories import StaffMemberFactory, UnitFactory


def test_letters_follow_the_vietnamese_alphabet():
    words = ["Yến", "Ơn", "Ôn", "On", "Ưng", "Ung", "Đức", "Dũng", "Ân", "Ăn", "An", "Êm", "Em",
             "Zoe", "Ánh", "Giang"]
    assert sorted(words, key=sort_key) == [
        "An", "Ánh", "Ăn", "Ân", "Dũng", "Đức", "Em", "Êm", "Giang", "On", "Ôn", "Ơn", "Ung",
        "Ưng", "Yến", "Zoe"]


def test_tones_count_only_where_the_letters_are_equal():
    # none, huyền, hỏi, ngã, sắc, nặng; "Bay" after all of them: its letters come later.
    words = ["Bạo", "Bay", "Báo", "Bão", "Bảo", "Bào", "Bao"]
    assert sorted(words, key=sort_key) == ["Bao", "Bào", "Bảo", "Bão", "Báo", "Bạo", "Bay"]
    # The first word's letters decide before any tone of the first word does.
    assert sorted(["Bình Zoe", "Bính An"], key=sort_key) == ["Bính An", "Bình Zoe"]


def test_lower_case_before_upper_case_when_letters_and_tones_tie():
    words = ["ĐÀO", "Đào", "đào", "Dao", "Đao"]
    assert sorted(words, key=sort_key) == ["Dao", "Đao", "đào", "Đào", "ĐÀO"]


def test_unit_names_from_the_issue_sort_in_vietnamese_order():
    names = ["Trường THPT Chuyên Quang Trung", "Trường THPT Chơn Thành", "Trường THPT Chu Văn An",
             "Trường THCS Chu Văn An", "Trường THPT 10", "Trường THPT 2", "Trường THPT Đồng Xoài",
             "Trường THPT Dĩ An"]
    # Chơn before Chu before Chuyên (o < ô < ơ < u); THCS before THPT; no numeric order in
    # ICU's default rules: "10" before "2", as on PostgreSQL.
    assert sorted(names, key=sort_key) == [
        "Trường THCS Chu Văn An", "Trường THPT 10", "Trường THPT 2", "Trường THPT Chơn Thành",
        "Trường THPT Chu Văn An", "Trường THPT Chuyên Quang Trung", "Trường THPT Dĩ An",
        "Trường THPT Đồng Xoài"]


def test_decomposed_text_sorts_where_the_composed_one_does():
    composed = ["Đặng Xuân Bình", "Đào Minh Duy", "Đinh Văn Ân"]
    decomposed = [unicodedata.normalize("NFD", name) for name in composed]
    keys = sorted(composed + decomposed, key=sort_key)
    assert [unicodedata.normalize("NFC", name) for name in keys][::2] == [
        "Đào Minh Duy", "Đặng Xuân Bình", "Đinh Văn Ân"]


def test_people_sort_by_given_name_then_family_and_middle_names():
    # The issue's pairs: the given name decides ("Bảo" < "Khoa", "Lực" < "Nam", "Bình" <
    # "Duy" < "Tú"); on a tie, the family and middle names in Vietnamese order (Đ before V).
    people = ["Nguyễn Đức Khoa", "Nguyễn Văn Bảo", "Phạm Văn Nam", "Ôn Văn Lực", "Võ Thanh Tú",
              "Đào Minh Duy", "Đặng Xuân Bình", "Vũ Thị Hà", "Đỗ Thị Hà", "Đỗ Hà"]
    assert sorted(people, key=person_key) == [
        "Nguyễn Văn Bảo", "Đặng Xuân Bình", "Đào Minh Duy", "Đỗ Hà", "Đỗ Thị Hà", "Vũ Thị Hà",
        "Nguyễn Đức Khoa", "Ôn Văn Lực", "Phạm Văn Nam", "Võ Thanh Tú"]


def test_the_given_name_is_the_last_word():
    assert split_name("Lý Thanh Phong") == ("Lý Thanh", "Phong")
    assert split_name("Nguyễn  Văn An") == ("Nguyễn  Văn", "An")
    assert split_name("Nguyễn  An") == ("Nguyễn", "An")
    assert split_name("Phong") == ("", "Phong")


@pytest.mark.django_db
def test_a_person_is_named_family_name_first(cast):
    user_model = get_user_model()
    assert display_name(cast.staff) == "Hồ Thị Cúc"
    # An account without a staff record: Django's get_full_name() would say "Phong Lý Thanh".
    account = user_model.objects.create(username="phong", first_name="Phong",
                                        last_name="Lý Thanh")
    assert account.get_full_name() == "Phong Lý Thanh"
    assert display_name(account) == "Lý Thanh Phong"
    assert display_name(user_model.objects.create(username="ai")) == "ai"
    assert display_name(None) == ""


# -- the databases: the same order as the Python key --------------------------------------------


def _realistic_names(count: int) -> list[str]:
    """Names drawn like the demo's, with the variants people type: lower and upper case, a
    decomposed name, a single name, double spaces, and the eth of old encodings for Đ."""
    rng = random.Random(13)
    names = set()
    while len(names) < count:
        female = rng.random() < 0.5
        middle = demo.MIDDLE_F if female else demo.MIDDLE_M
        given = demo.GIVEN_F if female else demo.GIVEN_M
        names.add(f"{rng.choice(demo.FAMILY)} {rng.choice(middle)} {rng.choice(given)}")
    names = sorted(names)
    return names + [names[0].lower(), names[1].upper(), unicodedata.normalize("NFD", names[2]),
                    "Phong", "Nguyễn  Văn An", "Ðào Thị Mai", "Đào Thị Mai", "Dao Thị Mai",
                    "Đinh Thị Ánh", "đinh thị ánh", "ĐINH THỊ ÁNH", "Ưng Thị Hồng Nhung"]


def _unit_names() -> list[str]:
    schools = ["THPT", "THCS", "Tiểu học", "Mầm non", "THCS và THPT", "PT DTNT"]
    places = ["Chơn Thành", "Chuyên Quang Trung", "Chu Văn An", "Đồng Xoài", "Đồng Phú",
              "Dĩ An", "Bù Đăng", "Bù Đốp", "Lộc Ninh", "Lộc Hưng", "Phước Bình", "Phú Riềng",
              "Hùng Vương", "Nguyễn Du", "Nguyễn Huệ", "Đắk Ơ", "Ea Súp", "Tân Phú", "An Lộc",
              "Ân Phú", "Số 1", "Số 2", "Số 10"]
    names = [f"Trường {kind} {place}" for kind in schools for place in places]
    return names + [spec.name for spec in demo.UNITS] + [spec.short_name for spec in demo.UNITS] + [
        "trường thpt chơn thành", "TRƯỜNG THPT CHƠN THÀNH", "Phòng GD&ĐT Đồng Xoài",
        "Phòng GD-ĐT Đồng Xoài", "Trung tâm GDNN - GDTX Bình Long", "Trường THPT (cũ) Đồng Xoài"]


@pytest.mark.django_db
def test_the_database_orders_unit_names_like_the_python_key():
    """On PostgreSQL: ICU's vi-VN against the Python key; on SQLite: the registered collation."""
    names = sorted(set(_unit_names()))
    Unit.objects.bulk_create(Unit(name=name, code=f"u{n}", kind=UnitKind.SCHOOL)
                             for n, name in enumerate(names))

    found = list(Unit.objects.order_by(vi("name"), "pk").values_list("name", flat=True))

    assert len(found) > 150
    assert found == sorted(names, key=sort_key)


@pytest.mark.django_db
def test_the_database_breaks_ties_like_the_python_key():
    """Texts equal in their letters, differing in tones, case, đ or signs: the second and third
    levels of the collation, where a mistake would hide behind realistic names."""
    alphabet = ["a", "A", "à", "À", "ạ", "ă", "đ", "Đ", "d", " ", "-", "\u00a0"]
    texts = ["".join(chars) for n in (1, 2, 3) for chars in itertools.product(alphabet, repeat=n)]
    Unit.objects.bulk_create(Unit(name=text, code=f"u{n}", kind=UnitKind.SCHOOL)
                             for n, text in enumerate(texts))

    found = list(Unit.objects.order_by(vi("name"), "pk").values_list("name", flat=True))

    assert found == sorted(texts, key=sort_key)


@pytest.mark.django_db
def test_the_database_orders_people_like_the_python_key():
    """On PostgreSQL: ICU's vi-VN and its regular expressions against the Python key and
    split; on SQLite: the registered collation and the split written with rtrim."""
    unit = UnitFactory()
    names = _realistic_names(400)
    StaffMember.objects.bulk_create(StaffMember(full_name=name, unit=unit,
                                                category=StaffCategory.CIVIL_SERVANT)
                                    for name in names)

    found = list(StaffMember.objects.order_by(*person_order(), "pk")
                 .values_list("full_name", flat=True))

    assert len(found) == len(names) > 400
    assert found == sorted(names, key=person_key)


@pytest.mark.django_db
def test_default_orders_are_vietnamese():
    root = UnitFactory(order=0, name="Trường THPT Chuyên Quang Trung")
    second = UnitFactory(order=0, name="Trường THPT Chơn Thành")
    first = UnitFactory(order=0, name="Trường THCS Tân Phú")
    for name in ["Võ Thanh Tú", "Đào Minh Duy", "Đặng Xuân Bình"]:
        StaffMemberFactory(unit=second, full_name=name)

    assert list(Unit.objects.all()) == [first, second, root]
    assert [p.full_name for p in StaffMember.objects.all()] == [
        "Đặng Xuân Bình", "Đào Minh Duy", "Võ Thanh Tú"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own collation")
@pytest.mark.django_db
def test_the_postgresql_collation_is_icu_vietnamese():
    with connection.cursor() as cursor:
        cursor.execute("SELECT collprovider FROM pg_collation WHERE collname = 'vietnamese'")
        assert cursor.fetchone() == ("i",)  # ICU, whatever the database's default collation
