"""Who sees what, when: the dictamen is internal to the SRE until the DGCP delivers it (step 8), what the DGCP and
the CJA say to each other never reaches the local office, reviewers never see a draft, and a withdrawn case voids
the dictamen that waited for approval."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from agreements import selectors, services
from agreements.choices import DictamenStatus, Status
from agreements.models import Dictamen
from tests.factories import InstitutionFactory, local_official

pytestmark = pytest.mark.django_db

SUMMARY = "Procedente con recomendaciones sobre la vigencia."
OBSERVATION = "Precisar la cláusula de vigencia."
RETURN_COMMENT = "Comentario interno: revisar la competencia de la dependencia."


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _issue(cases, case, summary=SUMMARY):
    cases.run(
        services.dictamen_issue,
        user=cases.cja,
        agreement_id=case.pk,
        outcome="viable_with_observations",
        summary=summary,
        observations=[{"text": OBSERVATION, "clause": "Cláusula 2"}],
    )


def _page(client, user, case):
    client.force_login(user)
    return client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()


def test_the_filer_sees_the_case_under_review_until_the_dgcp_delivers_the_dictamen(cases, client, local, dgcp):
    case = cases.in_review()
    told = local.notifications.count()
    _issue(cases, case)

    detail = api(local).get(f"/api/v1/agreements/{case.pk}/").json()
    assert detail["status"] == "in_review" and detail["current_step"] == 7
    assert detail["dictamenes"] == [] and detail["dictamen_outcome"] == ""
    assert "issue_dictamen" not in [e["action"] for e in detail["timeline"]]
    assert {s["number"]: s["state"] for s in detail["steps"]}[7] == "current"
    listed = api(local).get("/api/v1/agreements/").json()["results"]
    assert [(r["status"], r["current_step"]) for r in listed] == [("in_review", 7)]
    html = _page(client, local, case)
    assert SUMMARY not in html and OBSERVATION not in html and "Dictamen emitido" not in html
    assert "En revisión jurídica" in html
    rows = client.get(reverse("agreements:agreement_list")).content.decode().split("<tbody>")[1]
    assert "Dictamen emitido" not in rows and "En revisión jurídica" in rows
    found = api(local).get("/api/v1/agreements/", {"status": "in_review"}).json()["results"]
    assert [r["id"] for r in found] == [case.pk]
    assert api(local).get("/api/v1/agreements/", {"status": "dictamen_issued"}).json()["results"] == []
    assert local.notifications.count() == told  # the filer is not told of a dictamen the DGCP has not approved

    # The DGCP reads it all, with the real status.
    reviewer = api(dgcp).get(f"/api/v1/agreements/{case.pk}/").json()
    assert reviewer["status"] == "dictamen_issued" and reviewer["dictamenes"][0]["summary"] == SUMMARY
    assert SUMMARY in _page(client, dgcp, case)

    cases.run(services.dictamen_approve, user=dgcp, agreement_id=case.pk, cover_note="Se entrega.")
    detail = api(local).get(f"/api/v1/agreements/{case.pk}/").json()
    assert detail["status"] == "awaiting_signature" and detail["dictamen_outcome"] == "viable_with_observations"
    assert [d["summary"] for d in detail["dictamenes"]] == [SUMMARY]
    assert [o["text"] for o in detail["dictamenes"][0]["observations"]] == [OBSERVATION]
    assert "reply_letter" in [d["kind"] for d in detail["documents"]]
    actions = [e["action"] for e in detail["timeline"]]
    assert actions.index("issue_dictamen") < actions.index("approve_dictamen")  # delivered: now on its timeline
    assert {s["number"]: s["state"] for s in detail["steps"]}[7] == "done"
    assert SUMMARY in _page(client, local, case)


def test_a_dictamen_returned_to_the_cja_and_its_comment_stay_inside_the_sre(cases, client, local, dgcp, cja):
    case = cases.in_review()
    told = local.notifications.count()
    _issue(cases, case, summary="Primera versión del dictamen.")
    cases.run(services.dictamen_return, user=dgcp, agreement_id=case.pk, comment=RETURN_COMMENT)

    detail = api(local).get(f"/api/v1/agreements/{case.pk}/").json()
    assert detail["dictamenes"] == [] and "return_dictamen" not in [e["action"] for e in detail["timeline"]]
    assert RETURN_COMMENT not in str(detail)
    assert local.notifications.count() == told
    assert cja.notifications.filter(body__contains=RETURN_COMMENT).exists()

    _issue(cases, case)
    cases.run(services.dictamen_approve, user=dgcp, agreement_id=case.pk, cover_note="")
    detail = api(local).get(f"/api/v1/agreements/{case.pk}/").json()
    # Only the delivered dictamen; the returned one, its comment and the first issuing are not the filer's.
    assert [d["summary"] for d in detail["dictamenes"]] == [SUMMARY]
    assert [e["action"] for e in detail["timeline"]].count("issue_dictamen") == 1
    assert RETURN_COMMENT not in str(detail) and "Primera versión del dictamen." not in str(detail)
    html = _page(client, local, case)
    assert RETURN_COMMENT not in html and "Primera versión del dictamen." not in html
    assert not local.notifications.filter(body__contains=RETURN_COMMENT).exists()
    # The DGCP and the CJA keep both dictámenes and the comment.
    reviewer = api(cja).get(f"/api/v1/agreements/{case.pk}/").json()
    assert [d["status"] for d in reviewer["dictamenes"]] == ["approved", "returned"]
    assert reviewer["dictamenes"][1]["return_comment"] == RETURN_COMMENT


def test_the_reply_letter_downloads_only_once_delivered(cases, client, local, dgcp):
    case = cases.awaiting_signature()
    letter = case.documents.get(kind="reply_letter")
    client.force_login(local)
    url = reverse("agreements:document_download", args=[case.pk, letter.pk])
    assert client.get(url).status_code == 200
    # A letter whose dictamen is not delivered (e.g. data written before this rule) is not the filer's to read.
    Dictamen.objects.filter(reply_letter=letter).update(status=DictamenStatus.ISSUED)
    assert client.get(url).status_code == 404


def test_unsent_drafts_are_invisible_to_reviewers(cases, client, local, dgcp, cja):
    draft = cases.with_documents(title="Borrador sin enviar")
    sent = cases.in_review()

    for reviewer in (dgcp, cja):
        listed = [r["id"] for r in api(reviewer).get("/api/v1/agreements/").json()["results"]]
        assert listed == [sent.pk]
        assert api(reviewer).get(f"/api/v1/agreements/{draft.pk}/").status_code == 404
        client.force_login(reviewer)
        assert "Borrador sin enviar" not in client.get(reverse("agreements:agreement_list")).content.decode()
        assert client.get(reverse("agreements:agreement_detail", args=[draft.pk])).status_code == 404
    assert [a.pk for a in selectors.cja_inbox(user=cja)] == [sent.pk]
    assert [a.pk for a in selectors.open_cases(user=dgcp)] == [sent.pk]
    counts = {c["step"].number: c["total"] for c in selectors.dashboard_counts(user=dgcp)}
    assert counts[4] == 0 and counts[7] == 1  # the draft (waiting on step 4) is not counted
    client.force_login(dgcp)
    dashboard = client.get(reverse("agreements:dashboard")).content.decode()
    assert draft.folio not in dashboard and sent.folio in dashboard
    assert selectors.home_summary(dgcp)["open_cases"] == 1
    # The public profile counts the cases sent to the SRE, not a draft.
    profile = client.get("/api/v1/states/14/").json()["agreements"]
    assert profile["in_review"] == 1
    # The filer still has both.
    assert {r["id"] for r in api(local).get("/api/v1/agreements/").json()["results"]} == {draft.pk, sent.pk}
    # Nor can a reviewer act on a draft: 404, as for any case one may not see.
    response = api(dgcp).post(f"/api/v1/agreements/{draft.pk}/return/", {"reason": "x"}, format="json")
    assert response.status_code == 404


def test_a_case_withdrawn_while_its_dictamen_awaits_the_dgcp_voids_it(cases, client, local, dgcp):
    case = cases.dictamen_issued()
    assert [d.agreement_id for d in selectors.dgcp_inbox(user=dgcp)] == [case.pk]
    cases.run(services.agreement_withdraw, user=local, agreement_id=case.pk, reason="Ya no se firmará.")

    assert case.dictamenes.get().status == DictamenStatus.VOID
    assert list(selectors.dgcp_inbox(user=dgcp)) == []
    assert selectors.home_summary(dgcp)["dgcp_inbox"] == 0
    client.force_login(dgcp)
    assert case.folio not in client.get(reverse("agreements:inbox_dgcp")).content.decode()
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN


def test_the_text_of_a_withdrawn_case_can_be_filed_again(cases, local):
    """The text of a withdrawn case never received a dictamen: filing it again is not a second dictamen."""
    case = cases.dictamen_issued()
    cases.run(services.agreement_withdraw, user=local, agreement_id=case.pk)
    again = cases.draft()
    text = case.documents.get(kind="final_text")
    with text.file.open("rb") as handle:
        upload = SimpleUploadedFile("texto.docx", handle.read(), content_type=text.content_type)
    document = cases.run(services.document_upload, user=local, agreement_id=again.pk, kind="final_text", upload=upload)
    assert document.sha256 == text.sha256


def test_another_office_sees_nothing(cases, local):
    case = cases.dictamen_issued()
    stranger = local_official(InstitutionFactory())
    assert api(stranger).get(f"/api/v1/agreements/{case.pk}/").status_code == 404


def test_a_reviewer_who_also_files_sees_the_own_office_draft_but_never_on_the_dashboard(cases, local, dgcp):
    """A dashboard shows the cases sent (``SENT_OPEN_STATUSES``), never a draft, even to a reviewer of the office
    that wrote it, who may open it."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from agreements.models import Agreement

    draft = cases.with_documents(title="Borrador propio")
    dgcp.institution = local.institution
    dgcp.save(update_fields=["institution"])
    dgcp.user_permissions.add(Permission.objects.get(codename="file_agreement"))
    dgcp = get_user_model().objects.get(pk=dgcp.pk)  # permissions read again
    assert Agreement.objects.visible_to(dgcp).filter(pk=draft.pk).exists()
    assert not selectors.open_cases(user=dgcp).filter(pk=draft.pk).exists()
    assert {c["step"].number: c["total"] for c in selectors.dashboard_counts(user=dgcp)}[draft.current_step] == 0
