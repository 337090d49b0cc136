"""The 2022 plan of Sở GD&ĐT Bình Phước, entered from the signed document, for the demo.

Text from /work/shared/plan-2022.txt with the PDF line breaks joined and only obvious typos fixed;
docs/demo-data.md lists every fix and the header facts the source does not show (number, date,
signer), which are invented here.
"""

import datetime
import zoneinfo

from django.utils import timezone

from core.audit.trail import dated
from units.demo import DIRECTOR_USERNAME, ROOT_CODE, head_of, upsert
from units.models import AFFILIATED_KINDS, INTERNAL_KINDS, StaffMember, Unit, UnitKind

from . import services
from .demo_live import load_live_plan
from .models import (
    Campaign,
    ContentItem,
    Dissemination,
    Duty,
    LegalBasis,
    Recipient,
    RecipientPurpose,
)

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date

NUMBER, SYMBOL, YEAR = "25", "KH-SGDĐT", 2022
TITLE = "Toàn ngành đồng lòng thi đua nâng cao chỉ số cải cách hành chính"
ISSUED_ON = D(2022, 1, 14)  # invented: not in the source
LAUNCHED_AT = datetime.datetime(2022, 1, 17, 8, 0, tzinfo=TZ)

LEGAL_BASES = [
    ("Công văn", "4002/UBND-NC", D(2017, 11, 28), "UBND tỉnh",
     "gắn kết quả thực hiện nhiệm vụ cải cách hành chính với công tác thi đua, khen thưởng "
     "hàng năm"),
    ("Quyết định", "1967/QĐ-UBND", D(2021, 7, 28), "UBND tỉnh Bình Phước",
     "phê duyệt Đề án “Xác định Chỉ số cải cách hành chính của các cơ quan chuyên môn thuộc "
     "UBND tỉnh, UBND các huyện, thị xã, thành phố và UBND các xã, phường, thị trấn trên địa bàn "
     "tỉnh”"),
    ("Quyết định", "3223/QĐ-UBND", D(2021, 12, 27), "UBND tỉnh Bình Phước",
     # Source: "cải cách hành chính nhà năm 2022".
     "ban hành Kế hoạch cải cách hành chính nhà nước năm 2022 trên địa bàn tỉnh Bình Phước"),
    ("Kế hoạch", "03/KH-SGDĐT", D(2022, 1, 4), "Sở Giáo dục và Đào tạo",
     "ban hành Kế hoạch cải cách hành chính Nhà nước năm 2022"),
]

# The detail page renders the last basis as "… về việc <subject>, <preamble>".
PREAMBLE = (
    "Sở Giáo dục và Đào tạo xây dựng Kế hoạch phát động phong trào thi đua và triển khai "
    "thực hiện như sau:"
)

