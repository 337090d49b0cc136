"""'My documents' lists every document made for the person: the background ones, and every file
a page made at once — PDFs, Excel exports, templates to fill."""

import pytest
from django.urls import reverse

from awards.models import DocumentStatus, GeneratedDocument

from ..scoring.conftest import scored  # noqa: F401  (a fixture)
from ..tasks.conftest import work  # noqa: F401  (a fixture)


def _downloads(cast, work, scored):  # noqa: F811
    """(who, URL) of every page that makes a file, each as someone allowed to have it."""
    return [
        (cast.director, reverse("tasks:progress_export", args=[work.campaign.pk])),
        (cast.office, reverse("tasks:import_template", args=[work.campaign.pk])),
        (cast.office, reverse("scoring:export", args=[scored.campaign.pk])),
        (cast.director, reverse("scoring:dashboard_pdf", args=[scored.campaign.pk])),
        (cast.director, reverse("units:audit") + "?export=xlsx"),
        (cast.head_a, reverse("awards:ratings_template") + "?year=2022"),
    ]


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_download_is_kept_and_listed_for_its_person(
        cast, client_for, work, scored):  # noqa: F811
    made = {}
    for user, url in _downloads(cast, work, scored):
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment"), url
        made[url] = (user, _body(response))

    kept = list(GeneratedDocument.objects.order_by("pk"))
    assert len(kept) == len(made)
    for document, (url, (user, sent)) in zip(kept, made.items(), strict=True):
        assert (document.requested_by, document.status) == (user, DocumentStatus.DONE), url
        assert document.title, url
        with document.file.open("rb") as stored:
            assert stored.read() == sent, url
        listing = client_for(user).get(reverse("awards:documents")).content.decode()
        assert reverse("awards:document_file", args=[document.pk]) in listing, url
        assert document.title in listing or document.title.replace("&", "&amp;") in listing


def test_a_kept_document_downloads_again_only_for_its_person(cast, client_for, work):  # noqa: F811
    client_for(cast.director).get(reverse("tasks:progress_export", args=[work.campaign.pk]))
    document = GeneratedDocument.objects.get()
    url = reverse("awards:document_file", args=[document.pk])

    again = client_for(cast.director).get(url)

    assert again.status_code == 200
    assert again["Content-Disposition"] == f'attachment; filename="{document.filename}"'
    assert client_for(cast.office).get(url).status_code == 404


def test_a_copy_that_cannot_be_kept_never_stops_the_download(
        cast, client_for, work, settings, tmp_path, caplog):  # noqa: F811
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocked

    response = client_for(cast.director).get(
        reverse("tasks:progress_export", args=[work.campaign.pk]))

    assert response.status_code == 200 and _body(response).startswith(b"PK")
    assert not GeneratedDocument.objects.exists()
    assert "was not kept" in caplog.text


@pytest.mark.parametrize("role", ["head_a", "staff"])
def test_a_person_without_documents_is_told_so(cast, client_for, role):
    response = client_for(cast.users()[role]).get(reverse("awards:documents"))

    assert response.status_code == 200
    assert list(response.context["documents"]) == []
