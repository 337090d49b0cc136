"""Digital signatures (PAdES) on the Department's PDFs, with pyHanko: signing and verifying.

No models here: `awards.services_signing` signs a decision and keeps the file; the pages are
awards/views/signing.py. See docs/signing.md for the settings and the remote signer interface.

The director's key file (PKCS#12) and its password live only in memory, for one request:
- the sign view accepts uploads through Django's memory upload handler alone
  (awards/views/signing.py), so the key file is never written to a temporary file, and a file
  above SIGNATURE_KEY_FILE_MAX_BYTES is dropped rather than spooled to disk;
- the form never puts them in the session or re-renders the password; error reports hide them
  (sensitive_post_parameters / sensitive_variables);
- `Pkcs12Backend` keeps them in bytearrays and `close()` overwrites them with zeros once the
  signature is made. Python's own copies (the decoded key inside `cryptography` and pyHanko,
  the request's body buffer) cannot be wiped from Python; they go with the request's objects.
"""

import asyncio
import datetime
import hashlib
import io
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)
# pyHanko logs a warning with a traceback for every signature whose chain does not reach a
# trusted root; the verification page says so to the person, so the log is spared it.
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.ERROR)

FIELD_NAME = "ChuKySo"  # the signature field's name in the PDF (Vietnamese readers see it)
STAMP_POINTS = 9
SIGNING_USAGES = ("digital_signature", "content_commitment")  # content_commitment = nonRepudiation


class SigningError(Exception):
    """Signing refused, with the Vietnamese message that says what is wrong."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Backends: who holds the key --------------------------------------------------------------


class SigningBackend(Protocol):
    """What signs: the built-in PKCS#12 key file, or a deployment's signing service.

    SIGNATURE_BACKEND names the class (dotted path). It is made for one request with the
    key file and password the director uploaded (None when `needs_key_file` is False: a remote
    service that authenticates the signer itself, e.g. by `user`), and must give pyHanko a
    `pyhanko.sign.signers.Signer` (a remote service subclasses it and implements
    `async_sign_raw`). `close()` is called whatever happens.
    """

    needs_key_file: bool

    def __init__(self, *, user, key_file: bytearray | None, password: bytearray | None): ...

    def signer(self):
        """A pyhanko Signer whose `signing_cert` is the signer's certificate; raises
        SigningError with a message for the signer."""

    def close(self) -> None: ...


def backend_class():
    return import_string(settings.SIGNATURE_BACKEND)


class Pkcs12Backend:
    """The director's own key file (.p12/.pfx), uploaded with its password for one signature."""

    needs_key_file = True

    def __init__(self, *, user=None, key_file: bytearray | None, password: bytearray | None):
        self._key_file = key_file if key_file is not None else bytearray()
        self._password = password if password is not None else bytearray()

    def signer(self):
        from pyhanko.sign.signers import SimpleSigner
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        try:
            key, cert, extra = pkcs12.load_key_and_certificates(
                bytes(self._key_file), bytes(self._password) or None)
        except ValueError:
            raise SigningError(_("The key file could not be opened: the password is wrong, or "
                                 "the file is not a PKCS#12 key file (.p12, .pfx).")) from None
        if key is None or cert is None:
            raise SigningError(_("The key file holds no private key with its certificate: "
                                 "export it again from the token with the private key."))
        check_certificate(cert)
        chain = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in extra]
        signing_key = asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()))
        return SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)),
            signing_key=signing_key, cert_registry=SimpleCertificateStore.from_certs(chain))

    def close(self) -> None:
        # Overwrite the key file and its password in place (see the module's docstring).
        for buffer in (self._key_file, self._password):
            buffer[:] = bytes(len(buffer))


def check_certificate(cert: x509.Certificate, now=None) -> None:
    """Refuse a certificate that may not sign today: outside its validity, or without the
    signing usage (digitalSignature or nonRepudiation) when it states its usages."""
    now = now or timezone.now()
    if now < cert.not_valid_before_utc:
        raise SigningError(_("The certificate is not valid yet: it is valid from %(date)s.")
                           % {"date": _local(cert.not_valid_before_utc)})
    if now > cert.not_valid_after_utc:
        raise SigningError(_("The certificate expired on %(date)s: renew it with the "
                             "certification authority and sign with the new key file.")
                           % {"date": _local(cert.not_valid_after_utc)})
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not any(getattr(usage, name) for name in SIGNING_USAGES):
        raise SigningError(_("This certificate is not for signing (its key usage has neither "
                             "digital signature nor non-repudiation): use the signing "
                             "certificate of the token."))


