"""Reads of the public registry: search, counts, statistics and projections (no login needed)."""

from __future__ import annotations

import datetime as dt
import functools
import re

from django.conf import settings
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Exists,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import JSONObject
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agreements.choices import (
    DocumentKind,
    EntryStatus,
    TerminationStatus,
)
from portal.core.sqlconditions import OwnTableCondition
from portal.core.text import fold

from ..columns import LIST_LOOKUPS
from ..models import (
    ExportJob,
    RegistryAmendment,
    RegistryCertificate,
    RegistryEntry,
    Termination,
)

__all__ = [
    "COUNT_CAP",
    "SEARCH_COUNT_CAP",
    "search_by_month",
    "entry_status_expression",
    "entry_terminations",
    "registry_amendment_entry",
    "amendments_in_order",
    "entries_missing_certificate",
    "with_amendments",
    "terminations_decided",
    "terminations_pending",
    "entry_status_q",
    "in_force_q",
    "expiring_soon",
    "expiry_state",
    "export_job_get",
    "registered_agreements",
    "registry_certificate_by_sha256",
    "registry_entry_detail",
    "registry_list_values",
    "registry_search",
]

COUNT_CAP = 1_000
SEARCH_COUNT_CAP = 100
EXPIRY_WINDOW_DAYS = 90


def entry_status_q(status: str, today: dt.date | None = None) -> Q:
    """The one rule for where an entry stands on ``today``: terminated from its termination date on, else expired
    after its end date, else in force (an open-ended agreement stays in force)."""
    today = today or timezone.localdate()
    terminated = Q(terminated_on__lte=today)
    expired = Q(expires_on__lt=today) & ~terminated
    if status == EntryStatus.TERMINATED:
        return terminated
    if status == EntryStatus.EXPIRED:
        return expired
    if status == EntryStatus.IN_FORCE:
        return (Q(terminated_on__isnull=True) | Q(terminated_on__gt=today)) & (
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )
    raise ValueError(status)


def in_force_q(today: dt.date | None = None) -> Q:
    """«Vigente» everywhere a page counts agreements in force: profiles, comparison, map, statistics, API."""
    return entry_status_q(EntryStatus.IN_FORCE, today)


def entry_status_expression(today: dt.date | None = None) -> Case:
    return Case(
        When(entry_status_q(EntryStatus.TERMINATED, today), then=Value(EntryStatus.TERMINATED.value)),
        When(entry_status_q(EntryStatus.EXPIRED, today), then=Value(EntryStatus.EXPIRED.value)),
        default=Value(EntryStatus.IN_FORCE.value),
        output_field=CharField(),
    )


def registered_agreements(*, amendments: bool = False):
    """What the public registry shows: published entries, never the internal review documents, each with its
    ``status`` today (:class:`~agreements.choices.EntryStatus`); with ``amendments``, their ``amendment_rows`` too
    (``with_amendments``).

    ``search_text`` (the folded words the search reads, ~400 bytes a row) is never shown: not loaded. The
    queryset is built once a day per process and each call gets a fresh clone of it: resolving the status and the
    amendments' subquery cost about 2 ms of every request otherwise."""
    return _registered_agreements_on(timezone.localdate(), amendments).all()


@functools.lru_cache(maxsize=4)
def _registered_agreements_on(today: dt.date, amendments: bool):
    # Never evaluated itself (callers get clones), so it caches no rows.
    queryset = (
        RegistryEntry.objects.select_related("state", "municipality")
        .defer("search_text")
        .annotate(status=entry_status_expression(today))
    )
    return with_amendments(queryset) if amendments else queryset


class _JSONArrayAgg(Aggregate):
    """The rows' JSON values as one JSON array (PostgreSQL ``JSONB_AGG``, SQLite ``JSON_GROUP_ARRAY``)."""

    function = "JSONB_AGG"  # jsonb: Django reads it as text and decodes it (psycopg would decode json itself)
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def with_amendments(queryset):
    """Entries with ``amendment_rows``: their modifications and extensions as plain dicts (``kind``,
    ``registry_number``, ISO dates, ``id``; ``None`` without any), read by the entries' own statement.

    A correlated subquery rather than a ``prefetch_related``: a page costs one statement whether it holds rows or
    not (Django skips a prefetch over an empty page, so its query count changed with the rows shown). Callers put
    the rows in order (``amendments_in_order``).
    """
    rows = (
        RegistryAmendment.objects.filter(entry=OuterRef("pk"))
        .order_by()
        .values("entry")
        .annotate(
            rows=_JSONArrayAgg(
                JSONObject(
                    id="id",
                    kind="kind",
                    registry_number="registry_number",
                    signed_on="signed_on",
                    registered_on="registered_on",
                    expires_on="expires_on",
                )
            )
        )
        .values("rows")
    )
    return queryset.annotate(amendment_rows=Subquery(rows, output_field=JSONField()))


