"""Time the certificates (Giấy khen) of a large decision on a scratch database.

    python manage.py bench_certificates [--awardees 1000] [--repeat 1] [--keep]

Never touches the configured database (core.bench.scratch_default). It makes --awardees
staff over 20 schools, one Giấy khen decision conferring the award on all of them and a layout
of the pre-printed blank, then:
- builds both PDFs in the process (the same path as a download: awards.documents.build),
  --repeat times each, and prints the median, the slowest, the pages and the size;
- asks for each as a person does (a GeneratedDocument queued) and runs the real worker
  (`db_worker --batch`) until the queue is empty, timing the request to the finished file.
The target: 1,000 certificates under 30 s through the worker (issue 18). Each line gives the
wall time, the CPU time spent (this process and the processes that made the parts of the PDF
side by side: awards.documents.certificates.CHUNK pages each) and the load average when it
ended: on a machine busy with other work the wall time grows, the CPU time much less.
"""

import datetime
import io
import os
import resource
import signal
import statistics
import tempfile
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import translation

from core import bench

TARGET_SECONDS = 30.0


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the parts made in parallel)."""
    return sum(usage.ru_utime + usage.ru_stime
               for usage in (resource.getrusage(resource.RUSAGE_SELF),
                             resource.getrusage(resource.RUSAGE_CHILDREN)))


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f}"


class Command(BaseCommand):
    help = "Time 1,000 certificates of a decision (built-in design and blanks), on a scratch " \
           "database."

    def add_arguments(self, parser):
        parser.add_argument("--awardees", type=int, default=1000)
        parser.add_argument("--repeat", type=int, default=1)
        parser.add_argument("--keep", action="store_true",
                            help="Keep the scratch database and print where it is.")

    def handle(self, *args, **opts):
        if opts["awardees"] < 1 or opts["repeat"] < 1:
            raise CommandError("--awardees and --repeat must be at least 1.")
        with bench.scratch_default("bench_certificates", keep=opts["keep"],
                                   stdout=self.stdout), translation.override("vi"), \
                tempfile.TemporaryDirectory(prefix="bench-certificates-") as media, \
                override_settings(MEDIA_ROOT=media):
            call_command("migrate", database="default", verbosity=0, interactive=False)
            decision, layout, user = self._data(opts["awardees"])
            from awards.documents.certificates import CHUNK, processes
            self.stdout.write(f"{processes()} processes, parts of {CHUNK} pages, {_load()}")
            for label, params in (("built-in design", {"decision": decision.pk}),
                                  ("pre-printed blanks", {"decision": decision.pk,
                                                          "layout": layout.pk})):
                self._in_process(label, params, opts["repeat"])
                self._through_worker(label, params, user)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"peak memory of this process: {peak:.0f} MiB")

    def _data(self, count: int):
        from django.contrib.auth import get_user_model

        from awards.models import Award, AwardKind, CertificateLayout, Conferral, Decision, Subject
        from awards.models_certificate import DEFAULT_FIELDS
        from units.models import StaffMember, Unit, UnitKind

        root = Unit.objects.create(name="Sở Giáo dục và Đào tạo (bench)", code="so",
                                   kind=UnitKind.DEPARTMENT)
        schools = [Unit.objects.create(name=f"Trường THPT số {i + 1}", code=f"t{i}",
                                       parent=root, kind=UnitKind.SCHOOL) for i in range(20)]
        user = get_user_model().objects.create(username="bench", is_superuser=True)
        award, _created = Award.objects.get_or_create(
            code="giay-khen-giam-doc-so",
            defaults={"name": "Giấy khen của Giám đốc Sở", "kind": AwardKind.FORM,
                      "subject": Subject.INDIVIDUAL})
        decision = Decision.objects.create(
            award=award, year=2025, number="1802/QĐ-SGDĐT",
            signed_on=datetime.date(2026, 1, 4), signer_name="Nguyễn Văn A",
            signer_title="GIÁM ĐỐC", created_by=user)
        staff = StaffMember.objects.bulk_create(
            StaffMember(full_name=f"ĐẶNG THỊ ÁNH TUYẾT {i}", position="Giáo viên",
                        unit=schools[i % len(schools)]) for i in range(count))
        Conferral.objects.bulk_create(
            Conferral(award=award, year=2025, staff=person, unit=person.unit,
                      decision=decision.number, decided_on=decision.signed_on,
                      issued_by=decision) for person in staff)
        layout = CertificateLayout.objects.create(name="Phôi (bench)", positions=DEFAULT_FIELDS,
                                                  updated_by=user)
        return decision, layout, user

    def _in_process(self, label: str, params: dict, repeat: int):
        from awards.documents import build

        times, cpu = [], []
        for _ in range(repeat):
            started, cpu_started = time.perf_counter(), _cpu()
            built = build("certificates", params, "pdf")
            times.append(time.perf_counter() - started)
            cpu.append(_cpu() - cpu_started)
        self.stdout.write(
            f"{label}, in the process: {built.pages} pages, median {statistics.median(times):.1f}"
            f" s, slowest {max(times):.1f} s (CPU {statistics.median(cpu):.1f} s), "
            f"{len(built.content) / 1024:.0f} KiB, {_load()}")

    def _through_worker(self, label: str, params: dict, user):
        from awards.models import DocumentStatus, GeneratedDocument
        from awards.services_documents import request_document

        started, cpu_started = time.perf_counter(), _cpu()
        document = request_document(user=user, kind="certificates", params=params, fmt="pdf")
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM,
                                                            signal.SIGQUIT)}
        try:
            call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0,
                         verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu_started
        document = GeneratedDocument.objects.get(pk=document.pk)
        if document.status != DocumentStatus.DONE:
            raise CommandError(f"{label}: the worker did not finish it: {document.error}")
        met = "met" if seconds < TARGET_SECONDS else "NOT MET"
        self.stdout.write(f"{label}, through the worker: {document.pages} certificates in "
                          f"{seconds:.1f} s, CPU {cpu:.1f} s "
                          f"(target < {TARGET_SECONDS:.0f} s: {met}), {_load()}")
