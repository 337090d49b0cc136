"""Certificates (Giấy khen) of a decision: one page per awardee, all in one PDF.

Two ways to print them:
- the built-in design, on plain A4 landscape paper: a double frame, the national title and
  motto, the authority that confers it (from the header the decision was issued with, as its
  own PDF), the award's name, the awardee, the achievement, the decision's number and date, the
  place and date and the signature block;
- onto the department's pre-printed blanks: only the texts, each at the position in millimetres
  the administrator set in a CertificateLayout and checked on the calibration sheet
  (`calibration_pdf`).

What costs is WeasyPrint laying out, drawing and writing every page (about 13 ms of CPU for a
page of the whole design, with Pango shaping each line). So:
- the built-in design's frame (the borders, the national title, the authority, the award, the
  verb, the foot) is laid out once, on a page of its own, and drawn beneath every page from one
  copy (a form XObject); each awardee's page lays out only the name, the position, the
  achievement and the book number (about 5 ms), starting where the frame's verb ends;
- a long decision is cut into parts of CHUNK pages, made side by side in as many processes as
  the machine has cores (forked: the templates and fonts are loaded already) and joined in the
  decision's order with pypdf; the progress bar moves as each part comes back.
bench_certificates times 1,000.
"""

import io
import multiprocessing
import os
import unicodedata
from concurrent.futures import ProcessPoolExecutor, as_completed

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core import pdf
from units import identity

from ..access import can_view_decision
from ..models import AwardKind, CertificateLayout, Conferral, Decision
from ..models_certificate import FIELDS
from . import Built, Kind, layout
from .decision import awardees, issued_head

# Above this many certificates the background worker makes the PDF (about 0.01 s each: 20 in
# the request answer within a second, as the dossier's direct limit does).
DIRECT_CERTIFICATES = 20
MM_PER_PT = 25.4 / 72


# -- names, as Vietnamese writes them -----------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join((text or "").split()))


def person_name(full_name: str) -> str:
    """'NGUYỄN thị ánh tuyết' → 'Nguyễn Thị Ánh Tuyết': each word capitalised, with its
    diacritics, in composed form (a name typed in decomposed Unicode prints the same, and
    pdftotext gives it back as typed in the staff list)."""
    words = _nfc(full_name).split(" ")
    return _nfc(" ".join(word[:1].upper() + word[1:].lower() for word in words if word))


def capitals(text: str) -> str:
    """Vietnamese capitals: 'Giấy khen' → 'GIẤY KHEN', 'đ' → 'Đ', 'ư' → 'Ư', in composed form
    (upper() on a decomposed text leaves the combining marks apart)."""
    return _nfc(_nfc(text).upper())


def award_heading(award) -> str:
    """The big title: 'GIẤY KHEN' for 'Giấy khen của Giám đốc Sở (tập thể)', the award's name in
    capitals otherwise (a title: 'LAO ĐỘNG TIÊN TIẾN')."""
    name = _nfc(award.name)
    for cut in (" của ", " ("):
        if cut in name and award.kind != AwardKind.TITLE:
            name = name.split(cut, 1)[0]
    return capitals(name)


# -- the kind ------------------------------------------------------------------------------------


def clean(params: dict) -> dict:
    decision_id = layout.int_param(params, "decision")
    # The Department prints certificates of its own decisions, never of a revoked one.
    if not Decision.objects.filter(pk=decision_id, dossier__isnull=True,
                                   revoked_at__isnull=True).exists():
        raise LookupError(f"decision {decision_id}")
    layout_id = params.get("layout") or ""
    if layout_id:
        layout_id = layout.int_param(params, "layout")
        if not CertificateLayout.objects.filter(pk=layout_id).exists():
            raise LookupError(f"layout {layout_id}")
        return {"decision": decision_id, "layout": layout_id}
    return {"decision": decision_id}


def allowed(user, params: dict) -> bool:
    """Whoever may read the decision has its certificates."""
    return can_view_decision(user, params["decision"])


