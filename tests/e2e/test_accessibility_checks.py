"""The checks of a11y.py find what they are for, and run by themselves on a page reached by a
link, without the journey asking."""

import pytest

from . import a11y

SITE = "http://a11y.test"
GOOD = """<!DOCTYPE html><html lang="vi"><head><title>Tốt</title>
<style>:focus-visible { outline: 3px solid #000; outline-offset: 2px; }</style></head>
<body><main><h1>Trang tốt</h1><p><a href="/bad">Trang kia</a></p>
<div style="overflow-x: auto"><table><tr><td style="min-width: 900px">bảng rộng</td></tr>
</table></div></main></body></html>"""
BAD = """<!DOCTYPE html><html lang="vi"><head><title>Xấu</title>
<style>:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }</style></head>
<body><main><h1>Trang xấu</h1><img src="/x.png"><p><a href="/">Về trang tốt</a></p>
<p style="width: 600px">quá rộng cho điện thoại</p></main></body></html>"""


@pytest.fixture
def site(page):
    pages = {"/": GOOD, "/bad": BAD}

    def serve(route):
        path = route.request.url.removeprefix(SITE)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=pages.get(path, ""))

    page.route(SITE + "/**", serve)
    return page


def test_each_check_names_what_is_wrong(site):
    page = site
    checker = a11y.checker_for(page)
    checker.enabled = False  # called by hand here
    page.goto(SITE + "/bad")
    problems = "\n".join(checker.problems())
    assert "axe image-alt (critical)" in problems and "img" in problems
    assert 'main > p > a "Về trang tốt" — outline rgb(255,191,71) on rgb(255,255,255)' in problems
    assert "rộng" in problems and "p ends at 608px" in problems

    page.goto(SITE + "/")
    assert checker.problems() == []  # a wide table scrolling in its own box is fine
    assert page.viewport_size == {"width": 1280, "height": 900}
    page.keyboard.press("Tab")  # focus is back at the start of the page
    assert page.evaluate("document.activeElement.textContent") == "Trang kia"


def test_a_page_reached_by_a_link_is_checked_before_the_next_action(site):
    page = site
    page.goto(SITE + "/")
    page.get_by_role("link", name="Trang kia").click()
    with pytest.raises(a11y.AccessibilityError, match=r"lỗi trên http://a11y.test/bad\n"):
        page.get_by_role("link", name="Về trang tốt").click()
    a11y.disable(page.context)
