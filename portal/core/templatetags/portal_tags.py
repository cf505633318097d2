from django import template

from portal.geography import countries

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ labels|get_item:key }}`` for dictionaries in templates."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def percent_of(value, total):
    try:
        return round(100 * float(value) / float(total), 1) if total else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def country_name(code):
    """``{{ "ES"|country_name }}`` → "España" (in the page's language)."""
    return countries.country_name(code or "")


@register.filter
def subdivision_name(code):
    """``{{ "ES-CL"|subdivision_name }}`` → "Castilla y León"."""
    return countries.subdivision_name(code or "")
