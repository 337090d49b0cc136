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
    # A certificate naming someone other than the decision's signer is refused unless the
    # signer says why (e.g. signing on the director's behalf by an assignment): audited.
    name_override = forms.BooleanField(
        label=_("Sign although the certificate names someone other than the decision's signer"),
        required=False)
    override_reason = forms.CharField(
        label=_("Reason (e.g. the assignment to sign on the signer's behalf)"), required=False,
        max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, needs_key_file=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_key_file:  # a signing service authenticates the signer itself
            del self.fields["key_file"], self.fields["password"]

    def clean_key_file(self):
        upload = self.cleaned_data["key_file"]
        extension = (upload.name or "").rsplit(".", 1)[-1].lower()
        if extension not in ("p12", "pfx"):
            raise forms.ValidationError(_("The key file must be a .p12 or .pfx file (PKCS#12) "
                                          "exported with its private key."))
        if upload.size > settings.SIGNATURE_KEY_FILE_MAX_BYTES:
            raise forms.ValidationError(_("This file is too large for a key file."))
        return upload

    def clean(self):
        data = super().clean()
        if data.get("name_override") and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Write why you sign although the certificate "
                                                "names someone else."))
        return data

    def name_override_reason(self) -> str:
        """The override's reason when ticked, else "" (a reason without the tick is none)."""
        if not self.cleaned_data.get("name_override"):
            return ""
        return self.cleaned_data.get("override_reason", "").strip()


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
