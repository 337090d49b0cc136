"""Tasks, assignments and a year of progress reports on the 2022 plan, for the demo.

Used by `manage.py load_demo` through `load(context)`, after units and campaigns. The demo is set
on AS_OF (late October 2022): periods due by then have reports in a realistic mix (most accepted,
some awaiting review, returned, returned and resubmitted, drafts, and some missing), the current
period has a few drafts, and later periods nothing. Every write goes through tasks.services, as
the unit's head or the Office / Union reviewer, and is then back-dated to 2022.

Keys: a task by (content item, title), an assignment by (task, unit), a report by (assignment,
period). Decisions come from random.Random(2022) drawn in a fixed order whatever the database
holds, so a re-run draws the same plan, finds every row and writes nothing.

The rest of 2022 (the reports after 25/10, before the plan is closed) is tasks/demo_yearend.py,
run by the awards demo once the scoring is locked; the current year is tasks/demo_live.py.
"""

import datetime
import random
import struct
import unicodedata
import zlib
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from campaigns.models import Campaign
from core.audit.trail import dated
from core.uploads import check_evidence
from units.demo import OFFICE_USERNAME, UNION_USERNAME, upsert
from units.models import AFFILIATED_KINDS, INTERNAL_KINDS, Role, StaffMember, Unit

from . import services, tallies
from .models import (
    Assignment,
    Cadence,
    Evidence,
    IndicatorKind,
    Period,
    ProgressReport,
    ReportAction,
    ReportEvent,
    ReportStatus,
    Task,
)

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
AS_OF = D(2022, 10, 25)  # the demo's "today"
AS_OF_END = datetime.datetime(2022, 10, 25, 17, 30, tzinfo=TZ)
# Rows written by this run carry today's time until they are back-dated; older rows are in 2022.
NOT_YET_BACKDATED = datetime.datetime(2023, 1, 1, tzinfo=TZ)
TASKS_CREATED = datetime.datetime(2022, 1, 24, 9, 0, tzinfo=TZ)

AFFILIATED, INTERNAL = "affiliated", "internal"
PERCENT, COUNT = IndicatorKind.PERCENT, IndicatorKind.COUNT
YES_NO, DATE = IndicatorKind.YES_NO, IndicatorKind.DATE
MONTHLY, QUARTERLY, ONCE = Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.ONCE


@dataclass(frozen=True)
class TaskSpec:
    item: int
    title: str
    description: str
    kind: str
    label: str
    target: int | None
    unit_of_measure: str
    cadence: str
    deadline: datetime.date
    lead: str  # unit code
    units: str | tuple[str, ...]  # AFFILIATED, INTERNAL or unit codes
    narratives: tuple[str, ...]  # {value}, {date}, {period} are filled in
    proof: str  # what a reviewer asks for when the evidence is missing
    files: tuple[tuple[str, str], ...]  # (file name, heading printed in the file)
    narrative_no: str = ""  # yes/no tasks: when the answer is no


