"""Reading a dossier sent upward: who it proposes, which of the award's required parts are
there, and what is missing, per nominee where a part is each nominee's.

The checklist costs the same five queries for a list of one as for a province's 500 nominees
(`manage.py bench_dossiers`; tests/awards/test_dossiers.py counts them): the award's parts, the
nominees with their person, unit and council meeting, the uploads, and the nominees'
initiatives, all looked at in Python.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from units.collation import person_key, sort_key
from units.models import Initiative

from .models import AwardLevel, Nominee, ProposalStage, SpecialProposal, SpecialStatus, Subject
from .models_dossier import (
    EDITABLE,
    GENERATED_PARTS,
    PER_NOMINEE_PARTS,
    DossierRequirement,
    Part,
    Recipient,
    SentNominee,
)

LEVELS = (AwardLevel.PROVINCE, AwardLevel.NATIONAL)
# A recognised initiative counts for the title when recognised in the year or the two before
# (CSTĐ cấp tỉnh rewards three years as CSTĐ cơ sở, each with its initiative).
INITIATIVE_YEARS = 3
NOMINEE_FIELDS = ("pk", "award_id", "staff_id", "staff__full_name", "staff__position",
                  "staff__date_of_birth", "staff__gender", "staff__sector_start_date",
                  "proposal__unit_id",
                  "proposal__unit__name", "proposal__unit__order", "proposal__voted_on",
                  "proposal__council_members", "votes_for", "summary")


def recipient_for(award) -> str:
    """Where an award's dossier goes: the Minister's awards to the Ministry, the rest to the
    province's emulation board (which also forwards the Prime Minister's and the State's)."""
    authority = (award.authority or "").lower()
    return Recipient.MINISTRY if authority.startswith("bộ trưởng") else Recipient.PROVINCE


def nominees_of(award_id: int, year: int):
    """The approved nominees of the award in the year's commendation lists."""
    return Nominee.objects.filter(award_id=award_id, proposal__year=year, passed=True,
                                  proposal__stage=ProposalStage.APPROVED)


def row_key(row) -> str:
    """A row's key across both kinds: "n12" for nominee 12 of the annual lists, "s7" for
    special proposal 7 — a Nominee id and a SpecialProposal id may be the same number."""
    return f"n{row['pk']}" if row.get("pk") else f"s{row.get('special_id')}"


def _in_order(rows) -> list[dict]:
    """By unit then name in Vietnamese order; sets each row's `name` and `key`."""
    unit_keys = {}
    for row in rows:
        unit_id = row["proposal__unit_id"]
        if unit_id not in unit_keys:
            unit_keys[unit_id] = (row["proposal__unit__order"],
                                  sort_key(row["proposal__unit__name"]), unit_id)
        row["name"] = row["staff__full_name"] or row["proposal__unit__name"]
        row["key"] = row_key(row)
    rows.sort(key=lambda r: (unit_keys[r["proposal__unit_id"]],
                             person_key(r["staff__full_name"] or ""), r["key"]))
    return rows


def nominee_rows(award_id: int, year: int) -> list[dict]:
    """The nominees as dicts, by unit then name in Vietnamese order (one query)."""
    rows = list(nominees_of(award_id, year).order_by().values(*NOMINEE_FIELDS))
    for row in rows:
        row["special_id"] = None
    return _in_order(rows)


def specials_of(award_id: int, year: int):
    """The accepted proposals outside the annual cycle of the award still awaiting a decision:
    an award decided above the Department goes up in a dossier as the lists' nominees do."""
    return SpecialProposal.objects.filter(award_id=award_id, year=year,
                                          status=SpecialStatus.ACCEPTED, decision__isnull=True)


# A special proposal's columns under the keys of NOMINEE_FIELDS: no council voted on it, its
# summary is the achievements the unit wrote.
SPECIAL_FIELDS = {"special_id": "pk", "award_id": "award_id", "staff_id": "staff_id",
                  "staff__full_name": "staff__full_name", "staff__position": "staff__position",
                  "staff__date_of_birth": "staff__date_of_birth",
                  "staff__gender": "staff__gender",
                  "staff__sector_start_date": "staff__sector_start_date",
                  "proposal__unit_id": "unit_id", "proposal__unit__name": "unit__name",
                  "proposal__unit__order": "unit__order",
                  "summary": "achievement"}


def special_rows(award_id: int, year: int) -> list[dict]:
    """The awaiting special proposals as nominee dicts (`pk` None, `special_id` set; one
    query)."""
    rows = []
    for found in specials_of(award_id, year).order_by().values(*SPECIAL_FIELDS.values()):
        row = {key: found[column] for key, column in SPECIAL_FIELDS.items()}
        row.update(pk=None, proposal__voted_on=None, proposal__council_members=None,
                   votes_for=None)
        rows.append(row)
    return rows


def live_rows(award_id: int, year: int) -> list[dict]:
    """Everyone a dossier of the award would carry now: the approved nominees of the annual
    lists and the accepted proposals outside the cycle (two queries)."""
    return _in_order(nominee_rows(award_id, year) + special_rows(award_id, year))


