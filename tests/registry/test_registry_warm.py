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
