"""A citizen's steps in the browser, for every journey that needs one (submit, pay, follow,
rate): sign up, log in by code or password, fill the profile, open "my dossiers", log out.

Use them with the ``phone_page`` fixture (375 × 812) and the live server::

    from .citizen import sign_up, fill_profile, my_dossiers

    def test_something(live_server, demo, phone_page, shot):
        sign_up(phone_page, live_server.url, name="Lê Thị Hoa", phone="0987000111")
        fill_profile(phone_page, id_number="045190001122", address="Khối 1, Khe Sanh")
        ...

The code a citizen would read on their phone is read from the outbox (``code_sent_to``).
Every page these steps open gets the accessibility checks of ``a11y.py``, like any other.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

#: The demo citizen of ``load_demo`` (its password is the demo password).
DEMO_PHONE = "0912345678"


def code_sent_to(recipient: str) -> str:
    """The last one-time code sent to ``recipient`` (a phone or an e-mail address)."""
    from motcua.notifications.models import Notification

    message = Notification.objects.filter(recipient=recipient, kind="citizen_code").latest("pk")
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def enter_code(page: Page, recipient: str) -> None:
    expect(page.locator("h1")).to_have_text("Nhập mã xác nhận")
    page.get_by_label("Mã gồm 6 chữ số").fill(code_sent_to(recipient))
    page.get_by_role("button", name="Xác nhận").click()


def sign_up(page: Page, base: str, *, name: str, phone: str, shot=None) -> None:
    """From the home page's header to a new account; ends on the profile page."""
    page.context.clear_cookies()
    page.goto(base + "/")
    page.get_by_role("link", name="Công dân đăng nhập").click()
    page.get_by_role("link", name="Đăng ký", exact=True).click()
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill(phone)
    if shot:
        shot(page, "citizen-01-sign-up")
    page.get_by_role("button", name="Nhận mã xác nhận").click()
    if shot:
        shot(page, "citizen-02-code")
    enter_code(page, phone)
    expect(page.locator("h1")).to_have_text("Tài khoản của tôi")
    expect(page.locator(".messages")).to_contain_text("Đã tạo tài khoản")


def log_in_with_code(page: Page, base: str, identifier: str) -> None:
    """Ends on "my dossiers" (or the page a ``next`` named)."""
    page.goto(base + "/cong-dan/dang-nhap/")
    form = page.locator("#form-code")
    form.get_by_label("Số điện thoại hoặc thư điện tử").fill(identifier)
    form.get_by_role("button", name="Gửi mã đăng nhập").click()
    enter_code(page, identifier)


def log_in_with_password(page: Page, base: str, identifier: str, password: str) -> None:
    page.goto(base + "/cong-dan/dang-nhap/")
    form = page.locator("#form-password")
    form.get_by_label("Số điện thoại hoặc thư điện tử").fill(identifier)
    form.get_by_label("Mật khẩu").fill(password)
    form.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("h1")).to_have_text("Hồ sơ của tôi")


def fill_profile(
    page: Page, *, id_number: str, address: str, name: str | None = None, base: str = ""
) -> None:
    """On the profile page (``base`` given: go there first); saves and checks it saved."""
    if base:
        page.goto(base + "/cong-dan/tai-khoan/")
    form = page.locator("form", has=page.get_by_role("heading", name="Thông tin cá nhân"))
    if name is not None:
        form.get_by_label("Họ và tên").fill(name)
    form.get_by_label("Số định danh cá nhân (CCCD, 12 chữ số)").fill(id_number)
    form.get_by_label("Địa chỉ thường trú").fill(address)
    form.get_by_role("button", name="Lưu thông tin").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu thông tin cá nhân")


def set_password(page: Page, password: str, *, current: str = "") -> None:
    """On the profile page: choose (or change) the password."""
    form = page.locator("form", has=page.locator("#password"))
    if current:
        form.get_by_label("Mật khẩu hiện tại").fill(current)
    form.get_by_label(re.compile(r"^Mật khẩu mới")).fill(password)
    form.get_by_label("Nhập lại mật khẩu mới").fill(password)
    form.get_by_role("button", name="Lưu mật khẩu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu mật khẩu")


def my_dossiers(page: Page, base: str) -> list[str]:
    """Open "my dossiers" from the header; the procedures listed, newest first."""
    page.goto(base + "/")
    page.get_by_role("link", name="Hồ sơ của tôi").first.click()
    expect(page.locator("h1")).to_have_text("Hồ sơ của tôi")
    return page.locator(".my-dossiers .result-title").all_inner_texts()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("link", name="Công dân đăng nhập")).to_be_visible()
