"""Writes of the public registry: publication from the workflow, the RAII CSV import, expiry reminders."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements import countries
from agreements.choices import (
    DocumentKind,
    RegistrySource,
)
from cooperation.selectors import current_focal_point
from portal.core.commitcache import add_on_commit, bump_versions_on_commit
from portal.core.exceptions import ValidationFailed
from portal.core.pagecache import bump_versions
from portal.core.queueing import enqueue, enqueue_on_commit, on_commit
from portal.core.text import fold
from portal.geography.models import Municipality, State
from portal.geography.profiles import PROFILES_VERSION_KEY
from portal.institutions.models import Institution
from portal.institutions.selectors import permission_holders
from portal.notifications.choices import NoticeEvent
from portal.notifications.services import notification_send

from ..background import email_send_task, registry_stats_warm_task
from ..certificates import certificate_pdf
from ..columns import IMPORT_COLUMNS, IMPORTED
from ..models import EXPIRY_REMINDER_DAYS, RegistryCertificate, RegistryEntry
from ..selectors.stats import REGISTRY_STATS_WARM_QUEUED_KEY, REGISTRY_VERSION_KEY
from ..validators import entry_errors
from .stats import registry_stats_deferred

__all__ = [
    "IMPORT_COLUMNS",
    "ImportReport",
    "RowError",
    "registry_certificate_issue",
    "registry_expiry_reminders",
    "registry_import",
]

# What ``_derived`` computes from an entry's columns.
_DERIVED = ("region", "search_text")
# The public fields an import may set (its columns but the number it is matched by, and what they derive), compared
# to decide whether an existing entry changed.
_ENTRY_FIELDS = [*(c.lookup for c in IMPORTED if c.name != "registry_number"), *_DERIVED]
# The import's column of each model field (``municipality`` → ``municipality_code``), to report a model rule's error.
_COLUMN_OF_FIELD = {RegistryEntry._meta.get_field(c.lookup).name: c.name for c in IMPORTED}


def _derived(entry: RegistryEntry) -> None:
    entry.region = countries.region_for(entry.counterpart_country)
    entry.search_text = fold(f"{entry.title} {entry.counterpart_name} {entry.signing_office}")


def _registry_changed() -> None:
    """Invalidate cached statistics (a new version makes every old cache key unreachable) and count the
    unfiltered dashboard again in the background, so that its next visitor does not wait for it.

    One count is queued at a time: changes committed before it starts are counted by it (a burst of step-12
    closes queues one count, not one per close); the task clears the mark as it starts, so a change committed
    after that queues the next."""

    bump_versions(REGISTRY_VERSION_KEY, PROFILES_VERSION_KEY)  # the profiles show the registry's entries and figures
    _registry_stats_warm_request()


def _registry_changed_on_commit() -> None:
    """``_registry_changed`` once the transaction commits, in one round trip with the transaction's other cache
    writes (``commitcache``: step 12 also writes the case, a model the profiles show, and asks for the outbox's
    flush)."""
    bump_versions_on_commit(REGISTRY_VERSION_KEY, PROFILES_VERSION_KEY)
    add_on_commit(REGISTRY_STATS_WARM_QUEUED_KEY, timeout=60, then=_registry_stats_warm_queue)


def _registry_stats_warm_request() -> None:
    """Queue the count of the unfiltered statistics unless one is queued and not started (``_registry_changed``)."""
    if cache.add(REGISTRY_STATS_WARM_QUEUED_KEY, True, timeout=60):
        _registry_stats_warm_queue()


def _registry_stats_warm_queue() -> None:
    """Queue the count (its marker just added); a count that cannot be queued leaves no marker behind."""
    if not enqueue(registry_stats_warm_task, catch_up="the first visitor's request"):
        cache.delete(REGISTRY_STATS_WARM_QUEUED_KEY)


def _set_themes(entries: list[RegistryEntry], *, new: bool = False) -> None:
    """The theme rows of saved ``entries``, from their ``theme_keys`` (``new``: entries just inserted, which have
    none to replace)."""
    through = RegistryEntry.themes.through
    if not new:
        through.objects.filter(registryentry_id__in=[entry.pk for entry in entries]).delete()
    through.objects.bulk_create(
        [through(registryentry_id=entry.pk, theme_id=key) for entry in entries for key in entry.theme_keys],
        batch_size=2000,
    )


# --- constancia de inscripción -------------------------------------------------


def registry_certificate_issue(*, entry_id: int) -> RegistryCertificate:
    """Step 12: the certificate of inscription of a workflow entry, once (a second call returns the first).

    It states the SHA-256 of the registered signed copy and its digital signature check, and points to the
    public entry; its own SHA-256 is kept so anyone holding the PDF can verify it (``registry_certificate_verify``).
    """
    with transaction.atomic():
        entry = RegistryEntry.objects.select_for_update().get(pk=entry_id)  # not joined: FOR UPDATE refuses outer joins
        existing = RegistryCertificate.objects.filter(entry=entry).first()
        if existing is not None:
            return existing
        signed = None
        if entry.agreement_id:
            signed = (
                entry.agreement.documents.filter(kind=DocumentKind.SIGNED_COPY).order_by("-uploaded_at", "-id").first()
            )
        if signed is None:
            raise ValidationFailed(_("Solo se emite constancia de un acuerdo inscrito con su copia firmada."))
        url = settings.PORTAL_BASE_URL + reverse("agreements:registry_detail", args=[entry.registry_number])
        with translation.override(settings.LANGUAGE_CODE):  # the document is in Spanish, whoever triggers it
            pdf = certificate_pdf(
                entry=entry,
                signed_copy_sha256=signed.sha256,
                signature_status=signed.signature_status,
                signer=signed.signature_signer,
                rfc=signed.signature_rfc,
                verify_url=url,
            )
        certificate = RegistryCertificate(
            entry=entry,
            sha256=pdf.sha256,
            signed_copy_sha256=signed.sha256,
            signature_status=signed.signature_status,
        )
        certificate.file.save("constancia.pdf", ContentFile(pdf.content), save=False)
        certificate.save()
    return certificate


# --- import ------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return _("línea %(line)s, columna %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column or "—",
            "message": self.message,
        }


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_rows(content: bytes) -> tuple[list[dict], list[RowError]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [
            RowError(1, "", _("el archivo no está en UTF-8 (byte inválido en la posición %(p)s).") % {"p": exc.start})
        ]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        return [], [RowError(1, ", ".join(missing), _("faltan columnas en el encabezado."))]
    rows = []
    for row in reader:
        rows.append({k.strip(): (v or "").strip() for k, v in row.items() if k is not None})
    return rows, []


def _row_errors(values: dict, line: int, states: set[str], municipalities: dict[str, str]) -> list[RowError]:
    """The codes of the row's state and municipality looked up in the geography loaded once (``states``; the
    state of each municipality), then the rules between its columns, the model's (``validators.entry_errors``),
    over the values its columns parsed (a column that did not parse is left out: the rules that read it are
    skipped, its own error already says why)."""
    errors: list[RowError] = []
    state, municipality = values.get("state_code"), values.get("municipality_code")
    if "state_code" in values and state not in states:
        errors.append(
            RowError(line, "state_code", _("«%(v)s» no es una clave INEGI de entidad (01–32).") % {"v": state})
        )
    if municipality and municipality not in municipalities:
        errors.append(
            RowError(line, "municipality_code", _("«%(v)s» no es una clave INEGI de municipio.") % {"v": municipality})
        )
    parsed = {column.lookup: values[column.name] for column in IMPORTED if column.name in values}
    if state not in states:  # an unknown state: no municipality is asked to belong to it
        parsed["state_id"] = None
    found = entry_errors(parsed, municipality_state_id=municipalities.get(municipality))
    for field_name, messages in found.items():
        errors.extend(RowError(line, _COLUMN_OF_FIELD[field_name], message) for message in messages)
    return errors


def _validate(rows: list[dict]) -> tuple[list[tuple[int, RegistryEntry]], list[RowError]]:
    """Each row's cells parsed by their column (``columns.COLUMNS``), then the rules between them; an entry (not
    saved) for each valid row, its fields set through the columns' lookups."""
    states = set(State.objects.values_list("code", flat=True))
    municipalities = dict(Municipality.objects.values_list("inegi_code", "state_id"))
    errors: list[RowError] = []
    valid: list[tuple[int, RegistryEntry]] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        row_errors: list[RowError] = []
        values = {}
        for column in IMPORTED:
            try:
                values[column.name] = column.parse(row[column.name])
            except ValidationError as exc:
                row_errors.extend(RowError(line, column.name, message) for message in exc.messages)
        number = values.get("registry_number")
        if number in seen:
            row_errors.append(
                RowError(
                    line, "registry_number", _("número repetido (ya aparece en la línea %(l)s).") % {"l": seen[number]}
                )
            )
        elif number:
            seen[number] = line
        row_errors.extend(_row_errors(values, line, states, municipalities))
        if row_errors:
            errors.extend(row_errors)
            continue
        entry = RegistryEntry(source=RegistrySource.IMPORT, **{c.lookup: values[c.name] for c in IMPORTED})
        _derived(entry)
        valid.append((line, entry))
    return valid, errors


