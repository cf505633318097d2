"""Who holds a permission, cached for the workflow's notices (``permission_holder_ids``), and what forgets it."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.institutions.choices import Role
from portal.institutions.roles import group_for
from portal.institutions.selectors import HOLDERS_GENERATION_KEY, permission_holder_ids
from tests.factories import cja_reviewer, dgcp_reviewer, local_official

pytestmark = pytest.mark.django_db

CJA = "agreements.issue_dictamen"
DGCP = "agreements.approve_dictamen"


def _read(*permissions) -> tuple[frozenset[int], int]:
    with CaptureQueriesContext(connection) as context:
        ids = permission_holder_ids(permissions)
    return ids, len(context.captured_queries)


def test_holders_are_read_once_then_served_from_the_cache():
    cja, dgcp = cja_reviewer(), dgcp_reviewer()
    local_official()
    assert _read(CJA) == ({cja.pk}, 1)
    assert _read(CJA) == ({cja.pk}, 0)
    assert _read(CJA, DGCP) == ({cja.pk, dgcp.pk}, 1)  # only the permission not cached yet is read
    assert _read(DGCP, CJA) == ({cja.pk, dgcp.pk}, 0)


def test_an_account_given_or_losing_the_group_is_seen_at_once():
    cja = cja_reviewer()
    _read(CJA)
    newcomer = local_official()
    newcomer.groups.add(group_for(Role.CJA))
    assert _read(CJA) == ({cja.pk, newcomer.pk}, 1)
    cja.groups.clear()
    assert _read(CJA) == ({newcomer.pk}, 1)
    group_for(Role.CJA).user_set.remove(newcomer)  # the reverse side sends the same signal
    assert _read(CJA) == (frozenset(), 1)


def test_a_deactivated_or_deleted_account_is_no_longer_a_holder():
    cja, other = cja_reviewer(), cja_reviewer()
    _read(CJA)
    cja.is_active = False
    cja.save(update_fields=["is_active"])
    assert _read(CJA) == ({other.pk}, 1)
    other.delete()
    assert _read(CJA) == (frozenset(), 1)


def test_a_sign_in_or_a_language_change_keeps_the_cache():
    cja = cja_reviewer()
    _read(CJA)
    cja.language = "en"
    cja.save(update_fields=["last_login", "language"])
    assert _read(CJA) == ({cja.pk}, 0)


def test_a_group_losing_the_permission_is_seen_at_once():
    cja_reviewer()
    _read(CJA)
    group_for(Role.CJA).permissions.remove(Permission.objects.get(codename="issue_dictamen"))
    assert _read(CJA) == (frozenset(), 1)


def test_a_value_cached_under_an_earlier_generation_is_not_read():
    """What a reader stored after a change it had not seen carries the generation before the change."""
    cja = cja_reviewer()
    _read(CJA)
    cache.set(HOLDERS_GENERATION_KEY, "a later one", None)
    assert _read(CJA) == ({cja.pk}, 1)
