"""The registers of recognised initiatives and of violations: who reads and records what, the
rules of a row, the audit trail, constant query counts and the demo rows."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from units import demo
from units.forms_registers import InitiativeRules, ViolationRules
from units.models import (
    AuditEntry,
    DisciplineLevel,
    Initiative,
    InitiativeLevel,
    Violation,
    ViolationKind,
)

from ..factories import StaffMemberFactory, UnitFactory, UserFactory

ROLES = ["director", "office", "union", "head_a", "head_b", "staff", "admin", "anonymous"]
KEEPERS = dict(office=200, union=200, admin=200)


def expect(default, **overrides):
    """Expected status per role; anonymous people are always sent to the sign-in page."""
    return {role: overrides.get(role, default) for role in ROLES} | {"anonymous": 302}


class World:
    """One initiative and one violation in each of the cast's two schools."""

    def __init__(self, cast):
        self.cast = cast
        self.author_a = StaffMemberFactory(unit=cast.unit_a, full_name="Âu Thị Ngọc Hân")
        self.author_b = StaffMemberFactory(unit=cast.unit_b, full_name="Điểu Minh Sang")
        self.initiative_a = _initiative(cast.unit_a, [self.author_a],
                                        title="Số hóa học bạ tại Trường THPT Hùng Vương")
        self.initiative_b = _initiative(cast.unit_b, [self.author_b],
                                        title="Thu học phí không dùng tiền mặt")
        self.violation_a = _violation(cast.unit_a, description="Chậm gửi báo cáo quý II/2022.")
        self.violation_b = _violation(cast.unit_b, description="Chưa niêm yết thủ tục hành chính.")


def _initiative(unit, authors=(), **fields):
    values = {"title": "Ứng dụng chữ ký số trong nhà trường", "level": InitiativeLevel.GRASSROOTS,
              "year": 2022, "decision": "215/QĐ-SGDĐT", "decided_on": datetime.date(2022, 6, 15)}
    initiative = Initiative.objects.create(unit=unit, **(values | fields))
    initiative.authors.set(authors)
    return initiative


def _violation(unit, **fields):
    values = {"kind": ViolationKind.LATE_REPORTING, "occurred_on": datetime.date(2022, 6, 28),
              "description": "Chậm gửi báo cáo cải cách hành chính."}
    return Violation.objects.create(unit=unit, **(values | fields))


@pytest.fixture
def world(cast):
    return World(cast)


def _client(cast, client_for, role, *, english=False):
    client = client_for(None if role == "anonymous" else cast.users()[role])
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- who may do what -------------------------------------------------------------------------

MATRIX = [
    ("units:initiatives", lambda w: [], "get", expect(200)),
    ("units:initiative_create", lambda w: [], "get", expect(403, **KEEPERS)),
    ("units:initiative_create", lambda w: [], "post", expect(403, **KEEPERS)),
    ("units:initiative_edit", lambda w: [w.initiative_a.pk], "get",
     expect(403, **KEEPERS, head_b=404)),
    ("units:initiative_edit", lambda w: [w.initiative_a.pk], "post",
     expect(403, **KEEPERS, head_b=404)),
    ("units:initiative_edit", lambda w: [w.initiative_b.pk], "get",
     expect(403, **KEEPERS, head_a=404, staff=404)),
    ("units:violations", lambda w: [], "get", expect(200)),
    ("units:violation_create", lambda w: [], "get", expect(403, **KEEPERS)),
    ("units:violation_create", lambda w: [], "post", expect(403, **KEEPERS)),
    ("units:violation_edit", lambda w: [w.violation_a.pk], "get",
     expect(403, **KEEPERS, head_b=404)),
    ("units:violation_edit", lambda w: [w.violation_a.pk], "post",
     expect(403, **KEEPERS, head_b=404)),
    ("units:violation_edit", lambda w: [w.violation_b.pk], "get",
     expect(403, **KEEPERS, head_a=404, staff=404)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "args", "method", "expected"), MATRIX,
                         ids=[f"{m[0]}-{m[2]}-{i}" for i, m in enumerate(MATRIX)])
