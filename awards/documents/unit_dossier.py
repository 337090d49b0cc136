"""A unit's list as one ZIP for the Office: the list as Excel, then every uploaded part in its
folder, in filing order (the signed letter, the council's minutes, the signed reports, the
initiatives, other files)."""

import io
import zipfile

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets.safe_text import append

from ..models_dossier import Part
from ..unit_dossier import checklist, nominee_name
from . import layout

FOLDERS = {Part.LETTER: "01-to-trinh", Part.MINUTES: "03-bien-ban-hoi-dong",
           Part.REPORT: "04-bao-cao-da-ky", Part.INITIATIVES: "05-sang-kien",
           Part.OTHER: "06-tai-lieu-khac"}


def list_xlsx(proposal, nominees) -> bytes:
    book = Workbook(write_only=True)
    ws = layout.table(book, _("Nominees"), [
        (_("No."), 6), (_("Award"), 30), (_("Full name"), 28), (_("Position"), 22),
        (_("Achievements"), 70)], rows=len(nominees))
    for number, nominee in enumerate(nominees, start=1):
        append(ws, [number, nominee.award.name, nominee_name(nominee),
                    nominee.staff.position if nominee.staff_id else None, nominee.summary])
    return layout.save(book, issuer=proposal.unit.name)


def pack(proposal) -> tuple[bytes, str]:
    """(the ZIP, its file name)."""
    found = checklist(proposal)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("02-danh-sach.xlsx", list_xlsx(proposal, found.nominees))
        names = {n.pk: nominee_name(n) for n in found.nominees}
        order = list(Part.values)
        for attachment in sorted(found.attachments, key=lambda a: (order.index(a.part), a.pk)):
            who = names.get(attachment.nominee_id, "")
            name = layout.ascii_name(*(p for p in (who, attachment.original_name.rsplit(
                ".", 1)[0]) if p), extension=attachment.extension)
            with attachment.file.open("rb") as stored:
                archive.writestr(f"{FOLDERS[attachment.part]}/{attachment.pk}-{name}",
                                 stored.read())
    filename = layout.ascii_name("ho-so-de-nghi", proposal.unit.name, proposal.year,
                                 extension="zip")
    return buffer.getvalue(), filename
