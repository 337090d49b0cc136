"""Signing a decision's PDF digitally, and the page that verifies any signed PDF."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from units.access import require

from .. import signing
from ..access import can_sign_decision, can_verify_signatures, get_decision_for
from ..forms_signing import SignForm, VerifyForm
from ..models import DocumentStatus
from ..services_signing import (
    needs_preparing,
    prepared_copy,
    request_prepared_copy,
    sign_decision,
    signable,
)

REFRESH_SECONDS = 2  # how often the page reloads while the worker prepares the PDF


class _KeyInMemory(MemoryFileUploadHandler):
    """Uploads kept in memory only: a request larger than a key file can be is not spooled to
    a temporary file but dropped (the form then asks for the key file again)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = content_length <= settings.SIGNATURE_KEY_FILE_MAX_BYTES + 64 * 1024


@csrf_exempt  # checked below, once the memory-only upload handler is in place
@sensitive_post_parameters("password")
def decision_sign(request, pk):
    # Django's default handlers write uploads above 2.5 MB to a temporary file; the key file
    # must never reach the disk, so this view parses its body with the memory handler alone.
    request.upload_handlers = [_KeyInMemory(request)]
    return _decision_sign(request, pk)


@csrf_protect
@sensitive_variables("key_file", "password")
def _decision_sign(request, pk):
    decision = get_decision_for(request.user, pk)
    require(can_sign_decision(request.user, decision))
    backend_class = signing.backend_class()
    needs_key = getattr(backend_class, "needs_key_file", True)
    posted = request.method == "POST"
    refused = signable(decision)
    long = needs_preparing(decision)
    if posted and "prepare" in request.POST:
        if long and not refused:
            request_prepared_copy(decision, user=request.user)
        return redirect("awards:decision_sign", decision.pk)
    form = SignForm(request.POST if posted else None, request.FILES if posted else None,
                    needs_key_file=needs_key)
    copy = prepared_copy(decision) if long else None
    ready = not long or (copy is not None and copy.status == DocumentStatus.DONE)
    if posted and not refused and ready and form.is_valid():
        key_file = password = None
        if needs_key:
            key_file = bytearray(form.cleaned_data["key_file"].read())
            password = bytearray(form.cleaned_data["password"].encode())
        backend = backend_class(user=request.user, key_file=key_file, password=password)
        try:
            sign_decision(decision, user=request.user, backend=backend,
                          name_override=form.name_override_reason())
        except signing.SigningError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Decision %(number)s was signed digitally; every "
                                        "download of its PDF now gives the signed file.")
                             % {"number": decision.number})
            return redirect("awards:decision", decision.pk)
        finally:
            backend.close()
    waiting = copy is not None and copy.status in (DocumentStatus.QUEUED,
                                                    DocumentStatus.RUNNING)
    response = render(request, "awards/decision_sign.html", {
        "decision": decision, "form": form, "needs_key": needs_key, "refused": refused,
        "long": long, "copy": copy, "ready": ready, "waiting": waiting,
        "refresh_seconds": REFRESH_SECONDS,
        "timestamped": bool(settings.SIGNATURE_TSA_URL)})
    if waiting:
        # As the documents' status page: the page reloads itself, no JavaScript needed.
        response["Refresh"] = str(REFRESH_SECONDS)
        response["Cache-Control"] = "no-store"
    return response


@login_not_required  # public when SIGNATURE_VERIFY_PUBLIC says so; signed in otherwise
def signature_verify(request):
    if not can_verify_signatures(request.user):
        return redirect_to_login(request.get_full_path())
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    found = problem = None
    if request.method == "POST" and form.is_valid():
        try:
            found = signing.verify_pdf(form.cleaned_data["pdf"].read())
        except signing.NotVerifiable as error:
            problem = error.message
        else:
            if not found:
                problem = _("This PDF carries no digital signature: it may be a copy printed "
                            "before signing, or a scan.")
    return render(request, "awards/signature_verify.html", {
        "form": form, "found": found, "problem": problem,
        "name": form.cleaned_data["pdf"].name if form.is_bound and form.is_valid() else "",
        "trust_configured": bool(signing.trust_roots()) if request.method == "POST" else True,
    })
