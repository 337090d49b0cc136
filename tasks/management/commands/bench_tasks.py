"""Time the heavy task pages and the Excel export on a large, throw-away data set.

    python manage.py bench_tasks [--units 1000] [--assignments 60] [--reports 12] [--repeat 7]
                                 [--keep]

Never touches the configured database: for the run, the `default` connection object is swapped
for one on a scratch SQLite file in a temporary directory (migrated, then filled with set-based
inserts); the original connection object is put back afterwards, untouched, and the directory
is deleted unless --keep. Figures are for SQLite on this machine, not for PostgreSQL.
"""

import datetime
import random
import statistics
import tempfile
import time
import tracemalloc
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from campaigns.models import Campaign, CampaignStatus, ContentItem
from core import bench
from tasks.exports import write_progress_workbook
from tasks.models import (
    Assignment,
    Cadence,
    IndicatorKind,
    ProgressReport,
    ReportStatus,
    Task,
    periods_for,
)
from units.models import Role, StaffCategory, StaffMember, Unit, UnitKind

YEAR = 2022
ITEMS = 10
PAGE_TARGET_MS = 150
EXPORT_TARGET_RATIO = 1.5  # the progress export at most 1.5 × bare openpyxl (issue 19)
EXPORT_RUNS = 3  # median of: one run swings by half on a busy machine
# Share of each status among the reports (the rest of the 100 %: draft).
STATUS_MIX = [(ReportStatus.ACCEPTED, 0.80), (ReportStatus.SUBMITTED, 0.10),
              (ReportStatus.RETURNED, 0.05), (ReportStatus.DRAFT, 0.05)]


class Command(BaseCommand):
    help = ("Build a large scratch SQLite database (never the configured one) and time the review "
            "queue, a unit's page and the progress export.")

    def add_arguments(self, parser):
        bench.add_province_arguments(parser)
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--keep", action="store_true",
                            help="Keep the scratch database file and print where it is.")

    def handle(self, *args, **opts):
        bench.check_sizes(opts, "units", "assignments", "repeat")
        with bench.scratch_default("bench_tasks", keep=opts["keep"], stdout=self.stdout,
                             sqlite_only=True) as scratch:
            self._run(scratch, opts)

    # -- the run --------------------------------------------------------------------------------

    def _run(self, conn, opts):
        started = time.perf_counter()
        call_command("migrate", database="default", verbosity=0, interactive=False)
        migrated = time.perf_counter() - started
        data = _build(conn, opts["units"], opts["assignments"], opts["reports"])
        built = time.perf_counter() - started
        conn.cursor().execute("ANALYZE")
        w = self.stdout.write
        w(f"bench_tasks: {opts['units']:,} units × {opts['assignments']} assignments × "
          f"{opts['reports']} reports = {data['reports']:,} reports "
          f"(built in {built:.1f} s, of which migrate {migrated:.1f} s)")

        office = Client()
        office.force_login(data["office"])
        head = Client()
        head.force_login(data["head"])
        pages = [
            ("review queue", office, reverse("tasks:queue")),
            ("unit page", head, reverse("tasks:unit", args=[data["unit_id"]])),
        ]
        slow = []
        for label, client, url in pages:
            median, best, queries = _time_page(conn, client, url, opts["repeat"])
            if median > PAGE_TARGET_MS:
                slow.append(label)
            w(f"{label:<14} median {median:6.1f} ms  min {best:6.1f} ms  queries {queries}")

        export, rows, peak = _time_export(data["campaign"])
        bare = _time_bare(rows, ITEMS)
        ratio = export[0] / bare[0] if bare[0] else float("nan")
        cpu_ratio = export[1] / bare[1] if bare[1] else float("nan")
        w(f"{'export':<14} {export[0]:.1f} s (CPU {export[1]:.1f} s)  peak {peak / 2**20:.0f} MB"
          f"  {rows:,} rows, median of {EXPORT_RUNS}")
        w(f"{'bare openpyxl':<14} {bare[0]:.1f} s (CPU {bare[1]:.1f} s)  the same rows and "
          f"columns, plain values")
        w(f"{'export ratio':<14} {ratio:.2f}× bare openpyxl (CPU {cpu_ratio:.2f}×), "
          f"target ≤ {EXPORT_TARGET_RATIO}×")
        if ratio > EXPORT_TARGET_RATIO:
            w(f"MISSED: export {ratio:.2f}× bare openpyxl, over {EXPORT_TARGET_RATIO}×")
        verdict = "OK" if not slow else "TOO SLOW: " + ", ".join(slow)
        w(f"target: pages under {PAGE_TARGET_MS} ms — {verdict}")


# -- data -----------------------------------------------------------------------------------------

