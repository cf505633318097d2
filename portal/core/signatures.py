"""PDF signatures (e.firma and the like) read with pyHanko: are the signed bytes intact, who signed (name and
RFC from the certificate's subject, as the SAT writes them), when, and whether the signer chains to a trust root
the operator configured (``PORTAL_SIGNATURE_TRUST_ROOTS``: paths of PEM files; none is shipped).

pyHanko's synchronous API runs ``asyncio.run`` inside; a thread that already has a running loop (Playwright's
in the browser tests, an ASGI worker) cannot call it, so every validation runs in a worker thread of its own.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# An RFC: 3 letters (legal person) or 4 (natural person), the date yymmdd and a 3-character homoclave.
RFC_RE = re.compile(r"\b([A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3})\b")
_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdf-signature")


class SignatureStatus(models.TextChoices):
    NONE = "none", _("Sin firma digital")
    TRUSTED = "trusted", _("Firma íntegra y firmante verificado")
    UNVERIFIED = "unverified", _("Firma íntegra; firmante no verificado contra una raíz de confianza configurada")
    UNTRUSTED = "untrusted", _("Firma íntegra; el firmante no se encadena a ninguna raíz de confianza configurada")
    INVALID = "invalid", _("Firma inválida: el documento cambió después de firmarse o la firma no corresponde")


@dataclass(frozen=True)
class SignatureCheck:
    status: str
    signer: str = ""
    rfc: str = ""
    signed_at: dt.datetime | None = None
    count: int = 0  # signatures in the document; the result describes the last one (the one covering the most)
    detail: str = ""  # pyHanko's own summary, for the record

    @property
    def label(self) -> str:
        return str(SignatureStatus(self.status).label)


def _accept_text_unique_identifiers() -> None:
    """Let asn1crypto (under pyHanko) read the SAT's x500UniqueIdentifier, a PrintableString or UTF8String where
    X.520 says BIT STRING: without this every e.firma certificate breaks path building and name matching."""
    from asn1crypto import core, x509

    if getattr(x509.NameTypeAndValue, "_portal_text_unique_identifier", False):
        return

    class UniqueIdentifier(core.Choice):
        _alternatives = [
            ("bit_string", core.OctetBitString),
            ("printable_string", core.PrintableString),
            ("utf8_string", core.UTF8String),
            ("ia5_string", core.IA5String),
            ("teletex_string", core.TeletexString),
            ("bmp_string", core.BMPString),
        ]

    x509.NameTypeAndValue._oid_specs = {**x509.NameTypeAndValue._oid_specs, "unique_identifier": UniqueIdentifier}
    x509.NameTypeAndValue._portal_text_unique_identifier = True


def subject_fields(cert) -> tuple[str, str]:
    """The signer's name and RFC from the certificate's subject. The SAT puts the RFC in x500UniqueIdentifier
    ("RFC / RFC of the legal representative") as a text string — not the BIT STRING asn1crypto expects, so the
    subject is read with ``cryptography`` — and some issuers in serialNumber; the first RFC-looking value wins."""
    from cryptography import x509  # loaded where used: +14 MB of RSS in every web and worker process otherwise
    from cryptography.x509.oid import NameOID

    try:
        subject = x509.load_der_x509_certificate(cert.dump()).subject
    except ValueError:
        return "", ""

    def first(oid) -> str:
        for attribute in subject.get_attributes_for_oid(oid):
            value = attribute.value
            return value.decode("latin-1", "replace") if isinstance(value, bytes) else str(value)
        return ""

    name = first(NameOID.COMMON_NAME) or first(NameOID.ORGANIZATION_NAME)
    rfc = ""
    for oid in (NameOID.X500_UNIQUE_IDENTIFIER, NameOID.SERIAL_NUMBER):
        match = RFC_RE.search(first(oid).upper())
        if match:
            rfc = match.group(1)
            break
    return name, rfc


@lru_cache(maxsize=8)
def _load_roots(files: tuple[tuple[str, int, int], ...]):
    from asn1crypto import pem, x509

    roots = []
    for path, _size, _mtime in files:
        with open(path, "rb") as handle:
            data = handle.read()
        if pem.detect(data):
            roots.extend(x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, multiple=True))
        else:
            roots.append(x509.Certificate.load(data))
    return tuple(roots)


def trust_roots() -> tuple:
    """The operator's trust roots (asn1crypto certificates), read again only when a file changes."""
    paths = [p for p in (getattr(settings, "PORTAL_SIGNATURE_TRUST_ROOTS", None) or ()) if p]
    files = []
    for path in paths:
        stat = os.stat(path)
        files.append((path, stat.st_size, stat.st_mtime_ns))
    return _load_roots(tuple(files)) if files else ()


def _validate(content: bytes, roots: tuple) -> SignatureCheck:
    _accept_text_unique_identifiers()
    # pyHanko (and asn1crypto above) are imported here on purpose: after the patch, and only in the process that
    # validates a signed copy (importing them takes ~0.8 s, measured with -X importtime).
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures
    except Exception:  # a PDF pyHanko cannot parse carries no signature we could check
        logger.info("PDF not readable for signatures", exc_info=True)
        return SignatureCheck(SignatureStatus.NONE)
    if not signatures:
        return SignatureCheck(SignatureStatus.NONE)
    signature = signatures[-1]
    # Never the operating system's store: only what the operator configured counts as a root.
    context = ValidationContext(trust_roots=list(roots), allow_fetching=False)
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as exc:  # broken CMS, unknown algorithm, byte range outside the file…
        logger.info("PDF signature not verifiable", exc_info=True)
        return SignatureCheck(SignatureStatus.INVALID, count=len(signatures), detail=str(exc)[:500])
    signer, rfc = subject_fields(status.signing_cert) if status.signing_cert is not None else ("", "")
    signed_at = status.signer_reported_dt
    if status.timestamp_validity is not None:
        signed_at = status.timestamp_validity.timestamp
    intact = bool(status.intact and status.valid) and status.docmdp_ok is not False
    if not intact:
        state = SignatureStatus.INVALID
    elif not roots:
        state = SignatureStatus.UNVERIFIED
    elif status.trusted:
        state = SignatureStatus.TRUSTED
    else:
        state = SignatureStatus.UNTRUSTED
    return SignatureCheck(
        state,
        signer=signer[:250],
        rfc=rfc,
        signed_at=signed_at,
        count=len(signatures),
        detail=str(status.summary())[:500],
    )


def pdf_signature_check(content: bytes) -> SignatureCheck:
    """Check the last signature of the PDF ``content``; a file without one is ``NONE``."""
    if b"/ByteRange" not in content:  # cheap: every PDF signature dictionary has one
        return SignatureCheck(SignatureStatus.NONE)
    roots = trust_roots()
    return _executor.submit(_validate, content, roots).result(timeout=60)
