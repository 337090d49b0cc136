# ruff: noqa: F811  (the fixture of test_documents, imported, is redefined as an argument)
"""Certificates (Giấy khen) of a decision (issue 18, item 3): one page per awardee in one PDF,
the built-in design on plain paper or the texts alone at the positions of a pre-printed blank's
layout, measured in the PDF (pdftotext -bbox-layout) against the layout; the layout's form and
its calibration sheet; who may print them; the worker for a long decision."""

import datetime
import shutil
import subprocess
import unicodedata

import pytest
from django.urls import reverse
from django.utils import translation

from awards.documents import build, certificates
from awards.forms_certificate import CertificateLayoutForm
from awards.models import (
    Award,
    CertificateLayout,
    Conferral,
    Decision,
    DocumentStatus,
    GeneratedDocument,
)
from awards.models_certificate import DEFAULT_FIELDS, FIELDS
from awards.services_certificate import save_certificate_layout
from units.models import AuditEntry

from ..factories import StaffMemberFactory
from ..helpers import LIVE
from ..pdf_measure import MM, lines, page_count
from .test_documents import plan_2022  # noqa: F401  (fixture)
from .test_documents_queue import run_worker, url

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")

GK, GK_COLLECTIVE = "giay-khen-giam-doc-so", "giay-khen-tap-the"
SIGNED = datetime.date(2023, 1, 4)
# As typed in the staff lists: capitals, lower case, decomposed Unicode; printed in title case.
PEOPLE = [
    ("ĐẶNG THỊ ƯỚC", "Giáo viên", "Đặng Thị Ước"),
    ("nguyễn thị ánh tuyết", "Tổ trưởng chuyên môn", "Nguyễn Thị Ánh Tuyết"),
    (unicodedata.normalize("NFD", "Võ Văn Ơn"), "", "Võ Văn Ơn"),
    ("Lê  Văn  Đức", "Phó Hiệu trưởng", "Lê Văn Đức"),
]


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def make_decision(cast, *, code=GK, people=PEOPLE, extra=0, number="1802/QĐ-SGDĐT"):
    award = Award.objects.get(code=code)
    decision = Decision.objects.create(
        award=award, year=2022, number=number, signed_on=SIGNED, signer_name="Nguyễn Văn Phó",
        signer_title="PHÓ GIÁM ĐỐC", created_by=cast.office)
    rows = [(typed, position) for typed, position, _printed in people]
    rows += [(f"Nguyễn Văn Thêm {i}", "Giáo viên") for i in range(extra)]
    for typed, position in rows:
        staff = StaffMemberFactory(full_name=typed, position=position, unit=cast.unit_a)
        Conferral.objects.create(award=award, year=2022, staff=staff, unit=cast.unit_a,
                                 decision=decision.number, decided_on=SIGNED, issued_by=decision)
    return decision


def collective_decision(cast):
    award = Award.objects.get(code=GK_COLLECTIVE)
    decision = Decision.objects.create(
        award=award, year=2022, number="1900/QĐ-SGDĐT", signed_on=SIGNED,
        signer_name="Trần Văn Giám", signer_title="GIÁM ĐỐC", created_by=cast.office)
    for unit in (cast.unit_a, cast.unit_b):
        Conferral.objects.create(award=award, year=2022, unit=unit, decision=decision.number,
                                 decided_on=SIGNED, issued_by=decision)
    return decision


def blank_layout(cast, *, paper="a4-landscape", **moved) -> CertificateLayout:
    positions = {key: {**DEFAULT_FIELDS[key], **moved.get(key, {})} for key in FIELDS}
    return save_certificate_layout(layout=CertificateLayout(), name="Phôi Giấy khen 2022",
                                   award=None, paper=paper, positions=positions,
                                   user=cast.admin)


def pages_text(content: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          capture_output=True, check=True).stdout.decode()
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def pdf(params) -> bytes:
    return build("certificates", params, "pdf").content


# -- the built-in design ------------------------------------------------------------------------


def test_built_in_design_has_one_page_per_awardee_named_in_vietnamese_capitalisation(
        cast, plan_2022):
    decision = make_decision(cast)

    content = pdf({"decision": decision.pk})
    pages = pages_text(content)

    assert page_count(content) == len(pages) == len(PEOPLE)
    printed = sorted(printed for _typed, _position, printed in PEOPLE)
    found = sorted(name for name in printed for page in pages if f" {name} " in page)
    assert found == printed
    first = next(page for page in pages if "Ánh Tuyết" in page)
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO", "GIẤY KHEN", "Tặng",
                 "Tổ trưởng chuyên môn, Trường THPT Hùng Vương",
                 "Đã có thành tích xuất sắc trong phong trào thi đua",
                 "Quyết định số 1802/QĐ-SGDĐT ngày 04/01/2023",
                 "Bình Phước, ngày 04 tháng 01 năm 2023", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                 "Nguyễn Văn Phó", "Sổ vàng số:"):
        assert text in first, text
    # Neither the typed capitals nor a decomposed letter comes back.
    assert "ĐẶNG THỊ ƯỚC" not in " ".join(pages)
    assert all(page == unicodedata.normalize("NFC", page) for page in pages)


