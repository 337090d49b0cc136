"""Emulation registration (đăng ký thi đua): the Office's window, a unit's page, sending,
accepting and returning, the Excel import, bad input, and the "registered" condition."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from awards import registration_imports
from awards import registration_services as services
from awards.eligibility import Facts, conditions_for, verdict
from awards.models import (
    Award,
    LegalPeriod,
    Rating,
    RegistrationStatus,
    RegistrationWindow,
    StaffRegistration,
    UnitRegistration,
    YearRating,
)
from units.models import AuditEntry, StaffMember

from ..factories import StaffMemberFactory
from ..helpers import READERS, ROLES, expect

YEAR = 2025
LDTT, CSTDCS = "lao-dong-tien-tien", "chien-si-thi-dua-co-so"
TTLDTT = "tap-the-lao-dong-tien-tien"


def award(code):
    return Award.objects.get(code=code)


@pytest.fixture
def window(cast):
    return services.open_window(year=YEAR, deadline=datetime.date(YEAR, 1, 31),
                                user=cast.office)


def _url(name, unit, year=YEAR, **extra):
    query = "&".join(f"{k}={v}" for k, v in {"unit": unit.pk, "year": year, **extra}.items())
    return f"{reverse(name)}?{query}"


def _page_data(client, unit, values, *, unit_title=""):
    """The page's form as opened now, with `values` (staff → Award) filled in."""
    form = client.get(_url("awards:registration", unit)).context["form"]
    data = {"version": form["version"].value(), "award": unit_title}
    for person, name, value in form.rows():
        chosen = values.get(person)
        data[name] = chosen.pk if chosen else value
    return data


def _register(cast, unit, people, code=LDTT, *, window, unit_code=TTLDTT, user=None):
    return services.save_registration(
        unit=unit, window=window, user=user or cast.head_a, expected_version=_version(unit),
        titles=dict.fromkeys([p.pk for p in people], award(code)), award=award(unit_code))


def _version(unit):
    found = UnitRegistration.objects.filter(unit=unit, year=YEAR).first()
    return found.version if found else 1


# Access -------------------------------------------------------------------------------------

MATRIX = [
    ("awards:registration", "unit_a", expect(200, head_b=404)),
    ("awards:registration", "unit_b", expect(404, **READERS, head_b=200)),
    ("awards:registration_template", "unit_a", expect(403, admin=200, head_a=200, head_b=404)),
    ("awards:registration_import", "unit_a", expect(403, admin=200, head_a=200, head_b=404)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "unit", "expected"), MATRIX,
                         ids=[f"{m[0]}-{m[1]}" for m in MATRIX])
def test_role_gets_expected_status(cast, client_for, window, role, name, unit, expected):
    response = client_for(cast.users()[role]).get(_url(name, getattr(cast, unit)))
    assert response.status_code == expected[role]


@pytest.mark.parametrize(("role", "status"), [
    ("director", 200), ("office", 200), ("union", 200), ("admin", 200), ("head_a", 302),
    ("staff", 302)])
def test_overview_for_readers_and_own_page_for_a_unit(cast, client_for, window, role, status):
    response = client_for(cast.users()[role]).get(reverse("awards:registrations"),
                                                  {"year": YEAR})
    assert response.status_code == status
    if status == 302:
        assert f"unit={cast.unit_a.pk}" in response["Location"]


@pytest.mark.parametrize("role", ["director", "union", "head_a", "staff"])
def test_only_the_office_opens_registration(cast, client_for, role):
    response = client_for(cast.users()[role]).post(
        f"{reverse('awards:registration_window')}?year={YEAR}", {"deadline": "31/01/2025"})
    assert response.status_code == 403
    assert not RegistrationWindow.objects.exists()


@pytest.mark.parametrize("role", ["director", "office", "union", "head_b", "staff"])
def test_only_the_head_saves_the_units_page(cast, client_for, window, role):
    response = client_for(cast.users()[role]).post(
        _url("awards:registration", cast.unit_a),
        {"version": 1, f"title_{cast.staff.staff_member.pk}": award(LDTT).pk})
    assert response.status_code in (403, 404)
    assert not StaffRegistration.objects.exists()


# The flow -----------------------------------------------------------------------------------


def test_office_opens_registration_with_a_deadline_audited(cast, client_for):
    response = client_for(cast.office).post(
        f"{reverse('awards:registration_window')}?year={YEAR}", {"deadline": "31/01/2025"})
    assert response.status_code == 302
    window = RegistrationWindow.objects.get(year=YEAR)
    assert window.deadline == datetime.date(YEAR, 1, 31)
    line = AuditEntry.objects.get(action="registration.open")
    assert line.after == {"year": YEAR, "deadline": "31/01/2025"}