# The frozen row's columns under the keys of NOMINEE_FIELDS, so that every reader (checklist,
# page, documents) takes either list alike; name, position and unit are those sent.
SENT_FIELDS = {"pk": "nominee_id", "staff_id": "staff_id", "staff__full_name": "name",
               "staff__position": "position", "staff__date_of_birth": "staff__date_of_birth",
               "staff__gender": "staff__gender",
               "staff__sector_start_date": "staff__sector_start_date",
               "proposal__unit_id": "unit_id",
               "proposal__unit__name": "unit_name", "proposal__unit__order": "unit__order",
               "proposal__voted_on": "nominee__proposal__voted_on",
               "proposal__council_members": "nominee__proposal__council_members",
               "votes_for": "nominee__votes_for", "summary": "nominee__summary",
               "sent_id": "pk", "commended": "commended", "upper_reason": "upper_reason",
               "special_id": "special_id", "special__achievement": "special__achievement"}


def sent_rows(dossier) -> list[dict]:
    """The nominees the dossier carried when last sent, in the order sent (one query)."""
    rows = []
    for found in (SentNominee.objects.filter(dossier=dossier).order_by("order", "pk")
                  .values(*SENT_FIELDS.values())):
        row = {key: found[column] for key, column in SENT_FIELDS.items()}
        row["award_id"] = dossier.award_id
        achievement = row.pop("special__achievement")
        row["summary"] = row["summary"] or achievement or ""
        if row["staff_id"] is None:
            row["staff__full_name"] = None
        row["name"] = row["staff__full_name"] or row["proposal__unit__name"]
        # A row whose nominee and proposal are both gone keeps a key of its own.
        row["key"] = row_key(row) if (row["pk"] or row["special_id"]) else f"x{row['sent_id']}"
        rows.append(row)
    return rows


def rows_of(dossier) -> list[dict]:
    """Who the dossier proposes: while the Office may change it (draft, returned), the approved
    lists as they are now; once sent, the nominees as sent, whatever the lists say since."""
    if dossier.status in EDITABLE:
        return live_rows(dossier.award_id, dossier.year)
    return sent_rows(dossier)


def freeze(dossier, rows) -> list:
    """Store `rows` (live nominee dicts) as what the dossier carries; replaces an earlier
    freeze (a dossier sent again)."""
    SentNominee.objects.filter(dossier=dossier).delete()
    return SentNominee.objects.bulk_create([
        SentNominee(dossier=dossier, nominee_id=row["pk"], special_id=row.get("special_id"),
                    staff_id=row["staff_id"],
                    unit_id=row["proposal__unit_id"], name=row["name"],
                    position=row["staff__position"] or "",
                    unit_name=row["proposal__unit__name"], order=number)
        for number, row in enumerate(rows)])


def changes_since_sent(dossier, rows) -> dict:
    """For a returned dossier: the names added to and dropped from the lists since it was sent
    (`rows` are the live ones). Empty lists when nothing changed or it was never sent."""
    # A nominee deleted from its list since has no pk left: keyed by the frozen row instead.
    sent = ({row["key"]: row["name"] for row in sent_rows(dossier)}
            if dossier.sent_on else {})
    if not sent:
        return {"added": [], "dropped": []}
    live = {row["key"]: row["name"] for row in rows}
    return {"added": [name for pk, name in live.items() if pk not in sent],
            "dropped": [name for pk, name in sent.items() if pk not in live]}


def requirements(award) -> list:
    """The award's required parts, in filing order (one query)."""
    order = list(Part.values)
    rows = list(DossierRequirement.objects.filter(award=award))
    return sorted(rows, key=lambda r: order.index(r.part))


def initiatives_by_staff(staff_ids, year: int, years: int = INITIATIVE_YEARS) -> dict[int, list]:
    """staff id → their recognised initiatives of the last `years` years (one query)."""
    through = Initiative.authors.through
    found = {}
    for row in (through.objects.filter(staffmember_id__in=staff_ids,
                                       initiative__year__gt=year - years,
                                       initiative__year__lte=year)
                .values("staffmember_id", "initiative__title", "initiative__year",
                        "initiative__level", "initiative__decision")
                .order_by("initiative__year", "initiative__title")):
        found.setdefault(row["staffmember_id"], []).append(row)
    return found


@dataclass
class PartState:
    part: str
    label: str
    required: bool
    generated: bool
    per_nominee: bool
    source: str = ""
    confirmed: bool = True
    missing: list = field(default_factory=list)  # texts naming what is missing

    @property
    def done(self) -> bool:
        return not self.missing


