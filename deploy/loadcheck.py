"""What `deploy/loadtest.py` checks in the database after its clients stop.

Importable (Django must be set up first) so the tests can run each check against a database
with a planted fault. Every function returns a list of problems, empty when all is well.

A *write* is one POST a client made, as the client saw it (`Write`): the report it aimed at,
the version its page showed, a unique token it wrote (the narrative of a save, the comment of a
review; a submit writes none) and the outcome:

* "ok": the portal said it was done (redirect and a success message);
* "conflict": the portal refused it (stale version, already submitted or reviewed, lost the
  race to create the report) — nothing of it may be in the database;
* "unknown": the client never learnt (connection refused or reset, timeout, 5xx during an
  outage) — it may be in the database at most once.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q

from tasks import tallies
from tasks.models import (
    AssignmentTally,
    DueReportTally,
    ProgressReport,
    ReportEvent,
    ReportStatus,
    ReportTally,
    SubmissionTally,
)
from units.models import AuditEntry

OK, CONFLICT, UNKNOWN = "ok", "conflict", "unknown"
SAVE, SUBMIT, ACCEPT, RETURN = "save", "submit", "accept", "return"
# What the history and the audit trail call each write.
AUDIT_ACTIONS = {SAVE: ["report.saved"], SUBMIT: ["report.submitted", "report.resubmitted"],
                 ACCEPT: ["report.accepted"], RETURN: ["report.returned"]}
EVENT_ACTIONS = {SAVE: "saved", ACCEPT: "accepted", RETURN: "returned"}
STATUS_AFTER = {SUBMIT: ReportStatus.SUBMITTED, ACCEPT: ReportStatus.ACCEPTED,
                RETURN: ReportStatus.RETURNED}


@dataclass
class Write:
    kind: str  # SAVE, SUBMIT, ACCEPT or RETURN
    outcome: str  # OK, CONFLICT or UNKNOWN
    report_id: int | None  # None: a save that would create the report
    assignment_id: int
    period: str
    expected_version: int  # the version the client's page showed (0: no report yet)
    token: str = ""  # the narrative (save) or comment (accept, return) written
    client: str = ""
    account: str = ""  # the username: several clients share one account


@dataclass
class Probe:
    """A look at a dashboard's list of waiting reports (read from the replica when one is set,
    unless the browser wrote in the last few seconds) right after a write, or by the director
    later: did it show the write?"""

    kind: str  # the write it follows: SUBMIT (the report must be waiting) or ACCEPT (not)
    report_id: int
    listed: bool  # the report was on the list
    written: datetime.datetime  # when the write's answer arrived (it was committed by then)
    seen: datetime.datetime  # when the list's answer arrived
    own: bool  # the writer's own look; False: the director's, some time later
    cookie: bool  # the look carried the "recently wrote" cookie (so it read the primary)
    client: str = ""


def writes_missing_from_lists(probes: list[Probe], sticky_seconds: float) -> list[str]:
    """A user who wrote must see the write on the next page, whatever database it reads; anyone
    else must see it once the "recently wrote" window is over (the replica's lag is under it).
    A submitted report missing from the waiting list is fine only when a reviewer accepted or
    returned it in between."""
    problems = []
    for probe in probes:
        late = (probe.seen - probe.written).total_seconds()
        if probe.kind == ACCEPT and probe.listed and (probe.own or late > sticky_seconds):
            whose = "its reviewer" if probe.own else "the director"
            problems.append(f"report {probe.report_id} accepted but still waiting on the list "
                            f"{whose} read {late:.2f} s later ({probe.client}, "
                            f"{'primary' if probe.cookie else 'replica'})")
        elif probe.kind == SUBMIT and probe.own and not probe.listed:
            events = list(ReportEvent.objects.filter(report_id=probe.report_id,
                                                     at__lte=probe.seen).order_by("at", "id"))
            submitted = [e for e in events if e.to_status == ReportStatus.SUBMITTED]
            reviewed = submitted and any(
                e.to_status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED)
                for e in events if (e.at, e.pk) > (submitted[-1].at, submitted[-1].pk))
            if not reviewed:
                problems.append(f"report {probe.report_id} submitted by {probe.client} but "
                                f"missing from the waiting list it read {late:.2f} s later "
                                f"({'primary' if probe.cookie else 'replica'})")
    return problems


# -- invariants of the data alone -------------------------------------------------------------

def duplicate_periods() -> list[str]:
    """Two reports of one assignment for the same period (the unique constraint forbids it)."""
    rows = (ProgressReport.objects.order_by().values("assignment_id", "period")
            .annotate(n=Count("pk")).filter(n__gt=1))
    return [f"assignment {r['assignment_id']} has {r['n']} reports for {r['period']}"
            for r in rows]


HALF_WRITTEN = {
    "sent but no submission time":
        Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED], submitted_at__isnull=True),
    "reviewed but no reviewer or review time":
        Q(status__in=[ReportStatus.ACCEPTED, ReportStatus.RETURNED])
        & (Q(reviewed_at__isnull=True) | Q(reviewed_by__isnull=True)),
    "returned without a reason": Q(status=ReportStatus.RETURNED, return_reason=""),
    "sent without a value":
        ~Q(status=ReportStatus.DRAFT) & Q(value__isnull=True, value_date__isnull=True),
    "no history": Q(events__isnull=True),
}


def half_written_reports() -> list[str]:
    """Reports whose columns contradict each other, as a write cut halfway would leave them."""
    problems = []
    for what, condition in HALF_WRITTEN.items():
        for pk in ProgressReport.objects.filter(condition).values_list("pk", flat=True)[:20]:
            problems.append(f"report {pk}: {what}")
    return problems


def history_contradicts_status(report_ids) -> list[str]:
    """Reports whose last history step does not end in the status they are in."""
    problems = []
    last = {}
    for report_id, to_status in (ReportEvent.objects.filter(report_id__in=report_ids)
                                 .order_by("report_id", "at", "id")
                                 .values_list("report_id", "to_status")):
        last[report_id] = to_status
    for pk, status in ProgressReport.objects.filter(pk__in=report_ids).values_list("pk",
                                                                                   "status"):
        if last.get(pk) != status:
            problems.append(f"report {pk} is {status} but its history ends in {last.get(pk)}")
    return problems


def events_without_audit(since: datetime.datetime) -> list[str]:
    """History steps since `since` that have no audit line (or audit lines with no step)."""
    events = Counter(
        (str(report_id), f"report.{action}")
        for report_id, action in ReportEvent.objects.filter(at__gte=since)
        .values_list("report_id", "action"))
    audits = Counter(AuditEntry.objects.filter(at__gte=since, action__startswith="report.")
                     .values_list("object_id", "action"))
    return [f"report {report}: {events[(report, action)]} '{action}' history steps, "
            f"{audits[(report, action)]} audit lines"
            for report, action in sorted(set(events) | set(audits))
            if events[(report, action)] != audits[(report, action)]]


TALLIES = {AssignmentTally: ["assignments"], ReportTally: list(tallies.COUNTS),
           DueReportTally: list(tallies.COUNTS), SubmissionTally: list(tallies.SUBMISSION_COUNTS)}


def _tally_rows(model):
    """The tally's rows, without those counting nothing (a rebuild never writes them)."""
    counted = TALLIES[model]
    keys = [f.attname for f in model._meta.fields if f.attname not in {"id", *counted}]
    return {tuple(row[k] for k in keys): tuple(row[c] for c in counted)
            for row in model.objects.values(*keys, *counted) if any(row[c] for c in counted)}


def tallies_differ_from_rebuild() -> list[str]:
    """The running tallies against `tallies.rebuild()`, which is rolled back afterwards."""
    kept = {model: _tally_rows(model) for model in TALLIES}
    with transaction.atomic():
        tallies.rebuild()
        fresh = {model: _tally_rows(model) for model in TALLIES}
        transaction.set_rollback(True)
    problems = []
    for model in TALLIES:
        for key in sorted(set(kept[model]) | set(fresh[model]), key=str):
            if kept[model].get(key) != fresh[model].get(key):
                problems.append(f"{model.__name__} {key}: kept {kept[model].get(key)}, "
                                f"fresh {fresh[model].get(key)}")
    return problems


# -- the writes the clients saw ---------------------------------------------------------------

def _token_counts(writes):
    """token → (audit lines, history steps) carrying it, for the writes that have a token."""
    found = {}
    for write in writes:
        if not write.token:
            continue
        actions = AUDIT_ACTIONS[write.kind]
        field = "narrative" if write.kind == SAVE else "comment"
        audits = AuditEntry.objects.filter(action__in=actions,
                                           **{f"after__{field}": write.token}).count()
        steps = ReportEvent.objects.filter(action=EVENT_ACTIONS[write.kind])
        if write.kind == SAVE:
            steps = steps.filter(values__narrative=write.token)
        else:
            steps = steps.filter(comment=write.token)
        steps = steps.count()
        found[write.token] = (audits, steps)
    return found


def verify_writes(writes: list[Write], initial_versions: dict[int, int],
                  since: datetime.datetime) -> list[str]:
    """Every accepted write is in the database exactly once, with its history step and audit
    line; no refused write is; no two accepted writes started from the same version of a report
    (no lost update); each report's version moved by exactly its accepted writes, and no other
    report's moved at all; its status and narrative are those of its last accepted write.

    `initial_versions`: report id → version before the clients started (missing: created by
    them). `since`: when the clients started (audit lines before it are not theirs).
    """
    problems = []
    found = _token_counts(writes)
    for write in writes:
        if not write.token:
            continue
        audits, steps = found[write.token]
        allowed = {OK: {1}, CONFLICT: {0}, UNKNOWN: {0, 1}}[write.outcome]
        if audits not in allowed or steps not in allowed:
            problems.append(f"{write.kind} by {write.client} ({write.outcome}) of report "
                            f"{write.report_id or 'new'} {write.period}: {audits} audit lines, "
                            f"{steps} history steps")

    by_report = defaultdict(list)
    reports = {r.pk: r for r in ProgressReport.objects.filter(
        pk__in={w.report_id for w in writes if w.report_id})}
    by_pair = {(r.assignment_id, r.period): r.pk for r in ProgressReport.objects.filter(
        assignment_id__in={w.assignment_id for w in writes})}
    for write in writes:
        report_id = write.report_id or by_pair.get((write.assignment_id, write.period))
        if report_id is not None:
            by_report[report_id].append(write)
            reports.setdefault(report_id, ProgressReport.objects.get(pk=report_id))
        elif write.outcome == OK:
            problems.append(f"save by {write.client} of assignment {write.assignment_id} "
                            f"{write.period} was accepted but there is no such report")

    changed = (ProgressReport.objects.filter(pk__in=set(initial_versions) - set(by_report))
               .values_list("pk", "version"))
    for report_id, version in changed:
        if version != initial_versions[report_id]:
            problems.append(f"report {report_id}: no client wrote it, yet its version went "
                            f"from {initial_versions[report_id]} to {version}")

    for report_id, report_writes in by_report.items():
        report = reports[report_id]
        accepted = _one_per_repeat([w for w in report_writes if w.outcome == OK])
        unknown = [w for w in report_writes if w.outcome == UNKNOWN]
        versions = Counter(w.expected_version for w in accepted)
        for version, n in versions.items():
            if n > 1:
                problems.append(f"report {report_id}: {n} accepted writes from version "
                                f"{version} (a lost update)")
        moved = report.version - initial_versions.get(report_id, 0)
        if not len(accepted) <= moved <= len(accepted) + len(unknown):
            problems.append(f"report {report_id}: version moved by {moved}, "
                            f"{len(accepted)} writes accepted, {len(unknown)} unknown")
        submits = AuditEntry.objects.filter(action__in=AUDIT_ACTIONS[SUBMIT], at__gte=since,
                                            object_id=str(report_id)).count()
        accepted_submits = sum(1 for w in accepted if w.kind == SUBMIT)
        unknown_submits = sum(1 for w in unknown if w.kind == SUBMIT)
        if not accepted_submits <= submits <= accepted_submits + unknown_submits:
            problems.append(f"report {report_id}: {submits} submissions audited, "
                            f"{accepted_submits} accepted, {unknown_submits} unknown")
        problems += _last_write_stands(report, accepted, unknown)
    return problems


def _one_per_repeat(writes):
    """A submit sent twice by one account from one version with the same values (two tabs,
    a double click) is answered "done" both times (`ProgressReport.just_done_by`) and done
    once: it counts once. Saves and reviews carry each client's own token, so they never do."""
    seen, kept = set(), []
    for write in writes:
        key = (write.kind, write.expected_version, write.account)
        if write.kind == SUBMIT and write.account and key in seen:
            continue
        seen.add(key)
        kept.append(write)
    return kept


def _last_write_stands(report, accepted, unknown) -> list[str]:
    """The report holds what its last accepted write left, unless an unknown write came later."""
    if not accepted:
        return []
    last = max(accepted, key=lambda w: w.expected_version)
    if any(w.expected_version >= last.expected_version for w in unknown):
        return []
    problems = []
    if last.kind in STATUS_AFTER and report.status != STATUS_AFTER[last.kind]:
        problems.append(f"report {report.pk} is {report.status} after an accepted {last.kind}")
    saves = [w for w in accepted if w.kind == SAVE]
    if saves and not any(w.kind == SAVE and w.expected_version
                         >= max(s.expected_version for s in saves) for w in unknown):
        expected = max(saves, key=lambda w: w.expected_version).token
        if report.narrative != expected:
            problems.append(f"report {report.pk} holds '{report.narrative[:40]}', not the last "
                            f"accepted save '{expected}'")
    return problems
