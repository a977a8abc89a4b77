import pytest
from django.urls import reverse

from motcua.catalog.tests.factories import procedure_record, publish


@pytest.fixture
def catalog(levels):
    publish(
        procedure_record("1.001193", "Đăng ký khai sinh"),
        procedure_record("1.004884", "Đăng ký lại khai sinh"),
        procedure_record("1.000894", "Đăng ký kết hôn"),
    )


def test_home_lists_fields(client, catalog):
    response = client.get("/")
    assert response.status_code == 200
    assert "Hộ tịch" in response.text


def test_search_without_diacritics_finds_the_procedure_first(client, catalog):
    response = client.get(reverse("portal:procedure_list"), {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    names = [v.name for v in response.context["result"].versions]
    assert names == ["Đăng ký khai sinh", "Đăng ký lại khai sinh", "Đăng ký kết hôn"]


def test_procedure_page_shows_documents_fees_and_steps(client, catalog):
    response = client.get(reverse("portal:procedure_detail", args=["1.001193"]))
    assert response.status_code == 200
    for text in ["Tờ khai", "8.000 đ", "Thẩm định", "Toàn trình", "3 ngày làm việc"]:
        assert text in response.text


def test_unknown_procedure_is_404(client, catalog):
    assert client.get(reverse("portal:procedure_detail", args=["0.000000"])).status_code == 404


def test_list_query_count_does_not_grow_with_procedures(
    client, levels, django_assert_max_num_queries
):
    publish(*[procedure_record(f"9.{i:06d}", f"Thủ tục thử {i}") for i in range(3)])
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("portal:procedure_list"), {"q": "thu tuc"})
    publish(*[procedure_record(f"8.{i:06d}", f"Thủ tục thử thêm {i}") for i in range(20)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("portal:procedure_list"), {"q": "thu tuc"})


def test_page_past_the_end_shows_the_last_page(client, catalog, settings):
    settings.CATALOG_PAGE_SIZE = 2
    response = client.get(reverse("portal:procedure_list"), {"q": "dang ky", "trang": "99"})
    assert response.context["page_number"] == 2
    response = client.get(reverse("portal:procedure_list"), {"trang": "abc"})
    assert response.context["page_number"] == 1


@pytest.mark.parametrize("page", ["999999999999999999999", "1" * 5000, "-3", "1e9"])
def test_any_page_number_gives_a_page(client, catalog, settings, page):
    settings.CATALOG_PAGE_SIZE = 2
    for criteria in ({}, {"q": "dang ky"}):  # the whole catalog, or a search
        response = client.get(reverse("portal:procedure_list"), {**criteria, "trang": page})
        assert response.status_code == 200
        assert response.context["page_number"] in (1, 2)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/thu-tuc/", {"linh_vuc": "ho-tich\x00"}),
        ("/thu-tuc/", {"q\x00": "x"}),
        ("/tra-cuu/", {"code": "X\x00", "verify": "1234"}),
        ("/thu-tuc/1.001\x00193/", {}),
    ],
)
def test_a_nul_byte_in_an_address_is_400_not_a_database_error(client, catalog, path, params):
    response = client.get(path, params)
    assert response.status_code == 400
    assert "NUL" in response.text


def test_the_look_ups_429_says_when_to_come_back(client, db, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PUBLIC_LOOKUP_PER_MINUTE = 1
    url = reverse("portal:lookup")
    client.get(url, {"code": "X-1", "verify": "1234"})
    response = client.get(url, {"code": "X-1", "verify": "1234"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60


def test_text_size_and_contrast_are_kept_in_cookies(client, db):
    response = client.post(
        reverse("portal:display_settings"),
        {"text_size": "large", "contrast": "high", "next": "/thu-tuc/"},
    )
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/"
    page = client.get("/")
    assert 'class="text-large contrast-high"' in page.text


def test_display_settings_never_redirect_off_site(client, db):
    response = client.post(reverse("portal:display_settings"), {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_english_switch(client, catalog):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert '<html lang="en"' in response.text
    assert "Administrative procedures" in response.text


def test_every_form_field_is_labelled(client, catalog):
    import re

    html = client.get(reverse("portal:procedure_list")).text
    ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html)
    assert ids
    for field_id in ids:
        assert f'for="{field_id}"' in html


def test_vietnamese_is_the_default_whatever_the_browser_asks(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi"' in response.text
    assert response["Content-Language"] == "vi"
