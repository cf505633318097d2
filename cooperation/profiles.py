"""The cooperation section of state and municipal profiles: focal point, partnerships, networks."""

from itertools import groupby

from django.utils.translation import gettext_lazy as _

from portal.geography.government import government_of
from portal.geography.profiles import cached_section_data

from . import selectors
from .api.serializers import FocalPointSerializer, PartnershipSerializer
from .choices import OrganisationKind
from .permissions import user_can_manage_focal_point, user_can_see_contacts

KEY = "cooperation"
ORDER = 20
COMPARISON_COLUMNS = [
    ("un_partnerships", _("Alianzas con agencias de la ONU")),
    ("networks", _("Membresías en redes")),
]


def _read(government, *, with_values: bool = False) -> dict:
    return {
        "partnerships": selectors.partnerships_for(government, with_values=with_values),
        "focal_point": selectors.focal_point_for(government),
        "memberships": selectors.memberships_for(government),
        "term": selectors.current_term(government),
    }


def _section(government, user, *, with_values: bool = False) -> dict:
    # The page's data is kept under the profiles' version; the API's (``with_values``) is read each time.
    if with_values:
        data = _read(government, with_values=True)
    else:
        data = cached_section_data(KEY, government, lambda: _read(government))
    partnerships = data["partnerships"]
    by_organisation = [(org, list(items)) for org, items in groupby(partnerships, key=lambda p: p.organisation)]
    return {
        "template": "cooperation/includes/_profile_section.html",
        "government": government,
        "focal_point": data["focal_point"],
        "show_contacts": user_can_see_contacts(user),
        "can_manage": user_can_manage_focal_point(user, government),
        "partnerships_by_organisation": by_organisation,
        "partnership_count": len(partnerships),
        "un_partnership_count": sum(p.organisation.kind == OrganisationKind.UN_AGENCY for p in partnerships),
        "memberships": data["memberships"],
        "term": data["term"],
    }


def state_section(state, user, *, complete: bool = False) -> dict:
    # Every partnership and membership is listed on the page already: nothing more for ``complete``.
    return _section(government_of(state), user)


def municipality_section(municipality, user, *, complete: bool = False) -> dict:
    return _section(government_of(municipality), user)


def comparison_values() -> dict[str, dict]:
    """None ("sin datos") where the sources name no partnership or membership, as the state page says."""
    return {
        code: {"un_partnerships": c["un_partnerships"] or None, "networks": c["networks"] or None}
        for code, c in selectors.state_counts().items()
    }


def state_data(state, request) -> dict:
    section = _section(government_of(state), request.user, with_values=True)
    partnerships = [p for _org, items in section["partnerships_by_organisation"] for p in items]
    return {
        "focal_point": FocalPointSerializer(section["focal_point"], context={"request": request}).data
        if section["focal_point"]
        else None,
        "partnerships": PartnershipSerializer(partnerships, many=True).data,
        "network_memberships": [
            {"network": m.network.name, "joined_year": m.joined_year} for m in section["memberships"]
        ],
    }
