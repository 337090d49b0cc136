import re

from django import forms
from django.core.validators import MinValueValidator
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, NumberField, NumberInput, VietnameseModelForm
from core.numbers import NumberFormatError, format_number, parse_number
from core.uploads import check_evidence
from tasks.forms import EvidenceForm
from tasks.models import Task
from units.models import UnitKind

from .models import Criterion, Rule, Scheme, Stage, shown

__all__ = ["SchemeForm", "CriterionFormSet", "RoundForm", "CopySchemeForm", "SheetForm",
           "same_note", "EvidenceForm", "CompareForm", "RankingFilterForm"]

NUMBER = re.compile(r"^\d{1,2}(\.\d{1,2})?$")


class SchemeForm(VietnameseModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Scheme
        fields = ["scale", "cutoff", "band_excellent", "band_good", "band_pass",
                  "bonus_grassroots", "bonus_province", "bonus_cap", "penalty_late_reporting",
                  "penalty_discipline", "penalty_complaint", "penalty_other", "penalty_cap"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        for name in self.Meta.fields:
            if name != "cutoff":
                field = self.fields[name]
                field.min_value = 0
                field.validators.append(MinValueValidator(0, field.error_messages["min_value"]))

    def clean(self):
        cleaned = super().clean()
        scale = cleaned.get("scale")
        if scale is not None and scale <= 0:
            self.add_error("scale", _("The scale must be above zero, e.g. 100."))
        bands = [cleaned.get(name) for name in ("band_excellent", "band_good", "band_pass")]
        if None not in bands and not bands[0] > bands[1] > bands[2]:
            self.add_error("band_good", _("The class limits must go down: excellent above good, "
                                          "good above completed."))
        if scale and bands[0] is not None and bands[0] > scale:
            self.add_error("band_excellent", _("The limit for excellent cannot be above the "
                                               "scale."))
        return cleaned


class CriterionForm(VietnameseModelForm):
    bands_text = forms.CharField(
        label=_("Bands"), required=False,
        help_text=_("For the bands rule: threshold %: share of the maximum %, separated by ';'. "
                    "E.g. 100:100; 80:75; 50:50."),
    )

    class Meta:
        model = Criterion
        fields = ["order", "number", "item", "title", "max_points", "rule", "tasks", "deduction",
                  "guidance"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2}),
                   "tasks": forms.SelectMultiple(attrs={"size": 4})}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = campaign.items.all()
        self.fields["item"].label_from_instance = lambda item: f"{item.number}. {item.short_title}"
        self.fields["tasks"].queryset = Task.objects.filter(
            item__campaign=campaign).select_related("item")
        self.fields["tasks"].label_from_instance = lambda t: f"{t.item.number}. {t.title}"
        if self.instance.pk and self.instance.bands:
            self.initial["bands_text"] = "; ".join(
                f"{format_number(t)}:{format_number(s)}" for t, s in self.instance.bands)

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if not NUMBER.match(number):
            raise forms.ValidationError(_("Number a criterion like 3, or 3.1 for a "
                                          "sub-criterion of 3."))
        return number

    def clean_max_points(self):
        maximum = self.cleaned_data["max_points"]
        if maximum is not None and maximum <= 0:
            raise forms.ValidationError(_("The maximum must be above zero."))
        return maximum

    def clean_bands_text(self):
        text = self.cleaned_data["bands_text"].strip()
        bands = []
        for part in filter(None, (p.strip() for p in text.split(";"))):
            # Each figure read as every number of the portal is: "82,5:75" is 82.5 → 75.
            halves = part.split(":")
            try:
                threshold, share = (parse_number(h) for h in halves) if len(halves) == 2 \
                    else (None, None)
            except NumberFormatError:
                threshold = share = None
            if threshold is None or share is None or threshold < 0 or share < 0:
                raise forms.ValidationError(_("Write each band as threshold:share, e.g. "
                                              "80:75 or 82,5:75, and separate bands with ';'."))
            if threshold > 100 or share > 100:
                raise forms.ValidationError(_("Thresholds and shares are percentages: at most "
                                              "100."))
            bands.append([float(threshold), float(share)])
        return sorted(bands, reverse=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rule") == Rule.BANDS and not cleaned.get("bands_text"):
            self.add_error("bands_text", _("The bands rule needs at least one band, e.g. "
                                           "100:100; 80:75."))
        return cleaned

    def save(self, commit=True):
        self.instance.bands = self.cleaned_data.get("bands_text") or []
        return super().save(commit)


class BaseCriterionFormSet(forms.BaseInlineFormSet):
    """Checks the tree as a whole: numbers unique, sub-criteria under an existing parent of the
    same content item and adding up to it, the top level adding up to the scale."""

    def __init__(self, *args, scale=None, **kwargs):
        self.scale = scale
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "campaign": self.instance.campaign}

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"),
                         empty_permitted=True, use_required_attribute=False,
                         campaign=self.instance.campaign)
        self.add_fields(form, None)
        return form

    def kept_forms(self):
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self._should_delete_form(form):
                continue
            if form.cleaned_data.get("number") and form.cleaned_data.get("max_points"):
                yield form

    def validate_unique(self):
        pass  # numbers are checked in clean(), with a message on the row

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        rows = {}
        for form in self.kept_forms():
            number = form.cleaned_data["number"]
            if number in rows:
                form.add_error("number", _("This number is used twice; renumber the criteria."))
            rows[number] = form
        children = {}
        for number, form in rows.items():
            if "." not in number:
                continue
            parent_number = number.rsplit(".", 1)[0]
            parent = rows.get(parent_number)
            if parent is None:
                form.add_error("number", _("There is no criterion %(parent)s to hold this "
                                           "sub-criterion.") % {"parent": parent_number})
                continue
            if parent.cleaned_data["item"] != form.cleaned_data["item"]:
                form.add_error("item", _("A sub-criterion belongs to the content item of its "
                                         "criterion."))
            children.setdefault(parent_number, []).append(form)
        for parent_number, parts in children.items():
            parent = rows[parent_number]
            total = sum(f.cleaned_data["max_points"] for f in parts)
            if total != parent.cleaned_data["max_points"]:
                parent.add_error("max_points", _(
                    "The sub-criteria of %(number)s add up to %(sum)s: make this maximum "
                    "%(sum)s or change theirs.") % {"number": parent_number, "sum": shown(total)})
        if self.scale is None:
            return
        top = sum(f.cleaned_data["max_points"] for n, f in rows.items() if "." not in n)
        if rows and top != self.scale:
            raise forms.ValidationError(_(
                "The maxima of the criteria add up to %(total)s, not to the scale of %(scale)s: "
                "correct the maxima so that they add up to %(scale)s.")
                % {"total": shown(top), "scale": shown(self.scale)})


