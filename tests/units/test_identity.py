"""The department's identity as data (units.Department): the administrator's page, the page
header, a new plan's defaults, and decisions that keep the header they were issued with."""

import datetime
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from awards import services as award_services
from awards.documents import build
from awards.models import Award, Nominee, Proposal, ProposalStage
from campaigns import services as campaign_services
from campaigns.models import Campaign
from units import identity
from units.models import AuditEntry, Department

from ..factories import CampaignFactory, StaffMemberFactory
from ..helpers import expect

URL = reverse("units:department")
ROOT = Path(__file__).resolve().parents[2]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
DONG_NAI = {
    "name": "Sở Giáo dục và Đào tạo Đồng Nai", "short_name": "Sở GD&ĐT Đồng Nai",
    "parent_agency": "ubnd tỉnh  đồng nai", "issuing_name": "Sở Giáo dục và Đào tạo",
    "place": "Đồng Nai", "director_name": "Lê Văn Mới", "director_title": "Giám đốc",
    "deputy_names": "Phạm Thị Một\n\n  Võ  Văn Hai ", "deputy_title": "Phó Giám đốc",
    "email": "vanphong@sgddt.dongnai.local",
}
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


def form_data(department=None, **changes):
    department = department or Department.objects.get()
    return {**DONG_NAI, "version": department.version, **changes}


def test_identity_migration_keeps_what_the_code_printed(db):
    department = Department.objects.get()
    assert department.name == "Sở Giáo dục và Đào tạo Bình Phước"
    assert department.parent_agency == "UBND TỈNH BÌNH PHƯỚC"
    assert department.place == "Bình Phước"
    assert department.issuing_name == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"


@pytest.mark.parametrize("role, status", expect(403, admin=200).items())
def test_identity_page_is_the_administrators_only(cast, client_for, role, status):
    assert client_for(getattr(cast, role)).get(URL).status_code == status


def test_identity_page_saves_audits_and_shows_in_the_header(cast, client_for):
    client = client_for(cast.admin)
    before = Department.objects.get()

    response = client.post(URL, form_data(before))

    assert response.status_code == 302
    department = Department.objects.get()
    assert department.parent_agency == "UBND TỈNH ĐỒNG NAI"  # as printed: capitals, one space
    assert department.issuing_name == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert department.deputies == ["Phạm Thị Một", "Võ Văn Hai"]
    assert department.signers()[0] == ("Lê Văn Mới", "GIÁM ĐỐC")
    assert department.version == before.version + 1
    entry = AuditEntry.objects.get(action="department.edit")
    assert entry.actor == cast.admin
    assert entry.before["name"] == "Sở Giáo dục và Đào tạo Bình Phước"
    assert entry.after["name"] == "Sở Giáo dục và Đào tạo Đồng Nai"
    assert entry.before["place"] == "Bình Phước" and entry.after["place"] == "Đồng Nai"
    page = client_for(cast.staff).get(reverse("home")).content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.endswith("· Sở GD&amp;ĐT Đồng Nai")
    assert '<span class="brand-department">Sở GD&amp;ĐT Đồng Nai</span>' in page
    assert "Sở Giáo dục và Đào tạo Đồng Nai" in page and "Bình Phước" not in page


def test_identity_page_refuses_a_stale_edit_and_keeps_the_typing(cast, client_for):
    client = client_for(cast.admin)
    stale = form_data()
    client.post(URL, form_data(name="Sở Giáo dục và Đào tạo tỉnh Một"))

    response = client.post(URL, {**stale, "name": "Sở Giáo dục và Đào tạo tỉnh Hai"})

    assert response.status_code == 200
    assert Department.objects.get().name == "Sở Giáo dục và Đào tạo tỉnh Một"
    page = response.content.decode()
    assert "Sở Giáo dục và Đào tạo tỉnh Hai" in page  # the typing, still in the form
    assert AuditEntry.objects.filter(action="department.edit").count() == 1


