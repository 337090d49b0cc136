"""The statistics forms of Circular 02/2023/TT-BNV (biểu mẫu thống kê thi đua, khen thưởng) for
one year, counted from the portal's data.

- 0601.N: the emulation campaigns organised (the year's launched plan, and the clusters' pacts);
- 0602.N: the awards of the State level (the President's, the Prime Minister's, the
  Government's);
- 0603.N: the awards of the ministry and province level (Bằng khen, Chiến sĩ thi đua, Cờ thi
  đua, Kỷ niệm chương of the Minister or the province);
- CS (not a form of the circular, a supplement): the Department's own, grassroots awards;
- 0604.N and 0605.N: the organisations and civil servants doing emulation work, which the
  portal does not hold: every figure is "—".

An award counts in the year its decision is dated (`Conferral.decided_on`), whatever year's
achievements it rewards; revoked awards are not counted (`Conferral.objects.standing`).

The figures come from four aggregate queries whatever the year's size: the year's conferrals
grouped by award, collective or individual, the person's group (leader of the Department,
other leader, staff) and gender; the catalogue; the plans and the clusters of the year.

The circular's wording (row and column headings) is quoted as the circular prints it: it is the
form's text, the same whoever reads it, like the catalogue's award names. What the portal adds
(notes, the reporting unit's lines) goes through gettext.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus
from scoring.models import Cluster
from units.models import HEAD_TITLES, Gender, Role

from .models import Award, AwardKind, AwardLevel, Conferral, Cycle, Subject

NOT_HELD = None  # a figure the portal's data cannot give: shown "—"

# The person's group, as the circular splits individuals (rows "Lãnh đạo …", "Người trực tiếp
# …"). Read from today's role and position: the portal keeps no history of positions.
COLLECTIVE, DEPARTMENT_LEADER, OTHER_LEADER, WORKER = ("collective", "dept_leader",
                                                       "other_leader", "worker")


@dataclass(frozen=True)
class Head:
    """One cell of a form's header: its text and how many columns and rows it spans."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Line:
    label: str
    code: str = ""
    unit: str = ""
    values: list = field(default_factory=list)  # int, NOT_HELD, or "" for a heading
    style: str = ""  # "total", "heading", "part" (a "Trong đó" line) or ""


@dataclass
class Form:
    number: str  # "0601"
    code: str  # "0601.N/BNV-TĐKT"
    title: str
    header: list  # rows of Head
    numbering: list  # the column numbers' row: "A", "B", "1", …
    lines: list
    measure: str = ""  # "Đơn vị tính: …" above the table
    notes: list = field(default_factory=list)
    statutory: bool = True  # False for the supplement the circular does not have

    @property
    def width(self) -> int:
        return len(self.numbering)

    @property
    def landscape(self) -> bool:
        return self.width > 8

    @property
    def total(self):
        """The form's first figure (the total line's total), what a reader checks first."""
        for line in self.lines:
            if line.style == "total":
                return line.values[0]
        return None


# -- counting ----------------------------------------------------------------------------------


def _group():
    """The SQL expression of a conferral's group (see COLLECTIVE…WORKER)."""
    other_heads = Q(staff__role=Role.UNIT_HEAD) | Q(staff__position__startswith="Phó ")
    for title in HEAD_TITLES:
        other_heads |= Q(staff__position__startswith=title)
    return Case(
        When(staff__isnull=True, then=Value(COLLECTIVE)),
        When(Q(staff__role__in=[Role.DIRECTOR, Role.DEPUTY_DIRECTOR])
             | Q(staff__position__istartswith="Giám đốc Sở")
             | Q(staff__position__istartswith="Phó Giám đốc Sở"), then=Value(DEPARTMENT_LEADER)),
        When(other_heads, then=Value(OTHER_LEADER)),
        default=Value(WORKER), output_field=CharField())


@dataclass(frozen=True)
class Tally:
    award: Award
    group: str
    female: bool
    n: int

    @property
    def collective(self) -> bool:
        return self.group == COLLECTIVE


def tallies(year: int, awards: dict) -> list[Tally]:
    """The year's standing conferrals, counted by award, group and gender (1 query); `awards`
    is the catalogue by id."""
    rows = (Conferral.objects.standing().filter(decided_on__year=year).order_by()
            .values("award_id", group=_group(), gender=Case(
                When(staff__gender=Gender.FEMALE, then=Value("f")), default=Value(""),
                output_field=CharField()))
            .annotate(n=Count("id")))
    return [Tally(awards[row["award_id"]], row["group"], row["gender"] == "f", row["n"])
            for row in rows]


