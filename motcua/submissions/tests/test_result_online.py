"""The electronic result online (issue 10, item 6): returned online, the citizen downloads it
from their own page or through the signed link of the message, with its SHA-256 shown."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from motcua.dossiers.files import IncomingFile
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import Receipt, dossier_submit
from motcua.dossiers.tests.factories import act, applicant, as_actor, pdf_bytes, tu_phap_unit, vn
from motcua.notifications.models import Notification

RESULT = pdf_bytes(padding=300)  # the signed extract (trích lục khai sinh)
SHA = hashlib.sha256(RESULT).hexdigest()


@pytest.fixture
def returned(citizen, desk, desk_officer, specialist, leader, version, commune, clock):
    """Dan's online dossier, all the way to its electronic result returned online."""
    tu_phap_unit(commune)
    clock(vn(2026, 11, 23, 9))
    dossier = dossier_submit(
        desk=desk, procedure_version=version, actor=as_actor(citizen),
        receipt=Receipt(applicant=applicant(), channel=2, result_delivery="online"),
    )  # fmt: skip
    dossier = act(dossier, "accept", desk_officer)
    dossier = act(dossier, "forward", desk_officer)
    dossier = act(dossier, "forward", specialist)
    dossier = act(
        dossier, "approve", leader, result_file=IncomingFile("trich-luc-khai-sinh.pdf", RESULT)
    )
    return dossier


def _return(dossier, desk_officer):
    return act(dossier, "return_result", desk_officer)


def link_in(body: str) -> str:
    return re.search(r"https?://\S+/ket-qua/\S+/", body).group(0)


def test_returned_online_the_message_carries_a_signed_link_and_the_sha256(
    client, returned, desk_officer, settings
):
    dossier = _return(returned, desk_officer)
    assert dossier.status == Status.RETURNED
    email = Notification.objects.get(kind="result_online", medium="email")
    sms = Notification.objects.get(kind="result_online", medium="sms")
    assert SHA in email.body
    link = link_in(email.body)
    assert link == link_in(sms.body) and link.startswith(settings.PUBLIC_BASE_URL)
    path = link.removeprefix(settings.PUBLIC_BASE_URL.rstrip("/"))

    page = client.get(path)  # no log-in: the link is the key
    assert page.status_code == 200 and SHA in page.text and "trich-luc-khai-sinh.pdf" in page.text
    assert page["Referrer-Policy"] == "no-referrer"
    download = client.get(path + "?tai=1")
    assert download.status_code == 200 and b"".join(download.streaming_content) == RESULT
    assert "attachment" in download["Content-Disposition"]


def test_a_forged_or_expired_link_gives_nothing(client, returned, desk_officer, clock):
    dossier = _return(returned, desk_officer)
    path = link_in(Notification.objects.get(kind="result_online", medium="email").body)
    path = "/" + path.split("/", 3)[3]
    token = path.removeprefix("/ket-qua/").removesuffix("/")
    uid, rest = token.split(".", 1)
    other = "0" * 32 if uid != "0" * 32 else "1" * 32
    for forged in (f"{other}.{rest}", token[:-2] + "xx", "abc", f"{uid}.1:zz"):
        response = client.get(reverse("portal:result_link", args=[forged]) + "?tai=1")
        assert response.status_code == 404, forged
    clock(dossier.returned_at + timedelta(days=31))
    expired = client.get(path + "?tai=1")
    assert expired.status_code == 410 and "hết hạn" in expired.text
    assert b"%PDF" not in expired.content


def test_the_citizen_downloads_it_from_their_page_and_nobody_else_does(
    client, returned, desk_officer, citizen, other_citizen, specialist
):
    page_url = reverse("portal:online_dossier", args=[returned.ref])
    file_url = reverse("portal:result_file", args=[returned.ref])
    client.force_login(citizen)
    assert client.get(file_url).status_code == 404  # not returned yet
    assert SHA not in client.get(page_url).text
    dossier = _return(returned, desk_officer)
    for ref in (dossier.ref, dossier.uid.hex):  # by its code, or the uid it had before
        page = client.get(reverse("portal:online_dossier", args=[ref]))
        assert page.status_code == 200 and SHA in page.text
    got = client.get(file_url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == RESULT
    client.force_login(other_citizen)
    assert client.get(file_url).status_code == 404
    assert client.get(page_url).status_code == 404
    client.force_login(specialist)  # staff download it from the staff pages, not here
    assert client.get(file_url).status_code == 403


def test_a_paper_result_has_nothing_to_download(
    client, citizen, desk, desk_officer, specialist, leader, version, commune
):
    tu_phap_unit(commune)
    dossier = dossier_submit(
        desk=desk, procedure_version=version, actor=as_actor(citizen),
        receipt=Receipt(applicant=applicant(), channel=2, result_delivery="desk"),
    )  # fmt: skip
    for action, who in (("accept", desk_officer), ("forward", desk_officer),
                        ("forward", specialist)):  # fmt: skip
        dossier = act(dossier, action, who)
    dossier = act(dossier, "approve", leader, paper_result=True)
    dossier = act(dossier, "return_result", desk_officer, returned_to="Nguyễn Văn An")
    assert dossier.status == Status.RETURNED
    assert not Notification.objects.filter(kind="result_online").exists()
    client.force_login(citizen)
    assert client.get(reverse("portal:result_file", args=[dossier.ref])).status_code == 404


def test_a_link_made_for_a_dossier_is_refused_before_its_return(client, returned):
    from motcua.dossiers.results import result_url

    path = "/" + result_url(Dossier.objects.get(pk=returned.pk)).split("/", 3)[3]
    assert client.get(path).status_code == 404


def test_only_the_applicant_may_download_it_from_their_pages(
    returned, desk_officer, citizen, other_citizen, specialist, leader, admin_user
):
    from motcua.dossiers import access

    dossier = _return(returned, desk_officer)
    expected = {citizen: True, other_citizen: False, desk_officer: False, specialist: False,
                leader: False, admin_user: False}  # fmt: skip
    for user, may in expected.items():
        actor = access.actor_for_user(user)
        assert access.result_downloadable(actor, dossier) is may, user.username
    assert access.result_downloadable(access.ANONYMOUS, dossier) is False
