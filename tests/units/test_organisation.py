"""Changes of the organisation (units/organisation.py): create, rename, move, deactivate, merge;
the history of a merged unit reads as before the merge."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from awards.models import Award, Conferral, Rating, YearRating
from scoring import services as scoring_services
from scoring.exports import ranking_rows
from tasks.imports import assignable_units
from units import organisation
from units.models import (
    AuditEntry,
    Role,
    StaffMember,
    StaffTransfer,
    Unit,
    UnitChange,
    UnitChangeKind,
    UnitKind,
)

from ..factories import StaffMemberFactory, UnitFactory
from ..scoring.conftest import scored  # noqa: F401 (a fixture)

MERGED_ON = datetime.date(2025, 7, 1)
END_OF_2022 = datetime.date(2022, 12, 31)


def test_rename_keeps_the_old_name_in_the_history_and_the_trail(cast):
    organisation.rename_unit(unit=cast.unit_a, user=cast.office, name="Trường THPT Hùng Vương mới",
                             short_name="THPT HV", on=datetime.date(2025, 9, 1), note="Số 12/QĐ")

    change = UnitChange.objects.get(unit=cast.unit_a)
    line = AuditEntry.objects.get(action="unit.rename")
    assert change.kind == UnitChangeKind.RENAME
    assert change.before["name"] == "Trường THPT Hùng Vương"
    assert change.effective_on == datetime.date(2025, 9, 1)
    assert line.after["name"] == "Trường THPT Hùng Vương mới"
    assert line.after["effective_on"] == "2025-09-01"


def test_create_and_move_a_unit_write_history(cast):
    unit = organisation.create_unit(user=cast.admin, name="Trường THCS Tân Phú", code="thcs-tp",
                                    kind=UnitKind.SCHOOL, parent=cast.root,
                                    on=datetime.date(2025, 8, 1))
    organisation.move_unit(unit=unit, user=cast.admin, parent=cast.unit_b,
                           on=datetime.date(2025, 9, 1))

    unit.refresh_from_db()
    assert unit.parent == cast.unit_b
    assert list(unit.changes.values_list("kind", flat=True)) == ["move", "create"]
    assert {"unit.create", "unit.move"} <= set(AuditEntry.objects.values_list("action", flat=True))


def test_move_under_its_own_unit_is_refused(cast):
    child = UnitFactory(parent=cast.unit_a)
    grandchild = UnitFactory(parent=child)

    with pytest.raises(ValidationError):
        organisation.move_unit(unit=cast.unit_a, user=cast.office, parent=grandchild,
                               on=MERGED_ON)
    with pytest.raises(ValidationError):
        organisation.move_unit(unit=cast.unit_a, user=cast.office, parent=cast.unit_a,
                               on=MERGED_ON)
    cast.unit_a.refresh_from_db()
    assert cast.unit_a.parent == cast.root
    assert not UnitChange.objects.exists()


def test_merge_into_itself_or_its_own_unit_is_refused(cast):
    child = UnitFactory(parent=cast.unit_a)

    with pytest.raises(ValidationError):
        organisation.merge_unit(unit=cast.unit_a, into=cast.unit_a, user=cast.office,
                                on=MERGED_ON)
    with pytest.raises(ValidationError):
        organisation.merge_unit(unit=cast.unit_a, into=child, user=cast.office, on=MERGED_ON)
    with pytest.raises(ValidationError):
        organisation.merge_unit(unit=cast.root, into=cast.unit_a, user=cast.office, on=MERGED_ON)
    cast.unit_a.refresh_from_db()
    assert cast.unit_a.is_active and not cast.unit_a.is_merged
    assert not StaffTransfer.objects.exists()


def test_deactivating_a_unit_with_active_staff_is_refused(cast):
    with pytest.raises(ValidationError):
        organisation.deactivate_unit(unit=cast.unit_a, user=cast.office, on=MERGED_ON)

    empty = UnitFactory(parent=cast.root)
    organisation.deactivate_unit(unit=empty, user=cast.office, on=MERGED_ON)
    empty.refresh_from_db()
    assert (empty.is_active, empty.inactive_since) == (False, MERGED_ON)
    assert empty not in Unit.objects.assignable()


def test_merge_moves_active_staff_and_units_and_stops_new_assignments(cast):
    left = StaffMemberFactory(unit=cast.unit_a, is_active=False)
    child = UnitFactory(parent=cast.unit_a)
    moving = list(StaffMember.objects.active().filter(unit=cast.unit_a))

    organisation.merge_unit(unit=cast.unit_a, into=cast.unit_b, user=cast.office, on=MERGED_ON)

    cast.unit_a.refresh_from_db()
    child.refresh_from_db()
    assert cast.unit_a.merged_into == cast.unit_b and cast.unit_a.merged_on == MERGED_ON
    assert not cast.unit_a.is_active
    assert set(StaffMember.objects.filter(unit=cast.unit_b)) >= set(moving)
    assert StaffMember.objects.get(pk=left.pk).unit == cast.unit_a  # who had left stays
    assert StaffTransfer.objects.filter(by_merge=True, on=MERGED_ON).count() == len(moving)
    # A's head heads nothing in B until named.
    assert StaffMember.objects.get(user=cast.head_a).role == Role.STAFF
    assert child.parent == cast.unit_b
    assert cast.unit_a not in Unit.objects.assignable()
    assert cast.unit_a not in assignable_units()
    assert list(Unit.objects.merged_into_unit(cast.unit_b)) == [cast.unit_a]
    line = AuditEntry.objects.get(action="unit.merge")
    assert line.after["merged_into"] == cast.unit_b.pk
    assert sorted(line.after["staff"]) == sorted(person.pk for person in moving)


def test_merge_leaves_the_2022_ranking_ratings_and_awards_as_they_were(cast, scored):  # noqa: F811
    round_ = scoring_services.open_first_round(scheme=scored.scheme,
                                               deadline=datetime.date(2099, 12, 31),
                                               user=cast.office)
    teacher = StaffMember.objects.get(user=cast.staff)
    YearRating.objects.create(staff=teacher, year=2022, rating=Rating.EXCELLENT)
    Conferral.objects.create(award=Award.objects.get(code="lao-dong-tien-tien"), year=2022,
                             staff=teacher, unit=cast.unit_a, decision="122/QĐ-SGDĐT",
                             decided_on=datetime.date(2022, 12, 20))
    Conferral.objects.create(award=Award.objects.get(code="tap-the-lao-dong-tien-tien"),
                             year=2022, unit=cast.unit_a, decision="122/QĐ-SGDĐT",
                             decided_on=datetime.date(2022, 12, 20))
    ranking = list(ranking_rows(round_))
    awards = list(Conferral.objects.order_by("pk").values_list("unit", "staff", "award", "year"))
    people_2022 = set(StaffMember.objects.in_unit_on(cast.unit_a, END_OF_2022))

    organisation.merge_unit(unit=cast.unit_a, into=cast.unit_b, user=cast.office, on=MERGED_ON)
    scoring_services.recompute(scheme=scored.scheme, user=cast.office)

    assert list(ranking_rows(round_)) == ranking
    assert ranking[0][1] == "Trường THPT Hùng Vương"  # A still ranked, under its own name
    assert list(Conferral.objects.order_by("pk").values_list(
        "unit", "staff", "award", "year")) == awards
    # The person's rating follows them; for 2022 they still count in A, from 2025 in B.
    assert YearRating.objects.get(staff=teacher, year=2022).rating == Rating.EXCELLENT
    assert set(StaffMember.objects.in_unit_on(cast.unit_a, END_OF_2022)) == people_2022
    assert teacher in people_2022
    assert teacher not in StaffMember.objects.in_unit_on(cast.unit_b, END_OF_2022)
    assert teacher in StaffMember.objects.in_unit_on(cast.unit_b, MERGED_ON)


def test_after_a_merge_the_head_of_a_is_ordinary_staff_of_b_and_leads_nothing(cast):
    from units.access import viewer_for

    head = StaffMember.objects.get(user=cast.head_a)
    delegate = StaffMember.objects.get(user=cast.staff)
    delegate.reports_for_unit = True
    delegate.save()

    organisation.merge_unit(unit=cast.unit_a, into=cast.unit_b, user=cast.office, on=MERGED_ON)

    head.refresh_from_db()
    delegate.refresh_from_db()
    cast.head_a.refresh_from_db()
    assert head.unit == cast.unit_b and head.role == Role.STAFF
    assert cast.head_a.is_active  # the account still signs in
    viewer = viewer_for(cast.head_a)
    assert viewer.can_see_unit(cast.unit_b)  # as B's staff do
    assert not viewer.heads(cast.unit_b.pk) and not viewer.reports_for(cast.unit_b.pk)
    assert not viewer.heads(cast.unit_a.pk)
    # Reporting for A was A's head's delegation: it gives no right over B's reports.
    assert not delegate.reports_for_unit
    assert not viewer_for(cast.staff).reports_for(cast.unit_b.pk)
    # B's own head is untouched.
    assert StaffMember.objects.get(user=cast.head_b).role == Role.UNIT_HEAD
    line = AuditEntry.objects.get(action="unit.merge")
    assert sorted(line.after["demoted"]) == sorted([head.pk, delegate.pk])


def test_a_transferred_head_leads_nothing_in_the_new_unit_and_the_trail_says_so(cast):
    head = StaffMember.objects.get(user=cast.head_a)

    organisation.transfer_staff(person=head, to_unit=cast.unit_b, user=cast.office,
                                on=MERGED_ON)

    line = AuditEntry.objects.get(action="staff.transfer")
    assert line.before["role"] == Role.UNIT_HEAD and line.after["role"] == Role.STAFF


def test_a_transfer_keeps_the_past_unit_of_the_person(cast):
    person = StaffMemberFactory(unit=cast.unit_a)

    organisation.transfer_staff(person=person, to_unit=cast.unit_b, user=cast.office,
                                on=datetime.date(2024, 9, 1))
    organisation.transfer_staff(person=person, to_unit=cast.office_unit, user=cast.office,
                                on=datetime.date(2025, 9, 1))

    def unit_on(day):
        return StaffMember.objects.with_unit_on(day).get(pk=person.pk).unit_then

    assert unit_on(datetime.date(2023, 12, 31)) == cast.unit_a.pk
    assert unit_on(datetime.date(2024, 12, 31)) == cast.unit_b.pk
    assert unit_on(datetime.date(2025, 12, 31)) == cast.office_unit.pk
    assert AuditEntry.objects.filter(action="staff.transfer").count() == 2
    with pytest.raises(ValidationError):  # earlier than the last transfer
        organisation.transfer_staff(person=person, to_unit=cast.unit_a, user=cast.office,
                                    on=datetime.date(2025, 1, 1))


def test_deactivated_staff_keep_their_day_of_leaving(cast):
    person = StaffMemberFactory(unit=cast.unit_a)

    organisation.deactivate_staff(person=person, user=cast.office, on=datetime.date(2025, 6, 30))

    person.refresh_from_db()
    assert (person.is_active, person.left_on) == (False, datetime.date(2025, 6, 30))
    assert AuditEntry.objects.get(action="staff.deactivate").target == person


@pytest.mark.django_db
def test_staff_search_ignores_accents_case_and_unicode_form(cast):
    decomposed = "Nguye\u0302\u0303n Va\u0306n A\u0302\u0301n"  # NFD of "Nguyễn Văn Ấn"
    person = StaffMemberFactory(unit=cast.unit_a, full_name=decomposed, staff_code="HV-001")
    StaffMember.objects.bulk_create([StaffMember(full_name="Đặng Thị Đào", unit=cast.unit_a,
                                                 category="worker")])

    assert list(StaffMember.objects.search("nguyen van an")) == [person]
    assert list(StaffMember.objects.search("NGUYỄN VĂN ẤN")) == [person]
    assert list(StaffMember.objects.search("hv-001")) == [person]
    assert StaffMember.objects.search("dang thi dao").get().full_name == "Đặng Thị Đào"
