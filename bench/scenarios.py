"""The scenario table: every page, anchor and variant the harness measures, by suite."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import quote_plus

from agreements.choices import STAT_DIMENSIONS

from .data.registry_vocabulary import SEARCH_EXTRA_TERMS, SEARCH_TERMS
from .data.vocabulary import PROFILE_MEDIUM, PROFILE_POOR, PROFILE_RICH

__all__ = [
    "DEPTHS",
    "DEPTH_BUDGET",
    "MIX_REGIONS",
    "MIX_STATES",
    "MIX_THEMES",
    "ROTATE_DEPTHS",
    "SCENARIOS",
    "SCENARIO_BY_KEY",
    "SUITES",
    "SUITE_SECONDS",
    "Scenario",
    "scenario_seconds",
]


# "concurrency" has no scenario of its own: it is the section of bench/concurrency.py (public pages and inboxes
# together under production's gunicorn), run after the others.
SUITES = ("cases", "registry", "profiles", "concurrency")
# Seconds of (warm-up, measurement) per scenario unless --warmup/--duration are given. The case pages keep the
# recorded method (2 + 8 s); the registry and profile pages are many and use 1 + 3 s so that `make bench` stays
# near 10 minutes (with 2 repetitions a scenario still gets 150-3,000 samples; slow pages set `seconds`).
SUITE_SECONDS = {"cases": (2, 8), "registry": (1, 3), "profiles": (1, 3)}


@dataclass
class Scenario:
    key: str
    label: str
    path: str
    user: str | None = None  # demo account whose session cookie is sent; anchors run without a session
    anchor: str | None = None  # key of the anchor the p95 ratio is computed against
    target_ms: float | None = None  # server-time p95 target (the budget)
    ratio_budget: float | None = None  # client p95 / anchor client p95 budget (reference §4.2), informational
    server_ratio_budget: float | None = None  # server p95 / anchor server p95 (the budget), a target
    variants: list[str] = field(default_factory=list)  # same page, other rows: the query count must not change
    rows: str | None = None  # how to read the rows shown: "folios"/"registry" (HTML), "results"/"stats" (JSON)
    sanity: bool = False  # A0: p50 <= 1.5 ms and >= 2,500 req/s with 2 workers (reference §4.2)
    suite: str = "cases"
    compare: str | None = None  # anchor URL whose rows the page must show (checked once, not load-tested)
    matches: bool = False  # report how many registry entries the page's filters match
    seconds: int | None = None  # measured seconds for this scenario (a slow page needs more samples)
    bust_cache: bool = False  # every request gets year bounds no request used before: the page's uncached path
    rotate: list[str] = field(default_factory=list)  # paths the requests rotate over (wrk_report.lua), path first
    depth_of: str | None = None  # key of the same list's page 1: this deeper page's server p95 is judged against it
    depth_budget: float | None = None  # server p95 / page 1's server p95 (the issue's "≤ 2× its own page 1")
    may_be_empty: bool = False  # a zero-hit search: the page and its anchor must both show no rows

    @property
    def is_anchor(self) -> bool:
        return self.key.startswith("raw_") or self.sanity

    def resolved(self, values: dict) -> Scenario:
        """Placeholders ({deep_api}, {deep_html}, ...) filled with values read from the run's database."""
        return replace(
            self,
            path=self.path.format(**values),
            variants=[v.format(**values) for v in self.variants],
            compare=self.compare.format(**values) if self.compare else None,
            rotate=[r.format(**values) for r in self.rotate],
        )


# Rows deep of the deep-page scenarios (capped to the dataset by placeholder_values) and the mixes' depths.
DEPTHS = {"1k": 1_000, "100k": 100_000}
ROTATE_DEPTHS = {"25": 25, "250": 250, "1k": 1_000, "10k": 10_000, "100k": 100_000}
DEPTH_BUDGET = 2  # a deep page's server p95 ≤ 2× its own page 1 (issue #14)
MIX_STATES = ("14", "09", "19", "21", "04", "32")  # Jalisco, Ciudad de México, Nuevo León, Puebla, Campeche, Zacatecas
MIX_THEMES = ("health", "education", "migration", "trade", "environment", "security")
MIX_REGIONS = ("europe", "north_america", "asia")


