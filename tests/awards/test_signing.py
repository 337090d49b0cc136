# ruff: noqa: F811  (the fixtures of test_documents, imported, are redefined as arguments)
"""Digital signatures on decisions (issue 18, item 1): the director signs a decision's PDF with a
PKCS#12 key file, every download then serves the signed file, and the verification page reads
any PDF's signatures. The keys come from a throwaway CA made for each test (signing_keys.py)."""

import http.server
import io
import shutil
import subprocess
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards import signing
from awards.documents import build
from awards.models import SignedDecision
from awards.services_signing import render_for_signing, sign_decision
from units.models import AuditEntry

from ..pdf_measure import find, lines
from .signing_keys import PASSWORD, make_keys
from .test_documents import make_decision, plan_2022  # noqa: F401  (fixtures)

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


@pytest.fixture
def keys(tmp_path, settings):
    made = make_keys(tmp_path)
    settings.SIGNATURE_TRUST_ROOTS = [str(made.root_pem)]
    settings.SIGNATURE_TSA_URL = ""
    return made


def _backend(path, password=PASSWORD):
    return signing.Pkcs12Backend(key_file=bytearray(path.read_bytes()),
                                 password=bytearray(password))


def _sign_page(client, decision, path, password=PASSWORD):
    return client.post(reverse("awards:decision_sign", args=[decision.pk]), {
        "key_file": SimpleUploadedFile(path.name, path.read_bytes(),
                                       content_type="application/x-pkcs12"),
        "password": password.decode()})


def _verify_page(client, content, name="qd.pdf"):
    return client.post(reverse("awards:signature_verify"),
                       {"pdf": SimpleUploadedFile(name, content)})


def _download(client, decision):
    response = client.get(reverse("awards:document_get"),
                          {"kind": "decision", "fmt": "pdf", "decision": decision.pk})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# -- the round trip ------------------------------------------------------------------------------


def test_sign_then_verify_round_trip(cast, plan_2022, keys, client_for):
    decision = make_decision(cast)
    director = client_for(cast.director)

    response = _sign_page(director, decision, keys.good)

    assert response.status_code == 302
    signed = SignedDecision.objects.get(decision=decision)
    assert signed.serial == format(keys.good_serial, "x")
    assert "Nguyễn Văn Phó" in signed.subject
    content = _download(client_for(cast.head_a), decision)  # a unit it names, later
    assert signing.sha256(content) == signed.sha256
    with signed.unsigned_file.open("rb") as unsigned:
        assert signing.sha256(unsigned.read()) == signed.unsigned_sha256
    [found] = signing.verify_pdf(content)
    assert found.valid and found.trusted and found.covers_all
    assert found.signer == "Nguyễn Văn Phó"
    page = _verify_page(director, content).content.decode()
    assert "Chữ ký hợp lệ và văn bản không bị thay đổi kể từ khi ký." in page
    assert "Nguyễn Văn Phó" in page


def test_signing_is_audited_with_certificate_and_both_hashes(cast, plan_2022, keys, client_for):
    decision = make_decision(cast)

    _sign_page(client_for(cast.director), decision, keys.good)

    signed = SignedDecision.objects.get(decision=decision)
    line = AuditEntry.objects.get(action="decision.sign")
    assert line.actor == cast.director and line.object_id == str(decision.pk)
    assert line.before == {"sha256": signed.unsigned_sha256}
    assert line.after["sha256"] == signed.sha256 != signed.unsigned_sha256
    assert line.after["serial"] == signed.serial
    assert "Nguyễn Văn Phó" in line.after["certificate"]


def test_signed_pdf_is_served_by_the_worker_path_too(cast, plan_2022, keys):
    decision = make_decision(cast)
    signed = sign_decision(decision, user=cast.director, backend=_backend(keys.good))

    built = build("decision", {"decision": decision.pk}, "pdf")  # what the worker calls

    assert signing.sha256(built.content) == signed.sha256
    assert build("decision", {"decision": decision.pk}, "xlsx").filename.endswith(".xlsx")


