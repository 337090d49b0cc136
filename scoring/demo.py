"""The scoring of the 2022 plan for the demo: a 100-point scheme and four rounds of assessment.

Used by `manage.py load_demo` through `load(context)`, after units, campaigns and tasks. In late
October 2022 the Office sets up the scheme: one criterion per content item of the plan, three of
them split into sub-criteria, scored from the task data up to the cut-off of 30/09/2022 or by
hand with evidence. Then, in November and December:

- 01/11 the Office opens the self-assessment; every unit head enters the manual criteria (a note,
  or a PDF as evidence for a few), and all but three confirm their sheet by 15/11;
- 16/11 the council (Office and Union) appraises: it lowers eight units' points for want of
  evidence and raises one unit that under-rated itself;
- 28/11 the explanation round: four of the lowered units explain;
- 05/12 the final appraisal: the council restores points where the explanation holds up.

The final round is left open; the awards demo (awards.demo_nominations) locks it as the director
on 16/12/2022, since the year-end titles read the locked classes. Every write goes through
scoring.services as the person who would make it (the Office, the Union, each unit's head), and
is then back-dated to 2022: rounds, confirmations, scores, evidence and the audit lines this
module writes.

Keys: the scheme is the campaign's (one-to-one); criteria by number. A scheme that already exists
is left alone whatever its stage, so a re-run writes nothing. Points come from
random.Random(2022) drawn in a fixed order, so every machine gets the same figures.
"""

import datetime
import random
import zoneinfo
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation

from campaigns.models import Campaign
from core.audit.trail import dated, record
from core.uploads import check_evidence
from tasks.demo import ascii_text, minimal_pdf
from tasks.models import Task
from units.demo import OFFICE_USERNAME, UNION_USERNAME
from units.models import AFFILIATED_KINDS, Role, StaffMember

from . import services
from .models import Cluster, Criterion, Round, Rule, Scheme, Score, ScoreEvidence, Sheet

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


CUTOFF = D(2022, 9, 30)
SCHEME_CREATED = _at(D(2022, 10, 31), 9, 30)
# (opened, deadline) of each round; a round closes when the next one opens.
SELF_OPENED, SELF_DEADLINE = _at(D(2022, 11, 1), 14, 0), D(2022, 11, 15)
APPRAISAL_OPENED, APPRAISAL_DEADLINE = _at(D(2022, 11, 16), 16, 30), D(2022, 11, 25)
EXPLANATION_OPENED, EXPLANATION_DEADLINE = _at(D(2022, 11, 28), 8, 0), D(2022, 12, 2)
FINAL_OPENED, FINAL_DEADLINE = _at(D(2022, 12, 5), 8, 30), D(2022, 12, 15)

BANDS = [[100, 100], [80, 75], [50, 50]]
# Count targets are for the whole year and the cut-off falls after nine months: reaching 75 % of
# the target by then is on track.
YEAR_BANDS = [[75, 100], [50, 75], [25, 50]]
QUARTER = Decimal("0.25")


@dataclass(frozen=True)
class CriterionSpec:
    number: str
    item: int
    title: str
    max_points: int
    rule: str = Rule.MANUAL
    tasks: tuple[str, ...] = ()  # titles of the item's tasks (tasks/demo.py TASKS); () = all
    bands: tuple = ()
    guidance: str = ""
    # Manual criteria: the head's note when the unit attaches no evidence, as it did well or not.
    notes: tuple[str, ...] = ()
    notes_short: tuple[str, ...] = ()
    evidence: tuple[str, str] = ("", "")  # (file name, heading) when a unit attaches a PDF


PROPORTIONAL, BANDED, TIMELY = Rule.PROPORTIONAL, Rule.BANDS, Rule.TIMELINESS

