"""The parts of a demo unit's list: each list the demo sends goes with a small PDF for every
part its checklist asks of the unit (the signed letter, the council's minutes, each nominee's
signed report or the recognition of their initiative), made here and stored through the same
check and service as an upload. The tests send their lists with them too
(tests/factories.py, `send_list`)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import check_evidence
from tasks.demo import ascii_text, minimal_pdf

from . import services_unit_dossier
from .models_dossier import Part
from .unit_dossier import checklist, nominee_name

TITLES = {Part.LETTER: "To trinh de nghi khen thuong (ban ky)",
          Part.MINUTES: "Bien ban hop Hoi dong thi dua - khen thuong cua don vi",
          Part.REPORT: "Bao cao thanh tich (ban ky)",
          Part.INITIATIVES: "Quyet dinh cong nhan sang kien"}


def _upload(proposal, part, user, nominee=None):
    who = nominee_name(nominee) if nominee else proposal.unit.name
    content = minimal_pdf([TITLES[part], ascii_text(f"{who} - {proposal.year}"),
                           "Tep minh hoa cua ban demo"])
    file = SimpleUploadedFile(f"{part}.pdf", content, content_type="application/pdf")
    services_unit_dossier.attach(proposal, part=part, nominee_id=nominee.pk if nominee else None,
                                 checked=check_evidence(file), upload=file, user=user)


def give_parts(proposal, user) -> int:
    """Upload whatever the draft list's checklist names as missing; the number of files."""
    found = checklist(proposal)
    missing = {state.part for state in found.parts if state.required and state.missing}
    count = 0
    for part in (Part.LETTER, Part.MINUTES):
        if part in missing:
            _upload(proposal, part, user)
            count += 1
    for nominee, report, needs_report, initiative, needs_initiative, recorded in found.rows():
        if needs_report and report is None:
            _upload(proposal, Part.REPORT, user, nominee)
            count += 1
        if needs_initiative and not recorded and initiative is None:
            _upload(proposal, Part.INITIATIVES, user, nominee)
            count += 1
    return count
