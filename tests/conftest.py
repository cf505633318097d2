import random

import pytest
from django.core.management import call_command

from tests.cases import CaseBuilder
from tests.factories import InstitutionFactory, cja_reviewer, dgcp_reviewer, local_official


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Migrate once, then load the reference data every test relies on (states, municipalities, roles)."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "documents")}},
    }
    settings.MEDIA_ROOT = str(tmp_path / "documents")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on-commit work (notifications, the workflow task in eager mode) as a real commit would."""

    def runner(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return runner


@pytest.fixture
def office():
    """A state government's office in the portal (Jalisco's, like every ``InstitutionFactory``)."""
    return InstitutionFactory()


@pytest.fixture
def local(office):
    """A local official of ``office`` (the filer of ``cases``)."""
    return local_official(institution=office)


@pytest.fixture
def other_local():
    """A local official of another state office."""
    return local_official(institution=InstitutionFactory())


@pytest.fixture
def dgcp():
    return dgcp_reviewer()


@pytest.fixture
def cja():
    return cja_reviewer()


@pytest.fixture
def cases(run_on_commit, local, dgcp, cja):
    return CaseBuilder(run_on_commit, local, dgcp, cja)


@pytest.fixture
def committed_reference_data(transactional_db):
    """Reference data for tests that commit for real (the flush after each one empties every table)."""
    call_command("load_reference_data", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Cached reference lookups must not outlive a rolled-back test transaction."""
    from django.core.cache import cache

    from agreements.registry.selectors.stats import REGISTRY_VERSION_KEY
    from agreements.services import NON_WORKING_DAYS_CACHE_KEY
    from portal.geography.profiles import PROFILES_VERSION_KEY
    from portal.institutions.selectors import HOLDERS_GENERATION_KEY

    cache.delete(NON_WORKING_DAYS_CACHE_KEY)
    cache.delete(HOLDERS_GENERATION_KEY)  # accounts of earlier tests were rolled back, their ids reused
    # Versions no earlier test used: statistics and public pages cached by other tests are unreachable (a rolled-back
    # test never commits, so its writes never bumped them).
    cache.set(REGISTRY_VERSION_KEY, random.randrange(10**9), None)
    cache.set(PROFILES_VERSION_KEY, random.randrange(10**9), None)
    yield
    cache.delete(NON_WORKING_DAYS_CACHE_KEY)


@pytest.fixture(autouse=True)
def _spanish_again():
    """A request in English (Accept-Language) leaves the thread's language switched: every test starts in es-MX."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
