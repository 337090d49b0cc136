"""`manage.py load_demo`: the demo organisation and the 2022 plan, faithful and loaded once.

The demo is loaded once for the module (tests/demo_data.py); the current year it adds is
tested in tests/test_demo_live_year.py.
"""

import datetime
import hashlib
import io
import re
import zoneinfo
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.utils import timezone

from campaigns.models import (
    Campaign,
    CampaignStatus,
    ContentItem,
    Dissemination,
    Duty,
    LegalBasis,
    Recipient,
)
from tasks.models import (
    Assignment,
    Evidence,
    ProgressReport,
    ReportAction,
    ReportEvent,
    ReportStatus,
    Task,
)
from tests.demo_data import load, module_demo
from units.models import AuditEntry, Role, StaffMember, Unit

pytestmark = pytest.mark.django_db

demo = module_demo()

MODELS = [Unit, StaffMember, get_user_model(), Campaign, ContentItem, LegalBasis, Duty,
          Recipient, Dissemination, AuditEntry, Task, Assignment, ProgressReport, ReportEvent,
          Evidence]

ACCOUNTS = {
    "giamdoc": Role.DIRECTOR,
    "phogiamdoc": Role.DEPUTY_DIRECTOR,
    "vanphong": Role.OFFICE,
    "congdoan": Role.UNION,
    "canbo": Role.STAFF,
    "quantri": Role.ADMIN,
    "tp.vanphong": Role.UNIT_HEAD,
    "tp.tccb": Role.UNIT_HEAD,
    "tp.khtc": Role.UNIT_HEAD,
    "tp.gdtrh": Role.UNIT_HEAD,
    "tp.gdmn-gdth": Role.UNIT_HEAD,
    "tp.gdcn-gdtx": Role.UNIT_HEAD,
    "tp.ktqlcl": Role.UNIT_HEAD,
    "tp.thanhtra": Role.UNIT_HEAD,
    "ht.chuyen-quang-trung": Role.UNIT_HEAD,
    "ht.chuyen-binh-long": Role.UNIT_HEAD,
    "ht.hung-vuong": Role.UNIT_HEAD,
    "ht.dong-xoai": Role.UNIT_HEAD,
    "ht.nguyen-du": Role.UNIT_HEAD,
    "ht.phuoc-binh": Role.UNIT_HEAD,
    "ht.loc-ninh": Role.UNIT_HEAD,
    "ht.bu-dang": Role.UNIT_HEAD,
    "ht.chon-thanh": Role.UNIT_HEAD,
    "ht.dong-phu": Role.UNIT_HEAD,
    "ht.nguyen-hue": Role.UNIT_HEAD,
    "ht.phu-rieng": Role.UNIT_HEAD,
    "ht.dak-o": Role.UNIT_HEAD,
    "ht.dtnt-tinh": Role.UNIT_HEAD,
    "ht.gdtx-tinh": Role.UNIT_HEAD,
}

FIXED_TYPOS = ["thôn tin", "quả lý", "Webside", "điện điện", "nhà năm 2022", "các bộ, công chức",
               "thực có hiệu quả", "9001: 2015", "tinh giảm"]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_people_have_what_the_seniority_medal_reads(demo):
    from units.models import StaffMember
    people = StaffMember.objects.all()
    assert not people.filter(gender="").exists()
    assert not people.filter(sector_start_date__isnull=True).exists()
    assert people.filter(gender="female").exists() and people.filter(gender="male").exists()


def test_load_demo_enters_the_plan_with_its_content_items(demo):
    campaign = Campaign.objects.get(number="25", symbol="KH-SGDĐT", year=2022)
    items = list(campaign.items.order_by("number"))
    assert campaign.title == "Toàn ngành đồng lòng thi đua nâng cao chỉ số cải cách hành chính"
    assert [item.number for item in items] == list(range(1, 11))
    assert "cơ chế một cửa liên thông" in items[1].text
    assert "phong cách Hồ Chí Minh" in items[6].text
    assert all(item.short_title for item in items)
    assert campaign.signer_name == StaffMember.objects.get(user__username="giamdoc").full_name