def test_office_extends_and_closes_registration_audited(cast, window):
    services.change_window(window=window, user=cast.office, expected_version=1,
                           deadline=datetime.date(YEAR, 2, 15))
    services.change_window(window=window, user=cast.office, expected_version=2, closed=True)
    window.refresh_from_db()
    assert window.deadline == datetime.date(YEAR, 2, 15) and not window.is_open
    extended = AuditEntry.objects.get(action="registration.extend")
    assert extended.before["deadline"] == "31/01/2025"
    assert extended.after["deadline"] == "15/02/2025"
    assert AuditEntry.objects.filter(action="registration.close").exists()


def test_head_registers_the_unit_and_its_people_on_the_page(cast, client_for, window):
    client = client_for(cast.head_a)
    people = {cast.staff.staff_member: award(CSTDCS), cast.head_a.staff_member: award(LDTT)}
    data = _page_data(client, cast.unit_a, people, unit_title=award(TTLDTT).pk)

    response = client.post(_url("awards:registration", cast.unit_a), data)

    assert response.status_code == 302
    registration = UnitRegistration.objects.get(unit=cast.unit_a, year=YEAR)
    assert registration.award.code == TTLDTT
    assert dict(registration.people.values_list("staff__full_name", "award__code")) == {
        cast.staff.staff_member.full_name: CSTDCS, cast.head_a.staff_member.full_name: LDTT}
    line = AuditEntry.objects.get(action="registration.save")
    assert line.before["titles"][str(cast.staff.staff_member.pk)] is None
    assert line.after["titles"][str(cast.staff.staff_member.pk)] == "Chiến sĩ thi đua cơ sở"
    assert line.after["unit_title"] == "Tập thể lao động tiên tiến"


def test_save_and_send_sends_what_is_on_the_page_in_one_step(cast, client_for, window):
    client = client_for(cast.head_a)
    data = _page_data(client, cast.unit_a, {cast.staff.staff_member: award(LDTT)},
                      unit_title=award(TTLDTT).pk)

    response = client.post(_url("awards:registration", cast.unit_a), {**data, "send": "1"})

    assert response.status_code == 302
    registration = UnitRegistration.objects.get(unit=cast.unit_a, year=YEAR)
    assert registration.status == RegistrationStatus.SENT
    assert registration.people.get().staff == cast.staff.staff_member
    assert list(AuditEntry.objects.filter(action__startswith="registration.").exclude(
        action="registration.open").order_by("pk").values_list("action", flat=True)) == [
        "registration.save", "registration.send"]


def test_save_and_send_with_nothing_chosen_stores_nothing(cast, client_for, window):
    client = client_for(cast.head_a)
    data = _page_data(client, cast.unit_a, {})

    response = client.post(_url("awards:registration", cast.unit_a), {**data, "send": "1"})

    assert response.status_code == 200
    assert "Chưa đăng ký gì" in response.content.decode()
    assert not UnitRegistration.objects.filter(status=RegistrationStatus.SENT).exists()
    assert not AuditEntry.objects.filter(action__startswith="registration.").exclude(
        action="registration.open").exists()


def test_everyone_shortcut_registers_those_not_registered_yet(cast, window):
    StaffMemberFactory.create_batch(3, unit=cast.unit_a)
    _register(cast, cast.unit_a, [cast.staff.staff_member], CSTDCS, window=window)

    services.set_everyone(unit=cast.unit_a, window=window, user=cast.head_a,
                          expected_version=_version(cast.unit_a), title=award(LDTT))

    titles = dict(StaffRegistration.objects.values_list("staff_id", "award__code"))
    assert titles[cast.staff.staff_member.pk] == CSTDCS  # kept
    assert len(titles) == StaffMember.objects.active().filter(unit=cast.unit_a).count()


