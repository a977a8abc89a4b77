"""``GET /api/v1/indicators`` (SPEC §12.5): a leader's token, their subtree only, the figures
of the dashboard, the API's one error shape."""

import pytest

from motcua.agencies.selectors import agency_subtree_ids
from motcua.api.services import user_token_create
from motcua.reports.figures import Scope, period_of_days
from motcua.reports.tests.conftest import NOW, generate
from motcua.reports.tests.test_figures import recount

URL = "/api/v1/indicators"


def get(client, token, **params):
    return client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
def test_leader_gets_their_subtrees_figures_by_the_formulas(client, tree, district_leader):
    dossiers = generate(tree, n=200)
    token = user_token_create(user=district_leader)[1]
    answer = get(client, token, agency=tree["district"].code, **{"from": "2026-01-01"},
                 to="2026-12-31")  # fmt: skip
    assert answer.status_code == 200, answer.content
    data = answer.json()
    subtree = agency_subtree_ids(tree["district"].pk)
    expected = recount(
        [d for d in dossiers if d.deciding_agency_id in subtree],
        period_of_days(*(d.date() for d in (NOW.replace(month=1, day=1),
                                            NOW.replace(month=12, day=31)))),
    )  # fmt: skip
    for name in ("received", "finished_early", "finished_on_time", "finished_late",
                 "open_on_time", "open_overdue", "received_online", "received_post"):  # fmt: skip
        assert data[name] == expected[name], name
    good = expected["finished_early"] + expected["finished_on_time"] + expected["open_on_time"]
    bad = expected["finished_late"] + expected["open_overdue"]
    assert data["on_time_rate"] == round(100 * good / (good + bad), 1)
    assert data["online_share"] == round(
        100 * expected["received_online"] / expected["received"], 1
    )
    for missing in ("online_payment_share", "satisfaction", "feedback_on_time_rate"):
        assert data[missing] is None  # no data yet: null, never 0
    assert data["from"] == "2026-01-01" and data["to"] == "2026-12-31"
    assert "÷" in data["formulas"]["on_time_rate"]
    assert [g["points"] for g in data["qd766"]] == [18, 20, 22, 22, 18]
    # the same figures as the dashboard's total for the scope
    from motcua.reports.figures import total

    year = period_of_days(NOW.replace(month=1, day=1).date(), NOW.replace(month=12, day=31).date())
    assert data["received"] == total(Scope(frozenset(subtree)), year, NOW).received


@pytest.mark.django_db
def test_outside_the_subtree_or_not_a_leader_is_404(client, tree, district_leader, leader,
                                                    specialist):  # fmt: skip
    district = user_token_create(user=district_leader)[1]
    commune = user_token_create(user=leader)[1]  # leads the commune, below the district
    for token, code in (
        (district, tree["province"].code),  # above
        (district, tree["other"].code),  # beside
        (commune, tree["district"].code),
        (district, "khong-co"),
        (user_token_create(user=specialist)[1], tree["commune"].code),  # not a leader
    ):
        answer = get(client, token, agency=code)
        assert answer.status_code == 404, (token, code)
        assert answer.json() == {"detail": "Không tìm thấy cơ quan."}
    assert get(client, commune, agency=tree["commune"].code).status_code == 200
    assert client.get(URL, {"agency": tree["commune"].code}).status_code == 401


@pytest.mark.django_db
def test_bad_period_is_422_naming_the_field(client, tree, district_leader):
    token = user_token_create(user=district_leader)[1]
    code = tree["district"].code
    answer = get(client, token, agency=code, **{"from": "2026-05-02"}, to="2026-05-01")
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"from"}
    answer = get(client, token, agency=code, **{"from": "2026-13-01"})
    assert answer.status_code == 422 and "errors" in answer.json()
    answer = get(client, token, agency=code, **{"from": "2020-01-01"}, to="2026-01-01")
    assert answer.status_code == 422 and set(answer.json()["errors"]) == {"to"}


@pytest.mark.django_db
def test_a_day_no_calendar_holds_is_422_not_a_500(client, tree, district_leader):
    token = user_token_create(user=district_leader)[1]
    code = tree["district"].code
    answer = get(client, token, agency=code, **{"from": "0001-01-01"}, to="0001-01-31")
    assert answer.status_code == 422 and set(answer.json()["errors"]) == {"from", "to"}
    answer = get(client, token, agency=code, **{"from": "2026-01-01"}, to="9999-12-31")
    assert answer.status_code == 422 and "31/12/2099" in answer.json()["errors"]["to"]