def test_load_demo_keeps_legal_bases_in_order(demo):
    campaign = Campaign.objects.get(year=2022)
    bases = list(campaign.legal_bases.values_list("doc_type", "number", "date", "issuer"))
    assert bases == [
        ("Công văn", "4002/UBND-NC", datetime.date(2017, 11, 28), "UBND tỉnh"),
        ("Quyết định", "1967/QĐ-UBND", datetime.date(2021, 7, 28), "UBND tỉnh Bình Phước"),
        ("Quyết định", "3223/QĐ-UBND", datetime.date(2021, 12, 27), "UBND tỉnh Bình Phước"),
        ("Kế hoạch", "03/KH-SGDĐT", datetime.date(2022, 1, 4), "Sở Giáo dục và Đào tạo"),
    ]
    assert not any(s.endswith(";") for s in campaign.legal_bases.values_list("subject", flat=True))
    assert campaign.preamble.startswith("Sở Giáo dục và Đào tạo xây dựng Kế hoạch")
    assert len(campaign.requirement_paragraphs()) == 5


def test_load_demo_builds_the_organisation(demo):
    assert Unit.objects.affiliated().count() >= 12
    root = Unit.objects.get(parent__isnull=True)
    assert Unit.objects.exclude(pk=root.pk).exclude(parent=root).count() == 0
    assert not Unit.objects.filter(short_name="").exists()
    duty_two = Duty.objects.get(campaign__year=2022, number=2)
    assert duty_two.asks_dissemination
    assert set(duty_two.units.all()) == set(
        Unit.objects.filter(kind__in=["office", "functional", "inspectorate", "school",
                                      "centre"]))


def test_demo_accounts_log_in_with_their_roles(demo):
    load("--password", "demo-pass")

    for username, role in ACCOUNTS.items():
        # The sign-in lockout (django-axes) needs the request a sign-in comes with.
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=username, password="demo-pass")
        assert user is not None, username
        assert user.staff_member.role == role
        assert user.email == f"{username}@thidua.local"
    staff_users = get_user_model().objects.filter(is_staff=True)
    assert list(staff_users.values_list("username", flat=True)) == ["quantri"]
    assert staff_users.get().is_superuser


def test_demo_2022_plan_was_launched_with_confirmed_and_pending_units_then_closed(demo):
    campaign = Campaign.objects.get(year=2022)
    assert campaign.status == CampaignStatus.CLOSED
    tz = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    assert timezone.localtime(campaign.launched_at, tz) == datetime.datetime(
        2022, 1, 17, 8, 0, tzinfo=tz)
    closing = AuditEntry.objects.get(action="campaign.close", object_id=str(campaign.pk))
    assert timezone.localtime(closing.at, tz) == datetime.datetime(2022, 12, 30, 16, 30,
                                                                   tzinfo=tz)
    assert closing.actor.username == "vanphong"
    confirmed = campaign.disseminations.confirmed()
    pending = campaign.disseminations.pending()
    assert confirmed.exists() and pending.exists()
    assert pending.filter(unit__kind="school").count() >= 2
    assert pending.filter(unit__kind="functional").exists()
    for d in confirmed.select_related("unit", "confirmed_by__staff_member"):
        assert 1 <= d.staff_reached <= d.unit.headcount
        assert d.confirmed_by.staff_member.unit == d.unit
        assert d.confirmed_by.staff_member.role == Role.UNIT_HEAD
        assert d.disseminated_on >= datetime.date(2022, 1, 17)


def test_load_demo_twice_changes_nothing(demo):
    before = counts()
    passwords = dict(get_user_model().objects.values_list("username", "password"))
    files = sorted(demo.media.rglob("*"))

    # Another day, too: the current year is written once, not moved to the new day.
    output = load("--today", "20/12/2026")

    assert counts() == before
    assert dict(get_user_model().objects.values_list("username", "password")) == passwords
    assert sorted(demo.media.rglob("*")) == files
    run = output[output.index("  This run"):]
    assert "0 rows created, 0 updated (nothing to do)" in run
    for label in ("Campaigns:", "Reports:", "Scoring:"):
        assert f"{label:<16}0 created (nothing to do)" in run, label
    assert "Award history:  0 rows created (nothing to do)" in run
    assert "Commendation:   0 lists and 0 decision(s) created for 2022\n" in run


