"""The demo's dossier sent upward: the 2022 dossier of the provincial title "Tập thể lao động
xuất sắc" to the province's emulation board, built by the Office from the approved lists and
left a draft, its checklist naming the signed achievement report still missing; and the
seniority medal's dossier to the Ministry, carrying the Hùng Vương teacher longest in the sector
whom the Office accepted for it (docs/domain.md)."""

import datetime

from units.models import StaffMember

from . import services_dossier, services_special
from .dossiers import recipient_for
from .models import Award, Dossier
from .services import WorkflowError

CODE, YEAR = "tap-the-lao-dong-xuat-sac", 2022
MEDAL, SCHOOL = "ky-niem-chuong-vi-su-nghiep-giao-duc", "thpt-hung-vuong"
MEDAL_DAY = datetime.date(2022, 11, 15)  # proposed before the Teachers' Day, 20 November


def load_dossier(*, office_user) -> int:
    """One draft dossier for 2022; none when the year has one or nobody was approved."""
    award = Award.objects.filter(code=CODE).first()
    if award is None or Dossier.objects.filter(year=YEAR).exists():
        return 0
    built = 0
    try:
        services_dossier.create(award=award, year=YEAR, recipient=recipient_for(award),
                                user=office_user)
        built += 1
    except WorkflowError:
        pass
    return built + load_medal_dossier(office_user=office_user)


def load_medal_dossier(*, office_user) -> int:
    """The seniority medal of 2022 for the Hùng Vương teacher who qualifies with the most years
    in the sector: proposed by the Office, accepted, and its dossier to the Ministry built as a
    draft (the signed summary of service years still missing). 0 when no one qualifies."""
    from units.models import Unit

    award = Award.objects.filter(code=MEDAL).first()
    unit = Unit.objects.filter(code=SCHOOL).first()
    if award is None or unit is None:
        return 0
    found = services_special.qualifying(award, unit, MEDAL_DAY)
    if not found:
        return 0
    person = StaffMember.objects.get(pk=found[0][0].pk)
    years = MEDAL_DAY.year - person.sector_start_date.year
    try:
        row = services_special.propose(
            award=award, unit=unit, staff=person, year=YEAR, deed_on=None,
            achievement=(f"{years} năm công tác liên tục trong ngành giáo dục từ "
                         f"{person.sector_start_date:%d/%m/%Y}; hoàn thành tốt nhiệm vụ, không "
                         "bị kỷ luật."),
            justification="", user=office_user, today=MEDAL_DAY)
        services_special.review(row, accept=True, version=row.version, user=office_user)
        services_dossier.create(award=award, year=YEAR, recipient=recipient_for(award),
                                user=office_user)
    except WorkflowError:
        return 0
    return 1
