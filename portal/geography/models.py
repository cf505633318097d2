from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.text import fold


class State(models.Model):
    """One of Mexico's 32 federal entities, keyed by its INEGI code ("01"–"32")."""

    code = models.CharField(_("clave INEGI"), max_length=2, primary_key=True)
    name = models.CharField(_("nombre oficial"), max_length=80, unique=True)
    short_name = models.CharField(_("nombre corto"), max_length=40)
    iso_code = models.CharField(_("clave ISO 3166-2"), max_length=6, unique=True)
    population_2020 = models.PositiveBigIntegerField(_("población 2020"), default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("entidad federativa")
        verbose_name_plural = _("entidades federativas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^(0[1-9]|[12][0-9]|3[0-2])$"),
                name="%(app_label)s_%(class)s_code_inegi",
            )
        ]

    def __str__(self):
        return self.short_name


class Municipality(models.Model):
    """A municipality or Mexico City alcaldía, keyed by its 5-digit INEGI code."""

    inegi_code = models.CharField(_("clave INEGI"), max_length=5, primary_key=True)
    state = models.ForeignKey(State, models.PROTECT, related_name="municipalities", verbose_name=_("entidad"))
    municipality_code = models.CharField(_("clave municipal"), max_length=3)
    name = models.CharField(_("nombre"), max_length=120)
    seat_name = models.CharField(_("cabecera"), max_length=120, blank=True)
    population_2020 = models.PositiveBigIntegerField(_("población 2020"), default=0)
    # Accent- and case-folded name for search that behaves the same on every database.
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    # Names people use that are neither INEGI's nor the seat's ("Ciudad Juárez"), from data/common_names.csv.
    common_name = models.CharField(_("nombre común"), max_length=120, blank=True)
    # Folded name, seat and common name together: what the municipality search and the pickers look in.
    search_alias = models.CharField(max_length=400, blank=True, editable=False)

    class Meta:
        ordering = ["state_id", "name"]
        verbose_name = _("municipio")
        verbose_name_plural = _("municipios")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(inegi_code__regex=r"^[0-9]{5}$"),
                name="%(app_label)s_%(class)s_code_five_digits",
            ),
            models.UniqueConstraint(
                fields=["state", "municipality_code"], name="%(app_label)s_%(class)s_unique_code_in_state"
            ),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def alias_for(name: str, seat_name: str = "", common_name: str = "") -> str:
        names = []
        for value in (name, seat_name, common_name):
            folded = fold(value)
            if folded and folded not in names:
                names.append(folded)
        return " | ".join(names)