# Top-level maxima: 12 + 10 + 8 + 10 + 10 + 10 + 12 + 10 + 10 + 8 = 100.
CRITERIA = [
    CriterionSpec("1", 1, "Trách nhiệm lãnh đạo, công khai thủ tục hành chính", 12),
    CriterionSpec(
        "1.1", 1, "Lãnh đạo, chỉ đạo triển khai nhiệm vụ cải cách hành chính", 4,
        guidance="Văn bản chỉ đạo, phân công thực hiện nhiệm vụ cải cách hành chính của thủ "
                 "trưởng đơn vị; kế hoạch và biên bản kiểm tra nội bộ; biên bản họp giao ban có "
                 "nội dung cải cách hành chính.",
        notes=("Thủ trưởng đơn vị ban hành văn bản phân công cụ thể; cải cách hành chính là nội "
               "dung thường xuyên của họp giao ban hằng tháng.",
               "Đơn vị có kế hoạch kiểm tra nội bộ về cải cách hành chính, đã kiểm tra 02 lần "
               "trong năm; biên bản lưu tại đơn vị."),
        notes_short=("Đơn vị chưa ban hành kế hoạch kiểm tra nội bộ; việc chỉ đạo chủ yếu lồng "
                     "ghép trong các cuộc họp giao ban.",),
        evidence=("van-ban-chi-dao-CCHC-2022.pdf", "VAN BAN CHI DAO THUC HIEN CCHC NAM 2022"),
    ),
    CriterionSpec("1.2", 1, "Công khai danh mục thủ tục hành chính thuộc thẩm quyền", 4,
                  PROPORTIONAL,
                  ("Công khai 100 % danh mục thủ tục hành chính thuộc thẩm quyền",)),
    CriterionSpec("1.3", 1, "Ban hành kế hoạch cải cách hành chính năm 2022 của đơn vị", 4,
                  PROPORTIONAL, ("Ban hành kế hoạch cải cách hành chính năm 2022 của đơn vị",)),
    CriterionSpec("2", 2, "Thực hiện cơ chế một cửa, một cửa liên thông", 10, PROPORTIONAL),
    CriterionSpec("3", 3, "Kiểm tra, giám sát việc tiếp nhận, giải quyết thủ tục hành chính", 8,
                  BANDED, bands=BANDS),
    CriterionSpec("4", 4, "Dữ liệu thủ tục hành chính, thông tin điện tử", 10, BANDED,
                  bands=YEAR_BANDS),
    CriterionSpec("5", 5, "Tinh gọn tổ chức bộ máy, vị trí việc làm", 10, TIMELY),
    CriterionSpec("6", 6, "Đào tạo, bồi dưỡng chuyên môn, nghiệp vụ", 10),
    CriterionSpec("6.1", 6, "Cử cán bộ, giáo viên tham gia bồi dưỡng chuyên môn, nghiệp vụ", 6,
                  BANDED, ("Cử cán bộ tham gia bồi dưỡng chuyên môn",), bands=YEAR_BANDS),
    CriterionSpec(
        "6.2", 6, "Công chức hoàn thành bồi dưỡng kỹ năng ứng dụng công nghệ thông tin", 4,
        tasks=("Bồi dưỡng kỹ năng ứng dụng công nghệ thông tin cho công chức",),
        guidance="Danh sách học viên hoàn thành lớp bồi dưỡng do Sở tổ chức; giấy chứng nhận "
                 "hoặc chứng thư số đã cấp cho công chức của phòng.",
        notes=("100 % công chức của phòng hoàn thành lớp bồi dưỡng ngày 15/10/2022 và đã được "
               "cấp chứng thư số.",
               "Công chức của phòng đã hoàn thành lớp bồi dưỡng; 100 % văn bản đi được ký số."),
        notes_short=("01 công chức chưa hoàn thành lớp do đi công tác; sẽ học bù trong đợt 2.",),
        evidence=("danh-sach-hoan-thanh-lop-CNTT.pdf", "DANH SACH HOC VIEN HOAN THANH LOP CNTT"),
    ),
    CriterionSpec(
        "7", 7, "Giáo dục chính trị, tư tưởng, đạo đức, lối sống", 12,
        guidance="Kế hoạch và biên bản học tập chuyên đề năm 2022 về tư tưởng, đạo đức, phong "
                 "cách Hồ Chí Minh; danh sách cán bộ, công chức, viên chức đăng ký nội dung làm "
                 "theo; báo cáo sơ kết; ảnh hoạt động tuyên truyền.",
        notes=("Đã tổ chức học tập chuyên đề năm 2022; 100 % {staff} đăng ký nội dung làm theo; "
               "biên bản lưu tại đơn vị.",
               "Lồng ghép sinh hoạt chính trị, tư tưởng vào sinh hoạt chuyên môn hằng tháng; "
               "không có {staff} vi phạm đạo đức, lối sống.",
               "Tuyên truyền chuyên đề năm 2022 trên bảng tin và Website; tổ chức sơ kết việc "
               "làm theo vào tháng 9/2022."),
        notes_short=("Đơn vị mới tổ chức học tập chuyên đề cho một phần {staff}; chưa sơ kết "
                     "việc làm theo.",
                     "Chưa tổ chức được buổi học tập tập trung do trùng lịch thi; {staff} tự "
                     "nghiên cứu tài liệu."),
        evidence=("bien-ban-hoc-tap-chuyen-de-2022.pdf", "BIEN BAN HOC TAP CHUYEN DE NAM 2022"),
    ),
    CriterionSpec("8", 8, "Phòng, chống tham nhũng; giải quyết khiếu nại, tố cáo", 10, BANDED,
                  bands=BANDS),
    CriterionSpec("9", 9, "Công khai, minh bạch, phát huy dân chủ", 10),
    CriterionSpec("9.1", 9, "Thực hiện công khai theo quy định", 5, PROPORTIONAL),
    CriterionSpec(
        "9.2", 9, "Phát huy dân chủ; giải quyết kiến nghị của tổ chức, cá nhân", 5,
        guidance="Biên bản hội nghị cán bộ, công chức, viên chức; quy chế dân chủ ở cơ sở đã ban "
                 "hành; sổ theo dõi tiếp nhận, trả lời kiến nghị, phản ánh.",
        notes=("Tổ chức hội nghị đầu năm, công khai quy chế dân chủ; các kiến nghị của cha mẹ "
               "học sinh, người dân đều được trả lời bằng văn bản.",
               "Thực hiện nghiêm quy chế dân chủ ở cơ sở; hộp thư góp ý mở hằng tháng, có sổ "
               "theo dõi."),
        notes_short=("Chưa có sổ theo dõi tiếp nhận, trả lời kiến nghị; đơn vị sẽ bổ sung trong "
                     "quý IV.",),
        evidence=("bien-ban-hoi-nghi-dau-nam.pdf", "BIEN BAN HOI NGHI CAN BO, VIEN CHUC"),
    ),
    CriterionSpec(
        "10", 10, "Giải pháp, sáng kiến; khen thưởng kịp thời", 8,
        guidance="Phiếu đề xuất giải pháp, sáng kiến cải cách hành chính; quyết định công nhận "
                 "sáng kiến (nếu có); tờ trình, quyết định khen thưởng tập thể, cá nhân có thành "
                 "tích trong phong trào.",
        notes=("Đơn vị đề xuất 01 giải pháp cải cách hành chính, đang chờ Hội đồng sáng kiến xét "
               "công nhận.",
               "Kịp thời đề nghị khen thưởng 02 cá nhân có thành tích trong phong trào; có tờ "
               "trình kèm theo."),
        notes_short=("Đơn vị chưa có giải pháp, sáng kiến được công nhận trong năm 2022.",),
        evidence=("phieu-de-xuat-giai-phap-CCHC.pdf",
                  "PHIEU DE XUAT GIAI PHAP CAI CACH HANH CHINH"),
    ),
]