def name_words(name: str) -> list[str]:
    """A person's name as words without accents or case ("Nguyễn Văn Ấn" -> nguyen van an);
    what a certificate adds in brackets (a title, a tax code) is left out."""
    from units.collation import search_key

    return search_key(re.sub(r"\(.*?\)", " ", name or "")).split()


def same_person(certificate_name: str, signer_name: str) -> bool:
    """Whether a certificate's common name names the decision's signer: the same words whatever
    the accents and case; Vietnamese names are written family name first, but some
    certification authorities write the family name last ("Van An Nguyen")."""
    cert, signer = name_words(certificate_name), name_words(signer_name)
    if not cert or not signer:
        return False
    return cert == signer or cert == signer[1:] + signer[:1]


def name_mismatch(cert, signer_name: str) -> str:
    """The message refusing a certificate (asn1crypto) that names someone other than the
    decision's signer, or "" when they agree."""
    name = _common_name(cert)
    if same_person(name, signer_name):
        return ""
    return (_("The digital certificate is %(certificate)s's, not that of the decision's signer "
              "%(signer)s. Sign with the signer's own key file, or, if another person signs on "
              "their behalf by a decision, tick the override and write the reason.")
            % {"certificate": name or subject_text(cert), "signer": signer_name})


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


# --- Signing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """Where the visible stamp goes and what it says."""

    page: int  # 0-based
    # PDF points, origin at the page's bottom left; None: the PDF already has the empty
    # signature field (with_signature_field, done ahead by the worker)
    box: tuple[float, float, float, float] | None
    name: str
    title: str


@dataclass(frozen=True)
class Signed:
    content: bytes
    subject: str  # the certificate's subject, as read by people
    serial: str  # hexadecimal
    at: datetime.datetime
    timestamped: bool


_font_kept: dict = {}
# What a stamp can say: ASCII, Latin-1 and Latin Extended (đ, ơ, ư), the Vietnamese tones.
STAMP_CHARACTERS = "".join(chr(c) for c in [*range(0x20, 0x7F), *range(0xA0, 0x250),
                                            *range(0x1EA0, 0x1F00)])


def _stamp_font_bytes() -> bytes:
    """The stamp's font cut down once per process to the letters a stamp can use: pyHanko
    subsets the font it is given at every signature, and the whole of Liberation Serif costs
    half a second to subset, the cut-down one a few milliseconds."""
    if "font" not in _font_kept:
        from fontTools import subset, ttLib

        font = ttLib.TTFont(settings.SIGNATURE_STAMP_FONT)
        options = subset.Options()
        options.name_IDs = ["*"]  # pyHanko reads the PostScript name
        options.hinting = False  # the stamp is printed and zoomed, never rasterised small
        options.notdef_outline = True
        options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing to print
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=STAMP_CHARACTERS)
        subsetter.subset(font)
        kept = io.BytesIO()
        font.save(kept)
        _font_kept["font"] = kept.getvalue()
    return _font_kept["font"]


