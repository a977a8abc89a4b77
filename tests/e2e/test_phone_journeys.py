"""A commune officer on a phone (390 × 844): the inbox as cards, the search, a dossier and
its main action. Every page also gets a11y.py's checks (axe-core, focus, nothing wider than
390 px)."""

import re

import pytest
from playwright.sync_api import expect

from . import a11y
from .test_dossier_journeys import log_in

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, request):
    context = browser.new_context(
        locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    yield page
    if getattr(request.node, "journey_failed", True):
        a11y.disable(context)
    context.close()


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"la trang rộng {width} px"


#: What the page keeps between the screen's edge and any list on it (main's padding, 1rem).
EDGE_PX = 12


def lists_off_the_edges(page):
    """Lists (their markers too: an ordered list's "12." hangs left of its items — measured
    for a list as long as a dossier's trace gets, "99.") keep the page's padding from both
    edges of the screen."""
    touching = page.evaluate(
        """(edge) => {
          const out = [];
          for (const list of document.querySelectorAll("main ul, main ol, main dl")) {
            const box = list.getBoundingClientRect();
            if (!box.width) continue;
            let left = box.left;
            if (list.tagName === "OL" && getComputedStyle(list).listStyleType !== "none") {
              // A two-digit marker, right-aligned against the items' start.
              const item = list.querySelector(":scope > li");
              if (item) {
                const probe = document.createElement("span");
                probe.style.font = getComputedStyle(item).font;
                probe.textContent = "99. ";
                document.body.appendChild(probe);
                left = item.getBoundingClientRect().left - probe.getBoundingClientRect().width;
                probe.remove();
              }
            }
            if (left < edge || box.right > window.innerWidth - edge) {
              const where = `${Math.round(left)}–${Math.round(box.right)}`;
              out.push(`${list.tagName}.${list.className} ${where}`);
            }
          }
          return out;
        }""",
        EDGE_PX,
    )
    assert not touching, touching


def thumb_sized(locator, min_px=44):
    """Every element of ``locator`` is at least ``min_px`` tall (WCAG 2.5.5's target size)."""
    for box in (element.bounding_box() for element in locator.all()):
        assert box and box["height"] >= min_px, box


def test_officer_finds_and_forwards_a_dossier_on_a_phone(live_server, demo, phone, shot):
    base = live_server.url
    log_in(phone, base, "motcua.khesanh")
    phone.locator("#menu-inbox").tap()
    expect(phone.get_by_role("heading", name="Hồ sơ cần xử lý")).to_be_visible()
    cards = phone.locator("table.inbox tbody tr")
    expect(cards.first).to_be_visible()
    # A card, not a squeezed table: one column of labelled facts, as wide as the screen.
    first = cards.first.bounding_box()
    assert first["width"] > 300 and first["height"] > 120, first
    expect(cards.first.locator("td").nth(2)).to_have_css("display", "flow-root")
    thumb_sized(phone.locator(".tabs .tab"))
    no_sideways_scroll(phone)
    shot(phone, "20-phone-inbox")

    # A name typed without diacritics.
    search = phone.get_by_label("Tìm theo mã hồ sơ, tên hoặc số định danh")
    search.fill("tran thi binh")
    phone.get_by_role("button", name="Tìm", exact=True).tap()
    expect(phone.locator(".search-summary")).to_contain_text("1 hồ sơ khớp với «tran thi binh»")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Trần Thị Bình")
    code = cards.first.locator("a.code").inner_text()
    shot(phone, "21-phone-search-name")

    # The last digits of the ID number (045185002345).
    search = phone.get_by_label("Tìm theo mã hồ sơ, tên hoặc số định danh")
    search.fill("2345")
    search.press("Enter")
    expect(cards).to_have_count(1)
    expect(cards.first.locator("a.code")).to_have_text(code)
    shot(phone, "22-phone-search-id")

    # The whole card opens the dossier: a tap in its middle, away from the code's link text.
    cards.first.tap()
    expect(phone).to_have_url(re.compile(re.escape(f"/can-bo/ho-so/{code}/")))
    main_action = phone.get_by_role("button", name="Chuyển bước tiếp theo")
    expect(main_action).to_be_in_viewport()  # the main action is on the first screen
    facts = phone.locator(".dossier-facts").bounding_box()
    assert main_action.bounding_box()["y"] < facts["y"]
    thumb_sized(main_action)
    no_sideways_scroll(phone)
    lists_off_the_edges(phone)
    shot(phone, "23-phone-dossier")

    main_action.tap()
    expect(phone.locator(".messages")).to_contain_text("Đã thực hiện: Chuyển bước tiếp theo")
    expect(phone.locator(".dossier-facts")).to_contain_text("Thẩm định")
    lists_off_the_edges(phone)
    shot(phone, "24-phone-forwarded")

    # Forwarded to Tư pháp, it has left the desk's box: the search says so plainly.
    phone.get_by_role("link", name="Hồ sơ cần xử lý").tap()
    phone.get_by_label("Tìm theo mã hồ sơ, tên hoặc số định danh").fill("tran thi binh")
    phone.get_by_role("button", name="Tìm", exact=True).tap()
    expect(phone.locator(".search-summary")).to_contain_text(
        "Không tìm thấy hồ sơ nào khớp với «tran thi binh» trong hộp «Của đơn vị»"
    )
    expect(cards).to_have_count(0)
    shot(phone, "25-phone-search-nothing")

    # The specialist of Tư pháp finds it on their phone, by a piece of its code.
    log_in(phone, base, "tuphap.khesanh")
    phone.goto(f"{base}/can-bo/ho-so/?hop=unit&q={code[-11:].lower()}")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Thẩm định")
    shot(phone, "26-phone-specialist-search-code")


def test_the_inbox_stays_a_table_on_a_wide_screen(live_server, demo, page, shot):
    base = live_server.url
    log_in(page, base, "motcua.khesanh")
    page.goto(f"{base}/can-bo/ho-so/")
    page.get_by_label("Tìm theo mã hồ sơ, tên hoặc số định danh").fill("nguyen van an")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.locator(".search-summary")).to_contain_text("khớp với «nguyen van an»")
    expect(page.get_by_role("columnheader", name="Chủ hồ sơ")).to_be_visible()
    rows = page.locator("table.inbox tbody tr")
    expect(rows.first.locator("td").nth(2)).to_have_css("display", "table-cell")
    expect(rows.first).to_contain_text("Nguyễn Văn An")
    expect(page.locator("table.inbox .badge.soon")).to_have_count(1)  # due within a day
    shot(page, "27-inbox-wide-search")


