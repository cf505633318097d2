"""A certificate authority and signers made in the test, and PDFs signed with them (pyHanko)."""

from __future__ import annotations

import datetime as dt
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from asn1crypto import keys, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID


@dataclass
class Identity:
    key: ec.EllipticCurvePrivateKey
    cert: cx509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(common_name, rfc="", curp=""):
    parts = [cx509.NameAttribute(NameOID.COMMON_NAME, common_name), cx509.NameAttribute(NameOID.COUNTRY_NAME, "MX")]
    if rfc:  # as the SAT's e.firma: x500UniqueIdentifier "RFC / RFC" and serialNumber "CURP / CURP"
        # (a PrintableString, as the SAT encodes it, not the BIT STRING of X.520)
        parts.append(cx509.NameAttribute(NameOID.X500_UNIQUE_IDENTIFIER, f"{rfc} / {rfc}", _ASN1Type.PrintableString))
    if curp:
        parts.append(cx509.NameAttribute(NameOID.SERIAL_NUMBER, f"{curp} / "))
    return cx509.Name(parts)


def make_ca(name="AC de prueba del portal") -> Identity:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    subject = _name(name)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(cx509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(cx509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(cx509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Identity(key, cert)


def make_signer(ca: Identity, name="María Fernanda López Ruiz", rfc="LORM800101AB1", curp="LORM800101MJCPZR09"):
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(_name(name, rfc, curp))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(cx509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(cx509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(cx509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    return Identity(key, cert)


def _sign(pdf: bytes, signer: Identity, ca: Identity) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der_key = signer.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    simple = signers.SimpleSigner(
        signing_cert=x509.Certificate.load(signer.cert.public_bytes(serialization.Encoding.DER)),
        signing_key=keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs(
            [x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))]
        ),
    )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
        signers.PdfSignatureMetadata(field_name="FirmaElectronica", name=signer.cert.subject.rfc4514_string()),
        signer=simple,
    )
    return out.getvalue()


def sign_pdf(pdf: bytes, signer: Identity, ca: Identity) -> bytes:
    """``pdf`` with an incremental PDF signature by ``signer`` (pyHanko's sync API in a thread of its own, since
    the calling thread may run an asyncio loop — Playwright's)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_sign, pdf, signer, ca).result()


def tamper(signed: bytes) -> bytes:
    """The signed PDF with one byte of the signed range changed (a letter of the producer in the document
    information, so the file still opens and its text still reads)."""
    at = signed.index(b"/Producer (") + len(b"/Producer (")
    assert at < signed.index(b"/ByteRange"), "the byte must lie in the signed range"
    changed = bytearray(signed)
    changed[at] = ord("X") if changed[at] != ord("X") else ord("Y")
    return bytes(changed)
