import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_citizens_pages_speak_english_when_chosen(client):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("citizens:login")).text
    assert "Citizens log in" in page and "Send a log-in code" in page
    assert "Công dân đăng nhập" not in page