def test_send_return_correct_and_accept(cast, window):
    _register(cast, cast.unit_a, [cast.staff.staff_member], window=window)
    services.send(unit=cast.unit_a, window=window, user=cast.head_a,
                  expected_version=_version(cast.unit_a), today=datetime.date(YEAR, 1, 20))
    services.return_registration(unit=cast.unit_a, window=window, user=cast.office,
                                 expected_version=_version(cast.unit_a),
                                 reason="Thiếu danh hiệu của hiệu trưởng")
    registration = UnitRegistration.objects.get()
    assert registration.status == RegistrationStatus.RETURNED
    _register(cast, cast.unit_a, [cast.head_a.staff_member], window=window)
    services.send(unit=cast.unit_a, window=window, user=cast.head_a,
                  expected_version=_version(cast.unit_a), today=datetime.date(YEAR, 1, 25))
    services.accept(unit=cast.unit_a, window=window, user=cast.office,
                    expected_version=_version(cast.unit_a))

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACCEPTED and not registration.late
    assert registration.people.count() == 2
    assert list(AuditEntry.objects.filter(action__startswith="registration.").order_by("pk")
                .values_list("action", flat=True)) == [
        "registration.open", "registration.save", "registration.send", "registration.return",
        "registration.save", "registration.send", "registration.accept"]
    returned = AuditEntry.objects.get(action="registration.return")
    assert returned.before == {"status": "sent"}
    assert returned.after == {"status": "returned", "reason": "Thiếu danh hiệu của hiệu trưởng"}


def test_a_late_registration_says_so_and_is_accepted_with_a_reason(cast, client_for, window):
    _register(cast, cast.unit_a, [cast.staff.staff_member], window=window)
    services.send(unit=cast.unit_a, window=window, user=cast.head_a,
                  expected_version=_version(cast.unit_a), today=datetime.date(YEAR, 2, 3))
    page = client_for(cast.office).get(_url("awards:registration", cast.unit_a))
    assert "sau hạn" in page.content.decode()

    services.accept(unit=cast.unit_a, window=window, user=cast.office,
                    expected_version=_version(cast.unit_a), reason="Trường vùng sâu, mất mạng")

    registration = UnitRegistration.objects.get()
    assert registration.late and registration.status == RegistrationStatus.ACCEPTED
    assert registration.late_reason == "Trường vùng sâu, mất mạng"


# Bad input stores nothing -------------------------------------------------------------------


def _stored():
    return (list(UnitRegistration.objects.values_list("status", "version", "late_reason",
                                                      "return_reason")),
            list(StaffRegistration.objects.values_list("staff_id", "award_id")),
            AuditEntry.objects.filter(action__startswith="registration.").count())


def _sent_late(cast, window):
    _register(cast, cast.unit_a, [cast.staff.staff_member], window=window)
    services.send(unit=cast.unit_a, window=window, user=cast.head_a,
                  expected_version=_version(cast.unit_a), today=datetime.date(YEAR, 3, 1))


def test_late_registration_without_a_reason_is_not_accepted(cast, client_for, window):
    _sent_late(cast, window)
    before = _stored()
    client = client_for(cast.office)
    client.cookies["django_language"] = "vi"

    response = client.post(_url("awards:registration_step", cast.unit_a),
                           {"step": "accept", "version": _version(cast.unit_a), "reason": " "},
                           follow=True)

    assert _stored() == before
    assert "Ghi rõ lý do" in response.content.decode()


def test_return_without_a_reason_stores_nothing(cast, window):
    _sent_late(cast, window)
    before = _stored()
    with pytest.raises(services.RegistrationError):
        services.return_registration(unit=cast.unit_a, window=window, user=cast.office,
                                     expected_version=_version(cast.unit_a), reason="  ")
    assert _stored() == before


def test_a_person_registered_twice_is_refused(cast, window):
    """After a transfer, the person registered by their old unit cannot be registered again."""
    moved = StaffMemberFactory(unit=cast.unit_b, full_name="Lý Thị Chuyển")
    _register(cast, cast.unit_b, [moved], window=window, user=cast.head_b)
    StaffMember.objects.filter(pk=moved.pk).update(unit=cast.unit_a)
    before = _stored()

    with translation.override("vi"), pytest.raises(services.RegistrationError) as refused:
        _register(cast, cast.unit_a, [moved], window=window)

    assert "Lý Thị Chuyển" in refused.value.message
    assert "đã được đơn vị khác đăng ký" in refused.value.message
    assert _stored() == before


def test_a_stale_page_is_refused_and_keeps_the_typing(cast, client_for, window):
    client = client_for(cast.head_a)
    stale = _page_data(client, cast.unit_a, {cast.staff.staff_member: award(CSTDCS)})
    # Someone else saves after the page was opened.
    _register(cast, cast.unit_a, [cast.staff.staff_member], LDTT, window=window)
    before = _stored()

    response = client.post(_url("awards:registration", cast.unit_a), stale)

    assert response.status_code == 200
    assert _stored() == before
    rows = {person.pk: value for person, _name, value in response.context["form"].rows()}
    assert rows[cast.staff.staff_member.pk] == str(award(CSTDCS).pk)
    assert f'<option value="{award(CSTDCS).pk}" selected>' in response.content.decode()


