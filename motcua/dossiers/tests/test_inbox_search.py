"""Searching an inbox by code, applicant name (diacritics optional) or ID number, never beyond
what the officer sees (SPEC §3)."""

import importlib
import unicodedata

import pytest
from django.db import connection
from django.urls import reverse

from motcua.dossiers import search
from motcua.dossiers.models import INBOX_STATUSES, Dossier
from motcua.dossiers.search import inbox_match, name_key
from motcua.dossiers.selectors import inbox_page, inbox_search
from motcua.dossiers.tests.factories import act, applicant, as_actor, receive, vn


@pytest.fixture(autouse=True, params=["index", "common"])
def path(request, monkeypatch):
    """Every rule holds on both ways a search goes: through the index (a rare term) and
    through the box's earliest-due dossiers (a common one)."""
    if request.param == "common":
        monkeypatch.setattr(search, "SELECTIVE_ROWS", 0)
    return request.param


@pytest.fixture
def dung(version, desk):
    return receive(
        desk,
        version,
        at=vn(2026, 11, 20, 10),
        applicant=applicant(name="Phạm Thị Dung", id_number="045187004567"),
    )


@pytest.fixture
def others(version, desk):
    return [
        receive(
            desk,
            version,
            at=vn(2026, 11, 20, 11),
            applicant=applicant(name="Nguyễn Văn An", id_number="079123456789"),
        ),
        receive(
            desk,
            version,
            at=vn(2026, 11, 20, 14),
            applicant=applicant(name="Trần Dũng Hải", id_number="001204567000"),
        ),
    ]


def found(who, query, box="unit"):
    result = inbox_search(actor=as_actor(who), box=box, query=query, limit=50)
    assert result.complete
    return [d.code for d in result.rows]


def test_a_name_is_found_with_or_without_diacritics_in_any_case(desk_officer, dung, others):
    for query in ["Phạm Thị Dung", "pham thi dung", "PHAM THI", "thị dung", "  dung   pham "]:
        assert dung.code in found(desk_officer, query), query
    assert found(desk_officer, "nguyen van an") == [others[0].code]


def test_each_word_starts_a_word_of_the_name(desk_officer, dung, others):
    # "dung" also starts "Dũng" (the same letters without marks), but "ung" starts no word.
    assert sorted(found(desk_officer, "dung")) == sorted([dung.code, others[1].code])
    assert found(desk_officer, "ung") == []
    assert found(desk_officer, "pham an") == []  # every word must match, not any


def test_a_code_is_found_by_any_part_in_any_case(desk_officer, dung, others):
    assert found(desk_officer, dung.code) == [dung.code]
    serial = dung.code.rsplit("-", 1)[1]
    assert dung.code in found(desk_officer, serial)
    assert found(desk_officer, dung.code[4:].lower()) == [dung.code]  # "00.31.h99-261120-…"


def test_an_id_number_is_found_whole_or_by_its_last_digits(desk_officer, dung, others):
    assert found(desk_officer, "045187004567") == [dung.code]
    assert found(desk_officer, "4567") == [dung.code]
    assert found(desk_officer, "1870045") == []  # the middle of a number is not a match
    assert found(desk_officer, "8700") == []


def test_search_stays_inside_the_box(desk_officer, specialist, dung, others):
    """After forwarding, the dossier is in the specialist's unit box, not in "mine"."""
    act(dung, "forward", desk_officer)
    assert found(specialist, "pham thi dung", box="unit") == [Dossier.objects.get(pk=dung.pk).code]
    assert found(specialist, "pham thi dung", box="mine") == []
    assert found(specialist, "nguyen van an") == []  # still at the desk


def test_an_outsiders_dossier_with_the_same_name_is_never_found(
    client, desk_officer, other_agency_officer, version, dung
):
    other_desk = other_agency_officer.memberships.get().desk
    theirs = receive(
        other_desk,
        version,
        at=vn(2026, 11, 20, 10),
        applicant=applicant(name="Phạm Thị Dung", id_number="045187004567"),
    )
    for query in ["pham thi dung", "4567", theirs.code]:
        assert theirs.code not in found(desk_officer, query), query
    assert found(other_agency_officer, "pham thi dung") == [theirs.code]
    assert found(other_agency_officer, dung.code) == []
    # Theirs is due first: a page of one is still the officer's own.
    Dossier.objects.filter(pk=theirs.pk).update(due_at=vn(2026, 11, 24, 8))
    result = inbox_search(actor=as_actor(desk_officer), box="unit", query="pham thi dung", limit=1)
    assert [d.code for d in result.rows] == [dung.code]
    client.force_login(desk_officer)
    page = client.get(reverse("dossiers:inbox"), {"q": "pham thi dung"})
    assert [d.code for d in page.context["dossiers"]] == [dung.code]
    assert theirs.code not in page.text and f"/{theirs.code}/" not in page.text


