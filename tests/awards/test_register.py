# ruff: noqa: F811  (the fixtures of test_documents and test_signing, imported, are arguments)
"""The register of outgoing documents (issue 18, item 5): numbers per kind and year from 01,
no duplicate and no gap (also under two issues at once on PostgreSQL), typed numbers, cancelled
numbers kept, the page's search, its Excel and PDF, the signature state, who may do what."""

import datetime
import importlib
import io
import shutil
import threading

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards import services, signing
from awards.documents import build
from awards.models import Award, Conferral, Decision, Dossier
from awards.services_signing import sign_decision
from units import services_outgoing as outgoing
from units.models import (
    AuditEntry,
    Department,
    DocumentKind,
    DocumentState,
    OutgoingCounter,
    OutgoingDocument,
)

from ..helpers import LIVE
from ..pdf_measure import find, lines
from .signing_keys import PASSWORD
from .test_documents import make_decision, plan_2022  # noqa: F401  (fixtures)
from .test_dossiers import people  # noqa: F401  (fixture)
from .test_proposals import LDTT, YEAR, draft, nominate, rated, to_notice, vote_and_approve  # noqa: F401
from .test_signing import keys  # noqa: F401  (fixture)

D = datetime.date
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite ignores select_for_update and writes one transaction at a time: two issues "
           "at once cannot meet there")


DAY = D(2026, 3, 2)


def _letter(user, day=DAY, kind=DocumentKind.LETTER, **kwargs):
    values = {"subject": "V/v báo cáo tiến độ", "signer_name": "Trần Văn Giám",
              "signer_title": "GIÁM ĐỐC", **kwargs}
    return outgoing.register(kind=kind, issued_on=day, user=user, **values)


def _identity(**fields):
    """The department's identity with these fields (the stored row, or a new one)."""
    department = Department.objects.order_by("pk").first() or Department(
        name="Sở Giáo dục và Đào tạo tỉnh X", short_name="Sở X", parent_agency="UBND TỈNH X",
        place="X")
    for name, value in fields.items():
        setattr(department, name, value)
    department.save()


def _approved_list(cast, draft):
    nominate(draft, LDTT, rated(cast.unit_a), cast.head_a)
    to_notice(draft, cast)
    vote_and_approve(draft, cast, {n.pk: (9, 0) for n in draft.nominees.all()}, present=9)


def _issue(cast, number=""):
    from .test_proposals import award
    return services.issue_decision(award=award(LDTT), year=YEAR, number=number,
                                   signed_on=D(2022, 12, 28), signer_name="Trần Văn Giám",
                                   signer_title="GIÁM ĐỐC", user=cast.office)


# -- numbering -----------------------------------------------------------------------------------


def test_numbers_follow_in_sequence_per_kind_and_year(cast):
    numbers = [_letter(cast.office, kind=kind).number for kind in (
        DocumentKind.DECISION, DocumentKind.DECISION, DocumentKind.LETTER, DocumentKind.NOTICE,
        DocumentKind.LETTER, DocumentKind.SUBMISSION)]

    assert numbers == ["01/QĐ-SGDĐT", "02/QĐ-SGDĐT", "01/SGDĐT-VP", "01/TB-SGDĐT",
                       "02/SGDĐT-VP", "01/TTr-SGDĐT"]
    assert OutgoingCounter.objects.get(year=2026, series=DocumentKind.DECISION).last == 2


def test_numbers_restart_at_01_on_a_new_year(cast):
    _letter(cast.office, day=D(2025, 12, 31))
    _letter(cast.office, day=D(2025, 12, 31))

    first = _letter(cast.office, day=D(2026, 1, 2))

    assert first.number == "01/SGDĐT-VP" and first.year == 2026
    assert outgoing.next_number(DocumentKind.LETTER, 2025) == "03/SGDĐT-VP"


def test_shared_numbering_counts_every_kind_in_one_sequence(cast):
    _identity(numbering="shared")

    numbers = [_letter(cast.office, kind=kind).number for kind in (
        DocumentKind.DECISION, DocumentKind.LETTER, DocumentKind.NOTICE)]

    assert numbers == ["01/QĐ-SGDĐT", "02/SGDĐT-VP", "03/TB-SGDĐT"]


def test_the_symbol_comes_from_the_department_identity(cast):
    _identity(symbol="SGDĐTX")

    assert _letter(cast.office, kind=DocumentKind.PLAN).number == "01/KH-SGDĐTX"


