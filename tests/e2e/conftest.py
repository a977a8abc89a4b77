"""Browser journeys in Debian's Chromium, driven by Playwright against the live test server."""

import os
from pathlib import Path

import pytest

from . import a11y

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the live
# server and fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.journey_failed = report.failed
    return report


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("MOTCUA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} không có (MOTCUA_REQUIRE_BROWSER=1)")
        pytest.skip(f"{CHROMIUM} không có")
    from playwright.sync_api import sync_playwright

    # Every page any journey opens gets the accessibility checks of a11y.py.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        a11y.install(patch)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    if getattr(request.node, "journey_failed", True):
        a11y.disable(context)  # one failure is enough; the last page is not checked again
    context.close()  # checks the page left open last


@pytest.fixture
def phone_page(browser, request):
    """A page on a phone's screen (375 × 812, touch), as citizens use the portal."""
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    if getattr(request.node, "journey_failed", True):
        a11y.disable(context)
    context.close()


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full_page: bool = True):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def demo(transactional_db):
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
