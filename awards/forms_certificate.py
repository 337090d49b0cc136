"""The positions of a certificate's texts on a pre-printed blank, typed in millimetres."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import NumberField, VietnameseModelForm

from .models import Award
from .models_certificate import DEFAULT_FIELDS, FIELDS, PAPER_SIZES, Align, CertificateLayout

# Below this a text cannot be read on a certificate; above it one line fills the blank.
SMALLEST_POINTS, LARGEST_POINTS = Decimal(6), Decimal(48)
NARROWEST_MM = Decimal(10)
MM_PER_PT = Decimal("0.3528")


class CertificateLayoutForm(VietnameseModelForm):
    """The layout's name, award and paper, then for each text of FIELDS its x, y, width (mm),
    size (pt), alignment and whether it is printed (`<key>_x`, `<key>_y`, …)."""

    class Meta:
        model = CertificateLayout
        fields = ["name", "award", "paper"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = Award.objects.order_by("order", "name")
        self.fields["award"].empty_label = gettext_lazy("Any award")
        layout = self.instance
        for key, label in FIELDS.items():
            stored = layout.field(key) if layout.pk else DEFAULT_FIELDS[key]
            for part, part_label in (("x", gettext_lazy("x (mm)")), ("y", gettext_lazy("y (mm)")),
                                     ("width", gettext_lazy("width (mm)")),
                                     ("size", gettext_lazy("size (pt)"))):
                # The table's cells have no label of their own: the screen reader's is this.
                self.fields[f"{key}_{part}"] = NumberField(
                    label=f"{label}: {part_label}", max_digits=6, decimal_places=1,
                    initial=Decimal(str(stored[part])))
                self.fields[f"{key}_{part}"].widget.attrs["aria-label"] = (
                    f"{label}: {part_label}")
            self.fields[f"{key}_align"] = forms.ChoiceField(
                label=f"{label}: {gettext_lazy('alignment')}", choices=Align.choices,
                initial=stored["align"])
            self.fields[f"{key}_align"].widget.attrs["aria-label"] = (
                f"{label}: {gettext_lazy('alignment')}")
            self.fields[f"{key}_shown"] = forms.BooleanField(
                label=f"{label}: {gettext_lazy('printed')}", required=False,
                initial=stored["shown"])

    def rows(self):
        """The form's position fields grouped per text, for the table of the page."""
        return [{"label": label, **{part: self[f"{key}_{part}"] for part in
                                    ("x", "y", "width", "size", "align", "shown")}}
                for key, label in FIELDS.items()]

    def clean(self):
        cleaned = super().clean()
        paper = cleaned.get("paper")
        if paper not in PAPER_SIZES:
            return cleaned
        width, height = (Decimal(v) for v in PAPER_SIZES[paper])
        paper_name = dict(self.fields["paper"].choices).get(paper, paper)
        for key, label in FIELDS.items():
            x, y = cleaned.get(f"{key}_x"), cleaned.get(f"{key}_y")
            box, size = cleaned.get(f"{key}_width"), cleaned.get(f"{key}_size")
            values = {"field": label, "paper": paper_name, "width": width, "height": height}
            if size is not None and not SMALLEST_POINTS <= size <= LARGEST_POINTS:
                self.add_error(f"{key}_size", _(
                    "%(field)s: write a font size from 6 to 48 points (14 is the usual size "
                    "of a certificate's text).") % values)
            if box is not None and box < NARROWEST_MM:
                self.add_error(f"{key}_width", _(
                    "%(field)s: the width must be at least 10 mm.") % values)
            if x is not None and not 0 <= x < width:
                self.add_error(f"{key}_x", _(
                    "%(field)s is off the paper: x must lie between 0 and %(width)s mm on "
                    "%(paper)s.") % values)
            elif x is not None and box is not None and x + box > width:
                self.add_error(f"{key}_width", _(
                    "%(field)s runs off the paper: x plus the width must not pass %(width)s mm "
                    "on %(paper)s. Make it narrower or move it left.") % values)
            line = size * MM_PER_PT if size is not None else Decimal(0)
            if y is not None and not 0 <= y < height:
                self.add_error(f"{key}_y", _(
                    "%(field)s is off the paper: y must lie between 0 and %(height)s mm on "
                    "%(paper)s.") % values)
            elif y is not None and y + line > height:
                self.add_error(f"{key}_y", _(
                    "%(field)s runs off the bottom of the paper: move it up, above "
                    "%(height)s mm minus the height of its text.") % values)
        return cleaned

    def positions(self) -> dict:
        """The cleaned positions as stored in CertificateLayout.fields (plain JSON numbers)."""
        data = self.cleaned_data
        return {key: {"x": float(data[f"{key}_x"]), "y": float(data[f"{key}_y"]),
                      "width": float(data[f"{key}_width"]), "size": float(data[f"{key}_size"]),
                      "align": data[f"{key}_align"], "shown": data[f"{key}_shown"]}
                for key in FIELDS}
