"""The rows that belong to a government share one abstract model (portal/geography/government.py)."""

import pytest

from agreements.registry.models import RegistryEntry
from cooperation.models import FocalPoint, GovernmentTerm, NetworkMembership
from migrants.models import MigrationProfile
from portal.geography.government import GovernmentScoped
from portal.geography.models import Municipality, State
from portal.institutions.models import Institution

JALISCO = State(code="14", short_name="Jalisco")
GUADALAJARA = Municipality(inegi_code="14039", name="Guadalajara", state=JALISCO)


def _constraints(model) -> set[str]:
    return {constraint.name for constraint in model._meta.constraints}


@pytest.mark.parametrize(
    ("model", "name"),
    [
        (FocalPoint, "cooperation_focalpoint_one_government"),
        (GovernmentTerm, "cooperation_governmentterm_one_government"),
        (NetworkMembership, "cooperation_networkmembership_one_government"),
        (MigrationProfile, "migrants_migrationprofile_one_government"),
    ],
)
def test_a_row_of_one_government_keeps_its_named_check(model, name):
    assert issubclass(model, GovernmentScoped)
    assert name in _constraints(model)


def test_offices_and_registry_entries_keep_their_level_rule_instead():
    assert "institutions_institution_level_matches_geography" in _constraints(Institution)
    assert "agreements_registryentry_level_matches_municipality" in _constraints(RegistryEntry)
    assert not any(name.endswith("one_government") for name in _constraints(Institution) | _constraints(RegistryEntry))


def test_the_reverse_relations_keep_their_names():
    assert {
        relation.get_accessor_name() for relation in State._meta.related_objects if relation.related_name != "+"
    } >= {"focal_points", "terms", "network_memberships", "migration_profile", "institutions", "registry_entries"}


def test_a_row_names_the_government_it_belongs_to():
    assert FocalPoint(state=JALISCO).government.kind == "state"
    assert FocalPoint(municipality=GUADALAJARA).government.name == "Guadalajara, Jalisco"
    municipal_office = Institution(level="municipal", state=JALISCO, municipality=GUADALAJARA)
    assert (municipal_office.place, municipal_office.government.code) == (GUADALAJARA, "14039")
    assert Institution(level="federal").government is None
