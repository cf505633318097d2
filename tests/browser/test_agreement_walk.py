"""The whole 12-step procedure in the browser, as the demo accounts."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements.models import Agreement
from agreements.registry.models import RegistryEntry
from tests import documents
from tests import signing as pki

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_twelve_steps_in_the_browser(login, page, demo_site, screenshot, tmp_path, pick):
    letter = tmp_path / "oficio.pdf"
    letter.write_bytes(documents.pdf_bytes("Oficio dirigido a la DGCP"))
    text = tmp_path / "texto-final.docx"
    text.write_bytes(documents.docx_bytes("Acuerdo de cooperación con Los Ángeles. Cláusula 1. Objeto."))
    signed = tmp_path / "firmado.pdf"
    ca = pki.make_ca()  # an e.firma-like signature, made here; pyHanko runs beside Playwright's asyncio loop
    signed.write_bytes(
        pki.sign_pdf(
            documents.pdf_bytes("Acuerdo de cooperación con Los Ángeles. Cláusula 1. Objeto. Firmado."),
            pki.make_signer(ca),
            ca,
        )
    )
    signing = timezone.localdate() + dt.timedelta(days=45)

    # Steps 1-4: the local official files the request.
    login("enlace.jalisco@demo.mx")
    page.click("nav.main-nav >> text=Nueva solicitud")
    page.fill("#id_title", "Cooperación técnica con la Ciudad de Los Ángeles")
    page.select_option("#id_kind", "technical_cooperation")
    page.fill("#id_counterpart_name", "City of Los Angeles")
    page.select_option("#id_counterpart_type", "private")
    assert page.is_visible("#private-warning")
    page.select_option("#id_counterpart_type", "government")
    assert not page.is_visible("#private-warning")
    # Names only: the country, then its state among that country's, each found by typing.
    pick(page, "#id_counterpart_country", "estados u", "Estados Unidos")
    pick(page, "#id_counterpart_subdivision", "califor", "California")
    page.check("input[name=themes][value=migration]")
    page.check("input[name=themes][value=culture]")
    page.fill("#id_intended_signing_date", signing.isoformat())
    page.dispatch_event("#id_intended_signing_date", "change")
    page.wait_for_selector("#deadline-info:has-text('/')")  # no string eval under the CSP
    assert "a más tardar el" in page.inner_text("#deadline-info")
    page.fill("#id_intended_signing_place", "Guadalajara, Jalisco")
    page.check("input[name=entry_into_force][value=on_signature]")
    page.check("input[name=term][value=fixed]")
    page.fill("#id_term_years", "3")
    screenshot("walk-01-form")
    page.click("text=Crear expediente")
    assert "Se creó el expediente" in page.inner_text(".messages")
    case = Agreement.objects.get(title="Cooperación técnica con la Ciudad de Los Ángeles")
    assert (case.counterpart_country, case.counterpart_subdivision) == ("US", "US-CA")
    case_url = f"{demo_site.url}/expedientes/{case.pk}/"

    page.select_option("#upload-form select[name=kind]", "request_letter")
    page.set_input_files("#upload-form input[type=file]", str(letter))
    page.click("#upload-form button[type=submit]")
    assert "verificado" in page.inner_text(".messages")
    page.select_option("#upload-form select[name=kind]", "final_text")
    page.set_input_files("#upload-form input[type=file]", str(text))
    page.click("#upload-form button[type=submit]")
    page.click("#submit-case")
    assert "En revisión jurídica" in page.inner_text("#case-status")  # steps 5 and 6 walked by the task
    screenshot("walk-02-in-review")

    # Step 7: the CJA issues the dictamen from its inbox.
    login("cja@demo.mx")
    page.click("nav.main-nav >> text=Bandeja CJA")
    page.click(f"text={case.folio}")
    page.check("input[name=outcome][value=viable_with_observations]")
    page.fill("#dictamen-form textarea[name=summary]", "Procedente con una observación.")
    page.fill("#dictamen-form textarea[name=observations]", "Cláusula 1: precisar el objeto")
    page.click("#dictamen-form button[type=submit]")
    assert "Dictamen emitido" in page.inner_text(".messages")

    # Step 8: the DGCP approves and delivers it.
    login("dgcp@demo.mx")
    page.click("nav.main-nav >> text=Bandeja DGCP")
    page.click(f"text={case.folio}")
    page.fill("#approve-form textarea[name=cover_note]", "Se remite el dictamen.")
    page.click("#approve-form button[type=submit]")
    assert "oficio de respuesta" in page.inner_text(".messages")

    # Step 9: the local official answers the observation and sends the signed copy.
    login("enlace.jalisco@demo.mx")
    page.goto(case_url)
    page.select_option("#answer-1", "addressed")
    page.fill("#reply-1", "Se precisó el objeto.")
    page.click("text=Guardar respuesta")
    page.set_input_files("#signature-form input[type=file]", str(signed))
    page.fill("#signature-form input[name=signed_on]", timezone.localdate().isoformat())
    page.fill("#signature-form input[name=signed_place]", "Los Ángeles, California")
    page.click("#signature-form button[type=submit]")
    assert "Registro solicitado" in page.inner_text("#case-status")  # step 10 by the task

    # Step 11: the CJA compares the signed text and registers; step 12 closes the file.
    login("cja@demo.mx")
    page.goto(case_url)
    assert "Texto firmado frente al texto dictaminado" in page.inner_text("main")
    assert page.get_attribute("#signature-status", "data-status") == "unverified"
    assert page.inner_text("#signature-rfc") == "LORM800101AB1"
    page.fill("#registration-form input[name=registry_number]", "RAII-2026-0777")
    page.fill("#registration-form input[name=registered_on]", timezone.localdate().isoformat())
    page.check("#registration-form input[name=recommendations_incorporated]")
    page.click("#registration-form button[type=submit]")
    assert "Concluido y registrado" in page.inner_text("#case-status")
    assert page.locator("ol.steps li.done").count() == 11  # step 3 (annexes) does not apply: none attached
    assert page.locator("ol.steps li.skipped").count() == 1
    screenshot("walk-03-closed")
    entry = RegistryEntry.objects.get(registry_number="RAII-2026-0777", agreement=case)
    assert entry.expires_on is not None  # three years from the signature
    # The public entry offers the constancia; the verification page recognises its hash.
    page.goto(f"{demo_site}/registro/acuerdo/RAII-2026-0777/")
    assert page.is_visible("#certificate a")
    page.goto(f"{demo_site}/verificar-constancia/")
    page.fill("#certificate-verify-form input[name=sha256]", entry.certificate.sha256)
    page.click("#certificate-verify-form button[type=submit]")
    assert page.is_visible("#certificate-verified")
    page.click("#certificate-verify-result a")
    assert page.is_visible("#certificate-verified")