def _stamp_font():
    """The stamp's font (Liberation Serif: every Vietnamese letter), measured in thousandths of
    an em as PDF widths are: pyHanko writes a TrueType font's widths in its own units (2,048 an
    em for Liberation), which spreads each line of the stamp to twice its width."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class Thousandths(GlyphAccumulator):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._em = 1000 / self.units_per_em
            self.units_per_em = 1000
            self.hb_font.scale = (1000, 1000)

        def _get_cid_and_width(self, glyph_id):
            if glyph_id not in self._glyphs:
                cid, width = super()._get_cid_and_width(glyph_id)
                self._glyphs[glyph_id] = (cid, round(width * self._em))
            return self._glyphs[glyph_id]

    class Factory(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None):
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return Thousandths(writer=writer, font_handle=io.BytesIO(_stamp_font_bytes()),
                               font_size=self.font_size, obj_stream=obj_stream)

    # The same size as the text box's, or each line drifts sideways.
    return Factory(settings.SIGNATURE_STAMP_FONT, font_size=STAMP_POINTS)


def with_signature_field(pdf: bytes, stamp: Stamp) -> bytes:
    """The PDF with an empty signature field at the stamp's place (an incremental update): a
    later `sign_pdf` fills it without laying the document out again."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec(
        sig_field_name=FIELD_NAME, on_page=stamp.page, box=stamp.box))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _outside_event_loop(call, *args, **kwargs):
    """call(*args, **kwargs), in a thread of its own when this thread runs an event loop.

    pyHanko's synchronous API wraps its async core in asyncio.run(), which refuses to start
    inside a running loop: an ASGI server's thread, or a process where Playwright's sync API
    keeps one (the browser tests). A short-lived thread has no loop of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call, *args, **kwargs).result()


def sign_pdf(pdf: bytes, signer, stamp: Stamp, *, at=None) -> Signed:
    """The PDF signed (PAdES B-B, or B-T with SIGNATURE_TSA_URL) with a visible stamp."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError
    from pyhanko.stamp import TextStampStyle

    at = at or timezone.now()
    when = timezone.localtime(at).strftime("%d/%m/%Y %H:%M:%S")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if stamp.box is not None:
        fields.append_signature_field(writer, fields.SigFieldSpec(
            sig_field_name=FIELD_NAME, on_page=stamp.page, box=stamp.box))
    style = TextStampStyle(
        stamp_text=_("Signed by: %(name)s\n%(title)s\nTime: %(when)s"),
        text_box_style=TextBoxStyle(font=_stamp_font(), font_size=STAMP_POINTS),
        border_width=1, background=None)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=stamp.name, reason=_("Signed the decision"), location=None)
    tsa = settings.SIGNATURE_TSA_URL
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style,
                                   timestamper=HTTPTimeStamper(tsa) if tsa else None)
    out = io.BytesIO()
    try:
        _outside_event_loop(pdf_signer.sign_pdf, writer, output=out, appearance_text_params={
            "name": stamp.name, "title": stamp.title, "when": when})
    except TimestampRequestError:
        logger.exception("Timestamp server %s failed", tsa)
        raise SigningError(_("The timestamp server (%(url)s) did not answer: the decision was "
                             "left unsigned. Try again later, or ask the administrator to check "
                             "the timestamp server.") % {"url": tsa}) from None
    except Exception as error:  # pyHanko and the TSA raise many kinds; none half-signs a file
        logger.exception("Signing failed")
        raise SigningError(_("The signature could not be made (%(error)s); the decision was "
                             "left unsigned.") % {"error": error}) from None
    cert = signer.signing_cert
    return Signed(content=out.getvalue(), subject=subject_text(cert),
                  serial=format(cert.serial_number, "x"), at=at, timestamped=bool(tsa))


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- Verification ------------------------------------------------------------------------------


def trust_roots() -> list:
    """The configured trusted roots (asn1crypto certificates): SIGNATURE_TRUST_ROOTS_DIR's
    .pem/.crt/.cer/.der files and the files of SIGNATURE_TRUST_ROOTS."""
    from asn1crypto import pem

    paths = [Path(p) for p in settings.SIGNATURE_TRUST_ROOTS]
    folder = settings.SIGNATURE_TRUST_ROOTS_DIR
    if folder and Path(folder).is_dir():
        paths += sorted(p for p in Path(folder).iterdir()
                        if p.suffix.lower() in (".pem", ".crt", ".cer", ".der"))
    roots = []
    for path in paths:
        try:
            data = path.read_bytes()
            if pem.detect(data):
                roots += [asn1_x509.Certificate.load(der) for _t, _h, der in pem.unarmor(
                    data, multiple=True)]
            else:
                roots.append(asn1_x509.Certificate.load(data))
        except (OSError, ValueError):
            logger.error("Trusted root %s could not be read; it is left out.", path)
    return roots


@dataclass
class Found:
    """One signature of a verified PDF, as the verification page reads it."""

    signer: str  # the certificate's subject common name
    subject: str
    serial: str
    signed_at: datetime.datetime | None
    timestamped_at: datetime.datetime | None
    intact: bool  # the signed bytes are unchanged and the cryptography holds
    changed_after: bool  # something was added or changed after this signature
    trusted: bool  # the certificate chains to a configured trusted root
    covers_all: bool
    notes: list = field(default_factory=list)
    # Revocation of the certificate (REVOCATION_*); the date and reason when revoked.
    revocation: str = "not_checked"
    revoked_at: datetime.datetime | None = None
    revoked_reason: str = ""

    @property
    def valid(self) -> bool:
        return self.intact and not self.changed_after and self.revocation != REVOKED

    @property
    def revoked_reason_text(self) -> str:
        return str(REVOCATION_REASONS.get(self.revoked_reason, self.revoked_reason))


# What the verification page says of the certificate's revocation.
NOT_CHECKED = "not_checked"  # SIGNATURE_CHECK_REVOCATION is off
NOT_REVOKED = "not_revoked"  # its CRL or OCSP answered: not revoked
REVOKED = "revoked"
NO_ADDRESS = "no_address"  # checking on, but the certificate names no CRL or OCSP address
UNAVAILABLE = "unavailable"  # checking on, its CRL/OCSP could not be had


# The CRL's reason codes (RFC 5280) as the page says them.
REVOCATION_REASONS = {
    "unspecified": gettext_lazy("no reason given"),
    "key_compromise": gettext_lazy("the private key was compromised"),
    "ca_compromise": gettext_lazy("the certification authority was compromised"),
    "affiliation_changed": gettext_lazy("the holder's organisation changed"),
    "superseded": gettext_lazy("replaced by a new certificate"),
    "cessation_of_operation": gettext_lazy("no longer used"),
    "certificate_hold": gettext_lazy("suspended"),
    "privilege_withdrawn": gettext_lazy("the right to sign was withdrawn"),
}