def test_a_sent_registration_cannot_be_changed(cast, window):
    _register(cast, cast.unit_a, [cast.staff.staff_member], window=window)
    services.send(unit=cast.unit_a, window=window, user=cast.head_a,
                  expected_version=_version(cast.unit_a), today=datetime.date(YEAR, 1, 2))
    before = _stored()
    with pytest.raises(services.RegistrationError):
        _register(cast, cast.unit_a, [cast.staff.staff_member], CSTDCS, window=window)
    assert _stored() == before


# The Excel import ---------------------------------------------------------------------------


def _workbook(rows):
    book = Workbook()
    sheet = book.active
    with translation.override("vi"):
        sheet.append([translation.gettext(header) for header in registration_imports.HEADERS])
    for row in rows:
        sheet.append(row)
    stream = BytesIO()
    book.save(stream)
    return SimpleUploadedFile("dang-ky.xlsx", stream.getvalue())


def test_template_lists_the_units_staff(cast, client_for, window):
    response = client_for(cast.head_a).get(_url("awards:registration_template", cast.unit_a))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    ids = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert cast.staff.staff_member.pk in ids and cast.head_b.staff_member.pk not in ids


def test_import_preview_lists_bad_rows_and_stores_nothing(cast, client_for, window):
    client = client_for(cast.head_a)
    client.cookies["django_language"] = "vi"
    upload = _workbook([[cast.staff.staff_member.pk, "", "", "Lao động tiên tiến"],
                        [cast.staff.staff_member.pk, "", "", "Lao động tiên tiến"],
                        [cast.head_b.staff_member.pk, "", "", "Lao động tiên tiến"],
                        [cast.head_a.staff_member.pk, "", "", "Anh hùng"]])

    response = client.post(_url("awards:registration_import", cast.unit_a), {"file": upload})

    assert response.status_code == 200
    assert response.context["confirm"] is None
    errors = " ".join(response.context["result"].errors)
    assert "Dòng 3" in errors and "Anh hùng" in errors
    assert cast.head_b.staff_member.full_name in errors
    assert not StaffRegistration.objects.exists()


def test_import_preview_then_confirm_writes_all(cast, client_for, window):
    client = client_for(cast.head_a)
    upload = _workbook([[cast.staff.staff_member.pk, "", "", "Chiến sĩ thi đua cơ sở"],
                        [cast.head_a.staff_member.pk, "", "", "lao động tiên tiến"]])
    preview = client.post(_url("awards:registration_import", cast.unit_a), {"file": upload})
    assert preview.context["counts"]["new"] == 2
    assert not StaffRegistration.objects.exists()

    token = preview.context["confirm"]["token"].value()
    done = client.post(_url("awards:registration_import", cast.unit_a), {"token": token})

    assert done.status_code == 302
    assert dict(StaffRegistration.objects.values_list("staff_id", "award__code")) == {
        cast.staff.staff_member.pk: CSTDCS, cast.head_a.staff_member.pk: LDTT}
    assert AuditEntry.objects.filter(action="registration.import").count() == 1


# Speed --------------------------------------------------------------------------------------


def test_the_page_keeps_its_query_count_at_30_and_300_people(cast, client_for, window):
    client = client_for(cast.head_a)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url("awards:registration", cast.unit_a)).status_code == 200
        return len(queries)

    count()  # the first visit with ?year= remembers the year: a write, once
    StaffMemberFactory.create_batch(28, unit=cast.unit_a)
    _register(cast, cast.unit_a, StaffMember.objects.filter(unit=cast.unit_a), window=window)
    few = count()
    StaffMemberFactory.create_batch(270, unit=cast.unit_a)
    _register(cast, cast.unit_a, StaffMember.objects.filter(unit=cast.unit_a), window=window)
    assert count() == few


# The "registered" condition -----------------------------------------------------------------


def _ldtt_verdict(staff, year=YEAR):
    period = LegalPeriod.objects.for_year(year)
    ldtt = award(LDTT)
    facts = Facts.load(year, unit_ids=[staff.unit_id])
    return verdict(ldtt, conditions_for(period, [ldtt]), facts, staff=staff)


def _good(staff, year=YEAR):
    StaffMember.objects.filter(pk=staff.pk).update(recruitment_date=datetime.date(2015, 1, 1))
    staff.refresh_from_db()
    YearRating.objects.create(staff=staff, year=year, rating=Rating.GOOD)
    return staff


def _registered_check(result):
    return next(c for c in result.checks if c.condition.predicate == "registered")


