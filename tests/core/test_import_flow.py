"""The one check-then-confirm flow of the Excel imports (core.spreadsheets.import_preview.
run_import), through the pages that declare it: what a refused or stale confirmation does."""

import datetime
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from awards import registration_imports
from awards import registration_services as registration
from awards.models import StaffRegistration, YearRating

YEAR = 2022
EXPIRED_TEXT = "This preview has expired or was already saved. Upload the file again."
GOOD = "Hoàn thành tốt nhiệm vụ"
LDTT = "Lao động tiên tiến"


def _url(name, unit, year=YEAR):
    return f"{reverse(name)}?year={year}&unit={unit.pk}"


def _workbook(headers, rows, name):
    book = Workbook()
    sheet = book.active
    with translation.override("vi"):
        sheet.append([translation.gettext(header) for header in headers])
    for staff_id, value in rows:
        sheet.append([staff_id, "", "", value])
    stream = BytesIO()
    book.save(stream)
    return SimpleUploadedFile(name, stream.getvalue())


def _ratings_file(people):
    headers = ["Staff ID", "Full name", "Position", "Rating"]
    return _workbook(headers, [(person.pk, GOOD) for person in people], "xep-loai.xlsx")


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_confirmation_posted_to_another_units_page_is_refused_as_expired(cast, client_for):
    client = _english(client_for(cast.office))
    preview = client.post(_url("awards:ratings_import", cast.unit_a),
                          {"file": _ratings_file([cast.staff.staff_member])})
    token = preview.context["confirm"]["token"].value()

    refused = client.post(_url("awards:ratings_import", cast.unit_b), {"token": token},
                          follow=True)

    assert refused.redirect_chain[-1][0] == _url("awards:ratings_import", cast.unit_b)
    assert _said(refused) == [EXPIRED_TEXT]
    assert not YearRating.objects.exists()
    # The preview of unit A is still the one kept: confirmed on its own page, it saves.
    saved = client.post(_url("awards:ratings_import", cast.unit_a), {"token": token},
                        follow=True)
    assert saved.redirect_chain[-1][0] == _url("awards:ratings", cast.unit_a)
    assert _said(saved) == ["The import was saved: 1 ratings changed."]
    assert YearRating.objects.get().staff == cast.staff.staff_member


def test_registration_closed_between_preview_and_confirmation_saves_nothing(cast, client_for):
    window = registration.open_window(year=YEAR, deadline=datetime.date(YEAR, 1, 31),
                                      user=cast.office)
    client = _english(client_for(cast.head_a))
    upload = _workbook(registration_imports.HEADERS, [(cast.staff.staff_member.pk, LDTT)],
                       "dang-ky.xlsx")
    preview = client.post(_url("awards:registration_import", cast.unit_a), {"file": upload})
    token = preview.context["confirm"]["token"].value()
    registration.change_window(window=window, user=cast.office, expected_version=window.version,
                               closed=True)

    refused = client.post(_url("awards:registration_import", cast.unit_a), {"token": token},
                          follow=True)

    assert refused.redirect_chain[-1][0] == _url("awards:registration_import", cast.unit_a)
    assert _said(refused) == [f"Registration for {YEAR} is closed. Ask the Office to reopen it."]
    assert not StaffRegistration.objects.exists()


@pytest.mark.parametrize("name", ["units:staff_import", "units:units_import"])
def test_a_token_without_a_preview_sends_back_to_the_upload(cast, client_for, name):
    client = _english(client_for(cast.office))

    response = client.post(reverse(name), {"token": "made-up"}, follow=True)

    assert response.redirect_chain == [(reverse(name), 302)]
    assert "form" in response.context  # the upload page
    assert _said(response) == [EXPIRED_TEXT]
