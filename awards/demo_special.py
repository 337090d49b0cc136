"""The demo's award outside the annual cycle: at the close of the 2022 plan "Toàn ngành đồng
lòng thi đua nâng cao chỉ số cải cách hành chính", a school head proposes one teacher for the
campaign's own topic award; it awaits the Office (docs/domain.md)."""

import datetime

from units.models import Role, StaffMember, UnitKind

from . import services_special
from .models import Award, SpecialProposal
from .ratings import people_of
from .services import WorkflowError

TOPIC, SCHOOL = "giay-khen-chuyen-de", "thpt-hung-vuong"
YEAR = 2022
PROPOSED_ON = datetime.date(2022, 12, 26)
ACHIEVEMENT = ("Có thành tích tiêu biểu trong phong trào thi đua “Toàn ngành đồng lòng thi đua "
               "nâng cao chỉ số cải cách hành chính” năm 2022: số hóa hồ sơ học sinh, hướng dẫn "
               "phụ huynh nộp hồ sơ trực tuyến.")


def load_special() -> int:
    """One topic proposal for 2022; none when one exists."""
    award = Award.objects.filter(code=TOPIC).first()
    if award is None or SpecialProposal.objects.filter(year=YEAR).exists():
        return 0
    heads = (StaffMember.objects.active().filter(role=Role.UNIT_HEAD, user__isnull=False,
                                                 unit__kind=UnitKind.SCHOOL)
             .select_related("unit", "user").order_by("unit__order", "unit__name"))
    # Hùng Vương's head (ht.hung-vuong), whom docs/demo-data.md walks through; else the first.
    head = heads.filter(unit__code=SCHOOL).first() or heads.first()
    if head is None:
        return 0
    for person in people_of(head.unit, YEAR).exclude(pk=head.pk).order_by("pk")[:20]:
        try:
            services_special.propose(award=award, unit=head.unit, staff=person, year=YEAR,
                                     deed_on=None, achievement=ACHIEVEMENT, justification="",
                                     user=head.user, today=PROPOSED_ON)
        except WorkflowError:
            continue  # disciplined that year: the next teacher
        return 1
    return 0