def test_a_failed_issue_gives_its_number_back(cast):
    _letter(cast.office)
    with pytest.raises(RuntimeError), transaction.atomic():
        _letter(cast.office)
        raise RuntimeError("the step after the number failed")

    assert _letter(cast.office).number == "02/SGDĐT-VP"
    assert list(OutgoingDocument.objects.values_list("sequence", flat=True)
                .order_by("sequence")) == [1, 2]


def test_a_typed_number_already_in_the_register_is_refused_in_vietnamese(cast):
    _letter(cast.office, number="125/SGDĐT-VP")

    with pytest.raises(outgoing.RegisterError) as refused:
        _letter(cast.office, number=" 125/sgdđt-vp")

    assert "125/SGDĐT-VP" in refused.value.message
    assert "đã có trong sổ" in refused.value.message
    assert OutgoingDocument.objects.count() == 1


def test_a_typed_number_in_the_registers_form_moves_the_series_past_it(cast):
    typed = _letter(cast.office, kind=DocumentKind.DECISION, number="1802/QĐ-SGDĐT")
    other = _letter(cast.office, kind=DocumentKind.DECISION, number="15/QĐ-UBND")

    assert typed.typed and typed.sequence == 1802
    assert other.sequence is None  # another agency's number takes no place in our series
    assert _letter(cast.office, kind=DocumentKind.DECISION).number == "1803/QĐ-SGDĐT"


def test_a_typed_number_taken_in_the_next_years_register_is_free(cast):
    _letter(cast.office, day=D(2025, 5, 5), number="12/SGDĐT-VP")

    again = _letter(cast.office, day=D(2026, 5, 5), number="12/SGDĐT-VP")

    assert again.year == 2026


# -- decisions take their number from the register ---------------------------------------------


def test_issuing_a_decision_takes_the_next_number_and_links_it(cast, draft):
    _approved_list(cast, draft)
    _letter(cast.office, day=D(2022, 6, 1), kind=DocumentKind.DECISION, number="1801/QĐ-SGDĐT")

    decision = _issue(cast)

    assert decision.number == "1802/QĐ-SGDĐT"
    entry = OutgoingDocument.objects.get(number="1802/QĐ-SGDĐT")
    assert entry.target == decision and not entry.typed
    assert entry.subject.startswith("Về việc công nhận danh hiệu")
    assert set(Conferral.objects.values_list("decision", flat=True)) == {"1802/QĐ-SGDĐT"}


def test_a_decision_number_typed_twice_in_a_year_is_refused_and_nothing_is_written(cast, draft):
    _approved_list(cast, draft)
    _letter(cast.office, day=D(2022, 6, 1), kind=DocumentKind.DECISION, number="1802/QĐ-SGDĐT")

    with pytest.raises(services.WorkflowError) as refused:
        _issue(cast, number="1802/qđ-sgdđt")

    assert "1802/QĐ-SGDĐT" in refused.value.message
    assert not Decision.objects.exists() and not Conferral.objects.exists()
    assert OutgoingDocument.objects.count() == 1


def test_the_decision_form_proposes_the_next_number(cast, client_for):
    _letter(cast.office, day=datetime.date.today(), kind=DocumentKind.DECISION)

    page = client_for(cast.office).get(reverse("awards:decision_create"))

    assert f"Số tiếp theo của năm {datetime.date.today().year}: 02/QĐ-SGDĐT" in (
        page.content.decode())


def test_the_decision_form_proposes_the_number_of_the_year_it_is_signed_in(cast, client_for):
    """A decision for 2022 signed on 04/01/2023 takes a 2023 number: the hint follows the date
    typed when the form comes back (here for a missing signer)."""
    _letter(cast.office, day=datetime.date(2023, 3, 1), kind=DocumentKind.DECISION)
    _letter(cast.office, day=datetime.date(2023, 3, 2), kind=DocumentKind.DECISION)

    page = client_for(cast.office).post(reverse("awards:decision_create"), {
        "award": Award.objects.get(code="lao-dong-tien-tien").pk, "year": "2022",
        "signed_on": "04/01/2023", "signer_name": "", "signer_title": "GIÁM ĐỐC"})

    assert page.status_code == 200 and "signer_name" in page.context["form"].errors
    assert "Số tiếp theo của năm 2023: 03/QĐ-SGDĐT" in page.content.decode()


