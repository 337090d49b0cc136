"""Time the staff import and a large unit's staff list on a scratch database.

    python manage.py bench_staff [--people 20000] [--units 600] [--big-unit 3000] [--repeat 5]
                                 [--keep]

Never touches the configured database (core.bench.scratch_default). It builds --units schools,
writes one workbook of --people staff spread over them (read-only openpyxl reads it back), then
prints for the preview (read and check, nothing written) and the write: the time, the queries,
and the peak of Python memory (tracemalloc, in a second run of the preview; the write is
measured under tracemalloc, so its time is an upper bound). A second preview of the same file
must find every row unchanged. The preview page's drawing is timed too. Last, a unit of
--big-unit people: its staff list page (one page of 100, searched and not) and the unit page,
median ms and queries.
"""

import io
import random
import time
import tracemalloc
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from core import bench
from units import staff_import
from units.models import Role, StaffCategory, StaffMember, Unit, UnitKind

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Ngọc", "Đức", "Thanh", "Hữu", "Quốc", "Thị Thu"]
GIVEN = ["An", "Anh", "Ánh", "Bình", "Cúc", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hạnh", "Hòa",
         "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Ngọc", "Nhung",
         "Oanh", "Phúc", "Phương", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Thắng", "Trang"]
POSITIONS = ["Giáo viên", "Tổ trưởng chuyên môn", "Nhân viên", "Phó Hiệu trưởng", "Kế toán"]
CATEGORIES = ["viên chức", "viên chức", "viên chức", "người lao động", "công chức"]
TARGET_SECONDS, TARGET_PAGE_MS = 60, 150


class Command(BaseCommand):
    help = ("Time the staff import (preview and write) of one large workbook and a large unit's "
            "staff list, on a scratch database (never the configured one).")

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=20000)
        parser.add_argument("--units", type=int, default=600)
        parser.add_argument("--big-unit", type=int, default=3000, dest="big_unit")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--keep", action="store_true",
                            help="Keep the scratch database and print where it is.")

    def handle(self, *args, **opts):
        bench.check_sizes(opts, "people", "units", "big_unit", "repeat")
        with bench.scratch_default("bench_staff", keep=opts["keep"], stdout=self.stdout) \
                as scratch, translation.override("vi"):
            self._run(scratch, opts)

    def _run(self, conn, opts):
        w = self.stdout.write
        call_command("migrate", database="default", verbosity=0, interactive=False)
        office = _build_units(opts["units"])
        stream = _workbook(opts["people"], opts["units"])
        w(f"bench_staff: {opts['people']:,} people in {opts['units']:,} units, workbook "
          f"{len(stream.getvalue()) / 1024 / 1024:.1f} MB")

        small = _workbook(min(1000, opts["people"]), opts["units"])
        with CaptureQueriesContext(conn) as few:
            small_result = staff_import.parse(small)
        seconds, queries, result = _timed(conn, lambda: staff_import.parse(_rewound(stream)))
        peak = _peak(lambda: staff_import.parse(_rewound(stream)))
        counts = result.counts()
        w(f"preview            {seconds:6.2f} s  queries {queries} (a 1,000-row file: "
          f"{len(few)})  peak Python memory {peak:.0f} MB  rows new {counts['new']:,}, "
          f"errors {counts['error']:,}")
        if result.has_errors:
            w("  first errors: " + " | ".join(result.errors[:3]))
            return
        request = RequestFactory().post(reverse("units:staff_import"))
        request.user = office
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        started = time.perf_counter()
        html = render_to_string("units/staff_import_preview.html", {
            "result": result, "counts": counts, "confirm": None, "import_url": "/"},
            request=request)
        w(f"preview page       {(time.perf_counter() - started) * 1000:6.0f} ms  "
          f"{len(html) / 1024:,.0f} KB of HTML ({len(result.listed.rows):,} rows listed)")

        with transaction.atomic():  # the small file's write, undone: only its query count
            _seconds, few_writes, _written = _timed(
                conn, lambda: staff_import.write(small_result, user=office))
            transaction.set_rollback(True)
        tracemalloc.start()
        seconds, queries, written = _timed(conn, lambda: staff_import.write(result, user=office))
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        w(f"write              {seconds:6.2f} s  queries {queries} (a 1,000-row file: "
          f"{few_writes})  peak Python memory {peak:.0f} MB  ({written['added']:,} added; one "
          f"statement per table)")

        seconds, queries, again = _timed(conn, lambda: staff_import.parse(_rewound(stream)))
        w(f"preview again      {seconds:6.2f} s  queries {queries}  unchanged "
          f"{again.counts()['unchanged']:,} of {len(again.rows):,}, to change {again.changes}")

        unit = _big_unit(opts["big_unit"])
        client = Client()
        client.force_login(office)
        for label, url in (
                ("staff list, page 1", reverse("units:staff", args=[unit.pk])),
                ("staff list, search", reverse("units:staff", args=[unit.pk]) + "?q=nguyen+an"),
                ("unit page", reverse("units:detail", args=[unit.pk]))):
            client.get(url)  # warm up
            median, fastest, queries = bench.time_get(conn, client, url, opts["repeat"])
            w(f"{label:<22} median {median:6.1f} ms  min {fastest:6.1f} ms  queries {queries}  "
              f"({opts['big_unit']:,} people in the unit)")
        w(f"targets: preview and write under {TARGET_SECONDS} s each, the staff list under "
          f"{TARGET_PAGE_MS} ms with a constant query count")


