"""Emulation clusters and blocks (cụm, khối thi đua): defining them, their pact, and the
year-end round in which members score each other.

How peer scoring maps onto the scoring engine. Each member's head gives every *other* member
points on each of the cluster's criteria (`PeerMark`, one row per scorer, scored unit and
criterion). A member's points on a criterion are the mean of its peers' points
(`rules.mean`); its points on the scale are the sum over the criteria against their maxima
(`rules.on_scale`, scale 100 as a scheme's), its rank the engine's competition ranking
(`rules.ranks`: 1, 2, 2, 4) and its class the engine's bands (`rules.grade`, a scheme's default
limits). The engine's `Scheme`/`Round`/`Sheet` tables are bound to a campaign's content items
and task data, which a cluster round has none of; the arithmetic is the engine's, so the two
rankings read alike. Every write is in one transaction and audited with before and after.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.trail import record
from core.stale_edits import bump_version

from . import rules
from .models import (
    Cluster,
    ClusterCriterion,
    ClusterMember,
    ClusterPact,
    ClusterResult,
    PeerMark,
    Scheme,
    q2,
)

SCALE = Decimal(100)


def _bands() -> dict:
    """The class limits of a scheme left at its defaults (90, 80, 65)."""
    fields = {name: Scheme._meta.get_field(f"band_{field}").default
              for name, field in (("excellent", "excellent"), ("good", "good"),
                                  ("passing", "pass"))}
    return {name: Decimal(value) for name, value in fields.items()}


def snapshot(cluster) -> dict:
    """What the audit trail keeps of a cluster before and after a change."""
    return {"name": cluster.name, "kind": cluster.kind, "year": cluster.year,
            "head": cluster.head_id, "deputy": cluster.deputy_id,
            "members": sorted(cluster.members.values_list("unit_id", flat=True))
            if cluster.pk else [],
            "targets": cluster.target_lines,
            "criteria": [[c.number, c.title, str(c.max_points)]
                         for c in cluster.criteria.all()] if cluster.pk else []}


def check_membership(*, year, kind, units, head, deputy, cluster=None) -> None:
    """ValidationError (in Vietnamese, saying what to fix) unless the head and deputy are
    members and no unit is already in another cluster of the same kind that year."""
    ids = {unit.pk for unit in units}
    if len(ids) < 2:
        raise ValidationError(_("A cluster needs at least two member units: tick its members."))
    if head.pk not in ids:
        raise ValidationError(_("The cluster head “%(unit)s” is not a member of the cluster: "
                                "tick it among the members or choose another head.")
                              % {"unit": head})
    if deputy is not None and deputy.pk not in ids:
        raise ValidationError(_("The deputy head “%(unit)s” is not a member of the cluster: "
                                "tick it among the members or choose another deputy.")
                              % {"unit": deputy})
    if deputy is not None and deputy.pk == head.pk:
        raise ValidationError(_("The deputy head must be another member than the head."))
    taken = (ClusterMember.objects.filter(year=year, kind=kind, unit_id__in=ids)
             .exclude(cluster=cluster).select_related("unit", "cluster"))
    found = [f"{m.unit} ({m.cluster.name})" for m in taken]
    if found:
        raise ValidationError(_("These units are already in another %(kind)s of %(year)s: "
                                "%(units)s. A unit belongs to one %(kind)s a year: untick them "
                                "or take them out of the other one first.")
                              % {"kind": Cluster(kind=kind).get_kind_display().lower(),
                                 "year": year, "units": "; ".join(found)})


def check_frozen(current, before, *, cluster, units, criteria) -> None:
    """ValidationError unless only the name and the pact's targets change: once peer scoring
    has opened, the members have scored (or are scoring) one another on these criteria, so a
    member added, dropped or a criterion changed would make the marks score unlike for like."""
    criteria_now = [[str(n), t, str(m)] for n, t, m in criteria] if criteria is not None \
        else before["criteria"]
    changed = (cluster.year != current.year or cluster.kind != current.kind
               or cluster.head_id != current.head_id or cluster.deputy_id != current.deputy_id
               or sorted(unit.pk for unit in units) != before["members"]
               or [row[1:] for row in criteria_now] != [row[1:] for row in before["criteria"]])
    if changed:
        raise ValidationError(_("Peer scoring of this cluster opened on %(date)s: its year, "
                                "kind, members, head, deputy and criteria can no longer change, "
                                "so that every member is scored like for like. Only its name and "
                                "the targets of its pact can still change.")
                              % {"date": f"{timezone.localdate(current.round_opened_at):%d/%m/%Y}"})


@transaction.atomic
def save_cluster(*, cluster, units, criteria=None, version=None, user) -> Cluster:
    """Create or change a cluster with its members (in the order given) and, before its round
    opens, its criteria [(number, title, maximum)]. Refused (nothing stored) when a member is in
    another cluster of the kind that year or the head or deputy is not a member."""
    if cluster.pk:
        current = Cluster.objects.select_for_update().get(pk=cluster.pk)
        if version is not None:
            bump_version(current, int(version))
        before = snapshot(current)
        if current.round_opened_at:
            check_frozen(current, before, cluster=cluster, units=units, criteria=criteria)
        cluster.version = current.version
    else:
        before = None
    check_membership(year=cluster.year, kind=cluster.kind, units=units, head=cluster.head,
                     deputy=cluster.deputy, cluster=cluster if cluster.pk else None)
    try:
        with transaction.atomic():
            cluster.save()
            # Once scoring has opened the members are fixed (check_frozen), and so is their
            # order, which the head's rotation follows: they are not rewritten.
            if not cluster.scoring_started:
                cluster.members.all().delete()
                ClusterMember.objects.bulk_create(
                    ClusterMember(cluster=cluster, unit=unit, year=cluster.year,
                                  kind=cluster.kind, order=order)
                    for order, unit in enumerate(units))
    except IntegrityError as error:
        # Two Office staff saving at once: the database's constraint is the last word.
        raise ValidationError(_("A cluster with this name already exists for this year, or a "
                                "member was just put in another one: reload and check.")) \
            from error
    if criteria is not None and not cluster.round_opened_at:
        cluster.criteria.all().delete()
        ClusterCriterion.objects.bulk_create(
            ClusterCriterion(cluster=cluster, number=number, title=title, max_points=maximum,
                             order=order)
            for order, (number, title, maximum) in enumerate(criteria))
    after = snapshot(cluster)
    if before != after:
        record(actor=user, action="cluster.create" if before is None else "cluster.edit",
               target=cluster, before=before, after=after)
    return cluster


def next_head(members, head_id):
    """The member after the head in the members' order (the first after the last): the head
    rotates year to year."""
    ids = [m.unit_id for m in members]
    if head_id not in ids:
        return ids[0]
    return ids[(ids.index(head_id) + 1) % len(ids)]


@transaction.atomic
def copy_year(*, year, user) -> list[Cluster]:
    """Copy the clusters of `year - 1` into `year` with the same members and criteria, the
    next member as head and the one after as deputy. Clusters already defined for `year` (by
    name and kind) are left as they are; nothing is copied twice."""
    made = []
    existing = set(Cluster.objects.filter(year=year).values_list("kind", "name"))
    for old in Cluster.objects.filter(year=year - 1).prefetch_related("members__unit",
                                                                       "criteria"):
        if (old.kind, old.name) in existing:
            continue
        members = list(old.members.all())
        head = next_head(members, old.head_id)
        deputy = next_head(members, head) if len(members) > 2 else None
        units = [m.unit for m in members]
        by_id = {u.pk: u for u in units}
        cluster = Cluster(year=year, kind=old.kind, name=old.name, head=by_id[head],
                          deputy=by_id.get(deputy), copied_from=old)
        criteria = [(c.number, c.title, c.max_points) for c in old.criteria.all()]
        made.append(save_cluster(cluster=cluster, units=units, criteria=criteria, user=user))
    if not made:
        raise ValidationError(_("There is nothing to copy: %(year)s has no clusters, or every "
                                "one of them is already defined for %(next)s.")
                              % {"year": year - 1, "next": year})
    return made


def add_pact(*, cluster, checked, upload, user) -> ClusterPact:
    """Store the signed pact's document; the file is removed again if the line fails."""
    pact = ClusterPact.from_checked(checked, upload=upload, user=user, cluster=cluster)
    try:
        with transaction.atomic():
            pact.save()
            record(actor=user, action="cluster.pact", target=cluster,
                   after={"file": checked.name, "size": checked.size, "sha256": checked.sha256})
    except Exception:
        pact.file.delete(save=False)
        raise
    return pact


