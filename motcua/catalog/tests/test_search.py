"""Search ranks as the issue says, and lists sort in Vietnamese order: the plain functions on
the issue's examples, then the selector against them over the database."""

import random

import pytest

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.search import SearchQuery, matches, padded, search_rank
from motcua.catalog.selectors import fields_in_use, levels_in_use, procedure_search
from motcua.catalog.tests.factories import procedure_record, publish
from motcua.catalog.text import sort_key


def ranked(query: str, names: list[str], fields: str = "") -> list[str]:
    """``names`` that match ``query``, best first, as the search page lists them."""
    parsed = SearchQuery(query)
    found = [n for n in names if matches(parsed, padded(f"{n} {fields}"))]
    return sorted(
        found,
        key=lambda n: (search_rank(parsed, name=padded(n), text=padded(f"{n} {fields}")), n),
    )


# --- the ranking, on the issue's examples --------------------------------------------------


def test_all_words_in_order_in_the_name_come_first():
    names = [
        "Gia hạn giấy phép xây dựng",
        "Cấp giấy phép kinh doanh bán lẻ sản phẩm rượu",
        "Cấp giấy phép xây dựng",
        "Điều chỉnh giấy phép xây dựng",
        "Xây dựng nông thôn mới",
    ]
    assert ranked("giay phep xay dung", names) == [
        "Cấp giấy phép xây dựng",
        "Gia hạn giấy phép xây dựng",
        "Điều chỉnh giấy phép xây dựng",
        "Xây dựng nông thôn mới",  # two of the words, at the start of the name
        "Cấp giấy phép kinh doanh bán lẻ sản phẩm rượu",  # two of the words
    ]


def test_any_word_finds_a_procedure():
    names = ["Đăng ký khai sinh", "Đăng ký kết hôn", "Cấp Bằng Tổ quốc ghi công"]
    assert ranked("khai sinh cho con", names)[0] == "Đăng ký khai sinh"
    assert ranked("khai sinh cho con", names)[1:] == ["Cấp Bằng Tổ quốc ghi công"]  # "công"


@pytest.mark.parametrize(
    ("query", "better", "worse", "why"),
    [
        ("dang ky khai sinh", "Đăng ký khai sinh", "Đăng ký khai sinh cho con nuôi", "the name"),
        ("khai sinh", "Đăng ký khai sinh", "Khai báo sinh hoạt", "a phrase before split words"),
        ("cap giay", "Cấp lại giấy chứng nhận", "Giấy đề nghị cấp", "in the order typed"),
        ("ho tich", "Trích lục hộ tịch", "Chứng thực", "in the name, not only its field"),
        ("con", "Đăng ký nhận cha, mẹ, con", "Công nhận trường", "a whole word"),
        ("khai sinh", "Đăng ký khai sinh", "Đăng ký lại khai sinh", "earlier in the name"),
        (
            "giay phep xay dung",
            "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            "Gia hạn giấy phép xây dựng",
            "earlier in the name, though longer",
        ),
        ("ket hon", "Đăng ký kết hôn", "Đăng ký kết hôn có yếu tố nước ngoài", "shorter"),
    ],
)
def test_what_ranks_higher(query, better, worse, why):
    assert ranked(query, [worse, better], fields="Hộ tịch") == [better, worse], why


def test_words_in_the_name_before_words_anywhere():
    """The first term: a procedure with more of the words in its name comes before one that has
    more of them only with its fields' help."""
    query = SearchQuery("dang ky dat dai")
    birth = search_rank(
        query, name=padded("Đăng ký khai sinh"), text=padded("Đăng ký khai sinh Hộ tịch")
    )
    land = search_rank(query, name=padded("Giao đất"), text=padded("Giao đất Đất đai Đăng ký"))
    assert birth < land


def test_diacritics_and_case_are_optional():
    names = ["Đăng ký khai sinh", "Đăng ký kết hôn"]
    for query in [
        "dang ky khai sinh",
        "Đăng ký khai sinh",
        "ĐĂNG KÝ KHAI SINH",
        "đang ky khái sinh",
    ]:
        assert ranked(query, names)[0] == "Đăng ký khai sinh"


def test_a_word_matches_the_start_of_a_word_only():
    parsed = SearchQuery("inh")
    assert not matches(parsed, padded("Đăng ký khai sinh"))
    assert matches(SearchQuery("kha"), padded("Đăng ký khai sinh"))


# --- Vietnamese order ------------------------------------------------------------------------


def test_vietnamese_order_puts_dd_after_d_and_follows_the_alphabet():
    expected = [
        "An Bình",
        "Ân Thi",
        "Bảo trợ xã hội",
        "Chứng thực",
        "Dân tộc",
        "Du lịch",
        "Đất đai",
        "Điện lực",
        "Giáo dục",
        "Ô tô",
        "Ơn nghĩa",
        "Phòng cháy",
        "Uỷ thác",
        "Ưu đãi",
        "Xây dựng",
    ]
    shuffled = expected[:]
    random.Random(3).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == expected