def test_collective_certificate_names_the_unit_as_registered(cast, plan_2022):
    decision = collective_decision(cast)

    pages = pages_text(pdf({"decision": decision.pk}))

    assert len(pages) == 2
    assert any("Tặng Trường THPT Hùng Vương" in page for page in pages)
    assert any("Tặng Trường THPT Đồng Xoài" in page for page in pages)


def test_revoked_award_gets_no_certificate_and_a_revoked_decision_none(cast, plan_2022):
    decision = make_decision(cast)
    Conferral.objects.filter(staff__full_name="ĐẶNG THỊ ƯỚC").update(
        revoked_at=datetime.datetime(2023, 2, 1, tzinfo=datetime.UTC), revoked_reason="Sai")

    pages = pages_text(pdf({"decision": decision.pk}))

    assert len(pages) == len(PEOPLE) - 1
    assert not any("Đặng Thị Ước" in page for page in pages)
    Decision.objects.filter(pk=decision.pk).update(
        revoked_at=datetime.datetime(2023, 2, 1, tzinfo=datetime.UTC))
    with pytest.raises(LookupError):
        certificates.clean({"decision": decision.pk})


def test_names_are_capitalised_without_losing_a_diacritic():
    assert certificates.person_name("ĐẶNG VĂN ƯỚC") == "Đặng Văn Ước"
    assert certificates.person_name("  trần   thị ơn ") == "Trần Thị Ơn"
    assert certificates.capitals(unicodedata.normalize("NFD", "Giấy khen đơn vị ưu tú")) == \
        "GIẤY KHEN ĐƠN VỊ ƯU TÚ"


@pytest.mark.parametrize("layout", [False, True], ids=["built-in", "blank"])
def test_certificates_embed_every_font(cast, plan_2022, layout):
    decision = make_decision(cast)
    params = {"decision": decision.pk}
    if layout:
        params["layout"] = blank_layout(cast).pk

    report = subprocess.run(["pdffonts", "-"], input=pdf(params), capture_output=True,
                            check=True).stdout.decode().splitlines()[2:]

    assert report
    # Columns: name type encoding emb sub uni object ID; "emb" is the fourth from the end.
    assert all(line.split()[-5] == "yes" for line in report), report


def test_parts_made_side_by_side_come_back_as_one_pdf_in_the_decision_order(cast, plan_2022):
    # A long decision is made in parts of CHUNK pages, in parallel processes; two-page parts
    # here, so five certificates are three parts joined.
    decision = make_decision(cast, extra=1)
    texts = certificates.certificates(decision)
    progress = []

    content, count = certificates.design(texts, progress.append, chunk=2)

    pages = pages_text(content)
    assert count == page_count(content) == len(pages) == len(texts) == 5
    for page, text in zip(pages, texts, strict=True):
        assert f" {text['name']} " in page and f"Sổ vàng số: {text['book']}" in page, page
        # The frame, laid out once, is under every page.
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "GIẤY KHEN Tặng" in page
    assert progress == sorted(progress) and progress[-1] == 90 and len(progress) == 3
    report = subprocess.run(["pdffonts", "-"], input=content, capture_output=True,
                            check=True).stdout.decode().splitlines()[2:]
    assert report and all(line.split()[-5] == "yes" for line in report), report


def test_blank_parts_print_the_shared_texts_under_each_awardees_own(cast, plan_2022):
    decision = make_decision(cast, extra=1)
    texts = certificates.certificates(decision)
    blank = blank_layout(cast)

    content, count = certificates.blank_pdf(texts, certificates.blank_fields(blank),
                                            blank.size, chunk=2)

    pages = pages_text(content)
    assert count == len(pages) == len(texts) == 5
    for page, text in zip(pages, texts, strict=True):
        assert text["name"] in page and text["book"] in page and "1802/QĐ-SGDĐT" in page, page
        assert "Đã có thành tích xuất sắc" in page, page


# -- the pre-printed blanks ----------------------------------------------------------------------