# How well each unit did its manual criteria: the share of the maximum it claims, low–high.
PROFILES = {"A": (0.9, 1.0), "B": (0.8, 0.95), "C": (0.7, 0.88), "D": (0.5, 0.72)}
UNIT_PROFILES = {
    "van-phong": "A", "phong-tccb": "B", "phong-khtc": "B", "phong-gdtrh": "B",
    "phong-gdmn-gdth": "C", "phong-gdcn-gdtx": "D", "phong-ktqlcl": "C", "thanh-tra": "A",
    "thpt-chuyen-quang-trung": "A", "thpt-chuyen-binh-long": "A", "thpt-hung-vuong": "B",
    "thpt-dong-xoai": "A", "thpt-nguyen-du": "C", "thpt-phuoc-binh": "B", "thpt-loc-ninh": "B",
    "thpt-bu-dang": "C", "thpt-chon-thanh": "B", "thpt-dong-phu": "C", "thpt-nguyen-hue": "B",
    "thpt-phu-rieng": "C", "thpt-dak-o": "D", "pt-dtnt-tinh": "B", "tt-gdtx-tinh": "D",
}
# Points a head enters whatever the draw (the council raises the first one).
FIXED_POINTS = {("thpt-chuyen-quang-trung", "10"): Decimal(6)}
# Units that attach a PDF to one manual criterion instead of writing a note.
EVIDENCE = {"van-phong": "1.1", "thanh-tra": "6.2", "thpt-chuyen-quang-trung": "7",
            "thpt-dong-xoai": "7", "thpt-hung-vuong": "9.2", "pt-dtnt-tinh": "10"}
