"""The audit trail reads as people write: every action, key and value in Vietnamese — objects by
their names, statuses by their labels, dates dd/mm/yyyy — and never raw JSON with ids.

One world records a line of every kind of action the code records (each done the way the portal
does it: a page, or the service the page calls), then the trail's page and its Excel export are
read as a director reads them.
"""

import datetime
import io
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook

from awards import bonus, services_bonus, services_certificate, services_word
from awards import ratings as award_ratings
from awards import registration_services as registration
from awards import services as award_services
from awards import services_dossier as dossier_services
from awards import services_special as special_services
from awards import services_unit_dossier as unit_dossier_services
from awards.models import Award, CertificateLayout, Condition, Nominee, Rating
from awards.models_bonus import FundIncome, IncomeCorrection
from awards.models_certificate import DEFAULT_FIELDS
from awards.services_signing import sign_decision
from awards.signing import Pkcs12Backend
from campaigns import services as campaign_services
from campaigns.models import Dissemination
from core.audit.display import ACTIONS, describe
from core.audit.trail import record
from core.uploads import check_evidence
from scoring import services as scoring_services
from tasks import imports
from tasks import services as task_services
from tasks.models import ProgressReport
from units import accounts, invitations, organisation, organisation_import, staff_import
from units.forms_organisation import StaffForm
from units.models import (
    AuditEntry,
    Department,
    EarlierIdentity,
    LoginLockout,
    OutgoingDocument,
    StaffMember,
    UnitKind,
)

from ..awards import test_dossiers as dossier_helpers
from ..awards.signing_keys import PASSWORD as KEY_PASSWORD
from ..awards.signing_keys import make_keys
from ..awards.test_proposals import (
    LDTT,
    award,
    nominate,
    rated,
    step,
    to_notice,
    vote_and_approve,
)
from ..factories import StaffMemberFactory, UserFactory, plan, send_list
from ..scoring.test_clusters import World as ClustersWorld
from ..tasks.test_excel import _filled
from ..units.test_organisation_import import workbook as units_workbook
from ..units.test_staff_import import workbook as staff_workbook
from .formdata import form_data

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
DEADLINE = datetime.date(2099, 12, 31)
AUDIT = reverse("units:audit")