def test_role_gets_expected_status(cast, client_for, world, role, name, args, method, expected):
    url = reverse(name, args=args(world))

    # An empty POST: a keeper gets the form back with its errors (200), and nothing is saved.
    response = getattr(_client(cast, client_for, role), method)(url)

    assert response.status_code == expected[role], f"{role} {method.upper()} {url}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert Initiative.objects.count() == 2 and Violation.objects.count() == 2


@pytest.mark.parametrize(("name", "own", "other"), [
    ("units:initiatives", lambda w: w.initiative_a.title, lambda w: w.initiative_b.title),
    ("units:violations", lambda w: w.violation_a.description, lambda w: w.violation_b.description),
])
@pytest.mark.parametrize("role", ["head_a", "staff"])
def test_unit_people_see_only_their_own_units_rows(cast, client_for, world, name, own, other,
                                                   role):
    html = _client(cast, client_for, role).get(reverse(name)).content.decode()

    assert own(world) in html
    assert other(world) not in html
    assert 'name="unit"' not in html  # no unit filter: there is only their own unit
    assert "/edit/" not in html and "/new/" not in html


@pytest.mark.parametrize("role", ["director", "office"])
def test_readers_of_everything_see_every_units_rows(cast, client_for, world, role):
    client = _client(cast, client_for, role)

    initiatives = client.get(reverse("units:initiatives")).content.decode()
    violations = client.get(reverse("units:violations")).content.decode()

    assert world.initiative_a.title in initiatives and world.initiative_b.title in initiatives
    assert world.violation_a.description in violations
    assert world.violation_b.description in violations
    can_edit = role == "office"
    assert (reverse("units:initiative_edit", args=[world.initiative_a.pk]) in initiatives) is (
        can_edit)
    assert (reverse("units:violation_create") in violations) is can_edit


# --- lists: filters, order, pages ------------------------------------------------------------

def test_initiative_list_filters_by_year_unit_and_level(cast, client_for, world):
    old = _initiative(cast.unit_a, title="Sáng kiến năm 2021", year=2021,
                      decided_on=datetime.date(2021, 5, 4))
    province = _initiative(cast.unit_b, title="Sáng kiến cấp tỉnh", level=InitiativeLevel.PROVINCE)
    client = _client(cast, client_for, "office")
    url = reverse("units:initiatives")

    def titles(**query):
        page = client.get(url, query).context["page"]
        return [initiative.title for initiative in page]

    assert titles(year=2021) == [old.title]
    assert old.title not in titles(unit=cast.unit_b.pk)
    assert set(titles(unit=cast.unit_b.pk)) == {world.initiative_b.title, province.title}
    assert titles(level="province") == [province.title]
    assert titles()[-1] == old.title  # newest year first


def test_violation_list_filters_by_year_unit_and_kind(cast, client_for, world):
    old = _violation(cast.unit_b, description="Vi phạm năm 2021.",
                     occurred_on=datetime.date(2021, 3, 2))
    complaint = _violation(cast.unit_a, kind=ViolationKind.COMPLAINT,
                           description="Khiếu nại được kết luận là đúng.")
    client = _client(cast, client_for, "director")
    url = reverse("units:violations")

    def descriptions(**query):
        return [v.description for v in client.get(url, query).context["page"]]

    assert descriptions(year=2021) == [old.description]
    assert set(descriptions(unit=cast.unit_a.pk)) == {world.violation_a.description,
                                                      complaint.description}
    assert descriptions(kind="complaint") == [complaint.description]
    assert descriptions()[-1] == old.description  # newest first


def test_initiative_list_is_paginated_by_50_keeping_the_filters(cast, client_for):
    for number in range(51):
        _initiative(cast.unit_a, title=f"Sáng kiến số {number:02d}")
    client = _client(cast, client_for, "office")

    first = client.get(reverse("units:initiatives"), {"year": 2022})
    second = client.get(reverse("units:initiatives"), {"year": 2022, "page": 2})

    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 1
    assert "?year=2022&amp;page=2" in first.content.decode()