# Heads who leave their self-assessment unconfirmed at the deadline.
UNCONFIRMED = {"phong-gdcn-gdtx", "thpt-dak-o", "tt-gdtx-tinh"}


@dataclass(frozen=True)
class Appraisal:
    """The council changes one unit's points on one criterion, then perhaps relents."""

    unit: str
    number: str
    change: Decimal  # added to the self-assessed points (negative: lowered)
    comment: str
    reviewer: str = OFFICE_USERNAME
    explanation: str = ""  # the unit's answer in the explanation round
    restore: Decimal = Decimal(0)  # points given back in the final appraisal
    final_comment: str = ""


APPRAISALS = [
    Appraisal("phong-gdcn-gdtx", "1.1", Decimal(-2),
              "Chưa có tài liệu kiểm chứng (văn bản chỉ đạo, kế hoạch và biên bản kiểm tra nội "
              "bộ về cải cách hành chính)."),
    Appraisal("thpt-nguyen-du", "7", Decimal(-3),
              "Chưa có tài liệu kiểm chứng: biên bản học tập chuyên đề năm 2022 và danh sách "
              "viên chức đăng ký làm theo.", UNION_USERNAME,
              "Đơn vị tổ chức học tập chuyên đề ngày 18/6/2022; đã gửi bổ sung biên bản và danh "
              "sách đăng ký làm theo qua hệ thống quản lý văn bản ngày 29/11/2022.",
              Decimal(3), "Đơn vị đã bổ sung biên bản học tập chuyên đề; Hội đồng thống nhất giữ "
                          "điểm tự đánh giá."),
    Appraisal("thpt-bu-dang", "10", Decimal(-3),
              "Giải pháp nêu trong phiếu tự đánh giá chưa được công nhận; chưa có tờ trình khen "
              "thưởng kèm theo.", OFFICE_USERNAME,
              "Giải pháp “Số hóa hồ sơ học sinh” đã được Hội đồng sáng kiến cơ sở công nhận ngày "
              "28/11/2022; đơn vị gửi kèm bản chụp quyết định qua hệ thống quản lý văn bản.",
              Decimal(2), "Quyết định công nhận ban hành sau ngày chốt số liệu 30/09/2022; Hội "
                          "đồng cộng lại 2 điểm cho giải pháp đã đề xuất trong năm."),
    Appraisal("thpt-dong-phu", "9.2", Decimal("-1.5"),
              "Chưa có biên bản hội nghị viên chức năm học 2022 – 2023.", OFFICE_USERNAME,
              "Hội nghị viên chức tổ chức ngày 24/9/2022; biên bản đã gửi Văn phòng ngày "
              "30/11/2022.",
              Decimal("1.5"), "Văn phòng đã nhận biên bản hội nghị viên chức; Hội đồng điều chỉnh "
                              "lại điểm."),
    Appraisal("thpt-dong-phu", "7", Decimal(-2),
              "Chưa có tài liệu kiểm chứng việc học tập chuyên đề năm 2022.", UNION_USERNAME,
              "Đơn vị đã tổ chức học tập chuyên đề nhưng biên bản bị thất lạc khi chuyển phòng "
              "làm việc; đang lập lại danh sách ký xác nhận.",
              Decimal(0), "Chưa có tài liệu kiểm chứng bổ sung; Hội đồng giữ nguyên điểm thẩm "
                          "định."),
    Appraisal("thpt-dak-o", "7", Decimal("-2.5"),
              "Chưa có tài liệu kiểm chứng; đơn vị chưa tổ chức học tập chuyên đề tập trung.",
              UNION_USERNAME),
    Appraisal("tt-gdtx-tinh", "10", Decimal(-3),
              "Chưa có phiếu đề xuất giải pháp, sáng kiến; không có tờ trình khen thưởng trong "
              "năm."),
    Appraisal("phong-khtc", "10", Decimal(-2),
              "Chưa có tài liệu kiểm chứng: phiếu đề xuất giải pháp gửi Văn phòng.",
              OFFICE_USERNAME,
              "Phòng đã gửi phiếu đề xuất giải pháp “Lập dự toán trên phần mềm dùng chung” về "
              "Văn phòng ngày 12/10/2022 (văn bản số 85/KHTC).",
              Decimal(2), "Văn phòng xác nhận đã nhận phiếu đề xuất ngày 12/10/2022; Hội đồng "
                          "điều chỉnh lại điểm."),
    Appraisal("thpt-phu-rieng", "1.1", Decimal("-1.5"),
              "Chưa có tài liệu kiểm chứng: kế hoạch và biên bản kiểm tra nội bộ về cải cách "
              "hành chính."),
    Appraisal("thpt-chuyen-quang-trung", "10", Decimal(2),
              "Đơn vị có sáng kiến được UBND tỉnh công nhận tháng 10/2022 nhưng chưa kê khai "
              "trong phiếu tự đánh giá; Hội đồng điều chỉnh tăng điểm."),
]