def _registry_scenarios() -> list[Scenario]:
    """The public registry, anonymous: list, deep page, search in three bands, filters, statistics."""
    api_sizes = ["page_size=10", "page_size=100", "cursor={deep_api}", "cursor={deep_api}&page_size=100"]
    page = {"suite": "registry", "target_ms": 100, "matches": True}
    out = [
        Scenario("raw_registry", "A1 raw registry list", "/bench/raw/registry/", rows="results", suite="registry"),
        Scenario(
            "registry_html",
            "/registro/ (HTML list)",
            "/registro/",
            anchor="raw_registry",
            server_ratio_budget=5,
            variants=["?despues={deep_html}", "?antes={deep_html}"],
            rows="registry",
            **page,
        ),
        Scenario(
            "registry_api",
            "/api/v1/registry/",
            "/api/v1/registry/",
            anchor="raw_registry",
            server_ratio_budget=5,
            variants=["?" + v for v in api_sizes],
            rows="results",
            **page,
        ),
        Scenario(
            "raw_registry_deep",
            "A1 raw registry list, deep keyset",
            "/bench/raw/registry/?before={deep_date},0",
            rows="results",
            suite="registry",
        ),
    ]
    # Deep pages, HTML and API, 1,000 and ~100,000 rows in (the keyset cursors; page 1 is the list above): each
    # judged against its own page 1 (≤ 2×) and compared with the raw keyset query that starts at the same row.
    for depth in DEPTHS:
        out += [
            Scenario(
                f"registry_html_deep_{depth}",
                f"/registro/ {depth} rows deep (keyset cursor)",
                f"/registro/?despues={{html_{depth}}}",
                compare=f"/bench/raw/registry/?before={{date_{depth}}},{{id_{depth}}}",
                depth_of="registry_html",
                depth_budget=DEPTH_BUDGET,
                variants=["&antes={html_" + depth + "}"],
                rows="registry",
                **page,
            ),
            Scenario(
                f"registry_api_deep_{depth}",
                f"/api/v1/registry/ {depth} rows deep (cursor)",
                f"/api/v1/registry/?cursor={{api_{depth}}}",
                anchor="raw_registry_deep" if depth == "100k" else None,
                compare=None if depth == "100k" else f"/bench/raw/registry/?before={{date_{depth}}},0",
                server_ratio_budget=5 if depth == "100k" else None,
                depth_of="registry_api",
                depth_budget=DEPTH_BUDGET,
                variants=["&page_size=10", "&page_size=100"],
                rows="results",
                **page,
            ),
        ]
    # Many URLs per scenario: every search term with and without a state, filters over states x years x themes,
    # and cursors at several depths, rotated request by request so that no per-process cache (the filter form,
    # a compiled query) stays warm on one URL as it did when each scenario requested one.
    terms = [*SEARCH_TERMS.values(), *SEARCH_EXTRA_TERMS.values()]
    searches = [f"q={quote_plus(t)}" for t in terms] + [
        f"q={quote_plus(t)}&state={code}" for t in terms for code in MIX_STATES[:3]
    ]
    filters = (
        [
            f"state={code}&year_min={first}&year_max={first + span}"
            for code in MIX_STATES
            for first, span in ((1995, 5), (2005, 10), (2015, 10))
        ]
        + [f"theme={theme}" for theme in MIX_THEMES]
        + [f"region={region}" for region in MIX_REGIONS]
    )
    depths = ["", *(f"despues={{html_{d}}}" for d in ROTATE_DEPTHS)]
    api_depths = ["", *(f"cursor={{api_{d}}}" for d in ROTATE_DEPTHS)]
    mix = {"suite": "registry", "target_ms": 100}
    for base, kind, rows in (("/registro/", "html", "registry"), ("/api/v1/registry/", "api", "results")):
        level = depths if kind == "html" else api_depths
        out += [
            Scenario(
                f"search_mix_{kind}",
                f"{base} rotating {len(searches)} searches",
                f"{base}?{searches[0]}",
                rotate=[f"{base}?{q}" for q in searches],
                rows=rows,
                **mix,
            ),
            Scenario(
                f"filter_mix_{kind}",
                f"{base} rotating {len(filters)} filters",
                f"{base}?{filters[0]}",
                rotate=[f"{base}?{q}" for q in filters],
                rows=rows,
                **mix,
            ),
            Scenario(
                f"depth_mix_{kind}",
                f"{base} rotating {len(level)} depths (page 1 to ~100k rows)",
                base,
                rotate=[base + (f"?{q}" if q else "") for q in level],
                rows=rows,
                **mix,
            ),
        ]
    for band, term in [*SEARCH_TERMS.items(), *SEARCH_EXTRA_TERMS.items()]:
        anchor = f"raw_registry_q_{band}"
        query = quote_plus(term)
        empty = {"may_be_empty": band in ("typo", "zero")}
        out += [
            Scenario(
                anchor,
                f"A1 raw search «{term}» ({band})",
                f"/bench/raw/registry/?q={query}",
                rows="results",
                suite="registry",
            ),
            Scenario(
                f"search_html_{band}",
                f"/registro/?q={term} ({band})",
                f"/registro/?q={query}",
                anchor=anchor,
                server_ratio_budget=5,
                variants=["&despues={deep_html}"],
                rows="registry",
                **empty,
                **page,
            ),
            Scenario(
                f"search_api_{band}",
                f"/api/v1/registry/?q={term} ({band})",
                f"/api/v1/registry/?q={query}",
                anchor=anchor,
                server_ratio_budget=5,
                variants=["&" + v for v in api_sizes],
                rows="results",
                **empty,
                **page,
            ),
        ]
    # The broad search deep: the whole list's ~100,000-rows cursor is ~46,000 matches into «cooperacion».
    broad = quote_plus(SEARCH_TERMS["broad"])
    out += [
        Scenario(
            "search_html_broad_deep",
            f"/registro/?q={SEARCH_TERMS['broad']} ~100k rows deep (keyset cursor)",
            f"/registro/?q={broad}&despues={{html_100k}}",
            compare=f"/bench/raw/registry/?q={broad}&before={{date_100k}},{{id_100k}}",
            depth_of="search_html_broad",
            depth_budget=DEPTH_BUDGET,
            rows="registry",
            **page,
        ),
        Scenario(
            "search_api_broad_deep",
            f"/api/v1/registry/?q={SEARCH_TERMS['broad']} ~100k rows deep (cursor)",
            f"/api/v1/registry/?q={broad}&cursor={{api_100k}}",
            compare=f"/bench/raw/registry/?q={broad}&before={{date_100k}},0",
            depth_of="search_api_broad",
            depth_budget=DEPTH_BUDGET,
            variants=["&page_size=10", "&page_size=100"],
            rows="results",
            **page,
        ),
    ]
    state_years = f"state={PROFILE_RICH['state']}&year_min=2010&year_max=2020"
    out += [
        Scenario(
            "raw_registry_filter",
            "A1 raw filter (state + years)",
            f"/bench/raw/registry/?{state_years}",
            rows="results",
            suite="registry",
        ),
        Scenario(
            "filter_html",
            f"/registro/?{state_years}",
            f"/registro/?{state_years}",
            anchor="raw_registry_filter",
            server_ratio_budget=8,
            variants=["&despues={deep_html}"],
            rows="registry",
            **page,
        ),
        Scenario(
            "filter_api",
            f"/api/v1/registry/?{state_years}",
            f"/api/v1/registry/?{state_years}",
            anchor="raw_registry_filter",
            server_ratio_budget=8,
            variants=["&page_size=10", "&page_size=100", "&cursor={mid_filter_api}"],
            rows="results",
            **page,
        ),
        Scenario(
            "theme_api",
            "/api/v1/registry/?theme=health",
            "/api/v1/registry/?theme=health",
            compare="/bench/raw/registry/?theme=health",
            variants=["&page_size=10", "&page_size=100", "&theme=migration"],
            rows="results",
            **page,
        ),
        Scenario(
            "region_api",
            "/api/v1/registry/?region=europe",
            "/api/v1/registry/?region=europe",
            compare="/bench/raw/registry/?region=europe",
            variants=["&page_size=10", "&page_size=100", "&cursor={deep_api}"],
            rows="results",
            **page,
        ),
        Scenario(
            "raw_registry_stats",
            "A1 raw stats (GROUP BY state)",
            "/bench/raw/registry-stats/?by=state",
            rows="stats",
            suite="registry",
        ),
    ]
    # The statistics are cached (selectors.cached_registry_stats, keyed on the registry version and the validated
    # filters): each one is measured on its uncached path (year bounds that keep every entry but that no earlier
    # request used, what the first visitor with a new filter pays) and, for the state dimension and the
    # dashboard, on the cache hit.
    stats_variants = [f"&state={PROFILE_RICH['state']}", "&year_min=2015&year_max=2020", "&q=educacion"]
    for dimension in STAT_DIMENSIONS:
        out.append(
            Scenario(
                f"stats_{dimension}",
                f"/api/v1/registry/stats/?by={dimension} (uncached)",
                f"/api/v1/registry/stats/?by={dimension}",
                suite="registry",
                target_ms=150,
                anchor="raw_registry_stats" if dimension == "state" else None,
                compare=None if dimension == "state" else f"/bench/raw/registry-stats/?by={dimension}",
                variants=stats_variants,
                rows="stats",
                bust_cache=True,
            )
        )
    out += [
        Scenario(
            "stats_state_cached",
            "/api/v1/registry/stats/?by=state (cache hit)",
            "/api/v1/registry/stats/?by=state",
            suite="registry",
            target_ms=150,
            anchor="raw_registry_stats",
            variants=stats_variants,
            rows="stats",
        ),
        Scenario(
            "stats_dashboard",
            f"/registro/estadisticas/ (all {len(STAT_DIMENSIONS)} dimensions, uncached)",
            "/registro/estadisticas/",
            suite="registry",
            target_ms=150,
            variants=[f"?state={PROFILE_RICH['state']}", "?q=educacion"],
            seconds=6,
            bust_cache=True,
        ),
        Scenario(
            "stats_dashboard_cached",
            "/registro/estadisticas/ (cache hit)",
            "/registro/estadisticas/",
            suite="registry",
            target_ms=150,
            variants=[f"?state={PROFILE_RICH['state']}", "?q=educacion"],
        ),
    ]
    return out