def test_the_migration_registers_existing_decisions_and_letters(cast, make_sent_dossier):
    migration = importlib.import_module("awards.migrations.0028_decision_number_per_year")
    decision = make_decision(cast, number="1802/QĐ-SGDĐT")
    dossier = make_sent_dossier

    migration.register_existing(django_apps, None)

    numbers = dict(OutgoingDocument.objects.values_list("number", "target_id"))
    assert numbers == {"1802/QĐ-SGDĐT": decision.pk, "125/TTr-SGDĐT": dossier.pk}
    assert outgoing.next_number(DocumentKind.DECISION, 2023) == "1803/QĐ-SGDĐT"
    assert outgoing.next_number(DocumentKind.SUBMISSION, 2022) == "126/TTr-SGDĐT"


@pytest.fixture
def make_sent_dossier(cast):
    from awards.models import Award
    from awards.models_dossier import Recipient
    return Dossier.objects.create(award=Award.objects.get(code=LDTT), year=2022,
                                  recipient=Recipient.PROVINCE,
                                  sent_on=D(2022, 12, 1), sent_number="125/TTr-SGDĐT",
                                  created_by=cast.office)


# -- cancelling ----------------------------------------------------------------------------------


def test_a_cancelled_number_stays_with_its_reason_and_is_not_given_again(cast, client_for):
    first = _letter(cast.office)

    response = client_for(cast.office).post(reverse("awards:register_cancel", args=[first.pk]),
                                            {"reason": "Ký nhầm ngày, ban hành lại"})

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == DocumentState.CANCELLED
    assert first.cancelled_reason == "Ký nhầm ngày, ban hành lại"
    assert _letter(cast.office).number == "02/SGDĐT-VP"
    entry = AuditEntry.objects.get(action="outgoing.cancel")
    assert entry.after == {"state": "cancelled", "reason": "Ký nhầm ngày, ban hành lại"}


def test_cancelling_without_a_reason_says_so_and_changes_nothing(cast, client_for):
    first = _letter(cast.office)

    response = client_for(cast.office).post(reverse("awards:register_cancel", args=[first.pk]),
                                            {"reason": " "})

    assert response.status_code == 200
    assert "Hãy ghi lý do hủy số" in response.content.decode()
    first.refresh_from_db()
    assert first.state == DocumentState.ISSUED


def test_a_decisions_number_is_not_cancelled_in_the_register(cast):
    decision = make_decision(cast)
    entry = _letter(cast.office, kind=DocumentKind.DECISION, number=decision.number,
                    target=decision)

    with pytest.raises(outgoing.RegisterError):
        outgoing.cancel(entry, reason="x", user=cast.office)


# -- the page ------------------------------------------------------------------------------------