def rows(params: dict) -> int:
    return Conferral.objects.filter(issued_by_id=params["decision"],
                                    revoked_at__isnull=True).count()


def certificates(decision) -> list[dict]:
    """The texts of each standing awardee's certificate, in the annex order (one query for the
    awardees, two for the header)."""
    campaign = layout.campaign_of_year(decision.year)
    head = issued_head(decision, campaign)
    agency = (decision.letterhead or {}).get("agency_name") or layout.agency_name(campaign)
    award = decision.award
    values = {"award": _nfc(award.name), "year": decision.year,
              "campaign": _nfc(campaign.title) if campaign else ""}
    if award.kind == AwardKind.TITLE:
        verb = pgettext("certificate", "Recognised for")
        achievement = _("Having achieved the title “%(award)s” in %(year)s.") % values
    elif campaign:
        verb = pgettext("certificate", "Awarded to")
        achievement = _("For outstanding achievements in the emulation campaign "
                        "“%(campaign)s” in %(year)s.") % values
    else:
        verb = pgettext("certificate", "Awarded to")
        achievement = _("For outstanding achievements in %(year)s.") % values
    shared = {
        "nation": _("SOCIALIST REPUBLIC OF VIETNAM"),
        "motto": _("Independence - Freedom - Happiness"),
        "authority": capitals(f"{head.head_title} {agency}"),
        "heading": award_heading(award),
        "verb": verb,
        "achievement": achievement,
        "number": decision.number,
        "date": layout.short_date(decision.signed_on),
        "decision_line": _("Decision No. %(number)s of %(date)s") % {
            "number": decision.number, "date": layout.short_date(decision.signed_on)},
        "place_date": head.date_line,
        "signer_title": "\n".join(head.signature_lines),
        "signer_name": _nfc(head.signer_name),
    }
    listed = [row for row in awardees(decision) if not row["revoked_at"]]
    width = max(2, len(str(len(listed))))
    pages = []
    for index, row in enumerate(listed, start=1):
        unit = _nfc(row["unit__name"])
        if row["staff_id"]:
            name = person_name(row["staff__full_name"])
            position = _nfc(row["staff__position"] or "")
            where = f"{position}, {unit}" if position else unit
        else:
            name, where = unit, ""  # a collective: the unit's name as registered
        pages.append({**shared, "name": name, "position": where,
                      "book": f"{index:0{width}d}"})
    return pages


def blank_fields(certificate_layout: CertificateLayout) -> list[dict]:
    """The shown fields with their positions, as floats for the CSS (mm and pt)."""
    found = []
    for key, label in FIELDS.items():
        item = certificate_layout.field(key)
        if item["shown"]:
            found.append({"key": key, "label": label, "align": item["align"],
                          **{name: float(item[name]) for name in ("x", "y", "width", "size")}})
    return found


# Pages per part: enough that each part's fixed cost (fonts loaded and subset, about 0.2 s)
# stays small, few enough that the progress bar moves; each part carries its own subset of the
# fonts (about 15 KiB).
CHUNK = 125
# Never more than this many processes, whatever the machine: each holds a part's pages.
MAX_PROCESSES = 4
DESIGN = "awards/documents/certificates.html"
BLANK = "awards/documents/certificates_blank.html"
FRAME_COLOUR = "#8b1a1a"


def processes() -> int:
    return max(1, min(MAX_PROCESSES, len(os.sched_getaffinity(0))))


def _pdf(html: str, base_url: str) -> tuple[bytes, int]:
    """One part, in a process of its own (or in this one for a short decision)."""
    from weasyprint import HTML  # imported on use: loading Pango costs a second

    with pdf.rendering():
        document = HTML(string=html, base_url=base_url).render()
        return document.write_pdf(), len(document.pages)


