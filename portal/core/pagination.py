import datetime as dt

from django.conf import settings
from rest_framework.pagination import CursorPagination

from .keyset import capped_keys, month_number, newest_by_month, unindexed


class PortalCursorPagination(CursorPagination):
    """Keyset pagination: constant cost at any depth, no COUNT(*) over the whole table."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"


class SearchBoundedCursorPagination(PortalCursorPagination):
    """Cursor pages of a search whose cost stays bounded when its matches all sit at the far end of the index.

    The API side of ``portal.core.keyset.keyset_page(window_of=...)`` (PostgreSQL, when ``search_param`` is given):
    the keys of at most ``sort_at_most`` matches are read first (``capped_keys``) and, when they are all of them, the
    page is read among them. Otherwise the page is first sought in the next ``window`` rows of the ordering index (``window_of(view)``); if they do not
    hold a full page, the matches are sought one month of the first ordering field (a date) at a time when the view
    says how (``by_month``; ``newest_by_month``), else sorted (``field + 0``, which no index provides), instead of
    walking the whole index. All give the same positions, so cursors of one serve the others.
    """

    search_param = "q"
    window = 5_000
    # At most this many matches (every filter applied, their keys read up to one more) are paged among their keys
    # rather than sought in the window or month by month: a common term with a filter few of its matches meet
    # («Distrito Federal» in another state) would read every month's matches of the term to find none, and a search
    # without matches would walk the window and sort nothing.
    sort_at_most = 100

    def window_of(self, view):
        return view.get_queryset().model.objects.all()

    def by_month(self, request):
        """The condition that reads a month's matches through an index (``keyset.newest_by_month``'s ``narrow``), or
        ``None`` to sort the matches when the window holds no full page."""
        return None

    def paginate_queryset(self, queryset, request, view=None):
        if not (settings.USING_POSTGRES and request.query_params.get(self.search_param, "").strip()):
            return super().paginate_queryset(queryset, request, view)
        keys = capped_keys(queryset, self.sort_at_most)
        if len(keys) <= self.sort_at_most:
            # Every match's key is known (none, a typo, a rare word): the page is read among them, by key, as the
            # HTML list does; the window and the sort would look for the same few rows over the whole table again.
            return super().paginate_queryset(queryset.filter(pk__in=keys), request, view)
        names = [name.lstrip("-") for name in self.ordering]
        first = names[0]
        cursor = self.decode_cursor(request)
        backwards = bool(cursor and cursor.reverse)
        base = self.window_of(view).order_by(first if backwards else f"-{first}")
        if cursor and cursor.position is not None:
            base = base.filter(**{f"{first}__{'gte' if backwards else 'lte'}": cursor.position})
        edge = list(base.values_list(first, flat=True)[self.window - 1 : self.window])
        if not edge:  # fewer rows than the window are left: walking them is the bounded work
            return super().paginate_queryset(queryset, request, view)
        windowed = queryset.filter(**{f"{first}__{'lte' if backwards else 'gte'}": edge[0]})
        page = super().paginate_queryset(windowed, request, view)
        if self.has_previous if backwards else self.has_next:
            return page
        narrow = self.by_month(request)
        if narrow is None:
            # The window holds no full page: sort the matches. ``ordering`` is per request (one paginator per view).
            self.ordering = tuple(f"-{name}_sorted" for name in names)
            sorted_queryset = queryset.annotate(**{f"{name}_sorted": unindexed(name) for name in names})
            return super().paginate_queryset(sorted_queryset, request, view)
        # The window holds no full page: seek the matches one month of the first field at a time, from the cursor's
        # position on; the paginator then takes its page (and the row that tells whether another follows) among them.
        position = cursor.position if cursor else None
        beyond = queryset.filter(**{f"{first}__{'gt' if backwards else 'lt'}": position}) if position else queryset
        near = newest_by_month(
            beyond,
            fields=tuple(names),
            limit=(cursor.offset if cursor else 0) + self.get_page_size(request) + 1,
            narrow=narrow,
            downward=not backwards,
            start_month=_month(position),
        )
        return super().paginate_queryset(queryset.filter(near), request, view)


def _month(position: str | None) -> int | None:
    """The month of a cursor's position (an ISO date, ``month_number``), or ``None`` to start from the table's."""
    try:
        return month_number(dt.date.fromisoformat(position[:10])) if position else None
    except ValueError:
        return None