# Five paragraphs, as laid out in the source (each starts on a new indented line).
PURPOSES = [
    "Nhằm đẩy mạnh việc cải cách hành chính đồng bộ, toàn diện trên mọi lĩnh vực quản lý, trong "
    "đó xác định cải cách thủ tục hành chính, ứng dụng công nghệ thông tin, cắt giảm các thủ tục "
    "hành chính rườm rà chồng chéo, rút ngắn thời gian và chi phí thực hiện các thủ tục hành "
    "chính cho các cơ quan, đơn vị là nhiệm vụ trọng tâm; tiếp tục phát huy những kết quả tích "
    "cực trong hoạt động cải cách hành chính tại Sở Giáo dục và Đào tạo; triển khai thực hiện "
    "nghiêm túc, đầy đủ, kịp thời, công khai các thủ tục hành chính trên các lĩnh vực thuộc thẩm "
    "quyền quản lý của Sở.",
    "Đẩy mạnh cải cách hành chính, nâng cao hiệu quả hoạt động của cơ quan hành chính Nhà nước. "
    "Xây dựng hệ thống cơ quan hành chính thông suốt, trong sạch, vững mạnh, hiện đại, hiệu lực, "
    "hiệu quả; tăng cường tính dân chủ và pháp quyền trong hoạt động điều hành; nâng cao năng "
    "lực, trình độ của đội ngũ cán bộ, công chức, viên chức, nhân viên đáp ứng yêu cầu phục vụ "
    "nhân dân và các cơ quan, đơn vị.",
    "Tiếp tục công tác xây dựng, rà soát và hoàn thiện hệ thống văn bản quy phạm pháp luật, nâng "
    "cao chất lượng xây dựng và ban hành văn bản, đảm bảo việc cụ thể hóa các Nghị quyết của "
    "Đảng, pháp luật của Nhà nước đi vào cuộc sống người dân và các cơ quan đơn vị.",
    "Gắn với việc kiểm soát thủ tục hành chính và ứng dụng công nghệ thông tin trong việc quản "
    "lý Nhà nước. Tiếp tục cải tiến và duy trì hệ thống quản lý chất lượng theo tiêu chuẩn TCVN "
    "ISO 9001:2015 vào hoạt động quản lý hành chính nhằm nâng cao hiệu lực, hiệu quả quản lý Nhà "
    "nước đáp ứng yêu cầu công nghiệp hóa, hiện đại hóa, góp phần nâng cao sự hài lòng của người "
    "dân các cơ quan và đơn vị; từng bước nâng cao việc trang bị cơ sở vật chất, thiết bị ứng "
    "dụng công nghệ thông tin trong hoạt động điều hành và xử lý công việc.",
    "Tổ chức triển khai thực hiện có hiệu quả để hoàn thành các mục tiêu, nhiệm vụ của Kế hoạch "
    "cải cách hành chính Nhà nước năm 2022. Trong đó, tập trung vào các lĩnh vực, nhiệm vụ quản "
    "lý, điều hành của cơ quan; nâng cao trách nhiệm của người đứng đầu cơ quan trong việc thực "
    "hiện nhiệm vụ; gắn kết quả thực hiện nhiệm vụ cải cách hành chính với công tác thi đua, khen "
    "thưởng; rà soát sắp xếp lại tổ chức bộ máy theo hướng tinh gọn, hiệu lực, hiệu quả, thực "
    "hiện lộ trình tinh giản biên chế theo quy định; đẩy mạnh ứng dụng công nghệ thông tin, xây "
    "dựng chính quyền điện tử; tăng cường chấn chỉnh kỷ luật, kỷ cương hành chính góp phần nâng "
    "cao Chỉ số cải cách hành chính của tỉnh năm 2022.",
]

REQUIREMENTS = [
    "Xác định cụ thể nội dung, phân công nhiệm vụ cụ thể về cải cách hành chính và trách nhiệm, "
    "nhiệm vụ cụ thể của từng tập thể, cá nhân trong cơ quan.",
    "Đảm bảo sự phối hợp chặt chẽ giữa các phòng, văn phòng, đơn vị trực thuộc Sở và các cơ "
    "quan, đơn vị có liên quan; kịp thời đôn đốc, giải quyết, hướng dẫn tháo gỡ những vướng mắc, "
    "khó khăn trong quá trình tổ chức thực hiện.",
    "Kế thừa, phát huy những kết quả tích cực đã đạt được về cải cách hành chính trong thời gian "
    "qua; chủ động, tích cực, sáng tạo, quyết liệt trong việc áp dụng những giải pháp mới để "
    "thực hiện có hiệu quả Kế hoạch.",
    "Tăng cường trách nhiệm của người đứng đầu cơ quan trong việc thực hiện các nhiệm vụ cải "
    "cách hành chính, gắn việc thực hiện nhiệm vụ cải cách hành chính với công tác chuyên môn.",
    "Gắn kết quả thực hiện cải cách hành chính với công tác thi đua, khen thưởng. Qua đó, biểu "
    "dương, khen thưởng kịp thời các tập thể cá nhân có thành tích tiêu biểu xuất sắc trong thực "
    "hiện phong trào thi đua. Xử lý, kỷ luật nghiêm những tập thể, cá nhân vi phạm.",
]