def _frame(texts: dict) -> tuple[bytes, str]:
    """The built-in design's frame, one page, and where its verb ends: the top padding (CSS px,
    as text for the CSS) that starts each awardee's name where it would follow the verb."""
    from weasyprint import HTML

    html = render_to_string(DESIGN, {"frame": texts, "colour": FRAME_COLOUR})
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    found = {box.element.get("class"): box
             for box in document.pages[0]._page_box.descendants()
             if box.element is not None and box.element_tag == "div"}
    page, top = found["p"], found["top"]
    below = top.position_y + top.margin_height() - page.position_y - page.margin_top \
        - page.border_top_width
    return document.write_pdf(), f"{below:.3f}"


def _join(parts: list[bytes], under: bytes | None = None) -> tuple[bytes, int]:
    """The parts as one PDF, in order; `under`'s first page drawn beneath every page, from a
    single copy (a form XObject: its fonts and text once in the file, whatever the count)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    writer = PdfWriter()
    for content in parts:
        writer.append(PdfReader(io.BytesIO(content)))
    # The title and producer WeasyPrint wrote into each part, once.
    writer.add_metadata(PdfReader(io.BytesIO(parts[0])).metadata or {})
    if under:
        frame = PdfReader(io.BytesIO(under)).pages[0]
        form = DecodedStreamObject()
        form.set_data(frame.get_contents().get_data())
        form.update({NameObject("/Type"): NameObject("/XObject"),
                     NameObject("/Subtype"): NameObject("/Form"),
                     NameObject("/BBox"): ArrayObject(frame.mediabox),
                     NameObject("/Resources"): frame["/Resources"].clone(writer)})
        form_ref = writer._add_object(form)  # pypdf's own way to add an object
        first = DecodedStreamObject()
        first.set_data(b"q /CertFrame Do Q\n")
        first_ref = writer._add_object(first)
        for page in writer.pages:
            resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
            forms = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
            forms[NameObject("/CertFrame")] = form_ref
            contents = page["/Contents"]
            contents = list(contents) if isinstance(contents.get_object(), ArrayObject) \
                else [contents]
            page[NameObject("/Contents")] = ArrayObject([first_ref, *contents])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def render(template: str, context: dict, progress=None, *, key: str = "",
           chunk: int = CHUNK, under: bytes | None = None) -> tuple[bytes, int]:
    """The PDF of `template`; when `key` names the list of pages in `context`, in parts of
    `chunk` pages made in parallel (progress from 10 to 90 as they come back) and, with
    `under`, that page drawn beneath each."""
    base_url = str(settings.BASE_DIR)
    items = context[key] if key else []
    parts = [items[at:at + chunk] for at in range(0, len(items), chunk)]
    if len(parts) < 2 and not under:
        html = render_to_string(template, context)
        if progress:
            progress(40)
        return _pdf(html, base_url)
    # Each part's HTML is made here, where the database and translations are; the children
    # only lay out and write (forked: nothing to import again, and they never touch the
    # database).
    pages = [render_to_string(template, {**context, key: part}) for part in parts]
    if len(parts) < 2:
        made = [_pdf(pages[0], base_url)[0]]
        if progress:
            progress(80)
        return _join(made, under)
    done, made = 0, [b""] * len(parts)
    with ProcessPoolExecutor(max_workers=min(processes(), len(parts)),
                             mp_context=multiprocessing.get_context("fork")) as pool:
        waiting = {pool.submit(_pdf, html, base_url): index for index, html in enumerate(pages)}
        for future in as_completed(waiting):
            made[waiting[future]] = future.result()[0]
            done += 1
            if progress:
                progress(10 + 80 * done // len(parts))
    return _join(made, under)


def design(pages: list[dict], progress=None, chunk: int = CHUNK) -> tuple[bytes, int]:
    """The built-in design: each awardee's texts on a page of their own (in parts of `chunk`
    pages), the frame beneath every page."""
    frame, top = _frame(pages[0]) if pages else (None, "0")
    return render(DESIGN, {"pages": pages, "top": top, "colour": "transparent"}, progress,
                  key="pages", chunk=chunk, under=frame)


def blank_pdf(pages: list[dict], fields: list[dict], size: tuple, progress=None,
              chunk: int = CHUNK) -> tuple[bytes, int]:
    """The texts onto the pre-printed blanks: the fields every certificate shares (the
    achievement, the decision, the signer…) laid out once and drawn beneath every page, each
    page laying out only the fields that differ (the name, the position, the book number)."""
    width, height = size
    context = {"fields": fields, "width": width, "height": height}
    shared = [item for item in fields
              if all(page[item["key"]] == pages[0][item["key"]] for page in pages)]
    under = None
    if pages and shared:
        under, _count = _pdf(render_to_string(BLANK, {**context, "sheets": [[
            {"key": item["key"], "text": pages[0][item["key"]]} for item in shared]]}),
            str(settings.BASE_DIR))
    own = [item for item in fields if item not in shared]
    sheets = [[{"key": item["key"], "text": page[item["key"]]} for item in own]
              for page in pages]
    return render(BLANK, {**context, "sheets": sheets}, progress, key="sheets", chunk=chunk,
                  under=under)


def build(params: dict, fmt: str, progress) -> Built:
    decision = Decision.objects.select_related("award").get(pk=params["decision"])
    pages = certificates(decision)
    progress(10)
    if params.get("layout"):
        blank = CertificateLayout.objects.get(pk=params["layout"])
        width, height = blank.size
        content, count = blank_pdf(pages, blank_fields(blank), blank.size, progress)
        name = layout.ascii_name("giay-khen-phoi", decision.number, extension="pdf")
    else:
        content, count = design(pages, progress)
        name = layout.ascii_name("giay-khen", decision.number, extension="pdf")
    progress(100)
    return Built(content, name, layout.PDF_CONTENT_TYPE, len(pages), count)


KIND = Kind(title=gettext_lazy("Certificates of a decision"), clean=clean, allowed=allowed,
            rows=rows, build=build, formats=("pdf",), direct_rows=DIRECT_CERTIFICATES)


# -- the calibration sheet ---------------------------------------------------------------------


SAMPLE = {
    "name": "Nguyễn Thị Ánh Tuyết",
    "position": "Giáo viên, Trường THPT Chuyên",
    "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua năm học 2022.",
    "number": "1802/QĐ-SGDĐT",
    "date": "20/12/2022",
    "place_date": "{place}, ngày 20 tháng 12 năm 2022",  # the department's place
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "Đặng Văn Ước",
    "book": "07",
}


def calibration_pdf(certificate_layout: CertificateLayout) -> bytes:
    """A test sheet: a millimetre grid (a line every 5 mm, labelled every 10 mm) and each
    field's box where it is set, with a sample text printed exactly as on a certificate. Laid
    over a blank against the light, it shows how far each text must move."""
    width, height = certificate_layout.size
    fields = blank_fields(certificate_layout)
    for item in fields:
        # The box is as high as the text's lines (two for the achievement and the title).
        lines = 2 if item["key"] in ("achievement", "signer_title") else 1
        item["height"] = round(item["size"] * 1.15 * lines * MM_PER_PT, 1)
        item["text"] = SAMPLE[item["key"]].format(place=identity.place())
        item["label_y"] = max(0.0, item["y"] - 2.6)
    content, _pages = render("awards/documents/certificates_calibration.html", {
        "layout": certificate_layout, "fields": fields,
        "width": width, "height": height,
        "columns": [{"at": mm, "major": mm % 10 == 0} for mm in range(5, width, 5)],
        "rows": [{"at": mm, "major": mm % 10 == 0} for mm in range(5, height, 5)],
        "title": _("Calibration sheet: %(name)s. Lay it over a blank against the light; "
                   "positions in millimetres from the top left corner.") % {
                       "name": certificate_layout.name},
    })
    return content
