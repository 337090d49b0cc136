"""Reading a unit's list as a dossier to the Department: which parts the awards on it ask of
the unit (`ProposalRequirement`), which are uploaded, and what is missing, for the unit
("Trường THPT X: thiếu biên bản họp Hội đồng thi đua của đơn vị") or nominee by nominee
("Nguyễn Văn A: thiếu báo cáo thành tích đã ký"). The same `Checklist` as a dossier sent upward
(dossiers.py), so the page and the refusal read alike; four queries whatever the list's size.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .dossiers import Checklist, PartState, initiatives_by_staff
from .models_dossier import PER_NOMINEE_PARTS, Part
from .models_unit_dossier import ProposalRequirement

# The parts a unit uploads (the list itself is the portal's own).
UPLOADED = (Part.LETTER, Part.MINUTES, Part.REPORT, Part.INITIATIVES, Part.OTHER)
# CSTĐ cơ sở asks for an initiative recognised in the year itself.
INITIATIVE_YEARS = 1


@dataclass
class UnitChecklist(Checklist):
    # (part, award id) of the per-nominee parts the awards on the list ask for.
    needs: set = field(default_factory=set)

    def rows(self):
        """(nominee, their signed report or None, whether the report is asked, their uploaded
        initiative or None, whether an initiative is asked, their recorded initiatives) of
        every nominee, for the page."""
        return [(n, report_of(self, Part.REPORT, n.pk), (Part.REPORT, n.award_id) in self.needs,
                 report_of(self, Part.INITIATIVES, n.pk),
                 bool(n.staff_id) and (Part.INITIATIVES, n.award_id) in self.needs,
                 self.initiatives.get(n.staff_id, []))
                for n in self.nominees]


def nominee_name(nominee) -> str:
    return nominee.staff.full_name if nominee.staff_id else nominee.proposal.unit.name


def checklist(proposal) -> Checklist:
    """What the list holds and lacks against the parts its awards ask of the unit."""
    nominees = list(proposal.nominees.select_related("award", "staff"))
    for nominee in nominees:
        nominee.proposal = proposal  # the names read the unit without a query each
    award_ids = {n.award_id for n in nominees}
    rows = list(ProposalRequirement.objects.filter(award_id__in=award_ids))
    attachments = list(proposal.attachments.select_related("nominee__staff")
                       .order_by("part", "pk"))
    uploaded = {a.part for a in attachments}
    per_nominee = {(a.part, a.nominee_id) for a in attachments if a.nominee_id}
    needing_initiative = {r.award_id for r in rows if r.part == Part.INITIATIVES}
    initiatives = initiatives_by_staff(
        [n.staff_id for n in nominees if n.staff_id and n.award_id in needing_initiative],
        proposal.year, years=INITIATIVE_YEARS) if needing_initiative else {}
    unit = proposal.unit.name
    parts = []
    for part in Part.values:
        needed = [r for r in rows if r.part == part]
        if not needed and part != Part.OTHER:
            continue
        awards = {r.award_id for r in needed}
        state = PartState(part=part, label=str(Part(part).label), required=bool(needed),
                          generated=part == Part.LIST, per_nominee=part in PER_NOMINEE_PARTS,
                          source="; ".join(sorted({r.source for r in needed})),
                          confirmed=all(r.confirmed for r in needed))
        whose = [n for n in nominees if n.award_id in awards]
        if part == Part.LIST and not nominees:
            state.missing.append(_("%(unit)s: the list is empty.") % {"unit": unit})
        elif part == Part.LETTER and part not in uploaded:
            state.missing.append(_("%(unit)s: the signed proposal letter (tờ trình) is missing.")
                                 % {"unit": unit})
        elif part == Part.MINUTES and part not in uploaded:
            state.missing.append(_("%(unit)s: the minutes of the unit's emulation council "
                                   "meeting are missing.") % {"unit": unit})
        elif part == Part.REPORT:
            state.missing += [_("%(name)s: signed achievement report missing.")
                              % {"name": nominee_name(n)} for n in whose
                              if (Part.REPORT, n.pk) not in per_nominee]
        elif part == Part.INITIATIVES:
            state.missing += [
                _("%(name)s: no initiative recognised in %(year)s (record it, or upload its "
                  "recognition).") % {"name": nominee_name(n), "year": proposal.year}
                for n in whose if n.staff_id and n.staff_id not in initiatives
                and (Part.INITIATIVES, n.pk) not in per_nominee]
        elif part == Part.OTHER and needed and part not in uploaded:
            state.missing.append(_("No other attachment is uploaded yet."))
        parts.append(state)
    return UnitChecklist(nominees=nominees, parts=parts, attachments=attachments,
                         initiatives=initiatives, needs_initiatives=bool(needing_initiative),
                         needs={(r.part, r.award_id) for r in rows
                                if r.part in PER_NOMINEE_PARTS})


def report_of(found: Checklist, part: str, nominee_id: int):
    return next((a for a in found.attachments
                 if a.part == part and a.nominee_id == nominee_id), None)
