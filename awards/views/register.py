"""The register of outgoing documents (sổ đăng ký văn bản đi): searching it, registering a
document by hand, cancelling a number, a document's file. Numbering is
units/services_outgoing.py; the PDF and Excel of the register are awards/documents/outgoing.py."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.uploads import send_stored
from units import identity
from units import services_outgoing as outgoing
from units.access import require
from units.models import DocumentKind

from ..access import can_keep_register, can_read_register, get_outgoing_for
from ..documents.outgoing import FILTERS, documents, search_form, with_signatures
from ..forms_register import CancelForm, OutgoingForm

PAGE_SIZE = 50


def register_page(request, cancel_form=None, cancelling=None):
    require(can_read_register(request.user))
    form = search_form(request.GET)
    rows = documents(request.GET).select_related("target_type")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({key: request.GET[key] for key in FILTERS if request.GET.get(key)})
    return render(request, "awards/register.html", {
        "form": form, "page": page, "rows": with_signatures(page),
        "query": f"{query}&" if query else "", "filters": query,
        "can": {"keep": can_keep_register(request.user)},
        "cancel_form": cancel_form or CancelForm(), "cancelling": cancelling,
    })


def register_new(request):
    require(can_keep_register(request.user))
    department = identity.current()
    initial = {"issued_on": timezone.localdate(), "signer_name": department.director_name,
               "signer_title": department.director_title}
    form = OutgoingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document = outgoing.register(user=request.user, **form.cleaned_data)
        except outgoing.RegisterError as error:
            form.add_error("number" if form.cleaned_data["number"] else None, error.message)
        else:
            messages.success(request, _("%(number)s was entered in the register.")
                             % {"number": document.number})
            return redirect("awards:register")
    year = timezone.localdate().year
    return render(request, "awards/register_form.html", {
        "form": form,
        "next_numbers": [(label, outgoing.next_number(kind, year))
                         for kind, label in DocumentKind.choices],
    })


@require_POST
def register_cancel(request, pk):
    document = get_outgoing_for(request.user, pk, keep=True)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return register_page(request, cancel_form=form, cancelling=document.pk)
    try:
        outgoing.cancel(document, reason=form.cleaned_data["reason"], user=request.user)
    except outgoing.RegisterError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Number %(number)s is cancelled; it stays in the register "
                                    "with the reason.") % {"number": document.number})
    return redirect("awards:register")


def register_file(request, pk):
    document = get_outgoing_for(request.user, pk)
    if not document.file:
        raise Http404("no file")
    return send_stored(document)
