"""Versions a transaction bumps are bumped once each, together, when it commits (``pagecache.bump_versions_on_commit``):
step 12 writes a registry entry (a model the profiles show) and changes the registry (its version, the profiles'
again) in one transaction."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction

from portal.core import pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture
def bumped():
    calls = []
    with mock.patch.object(pagecache, "bump_versions", side_effect=lambda *keys: calls.append(keys)):
        yield calls


def test_the_keys_of_one_transaction_are_bumped_once_together_on_commit(bumped, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        pagecache.bump_versions_on_commit("profiles")
        pagecache.bump_versions_on_commit("registry", "profiles")
        assert bumped == []  # not before the commit
    assert bumped == [("profiles", "registry")]


def test_a_rolled_back_transaction_bumps_nothing_and_the_next_one_bumps_its_own(
    bumped, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with transaction.atomic():
            pagecache.bump_versions_on_commit("registry")
            transaction.set_rollback(True)
        pagecache.bump_versions_on_commit("profiles")
    assert bumped == [("profiles",)]


def test_keys_named_inside_a_savepoint_that_rolls_back_do_not_take_the_outer_keys_with_them(
    bumped, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        pagecache.bump_versions_on_commit("registry")
        try:
            with transaction.atomic():
                pagecache.bump_versions_on_commit("profiles")
                raise RuntimeError
        except RuntimeError:
            pass
    assert bumped == [("registry",)]


def test_outside_a_transaction_the_keys_are_bumped_at_once(bumped, monkeypatch):
    from django.db import connections

    monkeypatch.setattr(connections["default"], "in_atomic_block", False)  # a test runs inside a transaction
    pagecache.bump_versions_on_commit("registry")
    assert bumped == [("registry",)]


def test_without_a_cache_of_its_own_each_key_is_bumped_as_bump_version_does():
    cache.set("v-a", 4, None)
    cache.delete("v-b")
    pagecache.bump_versions("v-a", "v-b")
    assert (cache.get("v-a"), cache.get("v-b")) == (5, 2)
