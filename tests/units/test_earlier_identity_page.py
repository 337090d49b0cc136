"""The department's earlier names on the identity page (units.EarlierIdentity): entered, edited
and removed by the administrator, audited, read by documents of their dates."""

import datetime

import pytest
from django.urls import reverse

from awards.documents import layout
from units import identity
from units.models import AuditEntry, EarlierIdentity

NEW = reverse("units:earlier_identity_create")
# The province before it was divided in 1997 (the test department is Bình Phước's today).
SONG_BE = {
    "until": "31/12/1996", "name": "Sở Giáo dục và Đào tạo Sông Bé",
    "short_name": "Sở GD&ĐT Sông Bé", "parent_agency": "ubnd  tỉnh sông bé",
    "issuing_name": "Sở Giáo dục và Đào tạo", "place": " Sông  Bé ",
    "note": "Nghị quyết ngày 06/11/1996 của Quốc hội chia tỉnh",
}


def test_a_new_earlier_identity_starts_from_todays_names(cast, client_for):
    form = client_for(cast.admin).get(NEW).context["form"]

    today = identity.current()
    assert form.initial["name"] == today.name
    assert form.initial["parent_agency"] == today.parent_agency
    assert form.initial["place"] == today.place
    assert not form.initial.get("until")


def test_entering_earlier_names_audits_them_and_documents_of_their_dates_print_them(
        cast, client_for):
    client = client_for(cast.admin)

    response = client.post(NEW, SONG_BE)

    assert response.status_code == 302 and response.url == reverse("units:department")
    row = EarlierIdentity.objects.get()
    # Typed as staff type: capitals and spaces are the form's to straighten.
    assert (row.until, row.parent_agency, row.issuing_name, row.place) == (
        datetime.date(1996, 12, 31), "UBND TỈNH SÔNG BÉ", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sông Bé")
    line = AuditEntry.objects.get(action="department_earlier.create")
    assert line.actor == cast.admin and line.after["until"] == "1996-12-31"
    assert line.after["place"] == "Sông Bé"
    # The identity kept in memory is read again after the save.
    assert layout.letterhead(None, number="1", date=datetime.date(1996, 12, 31)).place == (
        "Sông Bé")
    assert layout.letterhead(None, number="2", date=datetime.date(1997, 1, 1)).place == (
        identity.current().place)
    page = client.get(reverse("units:department")).content.decode()
    assert "31/12/1996" in page and "Nghị quyết ngày 06/11/1996" in page


def test_two_earlier_identities_cannot_end_on_the_same_day(cast, client_for):
    client = client_for(cast.admin)
    client.post(NEW, SONG_BE)

    response = client.post(NEW, {**SONG_BE, "name": "Sở khác"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["until"]
    assert "Another earlier identity already ends on this day" not in response.content.decode()
    assert "tên gọi trước đây kết thúc vào ngày này" in response.content.decode()
    assert EarlierIdentity.objects.count() == 1


@pytest.mark.parametrize(("field", "typed"), [("until", "31/06/2025"), ("until", ""),
                                              ("place", "Sông Bé, ngày"), ("name", "")])
def test_bad_input_says_what_to_fix_and_saves_nothing(cast, client_for, field, typed):
    response = client_for(cast.admin).post(NEW, {**SONG_BE, field: typed})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not EarlierIdentity.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="department_earlier").exists()


def test_editing_earlier_names_refuses_a_stale_page_and_keeps_the_typing(cast, client_for):
    client = client_for(cast.admin)
    client.post(NEW, SONG_BE)
    row = EarlierIdentity.objects.get()
    url = reverse("units:earlier_identity", args=[row.pk])
    opened = {**SONG_BE, "version": row.version}
    client.post(url, {**opened, "place": "Đồng Xoài"})

    response = client.post(url, {**opened, "place": "Thủ Dầu Một"})

    assert response.status_code == 200
    assert EarlierIdentity.objects.get().place == "Đồng Xoài"
    assert "Thủ Dầu Một" in response.content.decode()
    edits = AuditEntry.objects.filter(action="department_earlier.edit")
    assert [(e.before, e.after) for e in edits] == [({"place": "Sông Bé"},
                                                     {"place": "Đồng Xoài"})]


def test_removing_earlier_names_audits_every_value(cast, client_for):
    client = client_for(cast.admin)
    client.post(NEW, SONG_BE)
    row = EarlierIdentity.objects.get()

    response = client.post(reverse("units:earlier_identity_remove", args=[row.pk]))

    assert response.status_code == 302
    assert not EarlierIdentity.objects.exists()
    line = AuditEntry.objects.get(action="department_earlier.remove")
    assert line.before["name"] == "Sở Giáo dục và Đào tạo Sông Bé"
    assert identity.on(datetime.date(1996, 12, 31)).place == identity.current().place