CONTENT_ITEMS = [
    (1, "Trách nhiệm lãnh đạo, công khai TTHC",
     "Nâng cao trách nhiệm lãnh đạo, chỉ đạo của Lãnh đạo cơ quan trong việc triển khai thực "
     "hiện nhiệm vụ cải cách hành chính, nâng cao chỉ số cải cách hành chính; công khai danh mục "
     "thủ tục hành chính thuộc thẩm quyền giải quyết, đơn giản hóa các thủ tục hành chính, rút "
     "ngắn quy trình, thủ tục và thời gian thực hiện."),
    (2, "Cơ chế một cửa liên thông",
     "Thực hiện tốt cơ chế một cửa liên thông, phối hợp đồng bộ và có hiệu quả trong việc thực "
     "hiện những thủ tục hành chính có liên quan đến nhiều cơ quan, đơn vị."),
    (3, "Kiểm tra, giám sát giải quyết TTHC",
     "Tăng cường công tác theo dõi, kiểm tra, giám sát việc tiếp nhận và giải quyết các thủ tục "
     "hành chính; kiện toàn và nâng cao chất lượng cho đội ngũ làm đầu mối tiếp nhận, xử lý công "
     "việc."),
    (4, "Dữ liệu TTHC, thông tin điện tử",
     "Thực hiện cập nhật, hoàn thiện và đồng bộ dữ liệu thủ tục hành chính trên cổng hệ thống "
     "thông tin điện tử, công khai thủ tục hành chính trên bảng tin, Website, phương tiện thông "
     "tin ..."),
    (5, "Tinh gọn bộ máy",
     "Thực hiện tốt việc tinh gọn bộ máy, hoạt động hiệu lực, hiệu quả, giảm bớt đầu mối theo "
     "quy định của Trung ương và của tỉnh."),
    (6, "Đào tạo, bồi dưỡng chuyên môn",
     "Đào tạo, bồi dưỡng để nâng cao chất lượng công tác chuyên môn cho đội ngũ cán bộ, công "
     "chức, viên chức nhân viên cơ quan."),
    (7, "Chính trị, tư tưởng, đạo đức, lối sống",
     "Nâng cao công tác giáo dục chính trị, tư tưởng, đạo đức, lối sống cho cán bộ, công chức và "
     "nhân viên; đẩy mạnh việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."),
    (8, "Phòng, chống tham nhũng; khiếu nại, tố cáo",
     "Chấp hành nghiêm các quy định của pháp luật về phòng, chống tham nhũng; giải quyết tốt "
     "việc khiếu nại, tố cáo, xử lý nghiêm các trường hợp vi phạm theo quy định của pháp luật."),
    (9, "Công khai, minh bạch, dân chủ",
     "Công khai, minh bạch, phát huy cao tính dân chủ; giải quyết tốt các khó khăn, vướng mắc "
     "của tổ chức và cá nhân về các nội dung liên quan đến giáo dục."),
    (10, "Giải pháp, sáng kiến; khen thưởng kịp thời",
     "Đề xuất các giải pháp, sáng kiến thiết thực, hiệu quả trong thực hiện cải cách hành chính; "
     "khen thưởng, biểu dương kịp thời các tập thể, cá nhân có thành tích cao trong phong trào "
     "thi đua, có cách làm hay, sáng tạo, đem lại hiệu quả thiết thực."),
]

DUTIES = [
    (1, "Văn phòng phối hợp với Công đoàn theo dõi, giám sát, tổng hợp và báo cáo kết quả thực "
        "hiện phong trào thi đua; kết quả thực hiện phong trào thi đua là một trong những tiêu "
        "chí để bình xét thi đua, khen thưởng và đánh giá công chức cuối năm."),
    (2, "Các phòng, văn phòng và đơn vị trực thuộc, phổ biến Kế hoạch này đến toàn thể cán bộ, "
        "công chức, viên chức nhân viên của đơn vị mình quản lý."),
    (3, "Lãnh đạo Sở Giáo dục và Đào tạo đề nghị toàn thể cán bộ, công chức, nhân viên cơ quan "
        "và viên chức, người lao động các đơn vị trực thuộc bám sát và thực hiện có hiệu quả Kế "
        "hoạch này./."),
]

