"""The worlds other test packages build, reused here — a plan with a task assigned to units A
and B (`work`), a scored plan (`scored`), a second task for the import (`task2`) — and one
world with an object of every kind the portal guards, most of them unit A's.

It is put together from the worlds the app test modules already build, so that the security
tests try the same objects the role matrices do.
"""

import datetime

import pytest
from django.core.files.base import ContentFile

from awards.models import Award, DocumentStatus, GeneratedDocument, SpecialProposal
from tasks import services as task_services
from tasks.models import Cadence, IndicatorKind, Task

from ..awards.test_dossiers import World as DossierWorld
from ..awards.test_proposals import World as AwardsWorld
from ..factories import plan
from ..scoring.conftest import scored  # noqa: F401  (a fixture, used by `world`)
from ..scoring.test_clusters import World as ClustersWorld
from ..scoring.test_scoring_access import World as ScoringWorld
from ..tasks.conftest import work  # noqa: F401  (a fixture, used by `world`)
from ..tasks.test_excel import task2  # noqa: F401
from ..tasks.test_tasks_access import World as TasksWorld
from ..units.test_registers import World as RegistersWorld


class World:
    def __init__(self, cast, work, scored):  # noqa: F811
        self.cast = cast
        self.work = work
        self.tasks = TasksWorld(cast, work)
        self.scoring = ScoringWorld(cast, scored)
        self.awards = AwardsWorld(cast)
        self.registers = RegistersWorld(cast)
        self.clusters = ClustersWorld(cast)
        self.dissemination_a = work.campaign.disseminations.get(unit=cast.unit_a)
        # A task only unit A carries: unit B is not even told it exists.
        self.task_a = Task.objects.create(
            item=work.campaign.items.last(), title="Số hóa hồ sơ học sinh",
            indicator_kind=IndicatorKind.PERCENT, target_value=100, cadence=Cadence.ONCE,
            deadline=datetime.date(2022, 12, 31), lead_unit=cast.office_unit)
        task_services.assign(task=self.task_a, units=[cast.unit_a], user=cast.office)
        self.document_a = GeneratedDocument.objects.create(
            kind="decision", params={}, file_format="pdf", requested_by=cast.head_a,
            status=DocumentStatus.FAILED, error="hết bộ nhớ")
        self.draft_campaign = plan(units=[cast.unit_a])
        self.document_done_a = GeneratedDocument.objects.create(
            kind="decision", params={}, file_format="pdf", requested_by=cast.head_a,
            status=DocumentStatus.DONE, filename="quyet-dinh.pdf")
        self.document_done_a.file.save("quyet-dinh.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
        # A proposal outside the annual cycle (a topic award) for a person of unit A.
        self.special_a = SpecialProposal.objects.create(
            award=Award.objects.get(code="giay-khen-chuyen-de"), unit=cast.unit_a,
            staff=self.awards.person, year=2022, achievement="Cải cách hành chính",
            proposed_by=cast.head_a)
        # A dossier sent upward naming a person of unit A, with an uploaded attachment.
        self.dossiers = DossierWorld(cast)

    def pks(self):
        """Primary keys of real objects, to put in URLs instead of made-up numbers."""
        objects = [self.work.campaign, self.work.task, self.work.assignment_a, self.tasks.report,
                   self.tasks.evidence, self.scoring.manual_a, self.scoring.evidence,
                   self.awards.draft, self.awards.nominee, self.awards.decision,
                   self.registers.initiative_a, self.registers.violation_a, self.cast.unit_a,
                   self.dissemination_a, self.document_a, self.special_a,
                   self.dossiers.dossier, self.dossiers.attachment, self.awards.attachment]
        return sorted({obj.pk for obj in objects})


@pytest.fixture
def world(cast, work, scored):  # noqa: F811
    return World(cast, work, scored)
