"""The department's identity, edited by the administrator (units.views.identity)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import VietnameseModelForm
from core.uploads import check_evidence

from .models import Department, EarlierIdentity

LOGO_TYPES = {"png", "jpg", "jpeg"}
# A logo in the header is a few kilobytes; a photograph of a page is not a logo.
LOGO_MAX_BYTES = 1024 * 1024


class PrintedNames:
    """How the names printed in a document's header are typed: the agency and issuing body in
    capitals (Decree 30/2020), the place alone. Today's identity and an earlier one alike."""

    def _capitals(self, name):
        # Printed in capitals on every document (Decree 30/2020): stored as printed.
        return " ".join(self.cleaned_data[name].split()).upper()

    def clean_parent_agency(self):
        return self._capitals("parent_agency")

    def clean_issuing_name(self):
        return self._capitals("issuing_name")

    def clean_place(self):
        place = " ".join(self.cleaned_data["place"].split())
        if "," in place or place.lower().startswith("ngày"):
            raise ValidationError(_("Write the place only (for a province's department, the "
                                    "province's name): the portal adds “, ngày … tháng … năm …” "
                                    "itself."))
        return place


class DepartmentForm(PrintedNames, VietnameseModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Department
        fields = ["name", "short_name", "parent_agency", "issuing_name", "place",
                  "director_name", "director_title", "deputy_names", "deputy_title", "email",
                  "logo", "symbol", "numbering"]
        widgets = {"deputy_names": forms.Textarea(attrs={"rows": 3}),
                   "logo": forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "short_name", "parent_agency", "issuing_name", "place",
                     "director_title", "deputy_title"):
            self.fields[name].required = True
        self.fields["symbol"].required = self.fields["numbering"].required = False
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def clean_director_title(self):
        return self._capitals("director_title")

    def clean_deputy_title(self):
        return self._capitals("deputy_title")

    # The numbering of outgoing documents (units.models_outgoing): left out of a post (a script,
    # start_department), each keeps what is stored.
    def clean_symbol(self):
        symbol = "".join((self.cleaned_data["symbol"] or "").split()).upper()
        if "/" in symbol:
            raise ValidationError(_("Write the abbreviation without “/” or spaces, e.g. SGDĐT."))
        return symbol or self.instance.symbol or "SGDĐT"

    def clean_numbering(self):
        return self.cleaned_data["numbering"] or self.instance.numbering or "per_kind"

    def clean_deputy_names(self):
        names = [" ".join(line.split()) for line in self.cleaned_data["deputy_names"].splitlines()]
        return "\n".join(name for name in names if name)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or logo == self.instance.logo:
            return logo  # unchanged, or cleared
        checked = check_evidence(logo)
        if checked.extension not in LOGO_TYPES:
            raise ValidationError(_("The logo must be a PNG or JPG picture."))
        if checked.size > LOGO_MAX_BYTES:
            raise ValidationError(_("The logo is larger than 1 MB: save it smaller (a few "
                                    "hundred pixels wide is enough) and upload it again."))
        return logo


class EarlierIdentityForm(PrintedNames, VietnameseModelForm):
    """The names and place the department printed until a change of the state's organisation
    (units.identity.on reads them by a document's date)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = EarlierIdentity
        fields = ["until", "name", "short_name", "parent_agency", "issuing_name", "place", "note"]
        error_messages = {"until": {"unique": _(
            "Another earlier identity already ends on this day: change that one, or give "
            "the last day these names were in force.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
