"""A throwaway certification authority for the signing tests: root → signer, with an expired, a
not-yet-valid and a wrong-usage signer, each written as a PKCS#12 file. Made anew for each test
session with `cryptography`; no real key is ever committed."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = b"mat-khau-thu"
NOW = datetime.datetime.now(datetime.UTC)
DAY = datetime.timedelta(days=1)
# Where the signers' certificates say their CRL is: a closed port on this machine, so a test
# that lets pyHanko fetch gets "no answer" at once, without the network.
CRL_URL = "http://127.0.0.1:9/ca-thu.crl"
SIGNER_NAME = "Nguyễn Văn Phó"  # the signer the test decisions name (test_documents.make_decision)
OTHER_NAME = "Trần Thị Khác"


@dataclass(frozen=True)
class Keys:
    folder: Path
    root_pem: Path
    good: Path
    expired: Path
    not_yet: Path
    wrong_usage: Path
    other_person: Path  # a valid signing certificate of someone else (OTHER_NAME)
    revoked: Path  # the signer's certificate, revoked on the CA's CRL
    crl: Path  # the CA's CRL (DER), listing `revoked`, for SIGNATURE_CRL_FILES
    good_serial: int
    tsa_cert: x509.Certificate  # a timestamp authority under the same root
    tsa_key: rsa.RSAPrivateKey
    root: x509.Certificate


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sở GD&ĐT (thử)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _cert(subject, key, issuer, issuer_key, *, start, end, ca=False, usage=None, eku=None,
          crl_url=None):
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(end)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    flags = dict.fromkeys(("digital_signature", "content_commitment", "key_encipherment",
                           "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign",
                           "encipher_only", "decipher_only"), False)
    flags.update(usage or ({"key_cert_sign": True, "crl_sign": True} if ca else
                           {"digital_signature": True, "content_commitment": True}))
    builder = builder.add_extension(x509.KeyUsage(**flags), critical=True)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    if crl_url:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None,
            reasons=None, crl_issuer=None)]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def make_keys(folder: Path, common_name: str = SIGNER_NAME) -> Keys:
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name("CA thử nghiệm (không dùng thật)")
    root = _cert(root_name, root_key, root_name, root_key, start=NOW - 400 * DAY,
                 end=NOW + 3650 * DAY, ca=True)
    root_pem = folder / "root.pem"
    root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))

    def signer(filename, *, start=NOW - DAY, end=NOW + 365 * DAY, usage=None,
               name=common_name):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _cert(_name(name), key, root_name, root_key, start=start,
                     end=end, usage=usage, crl_url=CRL_URL)
        path = folder / filename
        path.write_bytes(pkcs12.serialize_key_and_certificates(
            b"signer", key, cert, [root],
            serialization.BestAvailableEncryption(PASSWORD)))
        return path, cert

    good, cert = signer("giam-doc.p12")
    expired, _c = signer("het-han.p12", start=NOW - 400 * DAY, end=NOW - 30 * DAY)
    not_yet, _c = signer("chua-hieu-luc.p12", start=NOW + 30 * DAY, end=NOW + 400 * DAY)
    wrong, _c = signer("sai-muc-dich.p12", usage={"key_encipherment": True})
    other, _c = signer("nguoi-khac.p12", name=OTHER_NAME)
    revoked, revoked_cert = signer("da-thu-hoi.p12")
    crl = folder / "ca-thu.crl"
    crl.write_bytes(
        x509.CertificateRevocationListBuilder().issuer_name(root_name)
        .last_update(NOW - DAY).next_update(NOW + 7 * DAY)
        .add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(revoked_cert.serial_number)
            .revocation_date(NOW - DAY / 2)
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build())
        .add_extension(x509.CRLNumber(1), critical=False)
        .sign(root_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test
    # timestamper signs with RSA only
    tsa = _cert(_name("Máy chủ dấu thời gian thử"), tsa_key, root_name, root_key,
                start=NOW - DAY, end=NOW + 365 * DAY, eku=[ExtendedKeyUsageOID.TIME_STAMPING])
    return Keys(folder, root_pem, good, expired, not_yet, wrong, other, revoked, crl,
                cert.serial_number, tsa,
                tsa_key, root)
