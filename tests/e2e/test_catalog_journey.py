"""A citizen finds birth registration without typing diacritics, reads it, switches to high
contrast and to English; an administrator opens the year calendar."""

import re

from playwright.sync_api import expect

from motcua.demodata.province import DEMO_PASSWORD


def test_citizen_finds_birth_registration(live_server, demo, page, shot):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("Tra cứu thủ tục hành chính")
    page.get_by_label("Tên hoặc mã thủ tục").fill("dang ky khai sinh")
    page.keyboard.press("Enter")
    first = page.locator(".result-title").first
    expect(first).to_have_text("Đăng ký khai sinh")
    shot(page, "01-search-results")

    first.click()
    expect(page.locator("h1")).to_have_text("Đăng ký khai sinh")
    expect(page.locator("table.grid").first).to_contain_text("Giấy chứng sinh")
    shot(page, "02-procedure")

    page.get_by_role("button", name="Tăng tương phản").click()
    expect(page.locator("html")).to_have_class(re.compile(r"contrast-high"))
    shot(page, "03-procedure-high-contrast")

    page.get_by_role("button", name="A+").click()
    expect(page.locator("html")).to_have_class(re.compile(r"text-large"))
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Required documents")).to_be_visible()
    shot(page, "04-procedure-english")


def test_catalog_on_a_phone(live_server, demo, browser, shot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/thu-tuc/?q=chung+thuc")
    expect(page.locator(".result-title").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"trang rộng {width}px, tràn màn hình điện thoại"
    shot(page, "05-phone-search")
    context.close()


def test_first_tab_reaches_the_skip_link(live_server, demo, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"


def test_administrator_sees_the_year_calendar(live_server, demo, page, shot):
    page.goto(live_server.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(live_server.url + "/quan-tri/workcalendar/calendaroverride/nam/2026/")
    expect(page.locator("#content")).to_contain_text("Tháng 11")
    expect(page.locator("td.makeup").first).to_have_text("22")  # make-up Saturday 22/8
    shot(page, "06-admin-year-calendar")
