"""Time the payout list of a large decision on a scratch database.

    python manage.py bench_payout [--rows 1000] [--units 100] [--repeat 5] [--keep]

Never touches the configured database (core.bench.scratch_default). It builds --units schools
and a Lao động tiên tiến decision of 2022 naming --rows people, with income in the 2022 fund,
then prints the median and best time and the queries of:

- the list computed (`awards.bonus`: the law's figures and the standing awardees in the annex
  order, the amount each and the total) — what every page and file of the list starts from;
- the decision's payout page (as the Office) and the Bonus money page;
- recording the list against the fund (once: it cannot be recorded twice);
- the Excel workbook and the PDF (`awards.documents.build`), each against its bare baseline
  (write-only openpyxl appending the same rows; WeasyPrint laying out a plain table of the same
  rows in the same font), with the ratio of the best runs.

Target: the list built (computed, page, Excel) under 2 s at 1,000 awardees; the PDF of a list
over 300 rows (`DIRECT_ROWS`) is made by the background worker, so its time is printed, not
bound. TOO SLOW names what is over.
"""

import datetime
import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import bench
from units.models import Role, StaffCategory, StaffMember, Unit, UnitKind

from ... import bonus, services_bonus
from ...documents import DIRECT_ROWS, build
from ...models import Award, Conferral, Decision
from .bench_reports import FAMILY, GIVEN, MIDDLE, _bare_pdf, _bare_xlsx

TARGET_S = 2.0
SIGNED = datetime.date(2022, 12, 30)


class Command(BaseCommand):
    help = ("Time the payout list of a large decision (computed, its pages, Excel, PDF) on a "
            "scratch database, never the configured one.")

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1000, help="Awardees of the decision.")
        parser.add_argument("--units", type=int, default=100)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--keep", action="store_true",
                            help="Keep the scratch database and print where it is.")

    def handle(self, *args, **opts):
        bench.check_sizes(opts, "rows", "units", "repeat")
        with bench.scratch_default("bench_payout", keep=opts["keep"], stdout=self.stdout,
                                   sqlite_only=True) as scratch, translation.override("vi"):
            self._run(scratch, opts)

    def _run(self, conn, opts):
        w = self.stdout.write
        started = time.perf_counter()
        call_command("migrate", database="default", verbosity=0, interactive=False)
        decision, office = _build(opts["rows"], opts["units"])
        conn.cursor().execute("ANALYZE")
        w(f"bench_payout: decision of {opts['rows']:,} awardees in {opts['units']:,} units "
          f"(data built in {time.perf_counter() - started:.1f} s)")
        client = Client()
        client.force_login(office)
        repeat = opts["repeat"]

        def computed():
            figures = bonus.figures_for(decision)
            rows = bonus.payees(decision)
            return figures.amount_each * len(rows)

        def page(url):
            def get():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            return get

        header = (f"{'what':<34} {'median s':>9} {'best s':>7} {'queries':>7} {'bare s':>7} "
                  f"{'ratio':>6}")
        w(header)
        w("-" * len(header))
        over = []

        def line(name, function, bare=None, bound=True):
            times, queries = _timed(conn, function, repeat)
            bare_best = min(_timed(conn, bare, repeat)[0]) if bare else None
            ratio = f"{min(times) / bare_best:>5.2f}×" if bare_best else ""
            bare_text = f"{bare_best:>7.2f}" if bare_best else ""
            if bound and statistics.median(times) > TARGET_S:
                over.append(name)
            w(f"{name:<34} {statistics.median(times):>9.3f} {min(times):>7.3f} {queries:>7} "
              f"{bare_text:>7} {ratio:>6}")

        line("list computed (amounts, total)", computed)
        line("payout page (Office)", page(f"/awards/bonus/{decision.pk}/"))
        line("Bonus money page", page("/awards/bonus/"))
        times, queries = _timed(conn, lambda: services_bonus.record_payout(
            decision, year=2022, paid_on=SIGNED, override_reason="", user=office), 1)
        w(f"{'recorded against the fund (once)':<34} {times[0]:>9.3f} {times[0]:>7.3f} "
          f"{queries:>7}")
        if times[0] > TARGET_S:
            over.append("recorded against the fund")
        data = build("payout", {"decision": decision.pk}, "xlsx")
        rows = [(n, f"Người {n}", "Trường", "Lao động tiên tiến", 0.3, 450000, None)
                for n in range(1, data.rows + 1)]
        line("Excel", lambda: build("payout", {"decision": decision.pk}, "xlsx"),
             lambda: _bare_xlsx([rows]))
        _bare_pdf([rows[:50]])  # fonts found and loaded once, outside the timings
        line(f"PDF (worker above {DIRECT_ROWS} rows)",
             lambda: build("payout", {"decision": decision.pk}, "pdf"),
             lambda: _bare_pdf([rows]), bound=opts["rows"] <= DIRECT_ROWS)
        pdf = build("payout", {"decision": decision.pk}, "pdf")
        w(f"PDF: {pdf.pages} pages, {len(pdf.content) / 2**20:.1f} MB")
        w(f"total {bonus.money(computed())} đồng = {opts['rows']:,} × "
          f"{bonus.money(bonus.figures_for(decision).amount_each)}")
        w(f"target: the list built under {TARGET_S:.0f} s — "
          + ("OK" if not over else "TOO SLOW: " + ", ".join(over)))


def _timed(conn, function, repeat):
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(conn) as captured:
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
        queries = len(captured)
    return times, queries


def _build(n_rows: int, n_units: int):
    rng = random.Random(2022)
    User = get_user_model()
    with transaction.atomic():
        root = Unit.objects.create(name="Sở Giáo dục và Đào tạo (thử tải)", short_name="Sở",
                                   code="so", kind=UnitKind.DEPARTMENT)
        office_unit = Unit.objects.create(name="Văn phòng Sở", code="vp", kind=UnitKind.OFFICE,
                                          parent=root)
        units = Unit.objects.bulk_create(
            [Unit(name=f"Trường THPT Số {i}", short_name=f"THPT {i}", code=f"truong-{i}",
                  kind=UnitKind.SCHOOL, parent=root, order=i) for i in range(1, n_units + 1)])
        office = User.objects.create(username="vanphong", password=make_password("bench-123"))
        StaffMember.objects.create(full_name="Lê Thị Vân", unit=office_unit, role=Role.OFFICE,
                                   category=StaffCategory.CIVIL_SERVANT, user=office)
        people = StaffMember.objects.bulk_create(
            [StaffMember(full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} "
                                   f"{rng.choice(GIVEN)}",
                         unit=units[n % n_units], category=StaffCategory.PUBLIC_EMPLOYEE)
             for n in range(n_rows)], batch_size=2000)
        award = Award.objects.get(code="lao-dong-tien-tien")
        decision = Decision.objects.create(award=award, year=2022, number="1802/QĐ-SGDĐT",
                                           signed_on=SIGNED, signer_name="Trần Văn Giám",
                                           signer_title="GIÁM ĐỐC", created_by=office)
        Conferral.objects.bulk_create(
            [Conferral(award=award, year=2022, staff=person, unit_id=person.unit_id,
                       decision=decision.number, decided_on=SIGNED, issued_by=decision)
             for person in people], batch_size=2000)
        services_bonus.add_income(year=2022, received_on=datetime.date(2022, 2, 15),
                                  amount=n_rows * 500_000, source="Dự toán (thử tải)",
                                  user=office)
    return decision, office
