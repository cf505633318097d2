"""A hot path's SELECT by one key, built once per process (issue #14).

Django compiles a queryset's SQL on every evaluation: for a worker's step task that locks one case with its office,
building the SELECT of some sixty columns costs more than running it. These compile their queryset once per
database (at the first call), then run that SQL with the key given and read the rows as the queryset would:

* :class:`KeyedGet`: ``queryset.filter(pk=key)``'s one instance (its ``select_related`` rows included) or ``None``;
* :class:`KeyedRows`: the rows of a ``values_list()`` queryset filtered by ``key_field=key``, as tuples.

The queryset's own filter values stay as they were compiled; ``select_related``, ``only``, ``select_for_update``
and ``order_by()`` are fine; :class:`KeyedGet` refuses annotations.

The writes of a hot path, likewise (issue #14, step 12: Django's ``save()`` and ``bulk_create()`` build their
statement and walk their options on every call, some 600–900 Python calls for one row):

* :class:`InsertRows`: ``bulk_create`` of new instances (every concrete column, the key returned and set), its
  SQL built once per database and number of rows; ``save_new`` inserts one instance as ``save()`` would, its
  ``pre_save``/``post_save`` signals sent;
* :class:`UpdateColumns`: ``save(update_fields=...)`` of fixed columns, its SQL built once per database, the
  signals sent as ``save()`` sends them.

Each column's value is prepared as Django prepares it (``pre_save``: ``auto_now`` and ``auto_now_add``; then
``get_db_prep_save``); plain values only (no expressions), no database defaults, no generated columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DatabaseError, connections, router
from django.db.models import AutoField, CharField, Model, QuerySet, TextField
from django.db.models.fields import NOT_PROVIDED, Field
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.signals import post_save, pre_save
from django.db.transaction import TransactionManagementError

__all__ = ["InsertRows", "KeyedGet", "KeyedRows", "UpdateColumns"]

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


def _plain_fields(model: type[Model], fields) -> list:
    for field in fields:
        if getattr(field, "generated", False) or field.db_default is not NOT_PROVIDED:
            raise ValueError(f"{model._meta.label}.{field.name}: a generated column or a database default")
        if hasattr(field, "get_placeholder"):
            raise ValueError(f"{model._meta.label}.{field.name}: a column with a placeholder of its own")
    return list(fields)


def _prepared(fields: list, instance: Model, *, add: bool, connection) -> list:
    values = []
    for field in fields:
        value = field.pre_save(instance, add)
        if hasattr(value, "resolve_expression"):
            raise ValueError(f"{field.name}: an expression is not a plain value")
        values.append(field.get_db_prep_save(value, connection=connection))
    return values


def _plain_read(field) -> bool:
    """Whether the field's ``pre_save`` only reads the attribute (Django's own ``Field.pre_save``)."""
    return type(field).pre_save is Field.pre_save


def _text_column(field) -> bool:
    """Whether ``get_db_prep_save`` returns a ``str`` (or ``None``) as it is: Django's own ``CharField`` and
    ``TextField`` preparation (``to_python`` of a text is the text), not overridden by the field's class."""
    kind = type(field)
    return (
        kind.get_db_prep_save is Field.get_db_prep_save
        and kind.get_db_prep_value is Field.get_db_prep_value
        and kind.get_prep_value in (CharField.get_prep_value, TextField.get_prep_value)
        and kind.to_python in (CharField.to_python, TextField.to_python)
    )


def _rows_prepared(fields: list, plain: list[bool], text: list[bool], instances: list[Model], connection) -> list:
    """The parameters of ``instances``' rows, each value prepared as ``_prepared`` does; a value that is the very
    object the previous row had (the same parameters of one notice to several readers) is prepared once, a text
    (or ``None``) of a text column is its own value."""
    params: list = []
    previous: list | None = None
    for instance in instances:
        row = []
        for position, field in enumerate(fields):
            value = getattr(instance, field.attname) if plain[position] else field.pre_save(instance, True)
            if previous is not None and value is previous[position][0]:
                row.append(previous[position])
                continue
            if text[position] and (value is None or type(value) is str):
                row.append((value, value))
                continue
            if hasattr(value, "resolve_expression"):
                raise ValueError(f"{field.name}: an expression is not a plain value")
            row.append((value, field.get_db_prep_save(value, connection=connection)))
        params += [prepared for _value, prepared in row]
        previous = row
    return params