def test_the_page_searches_and_says_so_when_nothing_matches(client, desk_officer, dung, others):
    client.force_login(desk_officer)
    page = client.get(reverse("dossiers:inbox"), {"hop": "unit", "q": "pham thi dung"})
    assert [d.code for d in page.context["dossiers"]] == [dung.code]
    assert "1 hồ sơ khớp với «pham thi dung»" in page.text
    assert 'value="pham thi dung"' in page.text  # the field keeps what was typed
    empty = client.get(reverse("dossiers:inbox"), {"hop": "unit", "q": "le thi mai"})
    assert empty.context["dossiers"] == []
    assert "Không tìm thấy hồ sơ nào khớp với «le thi mai» trong hộp «Của đơn vị»" in empty.text
    assert "Không có hồ sơ nào trong hộp này" not in empty.text


def test_an_empty_or_blank_search_shows_the_whole_box(desk_officer, dung, others):
    assert inbox_match("   ") is None
    assert len(found(desk_officer, "  ")) == 3


def test_numbers_need_three_characters_and_names_none(desk_officer, version, desk):
    ann = receive(desk, version, applicant=applicant(name="Lê Thị An", id_number="045190000012"))
    assert found(desk_officer, "12") == []  # the ID number's last two digits
    assert found(desk_officer, "012") == [ann.code]
    assert found(desk_officer, "an") == [ann.code]  # a short name is a name
    assert found(desk_officer, "-.,") == []


def test_a_common_term_is_looked_for_among_the_earliest_due_and_the_page_says_so(
    client, desk_officer, version, desk, monkeypatch
):
    monkeypatch.setattr(search, "SELECTIVE_ROWS", 2)  # three An: too common for the index
    monkeypatch.setattr(search, "COMMON_SCAN_ROWS", 2)
    first, second, third = (receive(desk, version, at=vn(2026, 11, 20, h)) for h in (9, 10, 11))
    actor = as_actor(desk_officer)
    result = inbox_search(actor=actor, box="unit", query="nguyen van an", limit=2)
    assert ([d.code for d in result.rows], result.complete) == ([first.code, second.code], True)
    result = inbox_search(actor=actor, box="unit", query="nguyen van an", limit=3)
    assert ([d.code for d in result.rows], result.complete) == ([first.code, second.code], False)
    client.force_login(desk_officer)
    page = client.get(reverse("dossiers:inbox"), {"q": "nguyen van an"})
    assert "chỉ được tìm trong 2 hồ sơ đến hạn sớm nhất" in page.text
    # A rare term still finds the third, through the index.
    monkeypatch.setattr(search, "SELECTIVE_ROWS", 1000)
    assert found(desk_officer, third.code) == [third.code]


def test_search_query_count_does_not_grow_with_rows(
    client, version, desk, desk_officer, django_assert_max_num_queries
):
    client.force_login(desk_officer)
    receive(desk, version, at=vn(2026, 11, 9, 10))
    url = reverse("dossiers:inbox")
    with django_assert_max_num_queries(30) as few:
        page = client.get(url, {"q": "nguyen van an"})
    assert len(page.context["dossiers"]) == 1
    for hour in range(8, 16):
        receive(desk, version, at=vn(2026, 11, 10, hour))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url, {"q": "nguyen van an"})
    assert len(page.context["dossiers"]) == 9


