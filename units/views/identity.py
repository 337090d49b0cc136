"""The department's identity page: the administrator edits the name, letterhead, signers,
contact and logo printed on every page, document and e-mail (units.identity)."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.stale_edits import StaleEdit, keep_typing

from .. import identity, services
from ..access import can_edit_identity, require
from ..forms_identity import DepartmentForm, EarlierIdentityForm
from ..models import Department, EarlierIdentity

LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def department_edit(request):
    require(can_edit_identity(request.user))
    department = Department.objects.order_by("pk").first() or Department()
    form = DepartmentForm(request.POST or None, request.FILES or None, instance=department)
    if form.is_valid():
        try:
            services.save_department(form=form, user=request.user)
        except StaleEdit:
            messages.error(request, StaleEdit.message)
            stored = Department.objects.get(pk=department.pk)
            form = keep_typing(DepartmentForm(request.POST, instance=stored), stored.version)
        else:
            messages.success(request, _("The department's identity was saved. Documents issued "
                                        "before keep what they were issued with."))
            return redirect("units:department")
    return render(request, "units/department_form.html",
                  {"form": form, "department": identity.current(),
                   "earlier": EarlierIdentity.objects.order_by("-until")})


def earlier_identity(request, pk=None):
    """The names the department printed until a merger or a renaming: a new row (no pk),
    filled in with today's names, which are most often the ones about to change, or an
    existing one."""
    require(can_edit_identity(request.user))
    if pk is None:
        today = identity.current()
        earlier = EarlierIdentity(**{name: getattr(today, name) for name in identity.DATED_FIELDS})
    else:
        earlier = get_object_or_404(EarlierIdentity, pk=pk)
    form = EarlierIdentityForm(request.POST or None, instance=earlier)
    if form.is_valid():
        try:
            services.save_earlier_identity(form=form, user=request.user)
        except StaleEdit:
            messages.error(request, StaleEdit.message)
            stored = EarlierIdentity.objects.get(pk=earlier.pk)
            form = keep_typing(EarlierIdentityForm(request.POST, instance=stored), stored.version)
        else:
            messages.success(request, _("Saved: documents dated up to %(day)s print these "
                                        "names.") % {"day": f"{form.instance.until:%d/%m/%Y}"})
            return redirect("units:department")
    return render(request, "units/earlier_identity_form.html", {"form": form, "earlier": earlier})


@require_POST
def earlier_identity_remove(request, pk):
    require(can_edit_identity(request.user))
    earlier = get_object_or_404(EarlierIdentity, pk=pk)
    services.remove_earlier_identity(earlier=earlier, user=request.user)
    messages.success(request, _("Removed: documents dated up to %(day)s print the names of the "
                                "period after it (today's, if none is entered).")
                     % {"day": f"{earlier.until:%d/%m/%Y}"})
    return redirect("units:department")


def department_logo(request):
    """The logo for the page header: a PNG or JPG checked at upload, never rendered as
    anything else."""
    logo = identity.current().logo
    if not logo:
        raise Http404("no logo")
    extension = logo.name.rsplit(".", 1)[-1].lower()
    if extension not in LOGO_TYPES:
        raise Http404("not a picture")
    try:
        opened = logo.open("rb")
    except FileNotFoundError:
        raise Http404("logo missing") from None
    response = FileResponse(opened, content_type=LOGO_TYPES[extension])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
