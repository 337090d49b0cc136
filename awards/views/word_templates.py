"""The department's own Word templates (administrator): one per kind of document, with the
placeholders it may use; uploading checks the template renders before it is stored."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from units.documents import attachment

from ..access import can_manage_word_templates, require
from ..documents import word
from ..forms_word import WordTemplateForm
from ..models import WordTemplate
from ..services_word import remove_word_template, save_word_template


def word_templates(request):
    """Every kind with a Word version: its template (built-in or the department's), the
    placeholders, an upload form. POST uploads for the kind named in the form."""
    require(can_manage_word_templates(request.user))
    kinds = word.kinds()
    failed = None
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in kinds:
            raise Http404
        failed = WordTemplateForm(request.POST, request.FILES, kind=kind)
        if failed.is_valid():
            save_word_template(kind=kind, content=failed.content,
                               name=failed.cleaned_data["file"].name, user=request.user)
            messages.success(request, _("The template was checked and saved: the Word version "
                                        "of this document now uses it."))
            return redirect("awards:word_templates")
    uploaded = {t.kind: t for t in WordTemplate.objects.select_related("uploaded_by")}
    rows = [{"kind": name, "title": title, "uploaded": uploaded.get(name),
             "form": failed if failed is not None and failed.kind == name
             else WordTemplateForm(kind=name),
             "placeholders": word.placeholders(name)} for name, title in kinds.items()]
    return render(request, "awards/word_templates.html", {"rows": rows})


@require_POST
def word_template_remove(request, kind):
    require(can_manage_word_templates(request.user))
    if kind not in word.kinds() or not remove_word_template(kind=kind, user=request.user):
        raise Http404
    messages.success(request, _("The department's template was removed: the Word version is "
                                "built in again."))
    return redirect("awards:word_templates")


@require_GET
def word_template_file(request, kind):
    """The uploaded template itself, to edit it again in Word."""
    require(can_manage_word_templates(request.user))
    template = WordTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise Http404
    try:
        stored = template.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return attachment(stored, f"mau-{kind}.docx", word.CONTENT_TYPE)
