"""Time the checklist of a dossier sent upward on a scratch database.

    python manage.py bench_dossiers [--nominees 500] [--repeat 5] [--keep]

Never touches the configured database (core.bench.scratch_default). It builds one approved list
per school with --nominees CSTĐ cấp tỉnh nominees in all (each with a recognised initiative,
half with a signed report uploaded), the dossier of the award, and the dossier of 20 CSTĐ toàn
quốc nominees (the same required parts), then prints the median time and queries of the
checklist (awards.dossiers.checklist) and of the dossier's page as the Office, for both sizes.
The query counts must match; TOO SLOW names what is over the target (the checklist under
150 ms).
"""

import datetime
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core import bench
from units.models import (
    Initiative,
    InitiativeLevel,
    Role,
    StaffCategory,
    StaffMember,
    Unit,
    UnitKind,
)

from ...dossiers import checklist, freeze, nominee_rows
from ...models import Award, Nominee, Proposal, ProposalStage
from ...models_dossier import Dossier, DossierAttachment, DossierStatus, Part

TARGET_MS = 150
YEAR = 2024
SMALL = 20
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Cúc", "Phạm Thu Dũng", "Hoàng Ngọc Hà"]


class Command(BaseCommand):
    help = ("Time the checklist and the page of a dossier sent upward with many nominees, on a "
            "scratch database (never the configured one).")

    def add_arguments(self, parser):
        parser.add_argument("--nominees", type=int, default=500)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--keep", action="store_true",
                            help="Keep the scratch database and print where it is.")

    def handle(self, *args, **opts):
        bench.check_sizes(opts, "nominees", "repeat")
        with bench.scratch_default("bench_dossiers", keep=opts["keep"],
                                   stdout=self.stdout) as scratch, translation.override("vi"):
            self._run(scratch, opts)

    def _run(self, conn, opts):
        w = self.stdout.write
        call_command("migrate", database="default", verbosity=0, interactive=False)
        office = _office()
        big = _dossier(Award.objects.get(code="chien-si-thi-dua-cap-tinh"), opts["nominees"],
                       office)
        small = _dossier(Award.objects.get(code="chien-si-thi-dua-toan-quoc"), SMALL, office)
        w(f"bench_dossiers: a dossier of {opts['nominees']:,} nominees and one of {SMALL}, "
          f"{DossierAttachment.objects.count():,} signed reports uploaded")
        figures = {}
        for label, dossier in (("big", big), ("small", small)):
            dossier = Dossier.objects.select_related("award").get(pk=dossier.pk)
            checklist(dossier)  # warm up
            times = []
            for _ in range(opts["repeat"]):
                with CaptureQueriesContext(conn) as queries:
                    start = time.perf_counter()
                    found = checklist(dossier)
                    times.append((time.perf_counter() - start) * 1000)
            figures[label] = (statistics.median(times), min(times), len(queries),
                              len(found.missing))
        client = Client()
        client.force_login(office)
        pages = {}
        for label, dossier in (("big", big), ("small", small)):
            url = reverse("awards:dossier", args=[dossier.pk])
            client.get(url)
            pages[label] = bench.time_get(conn, client, url, opts["repeat"])
        slow = []
        (median, fastest, queries, missing), (s_median, _s, s_queries, _m) = (figures["big"],
                                                                             figures["small"])
        w(f"{'checklist':<16} median {median:7.1f} ms  min {fastest:7.1f} ms  queries "
          f"{queries:>2}  ({median / TARGET_MS:.2f}× the target; {missing:,} items missing)")
        w(f"{'':<16} {SMALL} nominees: median {s_median:7.1f} ms  queries {s_queries:>2}  "
          f"({opts['nominees']:,} / {SMALL} nominees: {median / s_median:.1f}× the time)")
        if median > TARGET_MS:
            slow.append(f"checklist {median:.0f} ms")
        if queries != s_queries:
            slow.append(f"checklist queries grow ({s_queries} → {queries})")
        (p_median, p_fastest, p_queries), (ps_median, _p, ps_queries) = (pages["big"],
                                                                        pages["small"])
        w(f"{'dossier page':<16} median {p_median:7.1f} ms  min {p_fastest:7.1f} ms  queries "
          f"{p_queries:>2}  (no target: {opts['nominees']:,} rows drawn)")
        w(f"{'':<16} {SMALL} nominees: median {ps_median:7.1f} ms  queries {ps_queries:>2}")
        if p_queries != ps_queries:
            slow.append(f"page queries grow ({ps_queries} → {p_queries})")
        # Once sent, the dossier reads its frozen nominees (dossiers.sent_rows) and its page
        # draws the upper decision's form, a line per nominee.
        for dossier in (big, small):
            dossier.status = DossierStatus.SENT
            dossier.save(update_fields=["status"])
            freeze(dossier, nominee_rows(dossier.award_id, dossier.year))
        sent = {}
        for label, dossier in (("big", big), ("small", small)):
            dossier = Dossier.objects.select_related("award").get(pk=dossier.pk)
            checklist(dossier)
            times = []
            for _ in range(opts["repeat"]):
                conn.queries_log.clear()  # a full log (9,000 lines) would count no query
                with CaptureQueriesContext(conn) as queries:
                    start = time.perf_counter()
                    checklist(dossier)
                    times.append((time.perf_counter() - start) * 1000)
            url = reverse("awards:dossier", args=[dossier.pk])
            client.get(url)
            sent[label] = (statistics.median(times), len(queries),
                           bench.time_get(conn, client, url, opts["repeat"]))
        (c_median, c_queries, (sp_median, _f, sp_queries)), (cs_median, cs_queries, (
            sps_median, _g, sps_queries)) = sent["big"], sent["small"]
        w(f"{'checklist, sent':<16} median {c_median:7.1f} ms  queries {c_queries:>2}  "
          f"({c_median / TARGET_MS:.2f}× the target); {SMALL} nominees: median "
          f"{cs_median:7.1f} ms  queries {cs_queries:>2}")
        w(f"{'page, sent':<16} median {sp_median:7.1f} ms  queries {sp_queries:>2}; {SMALL} "
          f"nominees: median {sps_median:7.1f} ms  queries {sps_queries:>2}")
        if c_median > TARGET_MS:
            slow.append(f"sent checklist {c_median:.0f} ms")
        if c_queries != cs_queries:
            slow.append(f"sent checklist queries grow ({cs_queries} → {c_queries})")
        if sp_queries != sps_queries:
            slow.append(f"sent page queries grow ({sps_queries} → {sp_queries})")
        verdict = "OK" if not slow else "TOO SLOW: " + ", ".join(slow)
        w(f"target: the checklist under {TARGET_MS} ms with a constant query count — {verdict}")


