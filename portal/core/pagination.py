from rest_framework.pagination import CursorPagination


class PortalCursorPagination(CursorPagination):
    """Keyset pagination: constant cost at any depth, no COUNT(*) over the whole table."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"
