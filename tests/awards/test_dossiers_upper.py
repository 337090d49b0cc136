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
from awards.models import Conferral, Decision, Dossier, Nominee, SentNominee
from awards.services import WorkflowError
from units.models import AuditEntry

from ..factories import StaffMemberFactory
from ..helpers import ROLES
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


# --- Partial decisions and the refusal of the whole dossier -----------------------------------


def sent_ids(dossier):
    return {row.name: row.pk for row in SentNominee.objects.filter(dossier=dossier)}


def decide(dossier, cast, **more):
    dossier = fresh(dossier)
    return services.decide(dossier, number="2150/QĐ-UBND", decided_on=D(2023, 3, 1),
                           issuer="Chủ tịch UBND tỉnh", version=dossier.version,
                           user=cast.office, **more)


def test_a_partial_decision_confers_only_the_ticked_nominees(cast, cstd, people):
    ids = sent_ids(cstd)
    decide(cstd, cast, commended=[ids["Nguyễn Thị Lan"]],
           reasons={ids["Nguyễn Văn An"]: "Chưa đủ 3 năm CSTĐ cơ sở"})

    held = Conferral.objects.get(dossier=cstd)
    assert held.staff_id == people["lan"].staff_id
    assert Decision.objects.get(number="2150/QĐ-UBND").conferrals.count() == 1
    left = SentNominee.objects.get(pk=ids["Nguyễn Văn An"])
    assert (left.commended, left.upper_reason) == (False, "Chưa đủ 3 năm CSTĐ cơ sở")
    assert fresh(people["an"]).decision_id is None
    assert fresh(people["lan"]).decision_id is not None
    line = AuditEntry.objects.get(action="dossier.decide")
    assert line.after["not_commended"] == {str(people["an"].pk): "Chưa đủ 3 năm CSTĐ cơ sở"}
    assert "Nguyễn Văn An (Chưa đủ 3 năm CSTĐ cơ sở)" in fresh(cstd).events.last().note


def test_one_reason_serves_every_unticked_nominee(cast, cstd, people):
    ids = sent_ids(cstd)
    decide(cstd, cast, commended=[ids["Nguyễn Thị Lan"]], reasons={}, reason="Hết chỉ tiêu")
    assert SentNominee.objects.get(pk=ids["Nguyễn Văn An"]).upper_reason == "Hết chỉ tiêu"


def test_a_decision_with_no_one_ticked_is_refused_with_the_right_step(cast, cstd):
    with pytest.raises(WorkflowError, match="Cấp trên không khen thưởng"):
        decide(cstd, cast, commended=[], reason="Không đạt")
    assert fresh(cstd).status == "sent"
    assert not Decision.objects.exists() and not Conferral.objects.exists()
    assert not AuditEntry.objects.filter(action="dossier.decide").exists()


def test_an_unticked_nominee_without_a_reason_is_refused_and_stores_nothing(cast, cstd):
    ids = sent_ids(cstd)
    with pytest.raises(WorkflowError, match="Ghi lý do cấp trên không khen thưởng Nguyễn Văn An"):
        decide(cstd, cast, commended=[ids["Nguyễn Thị Lan"]], reasons={ids["Nguyễn Văn An"]: " "})
    assert fresh(cstd).status == "sent"
    assert not Decision.objects.exists() and not Conferral.objects.exists()
    assert set(SentNominee.objects.values_list("commended", flat=True)) == {None}


def test_the_upper_level_commending_no_one_closes_the_dossier(cast, cstd, people):
    services.refuse(fresh(cstd), reason="Không đủ tiêu chuẩn", version=fresh(cstd).version,
                    user=cast.office)

    dossier = fresh(cstd)
    assert (dossier.status, dossier.refusal_reason) == ("refused", "Không đủ tiêu chuẩn")
    assert not Conferral.objects.exists()
    line = AuditEntry.objects.get(action="dossier.refuse")
    assert (line.before["status"], line.after["status"]) == ("sent", "refused")
    assert [e.status for e in dossier.events.all()][-1] == "refused"
    with pytest.raises(WorkflowError, match="không thể rút hồ sơ"):
        services.recall(dossier, reason="Nhầm", version=dossier.version, user=cast.office)
    with pytest.raises(WorkflowError, match="khi hồ sơ đang ở cấp trên"):
        decide(dossier, cast)