def _quarter(value: Decimal) -> Decimal:
    """Points as councils write them: in steps of 0.25."""
    return (value / QUARTER).quantize(Decimal(1), rounding=ROUND_HALF_UP) * QUARTER


def _working_time(rng, first: datetime.date, last: datetime.date) -> datetime.datetime:
    """A time in office hours on a weekday between two dates (inclusive)."""
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    day = rng.choice([d for d in days if d.weekday() < 5])
    return _at(day, rng.choice([7, 8, 9, 10, 14, 15, 16]), rng.choice(range(0, 60, 5)))


class _Clock:
    """Back-dates whichever scores, sheet or evidence a service call just wrote. (The audit
    lines are append-only: the callers record them at their day with `core.audit.trail.dated`.)"""

    def stamp(self, at, *, scores=(), sheet=None, evidence=None):
        if scores:
            Score.objects.filter(pk__in=[s.pk for s in scores]).update(updated_at=at)
        if sheet is not None:
            Sheet.objects.filter(pk=sheet.pk).update(confirmed_at=at)
        if evidence is not None:
            ScoreEvidence.objects.filter(pk=evidence.pk).update(uploaded_at=at)


# --- the scheme -------------------------------------------------------------------------------

def create_scheme(*, campaign, office_user, clock) -> Scheme:
    """The scheme and its criteria, written with the ORM and audited as the Office's."""
    items = {item.number: item for item in campaign.items.all()}
    tasks = {(t.item.number, t.title): t
             for t in Task.objects.filter(item__campaign=campaign).select_related("item")}
    scheme = Scheme.objects.create(campaign=campaign, scale=100, cutoff=CUTOFF)
    parents = {}
    for order, spec in enumerate(CRITERIA, start=1):
        parent = parents.get(spec.number.split(".")[0]) if "." in spec.number else None
        criterion = Criterion.objects.create(
            scheme=scheme, item=items[spec.item], parent=parent, number=spec.number,
            title=spec.title, max_points=spec.max_points, rule=spec.rule,
            bands=[list(band) for band in spec.bands], deduction=Decimal("0.5"),
            guidance=spec.guidance, order=order)
        if parent is None:
            parents[spec.number] = criterion
        if spec.tasks:
            missing = [title for title in spec.tasks if (spec.item, title) not in tasks]
            if missing:
                raise LookupError(f"Criterion {spec.number}: no task {missing[0]!r} in item "
                                  f"{spec.item} (see tasks/demo.py TASKS)")
            criterion.tasks.set([tasks[(spec.item, title)] for title in spec.tasks])
    services.check_scheme(scheme)
    with dated(SCHEME_CREATED):
        record(actor=office_user, action="scoring.scheme_create", target=scheme, before=None,
               after={"scale": "100", "cutoff": CUTOFF.isoformat(),
                      "criteria": {"added": len(CRITERIA), "changed": 0, "deleted": 0}})
    return scheme


