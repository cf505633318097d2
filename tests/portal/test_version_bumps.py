"""A transaction's cache writes on commit (``portal.core.commitcache``): the versions it bumps, once each, and the
markers it adds, sent together when it commits. Step 12 changes the registry (its version, the profiles'), writes
the case (a model the profiles show) and asks for a count of the statistics and a flush of the outbox."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction

from portal.core import commitcache, pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    calls = []

    def send(version_keys, adds):
        calls.append((list(version_keys), list(adds)))
        return [key != "taken" for key, _timeout in adds]

    with mock.patch.object(commitcache, "send", side_effect=send):
        yield calls


def test_a_batchs_writes_are_sent_once_together_on_commit(sent, django_capture_on_commit_callbacks):
    then = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic(), commitcache.batched():
        commitcache.bump_versions_on_commit("profiles")
        commitcache.add_on_commit("flush", timeout=60, then=lambda: then.append("flush"))
        commitcache.bump_versions_on_commit("registry", "profiles")
        commitcache.add_on_commit("taken", timeout=30, then=lambda: then.append("taken"))
        assert sent == []  # not before the commit
    assert sent == [(["profiles", "registry"], [("flush", 60), ("taken", 30)])]
    assert then == ["flush"]  # only a marker that was added goes on


def test_a_rolled_back_savepoint_sends_nothing_and_the_outer_level_its_own(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic(), commitcache.batched():
        with transaction.atomic():
            commitcache.bump_versions_on_commit("registry")
            transaction.set_rollback(True)
        commitcache.bump_versions_on_commit("profiles")
    assert sent == [(["profiles"], [])]


def test_writes_inside_a_savepoint_that_rolls_back_do_not_take_the_outer_ones_with_them(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic(), commitcache.batched():
        commitcache.bump_versions_on_commit("registry")
        try:
            with transaction.atomic():
                commitcache.bump_versions_on_commit("profiles")
                raise RuntimeError
        except RuntimeError:
            pass
    assert sent == [(["registry", "profiles"], [])]  # the inner write joined the outer callback: sent anyway


def test_outside_a_batch_each_write_has_a_callback_of_its_own(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        commitcache.bump_versions_on_commit("profiles")
        commitcache.add_on_commit("flush", timeout=60, then=lambda: None)
    assert sent == [(["profiles"], []), ([], [("flush", 60)])]


def test_outside_a_transaction_they_are_written_at_once(monkeypatch):
    from django.db import connections

    monkeypatch.setattr(connections["default"], "in_atomic_block", False)  # a test runs inside a transaction
    cache.set("v-a", 4, None)
    cache.delete_many(["m-a"])
    then = []
    commitcache.bump_versions_on_commit("v-a")
    commitcache.add_on_commit("m-a", timeout=60, then=lambda: then.append(1))
    commitcache.add_on_commit("m-a", timeout=60, then=lambda: then.append(2))
    assert (cache.get("v-a"), cache.get("m-a"), then) == (5, True, [1])


def test_without_a_cache_of_its_own_each_write_is_made_as_bump_version_and_add_do():
    cache.set("v-a", 4, None)
    cache.delete_many(["v-b", "m-a"])
    assert commitcache.send(["v-a", "v-b"], [("m-a", 60), ("m-a", 60)]) == [True, False]
    assert (cache.get("v-a"), cache.get("v-b"), cache.get("m-a")) == (5, 2, True)
    pagecache.bump_versions("v-a", "v-b")
    assert (cache.get("v-a"), cache.get("v-b")) == (6, 3)
