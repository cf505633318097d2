"""Conditions written in SQL on the query's own table: the alias Django gives the table in each query."""

import copy
from functools import cached_property

from django.db.models import BooleanField
from django.db.models.expressions import Expression

__all__ = ["OwnTableCondition"]


class OwnTableCondition(Expression):
    """A boolean condition whose ``as_sql`` names columns through ``self.alias``: the alias is the query's own when
    the condition is resolved, and follows the query when it becomes a subquery (``pk__in`` filters, statistics by
    theme). Subclasses set their values in ``__init__`` and write ``as_sql``."""

    output_field = BooleanField()
    conditional = True
    alias: str | None = None

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return self._on(query.get_initial_alias() if query else self.alias)

    def relabeled_clone(self, change_map):
        return self._on(change_map.get(self.alias, self.alias))

    @cached_property
    def identity(self):
        return (*super().identity, self.alias)  # the same condition on another table is another condition

    def _on(self, alias):
        clone = copy.copy(self)
        clone.__dict__.pop("identity", None)  # cached for the alias it was copied from
        clone.alias = alias
        return clone
