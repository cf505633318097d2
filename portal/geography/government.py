"""A government is a state or a municipality; these helpers name one either way, and ``GovernmentScoped`` is the
abstract model of the rows that belong to one (focal points, administrations, network memberships, …)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .models import Municipality, State


@dataclass(frozen=True)
class Government:
    kind: str  # "state" | "municipality"
    code: str
    name: str
    state_code: str

    @property
    def lookup(self) -> dict:
        return {"state_id": self.code} if self.kind == "state" else {"municipality_id": self.code}


def government_of(obj) -> Government:
    if isinstance(obj, State):
        return Government("state", obj.code, obj.short_name, obj.code)
    return Government("municipality", obj.inegi_code, f"{obj.name}, {obj.state.short_name}", obj.state_id)


def get_government(kind: str, code: str) -> Government:
    if kind in ("estado", "state"):
        state = State.objects.filter(code=code).first()
        if state:
            return government_of(state)
    elif kind in ("municipio", "municipality"):
        municipality = Municipality.objects.select_related("state").filter(inegi_code=code).first()
        if municipality:
            return government_of(municipality)
    raise Http404()


def user_government(user) -> Government | None:
    institution = getattr(user, "institution", None)
    return institution.government if institution is not None else None


def one_government_constraint(name: str = "one_government"):
    """A row that belongs to exactly one government: a state or a municipality, never both or neither."""
    return models.CheckConstraint(
        condition=Q(state__isnull=False, municipality__isnull=True) | Q(state__isnull=True, municipality__isnull=False),
        name=f"%(app_label)s_%(class)s_{name}",
    )


def state_key(
    related_name: str | None = None, *, on_delete=models.CASCADE, null=True, field=models.ForeignKey, db_index=True
):
    """The ``state`` column of a government-scoped row (``field=models.OneToOneField`` for one row per state).
    ``db_index=False`` where an index of the model's own begins with the column (its own would only cost writes)."""
    return field(
        "geography.State",
        on_delete,
        null=null,
        blank=null,
        related_name=related_name,
        verbose_name=_("entidad"),
        db_index=db_index,
    )


def municipality_key(
    related_name: str | None = None, *, on_delete=models.CASCADE, field=models.ForeignKey, db_index=True
):
    """The ``municipality`` column of a government-scoped row (``db_index`` as in ``state_key``)."""
    return field(
        "geography.Municipality",
        on_delete,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=_("municipio"),
        db_index=db_index,
    )


class GovernmentScoped(models.Model):
    """A row that belongs to a state's or a municipality's government.

    By default exactly one of ``state`` and ``municipality`` is set (``%(app_label)s_%(class)s_one_government``):
    subclasses extend ``GovernmentScoped.Meta`` to keep that rule. A model whose rows name their place by a level
    (an institution or a registry entry: a municipal one names its state too, a federal office neither) declares
    its own ``Meta`` with its own rule instead. Models that named the reverse relations before this base existed
    redeclare the two columns with ``state_key``/``municipality_key`` and their ``related_name``: the columns,
    names and constraints in the database stay what they were.
    """

    state = state_key()
    municipality = municipality_key()

    class Meta:
        abstract = True
        constraints = [one_government_constraint()]

    @property
    def place(self) -> State | Municipality | None:
        """The municipality when the row names one, else the state (None for a federal office)."""
        return self.municipality if self.municipality_id else self.state

    @property
    def government(self) -> Government | None:
        place = self.place
        return government_of(place) if place is not None else None
