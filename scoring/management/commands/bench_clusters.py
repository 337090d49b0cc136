"""Time a cluster round's recompute, a member's peer-scoring save and the cluster page.

    python manage.py bench_clusters [--members 100] [--criteria 10] [--repeat 5] [--keep]

Never touches the configured database (a scratch one, as `bench_scoring`). Builds one block
(khối thi đua) of --members units in which every member has scored every other on every
criterion — members × (members − 1) × criteria peer marks; the default, a block of 100 schools
(all the province's upper secondary schools in one khối), is far larger than a real cluster
(5 to 30 members) — and prints, each the median of --repeat runs:

1. `clusters.recompute` (the ranking from every mark);
2. `clusters.save_marks` of one member changing all its marks (the save recomputes);
3. the cluster page and the peer-scoring page as a member's head: time and query count;
4. the peer-scoring page posted with every box filled in (parse, save, recompute, redirect).

The targets are the scoring benchmark's: a recompute under RECOMPUTE_TARGET_S, a page under
PAGE_TARGET_MS.
"""

import datetime
import random
import statistics
import time
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import bench
from scoring import clusters
from scoring.management.commands.bench_scoring import PAGE_TARGET_MS, RECOMPUTE_TARGET_S
from scoring.models import (
    Cluster,
    ClusterCriterion,
    ClusterKind,
    ClusterMember,
    PeerMark,
)
from units.models import Role, StaffCategory, StaffMember, Unit, UnitKind

YEAR = 2025


class Command(BaseCommand):
    help = "Time a cluster round's recompute, a peer-scoring save and the cluster page."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=100)
        parser.add_argument("--criteria", type=int, default=10)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--keep", action="store_true")

    def handle(self, *args, **opts):
        bench.check_sizes(opts, "members", "criteria", "repeat")
        with bench.scratch_default("bench_clusters", keep=opts["keep"],
                                   stdout=self.stdout) as scratch:
            self._run(scratch, opts)

    def _run(self, conn, opts):
        w = self.stdout.write
        call_command("migrate", database="default", verbosity=0, interactive=False)
        cluster, units, head, office = _build(conn, opts)
        marks = PeerMark.objects.filter(cluster=cluster).count()
        w(f"bench_clusters: one block of {len(units)} members × {opts['criteria']} criteria, "
          f"{marks:,} peer marks")
        repeat, slow = opts["repeat"], []

        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            with transaction.atomic():
                clusters.recompute(cluster=cluster)
            times.append(time.perf_counter() - started)
        w(f"{'recompute':<24} median {statistics.median(times):6.3f} s  "
          f"min {min(times):6.3f} s")
        if statistics.median(times) > RECOMPUTE_TARGET_S:
            slow.append("recompute")

        criteria = list(cluster.criteria.all())
        saves = []
        for n in range(repeat):
            mine = {(u.pk, c.pk): Decimal(c.max_points) - (n % 2)
                    for u in units[1:] for c in criteria}
            started = time.perf_counter()
            clusters.save_marks(cluster=cluster, scorer=units[0], marks=mine, user=office)
            saves.append(time.perf_counter() - started)
        w(f"{'save a member marks':<24} median {statistics.median(saves):6.3f} s  "
          f"min {min(saves):6.3f} s  ({len(units) - 1} members × {len(criteria)} criteria)")
        if statistics.median(saves) > RECOMPUTE_TARGET_S:
            slow.append("save")

        client = Client()
        client.force_login(head)
        for name in ("scoring:cluster", "scoring:cluster_score"):
            median, best, queries = bench.time_get(conn, client,
                                                   reverse(name, args=[cluster.pk]), repeat)
            w(f"{name.split(':')[1] + ' page':<24} median {median:6.1f} ms  min {best:6.1f} ms  "
              f"queries {queries}")
            if median > PAGE_TARGET_MS:
                slow.append(f"{name} {median:.0f} ms")
        # The peer page as a head uses it: every box filled in and saved (the form's parsing,
        # the save and its recompute, the redirect).
        url = reverse("scoring:cluster_score", args=[cluster.pk])
        posts, queries = [], 0
        for n in range(repeat):
            data = {f"m_{u.pk}_{c.pk}": f"{c.max_points - (n % 2) - 1:f}".replace(".", ",")
                    for u in units[1:] for c in criteria}
            with CaptureQueriesContext(conn) as captured:
                started = time.perf_counter()
                # Sent as a browser sends the page's form (urlencoded, not the test
                # client's multipart, whose parsing of 990 fields would be timed instead).
                response = client.post(url, urlencode(data),
                                       content_type="application/x-www-form-urlencoded")
                posts.append((time.perf_counter() - started) * 1000)
            if response.status_code != 302:
                raise CommandError(f"{url} answered {response.status_code} to the post")
            queries = len(captured)
        median = statistics.median(posts)
        w(f"{'cluster_score post':<24} median {median:6.1f} ms  min {min(posts):6.1f} ms  "
          f"queries {queries}")
        if median > PAGE_TARGET_MS:
            slow.append(f"cluster_score post {median:.0f} ms")
        verdict = "met" if not slow else "NOT met: " + ", ".join(slow)
        w(f"targets (bench_scoring's): recompute and save under {RECOMPUTE_TARGET_S:g} s, pages "
          f"under {PAGE_TARGET_MS} ms — {verdict}")