TASKS = [
    TaskSpec(
        1, "Công khai 100 % danh mục thủ tục hành chính thuộc thẩm quyền",
        "Niêm yết, công khai đầy đủ, kịp thời danh mục và nội dung thủ tục hành chính thuộc thẩm "
        "quyền giải quyết tại nơi tiếp nhận hồ sơ và trên Website của Sở; cập nhật ngay khi có "
        "quyết định công bố mới của Chủ tịch UBND tỉnh.",
        PERCENT, "Tỷ lệ thủ tục hành chính được công khai đúng quy định", 100, "%", QUARTERLY,
        D(2022, 12, 31), "van-phong",
        ("van-phong", "phong-tccb", "phong-gdtrh", "phong-gdcn-gdtx", "phong-ktqlcl"),
        ("Đã niêm yết công khai {value} % thủ tục hành chính thuộc lĩnh vực phụ trách tại bộ "
         "phận một cửa và trên Website của Sở.",
         "Rà soát danh mục theo quyết định công bố mới của Chủ tịch UBND tỉnh; tỷ lệ thủ tục "
         "được công khai đúng quy định đạt {value} %."),
        "ảnh chụp bảng niêm yết",
        (("bien-ban-niem-yet-TTHC.pdf", "BIEN BAN NIEM YET THU TUC HANH CHINH"),
         ("anh-bang-niem-yet-TTHC.png", "Bang niem yet TTHC")),
    ),
    TaskSpec(
        1, "Ban hành kế hoạch cải cách hành chính năm 2022 của đơn vị",
        "Mỗi đơn vị xây dựng và ban hành kế hoạch cải cách hành chính năm 2022 phù hợp với Kế "
        "hoạch số 03/KH-SGDĐT ngày 04/01/2022 của Sở, phân công rõ người thực hiện và thời hạn "
        "hoàn thành.",
        YES_NO, "Đã ban hành kế hoạch cải cách hành chính năm 2022", 1, "", ONCE,
        D(2022, 3, 31), "van-phong", AFFILIATED,
        ("Đơn vị đã ban hành Kế hoạch cải cách hành chính năm 2022 và triển khai đến toàn thể "
         "viên chức tại cuộc họp hội đồng.",
         "Kế hoạch cải cách hành chính năm 2022 đã được thủ trưởng đơn vị ký ban hành và đăng "
         "trên Website của đơn vị."),
        "bản kế hoạch đã ký ban hành",
        (("ke-hoach-CCHC-2022.pdf", "KE HOACH CAI CACH HANH CHINH NAM 2022"),),
        "Đơn vị đang hoàn thiện dự thảo kế hoạch, chưa ký ban hành.",
    ),
    TaskSpec(
        2, "Giải quyết hồ sơ thủ tục hành chính đúng hạn qua bộ phận một cửa",
        "Tiếp nhận, giải quyết và trả kết quả hồ sơ thủ tục hành chính qua bộ phận một cửa tại "
        "Trung tâm Phục vụ hành chính công tỉnh, bảo đảm đúng hoặc trước hạn; hồ sơ trễ hạn phải "
        "có văn bản xin lỗi người dân.",
        PERCENT, "Tỷ lệ hồ sơ được giải quyết đúng hoặc trước hạn", 100, "%", MONTHLY,
        D(2022, 12, 31), "van-phong",
        ("van-phong", "phong-tccb", "phong-gdtrh", "phong-gdcn-gdtx"),
        ("Tỷ lệ hồ sơ giải quyết đúng hoặc trước hạn trong tháng đạt {value} %.",
         "Hồ sơ tiếp nhận qua bộ phận một cửa được xử lý trên Hệ thống thông tin một cửa điện "
         "tử; tỷ lệ đúng hạn đạt {value} %."),
        "sổ theo dõi hồ sơ một cửa",
        (("so-theo-doi-ho-so-mot-cua.pdf", "SO THEO DOI HO SO MOT CUA"),),
    ),
    TaskSpec(
        3, "Kiểm tra việc tiếp nhận, giải quyết thủ tục hành chính tại các đơn vị",
        "Thanh tra Sở chủ trì, phối hợp với Văn phòng kiểm tra định kỳ và đột xuất việc tiếp "
        "nhận, giải quyết thủ tục hành chính tại các phòng và đơn vị trực thuộc; kiến nghị chấn "
        "chỉnh kịp thời các sai sót.",
        COUNT, "Số cuộc kiểm tra đã thực hiện (lũy kế)", 6, "cuộc", QUARTERLY,
        D(2022, 12, 31), "thanh-tra", ("thanh-tra",),
        ("Lũy kế đã thực hiện {value} cuộc kiểm tra công tác cải cách hành chính tại các đơn "
         "vị trực thuộc; đã ban hành kết luận kiểm tra.",),
        "biên bản kiểm tra",
        (("bien-ban-kiem-tra-TTHC.pdf", "BIEN BAN KIEM TRA CONG TAC CCHC"),),
    ),
    TaskSpec(
        3, "Kiện toàn đội ngũ công chức đầu mối kiểm soát thủ tục hành chính",
        "Mỗi phòng cử 01 công chức làm đầu mối kiểm soát thủ tục hành chính, gửi danh sách về "
        "Văn phòng để trình Giám đốc Sở quyết định kiện toàn.",
        YES_NO, "Đã cử công chức đầu mối", 1, "", ONCE, D(2022, 4, 30), "van-phong", INTERNAL,
        ("Đã cử công chức làm đầu mối kiểm soát thủ tục hành chính và gửi danh sách về Văn "
         "phòng.",),
        "văn bản cử công chức đầu mối",
        (("van-ban-cu-dau-moi-TTHC.pdf", "DANH SACH CONG CHUC DAU MOI KIEM SOAT TTHC"),),
        "Phòng chưa cử được công chức đầu mối do thiếu biên chế.",
    ),
    TaskSpec(
        4, "Cập nhật dữ liệu TTHC trên Cổng dịch vụ công",
        "Cập nhật, đồng bộ dữ liệu thủ tục hành chính và tình trạng giải quyết hồ sơ trên Cổng "
        "dịch vụ công và Hệ thống thông tin một cửa điện tử của tỉnh.",
        COUNT, "Số lượt cập nhật dữ liệu thủ tục hành chính (lũy kế)", 24, "lượt", MONTHLY,
        D(2022, 12, 31), "van-phong", ("van-phong", "phong-gdtrh", "phong-ktqlcl"),
        ("Lũy kế {value} lượt cập nhật dữ liệu thủ tục hành chính trên Cổng dịch vụ công.",
         "Đã đồng bộ trạng thái hồ sơ và cập nhật quy trình nội bộ; lũy kế {value} lượt cập "
         "nhật."),
        "ảnh chụp màn hình Cổng dịch vụ công",
        (("bao-cao-cap-nhat-CSDL-TTHC.pdf", "BAO CAO CAP NHAT CSDL THU TUC HANH CHINH"),
         ("anh-chup-cong-DVC.png", "Cong dich vu cong")),
    ),
    TaskSpec(
        4, "Đăng tải tin, bài về cải cách hành chính trên Website của đơn vị",
        "Duy trì chuyên mục cải cách hành chính trên Website của trường, trung tâm; đăng tải "
        "văn bản, thủ tục và tin, bài về hoạt động cải cách hành chính của đơn vị.",
        COUNT, "Số tin, bài được đăng tải (lũy kế)", 12, "tin, bài", QUARTERLY,
        D(2022, 12, 31), "van-phong", AFFILIATED,
        ("Lũy kế đã đăng tải {value} tin, bài trên chuyên mục cải cách hành chính của Website.",
         "Chuyên mục cải cách hành chính được cập nhật thường xuyên; lũy kế {value} tin, bài."),
        "danh sách tin, bài kèm đường dẫn",
        (("danh-sach-tin-bai-website.pdf", "DANH SACH TIN BAI CHUYEN MUC CCHC"),
         ("anh-chup-chuyen-muc-CCHC.png", "Chuyen muc CCHC")),
    ),
    TaskSpec(
        5, "Rà soát, sắp xếp tổ chức bộ máy của các phòng thuộc Sở",
        "Rà soát chức năng, nhiệm vụ, cơ cấu tổ chức của từng phòng; đề xuất sắp xếp tinh gọn, "
        "giảm đầu mối theo quy định của Trung ương và của tỉnh, gửi báo cáo về Phòng Tổ chức cán "
        "bộ.",
        YES_NO, "Đã gửi báo cáo rà soát về Phòng Tổ chức cán bộ", 1, "", ONCE, D(2022, 6, 30),
        "phong-tccb", INTERNAL,
        ("Đã hoàn thành rà soát chức năng, nhiệm vụ và gửi báo cáo đề xuất sắp xếp về Phòng Tổ "
         "chức cán bộ.",),
        "báo cáo rà soát có chữ ký của trưởng phòng",
        (("bao-cao-ra-soat-bo-may.pdf", "BAO CAO RA SOAT TO CHUC BO MAY"),),
        "Phòng đang tổng hợp ý kiến của công chức, chưa gửi báo cáo.",
    ),
    TaskSpec(
        5, "Phê duyệt đề án vị trí việc làm của đơn vị sự nghiệp",
        "Các trường, trung tâm hoàn thiện đề án vị trí việc làm, bản mô tả công việc, khung năng "
        "lực và cơ cấu viên chức theo chức danh nghề nghiệp, trình Sở thẩm định, phê duyệt.",
        DATE, "Ngày đề án vị trí việc làm được phê duyệt", None, "", ONCE, D(2022, 9, 30),
        "phong-tccb", AFFILIATED,
        ("Đề án vị trí việc làm của đơn vị được phê duyệt ngày {date}.",
         "Đơn vị đã hoàn thiện hồ sơ theo góp ý của Phòng Tổ chức cán bộ; đề án được phê duyệt "
         "ngày {date}."),
        "quyết định phê duyệt đề án",
        (("quyet-dinh-phe-duyet-VTVL.pdf", "QUYET DINH PHE DUYET DE AN VI TRI VIEC LAM"),),
    ),
    TaskSpec(
        6, "Cử cán bộ tham gia bồi dưỡng chuyên môn",
        "Cử cán bộ quản lý, giáo viên, nhân viên tham gia các lớp bồi dưỡng chuyên môn, nghiệp "
        "vụ, bồi dưỡng thường xuyên và bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp.",
        COUNT, "Số lượt người được cử đi bồi dưỡng (lũy kế)", 20, "lượt người", QUARTERLY,
        D(2022, 12, 31), "phong-tccb", AFFILIATED,
        ("Lũy kế đã cử {value} lượt cán bộ, giáo viên tham gia bồi dưỡng chuyên môn, nghiệp vụ.",
         "Đã cử giáo viên tham gia tập huấn chương trình giáo dục phổ thông 2018; lũy kế {value} "
         "lượt người."),
        "danh sách cán bộ được cử đi bồi dưỡng",
        (("danh-sach-cu-di-boi-duong.pdf", "DANH SACH CAN BO CU DI BOI DUONG"),
         ("giay-chung-nhan-boi-duong.png", "Giay chung nhan")),
    ),
    TaskSpec(
        6, "Bồi dưỡng kỹ năng ứng dụng công nghệ thông tin cho công chức",
        "Bảo đảm công chức các phòng hoàn thành lớp bồi dưỡng kỹ năng sử dụng phần mềm quản lý "
        "văn bản, chữ ký số và dịch vụ công trực tuyến do Sở tổ chức.",
        PERCENT, "Tỷ lệ công chức hoàn thành lớp bồi dưỡng", 100, "%", ONCE, D(2022, 10, 15),
        "phong-tccb", INTERNAL,
        ("{value} % công chức của phòng đã hoàn thành lớp bồi dưỡng và được cấp chứng chỉ số.",),
        "danh sách học viên hoàn thành lớp",
        (("danh-sach-hoc-vien-CNTT.pdf", "DANH SACH HOC VIEN LOP BOI DUONG CNTT"),),
    ),
    TaskSpec(
        7, "Học tập chuyên đề năm 2022 về tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Tổ chức cho toàn thể cán bộ, giáo viên, nhân viên học tập, quán triệt chuyên đề năm "
        "2022; mỗi cá nhân đăng ký nội dung làm theo gắn với nhiệm vụ được giao.",
        YES_NO, "Đã tổ chức học tập chuyên đề", 1, "", ONCE, D(2022, 6, 30), "cong-doan",
        AFFILIATED,
        ("Đơn vị đã tổ chức học tập chuyên đề năm 2022; 100 % viên chức đăng ký nội dung làm "
         "theo.",
         "Đã lồng ghép học tập chuyên đề vào buổi sinh hoạt chuyên môn; các tổ đã xây dựng kế "
         "hoạch làm theo."),
        "biên bản và ảnh buổi học tập chuyên đề",
        (("bien-ban-hoc-tap-chuyen-de-2022.pdf", "BIEN BAN HOC TAP CHUYEN DE NAM 2022"),
         ("anh-buoi-hoc-tap-chuyen-de.png", "Hoc tap chuyen de")),
        "Đơn vị chưa tổ chức được do trùng lịch thi học kỳ; dự kiến tổ chức trong tháng sau.",
    ),
    TaskSpec(
        7, "Cán bộ, công chức tham gia sinh hoạt chính trị, tư tưởng đầu năm học",
        "Bảo đảm cán bộ, công chức các phòng tham gia đầy đủ buổi sinh hoạt chính trị, tư tưởng "
        "đầu năm học 2022 – 2023 do Sở tổ chức.",
        PERCENT, "Tỷ lệ công chức tham gia", 100, "%", ONCE, D(2022, 9, 30), "cong-doan",
        INTERNAL,
        ("{value} % công chức của phòng tham gia buổi sinh hoạt chính trị, tư tưởng đầu năm "
         "học.",),
        "danh sách ký tên tham dự",
        (("danh-sach-tham-du-sinh-hoat-chinh-tri.pdf", "DANH SACH THAM DU SINH HOAT CHINH TRI"),),
    ),
    TaskSpec(
        8, "Không có cán bộ vi phạm kỷ luật",
        "Báo cáo hằng quý việc chấp hành quy định về phòng, chống tham nhũng, tiêu cực; không có "
        "cán bộ, công chức bị xử lý kỷ luật trong kỳ.",
        YES_NO, "Không có cán bộ, công chức bị kỷ luật trong kỳ", 1, "", QUARTERLY,
        D(2022, 12, 31), "thanh-tra", INTERNAL,
        ("Trong kỳ không có cán bộ, công chức bị xử lý kỷ luật; không có đơn thư phản ánh liên "
         "quan đến công chức của phòng.",
         "Công chức chấp hành nghiêm quy định về phòng, chống tham nhũng; không có trường hợp vi "
         "phạm."),
        "báo cáo tình hình kỷ luật có xác nhận của trưởng phòng",
        (("bao-cao-tinh-hinh-ky-luat.pdf", "BAO CAO TINH HINH CHAP HANH KY LUAT"),),
        "Trong kỳ có 01 công chức bị xử lý kỷ luật khiển trách do vi phạm quy chế làm việc; "
        "phòng đã tổ chức kiểm điểm, rút kinh nghiệm.",
    ),
    TaskSpec(
        8, "Giải quyết đơn khiếu nại, tố cáo đúng thời hạn",
        "Tiếp nhận, phân loại, giải quyết đơn khiếu nại, tố cáo, kiến nghị, phản ánh thuộc thẩm "
        "quyền đúng trình tự và thời hạn luật định.",
        PERCENT, "Tỷ lệ đơn thuộc thẩm quyền được giải quyết đúng hạn", 100, "%", QUARTERLY,
        D(2022, 12, 31), "thanh-tra", ("thanh-tra", "van-phong"),
        ("Đơn thuộc thẩm quyền được giải quyết đúng hạn đạt {value} %; không có đơn tồn đọng, "
         "kéo dài.",),
        "sổ theo dõi tiếp nhận, xử lý đơn",
        (("so-theo-doi-don-thu.pdf", "SO THEO DOI TIEP NHAN XU LY DON THU"),),
    ),
    TaskSpec(
        9, "Thực hiện công khai theo Thông tư số 36/2017/TT-BGDĐT",
        "Công khai cam kết chất lượng giáo dục, điều kiện bảo đảm chất lượng và thu, chi tài "
        "chính năm học 2022 – 2023 tại đơn vị và trên Website theo quy định.",
        YES_NO, "Đã công khai đủ các nội dung theo quy định", 1, "", ONCE, D(2022, 9, 30),
        "phong-khtc", AFFILIATED,
        ("Đơn vị đã niêm yết công khai tại bảng tin và đăng trên Website đủ 03 nội dung theo "
         "Thông tư số 36/2017/TT-BGDĐT.",),
        "ảnh chụp bảng công khai",
        (("bien-ban-cong-khai-TT36.pdf", "BIEN BAN CONG KHAI THEO THONG TU 36/2017"),
         ("anh-bang-cong-khai.png", "Bang cong khai")),
        "Đơn vị mới công khai cam kết chất lượng; chưa công khai thu, chi tài chính.",
    ),
    TaskSpec(
        9, "Tổ chức Hội nghị cán bộ, công chức cơ quan Sở năm 2022",
        "Văn phòng phối hợp với Công đoàn cơ quan tổ chức Hội nghị cán bộ, công chức; thảo "
        "luận, thông qua quy chế dân chủ và quy chế chi tiêu nội bộ năm 2022.",
        DATE, "Ngày tổ chức hội nghị", None, "", ONCE, D(2022, 3, 31), "cong-doan",
        ("van-phong",),
        ("Hội nghị cán bộ, công chức cơ quan Sở năm 2022 được tổ chức ngày {date}, thông qua "
         "quy chế dân chủ và quy chế chi tiêu nội bộ.",),
        "nghị quyết hội nghị",
        (("nghi-quyet-hoi-nghi-CBCC-2022.pdf", "NGHI QUYET HOI NGHI CAN BO CONG CHUC 2022"),),
    ),
    TaskSpec(
        10, "Đề xuất sáng kiến cải cách hành chính",
        "Mỗi phòng đề xuất ít nhất 01 sáng kiến, giải pháp cải cách hành chính có khả năng áp "
        "dụng, gửi về Văn phòng để tổng hợp, trình Hội đồng sáng kiến xét công nhận.",
        COUNT, "Số sáng kiến được đề xuất", 1, "sáng kiến", ONCE, D(2022, 11, 15), "van-phong",
        INTERNAL,
        ("Phòng đề xuất {value} sáng kiến: số hóa hồ sơ lưu trữ và tra cứu trực tuyến kết quả "
         "giải quyết thủ tục hành chính.",),
        "phiếu đề xuất sáng kiến",
        (("phieu-de-xuat-sang-kien.pdf", "PHIEU DE XUAT SANG KIEN CCHC"),),
    ),
    TaskSpec(
        10, "Đề nghị khen thưởng kịp thời tập thể, cá nhân có thành tích trong phong trào",
        "Rà soát, trình Giám đốc Sở khen thưởng đột xuất, kịp thời các tập thể, cá nhân có cách "
        "làm hay, sáng tạo trong thực hiện cải cách hành chính.",
        COUNT, "Số hồ sơ đề nghị khen thưởng đã trình (lũy kế)", 4, "hồ sơ", QUARTERLY,
        D(2022, 12, 31), "van-phong", ("van-phong",),
        ("Lũy kế đã trình {value} hồ sơ đề nghị khen thưởng đột xuất cho tập thể, cá nhân.",),
        "tờ trình khen thưởng",
        (("to-trinh-khen-thuong.pdf", "TO TRINH DE NGHI KHEN THUONG"),),
    ),
]

