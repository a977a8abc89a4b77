"""SPEC §12: the public look-up is limited per address and per dossier, on the API and the
page alike; the signed QR link keeps working."""

import pytest
from django.db import connection
from django.urls import reverse

from motcua.dossiers.selectors import lookup_token
from motcua.dossiers.tests.factories import PDF, receive, vn

API = "/api/v1/public/dossiers/{}"
RIGHT = "5678"  # last 4 digits of the test applicant's phone


@pytest.fixture
def dossier(version, desk, desk_officer):
    return receive(
        desk, version, actor=desk_officer, at=vn(2026, 11, 9, 10), files=[("a.pdf", PDF)]
    )


def api(client, code, verify, address="203.0.113.1"):
    return client.get(API.format(code), {"verify": verify}, REMOTE_ADDR=address)


def page(client, address="203.0.113.1", **query):
    return client.get(reverse("portal:lookup"), query, REMOTE_ADDR=address)


def ten_wrong_values(client, code):
    """Ten wrong values for ``code``, each from its own address (an attacker that rotates)."""
    answers = [
        api(client, code, f"{n:04d}", address=f"198.51.100.{n}").status_code for n in range(10)
    ]
    assert answers == [404] * 10


def test_after_ten_wrong_values_the_code_answers_429_to_every_value_from_every_address(
    client, dossier
):
    ten_wrong_values(client, dossier.code)
    right = api(client, dossier.code, RIGHT, address="192.0.2.200")
    assert right.status_code == 429
    assert 3500 <= int(right["Retry-After"]) <= 3600  # the rest of the hour
    assert "mã QR" in right.json()["detail"]
    assert api(client, dossier.code, "0000", address="192.0.2.201").status_code == 429
    # The page says the same, in Vietnamese, with the same header.
    shown = page(client, code=dossier.code, verify=RIGHT, address="192.0.2.202")
    assert shown.status_code == 429 and int(shown["Retry-After"]) > 3500
    assert "quá nhiều lần" in shown.context["error"]


def test_nine_wrong_values_still_let_the_right_one_through(client, dossier):
    for n in range(9):
        api(client, dossier.code, f"{n:04d}", address=f"198.51.100.{n}")
    assert api(client, dossier.code, RIGHT, address="192.0.2.200").status_code == 200
    # Right values do not count: the tenth wrong value is still answered.
    assert api(client, dossier.code, "1111", address="192.0.2.201").status_code == 404
    assert api(client, dossier.code, RIGHT, address="192.0.2.202").status_code == 429


def test_wrong_values_on_the_page_count_for_the_api_too(client, dossier):
    for n in range(10):
        assert (
            page(
                client, code=dossier.code, verify=f"{n:04d}", address=f"198.51.100.{n}"
            ).status_code
            == 404
        )
    assert api(client, dossier.code, RIGHT).status_code == 429


def test_the_qr_link_keeps_working_on_a_locked_code(client, dossier):
    ten_wrong_values(client, dossier.code)
    response = page(client, t=lookup_token(dossier), address="192.0.2.200")
    assert response.status_code == 200
    assert response.context["dossier"]["code"] == dossier.code


def test_the_limit_of_one_code_leaves_other_codes_alone(client, dossier, version, desk):
    other = receive(desk, version, at=vn(2026, 11, 9, 11))
    ten_wrong_values(client, dossier.code)
    assert api(client, other.code, RIGHT).status_code == 200


def test_an_unknown_code_is_limited_like_a_real_one(client, dossier):
    """Otherwise the 429 after ten tries would tell a guesser which codes exist."""
    ten_wrong_values(client, dossier.code)
    ten_wrong_values(client, dossier.code + "9")
    real = api(client, dossier.code, "0000", address="192.0.2.9")
    unknown = api(client, dossier.code + "9", "0000", address="192.0.2.9")
    assert real.status_code == unknown.status_code == 429
    assert real.json() == unknown.json()


def test_the_per_address_limit_answers_429_with_retry_after(client, dossier, settings):
    settings.PUBLIC_LOOKUP_PER_MINUTE = 3
    answers = [api(client, "X-1", "1234").status_code for _ in range(3)]
    refused = api(client, dossier.code, RIGHT)
    assert answers == [404, 404, 404] and refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    shown = page(client, code=dossier.code, verify=RIGHT)
    assert shown.status_code == 429 and 1 <= int(shown["Retry-After"]) <= 60
    # Another address is not concerned.
    assert api(client, dossier.code, RIGHT, address="192.0.2.77").status_code == 200


def test_a_window_that_ended_counts_again_from_zero(client, dossier, monkeypatch):
    import time

    ten_wrong_values(client, dossier.code)
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    assert api(client, dossier.code, RIGHT).status_code == 200


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads need their own connections; the in-memory SQLite test database shares one",
)
@pytest.mark.django_db(transaction=True)
def test_wrong_values_sent_all_at_once_still_get_only_ten_answers(levels, desk_officer):
    """An attacker firing many guesses together cannot outrun the count: only ten wrong
    values are ever answered 404, the rest 429."""
    from django.test import Client

    from motcua.dossiers.tests.factories import four_step_procedure
    from motcua.dossiers.tests.test_concurrency import at_once

    dossier = receive(desk_officer.memberships.get().desk, four_step_procedure())
    answers = []

    def guess():
        n = len(answers) + 1000
        answers.append(api(Client(), dossier.code, f"{n % 10000:04d}", f"198.51.{n % 250}.9"))

    assert at_once(30, guess) == []
    codes = sorted(a.status_code for a in answers)
    assert codes == [404] * 10 + [429] * 20


def test_a_code_typed_in_small_letters_is_found(client, dossier):
    """People type "h99" for the "H99" printed on the receipt."""
    typed = dossier.code.lower()
    assert typed != dossier.code
    assert api(client, typed, RIGHT).json()["code"] == dossier.code
    assert dossier.code in page(client, code=f"  {typed} ", verify=RIGHT).text


def test_a_code_in_small_letters_shares_the_limit_of_the_code(client, dossier):
    """Ten wrong values for "h99…" lock "H99…" too: each spelling gets no guesses of its own."""
    ten_wrong_values(client, dossier.code.lower())
    assert api(client, dossier.code, RIGHT, address="192.0.2.99").status_code == 429
