"""The year-end ratings page of a unit, and its Excel template and import.

The unit head, the Office and the Union enter ratings; directors read them; a staff member
reads their own unit's. Another unit's page is 404 for anyone who may not read it.
"""

import re
import unicodedata
from functools import partial
from io import BytesIO

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.spreadsheets.import_preview import ImportFlow, ImportRefused, run_import
from core.spreadsheets.styles import XLSX_CONTENT_TYPE
from core.stale_edits import StaleEdit
from units.access import (
    can_read_legal_notes,
    can_view_every_unit,
    get_unit_for,
    own_unit_id,
    require,
)
from units.documents import deliver

from .. import imports, ratings
from ..access import can_edit_ratings
from ..forms import RatingFilterForm, RatingsForm
from ..models import Rating
from ..years import year_for


def unit_and_year(request):
    """The unit (404 unless the user may read it) and year of the query string, or defaults:
    the person's own unit, and the year every year-selecting page opens on (awards.years)."""
    unit_id = request.GET.get("unit") or own_unit_id(request.user)
    if not unit_id or not str(unit_id).isdigit():
        raise Http404
    unit = get_unit_for(request.user, unit_id)  # before the year is remembered: 404 first
    return unit, year_for(request)


def _page_url(name, unit, year) -> str:
    return f"{reverse(name)}?{urlencode({'year': year, 'unit': unit.pk})}"


@require_http_methods(["GET", "POST"])
def ratings_page(request):
    unit, year = unit_and_year(request)
    edits = can_edit_ratings(request.user, unit)
    if request.method == "POST":
        require(edits)
    people = ratings.unit_staff(unit, year)
    current = ratings.stored(unit, year)
    cap = ratings.cap_for(year)
    form = RatingsForm(request.POST if request.method == "POST" else None, people=people,
                       stored=current, digest=ratings.digest(current.values()), cap=cap)
    if form.is_valid():
        try:
            changed = ratings.save_ratings(unit=unit, year=year, ratings=form.ratings(),
                                           user=request.user,
                                           expected_digest=form.cleaned_data["digest"])
        except (StaleEdit, IntegrityError):
            messages.error(request, StaleEdit.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The ratings were saved (%(count)s changed).")
                             % {"count": changed})
            return redirect(_page_url("awards:ratings", unit, year))
    filters = RatingFilterForm(initial={"year": year, "unit": unit.pk},
                               every_unit=can_view_every_unit(request.user))
    counts = {value: sum(r.rating == value for r in current.values()) for value in Rating.values}
    return render(request, "awards/ratings.html", {
        "unit": unit, "year": year, "form": form, "filters": filters,
        "can": {"edit_ratings": edits, "read_legal_notes": can_read_legal_notes(request.user)},
        "cap": cap, "counts": [(label, counts[value]) for value, label in Rating.choices],
        "labels": dict(Rating.choices), "stored": current,
    })


def _filename(unit, year) -> str:
    raw = f"xep-loai-{unit.code}-{year}".replace("Đ", "D").replace("đ", "d")
    raw = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9-]+", "-", raw) + ".xlsx"


def ratings_template(request):
    unit, year = unit_and_year(request)
    require(can_edit_ratings(request.user, unit))
    stream = BytesIO()
    imports.ratings_template(unit, year, stream)
    return deliver(request, stream, kind="awards.ratings_template",
                   title=_("Ratings template, %(unit)s, %(year)s") % {"unit": unit.name,
                                                                     "year": year},
                   filename=_filename(unit, year), content_type=XLSX_CONTENT_TYPE)


@require_http_methods(["GET", "POST"])
def ratings_import(request):
    unit, year = unit_and_year(request)
    require(can_edit_ratings(request.user, unit))
    page_url = _page_url("awards:ratings", unit, year)
    return run_import(request, ImportFlow(
        session_key="awards_ratings_import", scope={"unit": unit.pk, "year": year},
        parse=partial(imports.parse, unit, year),
        recheck=partial(imports.RatingImport.from_plain, unit, year),
        save=_save_ratings,
        changed=_("The staff or the ratings changed since the preview; nothing was saved. "
                  "Correct the file and upload it again."),
        form_template="awards/ratings_import.html",
        preview_template="awards/ratings_import_preview.html",
        import_url=_page_url("awards:ratings_import", unit, year), done_url=page_url,
        context={"unit": unit, "year": year, "page_url": page_url,
                 "template_url": _page_url("awards:ratings_template", unit, year)}))


def _save_ratings(result, user) -> str:
    try:
        changed = ratings.save_ratings(unit=result.unit, year=result.year,
                                       ratings=result.ratings(), user=user,
                                       action="rating.import")
    except ValidationError as error:
        raise ImportRefused(" ".join(error.messages)) from None
    except IntegrityError:
        raise ImportRefused(_("Someone changed these ratings at the same time; nothing was "
                              "saved. Upload the file again.")) from None
    return _("The import was saved: %(count)s ratings changed.") % {"count": changed}