def test_blank_prints_each_text_where_its_layout_sets_it_within_a_millimetre(cast, plan_2022):
    decision = make_decision(cast, people=PEOPLE[:1])
    # Left-aligned texts, each on a line of its own, so their boxes start at x.
    moved = {"name": {"x": 60.5, "y": 80, "align": "left"},
             "position": {"x": 62, "y": 95.5, "align": "left"},
             "number": {"x": 35, "y": 150, "align": "left"},
             "date": {"x": 35, "y": 158, "align": "left"},
             "book": {"x": 35, "y": 166.5, "align": "left"},
             "place_date": {"x": 150, "y": 130, "align": "left"},
             "signer_name": {"x": 170, "y": 178, "align": "left"}}
    layout = blank_layout(cast, **moved)

    content = pdf({"decision": decision.pk, "layout": layout.pk})
    page = lines(content)[0]

    texts = {"name": "Đặng Thị Ước", "position": "Giáo viên, Trường THPT Hùng Vương",
             "number": "1802/QĐ-SGDĐT", "date": "04/01/2023", "book": "01",
             "place_date": "Bình Phước, ngày 04 tháng 01 năm 2023",
             "signer_name": "Nguyễn Văn Phó"}
    for key, text in texts.items():
        line = next(line for line in page if line.text == text)
        assert abs(line.x0 / MM - moved[key]["x"]) < 1, (key, line.x0 / MM)
        assert abs(line.y0 / MM - moved[key]["y"]) < 1, (key, line.y0 / MM)
    # Nothing but the texts: no national title, no frame's words.
    assert not any("CỘNG HÒA" in line.text for line in page)


def test_centred_text_is_centred_in_its_width(cast, plan_2022):
    decision = make_decision(cast, people=PEOPLE[:1])
    layout = blank_layout(cast, name={"x": 50, "y": 90, "width": 180, "align": "center"})

    line = next(line for line in lines(pdf({"decision": decision.pk, "layout": layout.pk}))[0]
                if line.text == "Đặng Thị Ước")

    assert abs((line.x0 + line.x1) / 2 / MM - (50 + 180 / 2)) < 1


def test_portrait_blank_is_a4_portrait(cast, plan_2022):
    decision = make_decision(cast, people=PEOPLE[:1])
    layout = blank_layout(cast, paper="a4-portrait")

    info = subprocess.run(["pdfinfo", "-"], input=pdf({"decision": decision.pk,
                                                         "layout": layout.pk}),
                          capture_output=True, check=True).stdout.decode()

    assert "595.276 x 841.89 pts (A4)" in info


def _form_data(**changed):
    data = {"name": "Phôi Giấy khen", "award": "", "paper": "a4-landscape"}
    for key in FIELDS:
        for part in ("x", "y", "width", "size", "align"):
            data[f"{key}_{part}"] = str(DEFAULT_FIELDS[key][part]).replace(".", ",")
        data[f"{key}_shown"] = "on"
    return {**data, **changed}


def test_form_reads_comma_decimals(db):
    form = CertificateLayoutForm(_form_data(name_x="12,5", name_y="80.5"))

    assert form.is_valid(), form.errors
    assert (form.positions()["name"]["x"], form.positions()["name"]["y"]) == (12.5, 80.5)


def test_form_refuses_a_position_off_the_paper_in_vietnamese(db):
    form = CertificateLayoutForm(_form_data(name_x="310", date_y="208", book_size="2",
                                            position_width="260"))

    assert not form.is_valid()
    assert form.errors["name_x"] == [
        "Tên người (tập thể) được khen nằm ngoài tờ giấy: x phải từ 0 đến dưới 297 mm trên "
        "khổ A4 ngang."]
    assert "tràn ra mép dưới tờ giấy" in form.errors["date_y"][0]
    assert "cỡ chữ từ 6 đến 48" in form.errors["book_size"][0]
    assert "tràn ra ngoài tờ giấy" in form.errors["position_width"][0]


def test_portrait_paper_moves_the_edge(db):
    form = CertificateLayoutForm(_form_data(paper="a4-portrait"))

    assert not form.is_valid()  # the landscape defaults pass 210 mm across
    assert "210 mm trên khổ A4 dọc" in " ".join(sum(form.errors.values(), []))


def test_calibration_sheet_has_the_grid_labels_and_every_field(cast):
    layout = blank_layout(cast)

    content = certificates.calibration_pdf(layout)
    page = lines(content)[0]
    words = {line.text for line in page} | {word for line in page
                                             for word in line.text.split()}

    assert page_count(content) == 1
    assert {str(mm) for mm in range(10, 297, 10)} <= words
    text = " ".join(line.text for line in page)
    for label in ("Tên người (tập thể) được khen", "Số quyết định", "Số vào sổ"):
        assert label in text
    assert "Nguyễn Thị Ánh Tuyết" in text
    # The label 100 of the top ruler stands just right of the 100 mm line.
    hundred = min((line for line in page if line.text.split()[0] == "100"),
                  key=lambda line: line.y0)
    assert 100 <= hundred.x0 / MM <= 102.5


