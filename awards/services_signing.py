"""Signing an issued decision's PDF digitally and keeping both files (awards/signing.py does the
cryptography).

The PDF is built and signed in memory; only a complete signature is written to the disk and
recorded, in one transaction with its audit line. A failure anywhere leaves the decision
unsigned and no file behind: nothing half-signed is ever served.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit.trail import record

from . import signing
from .documents import decision as decision_document
from .documents import layout
from .models import Decision
from .models_signature import SignedDecision

TEMPLATE = "awards/documents/decision.html"
ANCHOR = "signature-space"  # the empty space above the signer's name (documents/base.html)
PX = 0.75  # WeasyPrint lays out in CSS pixels; PDF points are 3/4 of one
MM = 72 / 25.4


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
        return document.write_pdf(), len(document.pages), stamp


def sign_decision(decision, *, user, backend) -> SignedDecision:
    """Sign the decision's PDF with `backend` (signing.SigningBackend) and keep both files.

    Raises signing.SigningError (its message for the signer) when the decision, the key or the
    certificate cannot sign."""
    reason = signable(decision)
    if reason:
        raise signing.SigningError(reason)
    pdf, pages, stamp = render_for_signing(decision)
    signed = signing.sign_pdf(pdf, backend.signer(), stamp)
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
                          "timestamped": row.timestamped})
        except BaseException:
            # The transaction rolls the row back; the files must go too.
            for stored in (row.unsigned_file, row.file):
                if stored.name:
                    stored.storage.delete(stored.name)
            raise
    return row
