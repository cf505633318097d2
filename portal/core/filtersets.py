"""The portal's FilterSet base: one FilterSet per list, shared by the page and the API."""

import copy

import django_filters
from django.http import QueryDict


class PortalFilterSet(django_filters.FilterSet):
    """A FilterSet whose instances copy their filters shallowly.

    django-filter deep-copies every filter for each instance (their choices and lazy labels: about a millisecond
    a request on the registry). An instance only sets ``model`` and ``parent`` on its filters, binds their
    ``method`` and caches the form field (which the form deep-copies anyway), so a shallow copy of each filter
    keeps instances apart.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.extra = dict(filter_.extra)  # its own keyword arguments (a queryset set per request stays here)
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method  # re-binds its FilterMethod to this copy (it held the original)