# -- pages and access ------------------------------------------------------------------------------


def test_administrator_saves_a_layout_from_the_page_and_it_is_audited(cast, client_for):
    client = client_for(cast.admin)

    response = client.post(reverse("awards:certificate_layout_create"),
                           _form_data(name_x="40,5"))

    layout = CertificateLayout.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:certificate_layout", args=[layout.pk])
    assert layout.field("name")["x"] == 40.5
    entry = AuditEntry.objects.get(action="certificate_layout.save")
    assert entry.after["layout"] == "Phôi Giấy khen"
    calibration = client.get(reverse("awards:certificate_layout_calibration", args=[layout.pk]))
    assert calibration.status_code == 200
    assert b"".join(calibration.streaming_content).startswith(b"%PDF")


def test_refused_position_shows_the_form_again_with_the_reason(cast, client_for):
    response = client_for(cast.admin).post(reverse("awards:certificate_layout_create"),
                                           _form_data(signer_name_y="250"))

    assert response.status_code == 200
    assert "Họ tên người ký nằm ngoài tờ giấy" in response.content.decode()
    assert not CertificateLayout.objects.exists()


@pytest.mark.parametrize("role", ["director", "office", "union", "head_a", "head_b", "staff"])
def test_only_the_administrator_edits_layouts(cast, client_for, role):
    layout = blank_layout(cast)
    client = client_for(cast.users()[role])

    for name, args in (("certificate_layouts", []), ("certificate_layout_create", []),
                       ("certificate_layout", [layout.pk]),
                       ("certificate_layout_calibration", [layout.pk])):
        assert client.get(reverse(f"awards:{name}", args=args)).status_code == 403, name
    assert client.post(reverse("awards:certificate_layout_remove",
                               args=[layout.pk])).status_code == 403
    assert CertificateLayout.objects.exists()


@pytest.mark.parametrize(("role", "status"), [
    ("director", 200), ("office", 200), ("union", 200), ("admin", 200), ("head_a", 200),
    ("staff", 200), ("head_b", 404)])
def test_certificates_go_to_whoever_may_read_the_decision(cast, client_for, plan_2022, role,
                                                          status):
    decision = make_decision(cast, people=PEOPLE[:2])  # unit A's people only

    response = client_for(cast.users()[role]).get(url(kind="certificates", fmt="pdf",
                                                      decision=decision.pk))

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_decision_page_offers_the_built_in_design_and_the_layouts_of_its_award(cast, client_for,
                                                                              plan_2022):
    decision = make_decision(cast, people=PEOPLE[:1])
    any_award = blank_layout(cast)
    other = save_certificate_layout(
        layout=CertificateLayout(), name="Phôi Lao động tiên tiến",
        award=Award.objects.get(code="lao-dong-tien-tien"), paper="a4-landscape",
        positions=DEFAULT_FIELDS, user=cast.admin)

    page = client_for(cast.head_a).get(reverse("awards:decision", args=[decision.pk]))
    html = page.content.decode()

    assert "In giấy khen" in html
    assert "Giấy A4 trắng, mẫu có sẵn" in html
    assert f'value="{any_award.pk}"' in html
    assert f'value="{other.pk}"' not in html
    # Only the administrator is shown the way to the layouts.
    assert reverse("awards:certificate_layouts") not in html
    admin_page = client_for(cast.admin).get(reverse("awards:decision", args=[decision.pk]))
    assert reverse("awards:certificate_layouts") in admin_page.content.decode()


@LIVE
def test_a_long_decision_goes_through_the_worker(cast, client_for, plan_2022, settings,
                                                 tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    decision = make_decision(cast, people=[], extra=certificates.DIRECT_CERTIFICATES + 1)
    layout = blank_layout(cast)
    client = client_for(cast.office)

    response = client.get(url(kind="certificates", fmt="pdf", decision=decision.pk,
                              layout=layout.pk))

    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:document", args=[document.pk])
    assert document.status == DocumentStatus.QUEUED
    run_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE
    assert document.pages == document.rows == certificates.DIRECT_CERTIFICATES + 1
    assert document.filename == "giay-khen-phoi-1802-QD-SGDDT.pdf"
    download = client.get(reverse("awards:document_file", args=[document.pk]))
    assert page_count(b"".join(download.streaming_content)) == document.pages