def amendments_in_order(amendment_rows: list[dict] | None) -> list[dict]:
    """An entry's ``amendment_rows`` (``with_amendments``), oldest inscription first, without their ids."""
    rows = sorted(amendment_rows or [], key=lambda row: (row["registered_on"], row["id"]))
    return [{key: value for key, value in row.items() if key != "id"} for row in rows]


def export_job_get(job_id):
    """A background export, or ``None``; callers check ``expired`` (its link has lapsed)."""
    return ExportJob.objects.filter(pk=job_id).first()


def registry_list_values(queryset, lookups=LIST_LOOKUPS):
    """A page's rows as plain values of ``lookups``: the public list's columns (``columns.LIST_LOOKUPS``) by default,
    the API serializer's (``lookups()``) for the API. No model instances (75 of them per page otherwise)."""
    return queryset.values(*lookups)


def registry_amendment_entry(registry_number: str) -> str | None:
    """The original entry's number when ``registry_number`` is a modification's or extension's own."""
    return (
        RegistryAmendment.objects.filter(registry_number=registry_number)
        .values_list("entry__registry_number", flat=True)
        .first()
    )


def registry_entry_detail(*, registry_number: str) -> RegistryEntry:
    return get_object_or_404(
        registered_agreements().select_related("certificate").prefetch_related("themes"),
        registry_number=registry_number,
    )


def entries_missing_certificate(*, created_before: dt.datetime | None = None):
    """Ids of the entries inscribed by the workflow (their case holds a signed copy) that have no certificate
    yet, oldest first; with ``created_before``, only the entries created before it."""
    pending = RegistryEntry.objects.filter(
        Exists(RegistryEntry.objects.filter(pk=OuterRef("pk"), agreement__documents__kind=DocumentKind.SIGNED_COPY)),
        certificate__isnull=True,
    )
    if created_before is not None:
        pending = pending.filter(created_at__lt=created_before)
    return pending.order_by("created_at", "id").values_list("pk", flat=True)


def registry_certificate_by_sha256(sha256: str) -> RegistryCertificate | None:
    """The issued certificate whose SHA-256 is ``sha256`` (any case, blanks around ignored); ``None`` for no match
    or for anything that is not 64 hexadecimal digits."""
    digest = (sha256 or "").strip().lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        return None
    return RegistryCertificate.objects.select_related("entry").filter(sha256=digest).first()


def _search_words(folded: str) -> tuple[list[str], list[str]]:
    """The folded words a search looks for and those it excludes with «-»; words of fewer than three letters are
    left out of those it looks for (they begin too many words), and so is websearch's «or»."""
    wanted, excluded = [], []
    for token in folded.split():
        words = re.findall(r"\w+", token)
        (excluded if token.startswith("-") else wanted).extend(words)
    return [word for word in wanted if len(word) >= 3 and word != "or"], excluded


def word_beginnings(folded: str) -> str:
    """A ``to_tsquery('simple', …)`` of the folded words of a search, the last one as a word beginning, the one
    being typed ("'cooperacion' & 'tecn':*"), a word excluded with «-» still excluded ("'jalisco':* & !'salud'").
    Empty when no word is left to look for. Only the last word is a beginning: each beginning reads the index
    entries of every word it begins (78 ms for «salud pública Jalisco» as three beginnings at 1,000,000 entries);
    the query runs it as the words it begins (``word_beginnings_sql``)."""
    wanted, excluded = _search_words(folded)
    if not wanted:
        return ""
    return " & ".join([*(f"'{word}'" for word in wanted[:-1]), f"'{wanted[-1]}':*", *(f"!'{w}'" for w in excluded)])


# A beginning that begins at most this many of the registry's words is looked up as those words, exactly.
_WORD_BEGINNINGS = 50


def word_beginnings_sql(folded: str) -> tuple[str, list] | None:
    """SQL for the text of :func:`word_beginnings`' query, its last word's beginning replaced by the words it begins
    (``registry_search_word``, ``registry`` migration 0009): "'cooperacion' & ('tecnica' | 'tecnico')". As a
    prefix the words index reads every entry of every word it begins into one bitmap first (65 ms for «jalisco» at
    1,000,000 entries, 2 ms as the word). Past ``_WORD_BEGINNINGS`` words, or none, the prefix is kept."""
    wanted, excluded = _search_words(folded)
    if not wanted:
        return None
    last = wanted[-1]
    listed = (
        "(SELECT CASE WHEN count(*) <= %s THEN string_agg(quote_literal(listed.word), ' | ') END FROM"
        " (SELECT word FROM registry_search_word WHERE word LIKE %s ORDER BY word LIMIT %s) AS listed)"
    )
    sql = f"concat_ws(' & ', %s::text, '(' || coalesce({listed}, %s) || ')', %s::text)"
    head = " & ".join(f"'{word}'" for word in wanted[:-1]) or None
    tail = " & ".join(f"!'{word}'" for word in excluded) or None
    like = last.replace("\\", "\\\\").replace("_", "\\_") + "%"
    return sql, [head, _WORD_BEGINNINGS, like, _WORD_BEGINNINGS + 1, f"'{last}':*", tail]


