"""The upload of a department's own Word template for one kind of document."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .documents import word

MAX_BYTES = 5 * 1024 * 1024  # a letter-size template with a logo is well under this


class WordTemplateForm(forms.Form):
    file = forms.FileField(label=_("Word template (.docx)"))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The template is larger than 5 MB. Remove large "
                                          "pictures from it and upload it again."))
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(_("The file is not a Word document (.docx). Save it in "
                                          "Word as “Word Document (*.docx)” and upload it "
                                          "again."))
        content = upload.read()
        try:
            word.check(self.kind, content)
        except word.TemplateProblem as problem:
            raise forms.ValidationError(str(problem)) from None
        self.content = content
        return upload