CriterionFormSet = inlineformset_factory(Scheme, Criterion, form=CriterionForm,
                                         formset=BaseCriterionFormSet, extra=1, can_delete=True)


class RoundForm(forms.Form):
    """Opening, closing or locking a round: the deadline of the round it opens, and the stage
    the page showed, so that a second press (or a stale page) does not move the rounds on
    twice."""

    deadline = DateField(label=_("Deadline of the round"))
    stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput, required=False)

    def __init__(self, *args, needs_deadline=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].required = needs_deadline

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline


class CopySchemeForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Copy the scheme of"), queryset=Scheme.objects.none(),
                                    empty_label=None)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (Scheme.objects.exclude(campaign=campaign)
                                          .select_related("campaign")
                                          .order_by("-campaign__year"))
        self.fields["source"].label_from_instance = lambda s: str(s.campaign)


class ConfirmForm(forms.Form):
    """Confirming a self-assessment: only the version of the sheet it was confirmed from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# What a page did not say (a client that sent no hidden copy of what it showed).
UNKNOWN = object()


def same_note(first, second) -> bool:
    """Two notes read the same: browsers send line breaks as CRLF, pages show them as LF."""
    def plain(text):
        return (text or "").replace("\r\n", "\n").strip()
    return plain(first) == plain(second)


class SheetForm(forms.Form):
    """The whole score sheet as one form: the fields a person may change now, one pair per
    criterion, the evidence files of the self-assessment, and the button pressed.

    - "self": the unit head's points, explanation and evidence on manual criteria;
    - "appraise": the council's points and comment on every criterion;
    - "explain": the unit's explanation where the appraisal is below the self-assessment.

    `action` is the button: "save", "upload" (`key`: the score whose file box it serves),
    "remove" (`remove`: the evidence it removes, None when already gone) or "confirm". Every
    button saves what is typed first (scoring.services.save_page), so the checks read the sheet
    as it will be after the press. Each points and note box carries a hidden copy of what the
    page showed (Django's show_hidden_initial): after someone else's save, `against` tells
    what this person changed from what the other saved.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, error_messages=dict.fromkeys(
        ("required", "invalid"), _("This page was sent without the version of the sheet it "
                                   "showed: open the sheet again.")))

    def __init__(self, *args, mode, scores, previous=None, action="save", key=None, remove=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = mode
        self.action, self.key, self.remove = action, key, remove
        self.scores = {}
        self.uploads = []  # (score, checked file, upload) for the service, once valid
        # criterion id → the unit's self-assessed points, which appraisals are measured against.
        self.previous = previous or {}
        for score in scores:
            if not score.applicable or not self._editable(score):
                continue
            self.scores[score.pk] = score
            criterion = score.criterion
            if mode != "explain":
                self.fields[f"points_{score.pk}"] = NumberField(
                    label=_("Points for %(number)s") % {"number": criterion.number},
                    required=False, max_digits=6, decimal_places=2, min_value=0,
                    max_value=criterion.max_points, initial=score.points,
                    show_hidden_initial=True,
                    widget=NumberInput(attrs={"class": "form-control-sm sheet-points",
                                              "placeholder": _("Points")}),
                    error_messages={
                        "max_value": _("At most %(max)s points for this criterion.")
                        % {"max": shown(criterion.max_points)},
                        "min_value": _("Points cannot be negative."),
                        "max_decimal_places": _("Use at most two decimals, for example 7,25."),
                    },
                )
            self.fields[f"note_{score.pk}"] = forms.CharField(
                label=_("Note for %(number)s") % {"number": criterion.number},
                required=False, initial=score.note, max_length=2000, show_hidden_initial=True,
                widget=forms.Textarea(attrs={
                    "rows": 2, "class": "form-control-sm sheet-note",
                    "placeholder": _("Comment") if mode == "appraise" else _("Explanation")}))
            if mode == "self":
                self.fields[f"file_{score.pk}"] = forms.FileField(
                    label=_("Evidence file for %(number)s") % {"number": criterion.number},
                    required=False, widget=forms.FileInput(attrs={"class": "form-control-sm"}))

    def _editable(self, score) -> bool:
        if self.mode == "self":
            return not score.criterion.is_automatic
        if self.mode == "explain":
            before = self.previous.get(score.criterion_id)
            return before is not None and (score.points or 0) < before
        return True

    def clean(self):
        cleaned = super().clean()
        chosen = set()
        for pk, score in self.scores.items():
            name = f"file_{pk}"
            if name not in self.fields:
                continue
            upload = cleaned.get(name)
            if upload:
                chosen.add(pk)
                try:
                    self.uploads.append((score, check_evidence(upload), upload))
                except forms.ValidationError as error:
                    self.add_error(name, error)
            elif self.action == "upload" and self.key == str(pk):
                self.add_error(name, _("Choose a file first, then press Upload."))
        for pk, score in self.scores.items():
            points = cleaned.get(f"points_{pk}", score.points)
            note = cleaned.get(f"note_{pk}", "").strip()
            if self.mode == "self":
                if points and not note and not self._evidence_after(score, chosen):
                    self.add_error(f"note_{pk}", _("Attach evidence or write an explanation "
                                                   "for these points."))
                if (self.action == "confirm" and points is None
                        and f"points_{pk}" not in self.errors):
                    self.add_error(f"points_{pk}", _("Enter the points before confirming."))
            if self.mode != "appraise" or f"points_{pk}" in self.errors:
                continue
            if points is None:
                self.add_error(f"points_{pk}", _("Enter the appraised points."))
                continue
            claimed = self.previous.get(score.criterion_id)
            if claimed is not None and points < claimed and not note:
                self.add_error(f"note_{pk}", _("Say why the points are below the unit's "
                                               "self-assessment."))
        return cleaned

    def _evidence_after(self, score, chosen) -> int:
        """The files the criterion will have after this press (a file chosen for it counts,
        even one refused: its own error says what to fix)."""
        removing = self.remove is not None and self.remove.score_id == score.pk
        return score.evidence_count + (score.pk in chosen) - removing

    def changes(self) -> dict:
        """Score → (points, note) for every criterion whose values the person changed."""
        result = {}
        for pk, score in self.scores.items():
            points = self.cleaned_data.get(f"points_{pk}", score.points)
            note = self.cleaned_data.get(f"note_{pk}", "").strip()
            if (points, note) != (score.points, score.note):
                result[score] = (points, note)
        return result

    def rows(self):
        """score pk → {"points", "note", "file"} bound fields (None where absent), for the
        template."""
        return {pk: {kind: self[f"{kind}_{pk}"] if f"{kind}_{pk}" in self.fields else None
                     for kind in ("points", "note", "file")}
                for pk in self.scores}

    def error_numbers(self) -> list:
        """The numbers of the criteria with an error, in sheet order."""
        wrong = {name.partition("_")[2] for name in self.errors}
        return [score.criterion.number for pk, score in self.scores.items() if str(pk) in wrong]

    # -- after someone else saved the sheet ------------------------------------------------

    def _shown(self, name):
        """What the page showed in a box when it was opened (its hidden copy), read as the box
        is; UNKNOWN when the page did not say."""
        raw = self.data.get(self.add_initial_prefix(name))
        if raw is None:
            return UNKNOWN
        try:
            return self.fields[name].to_python(raw)
        except forms.ValidationError:
            return UNKNOWN

    def against(self, stored: dict, version: int):
        """The data to show the page again with after a conflict, and what differs.

        `stored` maps score pk → the Score as stored now. Box by box: where the stored value
        differs from what the page showed, the other person's value replaces a box this person
        left as it was (saving again must not undo their work) and this person's typing stays
        where they changed the box too. The page then counts as showing the stored values and
        the current `version`: a second save replaces them knowingly.

        Returns (data, rows); a row per criterion someone else saved: the Score as stored, the
        values now in the form, and whether the form took theirs ("taken") or kept the typing.
        """
        data = self.data.copy()
        data["version"] = str(version)
        rows = []
        for pk, score in self.scores.items():
            now = stored.get(pk, score)
            in_form = {"points": now.points, "note": now.note}
            taken = kept = False
            for kind in ("points", "note"):
                name = f"{kind}_{pk}"
                if name not in self.fields:
                    continue
                theirs = getattr(now, kind)
                typed = in_form[kind] = self.cleaned_data.get(name)
                before = self._shown(name)
                stored_text = (self.fields[name].widget.format_value(theirs) or ""
                               if kind == "points" else theirs)
                data[self.add_initial_prefix(name)] = stored_text
                if _same(kind, typed, theirs) or (before is not UNKNOWN
                                                  and _same(kind, before, theirs)):
                    continue  # the same, or only this person changed it
                if before is not UNKNOWN and _same(kind, typed, before):
                    data[name] = stored_text
                    in_form[kind] = theirs
                    taken = True
                else:
                    kept = True
            if taken or kept:
                rows.append({"score": now, "taken": taken, "kept": kept, **in_form})
        return data, rows


def _same(kind, first, second) -> bool:
    return first == second if kind == "points" else same_note(first, second)


class RankingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Unit kind"), required=False)
    round = forms.TypedChoiceField(label=_("Round"), required=False, coerce=int)

    def __init__(self, *args, kinds, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]
        self.fields["round"].choices = [(r.pk, r.get_kind_display()) for r in rounds]


class CompareForm(forms.Form):
    first = forms.TypedChoiceField(label=_("Round"), coerce=int)
    second = forms.TypedChoiceField(label=_("compared with"), coerce=int)
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False)

    def __init__(self, *args, rounds, units, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(r.pk, r.get_kind_display()) for r in rounds]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices
        self.fields["unit"].choices = [("", _("All units")), *[(u.pk, u.label) for u in units]]
        if len(rounds) >= 2 and not self.is_bound:
            self.initial.update(first=rounds[0].pk, second=rounds[-1].pk)


