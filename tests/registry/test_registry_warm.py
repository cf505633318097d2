"""After a registry change the unfiltered statistics are counted again in the background: once per burst."""

from unittest import mock

import pytest
from django.core.cache import cache

from agreements.registry import background
from agreements.registry.selectors.stats import REGISTRY_STATS_WARM_QUEUED_KEY, REGISTRY_VERSION_KEY
from agreements.registry.services import entries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_count_queued():
    cache.delete(REGISTRY_STATS_WARM_QUEUED_KEY)  # the process's cache outlives a test
    yield
    cache.delete(REGISTRY_STATS_WARM_QUEUED_KEY)


def test_a_burst_of_changes_queues_one_count_and_each_change_invalidates():
    cache.set(REGISTRY_VERSION_KEY, 5, None)
    with mock.patch.object(background.registry_stats_warm_task, "delay") as delay:
        for _ in range(3):
            entries._registry_changed()
        assert delay.call_count == 1
        assert cache.get(REGISTRY_VERSION_KEY) == 8  # every change still makes the cached statistics stale
        with mock.patch.object(background, "registry_stats_warm") as warm:
            background.registry_stats_warm_task.run()  # the count starts: later changes need another
        warm.assert_called_once()
        entries._registry_changed()
        assert delay.call_count == 2


def test_a_count_that_could_not_be_queued_is_queued_by_the_next_change():
    from kombu.exceptions import OperationalError

    with mock.patch.object(background.registry_stats_warm_task, "delay", side_effect=OperationalError("down")):
        entries._registry_changed()
    with mock.patch.object(background.registry_stats_warm_task, "delay") as delay:
        entries._registry_changed()
    delay.assert_called_once()


@pytest.mark.parametrize("counted_by", ["request", "warm-up"])
def test_the_cached_statistics_keep_each_language_its_own_labels(client, counted_by):
    """Labels are translated as they are counted: an English reader never gets the Spanish labels cached by a
    Spanish reader's request or by the warm-up task (which runs in the default language)."""
    from tests.factories import RegistryEntryFactory

    RegistryEntryFactory()
    cache.set(REGISTRY_VERSION_KEY, 700 + len(counted_by), None)  # nothing cached yet under this version
    if counted_by == "request":
        spanish = client.get("/api/v1/registry/stats/?by=level", HTTP_ACCEPT_LANGUAGE="es-mx").json()
        assert [r["label"] for r in spanish["results"]] == ["Estatal"]
    else:
        background.registry_stats_warm_task.run()
    english = client.get("/api/v1/registry/stats/?by=level", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [r["label"] for r in english["results"]] == ["State"]
