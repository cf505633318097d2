"""A government is a state or a municipality; these helpers name one either way."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from .models import Municipality, State


@dataclass(frozen=True)
class Government:
    kind: str  # "state" | "municipality"
    code: str
    name: str
    state_code: str

    @property
    def filter(self) -> dict:
        return (
            {"state_id": self.code, "municipality__isnull": True}
            if self.kind == "state"
            else {"municipality_id": self.code}
        )

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
    if institution is None:
        return None
    if institution.municipality_id:
        return government_of(institution.municipality)
    if institution.state_id:
        return government_of(institution.state)
    return None


def one_government_constraint(name: str = "one_government"):
    """A row that belongs to exactly one government: a state or a municipality, never both or neither."""
    from django.db import models
    from django.db.models import Q

    return models.CheckConstraint(
        condition=Q(state__isnull=False, municipality__isnull=True) | Q(state__isnull=True, municipality__isnull=False),
        name=f"%(app_label)s_%(class)s_{name}",
    )
