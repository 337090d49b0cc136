"""The demo's emulation clusters (cụm thi đua) of the current year: the affiliated upper
secondary schools in two clusters by area, each with its head and deputy, the targets of its
pact and four criteria; peer scoring opened three weeks before today, every member's head has
scored the others, and the Office closed the round after the deadline, so the ranking shows.
The meeting's proposal (the flag candidate) is the awards demo's (awards.demo_clusters).

Marks come from random.Random seeded with the year, around a strength per school, so one year
gives the same ranking."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from core.audit.trail import dated
from tasks.demo import unit_heads
from units.models import Unit

from . import clusters
from .models import Cluster, ClusterKind, PeerMark

# (name, member codes in order: the head first, the deputy second)
CLUSTERS = [
    ("Cụm thi đua số 1 – Các trường THPT khu vực Đồng Xoài",
     ["thpt-hung-vuong", "thpt-dong-xoai", "thpt-chuyen-quang-trung", "thpt-nguyen-du",
      "thpt-dong-phu", "thpt-chon-thanh", "pt-dtnt-tinh"]),
    ("Cụm thi đua số 2 – Các trường THPT khu vực phía Bắc",
     ["thpt-loc-ninh", "thpt-chuyen-binh-long", "thpt-phuoc-binh", "thpt-bu-dang",
      "thpt-nguyen-hue", "thpt-phu-rieng", "thpt-dak-o"]),
]
TARGETS = "\n".join([
    "100% cán bộ, giáo viên, nhân viên đạt chuẩn nghề nghiệp trở lên",
    "Tỷ lệ học sinh tốt nghiệp THPT đạt từ 98% trở lên",
    "Mỗi trường có ít nhất 01 sáng kiến được công nhận cấp tỉnh",
    "Không có cán bộ, giáo viên vi phạm đạo đức nhà giáo",
    "Hoàn thành chuyển đổi số trong quản lý hồ sơ, sổ sách điện tử",
])
CRITERIA = [
    ("1", "Chất lượng giáo dục toàn diện và kết quả thi tốt nghiệp THPT", Decimal(40)),
    ("2", "Xây dựng đội ngũ, đổi mới quản lý và chuyển đổi số", Decimal(25)),
    ("3", "Các phong trào thi đua, hoạt động phong trào của ngành", Decimal(20)),
    ("4", "Thực hiện giao ước thi đua và phối hợp trong cụm", Decimal(15)),
]
DAY = datetime.timedelta(days=1)


def _days(today: datetime.date) -> dict:
    """The round's days before `today`, kept within the year: opened, deadline, closed and the
    meeting (awards)."""
    first = datetime.date(today.year, 1, 1)
    opened = max(first, today - 21 * DAY)
    deadline = min(today, max(opened + DAY, today - 9 * DAY))
    closed = min(today, deadline + 2 * DAY)
    return {"opened": opened, "deadline": deadline, "closed": closed,
            "meeting": min(today, closed + 2 * DAY)}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load_clusters(*, office_user, today: datetime.date) -> dict:
    """The year's two clusters, scored and closed; nothing when the year has clusters."""
    year = today.year
    if Cluster.objects.filter(year=year).exists():
        return {"year": year, "clusters": 0}
    units = Unit.objects.in_bulk([code for _name, codes in CLUSTERS for code in codes],
                                 field_name="code")
    heads = unit_heads()
    rng = random.Random(year)
    days = _days(today)
    made = 0
    for name, codes in CLUSTERS:
        members = [units[code] for code in codes if code in units]
        if len(members) < 3:
            continue  # an organisation without these schools: no cluster
        with dated(_at(days["opened"] - 14 * DAY, 9)):
            cluster = clusters.save_cluster(
                cluster=Cluster(year=year, kind=ClusterKind.CLUSTER, name=name,
                                head=members[0], deputy=members[1], targets=TARGETS),
                units=members, criteria=CRITERIA, user=office_user)
        with dated(_at(days["opened"], 8)):
            clusters.open_round(cluster=cluster, deadline=days["deadline"], user=office_user)
        # The heads scored before the deadline, which may be past on the real clock the demo
        # is loaded by: the deadline is lifted while their marks are replayed, then put back.
        Cluster.objects.filter(pk=cluster.pk).update(round_deadline=None)
        cluster.refresh_from_db()
        criteria = list(cluster.criteria.all())
        strength = {unit.pk: rng.uniform(0.78, 0.96) for unit in members}
        for order, scorer in enumerate(members):
            marks = {}
            for scored in members:
                if scored.pk == scorer.pk:
                    continue
                for criterion in criteria:
                    share = min(1.0, strength[scored.pk] + rng.uniform(-0.05, 0.05))
                    # Whole or half points, as a head writes them on the paper form.
                    marks[(scored.pk, criterion.pk)] = (
                        Decimal(round(float(criterion.max_points) * share * 2)) / 2)
            with dated(_at(days["opened"] + (order % 7) * DAY, 14)):
                clusters.save_marks(cluster=cluster, scorer=scorer, marks=marks,
                                    user=heads.get(scorer.pk, office_user))
        with dated(_at(days["closed"], 10)):
            cluster = clusters.close_round(cluster=cluster, user=office_user)
        # The services stamp now; the trail above carries the replayed days.
        Cluster.objects.filter(pk=cluster.pk).update(
            round_opened_at=_at(days["opened"], 8), round_closed_at=_at(days["closed"], 10),
            round_deadline=days["deadline"])
        made += 1
    return {"year": year, "clusters": made,
            "marks": PeerMark.objects.filter(cluster__year=year).count()}
