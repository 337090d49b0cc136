"""Time emulation registration at province scale on a scratch database.

    python manage.py bench_registration [--units 1000] [--people 60000] [--big-unit 3000]
                                        [--repeat 5] [--keep]

Never touches the configured database (core.bench.scratch_default). It builds --units schools
sharing --people staff, one school of --big-unit people, opens this year's registration and
registers every person of the province (the big school accepted, with ratings), then prints the
median time and queries of: the big school's registration page (as its head, page 1 and
searched), the Office's overview of every unit, and the big school's eligibility page with its
registrations (its first page of people: every person's verdicts are decided, the reasons
shown are built for one page). The figures for a 300-person school are printed beside them: the
query counts must match. Last, the registrations workbook of every unit (the Office's, written
by the background worker) against bare write-only openpyxl appending the same rows: median
time, ratio and the peak of Python's memory. TOO SLOW names what is over a target.
"""

import datetime
import gc
import io
import random
import statistics
import time
import tracemalloc

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from core import bench
from units.models import Role, StaffCategory, StaffMember, Unit, UnitKind

from ...models import (
    Award,
    Rating,
    RegistrationStatus,
    RegistrationWindow,
    StaffRegistration,
    UnitRegistration,
    YearRating,
)
from ...registration_exports import write_registrations

TARGET_MS = 150
# The registrations workbook against bare openpyxl, as the progress export is held (issue 19).
WORKBOOK_TARGET_RATIO = 1.5
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Cúc", "Phạm Thu Dũng", "Hoàng Ngọc Hà"]


class Command(BaseCommand):
    help = ("Time the registration page of a large unit, the overview and the eligibility page "
            "with registrations, on a scratch database (never the configured one).")

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=1000)
        parser.add_argument("--people", type=int, default=60000)
        parser.add_argument("--big-unit", type=int, default=3000, dest="big_unit")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--keep", action="store_true",
                            help="Keep the scratch database and print where it is.")

    def handle(self, *args, **opts):
        bench.check_sizes(opts, "units", "people", "big_unit", "repeat")
        with bench.scratch_default("bench_registration", keep=opts["keep"],
                                   stdout=self.stdout) as scratch, translation.override("vi"):
            self._run(scratch, opts)

    def _run(self, conn, opts):
        w = self.stdout.write
        call_command("migrate", database="default", verbosity=0, interactive=False)
        year = timezone.localdate().year
        office, units = _province(opts["units"], opts["people"])
        big, head = _school("Trường THPT Lớn", "truong-lon", opts["big_unit"])
        small, small_head = _school("Trường THPT Vừa", "truong-vua", 300)
        window = RegistrationWindow.objects.create(year=year, deadline=datetime.date(year, 1, 31),
                                                   opened_by=office)
        for unit in [*units, big, small]:
            _register(window, unit, accepted=unit in (big, small))
        w(f"bench_registration: {opts['units']:,} units, "
          f"{StaffMember.objects.count():,} staff, {StaffRegistration.objects.count():,} "
          f"registrations for {year}; the big school has {opts['big_unit']:,} people")
        clients = {}
        for user in (office, head, small_head):
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        registration = reverse("awards:registration")
        pages = [
            ("registration page", head, f"{registration}?unit={big.pk}&year={year}",
             small_head, f"{registration}?unit={small.pk}&year={year}"),
            ("registration, search", head, f"{registration}?unit={big.pk}&year={year}&q=an",
             small_head, f"{registration}?unit={small.pk}&year={year}&q=an"),
            ("overview (Office)", office, f"{reverse('awards:registrations')}?year={year}",
             None, None),
            ("eligibility page", office,
             f"{reverse('awards:eligibility')}?unit={big.pk}&year={year}",
             office, f"{reverse('awards:eligibility')}?unit={small.pk}&year={year}"),
        ]
        slow = []
        for label, user, url, other_user, other_url in pages:
            client = clients[user.pk]
            client.get(url)  # warm up (and remember the year)
            median, fastest, queries = bench.time_get(conn, client, url, opts["repeat"])
            line = (f"{label:<22} median {median:7.1f} ms  min {fastest:7.1f} ms  queries "
                    f"{queries:>2}  ({median / TARGET_MS:.2f}× the target)")
            if median > TARGET_MS:
                slow.append(f"{label} {median:.0f} ms")
            if other_url:
                clients[other_user.pk].get(other_url)
                small_median, _f, few = bench.time_get(conn, clients[other_user.pk], other_url,
                                                       opts["repeat"])
                line += (f"\n{'':<22} 300 people: median {small_median:7.1f} ms  queries "
                         f"{few:>2}  ({opts['big_unit']:,} / 300 people: "
                         f"{median / small_median:.1f}× the time)")
                if few != queries:
                    slow.append(f"{label} queries grow ({few} → {queries})")
            w(line)
        slow.extend(_time_workbook(w, year, opts["repeat"]))
        verdict = "OK" if not slow else "TOO SLOW: " + ", ".join(slow)
        w(f"target: each page under {TARGET_MS} ms with a constant query count, the "
          f"registrations workbook ≤ {WORKBOOK_TARGET_RATIO}× bare openpyxl — {verdict}")


