"""The portal's FilterSet base: one FilterSet per list, shared by the page and the API."""

import copy

import django_filters
from django import forms
from django.http import QueryDict
from django.utils import translation


class _FieldsSharingChoices(dict):
    """A filter form's ``base_fields``, copied per form (``BaseForm.__init__`` deep-copies them) without copying
    their choices: a choice field's options are the class's constants, with lazy labels whose deep copy cost about
    a millisecond a request on the registry. The rest is copied as Django copies it (the field, its widget with its
    attributes and choices list, its messages and validators), so a form may still change its own fields."""

    def __deepcopy__(self, memo):
        return {name: _field_copy(field, memo) for name, field in self.items()}


def _field_copy(field, memo):
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return forms.Field.__deepcopy__(field, memo)  # ChoiceField's own also deep-copies the choices
    return copy.deepcopy(field, memo)  # a model choice field clones its queryset per form


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

    @classmethod
    def filters_nothing(cls, data) -> bool:
        """True when an instance bound to ``data`` would return its queryset unfiltered, known without building
        its form: no parameter of ``data`` is one a filter reads (its name, or its name and a suffix, as range
        widgets read), so every filter is given an empty value, which django-filter's filters skip; and no filter
        is required and the form is Django's plain one, so the empty form is valid. A filter set that filters
        otherwise (its own ``filter_queryset`` or ``qs``) is never said to filter nothing."""
        if (
            cls._meta.form is not forms.Form
            or cls.filter_queryset is not django_filters.FilterSet.filter_queryset
            or cls.qs is not django_filters.FilterSet.qs
            or any(filter_.extra.get("required") for filter_ in cls.base_filters.values())
        ):
            return False
        return not any(key == name or key.startswith(f"{name}_") for key in data for name in cls.base_filters)

    def get_form_class(self):
        """The form class, built once per FilterSet class and language (django-filter builds one per instance:
        a class, fifteen fields and their choices on every request of the registry).

        The filters are the class's: a FilterSet whose filters change per request (a queryset that depends on the
        user, say) must build its own form class.
        """
        cache = type(self).__dict__.get("_form_classes")
        if cache is None:
            cache = type(self)._form_classes = {}
        language = translation.get_language()
        form_class = cache.get(language)
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _FieldsSharingChoices(form_class.base_fields)
            cache[language] = form_class
        return form_class
