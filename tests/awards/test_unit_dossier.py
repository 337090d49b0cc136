"""A unit's list as a dossier to the Department: the parts its awards ask of the unit, the
uploads, the checklist that names what is missing, sending with the signed letter, the Office's
return with the parts to fix, the head's recall, sending again, the history, the ZIP."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards import services_unit_dossier as files
from awards.demo_unit_dossier import give_parts
from awards.models import (
    Award,
    ProposalAttachment,
    ProposalEvent,
    ProposalRequirement,
    ProposalStage,
)
from awards.unit_dossier import checklist
from core.uploads import check_evidence
from units.models import AuditEntry

from ..factories import LETTER_NUMBER, send_list
from ..helpers import changed_tables, db_snapshot
from .test_proposals import CSTDCS, LDTT, LETTER, YEAR, D, nominate, rated, step

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GIAY_KHEN = "giay-khen-giam-doc-so"


def upload(name="to-trinh.pdf", content=PDF):
    file = SimpleUploadedFile(name, content)
    return {"checked": check_evidence(file), "upload": file}


@pytest.fixture
def draft(cast):
    return services.proposal_for(cast.unit_a, YEAR)


@pytest.fixture
def listed(cast, draft):
    """A draft with an LĐTT (no signed report asked) and a Giấy khen (one asked)."""
    nominate(draft, LDTT, rated(cast.unit_a, full_name="Nguyễn Văn An"), cast.head_a)
    nominate(draft, GIAY_KHEN, rated(cast.unit_a, full_name="Trần Thị Bình"), cast.head_a,
             justification="Thành tích đột xuất")
    draft.refresh_from_db()
    return draft


def fresh(proposal):
    proposal.refresh_from_db()
    return proposal


# --- what a list must contain --------------------------------------------------------------


def test_every_award_decided_here_asks_its_parts_unconfirmed_with_a_source(db):
    for award in Award.objects.filter(level="grassroots", proposal_only=False):
        parts = set(ProposalRequirement.objects.filter(award=award).values_list("part",
                                                                                 flat=True))
        assert {"letter", "list", "minutes"} <= parts, award.code
    cstdcs = ProposalRequirement.objects.filter(award__code=CSTDCS)
    assert {"report", "initiatives"} <= set(cstdcs.values_list("part", flat=True))
    assert not ProposalRequirement.objects.filter(confirmed=True).exists()
    assert not ProposalRequirement.objects.filter(source="").exists()
    # An award of the province asks its parts of the Department's dossier, not of the unit.
    assert not ProposalRequirement.objects.filter(award__level="province").exists()


def test_the_checklist_names_what_is_missing_for_the_unit_and_each_nominee(cast, draft):
    nominate(draft, GIAY_KHEN, rated(cast.unit_a, full_name="Trần Thị Bình"), cast.head_a,
             justification="Thành tích đột xuất")
    nominate(draft, CSTDCS, rated(cast.unit_a, full_name="Lê Văn Cường"), cast.head_a,
             justification="Sáng kiến đang chờ công nhận")
    found = checklist(fresh(draft))
    unit = cast.unit_a.name
    # In filing order: the letter, the signed reports, the minutes, the initiatives.
    assert found.missing == [
        f"{unit}: thiếu tờ trình đã ký.",
        "Lê Văn Cường: thiếu báo cáo thành tích đã ký.",
        "Trần Thị Bình: thiếu báo cáo thành tích đã ký.",
        f"{unit}: thiếu biên bản họp Hội đồng thi đua của đơn vị.",
        "Lê Văn Cường: chưa có sáng kiến được công nhận năm 2022 (hãy ghi sáng kiến, hoặc tải "
        "lên quyết định công nhận).",
    ]
    assert give_parts(fresh(draft), cast.head_a) == 5
    assert checklist(fresh(draft)).complete


def test_the_checklist_costs_the_same_queries_for_two_nominees_as_for_twelve(cast, draft):
    def count():
        with CaptureQueriesContext(connection) as queries:
            checklist(fresh(draft)).missing  # noqa: B018
        return len(queries)

    nominate(draft, GIAY_KHEN, rated(cast.unit_a), cast.head_a, justification="Đột xuất")
    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    few = count()
    for _ in range(10):
        nominate(draft, GIAY_KHEN, rated(cast.unit_a), cast.head_a, justification="Đột xuất")
    assert count() == few <= 6


# --- sending ---------------------------------------------------------------------------------


def test_a_list_with_a_part_missing_is_refused_with_what_is_missing(cast, listed):
    files.attach(listed, part="letter", nominee_id=None, user=cast.head_a, **upload())
    before = db_snapshot()
    with pytest.raises(services.WorkflowError) as refused:
        step(services.submit, listed, user=cast.head_a, **LETTER)
    assert refused.value.message == (
        "Chưa gửi được danh sách, hồ sơ còn thiếu: Trần Thị Bình: thiếu báo cáo thành tích đã "
        f"ký.; {cast.unit_a.name}: thiếu biên bản họp Hội đồng thi đua của đơn vị.")
    assert changed_tables(before, db_snapshot()) == []


@pytest.mark.parametrize("letter", [{"sent_on": None, "number": LETTER_NUMBER},
                                    {"sent_on": D(2022, 12, 5), "number": "  "}])
def test_a_list_without_the_letters_number_or_date_is_refused(cast, listed, letter):
    give_parts(listed, cast.head_a)
    before = db_snapshot()
    with pytest.raises(services.WorkflowError) as refused:
        step(services.submit, listed, user=cast.head_a, **letter)
    assert "số và ngày của tờ trình" in refused.value.message
    assert changed_tables(before, db_snapshot()) == []


def test_the_page_asks_for_the_letter_and_refuses_without_it(cast, client_for, listed):
    give_parts(listed, cast.head_a)
    client = client_for(cast.head_a)
    url = reverse("awards:proposal_step", args=[listed.pk, "submit"])
    page = client.post(url, {"version": fresh(listed).version, "number": "",
                             "sent_on": "05/12/2022"}, follow=True)
    assert page.status_code == 200
    assert "Hãy nhập số của tờ trình đã ký." in page.content.decode()
    assert fresh(listed).stage == ProposalStage.DRAFT
    client.post(url, {"version": fresh(listed).version, "number": "15/TTr-THPT",
                      "sent_on": "05/12/2022"})
    sent = fresh(listed)
    assert (sent.stage, sent.sent_number, sent.sent_on) == (ProposalStage.SUBMITTED,
                                                            "15/TTr-THPT", D(2022, 12, 5))


# --- return, recall, sending again ---------------------------------------------------------


@pytest.mark.parametrize(("note", "parts"), [("", ["report"]), ("Thiếu chữ ký", []),
                                              ("Thiếu chữ ký", ["initiatives"])])
def test_a_return_needs_a_reason_and_a_part_of_the_checklist(cast, listed, note, parts):
    send_list(listed, cast.head_a)
    before = db_snapshot()
    with pytest.raises(services.WorkflowError) as refused:
        step(services.send_back, listed, note=note, parts=parts, user=cast.office)
    assert refused.value.message in ("Hãy ghi rõ nội dung đơn vị cần bổ sung, chỉnh sửa.",
                                     "Hãy đánh dấu các thành phần hồ sơ đơn vị phải sửa.")
    assert changed_tables(before, db_snapshot()) == []


def test_a_recall_after_the_office_accepted_is_refused(cast, listed):
    send_list(listed, cast.head_a)
    step(services.accept, listed, user=cast.office)
    before = db_snapshot()
    with pytest.raises(services.WorkflowError) as refused:
        step(services.recall, listed, reason="Sửa tờ trình", user=cast.head_a)
    assert "hãy đề nghị Văn phòng trả lại" in refused.value.message
    assert changed_tables(before, db_snapshot()) == []


def test_a_recall_needs_its_reason(cast, listed):
    send_list(listed, cast.head_a)
    with pytest.raises(services.WorkflowError) as refused:
        step(services.recall, listed, reason=" ", user=cast.head_a)
    assert refused.value.message == "Hãy ghi lý do rút danh sách."
    assert fresh(listed).stage == ProposalStage.SUBMITTED


def test_the_way_of_a_list_is_audited_and_shown_as_its_history(cast, client_for, listed):
    send_list(listed, cast.head_a, number="15/TTr-THPT")
    step(services.send_back, listed, note="Báo cáo chưa ký", parts=["report"], user=cast.office)
    returned = fresh(listed)
    assert (returned.stage, returned.return_parts) == (ProposalStage.DRAFT, ["report"])
    head = client_for(cast.head_a)
    html = head.get(reverse("awards:proposal", args=[listed.pk])).content.decode()
    assert "Báo cáo chưa ký" in html and "Văn phòng yêu cầu sửa" in html
    # The head replaces the report, sends again; then recalls to correct, and sends again.
    bình = returned.nominees.get(award__code=GIAY_KHEN)
    files.attach(returned, part="report", nominee_id=bình.pk, user=cast.head_a,
                 **upload("bao-cao-moi.pdf"))
    assert returned.attachments.filter(part="report").count() == 1  # replaced, not added
    send_list(listed, cast.head_a, number="16/TTr-THPT")
    step(services.recall, listed, reason="Sửa số tờ trình", user=cast.head_a)
    send_list(listed, cast.head_a, number="17/TTr-THPT")
    step(services.accept, listed, user=cast.office)

    steps = list(ProposalEvent.objects.filter(proposal=listed).values_list("step", flat=True))
    assert steps == ["submit", "return", "resubmit", "recall", "resubmit", "accept"]
    back = AuditEntry.objects.get(action="proposal.return")
    assert back.before["stage"] == "submitted" and back.before["return_parts"] == []
    assert back.after["return_parts"] == ["report"]
    again = AuditEntry.objects.filter(action="proposal.resubmit").order_by("id").first()
    assert (again.before["sent_number"], again.after["sent_number"]) == ("15/TTr-THPT",
                                                                         "16/TTr-THPT")
    recall = AuditEntry.objects.get(action="proposal.recall")
    assert recall.after["recall_reason"] == "Sửa số tờ trình"
    html = client_for(cast.office).get(reverse("awards:proposal", args=[listed.pk])).content
    history = html.decode()
    assert history.count("Đã gửi lại") == 2 and "Đơn vị rút lại" in history
    assert "Gửi kèm tờ trình số 17/TTr-THPT ngày" in history


# --- uploads and downloads -------------------------------------------------------------------


def test_an_upload_of_the_wrong_type_is_refused_on_the_page(cast, client_for, listed):
    client = client_for(cast.head_a)
    before = db_snapshot()
    page = client.post(reverse("awards:proposal_upload", args=[listed.pk]),
                       {"part": "letter", "file": SimpleUploadedFile("to-trinh.pdf",
                                                                     b"\x89PNG\r\n\x1a\nabc")})
    assert page.status_code == 200
    assert "Nội dung của tệp này không phải là tệp .pdf" in page.content.decode()
    assert changed_tables(before, db_snapshot()) == []


def test_files_change_only_while_the_list_is_a_draft(cast, listed):
    send_list(listed, cast.head_a)
    with pytest.raises(services.WorkflowError):
        files.attach(fresh(listed), part="other", nominee_id=None, user=cast.head_a, **upload())
    with pytest.raises(services.WorkflowError):
        files.detach(listed.attachments.first(), user=cast.head_a)


def test_the_office_uploads_for_any_unit_and_a_head_only_for_its_own(cast, client_for, listed):
    url = reverse("awards:proposal_upload", args=[listed.pk])
    file = {"part": "minutes", "file": SimpleUploadedFile("bien-ban.pdf", PDF)}
    assert client_for(cast.office).post(url, file).status_code == 302
    assert listed.attachments.get().uploaded_by == cast.office
    assert client_for(cast.head_b).post(url, {"part": "minutes", "file": SimpleUploadedFile(
        "bien-ban.pdf", PDF)}).status_code == 404
    assert listed.attachments.count() == 1


def test_the_office_downloads_the_whole_dossier_as_a_zip(cast, client_for, listed):
    send_list(listed, cast.head_a)
    response = client_for(cast.office).get(reverse("awards:proposal_zip", args=[listed.pk]))
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "02-danh-sach.xlsx" in names
    assert {name.split("/")[0] for name in names} == {
        "01-to-trinh", "02-danh-sach.xlsx", "03-bien-ban-hoi-dong", "04-bao-cao-da-ky"}
    assert any("Tran-Thi-Binh" in name for name in names)
    assert client_for(cast.head_a).get(
        reverse("awards:proposal_zip", args=[listed.pk])).status_code == 403


def test_a_file_is_read_by_whoever_may_read_the_list(cast, client_for, listed):
    give_parts(listed, cast.head_a)
    letter = ProposalAttachment.objects.get(proposal=listed, part="letter")
    url = reverse("awards:proposal_attachment", args=[letter.pk])
    assert client_for(cast.union).get(url).status_code == 200
    assert client_for(cast.head_a).get(url).status_code == 200
    assert client_for(cast.head_b).get(url).status_code == 404
    assert client_for(cast.staff).get(url).status_code == 404


def test_a_nominee_removed_from_the_draft_takes_their_report_along(cast, listed,
                                                                   django_capture_on_commit_callbacks):
    give_parts(listed, cast.head_a)
    report = listed.attachments.get(part="report")
    stored = report.file.name
    with django_capture_on_commit_callbacks(execute=True):
        step(services.remove_nominee, listed, nominee=report.nominee, user=cast.head_a)
    assert not listed.attachments.filter(part="report").exists()
    assert not report.file.storage.exists(stored)