def local_crls() -> list[bytes]:
    """The CRL files of SIGNATURE_CRL_FILES (DER or PEM), as bytes; an unreadable one is left
    out and logged."""
    from asn1crypto import pem

    crls = []
    for path in settings.SIGNATURE_CRL_FILES:
        try:
            data = Path(path).read_bytes()
        except OSError:
            logger.error("CRL file %s could not be read; it is left out.", path)
            continue
        crls += ([der for _t, _h, der in pem.unarmor(data, multiple=True)]
                 if pem.detect(data) else [data])
    return crls


def _has_revocation_address(cert) -> bool:
    return bool(cert is not None and (cert.crl_distribution_points or cert.ocsp_urls))


def _revocation(status, checking: bool) -> dict:
    """The revocation fields of a Found from pyHanko's status."""
    from pyhanko.sign.ades.report import AdESIndeterminate

    if not checking:
        return {"revocation": NOT_CHECKED}
    details = status.revocation_details
    if details is not None:
        return {"revocation": REVOKED, "revoked_at": details.revocation_date,
                "revoked_reason": details.revocation_reason.native or "unspecified"}
    if not _has_revocation_address(status.signing_cert):
        return {"revocation": NO_ADDRESS}
    if status.trust_problem_indic == AdESIndeterminate.TRY_LATER:  # no answer to be had
        return {"revocation": UNAVAILABLE}
    return {"revocation": NOT_REVOKED if status.trusted else UNAVAILABLE}


class NotVerifiable(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def verify_pdf(data: bytes) -> list[Found]:
    """Every signature of the PDF, checked; raises NotVerifiable (with the message) for a file
    that is not a readable PDF."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    if not data.startswith(b"%PDF-"):
        raise NotVerifiable(_("This file is not a PDF: choose the signed PDF file."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as error:
        raise NotVerifiable(_("This PDF is damaged and could not be read (%(error)s).")
                            % {"error": error}) from None
    roots = trust_roots()
    checking = settings.SIGNATURE_CHECK_REVOCATION
    crls = local_crls() if checking else []
    found = []
    for embedded in signatures:
        # Checking: a certificate that names a CRL/OCSP address must have an answer from it
        # (hard-fail); one that names none is not asked. Not checking: nothing fetched.
        context = ValidationContext(trust_roots=roots, allow_fetching=checking, crls=crls,
                                    revocation_mode="hard-fail" if checking else "soft-fail")
        cert = embedded.signer_cert
        notes = []
        try:
            status = _outside_event_loop(validate_pdf_signature, embedded, context)
        except (SignatureValidationError, PdfError, ValueError) as error:
            found.append(Found(
                signer=_common_name(cert), subject=subject_text(cert),
                serial=format(cert.serial_number, "x") if cert else "", signed_at=None,
                timestamped_at=None, intact=False, changed_after=True, trusted=False,
                covers_all=False, notes=[str(error)]))
            continue
        covers_all = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        changed = not covers_all and status.modification_level not in (
            ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
        stamp = status.timestamp_validity
        found.append(Found(
            signer=_common_name(status.signing_cert),
            subject=subject_text(status.signing_cert),
            serial=format(status.signing_cert.serial_number, "x"),
            signed_at=status.signer_reported_dt,
            timestamped_at=stamp.timestamp if stamp else None,
            intact=status.intact and status.valid, changed_after=changed,
            trusted=status.trusted, covers_all=covers_all, notes=notes,
            **_revocation(status, checking)))
    return found


# The subject's attributes as certificates print them (RFC 4514), not asn1crypto's English names.
SHORT_NAMES = {"common_name": "CN", "organization_name": "O", "organizational_unit_name": "OU",
               "locality_name": "L", "state_or_province_name": "ST", "country_name": "C",
               "email_address": "E", "serial_number": "SERIALNUMBER", "title": "T",
               "user_id": "UID"}


def subject_text(cert) -> str:
    """"CN=Nguyễn Văn A, O=Sở GD&ĐT, C=VN": the subject as every verifier prints it."""
    if cert is None:
        return ""
    parts = []
    for key, value in cert.subject.native.items():
        for one in value if isinstance(value, list) else [value]:
            parts.append(f"{SHORT_NAMES.get(key, key)}={one}")
    return ", ".join(parts)


def _common_name(cert) -> str:
    if cert is None:
        return ""
    return cert.subject.native.get("common_name", "") or subject_text(cert)
