"""The statistics charts write numbers as the page's language does."""

from django.utils import translation

from motcua.tickets.charts import bar_chart, pair_chart


def test_averages_in_the_charts_use_the_vietnamese_decimal_comma():
    with translation.override("vi"):
        chart = pair_chart([("Hộ tịch", 48.66, 7.25)], title="Theo dịch vụ")
    assert ">48,7<" in chart and ">7,3<" in chart  # rounded as the table's floatformat
    assert "48.7" not in chart


def test_in_english_the_charts_use_a_decimal_point():
    with translation.override("en"):
        chart = pair_chart([("Civil status", 48.66, None)], title="By service")
    assert ">48.7<" in chart and ">—<" in chart


def test_the_bar_chart_labels_its_counts():
    with translation.override("vi"):
        chart = bar_chart([("23/11", 12), ("24/11", 0)], title="Số thứ tự mỗi ngày")
    assert ">12<" in chart and ">23/11<" in chart
