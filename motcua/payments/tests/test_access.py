"""Who may start paying a dossier's fee and who may see its payments (SPEC §3, §12.3): the
applicant's own session, an officer who may see the dossier, a peer system for its agencies,
the holder of the look-up's pay link; anyone else gets 404, nobody anonymous gets in."""

import pytest
from django.test import Client

from motcua.api.models import ApiKey
from motcua.api.services import user_token_create
from motcua.dossiers.models import Dossier
from motcua.payments.access import pay_token
from motcua.payments.models import Payment

URL = "/api/v1/dossiers/{code}/payments"


@pytest.fixture
def applicant(dossier, citizen):
    """The dossier belongs to ``citizen``'s account (as if submitted from it)."""
    Dossier.objects.filter(pk=dossier.pk).update(applicant_user=citizen)
    return citizen


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, dossier, provider="demo", **extra):
    return client.post(
        URL.format(code=dossier.code),
        {"provider": provider},
        content_type="application/json",
        **extra,
    )


def test_peer_systems_start_payments_for_their_agencies_only(
    client, dossier, commune, other_commune
):
    own = ApiKey.issue(name="Cổng tỉnh", agency=commune)[1]
    other = ApiKey.issue(name="Xã khác", agency=other_commune)[1]
    response = post(client, dossier, **bearer(own))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == 8000 and body["reference"] == Payment.objects.get().reference
    assert body["payment_url"].startswith("http://testserver/thanh-toan-thu/?")
    assert body["state"] == "pending" and body["provider"] == "demo"
    assert post(client, dossier, **bearer(other)).status_code == 404
    assert Payment.objects.count() == 1


def test_officers_who_see_the_dossier_start_payments(client, dossier, desk_officer,
                                                     other_agency_officer):  # fmt: skip
    mine = user_token_create(user=desk_officer, name="app")[1]
    theirs = user_token_create(user=other_agency_officer, name="app")[1]
    response = post(client, dossier, "vnpay", **bearer(mine))
    assert response.status_code == 201
    assert response.json()["payment_url"].startswith("https://sandbox.vnpayment.vn/")
    assert post(client, dossier, **bearer(theirs)).status_code == 404
    assert post(client, dossier, **bearer("mcu_not-a-token")).status_code == 401


def test_the_applicants_own_session_starts_payments_with_its_csrf_token(dossier, applicant,
                                                                        other_citizen):  # fmt: skip
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(applicant)
    assert post(browser, dossier).status_code == 401  # no CSRF token: not the site's page
    browser.get("/")  # the page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = post(browser, dossier, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    listed = browser.get(URL.format(code=dossier.code)).json()
    assert listed["fee_amount"] == 8000 and listed["fee_state"] == "pending"
    assert [p["reference"] for p in listed["items"]] == [response.json()["reference"]]
    stranger = Client(enforce_csrf_checks=True)
    stranger.force_login(other_citizen)
    stranger.get("/")
    headers = {"HTTP_X_CSRFTOKEN": stranger.cookies["csrftoken"].value}
    assert post(stranger, dossier, **headers).status_code == 404
    assert stranger.get(URL.format(code=dossier.code)).status_code == 404
    assert post(Client(), dossier).status_code == 401
    assert Payment.objects.count() == 1


def test_refusals_are_422_in_the_error_shape_and_store_nothing(client, dossier, desk_officer,
                                                               settings):  # fmt: skip
    token = user_token_create(user=desk_officer, name="app")[1]
    settings.PAYMENT_DEMO = False
    refused = post(client, dossier, "demo", **bearer(token))
    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "provider": "Hình thức thanh toán “demo” chưa được cấu hình."
    }
    Dossier.objects.filter(pk=dossier.pk).update(fee_amount=0)
    refused = post(client, dossier, "vnpay", **bearer(token))
    assert refused.status_code == 422 and "không có phí" in refused.json()["detail"]
    bad = post(client, dossier, "paypal", **bearer(token))
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"provider"}
    assert not Payment.objects.exists()


# --- the pay page ---------------------------------------------------------------------------


def pay_page(dossier, token=""):
    return f"/thanh-toan/ho-so/{dossier.ref}/" + (f"?t={token}" if token else "")


def test_the_pay_page_for_the_applicant_and_officers_who_see_it(
    client, dossier, applicant, other_citizen, desk_officer, other_agency_officer
):
    for allowed in (applicant, desk_officer):
        client.force_login(allowed)
        page = client.get(pay_page(dossier))
        assert page.status_code == 200 and "8.000 đ" in page.content.decode()
    for outsider in (other_citizen, other_agency_officer):
        client.force_login(outsider)
        assert client.get(pay_page(dossier)).status_code == 404
        assert client.post(pay_page(dossier), {"provider": "demo"}).status_code == 404
    client.logout()
    response = client.get(pay_page(dossier))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert not Payment.objects.exists()


def test_the_look_up_pay_link_lets_its_holder_pay_that_dossier_only(client, dossier, desk,
                                                                    version, clock):  # fmt: skip
    from motcua.dossiers.tests.factories import receive

    other = receive(desk, version)
    token = pay_token(dossier.uid)
    assert client.get(pay_page(dossier, token)).status_code == 200
    assert client.get(pay_page(other, token)).status_code == 404  # another dossier's link
    assert client.get(pay_page(dossier, token + "x")).status_code == 404
    response = client.post(pay_page(dossier), {"provider": "demo", "t": token})
    assert response.status_code == 302 and response["Location"].startswith(
        "http://testserver/thanh-toan-thu/"
    )
    assert Payment.objects.get().started_by_name == "Người nộp phí qua trang tra cứu"


def test_a_pay_link_lasts_a_day(client, dossier, monkeypatch):
    import time

    token = pay_token(dossier.uid)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 24 * 3600 + 5)
    assert client.get(pay_page(dossier, token)).status_code == 404


def test_the_look_up_offers_the_pay_link_only_when_a_fee_is_due(client, dossier, desk_officer):
    page = client.get("/tra-cuu/", {"code": dossier.code, "verify": "5678"})
    assert page.status_code == 200
    assert ">Nộp trực tuyến</a>" in page.content.decode()
    from motcua.dossiers.tests.factories import as_actor
    from motcua.payments.services import payment_record_at_desk

    payment_record_at_desk(dossier_id=dossier.pk, actor=as_actor(desk_officer))
    page = client.get("/tra-cuu/", {"code": dossier.code, "verify": "5678"})
    assert ">Nộp trực tuyến</a>" not in page.content.decode()
