"""Migration steps that only PostgreSQL runs: its search indexes, functions and triggers (SQLite keeps the plain
schema and searches the folded text)."""

from django.db import migrations

__all__ = ["postgres_sql"]


def postgres_sql(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """A step that executes ``forward`` statement by statement on PostgreSQL (undone by ``backward``), and nothing
    on another database."""

    def run(statements):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for sql in statements:
                    schema_editor.execute(sql)

        return apply

    return migrations.RunPython(run(forward), run(backward))