@dataclass
class Checklist:
    nominees: list
    parts: list
    attachments: list
    initiatives: dict
    needs_initiatives: bool = False

    @property
    def missing(self) -> list[str]:
        return [text for part in self.parts if part.required for text in part.missing]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def unconfirmed(self) -> str:
        """The sources of the required parts not yet checked against the law ("" when all
        are)."""
        return "; ".join(sorted({p.source for p in self.parts
                                 if p.required and not p.confirmed and p.source}))

    def needs(self, part) -> bool:
        """Whether the award's dossier asks for `part`."""
        return any(state.part == part and state.required for state in self.parts)

    @cached_property
    def reports(self) -> dict:
        """row key (`row_key`) → its signed report (the first listed, should two be stored)."""
        return {a.owner_key: a for a in reversed(self.attachments) if a.part == Part.REPORT}

    def report_of(self, key):
        """The signed report of the row keyed `key`, None when not uploaded."""
        return self.reports.get(key)


def checklist(dossier) -> Checklist:
    """What the dossier holds and lacks against its award's required parts."""
    award = dossier.award
    needed = {row.part: row for row in requirements(award)}
    nominees = rows_of(dossier)
    attachments = list(dossier.attachments.select_related("nominee").order_by("part", "pk"))
    individual = award.subject == Subject.INDIVIDUAL
    staff_ids = [row["staff_id"] for row in nominees if row["staff_id"]]
    initiatives = (initiatives_by_staff(staff_ids, dossier.year)
                   if Part.INITIATIVES in needed and individual else {})
    signed = {a.owner_key for a in attachments if a.part == Part.REPORT}
    uploaded_parts = {a.part for a in attachments}
    parts = []
    for part in Part.values:
        row = needed.get(part)
        if row is None and part != Part.OTHER:
            continue
        state = PartState(part=part, label=str(Part(part).label), required=row is not None,
                          generated=part in GENERATED_PARTS, per_nominee=part in PER_NOMINEE_PARTS,
                          source=row.source if row else "",
                          confirmed=row.confirmed if row else True)
        if part == Part.LIST and not nominees:
            state.missing.append(_("No nominee of %(award)s was approved for %(year)s.")
                                 % {"award": award.name, "year": dossier.year})
        elif part == Part.MINUTES:
            state.missing += [
                _("%(unit)s: the council's vote is not recorded.")
                % {"unit": name}
                # A proposal outside the annual cycle had no council vote to minute.
                for name in sorted({r["proposal__unit__name"] for r in nominees
                                    if not r["special_id"] and not r["proposal__voted_on"]},
                                   key=sort_key)]
        elif part == Part.REPORT:
            state.missing += [_("%(name)s: signed achievement report missing.")
                              % {"name": r["name"]} for r in nominees if r["key"] not in signed]
        elif part == Part.INITIATIVES and individual:
            state.missing += [
                _("%(name)s: no recognised initiative in %(first)s–%(year)s.")
                % {"name": r["name"], "first": dossier.year - INITIATIVE_YEARS + 1,
                   "year": dossier.year}
                for r in nominees if r["staff_id"] and r["staff_id"] not in initiatives]
        elif part == Part.OTHER and row is not None and Part.OTHER not in uploaded_parts:
            state.missing.append(_("No other attachment is uploaded yet."))
        parts.append(state)
    return Checklist(nominees=nominees, parts=parts, attachments=attachments,
                     initiatives=initiatives,
                     needs_initiatives=Part.INITIATIVES in needed and individual)


def candidates(year: int) -> list[tuple]:
    """(award, count) of awards above the Department with approved nominees, or accepted
    proposals outside the annual cycle awaiting a decision, in the year: what a dossier can be
    built for (three queries)."""
    from collections import Counter

    from django.db.models import Count

    from .models import Award

    counts = Counter(dict(Nominee.objects.filter(proposal__year=year, passed=True,
                                                 proposal__stage=ProposalStage.APPROVED,
                                                 award__level__in=LEVELS)
                          .values_list("award_id").annotate(n=Count("id")).order_by()))
    counts.update(dict(SpecialProposal.objects.filter(year=year, status=SpecialStatus.ACCEPTED,
                                                      decision__isnull=True,
                                                      award__level__in=LEVELS)
                       .values_list("award_id").annotate(n=Count("id")).order_by()))
    return [(award, counts[award.pk]) for award in
            Award.objects.filter(pk__in=counts).order_by("order", "name")]


def whereabouts(specials) -> dict:
    """special proposal id → where an accepted proposal of an award decided above the
    Department is on its way up: {"dossier": its award's dossier of the year or None, "sent":
    the row the dossier carried it as, or None} (two queries, whatever the number)."""
    from .models_dossier import Dossier

    waiting = [s for s in specials if s.status == SpecialStatus.ACCEPTED
               and not s.award.decided_here]
    if not waiting:
        return {}
    found = {}
    for dossier in Dossier.objects.select_related("award").filter(
            award_id__in={s.award_id for s in waiting},
            year__in={s.year for s in waiting}):
        found.setdefault((dossier.award_id, dossier.year), dossier)
    sent = {row.special_id: row for row in SentNominee.objects.filter(
        special_id__in=[s.pk for s in waiting])}
    return {s.pk: {"dossier": found.get((s.award_id, s.year)), "sent": sent.get(s.pk)}
            for s in waiting}
