"""Forms of digital signing: the director's key file and password, and a PDF to verify."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class SignForm(forms.Form):
    """The key file and its password, for this request only (awards/signing.py says how they
    are kept out of the disk and the session)."""

    key_file = forms.FileField(
        label=_("Key file (.p12, .pfx)"),
        error_messages={"required": _("Choose the key file (.p12 or .pfx) exported from your "
                                      "signing token, no larger than %(limit)s.")
                        % {"limit": filesizeformat(settings.SIGNATURE_KEY_FILE_MAX_BYTES)}})
    password = forms.CharField(label=_("Password of the key file"), strip=False,
                               required=False, widget=forms.PasswordInput(render_value=False))

    def clean_key_file(self):
        upload = self.cleaned_data["key_file"]
        extension = (upload.name or "").rsplit(".", 1)[-1].lower()
        if extension not in ("p12", "pfx"):
            raise forms.ValidationError(_("The key file must be a .p12 or .pfx file (PKCS#12) "
                                          "exported with its private key."))
        if upload.size > settings.SIGNATURE_KEY_FILE_MAX_BYTES:
            raise forms.ValidationError(_("This file is too large for a key file."))
        return upload


class VerifyForm(forms.Form):
    pdf = forms.FileField(label=_("Signed PDF file"),
                          error_messages={"required": _("Choose the PDF file to check.")})

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size),
                   "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)})
        upload.seek(0)
        if not upload.read(5) == b"%PDF-":
            raise forms.ValidationError(_("This file is not a PDF: choose the signed PDF "
                                          "file."))
        upload.seek(0)
        return upload
