"""The organisation page and a unit's staff pages: what the Office does there, what each role
sees, and the staff list's search and constant query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from units.models import AuditEntry, Role, StaffMember, StaffTransfer, Unit

from ..factories import StaffMemberFactory


def test_office_merges_a_unit_from_the_page_and_both_pages_link_the_history(cast, client_for):
    client = client_for(cast.office)

    response = client.post(reverse("units:unit_merge", args=[cast.unit_a.pk]),
                           {"into": cast.unit_b.pk, "on": "01/07/2025", "note": "12/QĐ-UBND"})

    assert response.status_code == 302
    cast.unit_a.refresh_from_db()
    assert cast.unit_a.merged_into == cast.unit_b
    assert cast.unit_a.merged_on == datetime.date(2025, 7, 1)
    b_page = client.get(reverse("units:detail", args=[cast.unit_b.pk])).content.decode()
    a_page = client.get(reverse("units:detail", args=[cast.unit_a.pk])).content.decode()
    assert reverse("units:detail", args=[cast.unit_a.pk]) in b_page
    assert "Đã sáp nhập vào Trường THPT Đồng Xoài ngày 01/07/2025" in a_page
    assert StaffMember.objects.get(user=cast.staff).unit == cast.unit_b


def test_a_merged_units_page_leads_to_its_work_and_its_awards_stay_findable(cast, client_for):
    from awards.models import Award, Conferral
    Conferral.objects.create(award=Award.objects.get(code="tap-the-lao-dong-tien-tien"),
                             year=2022, unit=cast.unit_a, decision="122/QĐ-SGDĐT",
                             decided_on=datetime.date(2022, 12, 20))
    client = client_for(cast.director)
    client_for(cast.office).post(reverse("units:unit_merge", args=[cast.unit_a.pk]),
                                 {"into": cast.unit_b.pk, "on": "01/07/2025"})

    page = client.get(reverse("units:detail", args=[cast.unit_a.pk])).content.decode()
    history = f"{reverse('awards:history')}?unit={cast.unit_a.pk}"
    assert reverse("tasks:unit", args=[cast.unit_a.pk]) in page
    assert f"{reverse('awards:ratings')}?unit={cast.unit_a.pk}" in page
    assert history in page
    # The award history's unit filter still offers the merged unit, saying so, and finds
    # its 2022 award.
    found = client.get(history).content.decode()
    assert "Trường THPT Hùng Vương (đã sáp nhập vào Trường THPT Đồng Xoài)" in found
    assert "122/QĐ-SGDĐT" in found


def test_the_merge_page_says_what_becomes_of_the_heads_account(cast, client_for):
    page = client_for(cast.office).get(
        reverse("units:unit_merge", args=[cast.unit_a.pk])).content.decode()

    assert "Tài khoản trưởng đơn vị của Trường THPT Hùng Vương sẽ" in page
    assert "Ngô Thị Ánh (tài khoản head_a)" in page
    assert "Trưởng đơn vị của đơn vị này sẽ trở thành cán bộ" in page  # in the confirmation
    # A unit without a head says nothing of it.
    quiet = client_for(cast.office).get(
        reverse("units:unit_merge", args=[cast.union_unit.pk])).content.decode()
    assert "Tài khoản trưởng đơn vị" not in quiet


def test_namesake_units_are_told_apart_by_their_codes_in_the_merge_list(cast, client_for):
    twin = Unit.objects.create(code="thpt-dx-2", name=cast.unit_b.name, kind=cast.unit_b.kind,
                               parent=cast.root)

    page = client_for(cast.office).get(
        reverse("units:unit_merge", args=[cast.unit_a.pk])).content.decode()

    assert f">{cast.unit_b.name} ({cast.unit_b.code})</option>" in page
    assert f">{twin.name} (thpt-dx-2)</option>" in page
    assert f">{cast.office_unit.name}</option>" in page  # a name used once stays plain


def test_merging_a_unit_into_itself_from_the_page_is_refused_with_a_message(cast, client_for):
    # The form offers neither the unit nor its own units; a forged choice is refused.
    response = client_for(cast.admin).post(
        reverse("units:unit_merge", args=[cast.unit_a.pk]),
        {"into": cast.unit_a.pk, "on": "01/07/2025"})

    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    cast.unit_a.refresh_from_db()
    assert not cast.unit_a.is_merged


def test_office_adds_edits_transfers_and_deactivates_a_person(cast, client_for):
    client = client_for(cast.office)
    data = {"full_name": "  Nguye\u0302\u0303n Thị  Mai ", "staff_code": "", "date_of_birth":
            "15/03/1985", "gender": "female", "position": "Giáo viên",
            "category": "public_employee", "recruitment_date": "01/09/2010"}

    assert client.post(reverse("units:staff_create", args=[cast.unit_a.pk]),
                       data).status_code == 302
    person = StaffMember.objects.get(full_name="Nguyễn Thị Mai")  # trimmed and composed
    assert person.unit == cast.unit_a and person.staff_code is None
    client.post(reverse("units:staff_edit", args=[person.pk]),
                {**data, "staff_code": "HV-0042"})
    client.post(reverse("units:staff_transfer", args=[person.pk]),
                {"to_unit": cast.unit_b.pk, "on": "01/09/2025"})
    client.post(reverse("units:staff_deactivate", args=[person.pk]), {"on": "30/06/2026"})

    person.refresh_from_db()
    assert person.staff_code == "HV-0042"
    assert person.unit == cast.unit_b and not person.is_active
    assert StaffTransfer.objects.get(staff=person).from_unit == cast.unit_a
    assert list(AuditEntry.objects.filter(object_id=str(person.pk), action__startswith="staff.")
                .order_by("at", "pk").values_list("action", flat=True)) == [
        "staff.create", "staff.edit", "staff.transfer", "staff.deactivate"]


def test_a_staff_code_used_by_someone_else_is_refused(cast, client_for):
    StaffMemberFactory(unit=cast.unit_b, staff_code="HV-1")

    response = client_for(cast.office).post(
        reverse("units:staff_create", args=[cast.unit_a.pk]),
        {"full_name": "Lê Văn Tám", "staff_code": "hv-1", "category": "public_employee"})

    assert response.status_code == 200
    assert "HV-1" not in StaffMember.objects.filter(unit=cast.unit_a).values_list(
        "staff_code", flat=True)
    assert "mã cán bộ" in response.content.decode()


def test_dates_that_cannot_be_right_are_refused_field_by_field(cast, client_for):
    """A year typed wrong (recruited in 1975 for a person born in 1985, born after today) is
    refused on the field, and nothing is saved."""
    year = timezone.localdate().year
    born_later = f"15/03/{year + 1}"

    response = client_for(cast.office).post(
        reverse("units:staff_create", args=[cast.unit_a.pk]),
        {"full_name": "Lê Văn Tám", "staff_code": "", "date_of_birth": "15/03/1985",
         "category": "public_employee", "recruitment_date": "01/09/1975",
         "sector_start_date": f"01/09/{year + 3}"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "recruitment_date": ["Ngày này trước ngày sinh: hãy kiểm tra lại năm."],
        "sector_start_date": ["Ngày này sau hôm nay hơn một năm: hãy kiểm tra lại năm."]}
    assert not StaffMember.objects.filter(full_name="Lê Văn Tám").exists()

    response = client_for(cast.office).post(
        reverse("units:staff_create", args=[cast.unit_a.pk]),
        {"full_name": "Lê Văn Tám", "staff_code": "", "date_of_birth": born_later,
         "category": "public_employee"})
    assert response.context["form"].errors == {
        "date_of_birth": ["Ngày sinh sau ngày hôm nay: hãy kiểm tra lại năm."]}
    assert not StaffMember.objects.filter(full_name="Lê Văn Tám").exists()


def _record(person, **changes):
    data = {"full_name": person.full_name, "staff_code": person.staff_code or "",
            "date_of_birth": "", "gender": "", "position": person.position,
            "category": person.category, "recruitment_date": "", "email": person.email}
    return {**data, **changes}


def test_a_staff_address_edited_reaches_the_persons_account(cast, client_for):
    person = StaffMember.objects.get(user=cast.staff)

    response = client_for(cast.office).post(reverse("units:staff_edit", args=[person.pk]),
                                            _record(person, email=" Moi@Truong.edu.vn "))

    assert response.status_code == 302
    person.refresh_from_db()
    cast.staff.refresh_from_db()
    assert person.email == cast.staff.email == "moi@truong.edu.vn"
    line = AuditEntry.objects.filter(action="staff.edit", object_id=str(person.pk)).get()
    assert line.after["email"] == person.email


def test_an_address_of_another_active_person_is_refused(cast, client_for):
    StaffMemberFactory(unit=cast.unit_b, full_name="Lê Văn Kế", email="ke@truong.edu.vn")
    person = StaffMember.objects.get(user=cast.staff)

    response = client_for(cast.office).post(reverse("units:staff_edit", args=[person.pk]),
                                            _record(person, email="KE@truong.edu.vn"))

    assert response.status_code == 200
    assert "Lê Văn Kế đã có địa chỉ" in response.content.decode()
    person.refresh_from_db()
    assert person.email != "KE@truong.edu.vn"


def test_staff_search_finds_names_without_accents(cast, client_for):
    StaffMemberFactory(unit=cast.unit_a, full_name="Trần Thị Ngọc Ánh")

    html = client_for(cast.head_a).get(reverse("units:staff", args=[cast.unit_a.pk]),
                                       {"q": "ngoc anh"}).content.decode()

    assert "Trần Thị Ngọc Ánh" in html
    assert "Hồ Thị Cúc" not in html


@pytest.mark.django_db
def test_staff_list_query_count_does_not_grow_with_people(cast, client_for):
    client = client_for(cast.office)
    url = reverse("units:staff", args=[cast.unit_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    StaffMember.objects.bulk_create([StaffMember(full_name=f"Nguyễn Văn {i}", unit=cast.unit_a,
                                                 category="public_employee", role=Role.STAFF)
                                     for i in range(150)])
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_organisation_page_shows_merged_and_inactive_units(cast, client_for):
    Unit.objects.filter(pk=cast.unit_a.pk).update(merged_into=cast.unit_b,
                                                  merged_on=datetime.date(2025, 7, 1),
                                                  is_active=False)

    html = client_for(cast.admin).get(reverse("units:organisation")).content.decode()

    assert "đã sáp nhập vào Trường THPT Đồng Xoài ngày 01/07/2025" in html


def test_editing_a_record_without_an_address_keeps_the_accounts_own(cast, client_for):
    # An account made before staff records had addresses: the record has none yet.
    person = StaffMember.objects.get(user=cast.staff)
    cast.staff.email = "cuc@truong.edu.vn"
    cast.staff.save()

    client_for(cast.office).post(reverse("units:staff_edit", args=[person.pk]),
                                 _record(person, position="Tổ trưởng", email=""))

    cast.staff.refresh_from_db()
    assert StaffMember.objects.get(pk=person.pk).position == "Tổ trưởng"
    assert cast.staff.email == "cuc@truong.edu.vn"


def test_the_migration_gives_staff_records_their_accounts_addresses_once_each(cast):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("units.migrations.0010_staff_email")
    for user, email in ((cast.head_a, "Anh@Truong.edu.vn"), (cast.staff, "anh@truong.edu.vn"),
                        (cast.head_b, "binh@truong.edu.vn")):
        user.email = email
        user.save()

    migration.addresses_from_accounts(apps, None)

    emails = {p.user.username: p.email for p in StaffMember.objects.filter(
        user__in=[cast.head_a, cast.staff, cast.head_b]).select_related("user")}
    assert emails["head_b"] == "binh@truong.edu.vn"
    # One active person per address: the first keeps it, the second's account keeps its own.
    assert sorted([emails["head_a"], emails["canbo"]]) == ["", "anh@truong.edu.vn"]