# --- recording an initiative -----------------------------------------------------------------

def _initiative_data(world, **overrides):
    data = {"title": "Ứng dụng Google Forms trong tiếp nhận hồ sơ chuyển trường",
            "unit": str(world.cast.unit_a.pk), "authors": [str(world.author_a.pk)],
            "level": "grassroots", "year": "2022", "decision": "215/QĐ-SGDĐT",
            "decided_on": "15/06/2022", "version": ""}
    return data | overrides


def _version(client, url):
    return client.get(url).context["form"]["version"].value()


@pytest.mark.parametrize("role", ["office", "union", "admin"])
def test_keeper_records_an_initiative_and_it_is_audited(cast, client_for, world, role):
    client = _client(cast, client_for, role)

    response = client.post(reverse("units:initiative_create"), _initiative_data(world))

    assert response.status_code == 302 and response["Location"] == reverse("units:initiatives")
    initiative = Initiative.objects.get(title__startswith="Ứng dụng Google Forms")
    assert list(initiative.authors.all()) == [world.author_a]
    assert initiative.decided_on == datetime.date(2022, 6, 15)
    assert initiative.recorded_by == cast.users()[role]
    entry = AuditEntry.objects.get(action="initiative.create")
    assert entry.actor == cast.users()[role] and entry.object_id == str(initiative.pk)
    assert entry.before is None
    assert entry.after["authors"] == [world.author_a.pk]
    assert entry.after["decided_on"] == "2022-06-15"


def test_editing_an_initiative_audits_what_changed_before_and_after(cast, client_for, world):
    client = _client(cast, client_for, "office")
    url = reverse("units:initiative_edit", args=[world.initiative_a.pk])
    second_author = StaffMemberFactory(unit=cast.unit_a, full_name="Đoàn Văn Ước")

    response = client.post(url, _initiative_data(
        world, title=world.initiative_a.title, level="province",
        authors=[str(world.author_a.pk), str(second_author.pk)],
        version=_version(client, url)))

    assert response.status_code == 302
    world.initiative_a.refresh_from_db()
    assert world.initiative_a.level == InitiativeLevel.PROVINCE
    entry = AuditEntry.objects.get(action="initiative.edit")
    assert entry.actor == cast.office
    assert entry.before == {"authors": [world.author_a.pk], "level": "grassroots"}
    assert entry.after == {"authors": sorted([world.author_a.pk, second_author.pk]),
                           "level": "province"}
    assert world.initiative_a.recorded_by is None  # the original recorder is kept


def test_saving_an_unchanged_initiative_writes_no_audit_line(cast, client_for, world):
    client = _client(cast, client_for, "union")
    url = reverse("units:initiative_edit", args=[world.initiative_a.pk])

    response = client.post(url, _initiative_data(
        world, title=world.initiative_a.title, decided_on="15/06/2022",
        version=_version(client, url)))

    assert response.status_code == 302
    assert not AuditEntry.objects.exclude(action__startswith="auth.").exists()