# Why a reviewer returns a report; the first asks for the task's proof (filled in).
RETURN_REASONS = [
    "Thiếu tài liệu kiểm chứng: đề nghị bổ sung {proof}.",
    "Số liệu chưa khớp với báo cáo kỳ trước; đề nghị rà soát, điều chỉnh lại.",
    "Phần thuyết minh còn chung chung; đề nghị nêu cụ thể kết quả, số và ngày văn bản.",
]
ACCEPT_COMMENTS = ["", "", "", "", "Đạt yêu cầu.", "Số liệu đầy đủ, có tài liệu kiểm chứng.",
                   "Đề nghị đơn vị tiếp tục duy trì kết quả."]
FIX_NOTES = ["Đã bổ sung tài liệu kiểm chứng theo yêu cầu.",
             "Đã rà soát, điều chỉnh số liệu và thuyết minh theo góp ý của Văn phòng."]

# Outcome weights of a due period: recent (due in the last six weeks) or older.
OUTCOMES = ["accepted", "submitted", "returned", "resubmitted", "fixed", "draft", "none"]
RECENT_WEIGHTS = [46, 20, 8, 6, 4, 7, 9]
OLDER_WEIGHTS = [74, 2, 3, 2, 10, 3, 6]


# --- files ------------------------------------------------------------------------------------