class InsertRows:
    """``model.objects.bulk_create(instances)`` of new instances (no key set): every concrete column but the
    automatic key, which the database returns and each instance gets; no signals, as ``bulk_create``. The SQL is
    built once per database and number of rows."""

    def __init__(self, model: type[Model]):
        opts = model._meta
        self.model = model
        self.fields = _plain_fields(
            model, [f for f in opts.concrete_fields if not (f.primary_key and isinstance(f, AutoField))]
        )
        self.plain = [_plain_read(f) for f in self.fields]
        self.text = [_text_column(f) for f in self.fields]
        if not isinstance(opts.pk, AutoField):
            raise ValueError(f"{opts.label}: InsertRows needs an automatic key")
        self._sql: dict[tuple[str, int], str] = {}

    def _statement(self, connection, count: int) -> str:
        sql = self._sql.get((connection.alias, count))
        if sql is None:
            opts, quote = self.model._meta, connection.ops.quote_name
            row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
            returning, _params = connection.ops.return_insert_columns([opts.pk])
            sql = self._sql[(connection.alias, count)] = (
                f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in self.fields)}) "
                f"VALUES {', '.join([row] * count)} {returning}"
            )
        return sql

    def __call__(self, instances: list[Model], *, using: str | None = None) -> list[Model]:
        if not instances:
            return instances
        db = using or router.db_for_write(self.model)
        connection = connections[db]
        if not connection.features.can_return_rows_from_bulk_insert:
            return self.model._default_manager.using(db).bulk_create(instances)
        if any(instance.pk is not None for instance in instances):
            raise ValueError("InsertRows inserts new instances only (no key set)")
        params = _rows_prepared(self.fields, self.plain, self.text, instances, connection)
        with connection.cursor() as cursor:
            cursor.execute(self._statement(connection, len(instances)), params)
            rows = connection.ops.fetch_returned_insert_rows(cursor)
        for instance, (pk,) in zip(instances, rows, strict=True):
            instance.pk = pk
            instance._state.adding = False
            instance._state.db = db
        return instances

    def save_new(self, instance: Model, *, using: str | None = None) -> Model:
        """``instance.save()`` of a new instance: its signals sent as ``save()`` sends them."""
        db = using or router.db_for_write(self.model)
        model = type(instance)
        pre_save.send(sender=model, instance=instance, raw=False, using=db, update_fields=None)
        self([instance], using=db)
        post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False, using=db)
        return instance


class UpdateColumns:
    """``instance.save(update_fields=fields)``: one ``UPDATE`` of those columns by key, its SQL built once per
    database, ``pre_save``/``post_save`` sent as ``save()`` sends them; no row updated raises as ``save()`` does."""

    def __init__(self, model: type[Model], fields: tuple[str, ...]):
        opts = model._meta
        self.model = model
        self.names = frozenset(fields)
        self.fields = _plain_fields(model, [opts.get_field(name) for name in fields])
        if any(f.primary_key or not f.concrete for f in self.fields):
            raise ValueError("UpdateColumns updates concrete columns other than the key")
        self._sql: dict[str, str] = {}

    def __call__(self, instance: Model, *, using: str | None = None) -> None:
        db = using or instance._state.db or router.db_for_write(self.model)
        connection = connections[db]
        model = type(instance)
        pre_save.send(sender=model, instance=instance, raw=False, using=db, update_fields=self.names)
        sql = self._sql.get(db)
        if sql is None:
            quote, opts = connection.ops.quote_name, self.model._meta
            sql = self._sql[db] = (
                f"UPDATE {quote(opts.db_table)} SET {', '.join(f'{quote(f.column)} = %s' for f in self.fields)} "
                f"WHERE {quote(opts.pk.column)} = %s"
            )
        params = _prepared(self.fields, instance, add=False, connection=connection)
        params.append(self.model._meta.pk.get_db_prep_value(instance.pk, connection))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            updated = cursor.rowcount
        if updated == 0:
            raise DatabaseError("Save with update_fields did not affect any rows.")
        instance._state.db = db
        instance._state.adding = False
        post_save.send(sender=model, instance=instance, created=False, update_fields=self.names, raw=False, using=db)