RECIPIENTS = [
    ("Ban TĐ-KT tỉnh", RecipientPurpose.REPORT),
    ("BGĐ", RecipientPurpose.REPORT),
    ("Các phòng thuộc Sở", RecipientPurpose.IMPLEMENT),
    ("Các đơn vị trực thuộc", RecipientPurpose.IMPLEMENT),
    ("VT, VP", RecipientPurpose.ARCHIVE),
]

# Units that confirmed dissemination in the demo: (unit code, date, staff absent, note, time).
# Everyone else stays pending: Phòng GDCN-GDTX, six schools and the GDTX centre.
CONFIRMATIONS = [
    ("van-phong", D(2022, 1, 18), 0, "Phổ biến tại cuộc họp giao ban cơ quan.", (16, 10)),
    ("phong-tccb", D(2022, 1, 18), 0, "", (15, 40)),
    ("phong-khtc", D(2022, 1, 19), 1, "01 chuyên viên đi học, đã gửi Kế hoạch qua email.",
     (9, 25)),
    ("phong-gdtrh", D(2022, 1, 18), 0, "Phổ biến tại cuộc họp phòng.", (14, 5)),
    ("phong-gdmn-gdth", D(2022, 1, 20), 0, "", (10, 30)),
    ("phong-ktqlcl", D(2022, 1, 21), 0, "Phổ biến tại cuộc họp phòng.", (16, 45)),
    ("thanh-tra", D(2022, 1, 19), 0, "", (11, 15)),
    ("thpt-chuyen-quang-trung", D(2022, 1, 20), 3,
     "Phổ biến tại cuộc họp hội đồng sư phạm; 03 giáo viên nghỉ thai sản.", (17, 0)),
    ("thpt-chuyen-binh-long", D(2022, 1, 24), 0,
     "Lồng ghép vào buổi sinh hoạt chuyên môn đầu học kỳ II.", (15, 20)),
    ("thpt-hung-vuong", D(2022, 1, 21), 2, "Phổ biến tại cuộc họp hội đồng sư phạm.", (16, 30)),
    ("thpt-dong-xoai", D(2022, 1, 25), 0,
     "Đã gửi Kế hoạch qua hệ thống quản lý văn bản và điều hành đến toàn thể viên chức.",
     (8, 50)),
    ("thpt-phuoc-binh", D(2022, 1, 26), 1, "", (14, 35)),
    ("thpt-loc-ninh", D(2022, 2, 8), 0,
     "Phổ biến tại cuộc họp hội đồng sư phạm sau kỳ nghỉ Tết Nguyên đán.", (10, 0)),
    ("thpt-chon-thanh", D(2022, 1, 27), 0, "Phổ biến tại cuộc họp hội đồng sư phạm.", (16, 15)),
    ("thpt-nguyen-hue", D(2022, 2, 10), 2, "", (9, 40)),
]


def _write_document(campaign: Campaign) -> None:
    """Bring a draft's sections in line with the source text (writes only what differs)."""
    for order, (doc_type, number, date, issuer, subject) in enumerate(LEGAL_BASES, start=1):
        upsert(LegalBasis, {"campaign": campaign, "order": order}, {
            "doc_type": doc_type, "number": number, "date": date, "issuer": issuer,
            "subject": subject,
        })
    for number, short_title, text in CONTENT_ITEMS:
        upsert(ContentItem, {"campaign": campaign, "number": number},
               {"short_title": short_title, "text": text})

    office_and_union = Unit.objects.filter(kind__in=[UnitKind.OFFICE, UnitKind.UNION])
    implementing = Unit.objects.active().filter(kind__in=INTERNAL_KINDS + AFFILIATED_KINDS)
    units_by_duty = {1: office_and_union, 2: implementing, 3: Unit.objects.none()}
    for number, text in DUTIES:
        duty, _, _ = upsert(Duty, {"campaign": campaign, "number": number},
                            {"text": text, "asks_dissemination": number == 2})
        wanted = set(units_by_duty[number].values_list("pk", flat=True))
        if set(duty.units.values_list("pk", flat=True)) != wanted:
            duty.units.set(wanted)

    for order, (name, purpose) in enumerate(RECIPIENTS, start=1):
        upsert(Recipient, {"campaign": campaign, "order": order},
               {"name": name, "purpose": purpose})


