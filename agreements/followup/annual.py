"""The public annual report of a state or municipality (the accountability report the sources recommend): the
page and its PDF read the same figures (``annual_report``), so they cannot disagree."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation import selectors as cooperation
from portal.core.pdf import FONT, portal_pdf

from . import selectors
from .choices import FollowupStatus

FIRST_YEAR = 1990  # the registry's oldest agreements; earlier years have no report


def report_years(today: dt.date | None = None) -> range:
    today = today or timezone.localdate()
    return range(FIRST_YEAR, today.year + 1)


def annual_report(government, year: int) -> dict:
    """Everything the report shows (public data only: no contacts, no plans, no documents)."""
    figures = selectors.annual_figures(government, year)
    followup = selectors.government_followup(government, limit=0)
    focal_point = cooperation.focal_point_for(government)
    return {
        "government": government,
        "year": year,
        "figures": figures,
        "followup_counts": [(s.value, s.label, followup["counts"][s.value]) for s in FollowupStatus],
        "followup_total": followup["total"],
        "partnerships": cooperation.partnerships_for(government),
        "memberships": cooperation.memberships_for(government),
        "focal_point": focal_point,
        "generated_at": timezone.now(),
    }


def figure_rows(report: dict) -> list[tuple[str, int]]:
    f = report["figures"]
    return [
        (_("Acuerdos firmados en el año"), f["signed"]),
        (_("Acuerdos vigentes al %(d)s") % {"d": f"{f['as_of']:%d/%m/%Y}"}, f["in_force"]),
        (_("Acuerdos modificados o prorrogados en el año"), f["amended"]),
        (_("Acuerdos terminados en el año"), f["terminated"]),
        (_("Acuerdos vencidos en el año"), f["expired"]),
    ]


def annual_report_pdf(report: dict) -> bytes:
    """The report as a PDF in the reader's language, in the portal's Unicode fonts."""
    government, year = report["government"], report["year"]
    title = _("Informe anual %(year)s · %(name)s") % {"year": year, "name": government.name}
    texts = [title, *(p.title for p in report["partnerships"]), *(p.organisation.name for p in report["partnerships"])]
    texts += [m.network.name for m in report["memberships"]]
    texts += [e.title + e.counterpart_name for e in report["figures"]["signed_entries"]]
    pdf = portal_pdf(title=title, author=_("Portal de Acuerdos Interinstitucionales"), text=" ".join(texts))
    pdf.set_creation_date(report["generated_at"])
    pdf.add_page()
    pdf.set_margins(20, 20, 20)

    def heading(text):
        pdf.ln(3)
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)

    def line(text):
        pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")

    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 8, _("Informe anual de acción internacional"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    line(f"{government.name} · {year}")
    line(_("Generado el %(d)s") % {"d": f"{timezone.localtime(report['generated_at']):%d/%m/%Y %H:%M}"})

    heading(_("Acuerdos interinstitucionales"))
    for label, value in figure_rows(report):
        line(f"{label}: {value}")
    signed = report["figures"]["signed_entries"]
    if signed:
        heading(_("Acuerdos firmados en el año"))
        for entry in signed:
            line(f"{entry.registry_number} · {entry.title} · {entry.counterpart_name} · {entry.signed_on:%d/%m/%Y}")

    heading(_("Ejecución de los acuerdos vigentes"))
    line(_("Acuerdos en seguimiento: %(n)s") % {"n": report["followup_total"]})
    for _key, label, count in report["followup_counts"]:
        line(f"{label}: {count}")

    heading(_("Alianzas con organismos"))
    for p in report["partnerships"] or []:
        line(f"{p.organisation.name} · {p.title}" + (f" · {p.year}" if p.year else ""))
    if not report["partnerships"]:
        line(_("Sin alianzas registradas."))

    heading(_("Membresías en redes de ciudades"))
    for m in report["memberships"] or []:
        line(m.network.name + (f" · {m.joined_year}" if m.joined_year else ""))
    if not report["memberships"]:
        line(_("Sin membresías registradas."))

    heading(_("Punto focal"))
    focal = report["focal_point"]
    if focal:
        line(", ".join(x for x in (focal.name, focal.position, focal.area) if x))
    else:
        line(_("Sin punto focal designado."))
    return bytes(pdf.output())
