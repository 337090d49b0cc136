"""Signing an issued decision's PDF digitally and keeping both files (awards/signing.py does the
cryptography).

The PDF is built and signed in memory; only a complete signature is written to the disk and
recorded, in one transaction with its audit line. A failure anywhere leaves the decision
unsigned and no file behind: nothing half-signed is ever served.

A decision of more awardees than the documents' direct limit (DIRECT_ROWS, as its download) is
not laid out in the signing request (about 5 s for 30 pages): the background worker prepares
it first (`prepared_copy`: the unsigned PDF with an empty signature field where the stamp goes,
a GeneratedDocument of kind "decision_signing"), and the request only signs that file (well
under a second). The key file never leaves the request: only the unsigned PDF is prepared ahead.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import pdf
from core.audit.trail import record

from . import signing
from .documents import DIRECT_ROWS, layout
from .documents import decision as decision_document
from .models import Conferral, Decision, DocumentStatus, GeneratedDocument
from .models_signature import SignedDecision

TEMPLATE = "awards/documents/decision.html"
ANCHOR = "signature-space"  # the empty space above the signer's name (documents/base.html)
PX = 0.75  # WeasyPrint lays out in CSS pixels; PDF points are 3/4 of one
MM = 72 / 25.4
PREPARED_KIND = "decision_signing"  # the worker's unsigned copy (awards/documents/signing_copy.py)


def signable(decision) -> str | None:
    """Why the decision cannot be signed, or None."""
    if decision.from_upper_level:
        return _("An upper level's decision is signed by its issuer, not in the portal.")
    if decision.revoked_at:
        return _("A revoked decision is not signed.")
    if SignedDecision.objects.filter(decision=decision).exists():
        return _("This decision is already signed digitally.")
    return None


def render_for_signing(decision) -> tuple[bytes, int, signing.Stamp]:
    """(the decision's PDF, its pages, where its stamp goes): the PDF the download builds
    (awards/documents/decision.py, in the official language), laid out once so the signature
    space's position is read from the layout rather than guessed."""
    from weasyprint import HTML

    with translation.override(layout.OFFICIAL_LANGUAGE):
        data = decision_document.context(decision.pk)
        html = render_to_string(TEMPLATE, data)
        with pdf.rendering():
            document = HTML(string=html, base_url=str(layout.settings.BASE_DIR)).render()
        index = next((i for i, page in enumerate(document.pages) if ANCHOR in page.anchors),
                     None)
        if index is None:  # the template lost its anchor: a programming error, said plainly
            raise RuntimeError(f"No #{ANCHOR} in {TEMPLATE}")
        page = document.pages[index]
        # The space's box (CSS px from the page's top left) -> PDF points from its bottom left.
        x0, y0, x1, y1 = (value * PX for value in page.anchors[ANCHOR])
        height = page.height * PX
        # A stamp 60 mm wide (at most the column) centred in the signature column, filling the
        # space above the name with 1 mm to spare: the title and the name stay readable.
        centre, half = (x0 + x1) / 2, min(30 * MM, (x1 - x0) / 2)
        box = (centre - half, height - y1 + 1 * MM, centre + half, height - y0 - 1 * MM)
        stamp = signing.Stamp(page=index, box=box, name=decision.signer_name,
                              title=decision.signer_title)
        with pdf.rendering():
            return document.write_pdf(), len(document.pages), stamp


def prepare_for_signing(decision) -> tuple[bytes, int]:
    """(the decision's unsigned PDF with an empty signature field where its stamp goes, its
    pages): what the worker prepares for a long decision, so that signing it later needs no
    layout. The field is added as an incremental update, as the signature will be."""
    pdf, pages, stamp = render_for_signing(decision)
    return signing.with_signature_field(pdf, stamp), pages


def needs_preparing(decision) -> bool:
    """Whether the decision is too long to lay out in the signing request (its download goes
    to the background worker above the same limit)."""
    return Conferral.objects.filter(issued_by=decision).count() > DIRECT_ROWS


def prepared_copy(decision) -> GeneratedDocument | None:
    """The latest copy prepared for signing this decision (queued, running, done or failed),
    or None. A copy prepared before an award of the decision was revoked is stale: None."""
    copy = (GeneratedDocument.objects.filter(kind=PREPARED_KIND, params__decision=decision.pk)
            .order_by("-requested_at", "-pk").first())
    if copy is None:
        return None
    revoked = (Conferral.objects.filter(issued_by=decision, revoked_at__isnull=False)
               .order_by("-revoked_at").values_list("revoked_at", flat=True).first())
    if revoked and revoked >= copy.requested_at:
        return None
    return copy


def request_prepared_copy(decision, *, user) -> GeneratedDocument:
    """Queue the worker to prepare the decision's unsigned PDF for signing (or give the copy
    already queued, running or done)."""
    from .services_documents import request_document

    copy = prepared_copy(decision)
    if copy is not None and copy.status != DocumentStatus.FAILED:
        return copy
    return request_document(user=user, kind=PREPARED_KIND, params={"decision": decision.pk},
                            fmt="pdf")


def _unsigned(decision) -> tuple[bytes, int, signing.Stamp]:
    """The PDF to sign: laid out now for a short decision; the worker's prepared copy (with
    its signature field, so no box) for a long one."""
    if not needs_preparing(decision):
        return render_for_signing(decision)
    copy = prepared_copy(decision)
    if copy is None or copy.status != DocumentStatus.DONE or not copy.file:
        raise signing.SigningError(_(
            "This decision is long: its PDF is prepared for signing in the background first. "
            "Prepare it, wait until it is ready, then sign."))
    with copy.file.open("rb") as stored:
        pdf = stored.read()
    stamp = signing.Stamp(page=0, box=None, name=decision.signer_name,
                          title=decision.signer_title)
    return pdf, copy.pages or 0, stamp


def sign_decision(decision, *, user, backend, name_override: str = "") -> SignedDecision:
    """Sign the decision's PDF with `backend` (signing.SigningBackend) and keep both files.

    `name_override`: the reason, written by the signer, to sign although the certificate names
    someone other than the decision's signer (audited); empty refuses such a certificate.

    Raises signing.SigningError (its message for the signer) when the decision, the key or the
    certificate cannot sign."""
    reason = signable(decision)
    if reason:
        raise signing.SigningError(reason)
    signer = backend.signer()
    name_override = name_override.strip()
    mismatch = signing.name_mismatch(signer.signing_cert, decision.signer_name)
    if mismatch and not name_override:
        raise signing.SigningError(mismatch)
    pdf, pages, stamp = _unsigned(decision)
    signed = signing.sign_pdf(pdf, signer, stamp)
    name = decision_document.filename(decision, "pdf")
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        reason = signable(decision)  # two signers at once: the second is told
        if reason:
            raise signing.SigningError(reason)
        row = SignedDecision(decision=decision, filename=name, signed_by=user,
                             signed_at=signed.at, subject=signed.subject[:500],
                             serial=signed.serial, timestamped=signed.timestamped,
                             unsigned_sha256=signing.sha256(pdf),
                             sha256=signing.sha256(signed.content), pages=pages)
        row.unsigned_file.save(name.replace(".pdf", "-chua-ky.pdf"), ContentFile(pdf),
                               save=False)
        try:
            row.file.save(name.replace(".pdf", "-da-ky.pdf"), ContentFile(signed.content),
                          save=False)
            row.save()
            record(actor=user, action="decision.sign", target=decision,
                   before={"sha256": row.unsigned_sha256},
                   after={"sha256": row.sha256, "certificate": row.subject,
                          "serial": row.serial, "signed_at": timezone.localtime(
                              row.signed_at).isoformat(timespec="seconds"),
                          "timestamped": row.timestamped,
                          **({"name_override": name_override,
                              "signer_named": decision.signer_name} if mismatch else {})})
        except BaseException:
            # The transaction rolls the row back; the files must go too.
            for stored in (row.unsigned_file, row.file):
                if stored.name:
                    stored.storage.delete(stored.name)
            raise
    return row