def _office():
    root = Unit.objects.create(name="Sở Giáo dục và Đào tạo", short_name="Sở", code="so",
                               kind=UnitKind.DEPARTMENT)
    office_unit = Unit.objects.create(name="Văn phòng Sở", code="vp", kind=UnitKind.OFFICE,
                                      parent=root)
    user = get_user_model().objects.create_user("vanphong", password="bench-pass-1")
    StaffMember.objects.create(full_name="Lê Thị Vân", unit=office_unit, role=Role.OFFICE,
                               category=StaffCategory.CIVIL_SERVANT, user=user)
    return user


def _dossier(award, count, office):
    """`count` approved nominees of `award` spread over schools of 25, each with an initiative,
    every other one with a signed report; the draft dossier."""
    root = Unit.objects.get(code="so")
    schools = (count + 24) // 25
    first = Unit.objects.count()
    Unit.objects.bulk_create([
        Unit(name=f"Trường số {first + i}", code=f"truong-{first + i}", kind=UnitKind.SCHOOL,
             parent=root, order=first + i) for i in range(schools)])
    units = list(Unit.objects.filter(code__in=[f"truong-{first + i}" for i in range(schools)]))
    StaffMember.objects.bulk_create([
        StaffMember(full_name=NAMES[i % len(NAMES)], unit=units[i % schools],
                    category=StaffCategory.PUBLIC_EMPLOYEE, position="Giáo viên")
        for i in range(count)], batch_size=2000)
    people = list(StaffMember.objects.filter(unit__in=units).order_by("pk"))
    proposals = {unit.pk: Proposal.objects.create(
        unit=unit, year=YEAR, stage=ProposalStage.APPROVED, voted_on=datetime.date(YEAR, 12, 16),
        council_members=9) for unit in units}
    Nominee.objects.bulk_create([
        Nominee(proposal=proposals[p.unit_id], award=award, staff=p, summary="Dạy giỏi",
                passed=True, votes_for=8) for p in people], batch_size=2000)
    initiatives = Initiative.objects.bulk_create([
        Initiative(title=f"Sáng kiến {p.pk}", unit_id=p.unit_id, level=InitiativeLevel.GRASSROOTS,
                   year=YEAR, decision="1/QĐ", decided_on=datetime.date(YEAR, 6, 1))
        for p in people], batch_size=2000)
    Initiative.authors.through.objects.bulk_create([
        Initiative.authors.through(initiative_id=i.pk, staffmember_id=p.pk)
        for i, p in zip(initiatives, people, strict=True)], batch_size=2000)
    dossier = Dossier.objects.create(year=YEAR, award=award, recipient="province",
                                     created_by=office)
    stored = DossierAttachment(dossier=dossier, part=Part.REPORT, original_name="bc.pdf",
                               extension="pdf", content_type="application/pdf", size=9,
                               sha256="0" * 64, uploaded_by=office)
    stored.file.save("bc.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    nominees = list(Nominee.objects.filter(award=award, proposal__year=YEAR)
                    .values_list("pk", flat=True))
    DossierAttachment.objects.bulk_create([
        DossierAttachment(dossier=dossier, part=Part.REPORT, nominee_id=pk, file=stored.file.name,
                          original_name="bc.pdf", extension="pdf",
                          content_type="application/pdf", size=9, sha256="0" * 64,
                          uploaded_by=office)
        for pk in nominees[::2]], batch_size=2000)
    return dossier