def test_a_refusal_without_a_reason_is_refused(cast, cstd):
    with pytest.raises(WorkflowError, match="Ghi lý do cấp trên nêu"):
        services.refuse(fresh(cstd), reason=" ", version=fresh(cstd).version, user=cast.office)
    assert fresh(cstd).status == "sent"
    assert not AuditEntry.objects.filter(action="dossier.refuse").exists()


def post_decision(client, dossier, ticked, **reasons):
    data = {"decide-version": fresh(dossier).version, "decide-number": "2150/QĐ-UBND",
            "decide-decided_on": "01/03/2023", "decide-issuer": "Chủ tịch UBND tỉnh",
            "decide-commended": ticked, "decide-reason": reasons.pop("common", "")}
    data.update({f"decide-reason-{pk}": text for pk, text in reasons.items()})
    return client.post(reverse("awards:dossier_step", args=[dossier.pk, "decide"]), data)


def test_the_page_records_a_partial_decision_and_shows_who_was_left_out(cast, client_for,
                                                                        cstd):
    ids = sent_ids(cstd)
    office = client_for(cast.office)
    page = office.get(reverse("awards:dossier", args=[cstd.pk])).content.decode()
    assert f'value="{ids["Nguyễn Văn An"]}" id="commended-{ids["Nguyễn Văn An"]}" checked' in page

    response = post_decision(office, cstd, [ids["Nguyễn Thị Lan"]],
                             **{str(ids["Nguyễn Văn An"]): "Chưa đủ 3 năm"})

    assert response.status_code == 302
    page = office.get(reverse("awards:dossier", args=[cstd.pk])).content.decode()
    assert "Cấp trên không khen thưởng</span> Chưa đủ 3 năm" in page
    assert "1 người được đề nghị không được cấp trên khen thưởng" in page
    assert Conferral.objects.filter(dossier=cstd).count() == 1


def test_the_page_says_what_to_fix_when_an_unticked_nominee_has_no_reason(cast, client_for,
                                                                         cstd):
    ids = sent_ids(cstd)
    response = post_decision(client_for(cast.office), cstd, [ids["Nguyễn Thị Lan"]])

    assert response.status_code == 200
    text = response.content.decode()
    assert "Ghi lý do cấp trên không khen thưởng Nguyễn Văn An" in text
    # What was typed stays: the number, and the unticked box stays unticked.
    assert 'value="2150/QĐ-UBND"' in text
    assert f'id="commended-{ids["Nguyễn Văn An"]}">' in text
    assert not Conferral.objects.exists() and fresh(cstd).status == "sent"


def test_the_page_records_a_refusal(cast, client_for, cstd):
    response = client_for(cast.office).post(
        reverse("awards:dossier_step", args=[cstd.pk, "refuse"]),
        {"refuse-version": fresh(cstd).version, "refuse-reason": "Không đủ tiêu chuẩn"})
    assert response.status_code == 302 and fresh(cstd).status == "refused"


# --- The issuer's revocation recorded from the upper level -------------------------------------


@pytest.fixture
def upper(cast, cstd):
    """The province's decision 2150 on Lan and An (signed 01/03/2023)."""
    decide(cstd, cast)
    return Decision.objects.get(number="2150/QĐ-UBND")


SEPTEMBER = D(2023, 9, 1)


