import pytest

from motcua.workcalendar.tests.factories import summer_season

URL = "/api/v1/calendar/due"


@pytest.mark.django_db
def test_due_on_standard_calendar(client):
    response = client.get(URL, {"start": "2026-11-09T10:00:00+07:00", "days": "1"})
    assert response.status_code == 200
    assert response.json()["due_at"] == "2026-11-10T10:00:00+07:00"


@pytest.mark.django_db
def test_due_answers_in_vietnam_time_whatever_the_input_offset(client):
    response = client.get(URL, {"start": "2026-11-09T03:00:00Z", "days": "0.5"})
    assert response.json()["due_at"] == "2026-11-09T15:30:00+07:00"


def test_due_on_agency_calendar(client, commune):
    summer_season(commune)
    response = client.get(
        URL, {"start": "2026-06-08T13:00:00+07:00", "days": "0.5", "agency": commune.code}
    )
    assert response.json()["due_at"] == "2026-06-08T17:30:00+07:00"


@pytest.mark.django_db
def test_unknown_agency_is_404(client):
    response = client.get(URL, {"start": "2026-11-09T10:00:00+07:00", "days": 1, "agency": "x"})
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-11-09T10:00:00", "days": 1}, "start"),  # no offset
        ({"start": "hôm qua", "days": 1}, "start"),
        ({"start": "2026-11-09T10:00:00+07:00", "days": "ba"}, "days"),
        ({"days": 1}, "start"),
    ],
)
def test_bad_input_is_422_in_vietnamese(client, params, field):
    response = client.get(URL, params)
    assert response.status_code == 422
    assert field in response.json()["errors"]
