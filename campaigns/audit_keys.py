"""How the keys the plans' lines record read on the audit trail (units.audit_display)."""

from django.utils.translation import gettext_lazy as _

from units.audit_display import explain, name_objects

SAVED = ("campaign.create", "campaign.edit")


def register() -> None:
    explain("sections", _("Sections changed"), action=SAVED)
    explain("bases", _("Legal bases"), action=SAVED)
    explain("items", _("Content items"), action=SAVED)
    explain("duties", _("Organisation duties"), action=SAVED)
    explain("recipients", _("Recipients"), action=SAVED)
    explain("units_asked", _("Units asked to disseminate (number)"))
    explain("copied_from", _("Copied from"), model="campaigns.Campaign")
    name_objects("campaigns.Campaign", "number", "symbol", "title",
                 shown=lambda number, symbol, title: f"{number}/{symbol} – {title}")
    name_objects("campaigns.ContentItem", "number", "short_title",
                 shown=lambda number, title: f"{number}. {title}")