def test_a_leader_confirms_a_role_on_a_phone(live_server, demo, phone, shot):
    """The roles waiting for a leader's confirmation are cards on a phone: every fact
    labelled, the buttons on the screen and big enough for a thumb."""
    from django.contrib.auth import get_user_model

    from motcua.agencies.models import Agency, Role
    from motcua.agencies.services import account_create, membership_grant

    User = get_user_model()
    commune = Agency.objects.get(code="000.01.31.H50")
    admin = User.objects.get(username="quantri.khesanh")
    newcomer = User(username="chuyenvien.moi", first_name="Mới", last_name="Lê Văn")
    newcomer.set_unusable_password()
    account_create(actor=admin, user=newcomer, home=commune)
    membership_grant(actor=admin, user=newcomer, agency=commune, role=Role.SPECIALIST,
                     unit=commune.units.first())  # fmt: skip
    base = live_server.url
    log_in(phone, base, "lanhdao.khesanh")
    phone.goto(f"{base}/can-bo/xac-nhan-phan-cong/")
    card = phone.locator("#pending-roles tbody tr").first
    expect(card).to_contain_text("chuyenvien.moi")
    expect(card.locator("td").first).to_have_css("display", "flow-root")
    buttons = card.get_by_role("button")
    thumb_sized(buttons)
    for box in (b.bounding_box() for b in buttons.all()):
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    no_sideways_scroll(phone)
    shot(phone, "35-phone-confirm-role")
    card.get_by_role("button", name="Xác nhận", exact=True).tap()
    expect(phone.locator(".messages")).to_contain_text("Đã xác nhận phân công")