def registry_import(
    *,
    content: bytes,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 1000,
) -> ImportReport:
    """Validate every row first; write nothing if any row is invalid; upsert by registry number."""
    rows, errors = _read_rows(content)
    report = ImportReport(total=len(rows), errors=errors, dry_run=dry_run)
    if errors:
        return report
    valid, report.errors = _validate(rows)
    if report.errors:
        return report
    institutions = dict(Institution.objects.values_list("name", "id"))
    with transaction.atomic(), registry_stats_deferred():
        for start in range(0, len(valid), batch_size):
            chunk = valid[start : start + batch_size]
            existing = RegistryEntry.objects.in_bulk(
                [e.registry_number for _line, e in chunk], field_name="registry_number"
            )
            to_create, to_update = [], []
            for _line, entry in chunk:
                entry.institution_id = institutions.get(entry.signing_office)
                current = existing.get(entry.registry_number)
                if current is None:
                    to_create.append(entry)
                    continue
                if all(getattr(current, f) == getattr(entry, f) for f in _ENTRY_FIELDS):
                    report.unchanged += 1
                    continue
                if current.expires_on != entry.expires_on:  # a new end: its reminders start again
                    current.expiry_reminder_stage = None
                for f in _ENTRY_FIELDS:
                    setattr(current, f, getattr(entry, f))
                current.institution_id = current.institution_id or entry.institution_id
                to_update.append(current)
            report.created += len(to_create)
            report.updated += len(to_update)
            if not dry_run:
                RegistryEntry.objects.bulk_create(to_create, batch_size=batch_size)
                if any(e.pk is None for e in to_create):  # backends that do not return ids
                    ids = dict(
                        RegistryEntry.objects.filter(
                            registry_number__in=[e.registry_number for e in to_create]
                        ).values_list("registry_number", "id")
                    )
                    for e in to_create:
                        e.pk = ids[e.registry_number]
                now = timezone.now()
                for e in to_update:
                    e.updated_at = now
                RegistryEntry.objects.bulk_update(
                    to_update,
                    [*_ENTRY_FIELDS, "institution_id", "expiry_reminder_stage", "updated_at"],
                    batch_size=batch_size,
                )
                _set_themes([*to_create, *to_update])
            if progress:
                progress(min(start + batch_size, len(valid)), len(valid))
        if dry_run:
            transaction.set_rollback(True)
        else:
            on_commit(_registry_changed)
    return report


