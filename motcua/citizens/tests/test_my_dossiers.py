"""'My dossiers': a citizen sees the dossiers submitted from their own account, and nothing
else (another citizen's dossier is a 404, like one that does not exist)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.dossiers.access import actor_for_user
from motcua.dossiers.services import IncomingFile, Receipt, dossier_submit
from motcua.dossiers.tests.factories import PDF, act, applicant, receive

pytestmark = pytest.mark.django_db
BACKEND = "motcua.citizens.backends.CitizenBackend"


def submit(desk, version, user, **who):
    return dossier_submit(
        desk=desk,
        procedure_version=version,
        actor=actor_for_user(user),
        receipt=Receipt(
            applicant=applicant(**who), channel=2, files=[IncomingFile("don.pdf", PDF)]
        ),
    )


@pytest.fixture
def dossiers(desk, version, citizen, other_citizen, desk_officer):
    mine = [submit(desk, version, citizen, name="Nguyễn Dân") for _ in range(2)]
    theirs = submit(desk, version, other_citizen, name="Trần Em")
    at_desk = receive(desk, version, actor=desk_officer)  # received at the desk: no account's
    return {"mine": mine, "theirs": theirs, "at_desk": at_desk}


def test_my_dossiers_lists_mine_only(client, citizen, dossiers):
    client.force_login(citizen, backend=BACKEND)
    response = client.get(reverse("citizens:dossiers"))
    listed = [d.pk for d in response.context["dossiers"]]
    assert listed == [d.pk for d in reversed(dossiers["mine"])]  # newest first
    assert dossiers["theirs"].pk not in listed and dossiers["at_desk"].pk not in listed
    assert "Trần Em" not in response.text


def test_my_dossier_opens_before_and_after_it_has_a_code(client, citizen, dossiers, desk_officer):
    client.force_login(citizen, backend=BACKEND)
    dossier = dossiers["mine"][0]
    page = client.get(reverse("citizens:dossier", args=[dossier.uid.hex]))
    assert page.status_code == 200 and "Chưa có" in page.text
    act(dossier, "accept", desk_officer)
    dossier.refresh_from_db()
    page = client.get(reverse("citizens:dossier", args=[dossier.code]))
    assert page.status_code == 200 and dossier.code in page.text and "Hẹn trả" in page.text
    follow = client.get(page.context["follow_url"])  # the look-up, by the signed link
    assert follow.status_code == 200 and dossier.code in follow.text


def test_another_citizens_dossier_is_a_404(client, citizen, dossiers, desk_officer):
    client.force_login(citizen, backend=BACKEND)
    theirs = dossiers["theirs"]
    assert client.get(reverse("citizens:dossier", args=[theirs.uid.hex])).status_code == 404
    act(theirs, "accept", desk_officer)
    theirs.refresh_from_db()
    assert client.get(reverse("citizens:dossier", args=[theirs.code])).status_code == 404
    at_desk = dossiers["at_desk"]
    assert client.get(reverse("citizens:dossier", args=[at_desk.code])).status_code == 404
    missing = reverse("citizens:dossier", args=["000.00.00.H99-261123-9999"])
    assert client.get(missing).status_code == 404


def test_the_list_costs_the_same_queries_however_many_dossiers(client, citizen, desk, version):
    client.force_login(citizen, backend=BACKEND)
    submit(desk, version, citizen)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("citizens:dossiers"))
    for _ in range(5):
        submit(desk, version, citizen)
    with CaptureQueriesContext(connection) as six:
        response = client.get(reverse("citizens:dossiers"))
    assert len(response.context["dossiers"]) == 6
    assert len(six) == len(one)


def test_the_list_pages(client, citizen, desk, version, monkeypatch):
    from motcua.citizens import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    made = [submit(desk, version, citizen) for _ in range(3)]
    client.force_login(citizen, backend=BACKEND)
    first = client.get(reverse("citizens:dossiers"))
    last = client.get(reverse("citizens:dossiers"), {"trang": "99"})
    assert [d.pk for d in first.context["dossiers"]] == [made[2].pk, made[1].pk]
    assert [d.pk for d in last.context["dossiers"]] == [made[0].pk]
    assert client.get(reverse("citizens:dossiers"), {"trang": "x"}).status_code == 200