def test_a_revoked_signed_decision_downloads_with_its_revocation_printed(cast, plan_2022, keys,
                                                                          client_for):
    from awards.services import revoke_decision

    decision = make_decision(cast)
    signed = sign_decision(decision, user=cast.director, backend=_backend(keys.good))
    revoke_decision(decision, reason="Sai đối tượng", user=cast.director)

    content = _download(client_for(cast.director), decision)

    assert signing.sha256(content) != signed.sha256
    assert signing.verify_pdf(content) == []
    assert SignedDecision.objects.filter(pk=signed.pk).exists()  # the signed file stays kept


@needs_poppler
def test_the_stamp_sits_in_the_signature_space_between_title_and_name(cast, plan_2022, keys):
    decision = make_decision(cast)
    pdf, _pages, stamp = render_for_signing(decision)
    page = lines(pdf)[stamp.page]
    height = 841.89  # A4 in points; pdftotext's y grows down
    title, name = find(page, "PHÓ GIÁM ĐỐC"), find(page, "Nguyễn Văn Phó")
    x0, y0, x1, y1 = stamp.box

    assert title.y1 <= height - y1 and height - y0 <= name.y0  # between, covering neither
    assert x0 <= name.x0 and name.x1 <= x1 or abs((x0 + x1) / 2 - (name.x0 + name.x1) / 2) < 20


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils missing")
def test_pdfsig_reads_the_signature_as_valid(cast, plan_2022, keys, tmp_path):
    decision = make_decision(cast)
    signed = sign_decision(decision, user=cast.director, backend=_backend(keys.good))
    path = tmp_path / "signed.pdf"
    with signed.file.open("rb") as stored:
        path.write_bytes(stored.read())

    report = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True,
                            check=False).stdout

    assert "Signature is Valid." in report
    assert "Nguyễn Văn Phó" in report
    assert "Total document signed" in report