# --- the rounds -------------------------------------------------------------------------------

class _Rounds:
    """Plays the four rounds through scoring.services, each step as the person who takes it."""

    def __init__(self, scheme, office_user, clock):
        User = get_user_model()
        self.scheme = scheme
        self.clock = clock
        self.users = {u.username: u for u in User.objects.filter(
            username__in=[OFFICE_USERNAME, UNION_USERNAME])}
        self.office = office_user
        self.heads = {}
        for member in (StaffMember.objects.filter(role=Role.UNIT_HEAD, is_active=True,
                                                  user__isnull=False, user__is_active=True)
                       .select_related("user").order_by("pk")):
            self.heads.setdefault(member.unit_id, member.user)
        self.rng = random.Random(2022)
        self.specs = {spec.number: spec for spec in CRITERIA}
        self.claimed = {}  # (unit code, number) → self-assessed points
        self.evidence_files = 0

    def sheets(self, round_):
        return list(Sheet.objects.filter(round=round_)
                    .select_related("unit", "round__scheme").order_by("unit__order",
                                                                      "unit__code"))

    def scores(self, sheet) -> dict[str, Score]:
        return {s.criterion.number: s for s in Score.objects.filter(
            round=sheet.round, unit=sheet.unit).select_related("criterion", "round")}

    def save(self, sheet, changes, user, at):
        with dated(at):
            services.save_sheet(sheet=sheet, changes=changes, user=user,
                                expected_version=sheet.version)
        self.clock.stamp(at, scores=list(changes))

    def open_self(self):
        with dated(SELF_OPENED):
            round_ = services.open_first_round(scheme=self.scheme, deadline=SELF_DEADLINE,
                                               user=self.office)
        Round.objects.filter(pk=round_.pk).update(opened_at=SELF_OPENED)
        return round_

    def self_assessment(self, round_):
        rng = self.rng
        for sheet in self.sheets(round_):
            unit = sheet.unit
            head = self.heads.get(unit.pk)
            low, high = PROFILES[UNIT_PROFILES.get(unit.code, "B")]
            staff = "viên chức" if unit.kind in AFFILIATED_KINDS else "công chức"
            at = _working_time(rng, D(2022, 11, 2), D(2022, 11, 14))
            scores = self.scores(sheet)
            changes = {}
            attached = EVIDENCE.get(unit.code)
            for number, score in scores.items():
                spec = self.specs[number]
                share = Decimal(str(round(rng.uniform(low, high), 3)))
                points = FIXED_POINTS.get((unit.code, number),
                                          _quarter(spec.max_points * share))
                note_good, note_short = rng.choice(spec.notes or ("",)), rng.choice(
                    spec.notes_short or ("",))
                if score.criterion.is_automatic or not score.applicable:
                    continue
                note = (note_good if share >= Decimal("0.8") else note_short).format(staff=staff)
                if attached == number:
                    note = ""
                changes[score] = (points, note)
            if head is None:
                continue
            self.claimed.update({(unit.code, s.criterion.number): points
                                 for s, (points, _note) in changes.items()})
            if attached:
                name, heading = self.specs[attached].evidence
                upload = SimpleUploadedFile(name, minimal_pdf([
                    heading, ascii_text(unit.name), "Tai lieu kiem chung - tu danh gia 2022",
                    "So GD&DT Binh Phuoc - du lieu minh hoa (demo)"]), "application/pdf")
                with dated(at):
                    evidence = services.add_score_evidence(score=scores[attached],
                                                           checked=check_evidence(upload),
                                                           upload=upload, user=head)
                self.evidence_files += 1
                self.clock.stamp(at, evidence=evidence)
                at += datetime.timedelta(minutes=rng.randint(5, 25))
            self.save(sheet, changes, head, at)
            if unit.code not in UNCONFIRMED:
                at = _working_time(rng, at.date() + datetime.timedelta(days=1), SELF_DEADLINE)
                sheet.refresh_from_db()  # the totals save_sheet wrote, for the audit line
                with dated(at):
                    services.confirm_sheet(sheet=sheet, user=head,
                                           expected_version=sheet.version)
                self.clock.stamp(at, sheet=sheet)

    def advance(self, deadline, at):
        with dated(at):
            new = services.advance(scheme=self.scheme, deadline=deadline, user=self.office)
        Round.objects.filter(scheme=self.scheme, closed_at__isnull=False,
                             closed_at__gte=datetime.datetime(2023, 1, 1, tzinfo=TZ)).update(
            closed_at=at)
        Round.objects.filter(pk=new.pk).update(opened_at=at)
        return new

    def _by_unit(self, round_):
        return {sheet.unit.code: sheet for sheet in self.sheets(round_)}

    def appraise(self, round_):
        sheets = self._by_unit(round_)
        for appraisal in APPRAISALS:
            sheet = sheets.get(appraisal.unit)
            claimed = self.claimed.get((appraisal.unit, appraisal.number))
            if sheet is None or claimed is None:
                continue
            score = self.scores(sheet)[appraisal.number]
            points = min(max(Decimal(0), claimed + appraisal.change), score.criterion.max_points)
            at = _working_time(self.rng, D(2022, 11, 17), D(2022, 11, 24))
            self.save(sheet, {score: (points, appraisal.comment)},
                      self.users[appraisal.reviewer], at)

    def explain(self, round_):
        sheets = self._by_unit(round_)
        for appraisal in APPRAISALS:
            sheet = sheets.get(appraisal.unit)
            head = sheet and self.heads.get(sheet.unit_id)
            if not appraisal.explanation or head is None:
                continue
            score = self.scores(sheet)[appraisal.number]
            at = _working_time(self.rng, D(2022, 11, 29), EXPLANATION_DEADLINE)
            self.save(sheet, {score: (score.points, appraisal.explanation)}, head, at)

    def final(self, round_):
        sheets = self._by_unit(round_)
        for appraisal in APPRAISALS:
            sheet = sheets.get(appraisal.unit)
            if not appraisal.final_comment or sheet is None:
                continue
            score = self.scores(sheet)[appraisal.number]
            points = min(score.points + appraisal.restore, score.criterion.max_points)
            at = _working_time(self.rng, D(2022, 12, 6), D(2022, 12, 9))
            self.save(sheet, {score: (points, appraisal.final_comment)}, self.office, at)


