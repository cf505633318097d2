"""In-process measurements: queries per request (and their plans), the placeholders of the scenarios' paths, the registry entries a page's filters match."""

from __future__ import annotations

import json
import re
import secrets
import time
from collections import Counter

from .cache import invalidate_cached_statistics
from .processes import log
from .scenarios import DEPTHS, ROTATE_DEPTHS, Scenario

__all__ = ["DEMO_USERS", "PREFETCH", "make_sessions", "measure_queries", "placeholder_values", "registry_matches"]

DEMO_USERS = {"cja": "cja@demo.mx", "dgcp": "dgcp@demo.mx"}


def make_sessions() -> dict[str, str]:
    """A signed-in session per demo account, verified by a second factor.

    Production settings do not exempt demo accounts from TOTP, and the API refuses a DGCP/CJA account without
    one (``portal.institutions.mfa``): each account gets a TOTP authenticator in the run's clone, and its
    session is marked verified as a sign-in with the code would.
    """
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from portal.institutions.middleware import SESSION_KEY as MFA_SESSION_KEY

    sessions = {}
    for role, email in DEMO_USERS.items():
        user = get_user_model().objects.get(email=email)
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": secrets.token_hex(20)}}
        )
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[MFA_SESSION_KEY] = True
        store.create()
        sessions[role] = store.session_key
    return sessions


def _explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()]


def measure_queries(scenarios: list[Scenario], sessions: dict[str, str]) -> dict[str, dict]:
    """Queries per request for each scenario and its variants; the slowest statement with its plan."""
    import logging

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    durations: list[float] = []
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # a failing variant is reported below

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            durations.append((time.perf_counter() - started) * 1000)

    results = {}
    for scenario in scenarios:
        # A variant that fails (500) is recorded and fails the run's gates; page 1 failing stops the run.
        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
        if scenario.user:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[scenario.user]
        counts, failed, shapes, deferred = {}, {}, {}, []
        captured = []
        for suffix in ["", *scenario.variants]:
            path = suffix if suffix.startswith("/") else scenario.path + suffix  # another page, or parameters
            client.get(path)  # warm: translations, session touch
            if scenario.bust_cache:  # a cached page is measured on its uncached path, else on the cache hit
                invalidate_cached_statistics(quiet=True)
            durations.clear()
            with CaptureQueriesContext(connection) as context, connection.execute_wrapper(timer):
                response = client.get(path)
            if response.status_code in (200, 202) and response.has_header("Retry-After") and suffix:
                # Statistics counted in the background (bench.deferred): a different answer, not this page's
                # statements; listed apart, never compared with page 1's count.
                deferred.append(suffix)
                log(f"  {scenario.key}: variant {path} deferred (counted in the background)")
                continue
            if response.status_code != 200:
                if not suffix:
                    raise SystemExit(f"{path} answered {response.status_code} in-process (expected 200)")
                error = getattr(response, "exc_info", None)
                failed[suffix] = f"{response.status_code}" + (f": {error[1]!r}"[:300] if error else "")
                log(f"  {scenario.key}: variant {path} answered {failed[suffix]}")
                continue
            counts[suffix or "(page 1)"] = len(context.captured_queries)
            shapes[suffix or "(page 1)"] = [_shape(q["sql"]) for q in context.captured_queries]
            if not suffix:
                captured = [
                    {"ms": round(ms, 3), "sql": q["sql"]}
                    for ms, q in zip(durations, context.captured_queries, strict=True)
                ]
        slowest = sorted(captured, key=lambda q: q["ms"], reverse=True)[:3]
        differing = {}
        for name, statements in shapes.items():
            if counts[name] != counts["(page 1)"]:
                differing[name] = {
                    "only_here": list((Counter(statements) - Counter(shapes["(page 1)"])).elements()),
                    "only_on_page_1": list((Counter(shapes["(page 1)"]) - Counter(statements)).elements()),
                }
        extra = [q for d in differing.values() for q in d["only_here"] + d["only_on_page_1"]]
        entry = {
            "queries": counts["(page 1)"],
            "variants": counts,
            "failed_variants": failed,
            "deferred_variants": deferred,
            "invariant": len(set(counts.values())) == 1,
            # The only difference is a prefetch_related query Django skips when the parent list is empty
            # (a government without a migrant office): the count does not grow with the data.
            "only_empty_prefetch": bool(extra) and all(PREFETCH.search(q) for q in extra),
            "differing_statements": differing,
            "db_ms": round(sum(q["ms"] for q in captured), 3),
            "statements": captured,
            "plans": [
                {"ms": q["ms"], "sql": q["sql"], "plan": _explain(q["sql"])}
                for q in slowest
                if q["ms"] >= 5 and q["sql"].lstrip().upper().startswith("SELECT")
            ],
        }
        results[scenario.key] = entry
    return results


