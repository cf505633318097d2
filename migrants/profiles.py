"""The migrant-attention section of state and municipal profiles."""

from django.utils.translation import gettext_lazy as _

from portal.geography.countries import country_name, sort_key
from portal.geography.government import government_of
from portal.geography.profiles import cached_section_data

from . import selectors
from .api.serializers import MigrantOfficeSerializer, MigrationProfileSerializer
from .choices import InstitutionalForm
from .permissions import user_can_edit_office

KEY = "migrants"
ORDER = 10
COMPARISON_COLUMNS = [
    ("office_form", _("Forma de la oficina estatal")),
    ("constitution", _("Constitución nombra a migrantes")),
    ("council", _("Consejo colegiado")),
    ("offices_abroad", _("Oficinas fuera de la entidad")),
    ("mgi", _("Perfil MGI (OIM)")),
]


def _section(government, user, read) -> dict:
    offices, profile = cached_section_data(KEY, government, read)
    return {
        "template": "migrants/includes/_profile_section.html",
        "government": government,
        "profile": profile,
        "offices": offices,
        "editable": {o.pk for o in offices if user_can_edit_office(user, o)},
    }


def state_section(state, user, *, complete: bool = False) -> dict:
    # Every office is listed on the page already: nothing more for the handover (``complete``).
    return _section(
        government_of(state),
        user,
        lambda: (selectors.offices_for_state(state.code), selectors.profile_for(state_code=state.code)),
    )


def municipality_section(municipality, user, *, complete: bool = False) -> dict:
    code = municipality.inegi_code
    return _section(
        government_of(municipality),
        user,
        lambda: (selectors.offices_for_municipality(code), selectors.profile_for(inegi_code=code)),
    )


def comparison_values() -> dict[str, dict]:
    profiles = selectors.state_profiles()
    values: dict[str, dict] = {}
    forms = dict(InstitutionalForm.choices)
    for office in selectors.office_list().filter(institution__level="state"):
        code = office.institution.state_id
        abroad = office.offices_abroad.all()
        values.setdefault(code, {})
        values[code]["office_form"] = str(forms.get(office.institutional_form, "")) or None
        values[code]["offices_abroad"] = (
            ", ".join(sorted({country_name(a.country) for a in abroad}, key=sort_key)) or None
        )
    for code, profile in profiles.items():
        row = values.setdefault(code, {})
        row["constitution"] = profile.constitution_mentions_migrants
        row["council"] = profile.council_name or None
        row["mgi"] = profile.mgi_profile_year
    return values


def state_data(state, request) -> dict:
    section = state_section(state, request.user)
    return {
        "migration_profile": MigrationProfileSerializer(section["profile"]).data if section["profile"] else None,
        "migrant_offices": MigrantOfficeSerializer(section["offices"], many=True).data,
    }
