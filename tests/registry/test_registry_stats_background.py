"""Statistics of a filter set matching more entries than a request may count (issue #14): counted by one task on
the default queue into the statistics cache, while the page says so and reloads itself and the API answers 202."""

from unittest import mock

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.registry import jobs
from agreements.registry.filtersets import RegistryFilterSet
from agreements.registry.selectors import filter_key, registered_agreements, registry_stats_many
from tests.factories import RegistryEntryFactory

pytestmark = pytest.mark.django_db

STATS_URL = reverse("agreements:registry_stats")
API_URL = "/api/v1/registry/stats/"
BROAD = {"q": "cooperacion"}  # 5 of the 7 entries: over a cap of 3
NARROW = {"level": "municipal"}  # 2: under it
COUNTING = "Estamos calculando las estadísticas de esta búsqueda…"


@pytest.fixture
def entries(settings):
    settings.REGISTRY_STATS_LIVE_MAX_ROWS = 3
    for themes in (["culture"], ["education", "health"], ["culture", "trade"]):
        RegistryEntryFactory(themes=themes)
    RegistryEntryFactory(state_id="26", counterpart_country="US", region="north_america", themes=["trade"])
    RegistryEntryFactory(municipal=True, themes=["migration"])
    RegistryEntryFactory(municipal=True, title="Hermanamiento con Cracovia", themes=["culture"])
    RegistryEntryFactory(title="Carta de intención con ACNUR", themes=["health"])


@pytest.fixture
def queued():
    """A broker that takes the message without running it (a worker would, later): the mock of ``delay``."""
    with mock.patch.object(jobs.registry_stats_count_task, "delay") as delay:
        yield delay


def expected(params: dict) -> dict:
    """The figures counted directly over the same filters."""
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return registry_stats_many(RegistryFilterSet(query, queryset=registered_agreements()).qs)


def run_queued(delay) -> None:
    """What the worker does with the queued message."""
    assert delay.call_count == 1
    jobs.registry_stats_count_task.run(*delay.call_args.args, **delay.call_args.kwargs)