@transaction.atomic
def open_round(*, cluster, deadline, user) -> Cluster:
    """Open peer scoring: the members' heads score each other until the deadline."""
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.round_opened_at:
        raise ValidationError(_("Peer scoring of this cluster is already open or closed."))
    criteria = list(cluster.criteria.all())
    if not criteria:
        raise ValidationError(_("The cluster has no criteria yet: add them before opening "
                                "peer scoring."))
    total = sum(c.max_points for c in criteria)
    if total != SCALE:
        raise ValidationError(_("The maxima of the criteria add up to %(total)s, not to 100: "
                                "correct them first.") % {"total": q2(total)})
    cluster.round_opened_at, cluster.round_deadline = timezone.now(), deadline
    cluster.save(update_fields=["round_opened_at", "round_deadline"])
    record(actor=user, action="cluster.round_open", target=cluster,
           before={"opened": None}, after={"deadline": deadline.isoformat()})
    recompute(cluster=cluster)
    return cluster


@transaction.atomic
def extend_round(*, cluster, deadline, reason, version, user) -> Cluster:
    """Move an open round's deadline later (gia hạn chấm chéo): the Office's answer to members
    who missed it. Refused, with nothing stored, when the round is not open, the new deadline is
    before today or not after the current one, or the page was opened before another save."""
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if not cluster.round_open:
        raise ValidationError(_("Peer scoring of this cluster is not open: there is no deadline "
                                "to extend."))
    check_extension(cluster, deadline)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Write why the deadline is extended."))
    bump_version(cluster, int(version))
    before = cluster.round_deadline
    cluster.round_deadline = deadline
    cluster.save(update_fields=["round_deadline"])
    record(actor=user, action="cluster.round_extend", target=cluster,
           before={"deadline": before.isoformat() if before else None},
           after={"deadline": deadline.isoformat(), "reason": reason})
    return cluster


