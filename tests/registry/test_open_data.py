"""Open data: the Atom feed of registry changes and the DCAT (JSON-LD) description of the registry dataset."""

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from agreements.registry.models import RegistryEntry
from portal.geography.models import State

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"


def _entry(number, registered_on, **kwargs):
    values = {
        "registry_number": number,
        "title": f"Acuerdo de cooperación {number}",
        "kind": "twinning",
        "level": "state",
        "state": State.objects.get(code="14"),
        "signing_office": "Gobierno del Estado de Jalisco",
        "counterpart_name": "Ciudad de Kraków",
        "counterpart_type": "government",
        "counterpart_country": "PL",
        "region": "europe",
        "signed_on": registered_on - dt.timedelta(days=30),
        "registered_on": registered_on,
        "source": "import",
        **kwargs,
    }
    return RegistryEntry.objects.create(**values)


def _feed(client, **headers):
    response = client.get(reverse("agreements:registry_feed"), **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_feed_is_atom_with_the_latest_inscriptions_first(client):
    _entry("RAII-2024-001", dt.date(2024, 3, 1))
    _entry("RAII-2025-002", dt.date(2025, 6, 15))
    root = _feed(client)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text.startswith("Registro de Acuerdos Interinstitucionales")
    assert root.find(f"{ATOM}id").text == "http://testserver/registro/cambios.atom"
    assert root.find(f"{ATOM}updated") is not None
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {"alternate": "http://testserver/registro/", "self": "http://testserver/registro/cambios.atom"}
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Inscripción: RAII-2025-002 · Acuerdo de cooperación RAII-2025-002",
        "Inscripción: RAII-2024-001 · Acuerdo de cooperación RAII-2024-001",
    ]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == "http://testserver/registro/acuerdo/RAII-2025-002/"
    assert first.find(f"{ATOM}id").text == "http://testserver/registro/acuerdo/RAII-2025-002/#inscription-2025-06-15"
    assert first.find(f"{ATOM}published").text.startswith("2025-06-15T00:00:00")
    assert first.find(f"{ATOM}category").get("term") == "inscription"
    assert "Jalisco con Ciudad de Kraków" in first.find(f"{ATOM}summary").text
    assert len({e.find(f"{ATOM}id").text for e in entries}) == len(entries)


def test_the_feed_is_in_the_readers_language_and_bounded(client):
    for n in range(55):
        _entry(f"RAII-X-{n:03d}", dt.date(2020, 1, 1) + dt.timedelta(days=n))
    root = _feed(client, HTTP_ACCEPT_LANGUAGE="en")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 50
    assert entries[0].find(f"{ATOM}title").text.startswith("Inscription: RAII-X-054")


def test_the_feed_of_an_empty_registry_is_still_atom(client):
    root = _feed(client)
    assert root.findall(f"{ATOM}entry") == []


def _expand(term: str, context: dict) -> str:
    prefix, _, local = term.partition(":")
    return context[prefix] + local if local and prefix in context else term


def test_the_dcat_document_describes_the_dataset_and_its_distributions(client):
    _entry("RAII-2025-002", dt.date(2025, 6, 15))
    response = client.get(reverse("agreements:registry_dcat"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    doc = json.loads(response.content)
    context = doc["@context"]
    assert context["dcat"] == DCAT and context["dct"] == DCT  # an inline context: nothing fetched to read it
    assert _expand(doc["@type"], context) == DCAT + "Dataset"
    assert doc["@id"] == "http://testserver/registro/dcat.jsonld"
    assert doc["dct:title"]["@value"] == "Registro de Acuerdos Interinstitucionales (RAII)"
    assert doc["dcat:landingPage"]["@id"] == "http://testserver/registro/"
    assert doc["dct:modified"]["@value"].startswith(dt.date.today().isoformat()[:4])
    distributions = {d["dct:format"]: d for d in doc["dcat:distribution"]}
    assert {"CSV", "XLSX"} <= set(distributions)
    for d in distributions.values():
        assert _expand(d["@type"], context) == DCAT + "Distribution"
        assert d["dcat:mediaType"]["@id"].startswith("https://www.iana.org/assignments/media-types/")
        assert d["dcat:downloadURL"]["@id"].startswith("http://testserver/")
    assert distributions["CSV"]["dcat:mediaType"]["@id"].endswith("/text/csv")
    assert distributions["XLSX"]["dcat:mediaType"]["@id"].endswith(
        "/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    # The download URLs answer with the announced types.
    for fmt, media_type in (("CSV", "text/csv"), ("XLSX", "application/vnd.openxmlformats")):
        url = distributions[fmt]["dcat:downloadURL"]["@id"].removeprefix("http://testserver")
        download = client.get(url)
        assert download.status_code == 200 and download["Content-Type"].startswith(media_type)


def test_the_dcat_document_is_in_english_for_english_readers(client):
    doc = json.loads(client.get(reverse("agreements:registry_dcat"), HTTP_ACCEPT_LANGUAGE="en").content)
    assert doc["dct:title"] == {"@language": "en", "@value": "Registry of Inter-institutional Agreements (RAII)"}
    assert "dct:modified" not in doc  # an empty registry has not been modified


def test_the_registry_page_announces_both(client):
    html = client.get(reverse("agreements:registry_list")).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="{reverse("agreements:registry_feed")}"' in html
    assert '<link rel="alternate" type="application/ld+json"' in html
    assert f'href="{reverse("agreements:registry_dcat")}"' in html
    assert '<script type="application/ld+json"' not in html  # no inline script under the CSP