# --- reminders -----------------------------------------------------------------


def _expiry_recipients(entry: RegistryEntry) -> tuple[list, str]:
    """Who hears that ``entry`` ends: the signing office's active staff; else its focal point (its portal
    account, or its e-mail address when it has none); else the DGCP. ``(users, address)``."""

    User = get_user_model()

    def holders(permission, **office):
        return list(permission_holders(permission, **office).order_by("pk"))

    staff = holders("agreements.file_agreement", institution_id=entry.institution_id)
    if staff:
        return staff, ""
    focal_point = current_focal_point(institution=entry.institution)
    if focal_point is not None and focal_point.email:
        account = User.objects.filter(email__iexact=focal_point.email, is_active=True).first()
        return ([account], "") if account else ([], focal_point.email)
    return holders("agreements.approve_dictamen"), ""


def _due_reminders(today: dt.date):
    """Entries whose next reminder is due today: within 90 days of their end, past a threshold not yet told."""
    not_told = Q(expiry_reminder_stage__isnull=True)
    for sent, following in zip(EXPIRY_REMINDER_DAYS, EXPIRY_REMINDER_DAYS[1:], strict=False):
        not_told |= Q(expiry_reminder_stage=sent, expires_on__lte=today + dt.timedelta(days=following))
    return (
        RegistryEntry.objects.filter(
            not_told,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=EXPIRY_REMINDER_DAYS[0]),
            institution__isnull=False,
        )
        .select_related("institution", "agreement__institution")
        .order_by("expires_on", "pk")
    )