def column_of(award: Award) -> tuple[str, str]:
    """(form, column) an award counts in: 0602 for the State's awards (the President's, the
    Prime Minister's, the Government's), 0603 for a minister's or the province's, CS for the
    Department's own. The catalogue's authority names who decides; the level and kind the
    rest. A column "" is an award of the form outside its columns (counted in no column,
    named in the form's notes)."""
    authority = award.authority.lower()
    name = award.name.lower()
    is_form = award.kind == AwardKind.FORM
    individual = award.subject == Subject.INDIVIDUAL
    if "chủ tịch nước" in authority:
        return "0602", "order" if is_form else "honour"
    if "thủ tướng" in authority or "chính phủ" in authority:
        if is_form:
            return "0602", "pm_certificate"
        return "0602", "national_fighter" if individual else "gov_flag"
    if award.level in (AwardLevel.NATIONAL, AwardLevel.PROVINCE):
        if is_form and (award.cycle == Cycle.SENIORITY
                        or name.startswith(("kỷ niệm chương", "huy hiệu"))):
            return "0603", "badge"
        if is_form:
            return "0603", "certificate"
        if individual:
            return "0603", "fighter"
        return "0603", "flag" if name.startswith("cờ") else ""
    if is_form:
        return "CS", "giay_khen"
    if individual:
        return "CS", "fighter" if "chiến sĩ" in name else "worker_title"
    return "CS", "collective_title"


# -- the forms ---------------------------------------------------------------------------------

# The lines by subject and by way of commendation, as 0602 and 0603 have them: (label, unit,
# test of a tally or NOT_HELD, style). A subject the Department's data cannot hold (a business,
# a household, a provincial leader, a businessman) is 0: its units are schools and offices,
# its people their staff. The ways the catalogue does not record (foreign affairs, dedication,
# resistance) are "—".
SUBJECT_LINES = [
    ("- Tập thể", "Tập thể", lambda t: t.collective, ""),
    ("Trong đó: Doanh nghiệp", "Doanh nghiệp", lambda t: False, "part"),
    ("- Hộ gia đình", "Hộ", lambda t: False, ""),
    ("- Cá nhân", "Người", lambda t: not t.collective, ""),
    ("+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên", "Người", lambda t: False, ""),
    ("+ Lãnh đạo cấp vụ, sở, ngành và tương đương", "Người",
     lambda t: t.group == DEPARTMENT_LEADER, ""),
    ("+ Doanh nhân", "Người", lambda t: False, ""),
    ("+ Các cấp lãnh đạo khác từ phó phòng trở lên", "Người",
     lambda t: t.group == OTHER_LEADER, ""),
    ("+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu "
     "(công nhân, nông dân,...)", "Người", lambda t: t.group == WORKER, ""),
]
WAY_LINES = [
    ("- Thường xuyên", lambda t: t.award.cycle == Cycle.ANNUAL),
    ("- Chuyên đề", lambda t: t.award.cycle == Cycle.TOPIC),
    ("- Đột xuất", lambda t: t.award.cycle == Cycle.EXTRAORDINARY),
    ("- Đối ngoại", NOT_HELD),
    ("- Cống hiến", NOT_HELD),
    ("- Niên hạn", lambda t: t.award.cycle == Cycle.SENIORITY),
    ("- Kháng chiến", NOT_HELD),
]