def test_stale_initiative_edit_does_not_overwrite(cast, client_for, world):
    client = _client(cast, client_for, "office")
    url = reverse("units:initiative_edit", args=[world.initiative_a.pk])
    opened = _version(client, url)
    client.post(url, _initiative_data(world, title="Sửa lần thứ nhất", version=opened))

    response = client.post(url, _initiative_data(world, title="Sửa từ trang cũ",
                                                 version=opened))

    world.initiative_a.refresh_from_db()
    assert response.status_code == 200
    assert "Người khác đã lưu" in response.content.decode()
    assert world.initiative_a.title == "Sửa lần thứ nhất"
    assert AuditEntry.objects.filter(action="initiative.edit").count() == 1


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"decided_on": "15/06/2021"}, "decided_on", "must fall in 2022"),
    ({"year": "2021"}, "decided_on", "must fall in 2021"),
    ({"authors": "other unit"}, "authors", "do not work at Trường THPT Hùng Vương"),
    ({"year": "1999", "decided_on": "01/01/1999"}, "year", "between 2000 and 2100"),
    ({"decided_on": "hôm qua"}, "decided_on", "is not a date. Write it as dd/mm/yyyy"),
    ({"title": ""}, "title", "This field is required"),
])
def test_bad_initiative_is_explained_and_nothing_saved(cast, client_for, world, fields, field,
                                                       message):
    if fields.get("authors") == "other unit":
        fields = {"authors": [str(world.author_a.pk), str(world.author_b.pk)]}
    client = _client(cast, client_for, "office", english=True)

    response = client.post(reverse("units:initiative_create"), _initiative_data(world, **fields))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert '<html lang="en">' in response.content.decode()
    assert message in response.content.decode()
    assert Initiative.objects.count() == 2
    assert not AuditEntry.objects.exclude(action__startswith="auth.").exists()


def test_bad_initiative_edit_changes_neither_the_row_nor_its_authors(cast, client_for, world):
    client = _client(cast, client_for, "office", english=True)
    url = reverse("units:initiative_edit", args=[world.initiative_a.pk])

    response = client.post(url, _initiative_data(
        world, title="Tiêu đề mới", authors=[str(world.author_b.pk)],
        version=_version(client, url)))

    world.initiative_a.refresh_from_db()
    assert response.status_code == 200
    assert "authors" in response.context["form"].errors
    assert world.initiative_a.title == "Số hóa học bạ tại Trường THPT Hùng Vương"
    assert list(world.initiative_a.authors.all()) == [world.author_a]
    assert not AuditEntry.objects.exclude(action__startswith="auth.").exists()


# --- recording a violation -------------------------------------------------------------------

def _violation_data(world, **overrides):
    data = {"unit": str(world.cast.unit_a.pk), "kind": "discipline",
            "occurred_on": "17/10/2022",
            "description": "Tổ chức dạy thêm có thu tiền đối với học sinh lớp mình dạy.",
            "staff": str(world.author_a.pk), "discipline_level": "reprimand",
            "decision": "52/QĐ-THPTHV", "version": ""}
    return data | overrides


@pytest.mark.parametrize("role", ["office", "union", "admin"])
def test_keeper_records_a_discipline_case_and_it_is_audited(cast, client_for, world, role):
    client = _client(cast, client_for, role)

    response = client.post(reverse("units:violation_create"), _violation_data(world))

    assert response.status_code == 302 and response["Location"] == reverse("units:violations")
    violation = Violation.objects.get(kind=ViolationKind.DISCIPLINE)
    assert violation.staff == world.author_a
    assert violation.discipline_level == DisciplineLevel.REPRIMAND
    assert violation.recorded_by == cast.users()[role]
    entry = AuditEntry.objects.get(action="violation.create")
    assert entry.actor == cast.users()[role] and entry.object_id == str(violation.pk)
    assert entry.before is None
    assert entry.after["staff"] == world.author_a.pk
    assert entry.after["discipline_level"] == "reprimand"


def test_editing_a_violation_audits_what_changed_before_and_after(cast, client_for, world):
    client = _client(cast, client_for, "union")
    url = reverse("units:violation_edit", args=[world.violation_a.pk])

    response = client.post(url, _violation_data(
        world, kind="late_reporting", occurred_on="28/06/2022", staff="", discipline_level="",
        description=world.violation_a.description, decision="1532/SGDĐT-VP",
        version=_version(client, url)))

    assert response.status_code == 302
    world.violation_a.refresh_from_db()
    assert world.violation_a.decision == "1532/SGDĐT-VP"
    entry = AuditEntry.objects.get(action="violation.edit")
    assert entry.actor == cast.union
    assert entry.before == {"decision": ""}
    assert entry.after == {"decision": "1532/SGDĐT-VP"}


