"""Searchable pickers: plain ``<select>`` elements that static/js/pickers.js turns into a search-as-you-type list
(tom-select). Without JavaScript they stay ordinary selects, so every form and filter works without it."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PickerMixin:
    """Marks a select for pickers.js: ``data-picker`` plus the texts it shows, in the reader's language.

    ``depends_on`` names the field (its HTML id) whose value fills this one's options from ``source``
    (``source?<param>=<value>`` answers ``[{"code": ..., "name": ...}]``), as the subdivision follows the country.
    """

    def __init__(self, attrs=None, *, depends_on: str = "", source: str = "", param: str = "", **kwargs):
        super().__init__(attrs, **kwargs)
        self.depends_on, self.source, self.param = depends_on, source, param

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        extra = {
            "data-picker": "1",
            "data-picker-empty": str(_("Sin resultados")),
            "data-picker-placeholder": str(self.attrs.get("data-picker-placeholder") or _("Escriba para buscar…")),
        }
        if self.depends_on:
            extra.update(
                {
                    "data-picker-depends-on": f"id_{self.depends_on}",
                    "data-picker-source": str(self.source),
                    "data-picker-param": self.param or self.depends_on,
                }
            )
        context["widget"]["attrs"] = {**extra, **context["widget"]["attrs"]}
        return context


class PickerSelect(PickerMixin, forms.Select):
    """One choice among many, searched by name (countries, subdivisions, states, institutions)."""


class PickerSelectMultiple(PickerMixin, forms.SelectMultiple):
    """Several choices, each added by typing (no Ctrl-click)."""


class YesNoAllSelect(forms.NullBooleanSelect):
    """A yes/no filter whose empty answer reads «Todos» (not «Desconocido»): ``?x=true``, ``?x=false`` or nothing;
    ``yes`` and ``no`` may say what they mean («Vigentes», «Ya no vigentes»)."""

    def __init__(self, attrs=None, *, yes=None, no=None):
        super().__init__(attrs)
        self.choices = (("", _("Todos")), ("true", yes or _("Sí")), ("false", no or _("No")))
