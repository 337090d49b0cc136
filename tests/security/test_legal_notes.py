"""The law kept as data carries drafting notes: each figure's `source`, and "to be checked" on
`unconfirmed` figures. They are for the administrators who correct them in the admin; no page
shows them to anyone else.

The test gives every note a marker no other text contains, then walks every page each role can
reach — every URL the resolver knows, filled with the world's objects, then every link found on
the pages — and looks for the marker.
"""

import io
import re
import shutil
import subprocess
import zipfile
from collections import deque
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from awards.models import (
    Award,
    AwardCoefficient,
    BaseSalary,
    Condition,
    DossierRequirement,
    LegalPeriod,
    ProposalRequirement,
    Quota,
)

from .test_promises import OWN_BY_QUERY, PUBLIC, _any_object_url
from .urlwalk import routes

MARKER = "LEGALNOTE"
HREF = re.compile(r'href="([^"#]+)')
# Pages that end the session or leave the portal's own pages. Downloads are kept: a PDF or a
# workbook is shown to people too, and is read as text below.
SKIP = ("/accounts/logout/", "/i18n/", "/admin/", "/static/", "/media/")
PAGE_LIMIT = 400  # per role; the walk of the test world finds about half of that


@pytest.fixture
def noted(world):
    """Every source and unconfirmed note of the law holds a marker, and every quota is
    unconfirmed, so that each place that might show a note has one to show."""
    for condition in Condition.objects.all():
        condition.source = f"{MARKER} condition {condition.pk}"
        condition.confirmed = condition.pk % 2 == 0
        condition.save()
    Quota.objects.update(source=f"{MARKER} quota", confirmed=False)
    LegalPeriod.objects.update(excellent_cap_source=f"{MARKER} cap")
    Award.objects.update(vote_source=f"{MARKER} vote")
    BaseSalary.objects.update(source=f"{MARKER} base salary", confirmed=False)
    AwardCoefficient.objects.update(source=f"{MARKER} coefficient", confirmed=False)
    # The parts a dossier or a unit's list needs, named under every list's checklist.
    DossierRequirement.objects.update(source=f"{MARKER} dossier part", confirmed=False)
    ProposalRequirement.objects.update(source=f"{MARKER} list part", confirmed=False)
    return world


def _seeds(world):
    yield reverse("home")
    for route in routes():
        if route.namespace == "admin" or route.label in PUBLIC:
            continue
        url = _any_object_url(world, route) if route.kinds else route.url()
        query = OWN_BY_QUERY.get(route.label)
        if query:
            url += "?" + "&".join(f"{key}={value}" for key, value in query(world).items())
        yield url
    for name in ("awards:eligibility", "awards:ratings", "awards:proposals",
                 "awards:ratings_template"):
        yield f"{reverse(name)}?year=2022"
        yield f"{reverse(name)}?year=2022&unit={world.cast.unit_a.pk}"


def _walk(client, seeds):
    """{url: text} of every page and download reached from `seeds` by GET and by following
    links; the URLs of the downloads are in `downloads`."""
    queue, seen, pages = deque(seeds), set(), Pages()
    while queue and len(pages) < PAGE_LIMIT:
        url = queue.popleft()
        parts = urlsplit(url)
        if url in seen or parts.netloc or url.startswith(SKIP) or not url.startswith("/"):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        if response.get("Content-Type", "").startswith("text/html"):
            text = response.content.decode()
            pages[url] = text
            # Sorting and paging show the same rows again: follow them once, not each order.
            queue.extend(unescape(link) for link in HREF.findall(text)
                         if "sort=" not in link and "page=" not in link)
        else:
            pages[url] = _download_text(b"".join(response.streaming_content if response.streaming
                                                 else [response.content]))
            pages.downloads.add(url)
    return pages


class Pages(dict):
    def __init__(self):
        super().__init__()
        self.downloads = set()


def _download_text(content: bytes) -> str:
    """The text of a PDF (pdftotext) or of a workbook (its XML parts); the raw bytes else."""
    if content.startswith(b"%PDF"):
        if not shutil.which("pdftotext"):
            pytest.skip("pdftotext (poppler-utils) is needed to read the PDFs")
        read = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True)
        # The test world's evidence files are stubs pdftotext cannot read: their bytes are text.
        return read.stdout.decode() if read.returncode == 0 else content.decode("latin-1")
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace")
                           for name in archive.namelist() if name.endswith(".xml"))
    return content.decode("latin-1")


@pytest.mark.parametrize("role", ["director", "office", "union", "head_a", "head_b", "staff"])
def test_no_page_shows_a_legal_note_to_anyone_but_an_administrator(noted, client_for, role):
    client = client_for(noted.cast.users()[role])

    pages = _walk(client, list(_seeds(noted)))

    # The walk reached the pages that use the law (they would show the notes if anything did).
    assert len(pages) > 40
    if role in ("director", "office", "union", "head_a"):
        assert any(url.startswith(reverse("awards:eligibility")) for url in pages)
        assert any(url.startswith(reverse("awards:ratings")) for url in pages)
    assert pages.downloads  # files, too
    showing = sorted(url for url, text in pages.items() if MARKER in text)
    assert showing == []


def test_an_administrator_sees_the_notes_where_the_law_is_applied(noted, client_for):
    client = client_for(noted.cast.admin)
    query = f"?year=2022&unit={noted.cast.unit_a.pk}"

    eligibility = client.get(reverse("awards:eligibility") + query).content.decode()
    ratings = client.get(reverse("awards:ratings") + query).content.decode()

    assert f"{MARKER} quota" in eligibility
    assert f"{MARKER} cap" in ratings


def test_the_cap_message_names_the_legal_period_not_the_note(noted):
    from awards.models import Rating
    from awards.ratings import cap_error, cap_for

    message = cap_error(cap_for(2022), [Rating.EXCELLENT, Rating.EXCELLENT, Rating.GOOD])

    assert MARKER not in message
    assert LegalPeriod.objects.for_year(2022).name in message