def _time_workbook(w, year, repeat) -> list[str]:
    """The registrations workbook of every unit (what the background worker writes for the
    Office) against bare write-only openpyxl appending the same rows of plain values, read
    beforehand: the median of `repeat` runs each, in turn, and the peak of Python's memory."""
    units = Unit.objects.all()
    people = list(StaffRegistration.objects.filter(year=year).values_list(
        "registration__unit__name", "staff_id", "staff__full_name", "staff__position",
        "award__name", "registration__status", "registration__sent_at"))

    def document():
        return write_registrations(year, units, io.BytesIO())

    def bare():
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Cá nhân")
        for number, row in enumerate(people, start=1):
            sheet.append([number, *row[:6], timezone.localtime(row[6]).replace(tzinfo=None)
                          if row[6] else None])
        book.save(io.BytesIO())

    times, bare_times = [], []
    for _ in range(repeat):
        for run, kept in ((document, times), (bare, bare_times)):
            gc.collect()
            start = time.perf_counter()
            run()
            kept.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    written = document()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    median, bare_median = statistics.median(times), statistics.median(bare_times)
    w(f"{'registrations workbook':<22} median {median:7.2f} s   bare {bare_median:5.2f} s  "
      f"{median / bare_median:.2f}× bare openpyxl  ({written:,} people, peak "
      f"{peak / 2**20:.0f} MB)")
    if median / bare_median > WORKBOOK_TARGET_RATIO:
        return [f"registrations workbook {median / bare_median:.2f}× bare openpyxl"]
    return []


def _province(count, people):
    root = Unit.objects.create(name="Sở Giáo dục và Đào tạo", short_name="Sở", code="so",
                               kind=UnitKind.DEPARTMENT)
    office_unit = Unit.objects.create(name="Văn phòng Sở", code="vp", kind=UnitKind.OFFICE,
                                      parent=root)
    Unit.objects.bulk_create([
        Unit(name=f"Trường số {i}", short_name=f"Trường {i}", code=f"truong-{i}",
             kind=UnitKind.SCHOOL, parent=root, order=i) for i in range(1, count + 1)])
    units = list(Unit.objects.filter(kind=UnitKind.SCHOOL))
    rng = random.Random(16)
    StaffMember.objects.bulk_create(
        [StaffMember(full_name=rng.choice(NAMES), unit=units[i % len(units)],
                     category=StaffCategory.PUBLIC_EMPLOYEE, position="Giáo viên")
         for i in range(people)], batch_size=2000)
    user = get_user_model().objects.create_user("vanphong", password="bench-pass-1")
    StaffMember.objects.create(full_name="Lê Thị Vân", unit=office_unit, role=Role.OFFICE,
                               category=StaffCategory.CIVIL_SERVANT, user=user)
    return user, units


def _school(name, code, size):
    rng = random.Random(size)
    unit = Unit.objects.create(name=name, code=code, kind=UnitKind.SCHOOL,
                               parent=Unit.objects.get(code="so"))
    people = [StaffMember(full_name=rng.choice(NAMES), unit=unit, position="Giáo viên",
                          category=StaffCategory.PUBLIC_EMPLOYEE,
                          recruitment_date=datetime.date(2015, 9, 1)) for _ in range(size)]
    for person in people:
        person.name_key = person.full_name.lower()  # search_key's work, enough for timing
    StaffMember.objects.bulk_create(people, batch_size=2000)
    user = get_user_model().objects.create_user(f"ht.{code}", password="bench-pass-1")
    StaffMember.objects.create(full_name="Hiệu Trưởng", unit=unit, role=Role.UNIT_HEAD,
                               category=StaffCategory.PUBLIC_EMPLOYEE, user=user)
    YearRating.objects.bulk_create(
        [YearRating(staff=p, year=timezone.localdate().year, rating=Rating.GOOD)
         for p in StaffMember.objects.filter(unit=unit)], batch_size=2000)
    return unit, user


def _register(window, unit, *, accepted):
    ldtt = Award.objects.get(code="lao-dong-tien-tien")
    registration = UnitRegistration.objects.create(
        window=window, unit=unit, year=window.year,
        award=Award.objects.get(code="tap-the-lao-dong-tien-tien"),
        status=RegistrationStatus.ACCEPTED if accepted else RegistrationStatus.SENT)
    with connection.cursor() as cursor:
        bench.bulk_insert(cursor, StaffRegistration, ["registration", "staff", "year", "award"],
                          [(registration.pk, pk, window.year, ldtt.pk) for pk in
                           StaffMember.objects.filter(unit=unit).values_list("pk", flat=True)])
