"""How the keys the plans' lines record read on the audit trail (core.audit.display)."""

from django.utils.translation import gettext_lazy as _

from core.audit.display import explain, name_actions, name_objects

SAVED = ("campaign.create", "campaign.edit")


# What the trail's page calls each action this app records.
ACTIONS = {
    "campaign.create": _("Plan created"),
    "campaign.edit": _("Plan edited"),
    "campaign.launch": _("Plan launched"),
    "campaign.close": _("Plan closed"),
    "campaign.copy": _("Plan copied to a new year"),
    "dissemination.confirm": _("Dissemination confirmed"),
}


def register() -> None:
    name_actions(ACTIONS)
    explain("sections", _("Sections changed"), action=SAVED)
    explain("bases", _("Legal bases"), action=SAVED)
    explain("items", _("Content items"), action=SAVED)
    explain("duties", _("Organisation duties"), action=SAVED)
    explain("recipients", _("Recipients"), action=SAVED)
    explain("units_asked", _("Units asked to disseminate (number)"))
    # The plan's number from the register of outgoing documents (or typed) when launched.
    explain("number", _("Number and symbol"), action="campaign.launch")
    explain("issued_on", _("Date of issue"), action="campaign.launch")
    explain("typed", _("Number typed (not given by the register)"), action="campaign.launch")
    explain("copied_from", _("Copied from"), model="campaigns.Campaign")
    name_objects("campaigns.Campaign", "number", "symbol", "title",
                 shown=lambda number, symbol, title: f"{number}/{symbol} – {title}")
    name_objects("campaigns.ContentItem", "number", "short_title",
                 shown=lambda number, title: f"{number}. {title}")