def grouped(queries) -> list[str]:
    """The statements that count the matches by dimension (GROUPING SETS on PostgreSQL, GROUP BY on SQLite)."""
    return [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"].upper()]


def test_over_the_cap_the_page_says_it_is_counting_then_shows_the_figures(client, entries, queued):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(STATS_URL, BROAD)
    assert response.status_code == 200
    html = response.content.decode()
    assert COUNTING in html and 'role="status"' in html and 'http-equiv="refresh"' in html
    assert "<progress" in html and 'id="state-map"' not in html
    assert "no-store" in response["Cache-Control"]  # never kept by the page cache, a browser or a proxy
    assert not grouped(queries)  # the matches were counted (capped), not grouped by dimension

    run_queued(queued)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(STATS_URL, BROAD)
    assert response.status_code == 200 and COUNTING not in response.content.decode()
    assert response.context["stats"] == expected(BROAD)
    assert response.context["stats"]["state"]["total"] == 5
    assert not grouped(queries)  # from the cache the task filled
    assert queued.call_count == 1


def test_over_the_cap_the_api_answers_202_then_the_figures(client, entries, queued):
    response = client.get(API_URL, {"by": "theme", **BROAD})
    assert response.status_code == 202
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "stats_counting" and response.json()["status"] == "queued"
    projection = client.get("/api/v1/registry/projection/", BROAD)
    assert projection.status_code == 202 and projection["Retry-After"]

    run_queued(queued)

    response = client.get(API_URL, {"by": "theme", **BROAD})
    assert response.status_code == 200
    assert response.json() == expected(BROAD)["theme"]
    assert client.get("/api/v1/registry/projection/", BROAD).status_code == 200


def test_many_visitors_of_the_same_filters_queue_one_count(client, entries, queued):
    filters = {"q": "cooperacion", "theme": ["culture", "education", "trade"]}  # several values: the key round-trips
    assert COUNTING in client.get(STATS_URL, filters).content.decode()
    assert COUNTING in client.get(STATS_URL, {**filters, "_": "1"}).content.decode()
    assert client.get(API_URL, {"by": "level", **filters}).status_code == 202
    assert client.get(reverse("agreements:registry_stats_csv", args=["kind"]), filters).status_code == 200
    assert queued.call_count == 1

    run_queued(queued)

    response = client.get(STATS_URL, filters)
    assert response.context["stats"] == expected(filters)
    assert client.get(API_URL, {"by": "level", **filters}).json() == expected(filters)["level"]


def test_a_count_being_run_shows_as_running_and_a_second_delivery_counts_nothing(client, entries, queued):
    client.get(STATS_URL, BROAD)
    seen = {}

    def during_the_count(*args, **kwargs):
        seen["html"] = client.get(STATS_URL, BROAD).content.decode()
        return real(*args, **kwargs)

    real = jobs.cached_registry_stats_many
    with mock.patch.object(jobs, "cached_registry_stats_many", side_effect=during_the_count):
        run_queued(queued)
    assert COUNTING in seen["html"] and "en cálculo" in seen["html"]
    with CaptureQueriesContext(connection) as queries:
        jobs.registry_stats_count_task.run(*queued.call_args.args)  # the same message delivered again
    assert not grouped(queries)


def test_a_count_that_fails_lets_the_next_visitor_queue_it_again(client, entries, queued):
    client.get(STATS_URL, BROAD)
    with (
        mock.patch.object(jobs, "cached_registry_stats_many", side_effect=RuntimeError("lost")),
        pytest.raises(RuntimeError),
    ):
        run_queued(queued)
    client.get(STATS_URL, BROAD)
    assert queued.call_count == 2


def test_each_language_is_counted_in_its_own_words(client, entries, queued):
    client.get(API_URL, {"by": "level", **BROAD}, HTTP_ACCEPT_LANGUAGE="en")
    assert queued.call_args.args[1] == "en"
    run_queued(queued)
    english = client.get(API_URL, {"by": "level", **BROAD}, HTTP_ACCEPT_LANGUAGE="en")
    labels = {r["label"] for r in english.json()["results"]}
    assert english.status_code == 200 and "State" in labels and "Estatal" not in labels
    assert client.get(API_URL, {"by": "level", **BROAD}, HTTP_ACCEPT_LANGUAGE="es-mx").status_code == 202


def test_under_the_cap_the_figures_are_counted_in_the_request_as_before(client, entries, queued):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(STATS_URL, NARROW)
    assert response.status_code == 200 and COUNTING not in response.content.decode()
    assert response.context["stats"] == expected(NARROW)
    assert grouped(queries)
    assert client.get(API_URL, {"by": "kind", **NARROW}).json() == expected(NARROW)["kind"]
    queued.assert_not_called()


@pytest.mark.parametrize("filters", [{}, {"state": "14"}, {"year_min": "2000", "year_max": "2100"}])
def test_the_summary_answers_the_whole_registry_a_state_and_years_whatever_the_cap(
    client, entries, queued, settings, filters
):
    settings.REGISTRY_STATS_LIVE_MAX_ROWS = 0
    response = client.get(STATS_URL, filters)
    assert response.status_code == 200 and COUNTING not in response.content.decode()
    assert response.context["stats"] == expected(filters)
    queued.assert_not_called()


def test_without_a_broker_the_count_runs_in_process_and_the_page_shows_the_figures(client, entries):
    """The embedded default (SQLite, Celery eager): nobody is told to wait for a worker there is not."""
    response = client.get(STATS_URL, BROAD)
    assert response.status_code == 200 and COUNTING not in response.content.decode()
    assert response.context["stats"] == expected(BROAD)
    assert client.get(API_URL, {"by": "region", **BROAD}).json() == expected(BROAD)["region"]


def test_with_the_broker_unreachable_the_figures_are_counted_in_the_request(client, entries):
    from kombu.exceptions import OperationalError

    with mock.patch.object(jobs.registry_stats_count_task, "delay", side_effect=OperationalError("down")) as delay:
        assert client.get(API_URL, {"by": "kind", **BROAD}).json() == expected(BROAD)["kind"]
        assert client.get(STATS_URL, BROAD).context["stats"] == expected(BROAD)
    assert delay.call_count == 2  # a message that could not be queued leaves no mark: the next request tries again


def test_the_task_rebuilds_the_same_filter_set():
    query = QueryDict("q=cooperacion&theme=trade&theme=culture&state=14&by=level&cursor=x&level=")
    filterset = RegistryFilterSet(query, queryset=registered_agreements())
    params = jobs.stats_params(filterset)
    assert params == {"q": ["cooperacion"], "state": ["14"], "theme": ["trade", "culture"]}
    rebuilt = QueryDict(mutable=True)
    for name, values in params.items():
        rebuilt.setlist(name, values)
    assert filter_key(RegistryFilterSet(rebuilt, queryset=registered_agreements())) == filter_key(filterset)


def test_the_count_never_waits_behind_an_export(settings):
    """Visitors wait for the count (a few seconds): it goes to the default queue, not behind a 30-minute export
    on the heavy queue, whose worker runs one task at a time."""
    from portal.celery import app

    assert app.amqp.router.route({}, jobs.registry_export_task.name)["queue"].name == settings.CELERY_HEAVY_QUEUE
    route = app.amqp.router.route({}, jobs.registry_stats_count_task.name)
    assert route["queue"].name == settings.CELERY_TASK_DEFAULT_QUEUE


def test_a_text_search_is_counted_in_the_background_however_few_match(client, entries, queued):
    """Even counting whether a text search's matches pass the limit reads every entry of its words from the search
    indexes (130-170 ms for «educacion» at 1,000,000 entries): its figures are never counted on the request path."""
    few = {"q": "Cracovia"}  # 1 of the 7 entries: under the cap of 3
    with CaptureQueriesContext(connection) as queries:
        response = client.get(STATS_URL, few)
    assert response.status_code == 200 and COUNTING in response.content.decode()
    assert not [q["sql"] for q in queries.captured_queries if "cracovia" in q["sql"].lower()]
    run_queued(queued)
    response = client.get(STATS_URL, few)
    assert COUNTING not in response.content.decode() and response.context["stats"] == expected(few)
