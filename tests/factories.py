import datetime

import factory
from django.contrib.auth import get_user_model

from campaigns.models import Campaign, ContentItem, Duty, LegalBasis, Recipient, RecipientPurpose
from tasks import tallies
from tasks.models import Assignment, Cadence, IndicatorKind, ProgressReport, ReportStatus, Task
from units.models import Role, StaffCategory, StaffMember, Unit, UnitKind

PASSWORD = "test-pass-123"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Trường THPT Số {n}")
    short_name = factory.Sequence(lambda n: f"THPT {n}")
    code = factory.Sequence(lambda n: f"unit-{n}")
    kind = UnitKind.SCHOOL
    headcount = 80


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    position = "Chuyên viên"
    unit = factory.SubFactory(UnitFactory)
    category = StaffCategory.CIVIL_SERVANT
    role = Role.STAFF
    recruitment_date = datetime.date(2015, 9, 1)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    number = factory.Sequence(lambda n: str(n + 1))
    year = 2022
    title = "Toàn ngành đồng lòng thi đua nâng cao chỉ số cải cách hành chính"
    issuing_unit = factory.LazyFunction(
        lambda: Unit.objects.filter(parent__isnull=True).first()
        or UnitFactory(kind=UnitKind.DEPARTMENT, name="Sở Giáo dục và Đào tạo Bình Phước")
    )
    issued_on = datetime.date(2022, 1, 14)
    signer_name = "Trần Văn Giám"
    # A provincial department writes the province's name before the date, not its town.
    place = "Bình Phước"
    purposes = "Mục đích thứ nhất.\nMục đích thứ hai."
    requirements = "Yêu cầu thứ nhất."


class ContentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentItem

    campaign = factory.SubFactory(CampaignFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Nội dung thực hiện số {n}: công khai thủ tục hành chính.")


class LegalBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalBasis

    campaign = factory.SubFactory(CampaignFactory)
    doc_type = "Quyết định"
    number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    date = datetime.date(2021, 7, 28)
    issuer = "UBND tỉnh Bình Phước"
    subject = "phê duyệt Đề án"


class DutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Duty

    campaign = factory.SubFactory(CampaignFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Các phòng, văn phòng và đơn vị trực thuộc phổ biến Kế hoạch."
    asks_dissemination = True


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    campaign = factory.SubFactory(CampaignFactory)
    name = "Các đơn vị trực thuộc"
    purpose = RecipientPurpose.IMPLEMENT


def person(role, unit, username, **kwargs):
    """A user with a staff record in `unit` and the given portal role."""
    user = UserFactory(username=username)
    StaffMemberFactory(user=user, unit=unit, role=role, **kwargs)
    return user


def plan(*, items=3, units=()):
    """A draft campaign with legal bases, items, a dissemination duty for `units`, recipients."""
    campaign = CampaignFactory()
    LegalBasisFactory(campaign=campaign, order=1)
    for number in range(1, items + 1):
        ContentItemFactory(campaign=campaign, number=number)
    duty = DutyFactory(campaign=campaign, number=1)
    duty.units.set(units)
    RecipientFactory(campaign=campaign)
    return campaign


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    item = factory.SubFactory(ContentItemFactory)
    title = factory.Sequence(lambda n: f"Nhiệm vụ cải cách hành chính số {n}")
    indicator_kind = IndicatorKind.PERCENT
    target_value = 100
    unit_of_measure = "%"
    cadence = Cadence.QUARTERLY
    deadline = datetime.date(2022, 12, 31)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    unit = factory.SubFactory(UnitFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Rows written past the services keep the dashboards' tallies as the services do.
        assignment = super()._create(model_class, *args, **kwargs)
        tallies.recount_assignments([assignment.task.item_id])
        return assignment


class ProgressReportFactory(factory.django.DjangoModelFactory):
    """A report of one period; `period_due` follows the assignment's periods."""

    class Meta:
        model = ProgressReport

    assignment = factory.SubFactory(AssignmentFactory)
    period = "2022-Q1"
    period_due = factory.LazyAttribute(lambda o: o.assignment.period(o.period).due)
    value = 100
    narrative = "Đã thực hiện đầy đủ trong kỳ."
    status = ReportStatus.DRAFT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        report = super()._create(model_class, *args, **kwargs)
        tallies.count_report(None, tallies.report_state(report.pk))
        return report


# A list is sent with the parts its checklist asks of the unit and the unit's signed letter
# (awards.services.submit refuses it otherwise): tests that send a list only to move it on use
# this; tests of the refusals call services.submit themselves.
LETTER_NUMBER = "15/TTr-THPT"


def send_list(proposal, user, *, sent_on=None, number=LETTER_NUMBER):
    from django.utils import timezone

    from awards import services
    from awards.demo_unit_dossier import give_parts

    give_parts(proposal, user)
    proposal.refresh_from_db()
    return services.submit(proposal, sent_on=sent_on or timezone.localdate(), number=number,
                           version=proposal.version, user=user)
