"""Creating, editing, launching, closing and copying a plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, CampaignStatus, ContentItem, Dissemination
from units.models import AuditEntry

from ..factories import ContentItemFactory, DutyFactory, plan


def _management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def _new_plan_post(cast, **overrides):
    data = {
        "number": "25", "symbol": "KH-SGDĐT", "year": "2023",
        "title": "Toàn ngành đồng lòng thi đua", "parent_agency": "UBND TỈNH BÌNH PHƯỚC",
        "issuing_name": "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "issuing_unit": str(cast.root.pk), "place": "Đồng Xoài", "issued_on": "05/01/2023",
        "signer_title": "GIÁM ĐỐC", "signer_name": "Trần Văn Giám",
        "purposes": "Mục đích.", "requirements": "Yêu cầu.",
        **_management("bases"), **_management("duties"), **_management("recipients"),
        **_management("items", total=2),
        "items-0-number": "1", "items-0-text": "Công khai thủ tục hành chính.",
        "items-1-number": "2", "items-1-text": "Thực hiện tốt cơ chế một cửa liên thông.",
    }
    data.update(overrides)
    return data


def test_office_creates_a_plan_with_its_items(cast, client_for):
    response = client_for(cast.office).post(reverse("campaigns:create"), _new_plan_post(cast))

    campaign = Campaign.objects.get(year=2023)
    assert response.status_code == 302
    assert campaign.issued_on == datetime.date(2023, 1, 5)
    assert list(campaign.items.values_list("number", "text")) == [
        (1, "Công khai thủ tục hành chính."), (2, "Thực hiện tốt cơ chế một cửa liên thông.")]
    assert AuditEntry.objects.filter(action="campaign.create", object_id=str(campaign.pk)).exists()


def test_bad_date_keeps_input_and_saves_nothing(cast, client_for):
    data = _new_plan_post(cast, issued_on="31/02/2023")

    response = client_for(cast.office).post(reverse("campaigns:create"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tháng 2/2023 chỉ có 28 ngày nên không có ngày “31/02/2023”" in html
    assert "dd/mm/yyyy" in html
    assert 'value="Toàn ngành đồng lòng thi đua"' in html
    assert not Campaign.objects.exists()
    assert not ContentItem.objects.exists()


def test_duplicate_item_numbers_are_refused_on_the_row(cast, client_for):
    data = _new_plan_post(cast, **{"items-1-number": "1"})

    response = client_for(cast.office).post(reverse("campaigns:create"), data)

    assert "Số này được dùng hai lần" in response.content.decode()
    assert not Campaign.objects.exists()


def test_second_plan_with_same_number_and_year_is_refused(cast, client_for):
    client = client_for(cast.office)
    client.post(reverse("campaigns:create"), _new_plan_post(cast))

    response = client.post(reverse("campaigns:create"), _new_plan_post(cast))

    assert response.status_code == 200
    assert "đã có một kế hoạch với số và ký hiệu này" in response.content.decode().lower()
    assert Campaign.objects.count() == 1


def test_edit_from_a_stale_page_is_refused(cast, client_for):
    campaign = plan(items=1)
    item = campaign.items.get()
    url = reverse("campaigns:edit", args=[campaign.pk])
    base = _new_plan_post(cast, **_management("items", total=1, initial=1))
    base.update({"version": "1", "year": "2022", "items-0-id": str(item.pk),
                 "items-0-number": "1", "items-0-text": "Bản của người thứ nhất."})
    base.update({**_management("bases"), **_management("duties"), **_management("recipients")})
    first = client_for(cast.office).post(url, base)
    assert first.status_code == 302

    edit = AuditEntry.objects.get(action="campaign.edit")
    assert edit.actor == cast.office
    assert edit.before["title"].endswith("chỉ số cải cách hành chính")
    assert edit.after["title"] == "Toàn ngành đồng lòng thi đua"
    assert edit.after["sections"] == {"items": {"added": 0, "changed": 1, "deleted": 0}}

    second = client_for(cast.admin).post(url, {**base, "items-0-text": "Bản của người thứ hai."})

    assert second.status_code == 200
    assert "Người khác đã lưu" in second.content.decode()
    item.refresh_from_db()
    assert item.text == "Bản của người thứ nhất."


def test_launch_without_content_items_is_refused(cast, client_for):
    campaign = plan(items=0, units=[cast.unit_a])

    response = client_for(cast.office).post(reverse("campaigns:launch", args=[campaign.pk]),
                                            follow=True)

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert "Thêm các nội dung thực hiện" in response.content.decode()
    assert not Dissemination.objects.exists()


def test_launch_asks_each_implementing_unit_once(cast):
    campaign = plan(units=[cast.unit_a, cast.unit_b])
    DutyFactory(campaign=campaign, number=2).units.set([cast.unit_a])

    asked = services.launch(campaign=campaign, user=cast.office)

    campaign.refresh_from_db()
    assert asked == 2
    assert campaign.status == CampaignStatus.LAUNCHED
    assert set(campaign.disseminations.values_list("unit", flat=True)) == {
        cast.unit_a.pk, cast.unit_b.pk}


def test_launch_twice_is_refused(cast):
    campaign = plan(units=[cast.unit_a])
    services.launch(campaign=campaign, user=cast.office)

    with pytest.raises(ValidationError):
        services.launch(campaign=campaign, user=cast.office)


def test_launched_plan_cannot_be_edited(cast, client_for):
    campaign = plan(units=[cast.unit_a])
    services.launch(campaign=campaign, user=cast.office)

    response = client_for(cast.office).get(reverse("campaigns:edit", args=[campaign.pk]))

    assert response.status_code == 302


def test_close_moves_launched_plan_to_closed(cast, client_for):
    campaign = plan(units=[cast.unit_a])
    services.launch(campaign=campaign, user=cast.office)

    client_for(cast.office).post(reverse("campaigns:close", args=[campaign.pk]))

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_copy_copies_structure_and_no_progress(cast, client_for):
    source = plan(items=4, units=[cast.unit_a, cast.unit_b])
    services.launch(campaign=source, user=cast.office)
    dissemination = source.disseminations.get(unit=cast.unit_a)
    services.confirm_dissemination(
        dissemination=dissemination, user=cast.head_a, expected_version=1,
        data={"disseminated_on": datetime.date.today(), "staff_reached": 40, "note": ""})

    response = client_for(cast.office).post(reverse("campaigns:copy", args=[source.pk]),
                                            {"year": "2023", "number": "7"})

    copy = Campaign.objects.get(year=2023)
    assert response.status_code == 302
    assert copy.status == CampaignStatus.DRAFT
    assert copy.copied_from == source
    assert copy.launched_at is None and copy.issued_on is None
    assert list(copy.items.values_list("number", "text")) == list(
        source.items.values_list("number", "text"))
    assert copy.legal_bases.count() == source.legal_bases.count()
    assert copy.recipients.count() == source.recipients.count()
    assert set(copy.duties.get().units.all()) == {cast.unit_a, cast.unit_b}
    assert not copy.disseminations.exists()
    assert source.items.count() == 4  # the source is untouched


def test_copy_to_a_taken_number_is_refused(cast, client_for):
    source = plan()
    ContentItemFactory(campaign=source, number=99)

    response = client_for(cast.office).post(reverse("campaigns:copy", args=[source.pk]),
                                            {"year": str(source.year), "number": source.number})

    assert response.status_code == 200
    assert Campaign.objects.count() == 1