def load_scoring_2022(*, campaign, office_user) -> dict:
    """Create the 2022 scheme and play its rounds up to an open final appraisal.

    Side effects: Scheme, Criterion, Round, Sheet, Score, ScoreEvidence (files in MEDIA_ROOT)
    and AuditEntry rows, written through scoring.services (the scheme with the ORM) and
    back-dated to October–December 2022. Does nothing when the campaign already has a scheme.
    Returns {"scheme", "created", "evidence" (files attached)}.
    """
    existing = Scheme.objects.filter(campaign=campaign).first()
    if existing is not None:
        return {"scheme": existing, "created": False, "evidence": 0}
    clock = _Clock()
    scheme = create_scheme(campaign=campaign, office_user=office_user, clock=clock)
    rounds = _Rounds(scheme, office_user, clock)
    rounds.self_assessment(rounds.open_self())
    rounds.appraise(rounds.advance(APPRAISAL_DEADLINE, APPRAISAL_OPENED))
    rounds.explain(rounds.advance(EXPLANATION_DEADLINE, EXPLANATION_OPENED))
    rounds.final(rounds.advance(FINAL_DEADLINE, FINAL_OPENED))
    Scheme.objects.filter(pk=scheme.pk).update(computed_at=FINAL_OPENED)
    # The tasks demo's report events ask scoring.recompute to recompute their unit once the
    # transaction commits, and by then this scheme has an open round. Those recomputes change no
    # score, but they stamp the scheme with today's date: set the 2022 date back after them.
    transaction.on_commit(lambda: Scheme.objects.filter(pk=scheme.pk).update(
        computed_at=FINAL_OPENED))
    scheme.refresh_from_db()
    return {"scheme": scheme, "created": True, "evidence": rounds.evidence_files}