def ascii_text(text: str) -> str:
    """Vietnamese without diacritics (đ → d), for the Latin-1 text of a minimal PDF."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode(
        "ascii", "replace").decode()


def minimal_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF showing `lines` in Helvetica (with a correct cross-reference table)."""
    def escape(line):
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = ["BT", "/F1 16 Tf", "56 780 Td", "20 TL"]
    for i, line in enumerate(lines):
        text.append(f"({escape(line)}) Tj T*" if i else f"({escape(line)}) Tj T* /F1 11 Tf")
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def minimal_png(title: str, seed: int, width: int = 96, height: int = 64) -> bytes:
    """A small valid RGB PNG: a tinted board with lines of "text", titled in a tEXt chunk."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    tint = (seed * 37 % 80, seed * 53 % 80, seed * 91 % 80)
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            border = x < 3 or y < 3 or x >= width - 3 or y >= height - 3
            text_line = 10 <= x < width - 10 - (y * 7 + seed) % 30 and y % 8 in (5, 6) and y > 8
            if border:
                rows += bytes((120 + tint[0], 70 + tint[1], 30))
            elif text_line:
                rows += bytes((40, 40, 60))
            else:
                rows += bytes((235 - tint[0] // 4, 235 - tint[1] // 4, 225 - tint[2] // 4))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"tEXt", b"Title\x00" + title.encode("latin-1"))
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def evidence_upload(spec: TaskSpec, which: int, unit: Unit, period: Period) -> SimpleUploadedFile:
    name, heading = spec.files[which % len(spec.files)]
    lines = [heading, ascii_text(unit.name), f"Ky bao cao: {ascii_text(period.label)}",
             "So GD&DT Binh Phuoc - du lieu minh hoa (demo)"]
    if name.endswith(".png"):
        seed = zlib.crc32(f"{unit.code}:{period.key}:{name}".encode())
        return SimpleUploadedFile(name, minimal_png(" - ".join(lines[:3]), seed), "image/png")
    return SimpleUploadedFile(name, minimal_pdf(lines), "application/pdf")


# --- the plan ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    action: str  # save, evidence, submit, return, accept
    at: datetime.datetime
    data: dict | None = None
    reviewer: str = ""  # OFFICE_USERNAME or UNION_USERNAME
    text: str = ""  # return reason or acceptance comment
    file: int = 0  # which of the task's files


def _office_time(rng, day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(rng.randint(7, 16), rng.choice(range(0, 60, 5))), tzinfo=TZ)


def _after(rng, at, low_days, high_days) -> datetime.datetime:
    """A working time some days after `at`, never before it and (nearly) never after AS_OF."""
    later = _office_time(rng, at.date() + datetime.timedelta(days=rng.randint(low_days,
                                                                              high_days)))
    if later <= at:
        later = at + datetime.timedelta(minutes=rng.randint(10, 90))
    return max(min(later, AS_OF_END), at + datetime.timedelta(minutes=5))


def _value(rng, spec: TaskSpec, period: Period, index: int, count: int,
           as_of: datetime.date = AS_OF) -> dict:
    if spec.kind == DATE:
        day = period.due - datetime.timedelta(days=rng.randint(3, 60))
        if rng.random() < 0.12:
            day = period.due + datetime.timedelta(days=rng.randint(2, 20))
        return {"value_date": min(day, as_of)}
    if spec.kind == YES_NO:
        return {"value": Decimal(0 if rng.random() < 0.06 else 1)}
    if spec.kind == PERCENT:
        roll = rng.random()
        value = 100 if roll < 0.62 else rng.randint(95, 99) if roll < 0.88 else rng.randint(
            80, 94)
        return {"value": Decimal(value)}
    expected = spec.target * (index + 1) / count
    return {"value": Decimal(max(0, round(expected * rng.uniform(0.7, 1.35))))}


def _narrative(rng, spec: TaskSpec, data: dict) -> str:
    if spec.kind == YES_NO and data["value"] == 0:
        return spec.narrative_no or "Chưa hoàn thành trong kỳ; đơn vị đang khẩn trương thực hiện."
    value, day = data.get("value"), data.get("value_date")
    return rng.choice(spec.narratives).format(
        value=f"{value.normalize():f}" if value is not None else "",
        date=f"{day:%d/%m/%Y}" if day else "")


def plan_report(rng, spec: TaskSpec, periods: list[Period], index: int) -> list[Step]:
    """The steps of one assignment's report for periods[index]; [] for no report."""
    period = periods[index]
    data = _value(rng, spec, period, index, len(periods))
    data["narrative"] = _narrative(rng, spec, data)
    evidence_first = rng.random() < 0.07
    file = rng.randrange(len(spec.files))
    reviewer = OFFICE_USERNAME if rng.random() < 0.7 else UNION_USERNAME
    if period.due > AS_OF:  # the current period: a few drafts, a couple sent early
        roll = rng.random()
        current = index == 0 or periods[index - 1].due <= AS_OF
        if not current or (period.due - AS_OF).days > 70 or roll >= 0.32:
            return []
        at = _office_time(rng, AS_OF - datetime.timedelta(days=rng.randint(1, 12)))
        steps = [Step("save", at, data)]
        if evidence_first:
            steps.append(Step("evidence", at + datetime.timedelta(minutes=12), file=file))
        if roll < 0.06:
            steps.append(Step("submit", _after(rng, at, 0, 2)))
        return steps

    recent = (AS_OF - period.due).days <= 42
    outcome = rng.choices(OUTCOMES, RECENT_WEIGHTS if recent else OLDER_WEIGHTS)[0]
    late = rng.random() < 0.15
    if late:
        day = period.due + datetime.timedelta(days=rng.randint(1, 12))
    else:
        day = period.due - datetime.timedelta(days=rng.randint(1, 9))
    at = _office_time(rng, min(day, AS_OF - datetime.timedelta(days=1)))
    reason = rng.choice(RETURN_REASONS).format(proof=spec.proof)
    comment = rng.choice(ACCEPT_COMMENTS)
    if outcome == "none":
        return []
    steps = [Step("save", at, data)]
    if evidence_first:
        at = at + datetime.timedelta(minutes=rng.randint(5, 40))
        steps.append(Step("evidence", at, file=file))
    if outcome == "draft":
        return steps
    submitted = _after(rng, at, 0, 2)
    if not late and submitted.date() > period.due:
        submitted = max(at + datetime.timedelta(minutes=20),
                        datetime.datetime.combine(period.due, datetime.time(16, 45), tzinfo=TZ))
    steps.append(Step("submit", submitted))
    if outcome == "submitted":
        return steps
    reviewed = _after(rng, submitted, 1, 9)
    if outcome == "accepted":
        return steps + [Step("accept", reviewed, reviewer=reviewer, text=comment)]
    steps.append(Step("return", reviewed, reviewer=reviewer, text=reason))
    if outcome == "returned":
        return steps
    fixed = _after(rng, reviewed, 1, 6)
    note = FIX_NOTES[0] if reason.startswith("Thiếu tài liệu") else FIX_NOTES[1]
    steps.append(Step("save", fixed, {**data, "narrative": f"{data['narrative']} {note}"}))
    if reason.startswith("Thiếu tài liệu"):
        fixed = fixed + datetime.timedelta(minutes=15)
        steps.append(Step("evidence", fixed, file=(file + 1) % len(spec.files)))
    resubmitted = fixed + datetime.timedelta(minutes=rng.randint(5, 30))
    steps.append(Step("submit", resubmitted))
    if outcome == "resubmitted":
        return steps
    return steps + [Step("accept", _after(rng, resubmitted, 1, 7), reviewer=reviewer,
                         text=comment)]