def revoke(decision, cast, number="310/QĐ-UBND", day=SEPTEMBER, reason="Khai man thành tích",
           **more):
    return services.revoke_upper(decision, number=number, revoked_on=day,
                                 issuer="Chủ tịch UBND tỉnh", reason=reason, user=cast.office,
                                 **more)


def test_revoking_some_awards_marks_them_with_the_reference(cast, upper, people):
    lan = Conferral.objects.get(staff=people["lan"].staff)
    revoke(upper, cast, conferral_ids=[lan.pk])

    lan.refresh_from_db()
    assert lan.revoked_at is not None
    assert lan.revoked_reason == ("Khai man thành tích (thu hồi theo Quyết định số 310/QĐ-UBND "
                                  "ngày 01/09/2023 của Chủ tịch UBND tỉnh)")
    assert Conferral.objects.get(staff=people["an"].staff).revoked_at is None
    assert fresh(upper).revoked_at is None  # An's award stands
    line = AuditEntry.objects.get(action="decision.revoke_upper")
    assert (line.before["conferrals"], line.after["number"], line.after["revoked"]) == (
        [lan.pk], "310/QĐ-UBND", False)
    assert "310/QĐ-UBND" in fresh(upper).dossier.events.last().note


def test_revoking_every_award_revokes_the_decision(cast, upper):
    revoke(upper, cast)
    assert not Conferral.objects.standing().filter(issued_by=upper).exists()
    assert fresh(upper).revoked_at is not None


@pytest.mark.parametrize(("more", "message"), [
    ({"reason": " "}, "Ghi lý do"),
    ({"number": "2150/qđ-ubnd"}, "đã được dùng"),
    ({"day": D(2023, 2, 1)}, "trước ngày"),
])
def test_a_bad_revocation_is_refused_and_stores_nothing(cast, upper, more, message):
    with pytest.raises(WorkflowError, match=message):
        revoke(upper, cast, **more)
    assert not Conferral.objects.filter(revoked_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="decision.revoke_upper").exists()


def test_a_revocation_number_used_before_is_refused(cast, upper, people):
    lan = Conferral.objects.get(staff=people["lan"].staff)
    revoke(upper, cast, conferral_ids=[lan.pk])
    an = Conferral.objects.get(staff=people["an"].staff)
    with pytest.raises(WorkflowError, match="đã được dùng"):
        revoke(upper, cast, conferral_ids=[an.pk])
    assert fresh(an).revoked_at is None


def test_a_department_decision_cannot_take_the_number_of_an_upper_revocation(cast, upper,
                                                                              people):
    from awards.services import issue_decision

    from .test_dossiers import award as award_of

    lan = Conferral.objects.get(staff=people["lan"].staff)
    revoke(upper, cast, number="310/QĐ-UBND", conferral_ids=[lan.pk])
    with pytest.raises(WorkflowError, match="310/QĐ-UBND"):
        issue_decision(award=award_of("lao-dong-tien-tien"), year=YEAR, number="310/qđ-ubnd",
                       signed_on=SEPTEMBER, signer_name="A", signer_title="GIÁM ĐỐC",
                       user=cast.office)
    assert not Decision.objects.filter(number="310/QĐ-UBND").exists()


def test_revoking_an_award_already_revoked_is_refused(cast, upper, people):
    lan = Conferral.objects.get(staff=people["lan"].staff)
    revoke(upper, cast, conferral_ids=[lan.pk])
    with pytest.raises(WorkflowError, match="Đã thu hồi: Nguyễn Thị Lan"):
        revoke(upper, cast, number="311/QĐ-UBND", conferral_ids=[lan.pk])
    assert fresh(upper).upper_revocations.count() == 1


def test_the_department_revokes_its_own_decisions_the_other_way(cast, people):
    from .test_dossiers import award as award_of

    own = Decision.objects.create(award=award_of("lao-dong-tien-tien"), year=YEAR,
                                  number="12/QĐ-SGDĐT", signed_on=D(2023, 1, 5),
                                  signer_name="A", signer_title="GIÁM ĐỐC",
                                  created_by=cast.office)
    with pytest.raises(WorkflowError, match="của Sở"):
        revoke(own, cast)