def load(context: dict) -> None:
    """`load_demo` hook: the 2022 scheme and rounds, then the current year's open
    self-assessment (reads "campaign", "live_campaign", "live" and "office_user")."""
    from .demo_clusters import load_clusters
    from .demo_live import load_live_scoring  # it builds on this module

    campaign = context.get("campaign") or Campaign.objects.get(year=2022)
    # As in the portal, where people work in Vietnamese: the audit lines name rounds in it.
    with translation.override(settings.LANGUAGE_CODE):
        result = load_scoring_2022(campaign=campaign, office_user=context["office_user"])
        done = [(2022, result)]
        if context.get("live") is not None:
            done.append((context["live"].year, load_live_scoring(
                campaign=context["live_campaign"], source=result["scheme"],
                live=context["live"], office_user=context["office_user"])))
        made = load_clusters(office_user=context["office_user"],
                             today=context.get("today") or timezone.localdate())
    context["scoring_scheme"] = result["scheme"]
    done = [(year, r) for year, r in done if r["created"]]
    context.setdefault("summary", []).append(f"{'Scoring:':<16}" + ("; ".join(
        f"{year} scheme created ({r['evidence']} evidence files)" for year, r in done)
        or "0 created (nothing to do)"))
    context["summary"].append(
        f"{'Clusters:':<16}{made['clusters']} created for {made['year']}, "
        f"{made['marks']} peer marks, round closed" if made["clusters"]
        else f"{'Clusters:':<16}0 created (nothing to do)")


def summary(context: dict) -> list[tuple]:
    """`load_demo` hook, after every loader (the awards demo locks the 2022 scoring): each
    scheme's stage and rounds exactly as stored."""
    rows = []
    for scheme in Scheme.objects.select_related("campaign").order_by("campaign__year"):
        rounds = list(scheme.rounds.order_by("opened_at", "pk"))
        units = Sheet.objects.filter(round__in=rounds[:1]).count()
        states = ", ".join(
            f"{r.kind} " + (f"closed {timezone.localtime(r.closed_at):%d/%m/%Y}" if r.is_closed
                            else f"open, due {r.deadline:%d/%m/%Y}, "
                                 f"{r.sheets.filter(confirmed_at__isnull=False).count()} of "
                                 f"{r.sheets.count()} sheets confirmed")
            for r in rounds)
        rows += [
            (scheme.campaign.year, "Scoring:",
             f"stage {scheme.stage}; {scheme.criteria.count()} criteria "
             f"({scheme.criteria.filter(parent=None).count()} top-level, "
             f"{scheme.scale.normalize():f} points), {units} units scored"),
            (scheme.campaign.year, "Rounds:", states or "none opened yet"),
        ]
    for cluster in Cluster.objects.select_related("head").order_by("year", "name"):
        first = cluster.results.select_related("unit").order_by("rank").first()
        rows.append((cluster.year, "Cluster:", f"{cluster.name}: {cluster.members.count()} "
                     f"members, head {cluster.head.name}"
                     + (f"; first {first.unit.name} ({first.final})" if first else "")))
    return rows