# --- writing ----------------------------------------------------------------------------------

class _Player:
    """Plays reports' steps through tasks.services, then back-dates what they wrote.

    The services stamp rows with the real time; `finish` moves every history event, audit line,
    evidence upload and report timestamp of this run to the time of the step that wrote it, in
    a few bulk queries rather than a few per step.
    """

    def __init__(self, reviewers: dict, since: datetime.datetime = NOT_YET_BACKDATED):
        self.reviewers = reviewers
        self.since = since  # rows of this run: written at or after it, not yet back-dated
        # report pk -> {event action: [times, in order]}, and its final timestamps
        self.times: dict[int, dict[str, list]] = {}
        self.stamps: dict[int, dict] = {}
        self.uploads: dict[int, datetime.datetime] = {}

    def play(self, assignment, spec, period, steps, head, report=None):
        """Play `steps` on the period's report (`report`: one already written, to go on
        with)."""
        times = defaultdict(list)
        stamps = {"submitted_at": report.submitted_at if report else None,
                  "reviewed_at": report.reviewed_at if report else None,
                  "updated_at": steps[-1].at}
        for step in steps:
            # The audit trail is append-only: its lines are inserted at the step's day.
            with dated(step.at):
                if step.action == "save":
                    report = services.save_report(
                        assignment=assignment, period=period, data=step.data, user=head,
                        report=report, expected_version=report.version if report else None)
                    action = ReportAction.SAVED
                elif step.action == "evidence":
                    upload = evidence_upload(spec, step.file, assignment.unit, period)
                    evidence = services.add_report_evidence(
                        report=report, checked=check_evidence(upload), upload=upload, user=head)
                    self.uploads[evidence.pk] = step.at
                    action = ReportAction.EVIDENCE_ADDED
                elif step.action == "submit":
                    was = report.status
                    report = services.submit(report=report, user=head)
                    stamps["submitted_at"] = step.at
                    action = (ReportAction.RESUBMITTED if was == ReportStatus.RETURNED
                              else ReportAction.SUBMITTED)
                elif step.action == "return":
                    report = services.return_report(report=report, reason=step.text,
                                                    user=self.reviewers[step.reviewer])
                    stamps["reviewed_at"] = step.at
                    action = ReportAction.RETURNED
                else:
                    report = services.accept(report=report, comment=step.text,
                                             user=self.reviewers[step.reviewer])
                    stamps["reviewed_at"] = step.at
                    action = ReportAction.ACCEPTED
            times[str(action)].append(step.at)
            # save_report, add_report_evidence: no lazy loads for str()
            report.assignment = assignment
        self.times[report.pk] = times
        self.stamps[report.pk] = stamps

    def finish(self):
        """Back-date everything the played reports wrote; returns how many evidence files."""
        if not self.times:
            return 0
        events = list(ReportEvent.objects.filter(report_id__in=self.times,
                                                 at__gte=self.since)
                      .only("id", "report_id", "action", "at").order_by("id"))
        self._match(events, lambda e: (e.report_id, e.action))
        ReportEvent.objects.bulk_update(events, ["at"], batch_size=300)
        ProgressReport.objects.bulk_update(
            [ProgressReport(pk=pk, **stamps) for pk, stamps in self.stamps.items()],
            ["submitted_at", "reviewed_at", "updated_at"], batch_size=300)
        Evidence.objects.bulk_update(
            [Evidence(pk=pk, uploaded_at=at) for pk, at in self.uploads.items()],
            ["uploaded_at"], batch_size=300)
        return len(self.uploads)

    def _match(self, rows, key):
        """Give each row the time of the step that wrote it: the steps of its report with the
        same action, in order; anything unexpected gets the report's last step time."""
        queues = {pk: {action: list(at) for action, at in times.items()}
                  for pk, times in self.times.items()}
        for row in rows:
            pk, action = key(row)
            queue = queues[pk].get(action)
            row.at = queue.pop(0) if queue else self.stamps[pk]["updated_at"]


