"""Input of the cluster pages: a cluster's definition, its round, and a member's peer scores."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, NumberField, YearField
from core.numbers import NumberFormatError, format_number, parse_number
from tasks.forms import EvidenceForm
from units.models import Unit

from .clusters import check_extension, check_membership
from .models import Cluster, ClusterKind, shown

# What a cluster keeps once its peer scoring has opened.
FROZEN = ("year", "kind", "units", "head", "deputy", "criteria")


class ClusterForm(forms.Form):
    year = YearField(label=_("Year"))
    kind = forms.ChoiceField(label=pgettext_lazy("cluster", "Cluster or block"),
                             choices=ClusterKind.choices)
    name = forms.CharField(label=pgettext_lazy("cluster", "Name of the cluster"),
                           max_length=200)
    units = forms.ModelMultipleChoiceField(
        label=_("Member units"), queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Tick every unit of the cluster."))
    head = forms.ModelChoiceField(label=_("Cluster head"), queryset=Unit.objects.none(),
                                  help_text=_("A member unit; it leads the cluster this year."))
    deputy = forms.ModelChoiceField(label=_("Deputy head"), queryset=Unit.objects.none(),
                                    required=False)
    targets = forms.CharField(label=_("Targets of the pact"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("One target a line."))
    criteria = forms.CharField(
        label=_("Peer-scoring criteria"), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One criterion a line: its title, a semicolon, its maximum points, e.g. "
                    "“Teaching quality; 40”. The maxima add up to 100."))
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                                 widget=forms.HiddenInput)

    def __init__(self, *args, cluster=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        units = Unit.objects.assignable().affiliated().order_by("order", "name")
        for name in ("units", "head", "deputy"):
            self.fields[name].queryset = units
        if cluster is not None and cluster.scoring_started:
            # The members score one another on these criteria: only the name and the pact's
            # targets may still change (the service refuses the rest too).
            for name in FROZEN:
                self.fields[name].disabled = True
            self.fields["criteria"].help_text = _("Peer scoring has opened: the criteria are "
                                                  "fixed.")
            self.fields["units"].help_text = _("Peer scoring has opened: the members, head "
                                               "and deputy are fixed.")

    def clean_criteria(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            title, _sep, points = line.rpartition(";")
            try:
                maximum = parse_number(points.strip())
            except NumberFormatError:
                maximum = None
            if not title.strip() or maximum is None or maximum <= 0:
                raise ValidationError(gettext(
                    "Line %(line)s: write the criterion's title, a semicolon and its maximum "
                    "points, e.g. “Teaching quality; 40”.") % {"line": number})
            rows.append((str(len(rows) + 1), title.strip()[:300], maximum))
        total = sum((row[2] for row in rows), Decimal(0))
        if rows and total != 100:
            raise ValidationError(gettext("The maxima add up to %(total)s, not to 100: correct "
                                          "them.") % {"total": shown(total)})
        return rows

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            check_membership(year=data["year"], kind=data["kind"], units=data["units"],
                             head=data["head"], deputy=data.get("deputy"), cluster=self.cluster)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return data

    def apply(self) -> Cluster:
        """The cluster (new or changed, unsaved) with what was typed."""
        cluster = self.cluster or Cluster()
        for name in ("year", "kind", "name", "head", "deputy", "targets"):
            setattr(cluster, name, self.cleaned_data[name])
        return cluster


def criteria_text(cluster) -> str:
    return "\n".join(f"{c.title}; {shown(c.max_points)}" for c in cluster.criteria.all())


class PactForm(EvidenceForm):
    """The signed pact's document (PDF, Word, or a scan)."""


class OpenRoundForm(forms.Form):
    deadline = DateField(label=_("Peer scoring deadline"))


class ExtendRoundForm(forms.Form):
    """The Office moves an open round's deadline later, saying why."""

    deadline = DateField(label=_("New peer scoring deadline"))
    reason = forms.CharField(label=_("Reason for the extension"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Shown on the audit trail, e.g. which members asked "
                                         "and why."))
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster = cluster

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        check_extension(self.cluster, deadline)
        return deadline

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(gettext("Write why the deadline is extended."))
        return reason


class PeerScoreForm(forms.Form):
    """One field per other member and criterion: the points this member gives."""

    def __init__(self, *args, others, criteria, stored, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for unit in others:
            cells = []
            for criterion in criteria:
                name = f"m_{unit.pk}_{criterion.pk}"
                self.fields[name] = NumberField(
                    label=f"{unit} – {criterion.number}", required=False, min_value=0,
                    max_value=criterion.max_points,
                    initial=stored.get((unit.pk, criterion.pk)))
                cells.append((criterion, name))
            self.rows.append((unit, cells))

    def marks(self) -> dict:
        """(scored unit id, criterion id) → points (None where left empty)."""
        found = {}
        for unit, cells in self.rows:
            for criterion, name in cells:
                found[(unit.pk, criterion.pk)] = self.cleaned_data.get(name)
        return found

    def bound_rows(self):
        """(unit, [(criterion, name, value as typed or stored, errors)]) for the page, which
        writes the text boxes itself: Django's widget templates took over a second for a block
        of 100 members × 10 criteria (bench_clusters)."""
        errors = self.errors if self.is_bound else {}
        rows = []
        for unit, cells in self.rows:
            shown_cells = []
            for criterion, name in cells:
                if self.is_bound:
                    value = self.data.get(name, "")
                else:
                    initial = self.fields[name].initial
                    value = "" if initial is None else format_number(initial, grouping=False)
                shown_cells.append((criterion, name, value, errors.get(name, ())))
            rows.append((unit, shown_cells))
        return rows
