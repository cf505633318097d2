"""The registry's table keeps no index another one already serves: every inscription writes each of them."""

import pytest
from django.conf import settings
from django.db import connection

from agreements.registry.models import RegistryEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.USING_POSTGRES, reason="the production schema's indexes are PostgreSQL's"),
]

# Each plain b-tree index of a table (no expression, no condition, not unique) with its columns in order.
BTREE_INDEXES = """
SELECT i.relname, array_agg(a.attname ORDER BY k.position)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_am am ON am.oid = i.relam AND am.amname = 'btree'
CROSS JOIN LATERAL unnest(x.indkey[0:x.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, position)
JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND x.indpred IS NULL AND x.indexprs IS NULL
GROUP BY i.relname
"""


def test_no_index_of_the_entries_begins_another_ones_columns():
    """``state_id`` and ``municipality_id`` had indexes of their own and ``LIKE`` twins beside
    ``registry_state_idx`` and ``registry_municipality_idx``, which begin with them: four index writes per entry."""
    with connection.cursor() as cursor:
        cursor.execute(BTREE_INDEXES, [RegistryEntry._meta.db_table])
        indexes = {name: tuple(columns) for name, columns in cursor.fetchall()}
    served = {
        name: other
        for name, columns in indexes.items()
        for other, longer in indexes.items()
        if other != name and len(longer) > len(columns) and longer[: len(columns)] == columns
    }
    assert served == {}
    assert indexes["registry_state_idx"][0] == "state_id"
    assert indexes["registry_municipality_idx"][0] == "municipality_id"