PREFETCH = re.compile(r'WHERE "\w+"\."\w+" IN \(…\)( ORDER BY [^()]*)?$')


def _shape(sql: str) -> str:
    """A statement without its values: literals and IN lists replaced, to compare the queries of two pages."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\bIN \([^()]*\)", "IN (…)", sql)
    return re.sub(r"\b\d+(\.\d+)?\b", "?", sql)


def placeholder_values() -> dict[str, str]:
    """Values the registry scenarios' paths need from the data: cursors 25 to ~100,000 rows deep, for the HTML list
    (``portal.core.keyset``: base64 of ``[date, id]``) and for the API (DRF ``CursorPagination``: ``p=<date>``),
    with the row they start after (the raw keyset anchor's ``before=``)."""
    import base64

    from django.db import connection

    def drf(position: str) -> str:
        return base64.b64encode(f"p={position}".encode()).decode()

    def html(day, pk) -> str:
        return base64.urlsafe_b64encode(json.dumps([day.isoformat(), pk]).encode()).decode().rstrip("=")

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM agreements_registryentry")
        total = cursor.fetchone()[0]
        values = {}
        for name, rows in {**ROTATE_DEPTHS, **DEPTHS}.items():
            # Capped to the dataset (a smoke run has a few thousand entries): the deep page still has a page.
            cursor.execute(
                "SELECT signed_on, id FROM agreements_registryentry ORDER BY signed_on DESC, id DESC OFFSET %s LIMIT 1",
                [min(rows, max(total - 50, 0))],
            )
            day, pk = cursor.fetchone()
            values.update(
                {f"date_{name}": day.isoformat(), f"id_{name}": str(pk), f"html_{name}": html(day, pk)}
                | {f"api_{name}": drf(day.isoformat())}
            )

    from portal.core.keyset import _encode

    def deep_case_cursor(sql: str) -> str:
        """The keyset cursor ~1,000 rows into a case list (the first page's when the list is shorter)."""
        with connection.cursor() as cursor:
            cursor.execute(sql + " OFFSET 1000 LIMIT 1")
            row = cursor.fetchone()
        return _encode(row) if row else ""

    inbox_statuses = "status IN ('in_review', 'registration_requested')"

    return {
        **values,
        "deep_date": values["date_100k"],
        "deep_id": values["id_100k"],
        "deep_html": values["html_100k"],
        "deep_api": values["api_100k"],
        "mid_filter_api": drf("2015-07-01"),
        "deep_cja": deep_case_cursor(
            f"SELECT cja_deadline, id FROM agreements_agreement WHERE {inbox_statuses} ORDER BY cja_deadline, id"
        ),
        "deep_dgcp": deep_case_cursor(
            "SELECT issued_at, id FROM agreements_dictamen WHERE status = 'issued' ORDER BY issued_at, id"
        ),
        "deep_dashboard": deep_case_cursor(
            "SELECT step_entered_at, id FROM agreements_agreement WHERE closed_at IS NULL ORDER BY step_entered_at, id"
        ),
    }


def registry_matches(scenarios: list[Scenario]) -> dict[str, int]:
    """Entries each registry page's filters match (``RegistryFilterSet(...).qs.count()``), for the report."""
    from urllib.parse import urlsplit

    from django.http import QueryDict

    from agreements.registry.filtersets import RegistryFilterSet
    from agreements.registry.selectors import registered_agreements

    out = {}
    for scenario in scenarios:
        if not scenario.matches:
            continue
        query = QueryDict(urlsplit(scenario.path).query, mutable=True)
        for name in ("cursor", "page_size", "despues", "antes"):
            query.pop(name, None)
        out[scenario.key] = RegistryFilterSet(query or None, queryset=registered_agreements()).qs.count()
    return out
