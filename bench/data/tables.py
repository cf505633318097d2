"""COPY writers: rows (tuples in a column order) into a model's table, with explicit ids; sequences moved after."""

from __future__ import annotations

import json

__all__ = ["CHUNK", "Table", "next_id", "reset_sequence"]

CHUNK = 10_000  # rows per COPY


class Table:
    """COPY rows (tuples in ``columns`` order) into a model's table; other columns get the model default."""

    def __init__(self, model, columns: list[str]):
        from django.db.models import NOT_PROVIDED

        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - fields.keys()
        if unknown:
            raise RuntimeError(f"{model.__name__} has no fields {sorted(unknown)}")
        self.extra = []
        for attname, field in fields.items():
            if attname in columns or getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
                continue
            if not field.null and not field.has_default() and not field.empty_strings_allowed:
                raise RuntimeError(
                    f"{model.__name__}.{attname} is required and has no default: teach bench.generate about it"
                )
            default = field.get_default()
            if isinstance(default, (dict, list)):  # a JSONField's default: COPY takes its JSON text
                default = json.dumps(default)
            self.extra.append((field.column, default))
        self.table = model._meta.db_table
        self.names = list(columns)
        self.columns = [fields[c].column for c in columns] + [c for c, _v in self.extra]
        self.extra_values = tuple(v for _c, v in self.extra)
        self.rows: list[tuple] = []
        self.total = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row)

    def add_record(self, values: dict) -> None:
        """A row given by field (``attname``): every column this table writes, no other."""
        if len(values) != len(self.names):
            raise RuntimeError(f"{self.table}: columns {sorted(set(values) ^ set(self.names))} written or missing")
        self.rows.append(tuple(values[name] for name in self.names))

    def flush(self, cursor) -> None:
        if not self.rows:
            return
        from psycopg import sql

        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(self.table), sql.SQL(", ").join(sql.Identifier(c) for c in self.columns)
        )
        extra = self.extra_values
        with cursor.copy(statement) as copy:
            for row in self.rows:
                copy.write_row(row + extra if extra else row)
        self.total += len(self.rows)
        self.rows = []


def next_id(cursor, table: str) -> int:
    cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
    return cursor.fetchone()[0]


def reset_sequence(cursor, table: str) -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE((SELECT MAX(id) FROM \"{table}\"), 1))"
    )