def _units_for(spec: TaskSpec, units: list[Unit]) -> list[Unit]:
    if spec.units == AFFILIATED:
        return [u for u in units if u.kind in AFFILIATED_KINDS]
    if spec.units == INTERNAL:
        return [u for u in units if u.kind in INTERNAL_KINDS]
    return [u for u in units if u.code in spec.units]


def reviewers() -> dict:
    """The Office's and the Union's accounts by username: they review the reports."""
    return {u.username: u for u in get_user_model().objects.filter(
        username__in=[OFFICE_USERNAME, UNION_USERNAME])}


def unit_heads() -> dict:
    """unit id → the account of the unit's head (the first, if several), who writes its
    reports."""
    heads = {}
    for member in (StaffMember.objects.filter(role=Role.UNIT_HEAD, is_active=True,
                                              user__isnull=False, user__is_active=True)
                   .select_related("user").order_by("pk")):
        heads.setdefault(member.unit_id, member.user)
    return heads


def load_tasks_2022(*, campaign, office_user) -> dict:
    """Create the tasks of the 2022 plan, assign them and play a year of progress reports.

    Side effects: Task, Assignment, ProgressReport, ReportEvent, Evidence (files in MEDIA_ROOT)
    and AuditEntry rows, written through tasks.services and back-dated to 2022. The caller
    rebuilds the dashboards' tallies after. A re-run finds every task, assignment and report
    and writes nothing. Returns {"tasks", "reports_created", "evidence_created"}.
    """
    items = {item.number: item for item in campaign.items.all()}
    units = list(Unit.objects.active().order_by("order", "code"))
    by_code = {unit.code: unit for unit in units}
    heads = unit_heads()

    rng = random.Random(2022)
    player = _Player(reviewers())
    tasks = []
    reports_created = 0
    for number, spec in enumerate(TASKS):
        task, created = upsert_task(spec, items, by_code)
        tasks.append(task)
        created_at = TASKS_CREATED + datetime.timedelta(minutes=7 * number)
        if created:
            Task.objects.filter(pk=task.pk).update(created_at=created_at)
        assigned_at = created_at + datetime.timedelta(days=1, hours=1)
        with dated(assigned_at):
            assigned = services.assign(task=task, units=_units_for(spec, units),
                                       user=office_user)
        if assigned:
            task.assignments.filter(created_at__gte=NOT_YET_BACKDATED).update(
                created_at=assigned_at)

        assignments = assignments_in_order(task)
        existing = set(ProgressReport.objects.filter(assignment__task=task)
                       .values_list("assignment_id", "period"))
        for assignment in assignments:
            periods = assignment.periods()
            for index, period in enumerate(periods):
                steps = plan_report(rng, spec, periods, index)
                head = heads.get(assignment.unit_id)
                if not steps or head is None or (assignment.pk, period.key) in existing:
                    continue
                player.play(assignment, spec, period, steps, head)
                reports_created += 1
    evidence_created = player.finish()
    return {"tasks": tasks, "reports_created": reports_created,
            "evidence_created": evidence_created}