def check_extension(cluster, deadline) -> None:
    """A new deadline is today or later, and later than the round's current one."""
    today = timezone.localdate()
    if deadline < today:
        raise ValidationError(_("The new deadline %(date)s is before today (%(today)s): choose "
                                "today or a later day.")
                              % {"date": f"{deadline:%d/%m/%Y}", "today": f"{today:%d/%m/%Y}"})
    if cluster.round_deadline and deadline <= cluster.round_deadline:
        raise ValidationError(_("The new deadline must be after the current one (%(date)s).")
                              % {"date": f"{cluster.round_deadline:%d/%m/%Y}"})


@transaction.atomic
def close_round(*, cluster, user) -> Cluster:
    """Close peer scoring: the ranking becomes final for the cluster's meeting."""
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if not cluster.round_open:
        raise ValidationError(_("Peer scoring of this cluster is not open."))
    recompute(cluster=cluster)
    cluster.round_closed_at = timezone.now()
    cluster.save(update_fields=["round_closed_at"])
    record(actor=user, action="cluster.round_close", target=cluster,
           after={"ranking": [[unit_id, str(final)] for unit_id, final in
                              cluster.results.order_by("rank").values_list("unit_id", "final")]})
    return cluster


@transaction.atomic
def save_marks(*, cluster, scorer, marks, user) -> int:
    """Store the points `scorer` (a member unit) gives the other members: `marks` maps
    (scored unit id, criterion id) to points, or None to clear. Refused (nothing stored) for
    the scorer itself, a unit outside the cluster, or points outside 0…maximum."""
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if not cluster.round_open:
        raise ValidationError(_("Peer scoring of this cluster is closed: nothing was saved."))
    if cluster.deadline_passed:
        raise ValidationError(_("The peer-scoring deadline (%(date)s) has passed: nothing was "
                                "saved. If your unit's scores must still change, ask the "
                                "Department's Office.")
                              % {"date": f"{cluster.round_deadline:%d/%m/%Y}"})
    members = set(cluster.members.values_list("unit_id", flat=True))
    criteria = {c.pk: c for c in cluster.criteria.all()}
    for (scored, criterion_id), points in marks.items():
        if scored == scorer.pk or scored not in members or criterion_id not in criteria:
            raise ValidationError(_("A unit scores only the other members of its cluster."))
        maximum = criteria[criterion_id].max_points
        if points is not None and not (0 <= points <= maximum):
            raise ValidationError(_("Criterion %(number)s takes 0 to %(max)s points: correct "
                                    "the points and save again.")
                                  % {"number": criteria[criterion_id].number,
                                     "max": rules.q2(maximum)})
    # Plain tuples: a member of a 100-member block has 990 marks, read on every save.
    stored = {(scored, criterion): (pk, points) for pk, scored, criterion, points in
              PeerMark.objects.filter(cluster=cluster, scorer=scorer)
              .values_list("pk", "scored_id", "criterion_id", "points")}
    before, after, upserted, removed = {}, {}, [], []
    for key, points in marks.items():
        pk, was = stored.get(key, (None, None))
        if was == points:
            continue
        if points is None:
            removed.append(pk)
        else:
            upserted.append(PeerMark(cluster=cluster, scorer=scorer, scored_id=key[0],
                                     criterion_id=key[1], points=points))
        # Keyed by criterion number, then by the scored unit: the trail names both.
        number, scored = criteria[key[1]].number, str(key[0])
        before.setdefault(number, {})[scored] = None if was is None else str(was)
        after.setdefault(number, {})[scored] = None if points is None else str(points)
    # New and changed marks in one upsert on (scorer, scored, criterion): bulk_update's
    # CASE … WHEN over a member's 990 marks took most of a 100-member save (bench_clusters).
    PeerMark.objects.bulk_create(upserted, update_conflicts=True,
                                 unique_fields=["scorer", "scored", "criterion"],
                                 update_fields=["points"])
    PeerMark.objects.filter(pk__in=removed).delete()
    if after:
        record(actor=user, action="cluster.marks", target=cluster, unit=scorer,
               before=before, after=after)
        recompute(cluster=cluster)
    return len(after)


