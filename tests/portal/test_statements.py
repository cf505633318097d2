"""``KeyedGet``: a SELECT by key built once per process, loading what the queryset would."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from portal.core.statements import KeyedGet, KeyedRows
from tests.factories import local_official

pytestmark = pytest.mark.django_db


def test_it_loads_the_row_its_related_rows_and_columns_as_the_queryset_does(django_assert_num_queries):
    user = local_official()
    user.last_login = timezone.now() - dt.timedelta(days=1)
    user.save(update_fields=["last_login"])
    get = KeyedGet(get_user_model().objects.select_related("institution").only("email", "last_login", "institution"))
    with django_assert_num_queries(1):
        loaded = get(user.pk)
        assert (loaded.pk, loaded.email, loaded.last_login) == (user.pk, user.email, user.last_login)
        assert loaded.institution.name == user.institution.name  # loaded with it: no second query
    assert loaded.get_deferred_fields() >= {"first_name", "is_active"}
    assert get(user.pk + 1000) is None


def test_its_sql_is_built_once(monkeypatch):
    first, second = local_official(), local_official()
    get = KeyedGet(get_user_model().objects.select_related("institution"))
    assert get(first.pk).pk == first.pk
    built = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: built.append(1) or original(self, *a, **k))
    assert get(second.pk).institution_id == second.institution_id
    assert built == []


def test_a_lock_outside_a_transaction_is_refused(monkeypatch):
    """As Django refuses ``select_for_update`` in autocommit (a test runs inside a transaction: autocommit is
    simulated)."""
    from django.db import connection

    user = local_official()
    get = KeyedGet(get_user_model().objects.select_for_update())
    with transaction.atomic():
        assert get(user.pk).pk == user.pk
    monkeypatch.setattr(connection, "get_autocommit", lambda: True)
    with pytest.raises(TransactionManagementError):
        get(user.pk)


def test_rows_are_read_by_a_key_of_their_own_with_the_querysets_other_filters():
    first, second = local_official(), local_official()
    rows = KeyedRows(
        get_user_model().objects.filter(is_active=True).order_by().values_list("pk", "last_login"),
        key_field="email",
        text_key=True,
    )
    assert rows(first.email) == [(first.pk, None)]
    second.is_active = False
    second.save(update_fields=["is_active"])
    assert rows(second.email) == []
    with pytest.raises(ValueError, match="without annotations"):
        KeyedGet(get_user_model().objects.values_list("pk"))