def upsert_task(spec, items, by_code):
    """(task, created): the spec's task under its content item (found by title), its terms as
    the spec says; `items` by number, `by_code` the units by code (for the lead unit)."""
    task, created, _ = upsert(Task, {"item": items[spec.item], "title": spec.title}, {
        "description": spec.description, "indicator_kind": spec.kind,
        "indicator_label": spec.label,
        "target_value": Decimal(spec.target) if spec.target is not None else None,
        "unit_of_measure": spec.unit_of_measure, "cadence": spec.cadence,
        "deadline": spec.deadline, "lead_unit": by_code.get(spec.lead),
    })
    return task, created


def assignments_in_order(task):
    """The task's assignments in the units' order, as reports are played (and the rng drawn)."""
    return list(task.assignments.select_related("unit", "task__item__campaign")
                .order_by("unit__order", "unit__code"))


def load(context: dict) -> None:
    """`load_demo` hook: the 2022 tasks and reports, then the current year's (reads
    "campaign", "live_campaign", "live", "office_user"); puts "tasks"."""
    from .demo_live import load_live_tasks  # it builds on this module

    result = load_tasks_2022(campaign=context["campaign"], office_user=context["office_user"])
    context["tasks"] = result["tasks"]
    written = [(2022, result)]
    if context.get("live") is not None:
        written.append((context["live"].year, load_live_tasks(
            campaign=context["live_campaign"], live=context["live"],
            office_user=context["office_user"])))
    written = [(year, done) for year, done in written if done["reports_created"]]
    if written:
        # The back-dating rewrote the times reports were sent, past the services: count the
        # dashboards' tallies again from the rows as they now stand.
        tallies.rebuild()
    context.setdefault("summary", []).append(f"{'Reports:':<16}" + ("; ".join(
        f"{done['reports_created']} created for {year} ({done['evidence_created']} evidence "
        "files)" for year, done in written) or "0 created (nothing to do)"))


