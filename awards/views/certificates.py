"""The layouts of the department's pre-printed certificate blanks (administrator): the list,
the form of a layout's positions in millimetres, its calibration sheet. The certificates
themselves are a document kind (awards/documents/certificates.py), asked for from the decision's
page through the one download link (views/documents.py)."""

import io

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from units.documents import attachment

from ..access import can_manage_certificate_layouts, require
from ..documents import certificates, layout
from ..forms_certificate import CertificateLayoutForm
from ..models import CertificateLayout
from ..services_certificate import remove_certificate_layout, save_certificate_layout


@require_GET
def certificate_layouts(request):
    require(can_manage_certificate_layouts(request.user))
    return render(request, "awards/certificate_layouts.html", {
        "layouts": CertificateLayout.objects.select_related("award", "updated_by")})


def certificate_layout(request, pk=None):
    """A new layout (no pk) or an existing one: the form; POST saves and stays on the page,
    so the clerk prints the calibration sheet again at once."""
    require(can_manage_certificate_layouts(request.user))
    item = get_object_or_404(CertificateLayout, pk=pk) if pk else CertificateLayout()
    form = CertificateLayoutForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_certificate_layout(layout=item, name=data["name"], award=data["award"],
                                        paper=data["paper"], positions=form.positions(),
                                        user=request.user)
        messages.success(request, _("The layout was saved. Print the calibration sheet again "
                                    "and lay it over a blank to check."))
        return redirect("awards:certificate_layout", pk=saved.pk)
    return render(request, "awards/certificate_layout.html", {"form": form, "item": item})


@require_POST
def certificate_layout_remove(request, pk):
    require(can_manage_certificate_layouts(request.user))
    item = get_object_or_404(CertificateLayout, pk=pk)
    remove_certificate_layout(layout=item, user=request.user)
    messages.success(request, _("The layout was removed."))
    return redirect("awards:certificate_layouts")


@require_GET
def certificate_layout_calibration(request, pk):
    """The test sheet: a millimetre grid and every field's box where it is set."""
    require(can_manage_certificate_layouts(request.user))
    item = get_object_or_404(CertificateLayout, pk=pk)
    content = layout.official(certificates.calibration_pdf)(item)
    return attachment(io.BytesIO(content),
                      layout.ascii_name("can-chinh-phoi", item.name, extension="pdf"),
                      layout.PDF_CONTENT_TYPE)
