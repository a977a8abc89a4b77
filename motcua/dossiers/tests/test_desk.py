"""The desk's pages as a new officer meets them: the receiving form, the papers it leads to,
and the way back from them."""

import re

from django.urls import reverse

from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import procedure_record, publish
from motcua.dossiers.models import DeskNotice, Dossier
from motcua.dossiers.tests.factories import receive
from motcua.dossiers.tests.test_views import receive_post


def receive_url(version) -> str:
    return reverse("dossiers:receive") + f"?thu_tuc={version.procedure.code}"


def textarea(html: str, name: str) -> str:
    return re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)[1]


def test_the_box_of_missing_papers_starts_empty(client, desk_officer, version):
    client.force_login(desk_officer)
    page = client.get(receive_url(version), follow=True)
    assert textarea(page.text, "items") == ""
    assert "generator" not in page.text


def test_a_request_to_complete_lists_what_was_not_ticked_and_prints_only_that(
    client, desk_officer, version
):
    client.force_login(desk_officer)
    doc = version.documents.get()
    page = receive_post(
        client, version, outcome="complete", reason="Thiếu", **{f"doc_{doc.pk}": ""}
    )
    assert page.status_code == 200  # nothing listed yet: the form says so, pre-filled
    assert textarea(page.text, "items").strip() == doc.name
    done = receive_post(
        client, version, outcome="complete", reason="Thiếu", items="Tờ khai\nBản sao CCCD"
    )
    notice = DeskNotice.objects.get()
    assert notice.items == ["Tờ khai", "Bản sao CCCD"]
    paper = client.get(done["Location"])
    assert "generator" not in paper.text and "Bản sao CCCD" in paper.text


def test_receiving_with_no_document_ticked_is_asked_first(client, desk_officer, version):
    client.force_login(desk_officer)
    doc = version.documents.get()
    nothing = {f"doc_{doc.pk}": "", "submission": "form-1"}
    page = receive_post(client, version, **nothing)
    assert page.status_code == 200 and not Dossier.objects.exists()
    assert "Chưa đánh dấu giấy tờ nào đã nhận" in page.text
    assert 'name="confirm_no_documents"' in page.text
    confirmed = receive_post(client, version, confirm_no_documents="on", **nothing)
    dossier = Dossier.objects.get()
    assert confirmed["Location"].endswith(f"/{dossier.code}/") and not dossier.documents.exists()


def test_a_procedure_without_documents_is_received_without_the_question(
    client, desk_officer, levels
):
    publish(procedure_record("1.000002", name="Xác nhận thông tin", documents=[]))
    version = Procedure.objects.get(code="1.000002").current_version
    client.force_login(desk_officer)
    data = {
        "applicant_type": 1,
        "applicant_name": "Trần Bích",
        "applicant_id_number": "001203004005",
        "result_delivery": "desk",
        "sets_received": 1,
        "outcome": "receive",
    }
    assert client.post(receive_url(version), data).status_code == 302


def test_a_paper_of_the_desk_has_a_menu_and_a_way_back(client, desk_officer, version, desk):
    client.force_login(desk_officer)
    done = receive_post(
        client, version, outcome="refuse", reason="Không thuộc thẩm quyền", applicant_address=""
    )
    page = client.get(done["Location"])
    assert f'href="{reverse("dossiers:receive")}"' in page.text  # receive the next one
    assert f'href="{reverse("dossiers:inbox")}"' in page.text
    assert "địa chỉ ." not in page.text and "địa chỉ" not in page.text.split("<h1>")[1]
    dossier = receive(desk, version, actor=desk_officer)
    paper = client.get(reverse("dossiers:paper", args=[dossier.code, "01"]))
    assert f'href="{reverse("dossiers:detail", args=[dossier.code])}"' in paper.text


def test_the_log_in_page_names_the_system_not_the_host(client, settings):
    page = client.get(reverse("login"))
    title = re.search(r"<title>(.*?)</title>", page.text, re.S)[1]
    assert settings.SITE_NAME in title and "testserver" not in page.text


def test_every_page_names_an_icon_and_favicon_ico_leads_to_it(client, db):
    from django.contrib.staticfiles import finders

    assert finders.find("motcua/favicon.svg")
    page = client.get(reverse("portal:home"))
    assert 'rel="icon" href="/static/motcua/favicon.svg"' in page.text
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"] == "/static/motcua/favicon.svg"