def _award_form(number, title, columns, header, numbering, found, *, by_proposer=False,
                statutory=True) -> Form:
    """A form of awards: `columns` is [(column key, subject or None)]; a column no catalogue
    award counts in is "—" (the portal cannot record it), the total counts every award of the
    form. Codes run 01, 02… down the lines."""
    mine = [t for t in found.tallies if column_of(t.award)[0] == number]
    held = found.columns[number]

    def figures(test):
        chosen = [t for t in mine if test(t)]
        values = [sum(t.n for t in chosen)]
        for key, subject in columns:
            if key not in held:
                values.append(NOT_HELD)
                continue
            values.append(sum(t.n for t in chosen if column_of(t.award)[1] == key and (
                subject is None or (subject == Subject.COLLECTIVE) == t.collective)))
        return values

    blank = [""] * (len(columns) + 1)
    not_held = [NOT_HELD] * (len(columns) + 1)
    lines = [Line("Tổng số", "", "", figures(lambda t: True), "total")]
    if by_proposer:
        lines += [Line("1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen "
                       "thưởng", values=blank, style="heading"),
                  Line("- Bộ, ban, ngành, đoàn thể Trung ương", "", "Bộ, ngành",
                       figures(lambda t: False)),
                  Line("- Tỉnh, thành phố trực thuộc Trung ương", "", "Tỉnh, TP",
                       figures(lambda t: True))]
    part = 2 if by_proposer else 1
    lines.append(Line(f"{part}. Chia theo đối tượng khen thưởng", values=blank, style="heading"))
    lines += [Line(label, "", unit, figures(test), style)
              for label, unit, test, style in SUBJECT_LINES]
    lines.append(Line(f"{part + 1}. Chia theo phương thức khen thưởng", values=blank,
                      style="heading"))
    lines += [Line(label, "", "", not_held if test is NOT_HELD else figures(test))
              for label, test in WAY_LINES]
    code = 0
    for line in lines:
        if line.style != "heading":
            code += 1
            line.code = f"{code:02d}"
    notes = []
    women = sum(t.n for t in mine if t.female)
    individuals = sum(t.n for t in mine if not t.collective)
    if individuals:
        notes.append(_("Of the %(individuals)s individuals, %(women)s are women (the form has no "
                       "line for them).") % {"individuals": individuals, "women": women})
    outside = defaultdict(int)
    for t in mine:
        if column_of(t.award)[1] == "":
            outside[t.award.name] += t.n
    for name, n in sorted(outside.items()):
        notes.append(_("%(award)s: %(count)s, in the total but in none of the form's columns.")
                     % {"award": name, "count": n})
    return Form(number, f"{number}.N/BNV-TĐKT" if statutory else "", title, header, numbering,
                lines, notes=notes, statutory=statutory)


def form_0601(year: int) -> Form:
    """The campaigns: the year's launched plan (an annual, one-year campaign of the
    Department, an agency) and each cluster's pact (a campaign of a cluster)."""
    plans = (Campaign.objects.filter(year=year).exclude(status=CampaignStatus.DRAFT)
             .order_by().count())
    clusters = Cluster.objects.filter(year=year).order_by().count()

    def agency(n):
        return [n, 0, 0, n]

    blank = [""] * 4
    lines = [
        Line("Tổng số", "01", "", agency(plans + clusters), "total"),
        Line("1. Chia theo phạm vi tổ chức thi đua", values=blank, style="heading"),
        Line("- Toàn quốc", "02", "", [0, 0, 0, 0]),
        Line("- Bộ, ban, ngành đoàn thể, địa phương", "03", "", [0, 0, 0, 0]),
        Line("- Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức", "04", "",
             agency(clusters)),
        Line("- Cơ quan, tổ chức, đơn vị", "05", "", agency(plans)),
        Line("2. Chia theo thời hạn thi đua", values=blank, style="heading"),
        Line("- Dưới 1 năm", "06", "", [0, 0, 0, 0]),
        Line("- 1 năm", "07", "", agency(plans + clusters)),
        Line("- Từ 1 năm đến dưới 3 năm", "08", "", [0, 0, 0, 0]),
        Line("- Từ 3 năm đến dưới 5 năm", "09", "", [0, 0, 0, 0]),
        Line("- Từ 5 năm trở lên", "10", "", [0, 0, 0, 0]),
        Line("3. Chia theo phương thức tổ chức phong trào thi đua", values=blank,
             style="heading"),
        Line("- Thi đua theo chuyên đề", "11", "", [NOT_HELD] * 4),
        Line("- Thi đua thường xuyên hàng năm", "12", "", agency(plans + clusters)),
    ]
    header = [
        [Head("", rowspan=2), Head("Mã số", rowspan=2), Head("Tổng số", rowspan=2),
         Head("Số phong trào thi đua chia theo cấp chủ trì phát động thi đua", colspan=3)],
        [Head("Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)"),
         Head("Cấp bộ, ban ngành đoàn thể trung ương, tỉnh, thành phố trực thuộc Trung ương"),
         Head("Cơ quan, tổ chức, đơn vị")],
    ]
    notes = [
        _("The Department organises its campaigns as an agency (column 4): its year's plan is "
          "an annual campaign of one year; each emulation cluster or block of the year counts "
          "as a campaign of a cluster (line 04)."),
        _("Thematic campaigns (line 11) are launched outside the portal's plan: the portal "
          "does not record them, the line shows “—”."),
    ]
    return Form("0601", "0601.N/BNV-TĐKT", "SỐ PHONG TRÀO THI ĐUA", header,
                ["A", "B", "1=(2+3+4)", "2", "3", "4"], lines, measure="Đơn vị tính: Phong trào",
                notes=notes)


