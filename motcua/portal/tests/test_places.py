"""The citizen's pages of item 1 and 9: where and how to hand a procedure in, online
submission's address, agencies' public pages with their procedures, office hours and their
figures counted live from the dossiers."""

from datetime import time

import pytest
from django.urls import reverse

from motcua.agencies.models import Agency, Desk
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.tests.factories import procedure_record, publish
from motcua.dossiers import indicators
from motcua.dossiers.indicators import dossier_figures, month_of, year_of
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import vn
from motcua.dossiers.tests.test_indicators import make
from motcua.workcalendar.models import OfficeHoursSeason

NOW = vn(2026, 11, 23, 9, 0)


@pytest.fixture
def place(levels, province, commune, other_commune):
    """Two communes with desks, one without, an inactive one; the province's centre."""
    Desk.objects.create(
        agency=commune, code="mot-cua", name="Bộ phận một cửa", address="Số 1 Lê Duẩn"
    )
    commune.phone = "0233 3880 101"
    commune.save()
    Desk.objects.create(agency=other_commune, code="mot-cua", name="Bộ phận một cửa")
    Agency.objects.create(code="000.03.31.H99", name="UBND xã Không Bàn", level=levels["xa"])
    closed = Agency.objects.create(
        code="000.04.31.H99", name="UBND xã Đã Nhập", level=levels["xa"], is_active=False
    )
    Desk.objects.create(agency=closed, code="mot-cua", name="Bộ phận một cửa")
    Desk.objects.create(agency=province, code="tt", name="Trung tâm Phục vụ hành chính công")
    OfficeHoursSeason.objects.create(
        agency=commune, name="Mùa hè", start_month=4, start_day=1, end_month=9, end_day=30,
        morning_start=time(7, 30), morning_end=time(11, 30),
        afternoon_start=time(13, 30), afternoon_end=time(17, 30),
    )  # fmt: skip
    publish(
        procedure_record("1.001193", "Đăng ký khai sinh", online_level="full"),
        procedure_record("1.004884", "Đăng ký lại khai sinh", online_level="none"),
        procedure_record(
            "1.009994",
            "Cấp giấy phép xây dựng",
            fields=["Xây dựng"],
            online_level="partial",
            post_allowed=True,
        ),
        procedure_record("2.001157", "Cấp Phiếu lý lịch tư pháp", agency_levels=["tinh"]),
        procedure_record("1.000288", "Công nhận trường mầm non", agency_levels=["huyen"]),
    )
    return {"commune": commune, "other": other_commune, "province": province}


def detail(client, code):
    return client.get(reverse("portal:procedure_detail", args=[code]))


def test_procedure_page_lists_the_agencies_of_its_levels_that_have_a_desk(client, place):
    response = detail(client, "1.001193")
    names = [p.agency.name for p in response.context["places"]]
    assert names == ["UBND xã An Bình", "UBND xã Bình Minh"]  # Vietnamese order
    assert "Số 1 Lê Duẩn" in response.text
    assert 'href="tel:02333880101"' in response.text and "Gọi 0233 3880 101" in response.text
    assert "Mùa hè (1/4 – 30/9): Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:30" in response.text
    assert "Thứ Hai – Thứ Sáu: 07:30–11:30, 13:00–17:00" in response.text  # standard hours
    agency = reverse("portal:agency_detail", args=[place["commune"].code])
    assert f'href="{agency}"' in response.text
    province = detail(client, "2.001157").context["places"]
    assert [p.agency.name for p in province] == ["UBND tỉnh Thử"]
    assert detail(client, "1.000288").context["places"] == []
    assert "Chưa có cơ quan nào tiếp nhận" in detail(client, "1.000288").text


CHANNELS = [
    ("1.001193", ["Trực tiếp", "Trực tuyến"], True),
    ("1.004884", ["Trực tiếp"], False),
    ("1.009994", ["Trực tiếp", "Trực tuyến", "Bưu chính công ích"], True),
]


@pytest.mark.parametrize(("code", "channels", "online"), CHANNELS)
def test_channels_follow_the_procedure(code, channels, online, place):
    version = Procedure.objects.get(code=code).current_version
    assert [label for _, label in version.channels] == channels
    assert version.accepts_online is online


@pytest.mark.urls("motcua.portal.tests.urls_with_submit")
@pytest.mark.parametrize(("code", "channels", "online"), CHANNELS)
def test_online_button_starts_the_submission_of_the_version(client, place, code, channels, online):
    response = detail(client, code)
    assert [label for _, label in response.context["channels"]] == channels
    version = response.context["version"]
    start = reverse("portal:submit_start", args=[version.pk])
    assert (f'<a class="button" href="{start}">Nộp trực tuyến</a>' in response.text) is online
    assert ("Nộp trực tuyến</a>" in response.text) is online
    if online:
        assert client.get(start).text == f"start {version.pk}"


@pytest.mark.parametrize(("code", "channels", "online"), CHANNELS)
def test_without_a_submission_page_only_the_desk_channels_are_offered(
    client, place, code, channels, online
):
    response = detail(client, code)
    offered = [label for _, label in response.context["channels"]]
    assert offered == [label for label in channels if label != "Trực tuyến"]
    assert response.context["submit_url"] is None
    assert "Nộp trực tuyến</a>" not in response.text
    assert "nop-truc-tuyen" not in response.text