def _profile_scenarios() -> list[Scenario]:
    """State and municipal profiles (a rich and a poor government) and the 32-state comparison, anonymous."""
    rich_state, poor_state = f"/estados/{PROFILE_RICH['state']}/", f"/estados/{PROFILE_POOR['state']}/"
    medium_state = f"/estados/{PROFILE_MEDIUM['state']}/"
    rich_town, poor_town = (
        f"/municipios/{PROFILE_RICH['municipality']}/",
        f"/municipios/{PROFILE_POOR['municipality']}/",
    )
    medium_town = f"/municipios/{PROFILE_MEDIUM['municipality']}/"
    common = {"suite": "profiles", "target_ms": 150}
    return [
        Scenario(
            "profile_state_rich",
            f"{rich_state} (rich state)",
            rich_state,
            variants=[poor_state, medium_state],
            **common,
        ),
        Scenario("profile_state_poor", f"{poor_state} (poor state)", poor_state, variants=[rich_state], **common),
        Scenario(
            "profile_municipality_rich",
            f"{rich_town} (rich municipality)",
            rich_town,
            variants=[poor_town, medium_town],
            **common,
        ),
        Scenario(
            "profile_municipality_poor", f"{poor_town} (poor municipality)", poor_town, variants=[rich_town], **common
        ),
        Scenario(
            "state_comparison",
            "/estados/comparacion/",
            "/estados/comparacion/",
            variants=["?orden=-agreements", "?orden=un_partnerships"],
            **common,
        ),
        Scenario("state_directory", "/estados/ (map + directory)", "/estados/", **common),
    ]


