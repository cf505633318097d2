"""Open data about the public registry: an Atom feed of its changes and DCAT metadata (JSON-LD).

Both are announced on ``/registro/`` with ``<link rel="alternate">``. The DCAT document is served on its own
(``application/ld+json``), not as a ``<script>`` inside the page, which the Content-Security-Policy forbids.
"""

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import selectors
from ..exports import XLSX_TYPE

JSON_LD = "application/ld+json"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


class RegistryChangesFeed(Feed):
    """``/registro/cambios.atom``: the latest inscriptions (and, as kinds are added, other registry changes)."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return request

    def title(self):
        return _("Registro de Acuerdos Interinstitucionales: cambios recientes")

    def subtitle(self):
        return _("Inscripciones en el registro público de acuerdos de gobiernos estatales y municipales.")

    def link(self):
        return reverse("agreements:registry_list")

    def feed_url(self):
        return reverse("agreements:registry_feed")

    def author_name(self):
        return _("Secretaría de Relaciones Exteriores")

    def feed_guid(self, request):
        return request.build_absolute_uri(reverse("agreements:registry_feed"))

    def items(self, request):
        self._base = request.build_absolute_uri("/")[:-1]  # for the entries' ids (one instance per request)
        return selectors.registry_changes()

    def item_title(self, change):
        return _("%(kind)s: %(number)s · %(title)s") % {
            "kind": change.kind.label,
            "number": change.registry_number,
            "title": change.title,
        }

    def item_description(self, change):
        return _("%(government)s con %(counterpart)s. %(kind)s el %(date)s.") % {
            "government": change.government,
            "counterpart": change.counterpart,
            "kind": change.kind.label,
            "date": f"{change.happened_on:%d/%m/%Y}",
        }

    def item_link(self, change):
        return change.path

    def item_guid(self, change):
        return f"{self._base}{change.path}#{change.kind}-{change.happened_on.isoformat()}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return timezone.make_aware(dt.datetime.combine(change.happened_on, dt.time.min))

    def item_updateddate(self, change):
        return change.recorded_at

    def item_categories(self, change):
        return [change.kind.value]


def registry_feed(request):
    """A feed instance per request: its entries' ids use the request's address."""
    return RegistryChangesFeed()(request)


def registry_dcat(request):
    """``/registro/dcat.jsonld``: the registry as a DCAT dataset with its CSV and XLSX distributions."""
    absolute = request.build_absolute_uri
    export = reverse("agreements:registry_export")
    modified = selectors.registry_last_modified()
    language = get_language()[:2]

    def text(value):
        return {"@language": language, "@value": str(value)}

    def distribution(key, title, media_type, url, fmt):
        return {
            "@id": absolute(url) + "#distribution",
            "@type": "dcat:Distribution",
            "dct:identifier": key,
            "dct:title": text(title),
            "dcat:mediaType": {"@id": IANA_MEDIA_TYPES + media_type},
            "dct:format": fmt,
            "dcat:downloadURL": {"@id": absolute(url)},
            "dcat:accessURL": {"@id": absolute(reverse("agreements:registry_list"))},
        }

    document = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": absolute(reverse("agreements:registry_dcat")),
        "@type": "dcat:Dataset",
        "dct:identifier": "raii",
        "dct:title": text(_("Registro de Acuerdos Interinstitucionales (RAII)")),
        "dct:description": text(
            _(
                "Acuerdos interinstitucionales de gobiernos estatales y municipales de México inscritos en el "
                "registro de la Secretaría de Relaciones Exteriores: número de registro, título, tipo, gobierno y "
                "dependencia firmantes, contraparte, país, temas, fechas de firma, de inscripción y de vigencia."
            )
        ),
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": _("Secretaría de Relaciones Exteriores")},
        "dct:language": [{"@id": "http://id.loc.gov/vocabulary/iso639-1/es"}],
        "dct:spatial": {"@id": "http://publications.europa.eu/resource/authority/country/MEX"},
        "dcat:keyword": [
            text(k)
            for k in (_("acuerdos interinstitucionales"), _("gobiernos locales"), _("cooperación internacional"))
        ],
        "dcat:landingPage": {"@id": absolute(reverse("agreements:registry_list"))},
        "dcat:distribution": [
            distribution("csv", _("Registro completo en CSV (UTF-8)"), "text/csv", f"{export}?formato=csv", "CSV"),
            distribution("xlsx", _("Registro completo en Excel (XLSX)"), XLSX_TYPE, f"{export}?formato=xlsx", "XLSX"),
            distribution(
                "atom",
                _("Cambios recientes (Atom)"),
                "application/atom+xml",
                reverse("agreements:registry_feed"),
                "Atom",
            ),
        ],
    }
    if modified is not None:
        document["dct:modified"] = {"@type": "xsd:dateTime", "@value": timezone.localtime(modified).isoformat()}
    return JsonResponse(document, content_type=JSON_LD, json_dumps_params={"ensure_ascii": False})