def _resubmit(client, url, **changes):
    """Post a page's own form back as a browser would, with `changes` typed in."""
    data = form_data(client.get(url).content.decode(), url)
    data.update({key: [value] if isinstance(value, str) else value
                 for key, value in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.content.decode()[:3000])
    return response


def _evidence(name="bien-ban.pdf"):
    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    return check_evidence(upload), upload


@pytest.fixture
def every_line(cast, client_for, work, scored, task2, password, tmp_path):
    """A line of every action the portal records, each made as the portal makes it."""
    office, head, director = (client_for(cast.office), client_for(cast.head_a),
                              client_for(cast.director))
    # Signing in and out, a failed sign-in, a refusal.
    anonymous = client_for(None)
    anonymous.post(reverse("login"), {"username": "head_a", "password": password})
    anonymous.post(reverse("logout"))
    anonymous.post(reverse("login"), {"username": "head_a", "password": "sai"})
    head.get(reverse("campaigns:create"))
    # (Written first, so the newest lines the page-size tests look at stay as they were.)
    # Dossiers sent upward: built, a file added and removed, sent, returned, sent again and
    # decided; another sent and recalled.
    for code in ("co-thi-dua-ubnd-tinh", "bang-khen-chu-tich-ubnd-tinh-tap-the",
                 "tap-the-lao-dong-xuat-sac"):
        dossier_helpers.nominee(cast.unit_b, code, year=2021)
    flag = dossier_helpers.build("co-thi-dua-ubnd-tinh", cast, year=2021)
    extra_file = dossier_services.attach(flag, part="other", nominee_id=None, user=cast.office,
                                         **dossier_helpers.upload("cong-van.pdf"))
    dossier_services.detach(extra_file, user=cast.office)
    dossier_helpers.sign_all(flag, cast)
    dossier_helpers.send(flag, cast)
    flag.refresh_from_db()
    dossier_services.return_(flag, reason="Thiếu dấu", parts=["report"], version=flag.version,
                             user=cast.office)
    dossier_helpers.send(flag, cast, number="140/TTr-SGDĐT")
    dossier_helpers.decide(flag, cast)
    # The province revokes its decision (recorded by the Office); another level commends no
    # one of a third dossier.
    dossier_services.revoke_upper(flag.upper_decision, number="310/QĐ-UBND",
                                  revoked_on=datetime.date(2023, 9, 1), issuer="UBND tỉnh",
                                  reason="Khai man", user=cast.office)
    ttld = dossier_helpers.build("tap-the-lao-dong-xuat-sac", cast, year=2021)
    dossier_helpers.sign_all(ttld, cast)
    ttld = dossier_helpers.send(ttld, cast, number="142/TTr-SGDĐT")
    dossier_services.refuse(ttld, reason="Không đủ tiêu chuẩn", version=ttld.version,
                            user=cast.office)
    bk = dossier_helpers.build("bang-khen-chu-tich-ubnd-tinh-tap-the", cast, year=2021)
    dossier_helpers.sign_all(bk, cast)
    bk = dossier_helpers.send(bk, cast, number="141/TTr-SGDĐT")
    dossier_services.recall(bk, reason="Bổ sung thành tích", version=bk.version,
                            user=cast.office)
    # Accounts (the admin's actions, recorded by units/admin.py and units/signals.py).
    record(actor=cast.admin, action="password_set_by_admin", target=cast.staff)
    lockout = LoginLockout.objects.create(username="canbo", ip_address="203.0.113.9",
                                          failures_since_start=5,
                                          attempt_time=datetime.datetime.now(datetime.UTC))
    record(actor=cast.admin, action="login_unlock", target=lockout,
           before={"username": "canbo", "ip_address": "203.0.113.9", "failures": 5})
    record(actor=None, action="auth.locked_out",
           after={"username": "canbo", "ip_address": "203.0.113.9", "user_agent": "Firefox"})
    anonymous.post(reverse("login"), {"username": "x" * 300, "password": "sai"})
    # Accounts in the portal (units/invitations.py, units/accounts.py): create and invite,
    # deactivate, a forgotten password asked for and reset.
    newcomer = StaffMemberFactory(unit=cast.unit_b, full_name="Lý Thị Đào", user=None)
    (_person, invited, _link), = invitations.create_accounts(
        actor=cast.admin, role="staff", rows=[(newcomer, "daolt", "dao@truong.edu.vn")],
        show_links=True)
    invitations.deactivate(user=invited, actor=cast.admin)
    anonymous.post(reverse("password_reset"), {"email": "khong-ai@truong.edu.vn"})
    accounts.password_reset_by_owner(cast.head_b)
    # Organisation and registers.
    head.post(reverse("units:toggle_reporting", args=[cast.staff.staff_member.pk]))
    author = StaffMemberFactory(unit=cast.unit_a, full_name="Đoàn Văn Ước")
    office.post(reverse("units:initiative_create"), {
        "title": "Ứng dụng Google Forms", "unit": str(cast.unit_a.pk), "authors": [str(author.pk)],
        "level": "grassroots", "year": "2022", "decision": "215/QĐ-SGDĐT",
        "decided_on": "15/06/2022", "version": ""})
    office.post(reverse("units:violation_create"), {
        "unit": str(cast.unit_a.pk), "kind": "discipline", "occurred_on": "17/10/2022",
        "description": "Dạy thêm có thu tiền.", "staff": str(author.pk),
        "discipline_level": "reprimand", "decision": "52/QĐ-THPTHV", "version": ""})
    # The department's identity: entered on an empty database, then changed.
    identity_url = reverse("units:department")
    admin = client_for(cast.admin)
    Department.objects.all().delete()
    identity = {"name": "Sở Giáo dục và Đào tạo tỉnh Một", "short_name": "Sở GD&ĐT Một",
                "parent_agency": "UBND TỈNH MỘT", "issuing_name": "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
                "place": "Một", "director_title": "GIÁM ĐỐC", "deputy_title": "PHÓ GIÁM ĐỐC",
                "version": "1"}
    assert admin.post(identity_url, identity).status_code == 302
    assert admin.post(identity_url, {**identity, "place": "Hai"}).status_code == 302
    # Its earlier names (before a merger): entered, changed, removed.
    earlier = {"until": "30/06/2025", "name": "Sở Giáo dục và Đào tạo tỉnh Cũ",
               "short_name": "Sở GD&ĐT Cũ", "parent_agency": "UBND TỈNH CŨ",
               "issuing_name": "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "place": "Cũ"}
    assert admin.post(reverse("units:earlier_identity_create"), earlier).status_code == 302
    old_names = EarlierIdentity.objects.get()
    assert admin.post(reverse("units:earlier_identity", args=[old_names.pk]),
                      {**earlier, "place": "Xưa", "version": "1"}).status_code == 302
    assert admin.post(reverse("units:earlier_identity_remove",
                              args=[old_names.pk])).status_code == 302
    # The register of outgoing documents: a letter registered by hand, then cancelled.
    assert office.post(reverse("awards:register_new"), {
        "kind": "CV", "issued_on": "02/03/2026", "subject": "V/v nộp hồ sơ thi đua",
        "signer_name": "Trần Văn Giám", "office": "VP"}).status_code == 302
    letter = OutgoingDocument.objects.get(subject="V/v nộp hồ sơ thi đua")
    assert office.post(reverse("awards:register_cancel", args=[letter.pk]),
                       {"reason": "Gửi nhầm"}).status_code == 302
    # The organisation and its people (units/organisation.py and the two Excel imports).
    day = datetime.date(2025, 7, 1)
    kept, closed, merged = (
        organisation.create_unit(user=cast.office, name=name, code=code, kind=UnitKind.SCHOOL,
                                 parent=cast.root, on=day)
        for name, code in [("Trường THCS Một", "thcs-mot"), ("Trường THCS Hai", "thcs-hai"),
                           ("Trường THCS Ba", "thcs-ba")])
    organisation.rename_unit(unit=kept, user=cast.office, name="Trường THCS Một Mới",
                             short_name="", on=day)
    organisation.move_unit(unit=kept, user=cast.office, parent=cast.unit_b, on=day)
    organisation.deactivate_unit(unit=closed, user=cast.office, on=day)
    organisation.merge_unit(unit=merged, into=kept, user=cast.office, on=day)
    staff = {"full_name": "Hà Văn Sơn", "staff_code": "MS-01", "date_of_birth": "04/01/1980",
             "gender": "male", "position": "Giáo viên", "category": "public_employee",
             "recruitment_date": "01/09/2005"}
    form = StaffForm(staff, instance=StaffMember())
    assert form.is_valid(), form.errors
    person = organisation.save_staff(form=form, user=cast.office, unit=kept)
    form = StaffForm({**staff, "position": "Tổ trưởng"}, instance=person)
    assert form.is_valid(), form.errors
    organisation.save_staff(form=form, user=cast.office)
    organisation.transfer_staff(person=person, to_unit=cast.unit_a, user=cast.office, on=day)
    organisation.deactivate_staff(person=person, user=cast.office, on=day)
    organisation_import.write(organisation_import.parse(units_workbook([
        ["thcs-bon", "Trường THCS Bốn", "Trường học", cast.root.code],
        [kept.code, kept.name, "Trung tâm", cast.unit_b.code]])), user=cast.office)
    staff_import.write(staff_import.parse(staff_workbook([
        ["Lò Thị Mai", "02/03/1991", "Nữ", cast.unit_a.code, "Giáo viên", "Viên chức",
         "01/09/2015", "MS-02"]])), user=cast.office)
    initiative = AuditEntry.objects.get(action="initiative.create").target
    violation = AuditEntry.objects.get(action="violation.create").target
    _resubmit(office, reverse("units:initiative_edit", args=[initiative.pk]), level="province")
    _resubmit(office, reverse("units:violation_edit", args=[violation.pk]),
              occurred_on="18/10/2022")
    # Plans: create (from the page), edit, copy, launch, close; dissemination.
    edit = reverse("campaigns:edit", args=[plan(units=[cast.unit_a]).pk])
    _resubmit(office, edit, title="Thi đua đổi mới")
    created = form_data(office.get(edit).content.decode(), edit)
    created = {key: value for key, value in created.items()
               if not key.endswith(("-id", "-campaign"))}  # rows of the plan it was read from
    created.update({key: ["0"] for key in created if key.endswith("INITIAL_FORMS")})
    created["number"] = ["99"]
    assert office.post(reverse("campaigns:create"), created).status_code == 302
    copy = campaign_services.copy_to_year(source=work.campaign, year=2023, number="7",
                                          user=cast.office)
    closing = plan(units=[cast.unit_b])
    campaign_services.launch(campaign=closing, user=cast.office)
    campaign_services.close(campaign=closing, user=cast.office)
    dissemination = Dissemination.objects.get(campaign=work.campaign, unit=cast.unit_a)
    _resubmit(head, reverse("campaigns:confirm", args=[dissemination.pk]),
              disseminated_on=timezone.localdate().strftime("%d/%m/%Y"), staff_reached="58",
              note="Họp hội đồng")
    # Tasks: create, edit, assign, a unit's own terms, the import.
    _resubmit(office, reverse("tasks:edit", args=[work.task.pk]), deadline="30/12/2022",
              target_value="95")
    new_task = form_data(office.get(reverse("tasks:edit", args=[work.task.pk])).content.decode(),
                         reverse("tasks:edit", args=[work.task.pk]))
    new_task["title"] = ["Số hóa hồ sơ"]
    assert office.post(reverse("tasks:create", args=[work.task.item_id]),
                       new_task).status_code == 302
    _resubmit(office, reverse("tasks:assignment_terms", args=[work.assignment_a.pk]),
              target_value="90", deadline="15/12/2022")
    imports.apply(imports.parse(work.campaign, _filled(work.campaign, [
        (task2.pk, "", "a", "", 40, datetime.datetime(2022, 11, 30)),
        (work.task.pk, "", "b", "", "80,5", "15/12/2022")])), cast.office)
    # Reports: save, submit, return, resubmit, accept, reopen, evidence in and out.
    report = task_services.save_report(
        assignment=work.assignment_a, period=work.assignment_a.period("2022-Q1"),
        data={"value": Decimal(90), "narrative": "Đã niêm yết"}, user=cast.head_a)
    task_services.submit(report=report, user=cast.head_a)
    task_services.return_report(report=report, user=cast.office, reason="Thiếu minh chứng")
    checked, upload = _evidence()
    evidence = task_services.add_report_evidence(report=report, checked=checked, upload=upload,
                                                 user=cast.head_a)
    task_services.remove_report_evidence(evidence=evidence, user=cast.head_a)
    task_services.submit(report=report, user=cast.head_a)
    task_services.accept(report=report, user=cast.office, comment="Đạt")
    task_services.reopen(report=ProgressReport.objects.get(pk=report.pk), user=cast.office,
                         reason="Số liệu sai")
    # Scoring: a scheme from the page, edited, copied; every round; evidence; the lock.
    scheme_url = reverse("scoring:scheme", args=[work.campaign.pk])
    item = work.campaign.items.first()
    scheme_page = form_data(office.get(scheme_url).content.decode(), scheme_url)
    scheme_page.update({"criteria-0-number": ["1"], "criteria-0-item": [str(item.pk)],
                        "criteria-0-title": ["Công khai"], "criteria-0-max_points": ["100"],
                        "criteria-0-rule": ["manual"], "criteria-0-order": ["1"]})
    assert office.post(scheme_url, scheme_page).status_code == 302, "scheme"
    _resubmit(office, scheme_url, bonus_cap="4")
    scoring_services.copy_scheme(source=scored.scheme, campaign=copy, user=cast.office)
    first = scoring_services.open_first_round(scheme=scored.scheme, deadline=DEADLINE,
                                              user=cast.office)
    manual = first.scores.get(unit=cast.unit_a, criterion=scored.c4)
    checked, upload = _evidence()
    score_evidence = scoring_services.add_score_evidence(score=manual, checked=checked,
                                                         upload=upload, user=cast.head_a)
    scoring_services.remove_score_evidence(evidence=score_evidence, user=cast.head_a)
    for kind in ("self", "appraisal", "explanation", "final"):
        round_ = scored.scheme.rounds.get(kind=kind)
        sheet = round_.sheets.get(unit=cast.unit_a)
        score = round_.scores.get(unit=cast.unit_a, criterion=scored.c4)
        scoring_services.save_sheet(sheet=sheet, changes={score: (Decimal(18), "Có biên bản")},
                                    user=cast.head_a if kind in ("self", "explanation")
                                    else cast.office, expected_version=sheet.version)
        if kind == "self":
            sheet.refresh_from_db()
            scoring_services.confirm_sheet(sheet=sheet, user=cast.head_a,
                                           expected_version=sheet.version)
        if kind != "final":
            scoring_services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    scoring_services.recompute(scheme=scored.scheme, user=cast.office)
    scoring_services.lock(scheme=scored.scheme, user=cast.director)
    # Awards: ratings by page and import, a list from draft to decision and its revocation.
    good = [rated(cast.unit_a, full_name=f"Giáo viên {i}") for i in range(2)]
    other = rated(cast.unit_a, full_name="Giáo viên 5")
    award_ratings.save_ratings(unit=cast.unit_a, year=2022, user=cast.head_a,
                               ratings={other.pk: Rating.COMPLETED})
    award_ratings.save_ratings(unit=cast.unit_a, year=2022, user=cast.head_a,
                               ratings={other.pk: Rating.GOOD}, action="rating.import")
    draft = award_services.proposal_for(cast.unit_a, 2022)
    step(award_services.save_summary, draft, summary="Hoàn thành tốt", user=cast.head_a)
    nominees = [nominate(draft, LDTT, person, cast.head_a) for person in good]
    extra = nominate(draft, LDTT, rated(cast.unit_a, full_name="Giáo viên 9"), cast.head_a)
    extra.summary = "Dạy giỏi cấp tỉnh"
    step(award_services.save_nominee, draft, nominee=extra, user=cast.head_a)
    step(award_services.remove_nominee, draft, nominee=Nominee.objects.get(pk=extra.pk),
         user=cast.head_a)
    # The list as a dossier: sent with its parts, recalled, sent again, returned with a part to
    # fix, a file removed, then sent on to the notice (to_notice).
    send_list(draft, cast.head_a)
    step(award_services.recall, draft, reason="Sửa tờ trình", user=cast.head_a)
    send_list(draft, cast.head_a)
    step(award_services.send_back, draft, note="Bổ sung thành tích", parts=["letter"],
         user=cast.office)
    unit_dossier_services.detach(draft.attachments.get(part="letter"), user=cast.head_a)
    to_notice(draft, cast)
    award_services.comment(draft, text="Đồng ý", nominee=nominees[0], user=cast.staff)
    vote_and_approve(draft, cast, {n.pk: (6, 1) for n in nominees}, present=7)
    # Awards outside the annual cycle: proposed, accepted, returned, proposed again, decided.
    topic = Award.objects.get(code="giay-khen-chuyen-de")
    specials = [special_services.propose(
        award=topic, unit=cast.unit_a, staff=person, year=2022,
        deed_on=datetime.date(2022, 12, 1) if i == 0 else None,
        achievement="Cải cách hành chính", justification="", user=cast.head_a,
        today=datetime.date(2022, 12, 20)) for i, person in enumerate(good[:2])]
    special_services.review(specials[0], accept=True, version=1, user=cast.office)
    special_services.review(specials[1], accept=False, reason="Thiếu minh chứng", version=1,
                            user=cast.office)
    special_services.propose(award=topic, unit=cast.unit_a, staff=good[1], year=2022,
                             deed_on=None, achievement="Cải cách hành chính, có minh chứng",
                             justification="", user=cast.head_a,
                             today=datetime.date(2022, 12, 21))
    topic_decision = award_services.issue_decision(
        award=topic, year=2022, number="19/QĐ-SGDĐT", signed_on=datetime.date(2022, 12, 28),
        signer_name="Trần Văn Giám", signer_title="GIÁM ĐỐC", user=cast.office)
    # The director signs it digitally (a throwaway key, tests/awards/signing_keys.py).
    keys = make_keys(tmp_path, common_name="Trần Văn Giám")
    sign_decision(topic_decision, user=cast.director, backend=Pkcs12Backend(
        key_file=bytearray(keys.good.read_bytes()), password=bytearray(KEY_PASSWORD)))
    decision = award_services.issue_decision(
        award=award(LDTT), year=2022, number="18/QĐ-SGDĐT", signed_on=datetime.date(2022, 12, 28),
        signer_name="Trần Văn Giám", signer_title="GIÁM ĐỐC", user=cast.office)
    # Bonus money: the fund's income, a list it covers, one paid beyond it with a reason.
    # The director refuses it, approves it recorded again; the decision is revoked and the
    # money of one awardee comes back; the income entry is corrected.
    income = services_bonus.add_income(year=2022, received_on=datetime.date(2022, 2, 15),
                                       amount=500_000, source="Dự toán năm 2022",
                                       user=cast.office)
    services_bonus.record_payout(topic_decision, year=2022, paid_on=datetime.date(2022, 12, 30),
                                 override_reason="", user=cast.office)
    beyond = services_bonus.record_payout(decision, year=2022,
                                          paid_on=datetime.date(2022, 12, 30),
                                          override_reason="Kinh phí bổ sung", user=cast.office)
    services_bonus.decide_override(beyond, approve=False, note="Chờ kinh phí",
                                   user=cast.director)
    beyond = services_bonus.record_payout(decision, year=2022,
                                          paid_on=datetime.date(2022, 12, 30),
                                          override_reason="Kinh phí đã về", user=cast.office)
    services_bonus.decide_override(beyond, approve=True, note="", user=cast.director)
    services_bonus.correct_income(income, version=1, received_on=income.received_on,
                                  amount=600_000, source="Dự toán năm 2022 (đợt 1)",
                                  reason="Gõ nhầm", user=cast.office)
    # Corrected down, leaving the fund shorter: written off, refused, then written off again
    # and approved by the director.
    for version, approve in ((2, False), (3, True)):
        services_bonus.correct_income(FundIncome.objects.get(pk=income.pk), version=version,
                                      received_on=income.received_on, amount=550_000,
                                      source="Dự toán năm 2022 (đợt 1)", reason="Trừ phí",
                                      override_reason="Kinh phí bổ sung", user=cast.office)
        services_bonus.decide_correction(IncomeCorrection.objects.get(approval="pending"),
                                         approve=approve, note="" if approve else "Xem lại",
                                         user=cast.director)
    award_services.revoke_decision(decision, reason="Kê khai sai", user=cast.director)
    due = bonus.to_recover(decision_id=decision.pk)[0]
    services_bonus.record_recovery(year=2022, decision=decision, conferrals=[due.conferral_id],
                                   amount=due.each, received_on=datetime.date(2022, 12, 31),
                                   note="", user=cast.office)
    # The catalogue, edited in the administration pages: a condition added, a figure and its
    # source changed, a condition deleted.
    admin_client = client_for(UserFactory(username="superuser", is_staff=True,
                                          is_superuser=True))
    condition = Condition.objects.filter(predicate="months_served").first()
    added = admin_client.post(reverse("admin:awards_condition_add"), {
        "period": str(condition.period_id), "award": str(condition.award_id),
        "alternative": "2", "predicate": "no_discipline", "years": "1",
        "discipline_level": "reprimand", "source": "Quy chế của Sở, Điều 6"})
    assert added.status_code == 302
    _resubmit(admin_client, reverse("admin:awards_condition_change", args=[condition.pk]),
              number="8", source="Quy chế của Sở, Điều 5", confirmed=[])
    spare = Condition.objects.filter(award__code="giay-khen-dot-xuat").first()
    admin_client.post(reverse("admin:awards_condition_delete", args=[spare.pk]), {"post": "yes"})
    ClustersWorld(cast)  # a cluster: defined, edited, its pact, peer scoring, the proposal
    # Registration (2023, so 2022's lists above are not affected): every step of a unit's.
    window = registration.open_window(year=2023, deadline=datetime.date(2023, 1, 31),
                                      user=cast.office)
    window = registration.change_window(window=window, user=cast.office, expected_version=1,
                                        deadline=datetime.date(2023, 2, 15))
    window = registration.change_window(window=window, user=cast.office, expected_version=2,
                                        closed=True)
    window = registration.change_window(window=window, user=cast.office, expected_version=3,
                                        closed=False)
    unit_a = {"unit": cast.unit_a, "window": window}
    entry = registration.save_registration(
        **unit_a, user=cast.head_a, expected_version=1, titles={other.pk: award(LDTT)},
        award=Award.objects.get(code="tap-the-lao-dong-tien-tien"))
    entry = registration.save_registration(
        **unit_a, user=cast.head_a, expected_version=entry.version,
        titles={good[0].pk: award(LDTT)}, action="registration.import")
    entry = registration.send(**unit_a, user=cast.head_a, expected_version=entry.version,
                              today=datetime.date(2023, 3, 1))
    entry = registration.return_registration(**unit_a, user=cast.office,
                                             expected_version=entry.version, reason="Thiếu")
    entry = registration.send(**unit_a, user=cast.head_a, expected_version=entry.version)
    registration.accept(**unit_a, user=cast.office, expected_version=entry.version,
                        reason="Trường vùng sâu")
    # The department's own Word template of the decision: uploaded (checked first), removed.
    template = io.BytesIO()
    word_template = Document()
    word_template.add_paragraph("Số: {{ so_hieu }}")
    word_template.save(template)
    services_word.save_word_template(kind="decision", content=template.getvalue(),
                                     name="mau-quyet-dinh.docx", user=cast.admin)
    services_word.remove_word_template(kind="decision", user=cast.admin)
    # A certificate blank's layout: created, one text moved, removed.
    blank = services_certificate.save_certificate_layout(
        layout=CertificateLayout(), name="Phôi Giấy khen", award=None, paper="a4-landscape",
        positions=DEFAULT_FIELDS, user=cast.admin)
    services_certificate.save_certificate_layout(
        layout=blank, name="Phôi Giấy khen", award=None, paper="a4-landscape",
        positions={**DEFAULT_FIELDS, "name": {**DEFAULT_FIELDS["name"], "y": 88.5}},
        user=cast.admin)
    services_certificate.remove_certificate_layout(layout=blank, user=cast.admin)
    director.get(AUDIT)  # warm the caches as a running server has them
    return {"author": author, "good": good, "other": other, "decision": decision,
            "report": report}


def test_the_world_has_a_line_of_every_action_the_code_records(every_line):
    recorded = set(AuditEntry.objects.values_list("action", flat=True))

    assert sorted(set(ACTIONS) - recorded) == []
    assert sorted(recorded - set(ACTIONS)) == []


def _keys(value) -> set:
    """Every key of a recorded value, at any depth."""
    if isinstance(value, dict):
        return set(value).union(*(_keys(inner) for inner in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(inner) for inner in value))
    return set()


def _rows(language):
    entries = list(AuditEntry.objects.order_by("pk"))
    with translation.override(language):
        describe(entries, length=None)
    return {entry.pk: (entry, entry.rows) for entry in entries}


def test_every_key_of_every_line_has_a_vietnamese_name_and_every_value_reads_as_text(
        every_line):
    vietnamese, english = _rows("vi"), _rows("en")
    recorded = set()
    for before, after in AuditEntry.objects.values_list("before", "after"):
        recorded |= _keys(before) | _keys(after)
    # A key inside a value, left as recorded: "(target: 80,50", ", deadline: 2022-12-15".
    plain = "|".join(re.escape(key) for key in recorded if re.fullmatch(r"[a-z_]+", key))
    bare_key = re.compile(rf"(?:^|, |\(|\n)(?:{plain}): ")

    untranslated, raw = [], []
    for pk, (entry, rows) in vietnamese.items():
        for (label, before, after), (english_label, _b, _a) in zip(
                rows, english[pk][1], strict=True):
            if label == english_label:
                untranslated.append((entry.action, label))
            for value in (before, after):
                # JSON, or a key inside a value left as recorded ("target: 80,50").
                if re.search(r'[{}\[\]"]', value) or bare_key.search(value):
                    raw.append((entry.action, label, value))
    assert sorted(set(untranslated)) == []
    assert raw == []


def _changes(action):
    entry = AuditEntry.objects.filter(action=action).latest("pk")
    return {label: (before, after) for label, before, after in entry.changes()}


def test_objects_read_by_their_names_statuses_by_their_labels_dates_as_people_write(
        cast, every_line):
    good, decision = every_line["good"], every_line["decision"]

    assigned = _changes("task.assign")
    assert {cast.unit_a.name, cast.unit_b.name} <= set(assigned["Đơn vị"][1].split(", "))
    ratings = _changes("rating.save")["Kết quả xếp loại"]
    assert ratings == (f"{every_line['other'].full_name}: Hoàn thành tốt nhiệm vụ",
                       f"{every_line['other'].full_name}: Hoàn thành nhiệm vụ")
    votes = _changes("proposal.votes")["Kết quả bỏ phiếu"][1]
    assert f"{good[0].full_name} (Lao động tiên tiến): Đồng ý: 6, Không đồng ý: 1, Thông qua: Có" \
        in votes.splitlines()
    issued = _changes("decision.issue")
    assert good[0].full_name in issued["Người được đề nghị"][1]
    assert decision.number in issued["Người được đề nghị"][1]
    assert issued["Ngày ký"][1] == "28/12/2022"
    returned = _changes("report.returned")
    assert returned["Trạng thái"] == ("Đã gửi", "Bị trả lại")
    created = _changes("initiative.create")
    assert created["Tác giả"][1] == every_line["author"].full_name
    assert created["Ngày quyết định"][1] == "15/06/2022"
    sheet = _changes("scoring.sheet_self")
    assert sheet["Tiêu chí 4"][1] == "Điểm: 18, Ghi chú: Có biên bản"


def test_the_page_shows_no_json_no_ids_and_no_english_keys(cast, client_for, every_line,
                                                          settings):
    keys = set()
    for before, after in AuditEntry.objects.values_list("before", "after"):
        for value in (before, after):
            if isinstance(value, dict):
                keys |= set(value)
    client = client_for(cast.director)

    pages, page = [], 1
    while True:
        response = client.get(AUDIT, {"page": page})
        pages.append(response.content.decode())
        if not response.context["page"].has_next():
            break
        page += 1
    html = "".join(pages)

    cells = re.findall(r'<td class="text-break">(.*?)</td>', html, re.S)
    assert cells and [c for c in cells if re.search(r"\{|\[|&quot;", c)] == []
    english = sorted(k for k in keys if f"<td>{k}</td>" in html or f"<td>{k.capitalize()}</td>"
                     in html)
    assert english == []


def test_the_page_names_objects_in_a_fixed_number_of_queries(cast, client_for, every_line):
    client = client_for(cast.director)
    client.get(AUDIT)

    with CaptureQueriesContext(connection) as first:
        client.get(AUDIT)
    for _ in range(3):
        task_services.assign(task=every_line["report"].assignment.task,
                             units=[StaffMember.objects.first().unit], user=cast.office)
    with CaptureQueriesContext(connection) as again:
        client.get(AUDIT)

    assert len(again) == len(first)


def test_the_excel_export_has_the_readable_changes_beside_the_raw_values(cast, client_for,
                                                                        every_line):
    response = client_for(cast.director).get(AUDIT, {"export": "xlsx",
                                                     "action": "rating.save"})

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header, row = [list(r) for r in sheet.iter_rows(max_row=2, values_only=True)]
    readable = row[header.index("Thay đổi")]
    assert every_line["other"].full_name in readable and "{" not in readable
    assert row[header.index("Trước")].startswith("{")  # the raw values, for auditors

