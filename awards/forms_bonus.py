"""Forms of the bonus money: the law's figures (administration pages), the fund's income and a
decision's payout list. Amounts are typed the Vietnamese way ("2.340.000"), coefficients too
("1,5"): core.forms reads both."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, NumberField, VietnameseModelForm, WholeNumberField, YearField

from .bonus import money
from .forms_proposals import _styled
from .models_bonus import NO_MONEY_SOURCE, AwardCoefficient, BaseSalary, FundIncome


def _source(form) -> str:
    source = " ".join((form.cleaned_data.get("source") or "").split())
    if not source:
        raise forms.ValidationError(NO_MONEY_SOURCE)
    return source


class BaseSalaryForm(VietnameseModelForm):
    """A base salary with its dates: refused without a source or over another's dates
    (BaseSalary.clean says which)."""

    # Declared, not left to Meta: the admin's own field for a model field would otherwise read
    # "2.340.000" as no number at all.
    amount = WholeNumberField(label=_("Amount (đồng a month)"), min_value=1)

    class Meta:
        model = BaseSalary
        fields = ["amount", "valid_from", "valid_until", "source", "confirmed"]
        error_messages = {"source": {"required": NO_MONEY_SOURCE},
                          "valid_from": {"unique": _("A base salary already starts on this "
                                                     "day.")}}

    def clean_source(self):
        return _source(self)


class CoefficientForm(VietnameseModelForm):
    # Declared for the admin, as BaseSalaryForm.amount: "1,5" is a coefficient.
    coefficient = NumberField(label=_("Coefficient"), max_digits=5, decimal_places=2)

    class Meta:
        model = AwardCoefficient
        fields = ["period", "award", "coefficient", "source", "confirmed"]
        error_messages = {"source": {"required": NO_MONEY_SOURCE}}

    def clean_source(self):
        return _source(self)

    def clean_coefficient(self):
        coefficient = self.cleaned_data.get("coefficient")
        if coefficient is not None and coefficient <= 0:
            raise forms.ValidationError(_("A coefficient is more than 0 (for example 1,5). An "
                                          "award that pays no money has no coefficient row."))
        return coefficient


def clean_day_of_the_fund_year(form):
    """A fund's money is dated in its year (income and recoveries alike)."""
    day = form.cleaned_data.get("received_on")
    if day and day.year != form.year:
        raise forms.ValidationError(
            _("This is the fund of %(year)s: write a date of %(year)s, or open the other "
              "year's fund.") % {"year": form.year})
    return day


class IncomeForm(VietnameseModelForm):
    """Money put into the year's fund."""

    class Meta:
        model = FundIncome
        fields = ["received_on", "amount", "source"]
        error_messages = {
            "received_on": {"required": _("Write the date the money was received.")},
            "amount": {"required": _("Write the amount, for example 50.000.000.")},
            "source": {"required": _("Write where the money comes from, e.g. the budget "
                                     "allocation and its document.")},
        }

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        _styled(self)

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The amount is more than 0 đồng."))
        return amount

    clean_received_on = clean_day_of_the_fund_year


class PayoutForm(forms.Form):
    """Recording a decision's payout list against a year's fund."""

    year = YearField(label=_("Paid from the fund of"))
    paid_on = DateField(label=_("Date of the list"),
                        error_messages={"required": _("Write the date of the payout list.")})
    override_reason = forms.CharField(
        label=_("Reason for paying beyond the fund"), required=False, max_length=2000,
        help_text=_("Only when the fund cannot cover the total: why it is paid all the same "
                    "(e.g. the allocation is decided and on its way)."),
        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        _styled(self)

    def clean_paid_on(self):
        day = self.cleaned_data.get("paid_on")
        if day and day < self.decision.signed_on:
            raise forms.ValidationError(
                _("The list cannot be dated before the decision it pays (signed on %(date)s).")
                % {"date": f"{self.decision.signed_on:%d/%m/%Y}"})
        return day


class IncomeCorrectionForm(IncomeForm):
    """An income entry corrected: the new figures, why, and the version the page showed."""

    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=2000,
        error_messages={"required": _("Write why the entry is corrected (e.g. the amount was "
                                      "typed wrong; the document says 10.000.000).")},
        widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        label=_("Reason for leaving the fund short"), required=False, max_length=2000,
        help_text=_("Only when the corrected figure no longer covers the payout lists "
                    "already recorded: why the correction stands all the same."),
        widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["class"] = "form-control"
        self.fields["override_reason"].widget.attrs["class"] = "form-control"


class RecoveryForm(forms.Form):
    """Money recovered for revoked awards of one decision: from whom, when, how much."""

    awardees = forms.TypedMultipleChoiceField(
        label=_("Recovered from"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the awardees the money comes from."),
                        "invalid_choice": _("Tick only awardees whose award was revoked and "
                                            "who still owe their bonus.")})
    received_on = DateField(label=_("Date recovered"),
                            error_messages={"required": _("Write the date the money came "
                                                          "back.")})
    amount = WholeNumberField(label=_("Amount recovered (đồng)"), min_value=1,
                              error_messages={"required": _("Write the amount recovered, for "
                                                            "example 450.000."),
                                              "min_value": _("The amount is more than 0 "
                                                             "đồng.")})
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args, year, decision_id, dues, **kwargs):
        super().__init__(*args, prefix=f"recover-{decision_id}", **kwargs)
        self.year, self.decision_id = year, decision_id
        self.fields["awardees"].choices = [
            (due.conferral_id, _("%(name)s (%(unit)s): %(owed)s đồng due") % {
                "name": due.name, "unit": due.unit, "owed": money(due.outstanding)})
            for due in dues]
        for name in ("received_on", "amount", "note"):
            self.fields[name].widget.attrs["class"] = (
                self.fields[name].widget.attrs.get("class", "") + " form-control").strip()

    clean_received_on = clean_day_of_the_fund_year


class OverrideDecisionForm(forms.Form):
    """The director's answer to a list beyond the fund: a note, required to refuse."""

    note = forms.CharField(label=_("Director's note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 1, "class": "form-control"}))
    approve = forms.TypedChoiceField(choices=[("yes", "yes"), ("no", "no")],
                                     coerce=lambda value: value == "yes")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("approve") is False and not " ".join(
                (cleaned.get("note") or "").split()):
            self.add_error("note", _("Write why the list is refused: the Office reads it to "
                                     "know what to do next."))
        return cleaned
