"""State and municipal profiles (what analysts browse): each app contributes its section."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.csvexport import table_csv_response
from portal.core.listviews import FilteredListView, Keyset
from portal.core.pagecache import anonymous_page_cache

from . import selectors
from .filtersets import MunicipalityFilterSet
from .government import get_government
from .maps import ATTRIBUTION, choropleth
from .profiles import profiles_version

# Anonymous visitors share a profile page until what it shows changes (portal.core.pagecache); a signed-in reader
# may see cases an anonymous one does not, and never gets the shared copy.
shared_with_anonymous = anonymous_page_cache(name="profiles", version=profiles_version)


@shared_with_anonymous
def state_directory(request):
    columns, rows = selectors.comparison()
    agreements_index = [key for key, _label in columns].index("agreements")
    counts = {row["state"].code: row["values"][agreements_index] or 0 for row in rows}
    shapes = choropleth(counts, [row["state"] for row in rows])
    return render(
        request,
        "geography/state_list.html",
        {
            "rows": rows,
            "shapes": shapes,
            "attribution": ATTRIBUTION,
            "breadcrumbs": [(_("Estados"), None)],
        },
    )


@shared_with_anonymous
def state_profile(request, code):
    state = selectors.state_detail(code)
    return render(
        request,
        "geography/state_detail.html",
        {
            "state": state,
            "sections": selectors.state_sections(state, request.user),
            "municipality_count": state.municipalities.count(),
            "breadcrumbs": [(_("Estados"), reverse("geography:state_list")), (state.short_name, None)],
        },
    )


class MunicipalityListView(FilteredListView):
    """All 2,478 municipalities and alcaldías, searched by name, seat or code, by state and name."""

    template_name = "geography/municipality_list.html"
    filterset_class = MunicipalityFilterSet
    keyset = Keyset(("state_id", "name", "inegi_code"), (str, str, str))
    page_size = 50
    count_cap = 5_000  # more than every municipality: the page always says how many
    breadcrumbs = ((gettext_lazy("Municipios"), None),)

    def get_queryset(self):
        return selectors.municipality_list()


municipality_search = MunicipalityListView.as_view()


@shared_with_anonymous
def municipality_profile(request, inegi_code):
    municipality = selectors.municipality_detail(inegi_code)
    return render(
        request,
        "geography/municipality_detail.html",
        {
            "municipality": municipality,
            "sections": selectors.municipality_sections(municipality, request.user),
            "breadcrumbs": [
                (_("Estados"), reverse("geography:state_list")),
                (municipality.state.short_name, reverse("geography:state_detail", args=[municipality.state_id])),
                (municipality.name, None),
            ],
        },
    )


@shared_with_anonymous
def state_comparison(request):
    columns, rows = selectors.comparison()
    order = request.GET.get("orden", "")
    keys = [key for key, _label in columns]
    if order.lstrip("-") in keys:
        index = keys.index(order.lstrip("-"))

        def sort_key(row):
            value = row["values"][index]
            return (value is None, value if not isinstance(value, str) else value.lower())

        rows = sorted(rows, key=sort_key, reverse=order.startswith("-"))
        if order.startswith("-"):  # keep "sin datos" last in both directions
            rows = [r for r in rows if r["values"][index] is not None] + [r for r in rows if r["values"][index] is None]
    if request.GET.get("formato") == "csv":
        table = [
            {
                "state_code": r["state"].code,
                "state": r["state"].short_name,
                **{key: _plain(v) for key, v in zip(keys, r["values"], strict=True)},
            }
            for r in rows
        ]
        return table_csv_response(table, ["state_code", "state", *keys], "comparacion-estados")
    return render(
        request,
        "geography/state_comparison.html",
        {
            "columns": columns,
            "rows": rows,
            "order": order,
            "breadcrumbs": [(_("Estados"), reverse("geography:state_list")), (_("Comparación"), None)],
        },
    )


def _plain(value):
    if value is None:
        return ""
    if value is True:
        return "sí"
    if value is False:
        return "no"
    return value


def handover_report(request, kind, code):
    """Printable handover (entrega-recepción) for a new administration: the profile's sections, dated."""
    government = get_government(kind, code)
    if government.kind == "state":
        place = selectors.state_detail(code)
        sections = selectors.state_sections(place, request.user, complete=True)
    else:
        place = selectors.municipality_detail(code)
        sections = selectors.municipality_sections(place, request.user, complete=True)
    return render(
        request,
        "geography/handover.html",
        {
            "government": government,
            "place": place,
            "sections": sections,
            "generated_at": timezone.now(),
            "breadcrumbs": [(government.name, None), (_("Entrega-recepción"), None)],
        },
    )
