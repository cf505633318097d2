"""A hot path's SELECT of one row by its key, built once per process (issue #14).

Django compiles a queryset's SQL on every evaluation: for a worker's step task that locks one case with its office,
building the SELECT of some sixty columns costs more than running it. :class:`KeyedGet` compiles its queryset once
per database (the first call), then runs that SQL with the key and builds the instance (and its ``select_related``
rows) as ``QuerySet.__iter__`` does. It serves querysets whose only parameter is the key: ``select_related``,
``only``, ``select_for_update`` and ``order_by()`` are fine; a filter with values of its own is refused when it is
compiled, as are annotations.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError

__all__ = ["KeyedGet"]

_KEY_MARK = (
    -987_654_321
)  # a key no row has (within the column's range), to find where the key goes among the parameters


@dataclass(frozen=True)
class _Compiled:
    sql: str
    converters: dict
    start: int
    end: int
    init_list: list[str]
    populators: list


class KeyedGet:
    """``queryset.filter(pk=key)``'s one instance or ``None``, its SQL compiled once per database."""

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, db: str) -> _Compiled:
        compiler = self.queryset.filter(pk=_KEY_MARK).query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        if list(params) != [_KEY_MARK] or compiler.annotation_col_map:
            raise ValueError("KeyedGet serves querysets whose only parameter is the key, without annotations")
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        select_fields = compiler.klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        return _Compiled(
            sql=sql,
            converters=compiler.get_converters(fields),
            start=start,
            end=end,
            init_list=[column[0].target.attname for column in compiler.select[start:end]],
            populators=get_related_populators(compiler.klass_info, compiler.select, db),
        )

    def __call__(self, key):
        db = self.queryset.db
        connection = connections[db]
        if self.queryset.query.select_for_update and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        compiled = self._compiled.get(db)
        if compiled is None:
            compiled = self._compiled[db] = self._compile(db)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, [key])
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = list(row)
            for position, (converters, expression) in compiled.converters.items():
                for converter in converters:
                    row[position] = converter(row[position], expression, connection)
        instance = self.queryset.model.from_db(db, compiled.init_list, row[compiled.start : compiled.end])
        for populator in compiled.populators:
            populator.populate(row, instance)
        return instance