def _timed(conn, run):
    with CaptureQueriesContext(conn) as captured:
        started = time.perf_counter()
        value = run()
        seconds = time.perf_counter() - started
    return seconds, len(captured), value


def _peak(run) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def _rewound(stream):
    stream.seek(0)
    return stream


def _build_units(count):
    root = Unit.objects.create(name="Sở Giáo dục và Đào tạo", short_name="Sở", code="so",
                               kind=UnitKind.DEPARTMENT)
    office_unit = Unit.objects.create(name="Văn phòng Sở", code="vp", kind=UnitKind.OFFICE,
                                      parent=root)
    Unit.objects.bulk_create([
        Unit(name=f"Trường số {i}", short_name=f"Trường {i}", code=f"truong-{i}",
             kind=UnitKind.SCHOOL, parent=root, order=i) for i in range(1, count + 1)])
    user = get_user_model().objects.create_user("vanphong", password="bench-pass-1")
    StaffMember.objects.create(full_name="Lê Thị Vân", unit=office_unit, role=Role.OFFICE,
                               category=StaffCategory.CIVIL_SERVANT, user=user)
    return user


def _person(rng, index, units):
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1965, 2000)}"
    return [name, born, rng.choice(["Nam", "Nữ"]), f"truong-{index % units + 1}",
            rng.choice(POSITIONS), rng.choice(CATEGORIES), "01/09/2015", f"CB{index:06d}"]


def _workbook(people, units):
    rng = random.Random(15)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cán bộ")
    sheet.append(["Họ và tên", "Ngày sinh", "Giới tính", "Mã đơn vị", "Chức vụ", "Phân loại",
                  "Ngày tuyển dụng", "Mã cán bộ"])
    for index in range(people):
        sheet.append(_person(rng, index, units))
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream


def _big_unit(size):
    rng = random.Random(3000)
    unit = Unit.objects.create(name="Trường THPT Lớn", code="truong-lon", kind=UnitKind.SCHOOL,
                               parent=Unit.objects.get(code="so"))
    StaffMember.objects.bulk_create(
        [StaffMember(full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                     unit=unit, category=StaffCategory.PUBLIC_EMPLOYEE,
                     position=rng.choice(POSITIONS)) for _ in range(size)], batch_size=1000)
    return unit