def test_the_office_registers_a_letter_by_hand_with_its_file(cast, client_for):
    response = client_for(cast.office).post(reverse("awards:register_new"), {
        "kind": DocumentKind.LETTER, "issued_on": "02/03/2026", "number": "",
        "subject": "V/v nộp hồ sơ thi đua", "signer_name": "Trần Văn Giám",
        "signer_title": "GIÁM ĐỐC", "office": "vp", "recipients": "Các trường THPT",
        "file": SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n%%EOF\n")})

    assert response.status_code == 302
    document = OutgoingDocument.objects.get()
    assert document.number == "01/SGDĐT-VP" and document.filename == "cv.pdf"
    entry = AuditEntry.objects.get(action="outgoing.register")
    assert entry.after["number"] == "01/SGDĐT-VP"
    download = client_for(cast.director).get(reverse("awards:register_file", args=[document.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attach")


def test_a_typed_duplicate_on_the_form_is_explained_on_the_number(cast, client_for):
    _letter(cast.office, number="125/SGDĐT-VP")

    response = client_for(cast.office).post(reverse("awards:register_new"), {
        "kind": DocumentKind.LETTER, "issued_on": "02/03/2026", "number": "125/SGDĐT-VP",
        "subject": "V/v khác", "signer_name": "Trần Văn Giám", "office": "VP"})

    assert response.status_code == 200
    assert "125/SGDĐT-VP" in " ".join(response.context["form"].errors["number"])
    assert OutgoingDocument.objects.count() == 1


def test_a_document_dated_after_today_is_not_registered(cast, client_for):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)

    response = client_for(cast.office).post(reverse("awards:register_new"), {
        "kind": DocumentKind.LETTER, "issued_on": f"{tomorrow:%d/%m/%Y}", "subject": "V/v",
        "signer_name": "Trần Văn Giám", "office": "VP"})

    assert "sau hôm nay" in " ".join(response.context["form"].errors["issued_on"])
    assert not OutgoingDocument.objects.exists()


@pytest.fixture
def register(cast):
    _letter(cast.office, day=D(2025, 4, 1), subject="V/v tập huấn phần mềm thi đua")
    _letter(cast.office, day=D(2026, 2, 10), kind=DocumentKind.NOTICE,
            subject="Thông báo kết quả bình xét", signer_name="Nguyễn Thị Phó")
    cancelled = _letter(cast.office, day=D(2026, 3, 15), subject="V/v gửi nhầm")
    outgoing.cancel(cancelled, reason="Gửi nhầm nơi nhận", user=cast.office)
    _letter(cast.office, day=D(2026, 4, 20), subject="V/v đôn đốc báo cáo quý I")


CANCELLED = (2026, "01/SGDĐT-VP")
LATER = (2026, "02/SGDĐT-VP")
NOTICE = (2026, "01/TB-SGDĐT")
EARLIER = (2025, "01/SGDĐT-VP")


@pytest.mark.parametrize("query, expected", [
    ({}, [EARLIER, NOTICE, CANCELLED, LATER]),
    ({"q": "don doc"}, [LATER]),  # without accents
    ({"q": "NGUYỄN THỊ"}, [NOTICE]),  # the signer
    ({"q": "01/TB"}, [NOTICE]),
    ({"kind": "TB"}, [NOTICE]),
    ({"year": "2025"}, [EARLIER]),
    ({"date_from": "01/03/2026", "date_to": "31/03/2026"}, [CANCELLED]),
    ({"state": "cancelled"}, [CANCELLED]),
])
def test_the_register_is_searched(cast, client_for, register, query, expected):
    page = client_for(cast.director).get(reverse("awards:register"), query)

    assert page.status_code == 200
    found = [(row["document"].year, row["document"].number) for row in page.context["rows"]]
    assert sorted(found) == sorted(expected)


def test_a_period_that_ends_before_it_starts_is_explained(cast, client_for, register):
    page = client_for(cast.office).get(reverse("awards:register"),
                                       {"date_from": "01/04/2026", "date_to": "01/03/2026"})

    assert "trước ngày bắt đầu" in page.content.decode()
    assert page.context["rows"] == []


def _queries(client, **query):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("awards:register"), query)
    return page, len(queries)


def test_the_register_is_paginated_with_the_same_queries(cast, client_for, plan_2022):
    client = client_for(cast.office)
    decision = make_decision(cast)
    _letter(cast.office, kind=DocumentKind.DECISION, number=decision.number, target=decision,
            day=decision.signed_on)
    _page, one = _queries(client)
    for index in range(55):
        other = make_decision(cast, people=[], number=f"{index + 1}/QĐ-SGDĐT")
        _letter(cast.office, kind=DocumentKind.DECISION, number=other.number, target=other,
                day=other.signed_on)

    page, many = _queries(client, page="2")

    assert many == one
    assert len(page.context["rows"]) == 6 and page.context["page"].paginator.num_pages == 2


def test_the_register_as_excel_is_read_back(cast, client_for, register):
    response = client_for(cast.office).get(reverse("awards:document_get"),
                                           {"kind": "register", "fmt": "xlsx", "year": "2026"})

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L4"
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Số, ký hiệu văn bản", "Ngày văn bản", "Loại văn bản",
                          "Trích yếu nội dung"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"01/TB-SGDĐT", "01/SGDĐT-VP", "02/SGDĐT-VP"}
    assert rows["01/SGDĐT-VP"][1] == datetime.datetime(2026, 3, 15)
    assert sheet["B2"].number_format == "DD/MM/YYYY"
    assert rows["01/SGDĐT-VP"][8] == "Đã hủy" and rows["01/SGDĐT-VP"][11] == "Gửi nhầm nơi nhận"
    assert rows["02/SGDĐT-VP"][3] == "V/v đôn đốc báo cáo quý I"
    assert rows["02/SGDĐT-VP"][9] is None  # a letter: no digital signature to speak of


@needs_poppler
def test_the_register_as_pdf_is_the_decree_30_book_on_landscape(cast, register):
    built = build("register", {"year": "2026"}, "pdf")

    [page] = lines(built.content)
    text = " ".join(line.text for line in page)
    assert find(page, "SỔ ĐĂNG KÝ VĂN BẢN ĐI")
    assert "Năm 2026" in text
    for number in ("01/TB-SGDĐT", "01/SGDĐT-VP", "02/SGDĐT-VP"):
        assert number in text
    assert "Đã hủy số: Gửi nhầm nơi nhận" in text
    assert "tập huấn" not in text  # 2025's letter
    right = max(line.x1 for line in page)
    assert right > 600  # wider than portrait A4 (595 pt): printed landscape


def test_the_signature_state_is_shown_after_signing(cast, plan_2022, keys, client_for):
    decision = make_decision(cast)
    _letter(cast.office, day=decision.signed_on, kind=DocumentKind.DECISION,
            number=decision.number, target=decision)
    client = client_for(cast.office)
    assert "Chưa ký số" in client.get(reverse("awards:register")).content.decode()

    sign_decision(decision, user=cast.director, backend=signing.Pkcs12Backend(
        key_file=bytearray(keys.good.read_bytes()), password=bytearray(PASSWORD)))

    page = client.get(reverse("awards:register")).content.decode()
    assert "Đã ký số" in page and "Trần Văn Giám" in page
    book = load_workbook(io.BytesIO(build("register", {}, "xlsx").content))
    [row] = book.active.iter_rows(min_row=2, values_only=True)
    assert row[9] == "Đã ký số: Trần Văn Giám" and isinstance(row[10], datetime.datetime)


# -- who may do what -----------------------------------------------------------------------------


@pytest.mark.parametrize("role, read, keep", [
    ("director", 200, 403), ("office", 200, 200), ("admin", 200, 200), ("union", 403, 403),
    ("head_a", 403, 403), ("staff", 403, 403),
])
def test_who_reads_and_keeps_the_register(cast, client_for, role, read, keep):
    document = _letter(cast.office)
    client = client_for(cast.users()[role])

    assert client.get(reverse("awards:register")).status_code == read
    assert client.get(reverse("awards:register_new")).status_code == keep
    assert client.get(reverse("awards:register_file", args=[document.pk])).status_code in (
        {404} if read == 200 else {403})  # no file kept for it: nothing to send
    assert client.post(reverse("awards:register_cancel", args=[document.pk]),
                       {"reason": "x"}).status_code == (302 if keep == 200 else 403)


# -- two issues at once --------------------------------------------------------------------------


@POSTGRES_ONLY
@LIVE
def test_two_issues_at_once_take_two_numbers_without_a_gap(cast):
    start = threading.Barrier(2)
    numbers, errors = [], []

    def issue():
        try:
            start.wait(5)
            with transaction.atomic():
                numbers.append(_letter(cast.office, kind=DocumentKind.DECISION).number)
        except Exception as error:  # noqa: BLE001 - what the second person would see
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert errors == []
    assert sorted(numbers) == ["01/QĐ-SGDĐT", "02/QĐ-SGDĐT"]
    assert OutgoingCounter.objects.get(series=DocumentKind.DECISION).last == 2


@POSTGRES_ONLY
@LIVE
def test_many_issues_at_once_leave_no_gap_even_when_one_fails(cast):
    start = threading.Barrier(6)
    numbers, failed = [], []

    def issue(index):
        try:
            start.wait(5)
            with transaction.atomic():
                number = _letter(cast.office).number
                if index == 3:
                    raise RuntimeError("this one fails after taking its number")
                numbers.append(number)
        except RuntimeError:
            failed.append(index)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert failed == [3]
    assert sorted(numbers) == [f"0{n}/SGDĐT-VP" for n in range(1, 6)]
    assert OutgoingCounter.objects.get(series=DocumentKind.LETTER).last == 5


# -- a dossier's letter ------------------------------------------------------------------------


def test_a_dossier_sent_without_a_number_takes_the_next_letter_number(cast, people):
    from . import test_dossiers as dossier_tests
    _letter(cast.office, day=D(2023, 1, 5), kind=DocumentKind.SUBMISSION)
    dossier = dossier_tests.build(dossier_tests.FLAG, cast)
    dossier_tests.sign_all(dossier, cast)

    dossier_tests.send(dossier, cast, number="")

    dossier.refresh_from_db()
    assert dossier.sent_number == "02/TTr-SGDĐT"
    entry = OutgoingDocument.objects.get(number="02/TTr-SGDĐT")
    assert entry.target == dossier and entry.issued_on == D(2023, 1, 10)


def test_a_dossier_letter_number_already_given_is_refused(cast, people):
    from . import test_dossiers as dossier_tests
    _letter(cast.office, day=D(2023, 1, 5), kind=DocumentKind.SUBMISSION,
            number="125/TTr-SGDĐT")
    dossier = dossier_tests.build(dossier_tests.FLAG, cast)
    dossier_tests.sign_all(dossier, cast)

    with pytest.raises(services.WorkflowError, match="125/TTr-SGDĐT"):
        dossier_tests.send(dossier, cast)

    dossier.refresh_from_db()
    assert dossier.status == "draft" and dossier.sent_number == ""