def _build(conn, opts):
    n, k = opts["members"], opts["criteria"]
    rng = random.Random(2025)
    User = get_user_model()
    with transaction.atomic():
        root = Unit.objects.create(name="Sở Giáo dục và Đào tạo (thử tải)", code="so",
                                   kind=UnitKind.DEPARTMENT)
        office_unit = Unit.objects.create(name="Văn phòng Sở", code="vp", kind=UnitKind.OFFICE,
                                          parent=root)
        units = Unit.objects.bulk_create(
            [Unit(name=f"Trường THPT Số {i}", code=f"truong-{i}", kind=UnitKind.SCHOOL,
                  parent=root, order=i) for i in range(1, n + 1)])
        office = User.objects.create(username="vanphong", password=make_password("bench-123"))
        StaffMember.objects.create(full_name="Lê Thị Vân", unit=office_unit, role=Role.OFFICE,
                                   category=StaffCategory.CIVIL_SERVANT, user=office)
        head = User.objects.create(username="hieutruong", password=make_password("bench-123"))
        StaffMember.objects.create(full_name="Ngô Thị Ánh", unit=units[0], role=Role.UNIT_HEAD,
                                   category=StaffCategory.CIVIL_SERVANT, user=head)
        cluster = Cluster.objects.create(year=YEAR, kind=ClusterKind.BLOCK, name="Khối THPT",
                                         head=units[0], round_opened_at=timezone.now(),
                                         round_deadline=datetime.date(2099, 12, 31))
        ClusterMember.objects.bulk_create(
            ClusterMember(cluster=cluster, unit=u, year=YEAR, kind=ClusterKind.BLOCK, order=i)
            for i, u in enumerate(units))
        share = Decimal(100) / k
        criteria = ClusterCriterion.objects.bulk_create(
            ClusterCriterion(cluster=cluster, number=str(i + 1), title=f"Tiêu chí {i + 1}",
                             max_points=share.quantize(Decimal("0.01")), order=i)
            for i in range(k))
        criteria = list(cluster.criteria.all())
        with conn.cursor() as cursor:
            bench.bulk_insert(cursor, PeerMark, ["cluster", "scorer", "scored", "criterion",
                                                 "points"],
                              [(cluster.pk, a.pk, b.pk, c.pk,
                                (Decimal(rng.randint(50, 100)) * c.max_points / 100).quantize(
                                    Decimal("0.01")))
                               for a in units for b in units if a.pk != b.pk
                               for c in criteria])
    return cluster, units, head, office
