"""The demo's emulation registration: the current year's window, opened by the Office, with a
few schools in each state a head and the Office meet (accepted, sent late, returned, being
filled in). 2022, the demo's commendation year, has no registration: the "registered"
condition is not checked for it (docs/domain.md)."""

import datetime

from units.models import Role, StaffMember, UnitKind

from . import registration_services as services
from .models import Award, RegistrationWindow, UnitRegistration
from .ratings import people_of

LDTT, CSTDCS, TTLDTT = "lao-dong-tien-tien", "chien-si-thi-dua-co-so", "tap-the-lao-dong-tien-tien"
RETURN_REASON = "Thiếu đăng ký của hiệu trưởng và phó hiệu trưởng; bổ sung rồi gửi lại."
LATE_REASON = "Trường ở xã vùng sâu, mất kết nối mạng trong tháng 1; đồng ý tiếp nhận."
STATES = ("accepted", "late", "returned", "draft")


def _heads(count):
    """(unit, head's account) of the first schools with a head who signs in."""
    heads = (StaffMember.objects.active().filter(role=Role.UNIT_HEAD, user__isnull=False,
                                                 unit__kind=UnitKind.SCHOOL)
             .select_related("unit", "user").order_by("unit__order", "unit__name"))
    return [(head.unit, head.user) for head in heads[:count]]


def load_registrations(*, office_user, today: datetime.date) -> dict:
    """Open `today`'s year with a deadline of 31 January and register a few schools.
    Nothing when the year's registration already exists."""
    year = today.year
    if RegistrationWindow.objects.filter(year=year).exists():
        return {"year": year, "units": 0}  # loaded before: nothing created
    window = services.open_window(year=year, deadline=datetime.date(year, 1, 31),
                                  user=office_user)
    ldtt, cstdcs, unit_title = (Award.objects.get(code=code) for code in (LDTT, CSTDCS, TTLDTT))
    for (unit, head), state in zip(_heads(len(STATES)), STATES, strict=False):
        people = list(people_of(unit, year).values_list("pk", flat=True))
        titles = {pk: (cstdcs if i % 7 == 0 else ldtt) for i, pk in enumerate(people)}
        if state == "draft":  # half the staff entered so far
            titles = dict(list(titles.items())[: len(titles) // 2])
        registration = services.save_registration(
            unit=unit, window=window, user=head, expected_version=1, titles=titles,
            award=unit_title)
        if state != "draft":
            sent_on = datetime.date(year, 2, 5) if state == "late" else datetime.date(year, 1, 20)
            registration = services.send(unit=unit, window=window, user=head,
                                         expected_version=registration.version, today=sent_on)
        if state == "accepted":
            services.accept(unit=unit, window=window, user=office_user,
                            expected_version=registration.version)
        elif state == "returned":
            services.return_registration(unit=unit, window=window, user=office_user,
                                         expected_version=registration.version,
                                         reason=RETURN_REASON)
    return {"year": year, "units": UnitRegistration.objects.filter(year=year).count()}
