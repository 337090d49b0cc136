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