def test_load_demo_refuses_without_force_when_debug_is_off(settings):
    settings.DEBUG = False
    before = counts()

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=io.StringIO())

    assert counts() == before


def test_load_demo_refuses_a_departments_own_database(settings, django_user_model):
    # `make run` after `make start`: the department's administrator and units are there.
    settings.DEBUG = True
    from units.models import Unit, UnitKind
    Unit.objects.create(code="bgd", name="Ban Giám đốc", kind=UnitKind.BOARD)
    django_user_model.objects.create_superuser("khoatm", "khoa@example.vn", "x" * 12)
    before = counts()

    with pytest.raises(CommandError, match="department's own data") as refused:
        call_command("load_demo", stdout=io.StringIO())

    assert "units Ban Giám đốc; administrators khoatm" in str(refused.value)
    assert "make serve" in str(refused.value)
    assert counts() == before


def test_no_fixed_typo_remains_in_stored_text(demo):
    texts = []
    campaign = Campaign.objects.get(year=2022)
    texts += [campaign.title, campaign.preamble, campaign.purposes, campaign.requirements]
    texts += list(LegalBasis.objects.values_list("subject", flat=True))
    texts += list(ContentItem.objects.values_list("text", flat=True))
    texts += list(Duty.objects.values_list("text", flat=True))
    texts += list(Recipient.objects.values_list("name", flat=True))
    for text in texts:
        for typo in FIXED_TYPOS:
            assert typo not in text, (typo, text[:80])
    assert "thông tin điện tử, công khai thủ tục hành chính trên bảng tin, Website" in (
        ContentItem.objects.get(campaign=campaign, number=4).text)


def test_demo_tasks_cover_all_ten_content_items(demo):
    tasks = Task.objects.filter(item__campaign__year=2022)
    assert set(tasks.values_list("item__number", flat=True)) == set(range(1, 11))
    assert not tasks.filter(assignments__isnull=True).exists()
    assert not tasks.filter(lead_unit__isnull=True).exists()
    assert {task.deadline.year for task in tasks} == {2022}
    assert tasks.filter(title="Cập nhật dữ liệu TTHC trên Cổng dịch vụ công",
                        indicator_kind="count", cadence="monthly").exists()
    # Some tasks go to every school and centre, some to every department, some to a few units.
    affiliated = Unit.objects.affiliated().count()
    internal = Unit.objects.internal().count()
    sizes = {task.assignments.count() for task in tasks}
    assert affiliated in sizes and internal in sizes and 1 in sizes


def test_demo_reports_are_in_every_status_and_2022_is_dated_in_2022(demo):
    # Every status is in the demo; the current year holds the ones still in progress.
    reports = ProgressReport.objects.all()
    assert set(reports.values_list("status", flat=True)) == set(ReportStatus.values)
    assert all(reports.filter(status=ReportStatus.RETURNED).values_list("return_reason",
                                                                        flat=True))
    assert ReportEvent.objects.filter(action=ReportAction.RESUBMITTED).exists()
    reports = reports.filter(assignment__task__item__campaign__year=2022)
    late = [r for r in reports.exclude(submitted_at=None) if r.is_late]
    assert 0 < len(late) < reports.exclude(submitted_at=None).count() / 2
    cutoff = datetime.datetime(2023, 1, 1, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    assert not ReportEvent.objects.filter(report__in=reports, at__gte=cutoff).exists()
    assert not reports.filter(submitted_at__gte=cutoff).exists()
    assert not reports.filter(reviewed_at__gte=cutoff).exists()
    # Every audit line is of 2022, or of the current year's plan, copied from it in December
    # of the year before at the earliest.
    live = Campaign.objects.get(copied_from__year=2022)
    assert not AuditEntry.objects.filter(
        at__gte=cutoff, at__lt=datetime.datetime(live.year - 1, 12, 1, tzinfo=cutoff.tzinfo)
    ).exists()
    # On the demo's day of 2022 some past periods had no report at all: overdue.
    today = datetime.date(2022, 10, 25)
    overdue = [a for a in Assignment.objects.filter(task__item__campaign__year=2022)
               .with_progress(today) if a.overdue_count(today)]
    assert overdue


def test_demo_2022_ends_with_nothing_waiting_and_few_periods_never_sent(demo):
    reports = ProgressReport.objects.filter(assignment__task__item__campaign__year=2022)
    # The Office reviewed everything sent before closing the plan; the units corrected what
    # was returned and sent their drafts.
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.ACCEPTED}
    end = datetime.date(2022, 12, 31)
    assignments = list(Assignment.objects.filter(task__item__campaign__year=2022)
                       .with_progress(end))
    due = sum(len(a.due_periods(end)) for a in assignments)
    never_sent = sum(a.overdue_count(end) for a in assignments)
    assert 0 < never_sent < due / 20
    # The reports the scoring read (due by its cut-off) were reviewed after it was locked.
    scoring_read = reports.filter(period_due__lte=datetime.date(2022, 9, 30))
    late_reviews = scoring_read.filter(reviewed_at__date__gte=datetime.date(2022, 12, 17))
    assert late_reviews.exists()
    assert not scoring_read.filter(reviewed_at__date__gt=datetime.date(2022, 10, 25),
                                   reviewed_at__date__lt=datetime.date(2022, 12, 17)).exists()


