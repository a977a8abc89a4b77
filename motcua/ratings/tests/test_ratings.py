"""Rating (SPEC §8, §12.3, issue 10 item 7): once per returned dossier, overall and per
criterion, from the message's link, the look-up page, the kiosk or the API; officers never
see who rated them, leaders see aggregates."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.dossiers.tests.factories import vn
from motcua.follow import links
from motcua.follow.tests.fixtures import RIGHT
from motcua.notifications.models import Notification
from motcua.ratings.models import Rating
from motcua.ratings.selectors import satisfaction
from motcua.ratings.services import AlreadyRated, rating_submit

API = "/api/v1/public/dossiers/{}/rating"


def rate_api(client, dossier, body, verify=RIGHT, address="203.0.113.7"):
    return client.post(
        f"{API.format(dossier.code)}?verify={verify}",
        body,
        content_type="application/json",
        REMOTE_ADDR=address,
    )


# --- the rule: once, returned dossiers only --------------------------------------------------


def test_a_returned_dossier_is_rated_once(returned):
    rating_submit(dossier_id=returned.pk, overall=3, criteria={"visits": 2}, channel="lookup")
    with pytest.raises(AlreadyRated):
        rating_submit(dossier_id=returned.pk, overall=1, criteria={}, channel="kiosk")
    (rating,) = Rating.objects.all()
    assert (rating.overall, rating.visits, rating.channel) == (3, 2, "lookup")
    assert rating.agency_id == returned.deciding_agency_id


def test_only_a_returned_dossier_is_rated(at_specialist):
    with pytest.raises(ValidationError, match="đã trả kết quả"):
        rating_submit(dossier_id=at_specialist.pk, overall=3, criteria={}, channel="api")
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "overall, criteria, field",
    [
        (None, {}, "overall"),
        (4, {}, "overall"),
        (0, {}, "overall"),
        (True, {}, "overall"),
        (3, {"visits": 5}, "criteria.visits"),
        (3, {"speed": 3}, "criteria.speed"),
    ],
)
def test_a_wrong_score_is_refused_and_nothing_stored(returned, overall, criteria, field):
    with pytest.raises(ValidationError) as refused:
        rating_submit(dossier_id=returned.pk, overall=overall, criteria=criteria, channel="api")
    assert field in refused.value.message_dict
    assert not Rating.objects.exists()


def test_a_rating_is_never_changed(returned):
    rating = rating_submit(dossier_id=returned.pk, overall=2, criteria={}, channel="api")
    rating.overall = 3
    with pytest.raises(ValueError):
        rating.save()


# --- the API (SPEC §12.3) --------------------------------------------------------------------


def test_the_api_rates_with_the_look_ups_verification(client, returned):
    body = {"overall": 3, "criteria": {"time_taken": 3, "staff_attitude": 2}}
    answer = rate_api(client, returned, body)
    assert answer.status_code == 201, answer.content
    assert answer.json()["overall"] == 3 and answer.json()["criteria"]["staff_attitude"] == 2
    again = rate_api(client, returned, {"overall": 1})
    assert again.status_code == 409 and "một lần" in again.json()["detail"]
    assert Rating.objects.get().channel == "api"


def test_the_api_answers_404_alike_for_a_wrong_code_and_value(client, returned):
    assert rate_api(client, returned, {"overall": 3}, verify="0000").status_code == 404
    missing = client.post(
        f"{API.format('KHONG-CO')}?verify={RIGHT}", {"overall": 3}, content_type="application/json"
    )
    assert missing.status_code == 404
    assert not Rating.objects.exists()


def test_the_api_refuses_a_dossier_not_returned(client, at_specialist):
    answer = rate_api(client, at_specialist, {"overall": 3})
    assert answer.status_code == 422 and "đã trả kết quả" in answer.json()["detail"]
    assert not Rating.objects.exists()


def test_the_api_refuses_bad_scores(client, returned):
    for body in ({"overall": "3"}, {"overall": 4}, {"overall": 3, "criteria": {"speed": 1}}, {}):
        assert rate_api(client, returned, body).status_code in (400, 422), body
    assert not Rating.objects.exists()


def test_the_api_is_limited_like_the_look_up(client, returned):
    for n in range(10):
        rate_api(client, returned, {"overall": 3}, verify=f"{n:04d}", address=f"198.51.100.{n}")
    assert rate_api(client, returned, {"overall": 3}).status_code == 429
    assert not Rating.objects.exists()


def test_the_path_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/public/dossiers/{code}/rating"]
    assert "post" in paths["/api/v1/public/feedback"]


# --- the message's link ----------------------------------------------------------------------


def test_the_result_returned_message_carries_the_rating_link(client, returned):
    sms = Notification.objects.get(kind="returned", medium="sms")
    url = next(word for word in sms.body.split() if "/danh-gia/" in word)
    shown = client.get(urlsplit(url).path)
    assert shown.status_code == 200 and returned.code in shown.text
    token = urlsplit(url).path.split("/")[-2]
    posted = client.post(urlsplit(url).path, {"token": token, "overall": "2", "visits": "3"})
    assert posted.status_code == 200 and "Cảm ơn" in posted.text
    rating = Rating.objects.get()
    assert (rating.channel, rating.overall, rating.visits) == ("message", 2, 3)
    again = client.get(urlsplit(url).path)
    assert "đã được đánh giá" in again.text and 'name="overall"' not in again.text


def test_a_forged_or_expired_rating_link_is_refused(client, returned, settings):
    forged = links.rating_token(returned.pk)[:-2] + "xx"
    assert client.get(reverse("follow:rate", args=[forged])).status_code == 404
    settings.RATING_LINK_DAYS = 0
    token = links.rating_token(returned.pk)
    import time

    time.sleep(1.1)
    shown = client.post(reverse("follow:rate", args=[token]), {"token": token, "overall": "3"})
    assert shown.status_code == 404 and not Rating.objects.exists()


def test_a_rating_link_to_a_dossier_not_returned_shows_no_form(client, at_specialist):
    token = links.rating_token(at_specialist.pk)
    shown = client.get(reverse("follow:rate", args=[token]))
    assert "chưa trả kết quả" in shown.text and 'name="overall"' not in shown.text


# --- the look-up page and the kiosk ----------------------------------------------------------


def test_the_look_up_page_offers_the_form_once_returned(client, at_specialist, returned):
    lookup = reverse("portal:lookup")
    shown = client.get(lookup, {"code": returned.code, "verify": RIGHT})
    assert 'name="overall"' in shown.text
    token = shown.context["rating_form"].initial["token"]
    posted = client.post(reverse("follow:lookup_rate"), {"token": token, "overall": "3"})
    assert posted.status_code == 200 and Rating.objects.get().channel == "lookup"
    shown = client.get(lookup, {"code": returned.code, "verify": RIGHT})
    assert 'name="overall"' not in shown.text and "đã đánh giá" in shown.text


def test_the_look_up_form_needs_its_signed_token(client, returned):
    forged = client.post(reverse("follow:lookup_rate"), {"token": "abc:def", "overall": "3"})
    assert forged.status_code == 404 and not Rating.objects.exists()


def test_the_kiosk_rates_at_the_counter(client, returned):
    shown = client.post(
        reverse("follow:kiosk"),
        {"stage": "verify", "code": returned.code, "verify": RIGHT, "go": "lookup"},
    )
    token = shown.context["rating_form"].initial["token"]
    posted = client.post(reverse("follow:kiosk_rate"), {"token": token, "overall": "1"})
    assert posted.status_code == 200 and "Cảm ơn" in posted.text
    assert Rating.objects.get().channel == "kiosk"
    again = client.post(reverse("follow:kiosk_rate"), {"token": token, "overall": "3"})
    assert again.status_code == 409 and Rating.objects.get().overall == 1


def test_a_form_without_the_overall_answer_is_shown_again(client, returned):
    token = links.form_token(returned.uid)
    shown = client.post(reverse("follow:lookup_rate"), {"token": token, "visits": "3"})
    assert shown.status_code == 422 and "Chọn mức độ hài lòng chung." in shown.text
    assert not Rating.objects.exists()


# --- who sees what ---------------------------------------------------------------------------


def test_officers_never_see_a_rating_on_the_dossier(client, returned, desk_officer, leader):
    rating_submit(dossier_id=returned.pk, overall=1, criteria={}, channel="lookup")
    for officer in (desk_officer, leader):
        client.force_login(officer)
        page = client.get(reverse("dossiers:detail", args=[returned.code])).text
        assert "Không hài lòng" not in page and "Trang tra cứu" not in page
    assert not returned.events.filter(action__icontains="rat").exists()


def test_leaders_see_aggregates_by_period_and_criterion(
    returned, version, desk, desk_officer, specialist, leader, clock, commune, other_commune
):
    assert satisfaction([commune.pk]) is None
    clock(vn(2026, 11, 12, 9))
    rating_submit(dossier_id=returned.pk, overall=3, criteria={"visits": 2}, channel="api")
    figures = satisfaction([commune.pk], date(2026, 11, 1), date(2026, 11, 30))
    assert (figures.count, figures.very_satisfied, figures.average) == (1, 1, 3.0)
    assert figures.criteria["visits"].average == 2.0 and figures.criteria["visits"].count == 1
    assert figures.criteria["time_taken"].average is None
    assert figures.satisfied_share == 1.0
    # The period is by the day the rating was given, in Vietnam time; other agencies apart.
    assert satisfaction([commune.pk], date(2026, 11, 13), None) is None
    assert satisfaction([commune.pk], None, date(2026, 11, 11)) is None
    assert satisfaction([other_commune.pk]) is None
    assert not hasattr(figures, "dossier_ids")
