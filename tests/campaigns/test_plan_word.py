"""The plan as Word (.docx, issue 18 item 2): the Decree 30 layout of the printed plan, for
whoever may read the plan, kept in "My documents"."""

import io

from django.urls import reverse
from docx import Document

from awards.models import GeneratedDocument
from campaigns import services
from core import word

from ..factories import plan


def test_the_plan_downloads_as_word_in_the_decree30_layout(cast, client_for, settings,
                                                          tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign = plan(units=[cast.unit_a])
    services.launch(campaign=campaign, user=cast.office)
    response = client_for(cast.head_a).get(reverse("campaigns:plan_docx", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == word.CONTENT_TYPE
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    left, right = doc.tables[0].rows[0].cells
    assert f"Số: {campaign.code}" in [p.text for p in left.paragraphs]
    assert right.paragraphs[0].text.replace("\xa0", " ") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    body = [p.text for p in doc.paragraphs]
    assert "KẾ HOẠCH" in body and "II. NỘI DUNG THỰC HIỆN" in body
    recipients, sign = doc.tables[1].rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert sign.paragraphs[-1].text == campaign.signer_name
    assert GeneratedDocument.objects.filter(requested_by=cast.head_a, file_format="docx"
                                            ).exists()


def test_a_draft_plan_as_word_is_the_offices_alone(cast, client_for):
    campaign = plan(units=[cast.unit_a])
    url = reverse("campaigns:plan_docx", args=[campaign.pk])
    assert client_for(cast.head_a).get(url).status_code == 404
    assert client_for(cast.office).get(url).status_code == 200


def _template(*paragraphs) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    grid = doc.add_table(rows=3, cols=2)
    grid.cell(0, 0).text = "{%tr for r in noi_dung %}"
    grid.cell(1, 0).text, grid.cell(1, 1).text = "{{ r.stt }}", "{{ r.noi_dung }}"
    grid.cell(2, 0).text = "{%tr endfor %}"
    stream = io.BytesIO()
    doc.save(stream)
    return stream.getvalue()


def test_the_plan_uses_the_departments_template_with_its_placeholders(cast, client_for,
                                                                     settings, tmp_path):
    """The template is uploaded on the awards page and stored there; the plan (campaigns,
    which cannot import awards) reads it through core.word_templates."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    campaign = plan(units=[cast.unit_a])
    services.launch(campaign=campaign, user=cast.office)
    upload = client_for(cast.admin).post(reverse("awards:word_templates"), {
        "kind": "plan", "file": SimpleUploadedFile("ke-hoach.docx", _template(
            "Số: {{ so_hieu }}", "{{ dia_danh }}, {{ ngay_ky }}", "{{ ten_phong_trao }}",
            "{{ nguoi_ky }}"))})
    assert upload.status_code == 302

    response = client_for(cast.head_a).get(reverse("campaigns:plan_docx", args=[campaign.pk]))

    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    body = [p.text for p in doc.paragraphs]
    assert body[0] == f"Số: {campaign.code}"
    assert body[2] == campaign.title and body[3] == campaign.signer_name
    rows = doc.tables[0].rows
    items = list(campaign.items.all())
    assert [row.cells[1].text for row in rows] == [item.text for item in items]


def test_a_plan_template_with_a_decisions_placeholder_is_refused(cast, client_for, settings,
                                                                 tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards.models import WordTemplate

    settings.MEDIA_ROOT = tmp_path
    response = client_for(cast.admin).post(reverse("awards:word_templates"), {
        "kind": "plan", "file": SimpleUploadedFile("ke-hoach.docx", _template(
            "{{ danh_hieu }}"))})
    assert "{{ danh_hieu }}" in response.content.decode().replace("&#x7B;", "{")
    assert not WordTemplate.objects.exists()
