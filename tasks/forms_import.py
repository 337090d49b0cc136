from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.uploads import check_evidence

IMPORT_MAX_BYTES = 5 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("The filled-in template, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an Excel workbook saved as .xlsx (Excel 2007 or "
                                    "later); other formats such as .xls or .csv are not read."))
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is %(size)s; the limit is %(limit)s. Remove empty "
                                    "rows and pictures, or split the file.")
                                  % {"size": filesizeformat(upload.size),
                                     "limit": filesizeformat(IMPORT_MAX_BYTES)})
        # The content checks of evidence uploads: an Office zip, not a renamed file or zip bomb.
        check_evidence(upload)
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