def test_the_office_records_a_revocation_on_the_decision_page(cast, client_for, upper, people):
    office = client_for(cast.office)
    page = office.get(reverse("awards:decision", args=[upper.pk])).content.decode()
    assert "Ghi nhận quyết định thu hồi của cơ quan ban hành" in page
    lan = Conferral.objects.get(staff=people["lan"].staff)

    response = office.post(reverse("awards:decision_revoke_upper", args=[upper.pk]), {
        "upper-number": "310/QĐ-UBND", "upper-revoked_on": "01/09/2023",
        "upper-issuer": "Chủ tịch UBND tỉnh", "upper-reason": "Khai man thành tích",
        "upper-conferrals": [lan.pk]})  # "every award" unticked: a form posts no "on"

    assert response.status_code == 302
    assert fresh(lan).revoked_at is not None
    history = office.get(reverse("awards:history") + f"?year={YEAR}").content.decode()
    assert "thu hồi theo Quyết định số 310/QĐ-UBND ngày 01/09/2023" in history
    page = office.get(reverse("awards:decision", args=[upper.pk])).content.decode()
    assert "Quyết định 310/QĐ-UBND ngày 01/09/2023" in page


def test_the_page_says_what_to_fix_for_a_revocation_dated_too_early(cast, client_for, upper):
    response = client_for(cast.office).post(
        reverse("awards:decision_revoke_upper", args=[upper.pk]), {
            "upper-number": "310/QĐ-UBND", "upper-revoked_on": "01/02/2023",
            "upper-issuer": "Chủ tịch UBND tỉnh", "upper-reason": "Khai man",
            "upper-everyone": "on"})
    assert response.status_code == 200
    assert "trước ngày" in response.content.decode()
    assert not Conferral.objects.filter(revoked_at__isnull=False).exists()


def test_the_page_refuses_every_award_and_some_ticked_together(cast, client_for, upper, people):
    lan = Conferral.objects.get(staff=people["lan"].staff)
    response = client_for(cast.office).post(
        reverse("awards:decision_revoke_upper", args=[upper.pk]), {
            "upper-number": "310/QĐ-UBND", "upper-revoked_on": "01/09/2023",
            "upper-issuer": "Chủ tịch UBND tỉnh", "upper-reason": "Khai man",
            "upper-everyone": "on", "upper-conferrals": [lan.pk]})
    assert response.status_code == 200
    assert "Bỏ đánh dấu “Thu hồi toàn bộ" in response.content.decode()
    assert not Conferral.objects.filter(revoked_at__isnull=False).exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_record_an_upper_revocation(cast, client_for, upper, role):
    response = client_for(cast.users()[role]).post(
        reverse("awards:decision_revoke_upper", args=[upper.pk]), {})
    # The Office (and the administrator) get the form back saying what is missing; unit
    # people reading the decision are refused; others do not see it.
    expected = {"office": 200, "admin": 200}.get(role)
    if expected:
        assert response.status_code == expected
    else:
        assert response.status_code in (403, 404)
    assert not AuditEntry.objects.filter(action="decision.revoke_upper").exists()


def test_the_migration_freezes_the_dossiers_already_sent_and_decided(cast, cstd, people):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("awards.migrations.0021_sent_nominees_and_upper_outcomes")
    decide(cstd, cast)
    draft = build("co-thi-dua-ubnd-tinh", cast)
    SentNominee.objects.all().delete()

    migration.freeze_sent(apps, None)

    frozen = SentNominee.objects.filter(dossier=cstd)
    assert sorted(frozen.values_list("name", "commended")) == [
        ("Nguyễn Thị Lan", True), ("Nguyễn Văn An", True)]
    assert not SentNominee.objects.filter(dossier=draft).exists()
