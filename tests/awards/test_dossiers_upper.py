"""What happens to a dossier once the upper level holds it: the nominees frozen as sent, the
upper level's partial decision or its refusal of the whole dossier, and the issuer's
revocation recorded by the Office."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import dossiers
from awards import services_dossier as services
from awards.documents.dossier import list_xlsx
from awards.models import Conferral, Dossier, Nominee, SentNominee
from units.models import AuditEntry

from ..factories import StaffMemberFactory
from .test_dossiers import (
    CSTD_TINH,
    FLAG,
    YEAR,
    D,
    build,
    fresh,
    initiative,
    nominee,
    send,
    sign_all,
)


@pytest.fixture
def people(cast):
    """Lan and An of unit A for CSTĐ cấp tỉnh, each with an initiative (as test_dossiers)."""
    lan = StaffMemberFactory(unit=cast.unit_a, full_name="Nguyễn Thị Lan",
                             position="Giáo viên Toán")
    an = StaffMemberFactory(unit=cast.unit_a, full_name="Nguyễn Văn An")
    initiative(lan)
    initiative(an)
    return {"lan": nominee(cast.unit_a, CSTD_TINH, lan, "Giáo viên dạy giỏi cấp tỉnh"),
            "an": nominee(cast.unit_a, CSTD_TINH, an), "flag": nominee(cast.unit_b, FLAG)}


@pytest.fixture
def cstd(cast, people):
    """The CSTĐ cấp tỉnh dossier of Lan and An, signed and sent."""
    dossier = build(CSTD_TINH, cast)
    sign_all(dossier, cast)
    return send(dossier, cast)


def names(dossier):
    return [row["name"] for row in dossiers.checklist(fresh(dossier)).nominees]


# --- Frozen when sent --------------------------------------------------------------------------


def test_sending_freezes_the_nominees_as_sent(cast, cstd, people):
    rows = list(SentNominee.objects.filter(dossier=cstd).order_by("order"))
    # In Vietnamese order: by given name.
    assert [(r.name, r.position, r.unit_name, r.nominee_id) for r in rows] == [
        ("Nguyễn Văn An", rows[0].position, "Trường THPT Hùng Vương", people["an"].pk),
        ("Nguyễn Thị Lan", "Giáo viên Toán", "Trường THPT Hùng Vương", people["lan"].pk)]
    assert AuditEntry.objects.get(action="dossier.send").after["nominees"] == [
        people["an"].pk, people["lan"].pk]


def test_a_list_changed_after_sending_leaves_the_sent_dossier_alone(cast, cstd, people):
    late = nominee(cast.unit_a, CSTD_TINH, StaffMemberFactory(unit=cast.unit_a,
                                                              full_name="Trần Văn Muộn"))
    people["lan"].staff.full_name = "Nguyễn Thị Lan Anh"
    people["lan"].staff.save()

    assert names(cstd) == ["Nguyễn Văn An", "Nguyễn Thị Lan"]
    assert b"Tr\xe1\xba\xa7n V\xc4\x83n Mu\xe1\xbb\x99n" not in list_xlsx(fresh(cstd))
    assert late.pk not in {row["pk"] for row in dossiers.checklist(fresh(cstd)).nominees}


def test_a_returned_dossier_reads_the_lists_and_names_what_changed(cast, client_for, cstd,
                                                                   people):
    nominee(cast.unit_a, CSTD_TINH, StaffMemberFactory(unit=cast.unit_a,
                                                       full_name="Trần Văn Muộn"))
    Nominee.objects.filter(pk=people["an"].pk).update(passed=False)
    services.return_(fresh(cstd), reason="Bổ sung", parts=["report"],
                     version=fresh(cstd).version, user=cast.office)

    assert names(cstd) == ["Nguyễn Thị Lan", "Trần Văn Muộn"]
    page = client_for(cast.office).get(reverse("awards:dossier", args=[cstd.pk]))
    assert "Từ khi gửi: đã thêm Trần Văn Muộn; đã bỏ Nguyễn Văn An." in page.content.decode()


def test_sending_again_freezes_the_lists_anew(cast, cstd, people):
    services.return_(fresh(cstd), reason="Bổ sung", parts=["report"],
                     version=fresh(cstd).version, user=cast.office)
    Nominee.objects.filter(pk=people["an"].pk).update(passed=False)
    send(cstd, cast, number="140/TTr-SGDĐT", day=D(2023, 1, 20))

    assert list(SentNominee.objects.filter(dossier=cstd).values_list("name", flat=True)) == [
        "Nguyễn Thị Lan"]
    assert AuditEntry.objects.get(action="dossier.resend").before["nominees"] == [
        people["an"].pk, people["lan"].pk]


def test_checklist_of_a_sent_dossier_costs_the_same_queries_for_2_and_40(cast, people):
    dossier = build(CSTD_TINH, cast)
    for _n in range(38):
        nominee(cast.unit_b, CSTD_TINH, StaffMemberFactory(unit=cast.unit_b))
    sign_all(dossier, cast)
    Dossier.objects.filter(pk=dossier.pk).update(status="sent")
    dossiers.freeze(dossier, dossiers.checklist(fresh(dossier)).nominees[:2])
    with CaptureQueriesContext(connection) as small:
        dossiers.checklist(fresh(dossier))
    dossiers.freeze(dossier, dossiers.nominee_rows(dossier.award_id, YEAR))
    dossier = Dossier.objects.select_related("award").get(pk=dossier.pk)
    with CaptureQueriesContext(connection) as large:
        found = dossiers.checklist(dossier)

    assert len(found.nominees) == 40
    assert len(large) == len(small) - 1 <= 5  # the first read also fetched the award


def test_the_decision_confers_only_the_nominees_as_sent(cast, cstd, people):
    nominee(cast.unit_a, CSTD_TINH, StaffMemberFactory(unit=cast.unit_a))
    services.decide(fresh(cstd), number="2150/QĐ-UBND", decided_on=D(2023, 3, 1),
                    issuer="Chủ tịch UBND tỉnh", version=fresh(cstd).version, user=cast.office)

    held = Conferral.objects.filter(dossier=cstd)
    assert sorted(held.values_list("staff__full_name", flat=True)) == [
        "Nguyễn Thị Lan", "Nguyễn Văn An"]
