"""Content-Security-Policy and Permissions-Policy on every kind of response, and no inline code to need them."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import admin_user, local_official

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Inline code the policy forbids. E-mails are not web pages (mail clients need inline styles): not scanned.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
JAVASCRIPT_URL = re.compile(r"javascript:", re.I)


def _directives(header: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in header.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


def _web_templates():
    return sorted(p for p in TEMPLATES.rglob("*.html") if "emails" not in p.parts)


@pytest.mark.unit
@pytest.mark.parametrize("template", _web_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_carries_inline_code(template):
    """Self-enforcing: a template that gains onclick=, style=, <style> or an inline <script> fails here."""
    text = template.read_text()
    found = {
        "inline <script>": INLINE_SCRIPT.findall(text),
        "on*= handler": HANDLER.findall(text),
        "style= attribute": STYLE_ATTRIBUTE.findall(text),
        "<style> element": STYLE_ELEMENT.findall(text),
        "javascript: URL": JAVASCRIPT_URL.findall(text),
    }
    assert not {k: v for k, v in found.items() if v}, f"{template.relative_to(TEMPLATES)}: move it to static/"


@pytest.mark.unit
def test_the_scan_catches_what_it_must():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/portal.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json">{}</script>')
    assert HANDLER.search('<select id="x"\n onchange="this.form.submit()">')
    assert not HANDLER.search('<button data-print type="button">')
    assert STYLE_ATTRIBUTE.search('<span class="a" style="width: 3%">')
    assert not STYLE_ATTRIBUTE.search('<svg class="bar"><rect width="3"/></svg>')


class _InlineCode(HTMLParser):
    """Inline code in a rendered page (includes third-party templates: allauth, admin, Swagger UI)."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on") or name == "style" or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in attrs and attrs.get("type", "") not in ("application/json",):
            self._script = tag

    def handle_data(self, data):
        if self._script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:40]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def _inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


def _assert_strict_policy(response):
    assert "Content-Security-Policy" in response, response
    csp = _directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    policy = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()", feature


PUBLIC_PAGES = [
    ("core:home", []),
    ("agreements:registry_list", []),
    ("agreements:registry_stats", []),
    ("geography:state_list", []),
    ("geography:state_detail", ["14"]),
    ("geography:handover", ["estado", "14"]),
    ("cooperation:partnership_list", []),
    ("cooperation:focal_point_list", []),
    ("migrants:office_list", []),
    ("account_login", []),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), PUBLIC_PAGES)
def test_public_pages_send_the_policies_and_carry_no_inline_code(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    _assert_strict_policy(response)
    assert _inline_code(response.content.decode()) == []


@pytest.mark.django_db
def test_signed_in_pages_and_the_admin_carry_no_inline_code(client):
    client.force_login(local_official())
    for url in (reverse("agreements:agreement_create"), reverse("agreements:agreement_list")):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict_policy(response)
        assert _inline_code(response.content.decode()) == [], url
    client.force_login(admin_user())
    for url in (reverse("admin:index"), reverse("admin:migrants_migrantoffice_changelist")):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict_policy(response)
        assert _inline_code(response.content.decode()) == [], url


@pytest.mark.django_db
def test_errors_and_api_responses_send_the_policies_too(client):
    for url, status in (
        ("/no-existe/", 404),
        (reverse("api:registry-list"), 200),
        (reverse("healthz"), None),
    ):
        response = client.get(url, HTTP_ACCEPT="application/json")
        if status:
            assert response.status_code == status, url
        _assert_strict_policy(response)


@pytest.mark.django_db
def test_swagger_ui_loads_its_start_up_script_as_a_file(client):
    """drf-spectacular's split view: the page has no inline <script>/<style>; the script is served as JS."""
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    _assert_strict_policy(response)
    html = response.content.decode()
    assert _inline_code(html) == []
    script = re.search(r'<script src="([^"]+\?script=?)"', html)
    assert script, html
    js = client.get(script.group(1).replace("&amp;", "&"))
    assert js.status_code == 200
    assert js["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in js.content.decode()


@pytest.mark.django_db
def test_only_the_browsable_api_relaxes_styles_and_never_scripts(client):
    response = client.get(reverse("api:registry-list"), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]
    found = _inline_code(response.content.decode())
    assert found, "DRF's pages carry inline styles (else drop the relaxation)"
    assert [t for t in found if "style" not in t] == []