def form_0602(found) -> Form:
    columns = [("order", Subject.COLLECTIVE), ("order", Subject.INDIVIDUAL),
               ("hcm_prize", Subject.INDIVIDUAL), ("state_prize", Subject.INDIVIDUAL),
               ("honour", Subject.COLLECTIVE), ("honour", Subject.INDIVIDUAL),
               ("gov_flag", Subject.COLLECTIVE),
               ("pm_certificate", Subject.COLLECTIVE), ("pm_certificate", Subject.INDIVIDUAL),
               ("national_fighter", Subject.INDIVIDUAL),
               ("other", Subject.COLLECTIVE), ("other", Subject.INDIVIDUAL)]
    header = [
        [Head("", rowspan=3), Head("Mã số", rowspan=3), Head("Đơn vị tính", rowspan=3),
         Head("Tổng số", rowspan=3), Head("Chia ra", colspan=12)],
        [Head("Huân chương, huy chương", colspan=2),
         Head("Giải thưởng Hồ Chí Minh"), Head("Giải thưởng Nhà nước"),
         Head("Danh hiệu vinh dự nhà nước", colspan=2), Head("Cờ thi đua của Chính phủ"),
         Head("Bằng khen của Thủ tướng Chính phủ", colspan=2),
         Head("Chiến sĩ thi đua toàn quốc"),
         Head("Các hình thức khen thưởng khác", colspan=2)],
        [Head("Tập thể"), Head("Cá nhân"), Head("Cá nhân"), Head("Cá nhân"), Head("Tập thể"),
         Head("Cá nhân"), Head("Tập thể"), Head("Tập thể"), Head("Cá nhân"), Head("Cá nhân"),
         Head("Tập thể"), Head("Cá nhân")],
    ]
    numbering = ["A", "B", "C", "1", "2", "", "3", "4", "5", "", "6", "7", "", "8", "9", ""]
    form = _award_form("0602", "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC", columns, header,
                       numbering, found, by_proposer=True)
    form.notes.insert(0, _("Columns shown “—” have no award in the portal's catalogue (orders "
                           "and medals, the Hồ Chí Minh and State prizes, the State's honorary "
                           "titles such as Hero): the portal cannot record them."))
    return form


def form_0603(found) -> Form:
    columns = [("certificate", None), ("fighter", None), ("flag", None), ("badge", None)]
    header = [
        [Head("", rowspan=2), Head("Mã số", rowspan=2), Head("Đơn vị tính", rowspan=2),
         Head("Tổng số", rowspan=2), Head("Chia ra", colspan=4)],
        [Head("Bằng khen"), Head("Chiến sĩ thi đua cấp bộ, cấp tỉnh"),
         Head("Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc "
              "Trung ương"),
         Head("Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành "
              "phố trực thuộc Trung ương")],
    ]
    return _award_form("0603", "SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG "
                       "VÀ TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG", columns, header,
                       ["A", "B", "C", "1", "2", "3", "4", "5"], found)


def form_grassroots(found) -> Form:
    columns = [("giay_khen", Subject.COLLECTIVE), ("giay_khen", Subject.INDIVIDUAL),
               ("fighter", None), ("worker_title", None), ("collective_title", None)]
    header = [
        [Head("", rowspan=3), Head("Mã số", rowspan=3), Head("Đơn vị tính", rowspan=3),
         Head("Tổng số", rowspan=3), Head("Chia ra", colspan=5)],
        [Head("Giấy khen", colspan=2), Head("Chiến sĩ thi đua cơ sở", rowspan=2),
         Head("Lao động tiên tiến", rowspan=2), Head("Tập thể lao động tiên tiến", rowspan=2)],
        [Head("Tập thể"), Head("Cá nhân")],
    ]
    form = _award_form("CS", "SỐ LƯỢNG KHEN THƯỞNG CẤP CƠ SỞ", columns, header,
                       ["A", "B", "C", "1", "2", "", "3", "4", "5"], found, statutory=False)
    form.notes.insert(0, _("Not a form of the circular: the Department's own awards (its "
                           "director's Giấy khen and grassroots titles), laid out like form "
                           "0603 for the reader's convenience."))
    return form


