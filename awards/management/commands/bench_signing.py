"""Time signing a decision's PDF digitally and verifying it, on a scratch database.

    python manage.py bench_signing [--rows 1100] [--units 100] [--repeat 5] [--keep]

Never touches the configured database (core.bench.scratch_default), nor a real key: it makes a
throwaway self-signed key in memory. It builds a decision naming --rows people (1,100 make a
29-30-page decision with its annex), then prints the median and best time of:

- laying the PDF out to find the signature space (WeasyPrint; what the download costs too);
  for a decision above the direct limit this is the background worker's part, which also adds
  the empty signature field (awards.services_signing.prepare_for_signing);
- signing the prepared file in the request (what the director waits for on a long decision);
- signing it (pyHanko: the stamp, the CMS signature, the incremental update), without a
  timestamp server (SIGNATURE_TSA_URL adds a round trip to it);
- verifying the signed file (what the verification page does with an upload).

Target: signing and verifying each well under a second. TOO SLOW names what is over.
"""

import datetime
import statistics
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test import override_settings
from django.utils import translation

from core import bench

from ... import signing
from ...services_signing import prepare_for_signing, render_for_signing
from .bench_payout import _build

TARGET_S = 1.0
PASSWORD = b"bench"


def _throwaway_key() -> bytes:
    """A self-signed signing certificate and its key as a PKCS#12 file, made for this run."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Thử tải (không dùng thật)")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(
        b"bench", key, cert, None, serialization.BestAvailableEncryption(PASSWORD))


class Command(BaseCommand):
    help = ("Time signing a decision's PDF and verifying it, on a scratch database with a "
            "throwaway key.")

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1100, help="Awardees of the decision.")
        parser.add_argument("--units", type=int, default=100)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--keep", action="store_true",
                            help="Keep the scratch database and print where it is.")

    def handle(self, *args, **opts):
        bench.check_sizes(opts, "rows", "units", "repeat")
        with bench.scratch_default("bench_signing", keep=opts["keep"], stdout=self.stdout,
                                   sqlite_only=True), translation.override("vi"), \
                override_settings(SIGNATURE_TSA_URL=""):
            self._run(opts)

    def _run(self, opts):
        w = self.stdout.write
        call_command("migrate", database="default", verbosity=0, interactive=False)
        decision, _office = _build(opts["rows"], opts["units"])
        key_file = _throwaway_key()
        repeat = opts["repeat"]

        laid_out = []
        for _ in range(max(1, min(repeat, 2))):  # the layout is slow and not what is measured
            started = time.perf_counter()
            pdf, pages, stamp = render_for_signing(decision)
            laid_out.append(time.perf_counter() - started)
        w(f"bench_signing: decision of {opts['rows']:,} awardees, {pages} pages, "
          f"{len(pdf) / 1024:,.0f} KiB")

        def sign():
            backend = signing.Pkcs12Backend(key_file=bytearray(key_file),
                                            password=bytearray(PASSWORD))
            try:
                return signing.sign_pdf(pdf, backend.signer(), stamp).content
            finally:
                backend.close()

        started = time.perf_counter()
        prepared, _pages = prepare_for_signing(decision)
        prepares = [time.perf_counter() - started]
        unboxed = signing.Stamp(page=0, box=None, name=stamp.name, title=stamp.title)

        def sign_prepared():
            backend = signing.Pkcs12Backend(key_file=bytearray(key_file),
                                            password=bytearray(PASSWORD))
            try:
                return signing.sign_pdf(prepared, backend.signer(), unboxed).content
            finally:
                backend.close()

        signed = sign()  # once for the imports and the font, as a running server has them
        signs, verifies, prepared_signs = [], [], []
        for _ in range(repeat):
            started = time.perf_counter()
            signed = sign()
            signs.append(time.perf_counter() - started)
            started = time.perf_counter()
            assert signing.verify_pdf(sign_prepared())[0].valid
            prepared_signs.append(time.perf_counter() - started)
            started = time.perf_counter()
            found = signing.verify_pdf(signed)
            verifies.append(time.perf_counter() - started)
        assert found and found[0].intact and not found[0].changed_after, found

        slow = []
        for label, times, bound in (("layout (find the signature space)", laid_out, None),
                                    ("worker: layout + empty signature field", prepares, None),
                                    ("sign (stamp, CMS, incremental update)", signs, TARGET_S),
                                    ("request: sign the prepared file + verify", prepared_signs,
                                     TARGET_S),
                                    ("verify", verifies, TARGET_S)):
            over = bound is not None and statistics.median(times) > bound
            if over:
                slow.append(label)
            w(f"  {label:<40} median {statistics.median(times):6.3f} s   best "
              f"{min(times):6.3f} s{'   TOO SLOW' if over else ''}")
        w(f"  signed file {len(signed) / 1024:,.0f} KiB "
          f"(+{(len(signed) - len(pdf)) / 1024:,.1f} KiB)")
        if slow:
            w(f"TOO SLOW: {', '.join(slow)} (target {TARGET_S:.1f} s each)")
