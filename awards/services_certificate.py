"""Saving and removing the layouts of the pre-printed certificate blanks (audited)."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit.trail import record
from core.numbers import format_number

from .models_certificate import FIELDS, Align, CertificateLayout


def _position(item: dict) -> str:
    """One field's position as the trail shows it: 'x 48,5 · y 86 · 200 mm · 22 pt · Giữa'."""
    text = " · ".join([f"x {format_number(item['x'])}", f"y {format_number(item['y'])}",
                       f"{format_number(item['width'])} mm", f"{format_number(item['size'])} pt",
                       str(Align(item["align"]).label)])
    hidden = _("not printed")
    return text if item["shown"] else f"{text} ({hidden})"


def _summary(layout: CertificateLayout) -> dict:
    return {"layout": layout.name, "award": layout.award.name if layout.award_id else "",
            "paper": layout.paper,
            **{key: _position(layout.field(key)) for key in FIELDS}}


@transaction.atomic
def save_certificate_layout(*, layout: CertificateLayout, name: str, award, paper: str,
                            positions: dict, user) -> CertificateLayout:
    """Creates `layout` (unsaved) or updates it with its name, award, paper and `positions`
    ({field: {x, y, width, size, align, shown}}); one audit line with what changed."""
    before = None
    if layout.pk:
        layout = CertificateLayout.objects.select_for_update().get(pk=layout.pk)
        before = _summary(layout)
    layout.name, layout.award, layout.paper = name, award, paper
    layout.positions = positions
    layout.updated_by = user
    layout.save()
    after = _summary(layout)
    if before is not None:
        changed = {key for key in after if before.get(key) != after[key]}
        before = {key: value for key, value in before.items() if key in changed}
        after = {key: value for key, value in after.items() if key in changed}
    record(actor=user, action="certificate_layout.save", target=layout, before=before,
           after=after)
    return layout


@transaction.atomic
def remove_certificate_layout(*, layout: CertificateLayout, user) -> None:
    record(actor=user, action="certificate_layout.remove", target=layout,
           before=_summary(layout))
    layout.delete()