@pytest.fixture
def timestamp_server(keys, settings):
    """An RFC 3161 timestamp server on localhost (pyHanko's test timestamper behind a bare HTTP
    server): the timestamp path is exercised without the network."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import tsp
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    def asn1(cert):
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    stamper = DummyTimeStamper(
        tsa_cert=asn1(keys.tsa_cert), certs_to_embed=[asn1(keys.root)],
        tsa_key=asn1_keys.PrivateKeyInfo.load(keys.tsa_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            asked = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            answer = stamper.request_tsa_response(asked).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SIGNATURE_TSA_URL = f"http://127.0.0.1:{server.server_port}/"
    yield server
    server.shutdown()
    server.server_close()


def test_a_configured_timestamp_server_stamps_the_signature(cast, plan_2022, keys,
                                                              timestamp_server, client_for):
    decision = make_decision(cast)
    signed = sign_decision(decision, user=cast.director, backend=_backend(keys.good))
    with signed.file.open("rb") as stored:
        content = stored.read()

    [found] = signing.verify_pdf(content)
    page = _verify_page(client_for(cast.director), content).content.decode()

    assert signed.timestamped and found.timestamped_at is not None and found.valid
    assert "(máy chủ cấp dấu thời gian)" in page


def test_an_unreachable_timestamp_server_leaves_the_decision_unsigned(cast, plan_2022, keys,
                                                                      settings, client_for):
    settings.SIGNATURE_TSA_URL = "http://127.0.0.1:9/"  # the discard port: nothing answers
    decision = make_decision(cast)

    response = _sign_page(client_for(cast.director), decision, keys.good)

    assert "Máy chủ cấp dấu thời gian (http://127.0.0.1:9/) không trả lời" in \
        response.content.decode()
    assert not SignedDecision.objects.exists()
    assert not (settings.MEDIA_ROOT / "signed").exists()


# -- bad input -------------------------------------------------------------------------------------


def test_wrong_password_is_refused_and_nothing_is_kept(cast, plan_2022, keys, client_for,
                                                        settings):
    decision = make_decision(cast)

    response = _sign_page(client_for(cast.director), decision, keys.good, b"sai-mat-khau")

    assert "mật khẩu không đúng" in response.content.decode()
    assert not SignedDecision.objects.exists()
    assert not AuditEntry.objects.filter(action="decision.sign").exists()
    assert not (settings.MEDIA_ROOT / "signed").exists()


@pytest.mark.parametrize(("which", "says"), [
    ("expired", "Chứng thư số đã hết hạn ngày"),
    ("not_yet", "Chứng thư số chưa có hiệu lực"),
    ("wrong_usage", "Chứng thư số này không dùng để ký"),
])
def test_a_certificate_that_may_not_sign_is_refused(cast, plan_2022, keys, client_for, which,
                                                     says):
    decision = make_decision(cast)

    response = _sign_page(client_for(cast.director), decision, getattr(keys, which))

    assert says in response.content.decode()
    assert not SignedDecision.objects.exists()
    # The unsigned PDF is still what a download gives.
    assert signing.verify_pdf(_download(client_for(cast.director), decision)) == []


def test_a_key_file_of_another_type_is_refused(cast, plan_2022, keys, client_for):
    decision = make_decision(cast)
    response = client_for(cast.director).post(
        reverse("awards:decision_sign", args=[decision.pk]),
        {"key_file": SimpleUploadedFile("khoa.txt", b"abc"), "password": "x"})
    assert "phải là tệp .p12 hoặc .pfx" in response.content.decode()


def test_a_decision_is_signed_once(cast, plan_2022, keys):
    decision = make_decision(cast)
    sign_decision(decision, user=cast.director, backend=_backend(keys.good))
    with pytest.raises(signing.SigningError, match="đã được ký số"):
        sign_decision(decision, user=cast.director, backend=_backend(keys.good))


def test_the_backend_zeroes_the_key_file_and_password_after_use(keys):
    key_file, password = bytearray(keys.good.read_bytes()), bytearray(PASSWORD)
    backend = signing.Pkcs12Backend(key_file=key_file, password=password)
    backend.signer()
    backend.close()
    assert set(key_file) == {0} and set(password) == {0}


def test_tampering_one_byte_is_reported(cast, plan_2022, keys, client_for):
    decision = make_decision(cast)
    signed = sign_decision(decision, user=cast.director, backend=_backend(keys.good))
    with signed.file.open("rb") as stored:
        content = bytearray(stored.read())
    # One byte of the page content (inside the signed range), changed.
    at = content.index(b"stream") + 20
    content[at] ^= 0x01

    [found] = signing.verify_pdf(bytes(content))
    page = _verify_page(client_for(cast.head_a), bytes(content)).content.decode()

    assert not found.valid
    assert "Chữ ký KHÔNG hợp lệ" in page


def test_a_change_appended_after_signing_is_reported(cast, plan_2022, keys, client_for):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    decision = make_decision(cast)
    signed = sign_decision(decision, user=cast.director, backend=_backend(keys.good))
    with signed.file.open("rb") as stored:
        writer = IncrementalPdfFileWriter(io.BytesIO(stored.read()))
    # A later incremental update that rewrites the first page's content: what a forger adds.
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    replaced = generic.StreamObject(stream_data=b"BT /F1 12 Tf 100 700 Td (Gia mao) Tj ET")
    page["/Contents"] = writer.add_object(replaced)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)

    [found] = signing.verify_pdf(out.getvalue())
    page = _verify_page(client_for(cast.director), out.getvalue()).content.decode()

    assert found.intact and found.changed_after and not found.valid
    assert "Văn bản đã bị thay đổi sau khi ký" in page


def test_a_signature_under_an_unknown_root_is_said_untrusted(cast, plan_2022, keys, settings,
                                                             client_for):
    decision = make_decision(cast)
    signed = sign_decision(decision, user=cast.director, backend=_backend(keys.good))
    settings.SIGNATURE_TRUST_ROOTS = [str(keys.folder / "elsewhere.pem")]  # missing: none
    with signed.file.open("rb") as stored:
        page = _verify_page(client_for(cast.director), stored.read()).content.decode()
    assert "Chưa kiểm tra: cổng chưa cấu hình chứng thư gốc tin cậy nào." in page


def test_verifying_a_non_pdf_or_an_unsigned_pdf_says_so(cast, plan_2022, keys, client_for):
    client = client_for(cast.staff)
    assert "Tệp này không phải PDF" in _verify_page(client, b"PK\x03\x04 not a pdf",
                                                      "a.docx").content.decode()
    unsigned = build("decision", {"decision": make_decision(cast).pk}, "pdf").content
    assert "PDF này không có chữ ký số" in _verify_page(client, unsigned).content.decode()


# -- who may ---------------------------------------------------------------------------------------


def test_only_a_signer_opens_the_signing_page(cast, plan_2022, keys, client_for):
    decision = make_decision(cast, people=[("Lê Văn Một", "Giáo viên", "a")])  # unit A only
    url = reverse("awards:decision_sign", args=[decision.pk])
    assert client_for(cast.director).get(url).status_code == 200
    assert client_for(cast.office).get(url).status_code == 403
    assert client_for(cast.head_a).get(url).status_code == 403  # reads the decision; no more
    assert client_for(cast.head_b).get(url).status_code == 404  # not even told it exists


def test_the_verification_page_is_public_only_when_the_setting_says(client_for, settings, db):
    url = reverse("awards:signature_verify")
    assert client_for(None).get(url).status_code == 302
    settings.SIGNATURE_VERIFY_PUBLIC = True
    assert client_for(None).get(url).status_code == 200


# -- the certificate's name against the decision's signer (issue 18 loose ends) -----------------


@pytest.mark.parametrize(("certificate", "signer", "same"), [
    ("Nguyễn Văn Phó", "Nguyễn Văn Phó", True),
    ("NGUYEN VAN PHO", "Nguyễn Văn Phó", True),
    ("Văn Phó Nguyễn", "Nguyễn Văn Phó", True),  # family name last, as some CAs write it
    ("Nguyễn Văn Phó (Giám đốc)", "Nguyễn  Văn Phó", True),
    ("Nguyễn Văn Phòng", "Nguyễn Văn Phó", False),
    ("Trần Thị Khác", "Nguyễn Văn Phó", False),
    ("", "Nguyễn Văn Phó", False),
])
def test_same_person_ignores_case_accents_and_name_order(certificate, signer, same):
    assert signing.same_person(certificate, signer) is same


def test_a_certificate_of_another_person_is_refused_and_nothing_is_kept(cast, plan_2022, keys,
                                                                         client_for):
    decision = make_decision(cast)

    response = _sign_page(client_for(cast.director), decision, keys.other_person)

    assert ("Chứng thư số của Trần Thị Khác không phải của người ký quyết định Nguyễn Văn Phó"
            in response.content.decode())
    assert not SignedDecision.objects.exists()
    assert not AuditEntry.objects.filter(action="decision.sign").exists()


def test_an_override_without_a_reason_is_refused(cast, plan_2022, keys, client_for):
    decision = make_decision(cast)
    path = keys.other_person
    response = client_for(cast.director).post(
        reverse("awards:decision_sign", args=[decision.pk]), {
            "key_file": SimpleUploadedFile(path.name, path.read_bytes()),
            "password": PASSWORD.decode(), "name_override": "on", "override_reason": " "})
    assert "Hãy ghi lý do" in response.content.decode()
    assert not SignedDecision.objects.exists()


def test_an_override_with_a_reason_signs_and_is_audited(cast, plan_2022, keys, client_for):
    decision = make_decision(cast)
    path = keys.other_person
    response = client_for(cast.director).post(
        reverse("awards:decision_sign", args=[decision.pk]), {
            "key_file": SimpleUploadedFile(path.name, path.read_bytes()),
            "password": PASSWORD.decode(), "name_override": "on",
            "override_reason": "Ký thay theo Quyết định phân công số 12/QĐ-SGDĐT"})

    assert response.status_code == 302
    signed = SignedDecision.objects.get(decision=decision)
    assert "Trần Thị Khác" in signed.subject
    line = AuditEntry.objects.get(action="decision.sign")
    assert line.after["name_override"] == "Ký thay theo Quyết định phân công số 12/QĐ-SGDĐT"
    assert line.after["signer_named"] == "Nguyễn Văn Phó"


# -- a long decision: laid out by the worker, signed in the request ------------------------------


def test_a_long_decision_is_prepared_by_the_worker_then_signed(cast, plan_2022, keys, client_for,
                                                               monkeypatch):
    from awards import services_signing
    from awards.jobs import generate_document
    from awards.models import DocumentStatus, GeneratedDocument

    monkeypatch.setattr(services_signing, "DIRECT_ROWS", 2)  # the test decision has 3 awardees
    decision = make_decision(cast)
    director = client_for(cast.director)
    url = reverse("awards:decision_sign", args=[decision.pk])
    assert "Chuẩn bị bản PDF để ký" in director.get(url).content.decode()

    # Signing before the PDF is prepared: nothing signed, the key file not even read.
    _sign_page(director, decision, keys.good)
    assert not SignedDecision.objects.exists()

    assert director.post(url, {"prepare": "1"}).status_code == 302
    copy = GeneratedDocument.objects.get(kind="decision_signing")
    waiting = director.get(url)
    assert waiting["Refresh"] and "đang được chuẩn bị" in waiting.content.decode()
    assert generate_document.call(copy.pk) == DocumentStatus.DONE
    copy.refresh_from_db()

    response = _sign_page(director, decision, keys.good)

    assert response.status_code == 302
    signed = SignedDecision.objects.get(decision=decision)
    with copy.file.open("rb") as prepared:
        assert signing.sha256(prepared.read()) == signed.unsigned_sha256
    assert signed.pages == copy.pages
    [found] = signing.verify_pdf(_download(director, decision))
    assert found.valid and found.covers_all and found.signer == "Nguyễn Văn Phó"


def test_only_a_signer_prepares_a_decision_for_signing(cast, plan_2022, client_for):
    decision = make_decision(cast)
    response = client_for(cast.office).get(reverse("awards:document_get"), {
        "kind": "decision_signing", "fmt": "pdf", "decision": decision.pk})
    assert response.status_code == 403


# -- revocation on the verification page ---------------------------------------------------------


def _signed_with(cast, path):
    decision = make_decision(cast)
    signed = sign_decision(decision, user=cast.director, backend=_backend(path))
    with signed.file.open("rb") as stored:
        return stored.read()


def test_revocation_is_said_not_checked_when_the_setting_is_off(cast, plan_2022, keys,
                                                                client_for, settings):
    settings.SIGNATURE_CHECK_REVOCATION = False
    content = _signed_with(cast, keys.revoked)

    [found] = signing.verify_pdf(content)
    page = _verify_page(client_for(cast.director), content).content.decode()

    assert found.revocation == signing.NOT_CHECKED and found.valid
    assert "Chưa kiểm tra thu hồi chứng thư (không bật kiểm tra trực tuyến)" in page


def test_a_revoked_certificate_is_reported_revoked_from_its_crl(cast, plan_2022, keys,
                                                                client_for, settings):
    settings.SIGNATURE_CHECK_REVOCATION = True
    settings.SIGNATURE_CRL_FILES = [str(keys.crl)]
    content = _signed_with(cast, keys.revoked)

    [found] = signing.verify_pdf(content)
    page = _verify_page(client_for(cast.director), content).content.decode()

    assert found.revocation == signing.REVOKED and not found.valid
    assert found.revoked_reason == "key_compromise"
    assert "Chứng thư số đã bị thu hồi" in page
    assert "Chữ ký hợp lệ" not in page


def test_a_certificate_not_on_the_crl_is_reported_not_revoked(cast, plan_2022, keys, settings):
    settings.SIGNATURE_CHECK_REVOCATION = True
    settings.SIGNATURE_CRL_FILES = [str(keys.crl)]

    [found] = signing.verify_pdf(_signed_with(cast, keys.good))

    assert found.revocation == signing.NOT_REVOKED and found.valid and found.trusted


def test_a_crl_that_cannot_be_had_is_said_so(cast, plan_2022, keys, settings):
    settings.SIGNATURE_CHECK_REVOCATION = True  # no local CRL; its address is a closed port
    settings.SIGNATURE_CRL_FILES = []

    [found] = signing.verify_pdf(_signed_with(cast, keys.good))

    assert found.revocation == signing.UNAVAILABLE and found.intact