class _PostgresTextMatch(OwnTableCondition):
    """``search_vector @@ websearch_to_tsquery(...) OR search_words @@ to_tsquery(...)`` on the query's own alias:
    the Spanish words (stemmed) or the words typed, the last one as a word beginning.

    ``search_vector`` and ``search_words`` are PostgreSQL-only generated columns (``registry`` migrations 0004 and
    0010), so they are not model fields; this expression names them through the table alias Django gives the
    registry in each query, which keeps it valid inside subqueries (statistics by theme, ``pk__in`` filters). Both
    are indexed; stored, they cost a row's check as little as an index's, so the planner can walk rows until a page
    is full for a common word instead of building the bitmap of all its entries.
    """

    def __init__(self, text: str, folded: str):
        super().__init__()
        self.text, self.folded = text, folded

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(self.alias)
        words = f"{alias}.search_vector @@ websearch_to_tsquery('public.spanish_unaccent', %s)"
        beginnings = word_beginnings_sql(self.folded)
        if beginnings is None:
            return f"({words})", [self.text]
        sql, params = beginnings
        return (
            f"({words} OR {alias}.search_words @@ to_tsquery('simple', {sql}))",
            [self.text, *params],
        )


class _MonthKeysMatch(_PostgresTextMatch):
    """The same search within one month of signature, through the month keys' index (``registry`` migration 0008):
    ``registry_month_keys(...) @@`` the search's Spanish stems and word beginnings, each prefixed with ``month``
    (``portal.core.keyset.month_number``).
    Phrase operators become ``&``: the keys have no positions, and the search itself (``_PostgresTextMatch``,
    beside it) still decides."""

    def __init__(self, text: str, folded: str, month):
        super().__init__(text, folded)
        self.month = month

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(self.alias)
        month, month_params = compiler.compile(self.month)
        stems = "regexp_replace(websearch_to_tsquery('public.spanish_unaccent', %s)::text, '<[0-9-]*>', '&', 'g')"
        lexeme = r"'''([^'']*)'''"  # a quoted lexeme of a tsquery's text, captured
        beginnings, beginnings_params = word_beginnings_sql(self.folded) or ("NULL::text", [])
        sql = (
            f"registry_month_keys({alias}.search_vector, {alias}.search_text, {alias}.signed_on) @@ concat_ws(' | ', "
            f"'(' || nullif(regexp_replace({stems}, {lexeme}, '''s' || {month} || ':\\1''', 'g'), '') || ')', "
            f"'(' || nullif(regexp_replace({beginnings}, {lexeme}, '''w' || {month} || ':\\1''', 'g'), '') || ')'"
            ")::tsquery"
        )
        return sql, [self.text, *month_params, *beginnings_params, *month_params]


def search_by_month(text: str):
    """For ``keyset_page(by_month=...)``: the registry search ``text`` within one month of signature, read through
    the month keys' index; ``None`` where there is no such index (SQLite) or no search."""
    folded = fold(text or "")
    if not (folded and settings.USING_POSTGRES):
        return None
    return lambda month: _MonthKeysMatch(text, folded, month)


def registry_search(queryset, text: str):
    """Spanish, accent- and case-insensitive search over title, counterpart and signing office.

    PostgreSQL: the stored ``spanish_unaccent`` tsvector (its words stemmed: «acuerdos» finds «acuerdo») or words
    that begin with every word typed («coope» finds «cooperación»), both through GIN indexes. Elsewhere: every
    folded word must appear in the folded text.
    """
    folded = fold(text)
    if not folded:
        return queryset
    if settings.USING_POSTGRES:
        return queryset.filter(_PostgresTextMatch(text, folded))
    for word in folded.split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def expiring_soon(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return today, today + dt.timedelta(days=EXPIRY_WINDOW_DAYS)


def expiry_state(expires_on: dt.date | None, window: tuple[dt.date, dt.date]) -> str:
    """``open_ended``, ``expired``, ``expiring`` (within ``window``, see ``expiring_soon``) or ``in_force``."""
    start, end = window
    if expires_on is None:
        return "open_ended"
    if expires_on < start:
        return "expired"
    return "expiring" if expires_on <= end else "in_force"


def terminations_pending():
    """The CJA's queue: notices awaiting confirmation, oldest first."""
    return list(
        Termination.objects.filter(status=TerminationStatus.REQUESTED)
        .select_related("entry", "entry__state", "entry__municipality", "requested_by")
        .order_by("requested_at", "id")
    )


def terminations_decided(limit: int = 20):
    return list(
        Termination.objects.exclude(status=TerminationStatus.REQUESTED)
        .select_related("entry", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def entry_terminations(entry):
    """The notices of ``entry``, newest first (shown to its office and to the CJA)."""
    return list(entry.terminations.select_related("requested_by", "decided_by").order_by("-requested_at", "-id"))