def registry_expiry_reminders(*, today: dt.date | None = None) -> int:
    """Tell the signing office that an agreement ends: 90, 30 and 7 days before its last day in force and on
    the day itself, each reminder once. The stage is claimed on the row before the notices are written, in
    one transaction, so a re-run of the daily task (or two at once) never repeats one; a day the task did not
    run is caught up the next day with the reminder then due. Returns how many reminders went out."""
    today = today or timezone.localdate()
    sent = 0
    for entry in _due_reminders(today):
        days = (entry.expires_on - today).days
        stage = min(d for d in EXPIRY_REMINDER_DAYS if d >= days)
        with transaction.atomic():
            claimed = (
                RegistryEntry.objects.filter(pk=entry.pk)
                .filter(Q(expiry_reminder_stage__isnull=True) | Q(expiry_reminder_stage__gt=stage))
                .update(expiry_reminder_stage=stage, expiry_reminder_sent_on=today)
            )
            if not claimed:
                continue
            users, address = _expiry_recipients(entry)
            context = {"entry": entry, "days": days}
            url = reverse("agreements:registry_detail", args=[entry.registry_number])
            if users:
                params = {
                    "days": days,
                    "entry": {
                        "title": entry.title,
                        "counterpart_name": entry.counterpart_name,
                        "registry_number": entry.registry_number,
                        "expires_on": entry.expires_on.isoformat(),
                        "automatic_renewal": entry.automatic_renewal,
                    },
                }
                notification_send(
                    recipients=users,
                    event=NoticeEvent.EXPIRY_REMINDER,
                    params=params,
                    agreement=entry.agreement,
                    url=url,
                )
            elif address:
                _email_address_on_commit(
                    address, template="agreements/notices/expiry_reminder", context=context, url=url
                )
        sent += 1
    return sent


def _email_address_on_commit(address: str, *, template: str, context: dict, url: str) -> None:
    """E-mail someone without a portal account (a focal point), after commit, through a retrying task."""

    with translation.override("es-mx"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context).strip()
    body = f"{body}\n\n{settings.PORTAL_BASE_URL}{url}"
    enqueue_on_commit(email_send_task, address, f"[Portal AII] {subject}", body, catch_up="nothing (logged)")
