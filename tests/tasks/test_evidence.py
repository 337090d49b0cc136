"""Evidence uploads are checked by content and only ever downloaded through an access check."""

import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks import services
from tasks.models import Evidence

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx(extra_bytes=0, compressible=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if extra_bytes:
            archive.writestr("word/media/big.bin",
                             b"\x00" * extra_bytes if compressible else b"x" * extra_bytes)
    return buffer.getvalue()


@pytest.fixture
def draft(cast, work):
    return services.save_report(assignment=work.assignment_a,
                                period=work.assignment_a.period("2022-Q1"),
                                data={"value": Decimal(80)}, user=cast.head_a)


def _upload(client, report, name, content):
    return client.post(reverse("tasks:evidence_upload", args=[report.pk]),
                       {"file": SimpleUploadedFile(name, content)}, follow=True)


@pytest.mark.parametrize(("name", "content"), [
    ("bien-ban.pdf", PDF), ("anh-niem-yet.png", PNG), ("bao-cao.docx", _docx()),
])
def test_good_files_are_stored_under_a_random_name(cast, client_for, draft, settings, name,
                                                   content):
    _upload(client_for(cast.head_a), draft, name, content)

    evidence = Evidence.objects.get()
    assert evidence.original_name == name
    assert name not in evidence.file.name
    assert evidence.file.path.startswith(str(settings.MEDIA_ROOT))
    with open(evidence.file.path, "rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == evidence.sha256


@pytest.mark.parametrize(("name", "content", "message"), [
    ("trang.html", b"<html><script>alert(1)</script></html>", "không được chấp nhận"),
    ("hinh.svg", b"<svg onload='alert(1)'/>", "không được chấp nhận"),
    ("setup.exe", b"MZ\x90\x00", "không được chấp nhận"),
    ("gia-mao.pdf", b"MZ\x90\x00 not a pdf", "không phải là tệp .pdf"),
    ("gia-mao.docx", PDF, "không phải là tệp .docx"),
    ("rong.pdf", b"", "rỗng"),
    ("bom.docx", _docx(5_000_000, compressible=True), "giải nén"),
])
def test_bad_files_are_refused_and_nothing_stored(cast, client_for, draft, settings, name,
                                                  content, message):
    response = _upload(client_for(cast.head_a), draft, name, content)

    assert message in response.content.decode()
    assert not Evidence.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize("name", ["../../etc/bien-ban.pdf", "C:\\fakepath\\bien-ban.pdf"])
def test_a_path_in_the_file_name_never_reaches_storage(cast, client_for, draft, name):
    # Django's upload parser keeps only the base name; check_evidence refuses anything else, and
    # the stored name is random either way.
    _upload(client_for(cast.head_a), draft, name, PDF)

    evidence = Evidence.objects.get()
    assert evidence.original_name == "bien-ban.pdf"
    assert "etc" not in evidence.file.name and "fakepath" not in evidence.file.name


def test_oversized_file_is_refused(cast, client_for, draft, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    response = _upload(client_for(cast.head_a), draft, "lon.pdf", PDF + b"0" * 2000)

    assert "giới hạn" in response.content.decode()
    assert not Evidence.objects.exists()


def test_download_is_an_attachment_never_rendered(cast, client_for, draft):
    _upload(client_for(cast.head_a), draft, "bien-ban.pdf", PDF)
    evidence = Evidence.objects.get()

    response = client_for(cast.union).get(reverse("tasks:evidence", args=[evidence.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_other_unit_cannot_download_or_delete(cast, client_for, draft):
    _upload(client_for(cast.head_a), draft, "bien-ban.pdf", PDF)
    evidence = Evidence.objects.get()
    client = client_for(cast.head_b)

    assert client.get(reverse("tasks:evidence", args=[evidence.pk])).status_code == 404
    assert client.post(reverse("tasks:evidence_delete", args=[evidence.pk])).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_no_evidence_added_after_submission(cast, client_for, draft):
    services.submit(report=draft, user=cast.head_a)

    response = client_for(cast.head_a).post(
        reverse("tasks:evidence_upload", args=[draft.pk]),
        {"file": SimpleUploadedFile("muon.pdf", PDF)}, follow=True)

    assert "chỉ có thể thêm" in response.content.decode().lower()
    assert not Evidence.objects.exists()


# --- preview in the browser -----------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("bien-ban.pdf", PDF, "application/pdf"), ("anh-niem-yet.png", PNG, "image/png"),
])
def test_a_pdf_or_photo_is_previewed_inline_and_sandboxed(cast, client_for, draft, name,
                                                          content, content_type):
    _upload(client_for(cast.head_a), draft, name, content)
    evidence = Evidence.objects.get()

    response = client_for(cast.office).get(reverse("tasks:evidence_preview",
                                                   args=[evidence.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type  # the type checked at upload
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and response["X-Frame-Options"] == "DENY"
    assert b"".join(response.streaming_content) == content


def test_a_word_document_has_no_preview(cast, client_for, draft):
    _upload(client_for(cast.head_a), draft, "bao-cao.docx", _docx())
    evidence = Evidence.objects.get()

    response = client_for(cast.head_a).get(reverse("tasks:evidence_preview", args=[evidence.pk]))
    page = client_for(cast.head_a).get(draft.get_absolute_url()).content.decode()

    assert response.status_code == 404
    assert reverse("tasks:evidence_preview", args=[evidence.pk]) not in page
    assert reverse("tasks:evidence", args=[evidence.pk]) in page  # downloaded, as before


def test_preview_needs_the_same_access_as_the_download(cast, client_for, draft):
    _upload(client_for(cast.head_a), draft, "bien-ban.pdf", PDF)
    url = reverse("tasks:evidence_preview", args=[Evidence.objects.get().pk])

    assert client_for(cast.head_b).get(url).status_code == 404
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


def test_the_report_page_shows_photos_and_links_pdfs_to_their_preview(cast, client_for, draft):
    client = client_for(cast.head_a)
    _upload(client, draft, "bien-ban.pdf", PDF)
    _upload(client, draft, "anh-niem-yet.png", PNG)
    pdf, png = Evidence.objects.order_by("id")

    page = client.get(draft.get_absolute_url()).content.decode()

    assert f'<img src="{reverse("tasks:evidence_preview", args=[png.pk])}"' in page
    assert f'href="{reverse("tasks:evidence_preview", args=[pdf.pk])}" target="_blank"' in page


@pytest.mark.parametrize("url", ["tasks:evidence", "tasks:evidence_preview"])
def test_a_file_gone_from_the_disk_is_not_found_and_logged(cast, client_for, draft, url,
                                                           caplog):
    """A restore without the media folder, or a file removed by hand: the person gets the
    not-found page instead of a server error, and the log names the file to bring back."""
    _upload(client_for(cast.head_a), draft, "bien-ban.pdf", PDF)
    evidence = Evidence.objects.get()
    evidence.file.storage.delete(evidence.file.name)

    response = client_for(cast.office).get(reverse(url, args=[evidence.pk]))

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert any(evidence.file.name in record.getMessage() for record in caplog.records)
