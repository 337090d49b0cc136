"""The score sheet as one form: each button (Save, Upload, Remove, Confirm) saves what is typed
first and then does its step, all or nothing, with an audit line for each; a refused press, a
stale page or a sheet locked meanwhile keeps what was typed."""

import datetime
import html
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.uploads import check_evidence
from scoring import services
from scoring.models import Score, ScoreEvidence, Sheet
from units.models import AuditEntry

from ..helpers import changed_tables, db_snapshot

DEADLINE = datetime.date(2099, 12, 31)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def opened(scored, cast):
    return services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)


@pytest.fixture
def manual(opened, cast, scored):
    return Score.objects.get(round=opened, unit=cast.unit_a, criterion=scored.c4)


def url(scored, cast):
    return reverse("scoring:sheet", args=[scored.campaign.pk, cast.unit_a.pk])


def page_data(client, scored, cast, **typed):
    """What the browser sends back: the page's own form as rendered, then `typed`."""
    from tests.security.formdata import form_data

    address = url(scored, cast)
    data = {k: v[0] for k, v in form_data(client.get(address).content.decode(),
                                            address).items()}
    return {**data, **typed}


def actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def files_under(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def pdf(name="bien-ban.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_upload_saves_the_typing_first_in_the_same_press(cast, client_for, scored, manual):
    client = client_for(cast.head_a)
    data = page_data(client, scored, cast, **{
        f"points_{manual.pk}": "17,5", f"note_{manual.pk}": "Ba buổi tuyên truyền.",
        f"file_{manual.pk}": pdf(), "upload": str(manual.pk)})
    before = actions()

    response = client.post(url(scored, cast), data, follow=True)

    assert "Đã lưu 1 tiêu chí. Đã thêm tệp." in html.unescape(response.content.decode())
    manual.refresh_from_db()
    assert (manual.points, manual.note, manual.updated_by) == (D("17.5"), "Ba buổi tuyên truyền.",
                                                               cast.head_a)
    assert ScoreEvidence.objects.get(score=manual).original_name == "bien-ban.pdf"
    assert actions()[len(before):] == ["scoring.sheet_self", "scoring.evidence_added"]


def test_a_file_refused_by_its_content_keeps_the_typing_and_stores_nothing(
        cast, client_for, scored, manual, settings):
    client = client_for(cast.head_a)
    data = page_data(client, scored, cast, **{
        f"points_{manual.pk}": "15", f"note_{manual.pk}": "Có biên bản.",
        f"file_{manual.pk}": pdf("anh.pdf", PNG), "upload": str(manual.pk)})
    before, files = db_snapshot(), files_under(settings.MEDIA_ROOT)

    response = client.post(url(scored, cast), data)

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "không phải là tệp .pdf" in page
    assert f'id="id_file_{manual.pk}_error"' in page  # beside its box
    assert "Tệp bạn đã chọn chưa được lưu: hãy chọn lại tệp." in page
    assert 'value="15"' in page and "Có biên bản.</textarea>" in page
    assert changed_tables(before, db_snapshot()) == []
    assert files_under(settings.MEDIA_ROOT) == files


def test_upload_without_a_file_asks_for_one_and_saves_nothing(cast, client_for, scored, manual):
    client = client_for(cast.head_a)
    data = page_data(client, scored, cast, **{
        f"points_{manual.pk}": "15", f"note_{manual.pk}": "Có biên bản.",
        "upload": str(manual.pk)})
    before = db_snapshot()

    response = client.post(url(scored, cast), data)

    assert "Hãy chọn tệp trước, rồi bấm Tải lên." in html.unescape(response.content.decode())
    assert changed_tables(before, db_snapshot()) == []


def test_the_same_file_twice_is_attached_once(cast, client_for, scored, manual):
    client = client_for(cast.head_a)
    for _press in range(2):
        response = client.post(url(scored, cast), page_data(client, scored, cast, **{
            f"file_{manual.pk}": pdf(), "upload": str(manual.pk)}), follow=True)

    assert "Tệp này đã được đính kèm" in html.unescape(response.content.decode())
    assert ScoreEvidence.objects.filter(score=manual).count() == 1


def _attach(manual, cast, name="bien-ban.pdf"):
    upload = pdf(name)
    return services.add_score_evidence(score=manual, checked=check_evidence(upload), upload=upload,
                                       user=cast.head_a)


def test_remove_saves_the_typing_then_removes_the_file(cast, client_for, scored, manual):
    evidence = _attach(manual, cast)
    client = client_for(cast.head_a)
    data = page_data(client, scored, cast, **{
        f"points_{manual.pk}": "12", f"note_{manual.pk}": "Biên bản gửi bổ sung sau.",
        "remove": str(evidence.pk)})
    before = actions()

    response = client.post(url(scored, cast), data, follow=True)

    assert "Đã lưu 1 tiêu chí. Đã xóa tệp." in html.unescape(response.content.decode())
    assert not ScoreEvidence.objects.exists()
    manual.refresh_from_db()
    assert (manual.points, manual.note) == (D(12), "Biên bản gửi bổ sung sau.")
    assert actions()[len(before):] == ["scoring.sheet_self", "scoring.evidence_removed"]


def test_removing_the_only_file_behind_points_without_a_note_is_refused(
        cast, client_for, scored, manual):
    evidence = _attach(manual, cast)
    sheet = Sheet.objects.get(round=manual.round, unit=cast.unit_a)
    services.save_sheet(sheet=sheet, changes={manual: (D(15), "")}, user=cast.head_a,
                        expected_version=sheet.version)
    client = client_for(cast.head_a)
    before = db_snapshot()

    response = client.post(url(scored, cast), page_data(client, scored, cast,
                                                        remove=str(evidence.pk)))

    assert f'id="id_note_{manual.pk}_error"' in response.content.decode()
    assert "đính kèm tài liệu kiểm chứng hoặc viết giải trình" in response.content.decode()
    assert changed_tables(before, db_snapshot()) == []


def test_confirm_saves_the_typing_then_confirms(cast, client_for, scored, manual):
    sheet = Sheet.objects.get(round=manual.round, unit=cast.unit_a)
    services.save_sheet(sheet=sheet, changes={manual: (D(15), "Có biên bản.")},
                        user=cast.head_a, expected_version=sheet.version)
    client = client_for(cast.head_a)
    data = page_data(client, scored, cast, **{
        f"points_{manual.pk}": "16", "action": "confirm"})
    before = actions()

    response = client.post(url(scored, cast), data, follow=True)

    assert "Đã xác nhận kết quả tự đánh giá" in html.unescape(response.content.decode())
    sheet.refresh_from_db()
    manual.refresh_from_db()
    assert sheet.confirmed_by == cast.head_a and manual.points == D(16)
    assert actions()[len(before):] == ["scoring.sheet_self", "scoring.sheet_confirm"]


def test_confirming_with_points_emptied_is_refused_beside_the_box(cast, client_for, scored,
                                                                  manual):
    sheet = Sheet.objects.get(round=manual.round, unit=cast.unit_a)
    services.save_sheet(sheet=sheet, changes={manual: (D(15), "Có biên bản.")},
                        user=cast.head_a, expected_version=sheet.version)
    client = client_for(cast.head_a)
    data = page_data(client, scored, cast, **{f"points_{manual.pk}": "", "action": "confirm"})
    before = db_snapshot()

    response = client.post(url(scored, cast), data)

    assert "Hãy nhập điểm trước khi xác nhận." in html.unescape(response.content.decode())
    assert changed_tables(before, db_snapshot()) == []


def test_a_refusal_after_an_upload_rolls_back_the_rows_and_the_file(cast, scored, manual,
                                                                    settings):
    sheet = Sheet.objects.get(round=manual.round, unit=cast.unit_a)
    upload = pdf()
    before, files = db_snapshot(), files_under(settings.MEDIA_ROOT)

    # Criterion 4 has no points yet: confirming is refused after the file was stored.
    with pytest.raises(ValidationError):
        services.save_page(sheet=sheet, changes={}, user=cast.head_a,
                           expected_version=sheet.version,
                           uploads=[(manual, check_evidence(upload), upload)], confirm=True)

    assert changed_tables(before, db_snapshot()) == []
    assert files_under(settings.MEDIA_ROOT) == files


def test_a_stale_page_keeps_the_typing_and_shows_what_the_other_person_saved(
        cast, client_for, scored, manual):
    client = client_for(cast.head_a)
    stale = page_data(client, scored, cast)
    sheet = Sheet.objects.get(round=manual.round, unit=cast.unit_a)
    services.save_sheet(sheet=sheet, changes={manual: (D(15), "Biên bản quý 1.")},
                        user=cast.head_a, expected_version=sheet.version)
    after_first = db_snapshot()

    response = client.post(url(scored, cast), {**stale, f"points_{manual.pk}": "18",
                                               f"note_{manual.pk}": "Ba buổi, có biên bản."})

    page = html.unescape(response.content.decode())
    assert str(services.SheetConflict.message) in page
    assert "Biên bản quý 1." in page and "Ngô Thị Ánh" in page  # theirs, and who
    assert 'value="18"' in page and "Ba buổi, có biên bản.</textarea>" in page  # mine
    assert f'name="version" value="{Sheet.objects.get(pk=sheet.pk).version}"' in page
    assert changed_tables(after_first, db_snapshot()) == []

    # The page shown again carries the current version: saving it replaces theirs knowingly.
    again = page_data(client, scored, cast)
    again.update({k: v for k, v in _form_of(page).items() if not k.startswith("csrf")})
    assert client.post(url(scored, cast), again).status_code == 302
    manual.refresh_from_db()
    assert (manual.points, manual.note) == (D(18), "Ba buổi, có biên bản.")


def _form_of(page):
    from tests.security.formdata import form_data

    return {k: v[0] for k, v in form_data(page, "").items()}


def test_a_stale_page_takes_their_values_where_the_person_typed_nothing(
        cast, client_for, scored, opened):
    """In the appraisal, the Office saves criterion 1 while the Union, on a page opened before,
    types criterion 4 only: the Union's page shows the Office's criterion 1 in its boxes (saving
    it must not undo the Office's work) and keeps the Union's typing in criterion 4."""
    first = Sheet.objects.get(round=opened, unit=cast.unit_a)
    c4 = Score.objects.get(round=opened, unit=cast.unit_a, criterion=scored.c4)
    services.save_sheet(sheet=first, changes={c4: (D(18), "Có biên bản.")}, user=cast.head_a,
                        expected_version=first.version)
    appraisal = services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    c1 = Score.objects.get(round=appraisal, unit=cast.unit_a, criterion=scored.c1)
    a4 = Score.objects.get(round=appraisal, unit=cast.unit_a, criterion=scored.c4)
    union = client_for(cast.union)
    stale = page_data(union, scored, cast)
    sheet = Sheet.objects.get(round=appraisal, unit=cast.unit_a)
    services.save_sheet(sheet=sheet, changes={c1: (D(20), "Thiếu một quý.")}, user=cast.office,
                        expected_version=sheet.version)

    response = union.post(url(scored, cast), {**stale, f"points_{a4.pk}": "16",
                                              f"note_{a4.pk}": "Thiếu biên bản quý 2."})

    form = _form_of(response.content.decode())
    assert (form[f"points_{c1.pk}"], form[f"note_{c1.pk}"]) == ("20", "Thiếu một quý.")
    assert (form[f"points_{a4.pk}"], form[f"note_{a4.pk}"]) == ("16", "Thiếu biên bản quý 2.")
    assert "Của họ, đã đưa vào biểu mẫu" in html.unescape(response.content.decode())
    assert union.post(url(scored, cast), {**stale, **form}).status_code == 302
    c1.refresh_from_db()
    a4.refresh_from_db()
    assert (c1.points, a4.points, a4.note) == (D(20), D(16), "Thiếu biên bản quý 2.")


def test_a_sheet_confirmed_in_another_tab_shows_the_typing_to_copy(cast, client_for, scored,
                                                                   manual):
    client = client_for(cast.head_a)
    sheet = Sheet.objects.get(round=manual.round, unit=cast.unit_a)
    services.save_sheet(sheet=sheet, changes={manual: (D(15), "Có biên bản.")},
                        user=cast.head_a, expected_version=sheet.version)
    stale = page_data(client, scored, cast)
    services.confirm_sheet(sheet=sheet, user=cast.head_a, expected_version=sheet.version)
    before = db_snapshot()

    response = client.post(url(scored, cast), {**stale, f"note_{manual.pk}": "Sửa sau."})

    page = html.unescape(response.content.decode())
    assert "Kết quả tự đánh giá đã được xác nhận lúc" in page
    assert "Sửa sau." in page  # to copy
    assert 'id="sheet-form"' not in page
    assert changed_tables(before, db_snapshot()) == []


def test_enter_in_a_box_saves(cast, client_for, scored, manual):
    """The first button of the form, the one Enter presses, is Save (not a file's Remove)."""
    _attach(manual, cast)
    page = client_for(cast.head_a).get(url(scored, cast)).content.decode()
    form = page[page.index('id="sheet-form"'):]
    first = form[form.index("<button"):form.index("</button>")]
    assert 'name="action" value="save"' in first