def test_rows_carry_late_and_due_soon_badges(client, desk_officer, version, desk):
    from motcua import clock
    from motcua.workcalendar.calendar import add_working_time

    late = receive(desk, version, at=vn(2026, 11, 2, 10))  # due 5/11
    soon = receive(desk, version, at=vn(2026, 11, 20, 10))
    Dossier.objects.filter(pk=soon.pk).update(due_at=add_working_time(clock.now(), hours=4))
    later = receive(desk, version, at=vn(2026, 11, 23, 9))  # due in 3 working days
    rows = {d.code: d for d in inbox_page(actor=as_actor(desk_officer), box="unit", limit=50)}
    assert (rows[late.code].is_overdue, rows[late.code].due_soon) == (True, False)
    assert (rows[soon.code].is_overdue, rows[soon.code].due_soon) == (False, True)
    assert (rows[later.code].is_overdue, rows[later.code].due_soon) == (False, False)
    client.force_login(desk_officer)
    text = client.get(reverse("dossiers:inbox")).text
    assert text.count('class="badge late"') == 1 and text.count('class="badge soon"') == 1


def test_the_name_key_folds_every_vietnamese_letter():
    assert name_key("Đặng Văn GIANG, Cty TNHH-ABC") == " dang van giang cty tnhh abc"
    assert name_key(unicodedata.normalize("NFD", "Phạm Thị Dũng")) == " pham thi dung"
    assert name_key(None) is None


VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"


def test_the_database_folds_names_as_python_does(db):
    """The same key in SQL (PostgreSQL: migration 0006's function; SQLite: registered)."""
    words = [VIETNAMESE, VIETNAMESE.upper(), "Nguyễn  Thị-Ánh", "Ð Ł ß 01.2"]
    texts = words + [unicodedata.normalize("NFD", w) for w in words]
    with connection.cursor() as cursor:
        for text in texts:
            cursor.execute("SELECT motcua_name_key(%s)", [text])
            assert cursor.fetchone()[0] == name_key(text), text


def test_the_search_index_covers_exactly_the_inbox_statuses():
    migration = importlib.import_module("motcua.dossiers.migrations.0008_inbox_search")
    assert set(migration.INBOX_STATUSES) == {s.value for s in INBOX_STATUSES}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
@pytest.mark.parametrize(
    "query, columns",
    [
        ("pham thi", ["applicant_name_key", "upper((code)::text)"]),  # a space: no ID number
        ("h99-2611", ["applicant_name_key", "upper((code)::text)", "applicant_id_number"]),
        ("004567", ["applicant_name_key", "upper((code)::text)", "applicant_id_number"]),
    ],
)
def test_every_kind_of_search_can_use_the_index(db, query, columns):
    """Name, code and ID number each have a column of the trigram index, so a search is
    never a scan of the whole table (the planner picks it for a rare term at scale)."""
    qs = Dossier.objects.filter(inbox_match(query), status__in=INBOX_STATUSES)
    with connection.cursor() as cursor:  # in the test's transaction, rolled back after it
        for index in Dossier._meta.indexes:  # on an empty table these look as cheap
            if index.condition is not None:
                cursor.execute(f"DROP INDEX {index.name}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = qs.explain()
    assert "Seq Scan" not in plan, plan
    scans = plan.split("Bitmap Index Scan on dossier_inbox_search_idx")[1:]
    used = [scan.split("Index Cond: ")[1].split(" ~~")[0].strip("(") for scan in scans]
    assert [u.removesuffix(")::text") for u in used] == columns, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_a_term_the_planner_expects_often_skips_the_index(desk_officer, dung, monkeypatch, path):
    """Building the index's bitmap for a word in most names would cost more than the
    common path: the planner's estimate sends such a term there, even when it is wrong."""
    if path == "common":
        pytest.skip("the index path itself")
    assert search.index_candidates(inbox_match("pham thi dung")) == [dung.pk]
    monkeypatch.setattr(search, "_estimated_rows", lambda qs: search.SELECTIVE_ROWS)
    assert search.index_candidates(inbox_match("pham thi dung")) is None
    assert found(desk_officer, "pham thi dung") == [dung.code]  # by the common path


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_planner_knows_the_columns_of_a_box_go_together(db):
    """Without these, a box of 50,004 dossiers was taken for 1,546 and read whole."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxname, array(SELECT attname FROM pg_attribute "
            "WHERE attrelid = stxrelid AND attnum = ANY(stxkeys) ORDER BY attname) "
            "FROM pg_statistic_ext WHERE stxrelid = 'dossiers_dossier'::regclass"
        )
        stats = dict(cursor.fetchall())
    assert stats == {
        "dossier_unit_box_stats": ["current_role", "current_unit_id", "status"],
        "dossier_desk_box_stats": ["current_role", "receiving_desk_id", "status"],
        "dossier_agency_box_stats": ["current_role", "deciding_agency_id", "status"],
    }
