"""The printed queue ticket, measured in Chromium's own print (the kiosk prints with it): the
tallest ticket the demo province can give — the longest agency and desk names, a priority
mark with the longest reason, a booked time, a service name on three lines — prints on ONE
page of the roll's page size (80 mm and 58 mm), and that page is not much longer than it.
A roll printer cuts after the page, so a page too short splits a ticket in two and a page
far too long wastes paper on every ticket."""

from datetime import datetime

import pytest

from motcua import clock as domain_clock
from motcua.agencies.models import Desk
from motcua.tickets.models import Service, Ticket
from motcua.tickets.services import ticket_take
from motcua.workcalendar.calendar import VN_TZ

from .conftest import SCREENSHOTS

MM = 25.4 / 96  # CSS pixels to millimetres
#: Page height (mm) and margin of each roll, as in ticket.css / ticket-58.css.
ROLLS = {"80": (160, 3), "58": (190, 2)}
#: Blank paper allowed below the tallest ticket.
SLACK_MM = 25
#: A service name as long as the admin's longest ones (three lines on 58 mm paper).
LONG_SERVICE = "Đất đai, xây dựng, tài nguyên và môi trường, giao thông vận tải, công thương"


@pytest.fixture
def tallest_ticket(demo, monkeypatch):
    monkeypatch.setattr(domain_clock, "now", lambda: datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ))
    desk = max(
        Desk.objects.select_related("agency").filter(services__isnull=False).distinct(),
        key=lambda d: len(d.agency.name) + len(d.name),
    )
    service = desk.services.first()
    Service.objects.filter(pk=service.pk).update(name=LONG_SERVICE)
    reason = max(Ticket.PriorityReason, key=lambda r: len(str(r.label)))
    taken = ticket_take(
        desk=desk,
        service_id=service.pk,
        priority_reason=reason.value,
        serve_after=datetime(2026, 11, 23, 10, 30, tzinfo=VN_TZ),
    )
    return taken.ticket


@pytest.mark.parametrize("roll", ["80", "58"])
def test_the_tallest_ticket_prints_on_one_page_of_its_roll(live_server, tallest_ticket, page,
                                                            roll):  # fmt: skip
    from io import BytesIO

    from pypdf import PdfReader

    height_mm, margin_mm = ROLLS[roll]
    page.goto(f"{live_server.url}/so-thu-tu/{tallest_ticket.token}/in/?kho={roll}")
    page.emulate_media(media="print")
    ticket_mm = page.locator(".ticket").bounding_box()["height"] * MM
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    pages = PdfReader(BytesIO(pdf)).pages
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"ticket-{roll}mm.pdf").write_bytes(pdf)
    (SCREENSHOTS / f"ticket-{roll}mm.txt").write_text(
        f"tallest ticket {ticket_mm:.1f} mm on a {height_mm} mm page ({len(pages)} page(s))\n"
    )
    assert len(pages) == 1, f"{ticket_mm:.1f} mm of ticket split over {len(pages)} pages"
    width_pt, page_pt = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert round(width_pt / 72 * 25.4) == int(roll) and round(page_pt / 72 * 25.4) == height_mm
    printable = height_mm - 2 * margin_mm
    assert ticket_mm <= printable, f"{ticket_mm:.1f} mm > {printable} mm"
    assert printable - ticket_mm <= SLACK_MM, f"{printable - ticket_mm:.1f} mm of blank paper"
