"""In a real browser: the Office defines a cluster of three schools (refused first with a head
who is not a member), opens peer scoring; each member's head scores the other two; the ranking
follows; the Office closes the round and records the meeting's proposal with its minutes; the
flag candidate is on the commendation lists the Office builds the province proposal from."""

import re

from playwright.sync_api import expect

from awards.models import Nominee
from awards.models_clusters import FLAG_CODE
from units.models import Role

from ..factories import PASSWORD, UnitFactory, person
from ..helpers import BROWSER, sign_in

pytestmark = BROWSER

YEAR = 2025


def _score(page, base, username, rows):
    """Sign in as a member's head and give the other members their points."""
    sign_in(page, base, username, PASSWORD)
    page.goto(f"{base}/scoring/clusters/?year={YEAR}")
    page.get_by_role("link", name="Cụm trường THPT số 1").click()
    page.get_by_role("link", name="Chấm điểm các thành viên khác").click()
    for unit, points in rows.items():
        row = page.get_by_role("row", name=re.compile(unit))
        for box, value in zip(row.locator("input").all(), points, strict=True):
            box.fill(value)
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu")


def test_cluster_members_score_each_other_and_the_flag_candidate_reaches_the_lists(
        page, live_server, cast, screenshot, tmp_path):
    base = live_server.url
    unit_c = UnitFactory(name="Trường THPT Lê Quý Đôn", code="c", parent=cast.root)
    person(Role.UNIT_HEAD, unit_c, "head_c", full_name="Vũ Văn Chí")
    minutes = tmp_path / "bien-ban-hop-cum.pdf"
    minutes.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n")

    sign_in(page, base, "vanphong", PASSWORD)
    # Clusters are a step of the commendation year: a tab under Khen thưởng.
    page.get_by_role("link", name="Khen thưởng", exact=True).first.click()
    page.get_by_role("link", name="Cụm thi đua", exact=True).first.click()
    page.locator("#year").fill(str(YEAR))
    page.get_by_role("button", name="Xem").click()
    page.get_by_role("link", name="Thêm cụm").click()
    page.locator("#id_name").fill("Cụm trường THPT số 1")
    for unit in (cast.unit_a, cast.unit_b):
        page.get_by_label(unit.name, exact=True).check()
    page.locator("#id_head").select_option(label=unit_c.name)
    page.locator("#id_targets").fill("100% giáo viên đạt chuẩn\nKhông có học sinh bỏ học")
    page.locator("#id_criteria").fill("Chất lượng giáo dục; 60\nPhong trào thi đua; 40")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-danger")).to_contain_text("không phải là thành viên của cụm")
    screenshot("cluster-form-refused")
    page.get_by_label(unit_c.name, exact=True).check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu cụm")
    page.locator("#id_deadline").fill(f"20/12/{YEAR + 74}")
    page.get_by_role("button", name="Mở chấm chéo").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã mở chấm chéo")

    _score(page, base, "head_a", {cast.unit_b.name: ("50", "30"), unit_c.name: ("55", "38")})
    _score(page, base, "head_b", {cast.unit_a.name: ("48", "30"), unit_c.name: ("57,5", "36")})
    screenshot("cluster-peer-scoring")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/scoring/clusters/?year={YEAR}")
    page.get_by_role("link", name="Cụm trường THPT số 1").click()
    page.get_by_role("link", name="Chấm điểm các thành viên khác").click()
    screenshot("cluster-peer-scoring-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    _score(page, base, "head_c", {cast.unit_a.name: ("50", "32"), cast.unit_b.name: ("52", "34")})

    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(f"{base}/scoring/clusters/?year={YEAR}")
    page.get_by_role("link", name="Cụm trường THPT số 1").click()
    # c: (55+57,5)/2 + (38+36)/2 = 93,25; b: (50+52)/2 + (30+34)/2 = 83; a: 49 + 31 = 80.
    ranking = page.locator("table").last
    expect(ranking.locator("tbody tr").first).to_contain_text(unit_c.name)
    expect(ranking.locator("tbody tr").first).to_contain_text("93,25")
    page.get_by_role("button", name="Kết thúc chấm chéo").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã kết thúc chấm chéo")
    screenshot("cluster-page")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    screenshot("cluster-page-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name=re.compile("Đơn vị được cuộc họp cụm đề nghị")).click()
    page.locator("#id_held_on").fill(f"22/12/{YEAR}")
    page.locator("#id_present").fill("3")
    expect(page.locator("#id_flag_unit")).to_have_value(str(unit_c.pk))  # the leader
    page.locator("#id_flag_votes").fill("3")
    page.locator("#id_minutes").set_input_files(str(minutes))
    page.get_by_role("button", name="Ghi nhận đề nghị").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi nhận đề nghị")
    screenshot("cluster-proposal")

    page.goto(f"{base}/awards/proposals/?year={YEAR}")
    section = page.locator("section", has_text="Đề nghị của các cụm, khối thi đua")
    expect(section).to_contain_text(unit_c.name)
    screenshot("cluster-flag-on-the-lists")
    page.get_by_role("link", name=unit_c.name).last.click()
    expect(page.get_by_text("Cờ thi đua của Ủy ban nhân dân tỉnh").first).to_be_visible()

    nominee = Nominee.objects.get(proposal__unit=unit_c, proposal__year=YEAR)
    assert nominee.award.code == FLAG_CODE and nominee.staff is None