def summary(context: dict) -> list[tuple]:
    """`load_demo` hook, after every loader: each plan's tasks, assignments, reports by
    status (as stored) and evidence, and its periods due as of context["today"]."""
    today = context.get("today") or timezone.localdate()
    soon = today + datetime.timedelta(days=7)
    rows = []
    for campaign in Campaign.objects.filter(items__tasks__isnull=False).distinct().order_by(
            "year", "number"):
        tasks = Task.objects.filter(item__campaign=campaign)
        reports = ProgressReport.objects.filter(assignment__task__item__campaign=campaign)
        by_status = dict(reports.values_list("status").annotate(n=Count("pk")).order_by())
        statuses = ", ".join(f"{by_status.get(s, 0)} {s}" for s in ReportStatus.values)
        assignments = list(Assignment.objects.filter(task__in=tasks).with_progress(today))
        due = sum(len(a.due_periods(today)) for a in assignments)
        overdue = sum(a.overdue_count(today) for a in assignments)
        upcoming = sum(1 for a in assignments for p in a.periods() if today <= p.due <= soon)
        rows += [
            (campaign.year, "Tasks:", f"{tasks.count()} on "
             f"{tasks.values('item').distinct().count()} content items, "
             f"{len(assignments)} assignments"),
            (campaign.year, "Reports:", f"{sum(by_status.values())} ({statuses}); "
             f"{Evidence.objects.filter(report__in=reports).count()} evidence files"),
            (campaign.year, "Periods:", f"as of {today:%d/%m/%Y}: {due} due, {overdue} overdue "
             f"(due, no report sent), {upcoming} due in the next 7 days"),
        ]
    return rows