def form_0604() -> Form:
    blank = [""]
    lines = [Line("Tổng số", "01", "Tổ chức", [NOT_HELD], "total"),
             Line("Chia theo cơ cấu tổ chức bộ máy", values=blank, style="heading"),
             Line("- Cấp Vụ thuộc bộ, ban, ngành, đoàn thể Trung ương", "02", "Vụ", [NOT_HELD]),
             Line("- Cấp phòng, ban hoặc bộ phận thuộc Vụ", "03", "Phòng", [NOT_HELD]),
             Line("- Cấp ban thuộc Sở Nội vụ", "04", "Ban", [NOT_HELD]),
             Line("- Cấp phòng thuộc Sở Nội vụ", "05", "Phòng", [NOT_HELD])]
    header = [[Head(""), Head("Mã số"), Head("Đơn vị tính"), Head("Số lượng")]]
    return Form("0604", "0604.N/BNV-TĐKT", "SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG "
                "CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
                header, ["A", "B", "C", "1"], lines, notes=[_(
                    "The portal does not hold the organisations doing emulation work: the form "
                    "is filled by the Department of Home Affairs; every figure is “—”.")])


def form_0605() -> Form:
    labels = [
        ("Tổng số", "total"), ("1. Chia theo độ tuổi", "heading"), ("- Từ 30 trở xuống", ""),
        ("- Từ 31 đến 40", ""), ("- Từ 41 đến 50", ""), ("- Từ 51 đến 55", ""),
        ("- Từ 56 đến 60", ""), ("- Trên 60 tuổi", ""),
        ("2. Chia theo trình độ đào tạo", "heading"), ("- Sơ cấp", ""), ("- Trung cấp", ""),
        ("- Cao đẳng", ""), ("- Đại học", ""), ("- Trên đại học", ""),
        ("3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng", "heading"),
        ("- Dưới 5 năm", ""), ("- Từ 5 đến 10 năm", ""), ("- Từ 10 năm trở lên", ""),
    ]
    lines, code = [], 0
    for label, style in labels:
        if style == "heading":
            lines.append(Line(label, values=["", ""], style=style))
        else:
            code += 1
            lines.append(Line(label, f"{code:02d}", "", [NOT_HELD, NOT_HELD], style))
    header = [[Head("", rowspan=2), Head("Mã số", rowspan=2),
               Head("Số lượng (Người)", colspan=2)],
              [Head("Tổng số"), Head("Trong đó: Nữ")]]
    return Form("0605", "0605.N/BNV-TĐKT", "SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN "
                "THƯỞNG CỦA BỘ, BAN, NGÀNH ĐOÀN THỂ TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC "
                "TRUNG ƯƠNG", header, ["A", "B", "1", "2"], lines, notes=[_(
                    "The portal does not record who works on emulation and commendation, nor "
                    "their training or years in the field: every figure is “—”.")])


FORMS = ("0601", "0602", "0603", "CS", "0604", "0605")


@dataclass(frozen=True)
class Found:
    tallies: list
    # The columns some catalogue award counts in, by form: a column none does is "—".
    columns: dict


def forms(year: int) -> list[Form]:
    """Every form of the year (4 queries: catalogue, conferrals, plans, clusters)."""
    awards = {award.pk: award for award in Award.objects.all()}
    columns = defaultdict(set)
    for award in awards.values():
        number, column = column_of(award)
        columns[number].add(column)
    found = Found(tallies(year, awards), columns)
    return [form_0601(year), form_0602(found), form_0603(found), form_grassroots(found),
            form_0604(), form_0605()]


def form(year: int, number: str) -> Form:
    return next(f for f in forms(year) if f.number == number)


def placed(header) -> list[tuple[int, int, Head]]:
    """(row, column, cell) of each header cell, 0-based, as a table lays out its row and column
    spans: a cell goes to the first column of its row not taken by a span from above."""
    taken: set = set()
    out = []
    for r, row in enumerate(header):
        c = 0
        for head in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, head))
            for dr in range(head.rowspan):
                for dc in range(head.colspan):
                    taken.add((r + dr, c + dc))
            c += head.colspan
    return out


def numbering_spans(numbering) -> list[tuple[str, int]]:
    """The column numbers' row as (text, span): an empty entry belongs to the number before it
    (a number over a pair of columns, "Tập thể" and "Cá nhân")."""
    spans: list = []
    for text in numbering:
        if text == "" and spans:
            spans[-1] = (spans[-1][0], spans[-1][1] + 1)
        else:
            spans.append((text, 1))
    return spans