def test_demo_reports_are_written_by_the_units_heads_and_reviewed_by_office_or_union(demo):
    events = ReportEvent.objects.select_related("actor__staff_member", "report__assignment")
    for event in events.exclude(action__in=[ReportAction.RETURNED, ReportAction.ACCEPTED]):
        member = event.actor.staff_member
        assert member.role == Role.UNIT_HEAD
        assert member.unit_id == event.report.assignment.unit_id
    reviewers = set(events.filter(action__in=[ReportAction.RETURNED, ReportAction.ACCEPTED])
                    .values_list("actor__username", flat=True))
    assert reviewers == {"vanphong", "congdoan"}


def test_demo_evidence_files_are_real_and_match_their_checksum(demo):
    media_root = demo.media
    evidence = list(Evidence.objects.all())
    assert len(evidence) >= 10
    assert {e.extension for e in evidence} == {"pdf", "png"}
    for item in evidence:
        path = Path(item.file.path)
        assert path.is_relative_to(media_root) and path.is_file()
        content = path.read_bytes()
        assert hashlib.sha256(content).hexdigest() == item.sha256
        assert len(content) == item.size
        assert content.startswith(b"%PDF-" if item.extension == "pdf" else b"\x89PNG\r\n")
        assert item.report.events.filter(action=ReportAction.EVIDENCE_ADDED,
                                         values__sha256=item.sha256).exists()


def test_readme_demo_section_names_buttons_as_the_screens_do():
    """Every Vietnamese label README's "The demo" section puts in bold is one the portal shows
    (a translation in the catalogue), so a renamed button shows up here."""
    base = Path(django_settings.BASE_DIR)
    readme = (base / "README.md").read_text()
    section = readme[readme.index("\n## The demo\n"):]
    section = section[:section.index("\n## ", 1)]
    names = {" ".join(name.split()) for name in re.findall(r"\*\*(.+?)\*\*", section, re.S)}
    names = {name for name in names if re.search(r"[À-ỹĐđ]", name)}
    shown = {entry.msgstr for entry in polib.pofile(
        str(base / "locale" / "vi" / "LC_MESSAGES" / "django.po"))}
    assert len(names) >= 10
    assert sorted(names - shown) == []


def test_demo_holds_the_seniority_medal_accepted_with_its_draft_dossier(demo):
    from awards.dossiers import checklist
    from awards.models import Dossier, SpecialProposal, SpecialStatus

    medal = SpecialProposal.objects.get(award__code="ky-niem-chuong-vi-su-nghiep-giao-duc")
    assert medal.status == SpecialStatus.ACCEPTED and medal.decision is None
    dossier = Dossier.objects.get(award=medal.award, year=2022)
    assert (dossier.recipient, dossier.status) == ("ministry", "draft")
    assert checklist(dossier).missing == [
        f"{medal.staff.full_name}: thiếu báo cáo thành tích đã ký."]
