"""The charts (``motcua/charts.py``): numbers written as the page's language writes them, and
labels that keep their size on a phone."""

import re
from decimal import Decimal

from django.utils import translation

from motcua.charts import BLUE, RED, bars, columns, grouped_bars, line

WAIT_SERVICE = [("Chờ (phút)", BLUE), ("Phục vụ (phút)", RED)]


def test_averages_in_the_charts_use_the_vietnamese_decimal_comma():
    with translation.override("vi"):
        chart = grouped_bars([("Hộ tịch", [48.66, 7.25])], series=WAIT_SERVICE, title="x")
        rate = bars([("Tư pháp", Decimal("93.5"))], title="y", unit="%")
    assert ">48,7<" in chart and ">7,3<" in chart  # rounded as the table's floatformat
    assert "48.7" not in chart
    assert ">93,5%<" in rate


def test_in_english_the_charts_use_a_decimal_point():
    with translation.override("en"):
        chart = grouped_bars([("Civil status", [48.66, None])], series=WAIT_SERVICE, title="x")
        rate = bars([("Justice", Decimal("93.5"))], title="y", unit="%")
    assert ">48.7<" in chart and ">—<" in chart
    assert ">93.5%<" in rate


def test_the_column_chart_labels_its_counts():
    with translation.override("vi"):
        chart = columns([("23/11", 12), ("24/11", 0)], title="Số thứ tự mỗi ngày")
    assert ">12<" in chart and ">23/11<" in chart


def test_charts_are_drawn_in_the_pages_units_so_text_keeps_its_size_on_a_phone():
    """No viewBox (which would scale 13 px type down to ~7 px on a 390 px screen): the width
    is the container's, positions along it in percent, type in pixels."""
    months = [(f"{m:02d}/2026", Decimal(90 + m % 5)) for m in range(1, 13)]
    for chart in (
        bars([("Tư pháp", 12), ("Địa chính", 30)], title="t"),
        columns([(f"{d}/11", d) for d in range(1, 31)], title="t"),
        line(months, title="t"),
    ):
        assert "viewBox" not in chart and 'width="100%"' in chart
        assert 'font-size="13"' in chart
        lengths = re.findall(r' (?:x|x1|x2|cx|width)="([^"]+)"', chart)
        assert lengths and all(v.endswith("%") or float(v) < 60 for v in lengths), lengths


def test_crowded_axis_labels_are_fewer_on_a_narrow_screen_and_none_is_lost_for_the_reader():
    months = [(f"{m:02d}/2026", Decimal(90)) for m in range(1, 13)]
    chart = line(months, title="Tỷ lệ đúng hạn theo tháng")
    shown = re.findall(r"<text([^>]*)>(\d\d/2026)</text>", chart)
    assert len(shown) == 12  # every month on a wide screen
    assert sum("minor" not in attrs for attrs, _ in shown) == 4  # a third of them on a phone
    for month, _ in months:  # and each month's value in the accessible name
        assert f"{month}: 90,0%" in chart or f"{month}: 90.0%" in chart


def test_a_long_label_is_cut_with_an_ellipsis_and_kept_whole_in_the_name():
    name = "Phòng Tài nguyên và Môi trường huyện Hướng Hóa, tỉnh Quảng Trị (cũ)"
    chart = bars([(name, 3)], title="t")
    assert f"{name}: 3" in chart and "…</text>" in chart