SCENARIOS = [
    Scenario("hello", "A0 hello (no DB)", "/bench/hello/", sanity=True, suite="all"),
    Scenario("raw_cja_inbox", "A1 raw CJA inbox", "/bench/raw/cja-inbox/", rows="results"),
    Scenario(
        "cja_inbox",
        "CJA inbox",
        "/expedientes/bandeja-cja/",
        user="cja",
        anchor="raw_cja_inbox",
        target_ms=150,
        variants=["?despues={deep_cja}", "?orden=-plazo", "?asignado=sin_asignar", "?q=acuerdo"],
        rows="folios",
    ),
    Scenario("raw_dgcp_inbox", "A1 raw DGCP inbox", "/bench/raw/dgcp-inbox/", rows="results"),
    Scenario(
        "dgcp_inbox",
        "DGCP inbox",
        "/expedientes/bandeja-dgcp/",
        user="dgcp",
        anchor="raw_dgcp_inbox",
        target_ms=150,
        variants=["?despues={deep_dgcp}", "?asignado=sin_asignar"],
        rows="folios",
    ),
    Scenario("raw_dashboard", "A1 raw dashboard (counts + 25 rows)", "/bench/raw/dashboard/", rows="results"),
    Scenario(
        "dashboard",
        "DGCP dashboard",
        "/expedientes/tablero/",
        user="dgcp",
        anchor="raw_dashboard",
        target_ms=150,
        ratio_budget=10,
        variants=["?despues={deep_dashboard}", "?paso=7", "?paso=9"],
        rows="folios",
    ),
    Scenario("raw_api_list", "A1 raw API list", "/bench/raw/agreements/", rows="results"),
    Scenario(
        "api_list",
        "API /api/v1/agreements/ (DGCP)",
        "/api/v1/agreements/",
        user="dgcp",
        anchor="raw_api_list",
        ratio_budget=5,
        variants=["?page_size=10", "?page_size=100", "?status=in_review"],
        rows="results",
    ),
]
SCENARIOS += _registry_scenarios() + _profile_scenarios()
SCENARIO_BY_KEY = {s.key: s for s in SCENARIOS}


def scenario_seconds(args, scenario: Scenario) -> tuple[int, int]:
    """(warm-up, measured) seconds of a scenario: the options if given, else its own or its suite's."""
    warmup, duration = SUITE_SECONDS.get(scenario.suite, SUITE_SECONDS["cases"])
    if scenario.seconds:
        duration = scenario.seconds
    return args.warmup or warmup, args.duration or duration