def _build(conn, n_units, n_tasks, n_reports):
    rng = random.Random(2022)
    now = timezone.now()
    password = make_password("bench-pass-123")
    User = get_user_model()
    with transaction.atomic(using="default"):
        root = Unit.objects.create(name="Sở Giáo dục và Đào tạo (thử tải)", short_name="Sở",
                                   code="so", kind=UnitKind.DEPARTMENT)
        office_unit = Unit.objects.create(name="Văn phòng Sở", code="vp", kind=UnitKind.OFFICE,
                                          parent=root)
        units = Unit.objects.bulk_create(
            [Unit(name=f"Trường THPT Số {i}", short_name=f"THPT {i}", code=f"truong-{i}",
                  kind=UnitKind.SCHOOL, parent=root, headcount=80, order=i)
             for i in range(1, n_units + 1)],
            batch_size=500,
        )
        users = User.objects.bulk_create(
            [User(username="vanphong", password=password)]
            + [User(username=f"head{i}", password=password) for i in range(1, n_units + 1)],
            batch_size=500,
        )
        office_user, heads = users[0], users[1:]
        StaffMember.objects.bulk_create(
            [StaffMember(full_name="Lê Thị Vân", unit=office_unit, role=Role.OFFICE,
                         category=StaffCategory.CIVIL_SERVANT, user=office_user)]
            + [StaffMember(full_name=f"Hiệu trưởng {i}", unit=unit, role=Role.UNIT_HEAD,
                           category=StaffCategory.PUBLIC_EMPLOYEE, user=user)
               for i, (unit, user) in enumerate(zip(units, heads, strict=True), start=1)],
            batch_size=500,
        )
        campaign = Campaign.objects.create(
            number="25", year=YEAR, issuing_unit=root, status=CampaignStatus.LAUNCHED,
            title="Toàn ngành đồng lòng thi đua nâng cao chỉ số cải cách hành chính",
            issued_on=datetime.date(YEAR, 1, 14), launched_at=now, launched_by=office_user,
        )
        items = ContentItem.objects.bulk_create(
            [ContentItem(campaign=campaign, number=n, short_title=f"Nội dung {n}",
                         text=f"Nội dung thực hiện số {n}: công khai thủ tục hành chính.")
             for n in range(1, ITEMS + 1)]
        )
        tasks = Task.objects.bulk_create(
            [Task(item=items[i % ITEMS], title=f"Nhiệm vụ {i + 1}: tỷ lệ hồ sơ giải quyết đúng hạn",
                  indicator_kind=IndicatorKind.PERCENT, target_value=Decimal(100),
                  cadence=Cadence.MONTHLY, deadline=datetime.date(YEAR, 12, 31))
             for i in range(n_tasks)]
        )
        periods = periods_for(Cadence.MONTHLY, YEAR, None)[:n_reports]
        stamp = now.replace(tzinfo=None)  # naive UTC, as Django stores it on SQLite
        with conn.cursor() as cursor:
            pairs = [(task.pk, unit.pk) for task in tasks for unit in units]
            bench.bulk_insert(cursor, Assignment, ["id", "task", "unit", "created_at"],
                    [(i, t, u, stamp) for i, (t, u) in enumerate(pairs, start=1)])
            statuses = [s for s, _share in STATUS_MIX]
            weights = [share for _s, share in STATUS_MIX]
            names = ["assignment", "period", "period_due", "value", "status", "submitted_at",
                     "reviewed_at", "reviewed_by", "narrative", "return_reason", "version",
                     "updated_at"]
            total = 0
            chunk = []
            for assignment_id in range(1, len(pairs) + 1):
                for period, status in zip(periods, rng.choices(statuses, weights, k=len(periods)),
                                          strict=True):
                    due = datetime.datetime.combine(period.due, datetime.time(3))
                    submitted = due - datetime.timedelta(days=rng.randint(0, 5))
                    reviewed = status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED)
                    chunk.append((
                        assignment_id, period.key, period.due, rng.randint(40, 100), status,
                        None if status == ReportStatus.DRAFT else submitted,
                        submitted + datetime.timedelta(days=2) if reviewed else None,
                        office_user.pk if reviewed else None,
                        "Đã triển khai theo kế hoạch.",
                        "Bổ sung minh chứng." if status == ReportStatus.RETURNED else "",
                        1, stamp,
                    ))
                if len(chunk) >= 50_000:
                    bench.bulk_insert(cursor, ProgressReport, names, chunk)
                    total += len(chunk)
                    chunk = []
            bench.bulk_insert(cursor, ProgressReport, names, chunk)
            total += len(chunk)
    return {"office": office_user, "head": heads[0], "unit_id": units[0].pk,
            "campaign": campaign, "reports": total}


# -- measurements ---------------------------------------------------------------------------------

def _time_page(conn, client, url, repeat):
    """(median ms, min ms, queries) of GET url after one warm-up request."""
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}")
    return bench.time_get(conn, client, url, repeat)


def _median_times(run):
    """((median wall seconds, median CPU seconds), last result) of EXPORT_RUNS calls of run().
    CPU time is printed too: it holds better than wall time while other work shares the CPU."""
    walls, cpus = [], []
    for _ in range(EXPORT_RUNS):
        started, cpu = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return (statistics.median(walls), statistics.median(cpus)), result


def _time_export(campaign):
    """((wall s, CPU s), rows, peak bytes): timed without tracemalloc, then once more for the
    peak."""
    def run():
        with tempfile.TemporaryFile() as stream:
            return write_progress_workbook(campaign, stream)

    seconds, rows = _median_times(run)
    with tempfile.TemporaryFile() as stream:
        tracemalloc.start()
        try:
            write_progress_workbook(campaign, stream)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return seconds, rows, peak


def _time_bare(rows, sheets):
    """(wall s, CPU s) for openpyxl write-only to write the same rows × 10 columns of plain
    values, median of EXPORT_RUNS."""
    return _median_times(lambda: _write_bare(rows, sheets))[0]


def _write_bare(rows, sheets):
    per_sheet = -(-rows // sheets) if rows else 0
    day = datetime.date(YEAR, 12, 31)
    row = ["Nhiệm vụ 1: tỷ lệ hồ sơ giải quyết đúng hạn", "Trường THPT Số 1", Decimal(100),
           "12/2022", Decimal(85), "Đã chấp nhận", day, day, day, 0]
    with tempfile.TemporaryFile() as stream:
        workbook = Workbook(write_only=True)
        left = rows
        for n in range(sheets):
            ws = workbook.create_sheet(f"ND {n + 1}")
            ws.append(["Tiêu đề"])
            ws.append([f"Cột {i}" for i in range(1, 11)])
            for _ in range(min(per_sheet, left)):
                ws.append(row)
            left -= min(per_sheet, left)
        workbook.save(stream)