def test_agency_list_links_each_agency_page(client, place):
    response = client.get(reverse("portal:agency_list"))
    for agency in [place["commune"], place["other"], place["province"]]:
        assert reverse("portal:agency_detail", args=[agency.code]) in response.text
    assert 'href="tel:02333880101"' in response.text


def test_agency_page_lists_its_procedures_by_field_and_how_to_reach_it(client, place):
    response = client.get(reverse("portal:agency_detail", args=[place["commune"].code]))
    assert response.status_code == 200
    groups = {g.field.name: [v.name for v in g.versions] for g in response.context["groups"]}
    assert list(groups) == ["Hộ tịch", "Xây dựng"]
    assert groups["Hộ tịch"] == ["Đăng ký khai sinh", "Đăng ký lại khai sinh"]
    assert 'href="tel:02333880101"' in response.text
    assert "Mùa hè (1/4 – 30/9)" in response.text
    # no desk: it receives nothing itself
    no_desk = client.get(reverse("portal:agency_detail", args=["000.03.31.H99"]))
    assert no_desk.context["groups"] == []
    assert "không trực tiếp tiếp nhận thủ tục nào" in no_desk.text


def test_an_inactive_or_unknown_agency_has_no_page(client, place):
    assert client.get(reverse("portal:agency_detail", args=["000.04.31.H99"])).status_code == 404
    assert client.get(reverse("portal:agency_detail", args=["nope"])).status_code == 404


@pytest.fixture
def dossiers(place):
    desk = place["commune"].desks.get()
    version = Procedure.objects.get(code="1.001193").current_version
    kit = {"version": version, "desk": desk, "commune": place["commune"]}
    due = vn(2026, 11, 20, 16)
    rows = [
        make(kit, received_at=vn(2026, 11, 17, 8), due_at=due, finished_at=vn(2026, 11, 19, 8),
             status=Status.RETURNED),
        make(kit, received_at=vn(2026, 11, 17, 8), due_at=due, status=Status.PROCESSING),
        make(kit, received_at=vn(2026, 3, 2, 8), due_at=vn(2026, 3, 5, 8),
             finished_at=vn(2026, 3, 4, 8), status=Status.RETURNED),
    ]  # fmt: skip
    return Dossier.objects.bulk_create(rows)


def test_agency_page_shows_its_figures_counted_now_with_their_formulas(client, place, dossiers):
    response = client.get(reverse("portal:agency_detail", args=[place["commune"].code]))
    month, year = response.context["figures"]
    expected = dossier_figures(
        agency_id=place["commune"].pk, periods=[month_of(NOW), year_of(NOW)], now=NOW
    )
    assert [month.dossiers, year.dossiers] == expected
    assert (month.dossiers.received, month.dossiers.late, year.dossiers.received) == (2, 1, 3)
    text = response.text
    assert "Tháng 11/2026" in text and "Năm 2026" in text
    assert "50,0 %" in text and "66,7 %" in text
    assert "(1 + 0 + 0) ÷ 2" in text and "(2 + 0 + 0) ÷ 3" in text  # the formula, with numbers
    assert text.count("chưa có dữ liệu") == 2  # no rating yet: never 0
    assert "0/3" not in text


def test_agency_page_shows_the_average_rating_once_there_are_ratings(
    client, place, dossiers, monkeypatch
):
    def counts(*, agency_id, period, now):
        assert agency_id == place["commune"].pk
        return {3: 2, 1: 1} if period == month_of(now) else {}

    monkeypatch.setattr(indicators, "agency_rating_counts", counts)
    text = client.get(reverse("portal:agency_detail", args=[place["commune"].code])).text
    assert "2,33/3" in text and "3 đánh giá, 66,7 % hài lòng trở lên" in text
    assert text.count("chưa có dữ liệu") == 1  # the year: still "no data" (the stub has none)


def test_agency_page_reads_a_fixed_number_of_queries(
    client, place, dossiers, django_assert_max_num_queries
):
    url = reverse("portal:agency_detail", args=[place["commune"].code])
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    publish(
        *[
            procedure_record(f"9.{i:06d}", f"Thủ tục {i}", fields=[f"Lĩnh vực {i}"])
            for i in range(8)
        ]
    )
    Dossier.objects.bulk_create(
        [
            make({"version": dossiers[0].procedure_version, "desk": place["commune"].desks.get(),
                  "commune": place["commune"]}, received_at=vn(2026, 11, 18, 8),
                 due_at=vn(2026, 11, 25, 8))
            for _ in range(10)
        ]
    )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_home_and_search_offer_only_levels_and_fields_with_procedures(client, place):
    response = client.get("/")
    assert [level.code for level in response.context["levels"]] == ["tinh", "huyen", "xa"]
    # a level with nothing in force any more is not offered
    ProcedureVersion.objects.filter(procedure__code="1.000288").update(status="superseded")
    response = client.get(reverse("portal:procedure_list"))
    assert [level.code for level in response.context["levels"]] == ["tinh", "xa"]
    assert "Thủ tục cấp Huyện" not in client.get("/").text
    assert [f.name for f in response.context["fields"]] == ["Hộ tịch", "Xây dựng"]