# The unit kinds a director filters by, and the groups the plan names (section III.2).
KIND_GROUPS = {
    "internal": (UnitKind.OFFICE, UnitKind.FUNCTIONAL, UnitKind.INSPECTORATE),
    "affiliated": (UnitKind.SCHOOL, UnitKind.CENTRE),
}


class DashboardFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Units"), required=False)
    quarter = forms.TypedChoiceField(label=_("Period"), required=False, coerce=int,
                                     empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", _("The whole year")), *[
            (q, gettext("Quarter %(q)s") % {"q": q}) for q in range(1, 5)]]
        self.fields["kind"].choices = [
            ("", _("All units")), ("internal", _("Departments of the DoET")),
            ("affiliated", _("Affiliated units")), *UnitKind.choices]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def kinds(self) -> tuple:
        if not self.is_valid() or not self.cleaned_data["kind"]:
            return ()
        kind = self.cleaned_data["kind"]
        return tuple(KIND_GROUPS.get(kind, (kind,)))

    def chosen_quarter(self):
        return self.cleaned_data.get("quarter") if self.is_valid() else None

    def described(self) -> str:
        """The filters in words, for the printed page and the PDF."""
        if not self.is_bound or not self.is_valid():
            return str(_("All units, the whole year"))
        labels = dict(self.fields["kind"].choices)
        parts = [str(labels[self.cleaned_data["kind"]])] if self.cleaned_data["kind"] else []
        if self.cleaned_data["quarter"]:
            parts.append(gettext("Quarter %(q)s") % {"q": self.cleaned_data["quarter"]})
        return ", ".join(parts) or str(_("All units, the whole year"))
