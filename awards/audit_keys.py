"""How the keys the awards' lines record read on the audit trail (core.audit.display)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit.display import Key, explain, name_actions, name_objects

from .models import Rating, SpecialStatus
from .models_bonus import Approval
from .models_dossier import DossierStatus, Part

# What the trail's page calls each action this app records.
ACTIONS = {
    "rating.save": _("Year-end ratings saved"),
    "rating.import": _("Year-end ratings imported from Excel"),
    "word_template.upload": _("Word template of a document uploaded"),
    "word_template.remove": _("Word template of a document removed"),
    "certificate_layout.save": _("Layout of a certificate blank saved"),
    "certificate_layout.remove": _("Layout of a certificate blank removed"),
    "proposal.summary": _("Commendation list summary edited"),
    "proposal.submit": _("Commendation list submitted"),
    "proposal.return": _("Commendation list returned"),
    "proposal.resubmit": _("Commendation list sent again"),
    "proposal.recall": _("Commendation list recalled by the unit"),
    "proposal.attach": _("File added to a commendation list"),
    "proposal.detach": _("File removed from a commendation list"),
    "proposal.accept": _("Commendation list accepted"),
    "proposal.publish": _("Commendation list put on public notice"),
    "proposal.comment": _("Comment on a list on notice"),
    "proposal.vote": _("Council vote recorded"),
    "proposal.votes": _("Votes per nominee recorded"),
    "proposal.approve": _("Commendation list approved"),
    "nominee.create": _("Nominee added"),
    "nominee.edit": _("Nominee edited"),
    "nominee.remove": _("Nominee removed"),
    "decision.issue": _("Commendation decision issued"),
    "decision.revoke": _("Commendation decision revoked"),
    "decision.sign": _("Decision's PDF signed digitally"),
    # The catalogue and the law by period, edited in the administration pages (awards/admin.py).
    "catalogue.create": _("Entry added to the catalogue or the law of a period"),
    "catalogue.edit": _("Catalogue of awards or the law of a period edited"),
    "catalogue.delete": _("Entry of the catalogue or the law of a period deleted"),
    "registration.open": _("Emulation registration opened"),
    "registration.extend": _("Emulation registration deadline changed"),
    "registration.close": _("Emulation registration closed"),
    "registration.reopen": _("Emulation registration reopened"),
    "registration.save": _("Emulation registration saved"),
    "registration.import": _("Emulation registration imported from Excel"),
    "registration.send": _("Emulation registration sent"),
    "registration.accept": _("Emulation registration accepted"),
    "registration.return": _("Emulation registration returned"),
    "special.propose": _("Proposed for an award outside the annual cycle"),
    "special.accept": _("Proposal outside the annual cycle accepted"),
    "special.return": _("Proposal outside the annual cycle returned"),
    "fund.income": _("Income entered in the reward fund"),
    "payout.record": _("Payout list recorded against the reward fund"),
    "payout.override": _("Payout list recorded beyond the reward fund, with a reason"),
    "payout.approve": _("Payout list beyond the reward fund approved by the director"),
    "payout.refuse": _("Payout list beyond the reward fund refused by the director"),
    "fund.recovery": _("Bonus of revoked awards recovered into the reward fund"),
    "fund.income_correct": _("Income entry of the reward fund corrected"),
    "fund.income_write_off": _("Income correction leaving the reward fund short, awaiting "
                               "the director"),
    "fund.income_approve": _("Income correction leaving the reward fund short approved by "
                             "the director"),
    "fund.income_refuse": _("Income correction leaving the reward fund short refused by the "
                            "director"),
    "dossier.create": _("Dossier to the upper level built"),
    "dossier.attach": _("File added to a dossier"),
    "dossier.detach": _("File removed from a dossier"),
    "dossier.send": _("Dossier sent to the upper level"),
    "dossier.resend": _("Dossier sent again to the upper level"),
    "dossier.return": _("Dossier returned by the upper level"),
    "dossier.recall": _("Dossier recalled"),
    "dossier.decide": _("Upper level's decision on a dossier recorded"),
    "dossier.refuse": _("Upper level commended no one of a dossier"),
    "decision.revoke_upper": _("Upper level's revocation of its decision recorded"),
}


def register() -> None:
    name_actions(ACTIONS)
    explain("ratings", pgettext_lazy("audit", "Ratings"), model="units.StaffMember",
            each=Key("", choices=dict(Rating.choices)))
    explain("votes", _("Votes"), model="awards.Nominee",
            each=Key("", parts=(_("For"), _("Against"), _("Passed"))))
    explain("nominees", pgettext_lazy("audit", "Nominees"),
            action=("decision.issue", "dossier.decide"),
            model="awards.Nominee",
            each=Key("", model="awards.Decision"))
    explain("conferrals", _("Awards conferred"), model="awards.Conferral")
    # Typed by the Office, not given by the register of outgoing documents.
    explain("typed", _("Number typed"), action="decision.issue")
    explain("titles", _("Titles registered"), model="units.StaffMember")
    explain("unit_title", _("Collective title aimed for"))
    explain("closed", _("Closed"))
    explain("revoked", _("Revoked"))
    explain("comment", _("Comment"), action="proposal.comment", model="awards.NoticeComment")
    explain("nominee", _("About the nominee"), model="awards.Nominee")
    explain("reviewed_by", _("Checked by"), model=settings.AUTH_USER_MODEL)
    explain("approved_by", _("Approved by"), model=settings.AUTH_USER_MODEL)
    # A person, or the unit for a collective title, then the award: "Lê Thị Vân (Lao động
    # tiên tiến)"; the line's unit is in its own column.
    name_objects("awards.Nominee", "staff__full_name", "proposal__unit__name", "award__name",
                 shown=lambda person, unit, award: f"{person or unit} ({award})")
    name_objects("awards.Conferral", "staff__full_name", "unit__name", "award__name", "year",
                 shown=lambda person, unit, award, year: f"{person or unit} ({award} {year})")
    # A condition's or a quota's period and award (fields without a name of their own).
    catalogue = ("catalogue.create", "catalogue.edit", "catalogue.delete")
    explain("period", _("Legal period"), action=catalogue, model="awards.LegalPeriod")
    explain("award", _("Title or form"), action=catalogue, model="awards.Award")
    special = ("special.propose", "special.accept", "special.return")
    for key, label in (("deed_on", _("Date of the deed")),
                       ("achievement", _("Reason and achievements")),
                       ("justification", _("Justification")),
                       ("return_reason", _("Reason for returning")),
                       ("eligible", _("Met the conditions"))):
        explain(key, label, action=special)
    explain("status", _("Status"), action=special, choices=dict(SpecialStatus.choices))
    explain("award", _("Title or form"), action=special, model="awards.Award")
    explain("unit", _("Unit"), action=special, model="units.Unit")
    explain("staff", _("Staff member"), action=special, model="units.StaffMember")
    explain("special_proposals", _("Proposals outside the annual cycle"),
            action="decision.issue", model="awards.SpecialProposal",
            each=Key("", model="awards.Decision"))
    name_objects("awards.SpecialProposal", "staff__full_name", "unit__name", "award__name",
                 "year", shown=lambda person, unit, award, year: f"{person or unit} ({award} "
                 f"{year})")
    dossier = tuple(key for key in ACTIONS if key.startswith("dossier."))
    for key, label in (("sent_on", _("Sent on")), ("sent_number", _("Number of the letter")),
                       ("return_reason", _("Reason for returning")),
                       ("recall_reason", _("Reason for the recall")),
                       ("decision_number", _("Number of the upper decision")),
                       ("decided_on", _("Date of the upper decision")),
                       ("decided_by", _("Issued by")), ("file", _("File")),
                       ("files", _("Files replaced")),
                       ("refusal_reason", _("Why the upper level commended no one"))):
        explain(key, label, action=dossier)
    explain("not_commended", _("Not commended by the upper level"), action=dossier,
            model="awards.Nominee", each=Key(""))
    explain("nominees", _("Nominees as sent"), action=("dossier.send", "dossier.resend"),
            model="awards.Nominee")
    for key, label in (("number", _("Number of the revoking decision")),
                       ("revoked_on", _("Date of the revoking decision")),
                       ("issuer", _("Issued by"))):
        explain(key, label, action="decision.revoke_upper")
    explain("status", _("Status"), action=dossier, choices=dict(DossierStatus.choices))
    explain("part", _("Part"), action=dossier, choices=dict(Part.choices))
    explain("return_parts", _("Parts to fix"), action=dossier, choices=dict(Part.choices))
    explain("nominee", _("Nominee"), action=dossier, model="awards.Nominee")
    explain("conferrals", _("Awards conferred"), action=dossier, model="awards.Conferral")
    # The upper decision registered for its bonus (services_dossier.decide).
    explain("decision", _("Decision"), action=dossier, model="awards.Decision")
    # A unit's list as a dossier (services.submit / send_back / recall, services_unit_dossier).
    unit_dossier = ("proposal.submit", "proposal.resubmit", "proposal.return", "proposal.recall",
                    "proposal.attach", "proposal.detach")
    for key, label in (("sent_on", _("Letter dated")), ("sent_number", _("Number of the letter")),
                       ("return_note", _("Why it was returned")),
                       ("recall_reason", _("Reason for the recall")),
                       ("file", _("File")), ("files", _("Files replaced"))):
        explain(key, label, action=unit_dossier)
    explain("part", _("Part"), action=unit_dossier, choices=dict(Part.choices))
    explain("return_parts", _("Parts to fix"), action=unit_dossier, choices=dict(Part.choices))
    explain("nominee", _("Nominee"), action=unit_dossier, model="awards.Nominee")
    name_objects("awards.Dossier", "award__name", "year", "recipient",
                 shown=lambda award, year, recipient: f"{award} {year}")
    name_objects("awards.Decision", "number")
    money = ("fund.income", "payout.record", "payout.override", "payout.approve",
             "payout.refuse", "fund.recovery", "fund.income_correct", "fund.income_write_off",
             "fund.income_approve", "fund.income_refuse")
    for key, label in (("year", _("Fund year")), ("received_on", _("Date of the income")),
                       ("amount", _("Amount (đồng)")), ("source", _("Where the money comes from")),
                       ("decision", _("Decision")), ("paid_on", _("Date of the list")),
                       ("base_salary", _("Base salary")), ("coefficient", _("Coefficient")),
                       ("amount_each", _("Amount each")), ("awardees", _("Awardees paid")),
                       ("total", _("Total")),
                       ("override_reason", _("Reason for paying beyond the fund")),
                       ("fund_balance", _("Balance of the fund")),
                       ("note", _("Note")), ("reason", _("Reason for the correction")),
                       ("due", _("Due back (đồng)"))):
        explain(key, label, action=money)
    explain("approval", _("Director's approval"), action=money,
            choices={"": _("within the fund")} | dict(Approval.choices))
    name_objects("awards.NoticeComment", "text")
    for key, label in (("sha256", _("SHA-256 of the PDF")), ("certificate", _("Certificate")),
                       ("serial", _("Certificate serial number")),
                       ("signed_at", _("Signed at")), ("timestamped", _("Timestamped"))):
        explain(key, label, action="decision.sign")
    from .documents.word import kinds as word_kinds

    word = ("word_template.upload", "word_template.remove")
    explain("kind", _("Document"), action=word, choices=word_kinds())
    explain("file", _("File"), action=word)
    from .models_certificate import FIELDS, Paper

    blank = ("certificate_layout.save", "certificate_layout.remove")
    explain("layout", _("Layout"), action=blank)
    explain("award", _("Award"), action=blank)
    explain("paper", _("Paper"), action=blank, choices=dict(Paper.choices))
    for key, label in FIELDS.items():
        explain(key, label, action=blank)

