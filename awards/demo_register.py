"""The demo's register of outgoing documents: the 2022 decision is there already (issuing it
took its number, awards.services.issue_decision); the Office's hand-registered letters beside
it — two of 2022 numbered on paper (typed), one of the current year numbered by the register."""

import datetime

from units import identity
from units import services_outgoing as outgoing
from units.models import DocumentKind, OutgoingDocument

LETTERS = [
    (DocumentKind.LETTER, "125/SGDĐT-VP", datetime.date(2022, 1, 20),
     "V/v hướng dẫn đăng ký thi đua, khen thưởng năm 2022",
     "Các đơn vị trực thuộc Sở;\nCác phòng chức năng Sở."),
    (DocumentKind.NOTICE, "38/TB-SGDĐT", datetime.date(2022, 12, 29),
     "Thông báo kết quả bình xét thi đua, khen thưởng năm 2022 của ngành",
     "Các đơn vị trực thuộc Sở;\nCông đoàn ngành."),
]


def load_register(*, office_user, today: datetime.date) -> int:
    """The letters above and one of this year; none when the register has a letter already
    (decisions and plans are entered by their own loaders, when issued and launched)."""
    if OutgoingDocument.objects.filter(kind__in=[kind for kind, *_ in LETTERS]).exists():
        return 0
    department = identity.current()
    signer = (department.director_name, department.director_title)
    for kind, number, day, subject, recipients in LETTERS:
        outgoing.register(kind=kind, number=number, issued_on=day, subject=subject,
                          signer_name=signer[0], signer_title=signer[1], recipients=recipients,
                          user=office_user)
    outgoing.register(kind=DocumentKind.LETTER, issued_on=today,
                      subject=f"V/v đôn đốc báo cáo tiến độ thực hiện kế hoạch thi đua năm "
                              f"{today.year}",
                      signer_name=signer[0], signer_title=signer[1],
                      recipients="Các đơn vị trực thuộc Sở.", user=office_user)
    return len(LETTERS) + 1