def test_stale_violation_edit_does_not_overwrite(cast, client_for, world):
    client = _client(cast, client_for, "office")
    url = reverse("units:violation_edit", args=[world.violation_a.pk])
    opened = _version(client, url)
    fields = dict(kind="late_reporting", staff="", discipline_level="", version=opened)
    client.post(url, _violation_data(world, description="Lần thứ nhất.", **fields))

    response = client.post(url, _violation_data(world, description="Từ trang cũ.", **fields))

    world.violation_a.refresh_from_db()
    assert "Người khác đã lưu" in response.content.decode()
    assert world.violation_a.description == "Lần thứ nhất."


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"kind": "complaint"}, "discipline_level", "only recorded for a staff discipline case"),
    ({"staff": ""}, "staff", "Choose the staff member who received the disciplinary measure"),
    ({"staff": "other unit"}, "staff", "does not work at Trường THPT Hùng Vương"),
    ({"kind": "late_reporting", "discipline_level": "", "staff": "other unit"}, "staff",
     "does not work at"),
    ({"occurred_on": "tomorrow"}, "occurred_on", "cannot be in the future"),
    ({"description": ""}, "description", "This field is required"),
])
def test_bad_violation_is_explained_and_nothing_saved(cast, client_for, world, fields, field,
                                                      message):
    if fields.get("staff") == "other unit":
        fields["staff"] = str(world.author_b.pk)
    if fields.get("occurred_on") == "tomorrow":
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        fields["occurred_on"] = tomorrow.strftime("%d/%m/%Y")
    client = _client(cast, client_for, "office", english=True)

    response = client.post(reverse("units:violation_create"), _violation_data(world, **fields))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert Violation.objects.count() == 2
    assert not AuditEntry.objects.exclude(action__startswith="auth.").exists()


def test_nothing_offers_to_delete_a_register_row(cast, client_for, world):
    admin_user = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    client = client_for(admin_user)

    for row in (world.initiative_a, world.violation_a):
        name = row._meta.model_name
        delete = reverse(f"admin:units_{name}_delete", args=[row.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert row._meta.model.objects.filter(pk=row.pk).exists()


# --- the admin -------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "query", "moved", "found"), [
    ("initiative", {"q": "học bạ"}, {}, "initiative_a"),  # by title
    ("initiative", {"q": "Âu Thị"}, {}, "initiative_a"),  # by author
    ("initiative", {"level": "province"}, {"initiative_b": {"level": "province"}},
     "initiative_b"),
    ("violation", {"q": "báo cáo"}, {}, "violation_a"),  # by description
    ("violation", {"kind": "discipline"}, {"violation_b": {"kind": "discipline"}},
     "violation_b"),
])
def test_admin_lists_search_and_filter(cast, client_for, world, name, query, moved, found):
    for attribute, fields in moved.items():  # one row made to match the filter, the other not
        row = getattr(world, attribute)
        type(row).objects.filter(pk=row.pk).update(**fields)
    client = client_for(UserFactory(username="superuser", is_staff=True, is_superuser=True))
    url = reverse(f"admin:units_{name}_changelist")
    assert client.get(url).context["cl"].result_count == 2  # both rows without the query

    response = client.get(url, query)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [getattr(world, found)]
    assert reverse(f"admin:units_{name}_change", args=[getattr(world, found).pk]) in \
        response.content.decode()