@pytest.mark.parametrize("year", [2022, YEAR])
def test_registered_is_a_condition_with_its_source_in_each_period(db, year):
    period = LegalPeriod.objects.for_year(year)
    found = conditions_for(period, [award(LDTT)])[award(LDTT).pk]
    registered = [c for group in found.values() for c in group if c.predicate == "registered"]
    assert registered and all(c.source for c in registered)


def test_a_year_without_registration_is_not_checked(cast):
    staff = _good(cast.staff.staff_member)
    with translation.override("vi"):
        result = _ldtt_verdict(staff)
    assert result.eligible
    assert "chưa mở đăng ký" in _registered_check(result).reason.lower()


def test_not_registered_is_not_eligible_once_registration_is_open(cast, window):
    staff = _good(cast.staff.staff_member)
    result = _ldtt_verdict(staff)
    assert not result.eligible
    assert not _registered_check(result).met


def test_registered_counts_only_once_accepted(cast, window):
    staff = _good(cast.staff.staff_member)
    _register(cast, cast.unit_a, [staff], CSTDCS, window=window)
    assert not _ldtt_verdict(staff).eligible
    services.send(unit=cast.unit_a, window=window, user=cast.head_a,
                  expected_version=_version(cast.unit_a), today=datetime.date(YEAR, 1, 2))
    services.accept(unit=cast.unit_a, window=window, user=cast.office,
                    expected_version=_version(cast.unit_a))
    # Aiming for CSTĐCS covers LĐTT.
    assert _ldtt_verdict(staff).eligible


def test_registered_for_a_lower_title_is_not_enough(cast, window):
    staff = _good(cast.staff.staff_member)
    _register(cast, cast.unit_a, [staff], LDTT, window=window)
    services.send(unit=cast.unit_a, window=window, user=cast.head_a,
                  expected_version=_version(cast.unit_a), today=datetime.date(YEAR, 1, 2))
    services.accept(unit=cast.unit_a, window=window, user=cast.office,
                    expected_version=_version(cast.unit_a))
    period = LegalPeriod.objects.for_year(YEAR)
    cstdcs = award(CSTDCS)
    facts = Facts.load(YEAR, unit_ids=[cast.unit_a.pk])
    check = _registered_check(verdict(cstdcs, conditions_for(period, [cstdcs]), facts,
                                      staff=staff))
    assert not check.met




@pytest.mark.parametrize("name", ["awards:registration_everyone", "awards:registration_step"])
def test_another_units_steps_are_404_and_store_nothing(cast, client_for, window, name):
    _register(cast, cast.unit_a, [cast.staff.staff_member], window=window)
    before = _stored()
    response = client_for(cast.head_b).post(
        _url(name, cast.unit_a), {"step": "send", "version": _version(cast.unit_a),
                                  "title": award(LDTT).pk})
    assert response.status_code == 404
    assert _stored() == before


def test_the_list_page_says_who_did_not_register(cast, client_for, window):
    from awards import services as award_services

    teacher = StaffMemberFactory(unit=cast.unit_a, full_name="Trịnh Văn Chưa")
    _register(cast, cast.unit_a, [cast.staff.staff_member], window=window)
    services.send(unit=cast.unit_a, window=window, user=cast.head_a,
                  expected_version=_version(cast.unit_a), today=datetime.date(YEAR, 1, 2))
    services.accept(unit=cast.unit_a, window=window, user=cast.office,
                    expected_version=_version(cast.unit_a))
    proposal = award_services.proposal_for(cast.unit_a, YEAR)
    client = client_for(cast.head_a)

    page = client.get(reverse("awards:proposal", args=[proposal.pk]))
    form = client.get(reverse("awards:nominee_add", args=[proposal.pk]))

    standing = page.context["registration"]
    assert standing["registered"] == 1 and teacher.full_name in standing["missing"]
    assert cast.staff.staff_member.full_name not in standing["missing"]
    assert "Trịnh Văn Chưa (chưa đăng ký)" in form.content.decode()


def test_the_overview_keeps_its_query_count(cast, client_for, window):
    from ..factories import UnitFactory

    client = client_for(cast.office)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("awards:registrations"), {"year": YEAR}).status_code == 200
        return len(queries)

    count()
    _register(cast, cast.unit_a, [cast.staff.staff_member], window=window)
    few = count()
    for index in range(10):
        unit = UnitFactory(name=f"Trường số {index}", code=f"so-{index}", parent=cast.unit_a.parent)
        head = StaffMemberFactory(unit=unit)
        services.save_registration(unit=unit, window=window, user=cast.head_a, expected_version=1,
                                   titles={head.pk: award(LDTT)})
    assert count() == few
