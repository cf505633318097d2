"""A hot path's SELECT by one key, built once per process (issue #14).

Django compiles a queryset's SQL on every evaluation: for a worker's step task that locks one case with its office,
building the SELECT of some sixty columns costs more than running it. These compile their queryset once per
database (at the first call), then run that SQL with the key given and read the rows as the queryset would:

* :class:`KeyedGet`: ``queryset.filter(pk=key)``'s one instance (its ``select_related`` rows included) or ``None``;
* :class:`KeyedRows`: the rows of a ``values_list()`` queryset filtered by ``key_field=key``, as tuples.

The queryset's own filter values stay as they were compiled; ``select_related``, ``only``, ``select_for_update``
and ``order_by()`` are fine; :class:`KeyedGet` refuses annotations.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.transaction import TransactionManagementError

__all__ = ["KeyedGet", "KeyedRows"]

# A key no row has (an integer within a column's range, or text), to find where the key goes among the parameters.
_INTEGER_MARK = -987_654_321
_TEXT_MARK = "\x1fkey\x1f"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: list
    key_at: int
    converters: dict
    compiler: object


class _Keyed:
    def __init__(self, queryset: QuerySet, *, key_field: str = "pk", text_key: bool = False):
        self.queryset = queryset
        self.key_field = key_field
        self.mark = _TEXT_MARK if text_key else _INTEGER_MARK
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, db: str) -> _Compiled:
        compiler = self.queryset.filter(**{self.key_field: self.mark}).query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        params = list(params)
        if params.count(self.mark) != 1:
            raise ValueError("a keyed statement takes its key once")
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        return _Compiled(sql, params, params.index(self.mark), compiler.get_converters(fields), compiler)

    def _rows(self, key, *, one: bool) -> tuple[list, _Compiled]:
        db = self.queryset.db
        connection = connections[db]
        if self.queryset.query.select_for_update and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        compiled = self._compiled.get(db)
        if compiled is None:
            compiled = self._compiled[db] = self._compile(db)
        params = compiled.params.copy()
        params[compiled.key_at] = key
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchmany(1) if one else cursor.fetchall()
        if compiled.converters:
            rows = [self._converted(list(row), compiled.converters, connection) for row in rows]
        return rows, compiled

    @staticmethod
    def _converted(row: list, converters: dict, connection) -> list:
        for position, (functions, expression) in converters.items():
            for function in functions:
                row[position] = function(row[position], expression, connection)
        return row


class KeyedGet(_Keyed):
    """``queryset.filter(pk=key)``'s one instance or ``None``, its SQL compiled once per database."""

    def __init__(self, queryset: QuerySet):
        if queryset.query.annotations or queryset._iterable_class is not ModelIterable:
            raise ValueError("KeyedGet reads instances without annotations")
        super().__init__(queryset)
        self._readers: dict[str, tuple] = {}

    def __call__(self, key):
        rows, compiled = self._rows(key, one=True)
        if not rows:
            return None
        row, db = rows[0], self.queryset.db
        reader = self._readers.get(db)
        if reader is None:  # how ``ModelIterable`` reads a row, worked out once
            compiler = compiled.compiler
            select_fields = compiler.klass_info["select_fields"]
            start, end = select_fields[0], select_fields[-1] + 1
            reader = self._readers[db] = (
                start,
                end,
                [column[0].target.attname for column in compiler.select[start:end]],
                get_related_populators(compiler.klass_info, compiler.select, db),
            )
        start, end, init_list, populators = reader
        instance = self.queryset.model.from_db(db, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        return instance


class KeyedRows(_Keyed):
    """The rows (tuples) of a ``values_list()`` queryset filtered by ``key_field=key``, its SQL compiled once per
    database; ``text_key`` for a text key."""

    def __call__(self, key) -> list[tuple]:
        rows, _compiled = self._rows(key, one=False)
        return [tuple(row) for row in rows]