def test_tones_come_after_letters_in_dictionary_order():
    assert sorted(["mai", "mạ", "má", "mã", "mả", "mà", "ma"], key=sort_key) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
        "mai",
    ]


def test_case_and_where_the_tone_mark_sits_do_not_change_the_order():
    assert sort_key("Hoá") == sort_key("hóa")  # old and new tone placement
    assert sort_key("ĐẤT ĐAI") == sort_key("đất đai")
    assert sorted(["An Bình", "An"], key=sort_key) == ["An", "An Bình"]
    assert sorted(["Mục 10", "Mục 2", "Mục A"], key=sort_key) == ["Mục 10", "Mục 2", "Mục A"]


# --- over the database ---------------------------------------------------------------------


@pytest.fixture
def building(levels):
    publish(
        procedure_record("1.009996", "Gia hạn giấy phép xây dựng", fields=["Xây dựng"]),
        procedure_record("1.009994", "Cấp giấy phép xây dựng", fields=["Xây dựng"]),
        procedure_record(
            "1.003622", "Cấp giấy phép kinh doanh bán lẻ rượu", fields=["Công thương"]
        ),
        procedure_record("1.001193", "Đăng ký khai sinh"),
        procedure_record("1.000894", "Đăng ký kết hôn"),
        procedure_record("1.000656", "Đăng ký khai tử"),
        procedure_record("1.001022", "Đăng ký nhận cha, mẹ, con"),
        procedure_record("2.001", "Dân số và kế hoạch hóa gia đình", fields=["Dân số"]),
        procedure_record("2.002", "Đất đai: hòa giải tranh chấp", fields=["Đất đai"]),
        procedure_record("2.003", "Bảo trợ xã hội", fields=["Bảo trợ xã hội"]),
    )


def test_search_ranks_the_issue_examples(building):
    names = [v.name for v in procedure_search(query="giay phep xay dung").versions]
    assert names[:3] == [
        "Cấp giấy phép xây dựng",
        "Gia hạn giấy phép xây dựng",
        "Cấp giấy phép kinh doanh bán lẻ rượu",
    ]
    assert procedure_search(query="khai sinh cho con").versions[0].name == "Đăng ký khai sinh"


def test_list_without_a_query_is_in_vietnamese_order(building):
    names = [v.name for v in procedure_search(limit=100).versions]
    assert names == sorted(names, key=sort_key)
    assert names.index("Dân số và kế hoạch hóa gia đình") < names.index("Đăng ký khai sinh")
    assert names.index("Đất đai: hòa giải tranh chấp") < names.index("Gia hạn giấy phép xây dựng")


@pytest.mark.parametrize("query", ["dang ky", "giay phep xay dung", "cap", "khai sinh cho con"])
def test_every_page_is_the_ranking_of_all_matches(building, query):
    """The database counts the words in the name; the rest is ``search_rank``: every page of
    the selector is the slice of the plain ranking of every match."""
    versions = ProcedureVersion.objects.filter(status="published")
    parsed = SearchQuery(query)
    everything = sorted(
        (v for v in versions if matches(parsed, v.search_text)),
        key=lambda v: (search_rank(parsed, name=v.search_name, text=v.search_text), v.sort_key),
    )
    pages = [procedure_search(query=query, offset=start, limit=2) for start in range(0, 12, 2)]
    assert {page.total for page in pages} == {len(everything)}
    assert [v.pk for page in pages for v in page.versions] == [v.pk for v in everything]


def test_search_by_field_and_level_still_ranks(building):
    publish(procedure_record("1.009995", "Cấp giấy phép xây dựng nhà ở", agency_levels=["huyen"]))
    names = [v.name for v in procedure_search(query="giay phep", level_code="xa").versions]
    assert "Cấp giấy phép xây dựng nhà ở" not in names
    names = [v.name for v in procedure_search(query="giay phep", field_code="xay-dung").versions]
    assert names == ["Cấp giấy phép xây dựng", "Gia hạn giấy phép xây dựng"]


def test_empty_categories_are_not_offered(building):
    publish(procedure_record("9.1", "Thủ tục sắp bỏ", fields=["Lĩnh vực cũ"]))
    old = ProcedureVersion.objects.get(procedure__code="9.1")
    old.status = ProcedureVersion.Status.SUPERSEDED  # no version in force any more
    old.save()
    fields = fields_in_use()
    assert "Lĩnh vực cũ" not in [f.name for f in fields]
    assert [f.name for f in fields] == sorted([f.name for f in fields], key=sort_key)
    assert [f.name for f in fields][:4] == ["Bảo trợ xã hội", "Công thương", "Dân số", "Đất đai"]
    assert {f.name: f.procedure_count for f in fields}["Hộ tịch"] == 4
    assert [level.code for level in levels_in_use()] == ["xa"]  # no procedure at tinh, huyen
