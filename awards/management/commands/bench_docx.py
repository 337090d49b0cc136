"""Time the Word (.docx) version of a large decision on a scratch database.

    python manage.py bench_docx [--awardees 1000] [--repeat 3] [--keep]

Never touches the configured database (core.bench.scratch_default). It makes --awardees
staff over 20 schools and one decision conferring an award on all of them, then builds the
decision's .docx --repeat times (the same path as a download: awards.documents.build) and prints
the median and the slowest, the file's size and its annex rows. The target: under 3 s for 1,000
awardees (issue 18).
"""

import datetime
import io
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import translation
from docx import Document

from core import bench

TARGET_SECONDS = 3.0


class Command(BaseCommand):
    help = "Time the .docx of a decision with many awardees, on a scratch database."

    def add_arguments(self, parser):
        parser.add_argument("--awardees", type=int, default=1000)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--keep", action="store_true",
                            help="Keep the scratch database and print where it is.")

    def handle(self, *args, **opts):
        with bench.scratch_default("bench_docx", keep=opts["keep"], stdout=self.stdout), \
                translation.override("vi"):
            call_command("migrate", database="default", verbosity=0, interactive=False)
            decision = self._decision(opts["awardees"])
            self._time(decision, opts["repeat"])

    def _decision(self, count: int):
        from django.contrib.auth import get_user_model

        from awards.models import Award, AwardKind, Conferral, Decision, Subject
        from units.models import StaffMember, Unit, UnitKind

        root = Unit.objects.create(name="Sở Giáo dục và Đào tạo (bench)", code="so",
                                   kind=UnitKind.DEPARTMENT)
        schools = [Unit.objects.create(name=f"Trường THPT số {i + 1}", code=f"t{i}",
                                       parent=root, kind=UnitKind.SCHOOL) for i in range(20)]
        user = get_user_model().objects.create(username="bench")
        award, _created = Award.objects.get_or_create(
            code="bench-ldtt", defaults={"name": "Lao động tiên tiến", "kind": AwardKind.TITLE,
                                         "subject": Subject.INDIVIDUAL})
        decision = Decision.objects.create(
            award=award, year=2025, number="1802/QĐ-SGDĐT",
            signed_on=datetime.date(2026, 1, 4), signer_name="Nguyễn Văn A",
            signer_title="GIÁM ĐỐC", created_by=user)
        staff = StaffMember.objects.bulk_create(
            StaffMember(full_name=f"Nguyễn Thị Thanh Hương {i}", position="Giáo viên",
                        unit=schools[i % len(schools)]) for i in range(count))
        Conferral.objects.bulk_create(
            Conferral(award=award, year=2025, staff=person, unit=person.unit,
                      decision=decision.number, decided_on=decision.signed_on,
                      issued_by=decision) for person in staff)
        return decision

    def _time(self, decision, repeat: int):
        from awards.documents import build

        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            built = build("decision", {"decision": decision.pk}, "docx")
            times.append(time.perf_counter() - started)
        rows = len(Document(io.BytesIO(built.content)).tables[-1].rows) - 1
        median, worst = statistics.median(times), max(times)
        self.stdout.write(f"decision .docx, {rows} awardees: median {median:.2f} s, "
                          f"slowest {worst:.2f} s, {len(built.content) / 1024:.0f} KiB "
                          f"(target < {TARGET_SECONDS:.0f} s: "
                          f"{'met' if worst < TARGET_SECONDS else 'NOT MET'})")
