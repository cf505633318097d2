"""Declarative list pages: what a page lists is declared; how it filters and pages is written once, here.

A list page names its FilterSet (the one its API uses too: labels and choices are declared there), the
selector that scopes the rows to the reader, the keyset order, the template and the page size. The base binds
the FilterSet to the query string, counts the matches up to a cap («más de 1,000» past it), cuts one keyset
page after or before the request's cursor — a cost that does not grow with depth: no OFFSET, no full count —
and gives the template:

* ``filterset`` and ``filter_fields`` (the bound fields of ``filterset.form`` that the page's form shows);
* ``page`` (``page.items``, ``page.next_cursor``, ``page.previous_cursor``), ``count`` and ``capped``;
* ``query``: the query string without the cursor (nor the values the FilterSet refused, which the page
  ignored too), for the «anterior / siguiente» links and the links to sibling pages (statistics, exports);
* ``breadcrumbs``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.views.generic.base import ContextMixin, TemplateResponseMixin, View

from .keyset import capped_count, capped_keys, keyset_page

__all__ = ["CURSOR_PARAMS", "FilteredListView", "Keyset"]

# «despues» (the page after) and «antes» (the page before) carry the cursor; «page» is the page number of
# links made before the lists used cursors, dropped like them.
CURSOR_PARAMS = ("despues", "antes", "page")


@dataclass(frozen=True)
class Keyset:
    """A list's order: ``fields`` (none NULL in the rows listed, the last one unique) and their Python types,
    with which the cursor is read back."""

    fields: tuple[str, ...]
    kinds: tuple[type, ...]
    descending: bool = False


class FilteredListView(TemplateResponseMixin, ContextMixin, View):
    """A filtered list in keyset pages. Subclasses declare the attributes below and ``get_queryset``."""

    template_name: str
    filterset_class: type | None = None
    keyset: Keyset
    page_size = 25
    count_cap = 1_000
    # The count reads the rows' keys (``capped_keys``) and ``match_keys`` holds them when there are at most
    # ``count_cap``: for a list whose page is costly to look for twice (a search), read among them by key.
    count_keys = False
    match_keys: list | None = None
    form_fields: tuple[str, ...] | None = None  # the filters the page's form shows; None: all of them
    breadcrumbs: tuple = ()  # (label, url) pairs; the page itself last, with url None
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        """The rows the reader may see, from the app's selector (scoped to ``self.request.user``)."""
        raise NotImplementedError

    def get_filterset(self, queryset):
        return self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)

    def get_keyset(self) -> Keyset:
        return self.keyset

    def get_page_size(self) -> int:
        return self.page_size

    def get_count_cap(self, filterset) -> int:
        return self.count_cap

    def get_count_keys(self) -> bool:
        return self.count_keys

    def get_page_queryset(self, queryset):
        """What the page reads of the filtered rows (``.values(...)`` of the columns shown, say)."""
        return queryset

    def get_page_options(self, filterset, *, capped: bool) -> dict:
        """More arguments for :func:`~portal.core.keyset.keyset_page` (``sort_matches``, ``window_of``)."""
        return {}

    def get_query(self, filterset) -> str:
        query = self.request.GET.copy()
        for name in (*CURSOR_PARAMS, *filterset.errors):
            query.pop(name, None)
        return query.urlencode()

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(self.get_queryset())
        queryset = filterset.qs
        cap = self.get_count_cap(filterset)
        if self.get_count_keys():
            keys = capped_keys(queryset, cap)
            count, capped = min(len(keys), cap), len(keys) > cap
            self.match_keys = None if capped else keys  # every row's key, for get_page_options (keyset_page's among)
        else:
            count, capped = capped_count(queryset, cap)
        keyset = self.get_keyset()
        page = keyset_page(
            self.get_page_queryset(queryset),
            fields=keyset.fields,
            kinds=keyset.kinds,
            descending=keyset.descending,
            size=self.get_page_size(),
            after=request.GET.get("despues"),
            before=request.GET.get("antes"),
            **self.get_page_options(filterset, capped=capped),
        )

        def filter_fields():  # called by the template only when it draws the form (not from a cached fragment)
            form = filterset.form
            return [form[name] for name in (self.form_fields if self.form_fields is not None else form.fields)]

        context = self.get_context_data(
            filterset=filterset,
            filter_fields=filter_fields,
            page=page,
            count=count,
            capped=capped,
            query=self.get_query(filterset),
            breadcrumbs=list(self.breadcrumbs),
        )
        return self.render_to_response(context)