def load_plan_2022(*, office_user) -> Campaign:
    """Create the 2022 plan (keyed on number, symbol and year), launch it and confirm
    dissemination for about two thirds of the units, each by that unit's head.

    Side effects: the campaign and its sections while it is a draft; on first launch the
    Dissemination rows and audit lines of campaigns.services, back-dated to January and
    February 2022. A re-run writes nothing: launched plans and confirmed units are left alone.
    """
    root = Unit.objects.get(code=ROOT_CODE)
    director = StaffMember.objects.get(user__username=DIRECTOR_USERNAME)
    key = {"number": NUMBER, "symbol": SYMBOL, "year": YEAR}
    campaign = Campaign.objects.filter(**key).first()
    if campaign is None or campaign.is_draft:
        campaign, _, _ = upsert(Campaign, key, {
            "title": TITLE,
            "parent_agency": "UBND TỈNH BÌNH PHƯỚC",
            "issuing_unit": root,
            "place": "Bình Phước",  # a provincial body writes the province (Decree 30)
            "issued_on": ISSUED_ON,
            "signer_name": director.full_name,
            "signer_title": "GIÁM ĐỐC",
            "signer_prefix": "",
            "preamble": PREAMBLE,
            "purposes": "\n".join(PURPOSES),
            "requirements": "\n".join(REQUIREMENTS),
        })

    if campaign.is_draft:
        _write_document(campaign)
        with dated(LAUNCHED_AT):
            services.launch(campaign=campaign, user=office_user)
        Campaign.objects.filter(pk=campaign.pk).update(launched_at=LAUNCHED_AT)
        campaign.refresh_from_db()

    for code, day, absent, note, (hour, minute) in CONFIRMATIONS:
        dissemination = (Dissemination.objects.select_related("unit")
                         .filter(campaign=campaign, unit__code=code).first())
        if dissemination is None or dissemination.is_confirmed:
            continue
        head = head_of(dissemination.unit)
        if head is None:
            continue
        at = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)
        with dated(at):
            services.confirm_dissemination(
                dissemination=dissemination,
                data={"disseminated_on": day,
                      "staff_reached": max(1, (dissemination.unit.headcount or 1) - absent),
                      "note": note},
                user=head,
                expected_version=dissemination.version,
            )
        Dissemination.objects.filter(pk=dissemination.pk).update(confirmed_at=at)

    return campaign


def load(context: dict) -> None:
    """`load_demo` hook: the 2022 plan, launched by context["office_user"], and its copy for the
    year of context["today"]; puts "campaign" (2022), "live_campaign" and "live" (a
    demo_live.LiveYear when the current year was written by this run, else None)."""
    campaign = load_plan_2022(office_user=context["office_user"])
    context["campaign"] = campaign
    today = context.get("today") or timezone.localdate()
    result = load_live_plan(seed=campaign, office_user=context["office_user"], today=today)
    context["live_campaign"], context["live"] = result["campaign"], result["live"]
    live = result["campaign"]
    context.setdefault("summary", []).append(
        f"{'Campaigns:':<16}"
        + (f"{live.year} copied from {YEAR} and launched" if result["created"]
           else "0 created (nothing to do)"))


def summary(context: dict) -> list[tuple]:
    """`load_demo` hook, after every loader: each plan as stored (status as stored)."""
    rows = []
    for campaign in (Campaign.objects.order_by("year", "number").select_related("copied_from")
                     .with_counts()):
        launched = (f"; launched {timezone.localtime(campaign.launched_at):%d/%m/%Y}"
                    if campaign.launched_at else "")
        copied = f"; copied from {campaign.copied_from.year}" if campaign.copied_from else ""
        rows.append((campaign.year, "Campaign:",
                     f"{campaign.code} {campaign.status}{launched}{copied}; dissemination "
                     f"confirmed by {campaign.confirmed_count} of "
                     f"{campaign.dissemination_count} units"))
    return rows