def test_admin_edit_is_checked_by_the_same_rules_and_audited(cast, client_for, world):
    admin_user = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    client = client_for(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("admin:units_initiative_change", args=[world.initiative_a.pk])
    data = {"title": world.initiative_a.title, "unit": str(cast.unit_a.pk),
            "authors": [str(world.author_b.pk)], "level": "grassroots", "year": "2022",
            "decision": "215/QĐ-SGDĐT", "decided_on": "15/06/2022"}

    refused = client.post(url, data)
    saved = client.post(url, data | {"authors": [str(world.author_a.pk)], "decision": "216/QĐ"})

    assert refused.status_code == 200 and "do not work at" in refused.content.decode()
    assert saved.status_code == 302
    entry = AuditEntry.objects.get(action="initiative.edit")
    assert entry.actor == admin_user
    assert entry.before == {"decision": "215/QĐ-SGDĐT"} and entry.after == {"decision": "216/QĐ"}


# --- query counts ----------------------------------------------------------------------------

def _grow(cast, rows):
    """`rows` initiatives and violations, each at its own unit with two authors / a person."""
    for number in range(rows):
        unit = UnitFactory(parent=cast.root)
        people = StaffMemberFactory.create_batch(2, unit=unit)
        _initiative(unit, people, title=f"Sáng kiến số {number}")
        _violation(unit, kind=ViolationKind.DISCIPLINE, staff=people[0],
                   discipline_level=DisciplineLevel.WARNING)


@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize(("name", "queries"), [
    # session, user, viewer, years for the filter, page count, rows with their units, authors,
    # the unit filter's options
    ("units:initiatives", 8),
    # session, user, viewer, years, page count, rows with units and people, unit options
    ("units:violations", 7),
])
def test_list_pages_query_count(cast, client_for, django_assert_num_queries, rows, name,
                                queries):
    _grow(cast, rows)
    client = _client(cast, client_for, "office")

    with django_assert_num_queries(queries):
        response = client.get(reverse(name))
    assert len(response.context["page"]) == rows


# --- demo data -------------------------------------------------------------------------------

def _load_units_demo():
    context = {"password": "demo-pass", "summary": []}
    demo.load(context)
    return context


def _register_counts():
    return {
        "initiatives": Initiative.objects.count(),
        "authors": Initiative.authors.through.objects.count(),
        "violations": Violation.objects.count(),
        "audit": AuditEntry.objects.exclude(action__startswith="auth.").count(),
        "users": get_user_model().objects.count(),
    }


@pytest.mark.django_db
def test_units_demo_loads_the_2022_registers_by_the_rules():
    _load_units_demo()

    initiatives = Initiative.objects.of_year(2022)
    assert 6 <= initiatives.count() <= 10
    assert initiatives.filter(level=InitiativeLevel.PROVINCE).count() == 2
    assert initiatives.values("unit").distinct().count() >= 4
    for initiative in initiatives.prefetch_related("authors"):
        authors = list(initiative.authors.all())
        data = {"title": initiative.title, "unit": initiative.unit_id,
                "authors": [a.pk for a in authors], "level": initiative.level,
                "year": initiative.year, "decision": initiative.decision,
                "decided_on": initiative.decided_on.isoformat()}
        form = InitiativeRules(data, instance=initiative)
        assert authors and form.is_valid(), (initiative.title, form.errors)
        assert initiative.recorded_by.username == demo.OFFICE_USERNAME
    violations = Violation.objects.of_year(2022)
    assert 4 <= violations.count() <= 6
    assert violations.values("unit").distinct().count() >= 4
    assert {v.kind for v in violations} >= {ViolationKind.LATE_REPORTING,
                                            ViolationKind.DISCIPLINE, ViolationKind.COMPLAINT}
    reprimand = violations.get(discipline_level=DisciplineLevel.REPRIMAND)
    assert reprimand.staff.unit == reprimand.unit
    for violation in violations:
        data = {"unit": violation.unit_id, "kind": violation.kind,
                "occurred_on": violation.occurred_on.isoformat(),
                "description": violation.description, "staff": violation.staff_id or "",
                "discipline_level": violation.discipline_level, "decision": violation.decision}
        form = ViolationRules(data, instance=violation)
        assert form.is_valid(), (violation.description, form.errors)


@pytest.mark.django_db
def test_units_demo_run_twice_loads_nothing_new():
    _load_units_demo()
    before = _register_counts()
    recorded = dict(Initiative.objects.values_list("pk", "recorded_at"))

    second = _load_units_demo()

    assert _register_counts() == before
    assert dict(Initiative.objects.values_list("pk", "recorded_at")) == recorded
    line = next(line for line in second["summary"] if line.startswith("Registers:"))
    assert "0 rows created, 0 updated (nothing to do)" in line
