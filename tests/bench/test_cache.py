"""bench.cache: the harness's "uncached" statistics must really miss the app's statistics cache."""

from bench.cache import invalidate_cached_statistics


def test_invalidating_moves_the_registry_version_the_statistics_are_cached_under():
    """The version key moved to ``selectors.stats``; the harness looked for it in ``selectors.entries`` and,
    not finding it, bumped nothing: every "uncached" scenario measured the cache hit."""
    from agreements.registry.selectors import registry_version

    before = registry_version()
    invalidate_cached_statistics(quiet=True)
    assert registry_version() != before