def test_identity_page_says_to_write_the_place_only(cast, client_for):
    response = client_for(cast.admin).post(URL, form_data(place="Đồng Nai, ngày"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["place"]
    assert Department.objects.get().place == "Bình Phước"


def test_identity_logo_takes_a_png_and_refuses_a_pdf_named_png(cast, client_for):
    client = client_for(cast.admin)
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.7 not a picture", "image/png")
    refused = client.post(URL, {**form_data(), "logo": fake})
    assert refused.status_code == 200 and not Department.objects.get().logo

    logo = SimpleUploadedFile("logo.png", PNG, "image/png")
    assert client.post(URL, {**form_data(), "logo": logo}).status_code == 302

    served = client_for(cast.staff).get(reverse("units:logo"))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    assert served["X-Content-Type-Options"] == "nosniff"
    home = client_for(cast.staff).get(reverse("home")).content.decode()
    assert f'src="{reverse("units:logo")}?v=' in home


def test_new_plan_starts_from_the_identity(cast, client_for):
    client_for(cast.admin).post(URL, form_data())

    plan = Campaign()

    assert (plan.parent_agency, plan.place, plan.signer_name, plan.signer_title) == (
        "UBND TỈNH ĐỒNG NAI", "Đồng Nai", "Lê Văn Mới", "GIÁM ĐỐC")


def _approved_nominee(cast, year, name):
    proposal = Proposal.objects.create(unit=cast.unit_a, year=year, stage=ProposalStage.APPROVED)
    Nominee.objects.create(proposal=proposal, award=Award.objects.get(code="lao-dong-tien-tien"),
                           staff=StaffMemberFactory(full_name=name, unit=cast.unit_a),
                           summary="Dạy giỏi", passed=True)


def _issue(cast, year, number):
    return award_services.issue_decision(
        award=Award.objects.get(code="lao-dong-tien-tien"), year=year, number=number,
        signed_on=datetime.date(year + 1, 1, 4), signer_name="Nguyễn Văn Phó",
        signer_title="PHÓ GIÁM ĐỐC", user=cast.office)


def _pdf_text(decision) -> str:
    built = build("decision", {"decision": decision.pk}, "pdf", lambda _percent: None)
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=built.content,
                          capture_output=True, check=True).stdout.decode()


def _printed_header(content: bytes) -> tuple[set, str]:
    """Each sheet's printed page header and the file's author, as Excel shows them."""
    book = load_workbook(io.BytesIO(content))
    return {sheet.oddHeader.left.text for sheet in book.worksheets}, book.properties.creator


def test_workbooks_print_the_department_and_a_decisions_keeps_its_own(cast, client_for):
    _approved_nominee(cast, 2024, "Trần Thị Ấu")
    issued = _issue(cast, 2024, "1802/QĐ-SGDĐT")

    def decision_header():
        return _printed_header(build("decision", {"decision": issued.pk}, "xlsx").content)

    assert decision_header() == ({"SỞ GIÁO DỤC VÀ ĐÀO TẠO BÌNH PHƯỚC"},
                                 "Sở Giáo dục và Đào tạo Bình Phước")
    # A name with "&" (Excel's header code) prints as typed, not as a code.
    client_for(cast.admin).post(URL, form_data(name="Sở GD&ĐT Đồng Nai"))
    template = client_for(cast.office).get(reverse("units:staff_template"))
    assert _printed_header(b"".join(template.streaming_content)) == (
        {"SỞ GD&&ĐT ĐỒNG NAI"}, "Sở GD&ĐT Đồng Nai")
    audit = client_for(cast.director).get(reverse("units:audit"), {"export": "xlsx"})
    assert _printed_header(b"".join(audit.streaming_content))[0] == {"SỞ GD&&ĐT ĐỒNG NAI"}
    # The decision issued before the change is handed out under the name it was issued with.
    assert decision_header() == ({"SỞ GIÁO DỤC VÀ ĐÀO TẠO BÌNH PHƯỚC"},
                                 "Sở Giáo dục và Đào tạo Bình Phước")


@needs_poppler
def test_issued_decision_keeps_its_header_after_the_identity_changes(cast, client_for):
    # No plan for these years: the header comes from the identity alone.
    _approved_nominee(cast, 2024, "Trần Thị Ấu")
    issued = _issue(cast, 2024, "1802/QĐ-SGDĐT")
    text_as_issued = _pdf_text(issued)
    assert "UBND TỈNH BÌNH PHƯỚC" in text_as_issued
    assert "Bình Phước, ngày 04 tháng 01 năm 2025" in text_as_issued

    # The merger of 01/07/2025: the administrator renames the department, the root unit too.
    client_for(cast.admin).post(URL, form_data())
    cast.root.name = "Sở Giáo dục và Đào tạo Đồng Nai"
    cast.root.save()
    issued.refresh_from_db()

    assert _pdf_text(issued) == text_as_issued
    _approved_nominee(cast, 2025, "Võ Văn Ơn")
    new = _pdf_text(_issue(cast, 2025, "12/QĐ-SGDĐT"))
    assert "UBND TỈNH ĐỒNG NAI" in new and "Đồng Nai, ngày 04 tháng 01 năm 2026" in new
    assert "Bình Phước" not in new
    keep = ROOT / "artifacts" / "documents"
    keep.mkdir(parents=True, exist_ok=True)
    (keep / "decision-after-identity-change.txt").write_text(new)


# Where a department's name may still be written: its demo, its migrations, its tests, the
# translation catalogue (English msgids name none), the documentation and the script that
# writes the documentation's sample workbooks (docs/samples/).
NAMES = ("Bình Phước", "BÌNH PHƯỚC", "Binh Phuoc", "Đồng Nai", "ĐỒNG NAI")
SOURCES = {".py", ".html", ".js", ".css", ".txt", ".toml", ".cfg", ".ini", ".sh", ".conf",
           ".json", ".yml", ".yaml", ".xml", ".svg", ".example"}
SKIPPED_DIRS = {".venv", "tests", "migrations", "locale", "docs", "node_modules", "staticfiles",
                "media", "artifacts", ".git", "__pycache__"}


def _checked(path: Path) -> bool:
    parts = set(path.relative_to(ROOT).parts)
    return (path.is_file() and not SKIPPED_DIRS & parts
            and (path.suffix in SOURCES or path.name in {"Makefile", "Dockerfile"})
            and not path.name.startswith("demo")
            and path.name not in {"load_demo.py", "make_samples.py"})


def test_no_department_name_remains_in_the_code():
    found = [f"{path.relative_to(ROOT)}: {name}" for path in ROOT.rglob("*") if _checked(path)
             for name in NAMES if name in path.read_text(encoding="utf-8", errors="replace")]
    assert found == []


def test_identity_is_read_once_and_again_after_a_save(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        first = identity.current()
    first.short_name = "Sở GD&ĐT Mới"
    first.save()
    with django_assert_num_queries(1):
        assert identity.current().short_name == "Sở GD&ĐT Mới"
    with django_assert_num_queries(0):
        identity.current()


def test_reading_the_identity_when_none_is_stored_prints_nothing(db):
    Department.objects.all().delete()
    assert identity.current().name == "" and identity.current().parent_agency == ""




def test_a_plan_copied_after_a_change_prints_the_new_identity(cast, client_for):
    old = CampaignFactory(year=2024, parent_agency="UBND TỈNH BÌNH PHƯỚC", place="Bình Phước")
    client_for(cast.admin).post(URL, form_data())

    copy = campaign_services.copy_to_year(source=old, year=2026, number="3", user=cast.office)

    assert (copy.parent_agency, copy.issuing_name, copy.place) == (
        "UBND TỈNH ĐỒNG NAI", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Đồng Nai")
    assert copy.title == old.title


def test_a_decision_of_a_year_without_a_plan_offers_the_director_as_signer(cast, client_for):
    client_for(cast.admin).post(URL, form_data())

    page = client_for(cast.director).get(reverse("awards:decision_create"), {"year": 2030})

    form = page.context["form"]
    assert (form.initial["signer_name"], form.initial["signer_title"]) == (
        "Lê Văn Mới", "GIÁM ĐỐC")


def test_audit_export_has_a_frozen_filtered_header_and_typed_cells(cast, client_for):
    """Issue 18: the header stays in view with a filter on it; an object's number is a number
    and an address a plain value, not text cells Excel flags."""
    client = client_for(cast.admin)
    client.post(URL, form_data(place="Đồng Nai"))
    client.post(URL, form_data(place="Bình Phước"))
    response = client_for(cast.director).get(reverse("units:audit"), {"export": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                    if response.streaming else response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(min_row=2))

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{1 + len(rows)}"
    numbers = [row[6] for row in rows if row[6].value is not None]
    assert numbers and all(isinstance(cell.value, int) and cell.data_type == "n"
                           for cell in numbers)
    addresses = [row[7].value for row in rows if row[7].value]
    assert addresses and all(value.count(".") == 3 for value in addresses)


def test_identity_on_a_day_reads_the_names_in_force_that_day(db, django_assert_num_queries):
    from units.models import EarlierIdentity

    today = identity.current()
    EarlierIdentity.objects.create(
        until=datetime.date(2025, 6, 30), name="Sở Giáo dục và Đào tạo Cũ",
        short_name="Sở GD&ĐT Cũ", parent_agency="UBND TỈNH CŨ", place="Tỉnh Cũ")

    before = identity.on(datetime.date(2025, 6, 30))
    after = identity.on(datetime.date(2025, 7, 1))

    assert (before.parent_agency, before.place) == ("UBND TỈNH CŨ", "Tỉnh Cũ")
    assert before.director_name == today.director_name  # signers are not dated
    assert (after.parent_agency, after.place) == (today.parent_agency, today.place)
    assert identity.on(None).place == today.place
    with django_assert_num_queries(0):  # kept with the identity
        identity.on(datetime.date(2022, 1, 4))


def test_a_document_without_a_plan_prints_the_identity_of_its_date(db):
    from awards.documents import layout
    from units.models import EarlierIdentity

    EarlierIdentity.objects.create(
        until=datetime.date(2025, 6, 30), name="Sở Giáo dục và Đào tạo Cũ",
        short_name="Sở GD&ĐT Cũ", parent_agency="UBND TỈNH CŨ", place="Tỉnh Cũ")

    old = layout.letterhead(None, number="1", date=datetime.date(2022, 12, 28))
    new = layout.letterhead(None, number="2", date=datetime.date(2026, 1, 5))

    assert (old.parent_agency, old.place) == ("UBND TỈNH CŨ", "Tỉnh Cũ")
    assert new.place == identity.current().place != "Tỉnh Cũ"


def test_running_text_names_the_department_of_the_documents_date(cast):
    """The demo after the merger: the identity is Đồng Nai's, the earlier names Bình Phước's
    until 30/06/2025, the root unit (historic data) still named as in 2022."""
    from awards.documents import layout
    from units.models import EarlierIdentity

    department = Department.objects.get()
    EarlierIdentity.objects.create(
        until=datetime.date(2025, 6, 30), name=cast.root.name, short_name="Sở GD&ĐT Cũ",
        parent_agency=department.parent_agency, place=department.place)
    department.name, department.place = "Sở Giáo dục và Đào tạo Đồng Nai", "Đồng Nai"
    department.save()
    old = CampaignFactory(year=2022, issued_on=datetime.date(2022, 1, 14), status="launched")
    new = CampaignFactory(year=2026, issued_on=datetime.date(2026, 1, 13), status="launched")

    assert layout.agency_name(new) == "Sở Giáo dục và Đào tạo Đồng Nai"
    assert layout.issued_letterhead(2026)["agency_name"] == "Sở Giáo dục và Đào tạo Đồng Nai"
    # 2022's documents stay as issued: the name of their date, the root unit's.
    assert layout.agency_name(old) == cast.root.name == layout.issued_letterhead(2022)[
        "agency_name"]
    assert layout.agency_name(old, datetime.date(2026, 1, 5)) == (
        "Sở Giáo dục và Đào tạo Đồng Nai")