@transaction.atomic
def delete_cluster(*, cluster, user) -> None:
    """Delete a cluster whose peer scoring never opened, with its members, criteria and pacts
    (their files once the deletion is committed). Refused once scoring has opened: the marks,
    ranking and the meeting's proposal are then the members' record of the year."""
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.round_opened_at:
        raise ValidationError(_("Peer scoring of this cluster opened on %(date)s: the cluster "
                                "can no longer be deleted, its marks and ranking are the "
                                "members' record of the year.")
                              % {"date": f"{timezone.localdate(cluster.round_opened_at):%d/%m/%Y}"})
    before = snapshot(cluster)
    files = [pact.file for pact in cluster.pacts.all()]
    record(actor=user, action="cluster.delete", target=cluster, before=before, after=None)
    cluster.delete()
    for stored in files:
        transaction.on_commit(lambda stored=stored: stored.delete(save=False))


def recompute(*, cluster) -> None:
    """The ranking of the cluster from its peer marks, in three queries whatever its size:
    the mean per (member, criterion), the scorers per member, and the results written."""
    criteria = list(cluster.criteria.all())
    maximum = sum((c.max_points for c in criteria), Decimal(0))
    members = list(cluster.members.values_list("unit_id", flat=True))
    raw = dict.fromkeys(members, Decimal(0))
    for scored, mean in (PeerMark.objects.filter(cluster=cluster).order_by()
                         .values_list("scored_id", "criterion_id")
                         .annotate(mean=Avg("points")).values_list("scored_id", "mean")):
        if scored in raw:
            raw[scored] += Decimal(mean)
    scorers = dict(PeerMark.objects.filter(cluster=cluster).order_by()
                   .values_list("scored_id").annotate(n=Count("scorer_id", distinct=True)))
    bands = _bands()
    results = []
    for unit_id in members:
        final = rules.on_scale(raw[unit_id], maximum, SCALE)
        results.append(ClusterResult(
            cluster=cluster, unit_id=unit_id, raw=q2(raw[unit_id]), max_points=q2(maximum),
            final=final, scorers=scorers.get(unit_id, 0),
            grade=rules.grade(final, **bands) if scorers.get(unit_id) else ""))
    for result, rank in zip(results, rules.ranks([r.final for r in results]), strict=True):
        result.rank = rank
    ClusterResult.objects.filter(cluster=cluster).delete()
    ClusterResult.objects.bulk_create(results)
