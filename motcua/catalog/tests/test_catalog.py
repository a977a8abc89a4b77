import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import procedure_search
from motcua.catalog.services import (
    CatalogImportError,
    catalog_export,
    catalog_import,
    procedure_draft_from_current,
    procedure_publish,
    read_catalog_file,
)
from motcua.catalog.tests.factories import procedure_record, publish
from motcua.catalog.text import fold
from motcua.spreadsheet import csv_safe, csv_unguard


def test_fold_strips_vietnamese_diacritics_and_keeps_codes():
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold("ĐĂNG KÝ  Khai-Sinh.") == "dang ky khai sinh"
    assert fold("Mã 1.001193, hộ tịch") == "ma 1.001193 ho tich"


@pytest.fixture
def catalog(levels):
    publish(
        procedure_record("1.001193", "Đăng ký khai sinh"),
        procedure_record("1.004884", "Đăng ký lại khai sinh"),
        procedure_record("1.000894", "Đăng ký kết hôn"),
        procedure_record("1.000656", "Đăng ký khai tử"),
        procedure_record("2.000635", "Cấp bản sao trích lục hộ tịch", fields=["Chứng thực"]),
        procedure_record(
            "9.000001", "Cấp giấy phép xây dựng", agency_levels=["huyen"], fields=["Xây dựng"]
        ),
    )


@pytest.mark.parametrize(
    "query",
    ["dang ky khai sinh", "khai sinh", "đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "1.001193"],
)
def test_search_finds_birth_registration_first(catalog, query):
    result = procedure_search(query=query)
    assert result.versions[0].name == "Đăng ký khai sinh"


def test_search_matches_any_word_with_every_word_first(catalog):
    names = [v.name for v in procedure_search(query="dang ky khai").versions]
    assert set(names[:3]) == {"Đăng ký khai sinh", "Đăng ký lại khai sinh", "Đăng ký khai tử"}
    assert names[3:] == ["Đăng ký kết hôn"]  # "đăng ký" only


def test_search_matches_word_starts_not_word_middles(catalog):
    assert procedure_search(query="inh").total == 0
    assert procedure_search(query="kha").total == 3


def test_search_filters_by_field_and_level(catalog):
    assert [v.procedure.code for v in procedure_search(field_code="xay-dung").versions] == [
        "9.000001"
    ]
    assert procedure_search(level_code="huyen").total == 1
    assert procedure_search(query="cap", level_code="xa").total == 1


def test_search_pages(catalog):
    first = procedure_search(query="dang ky", limit=2)
    second = procedure_search(query="dang ky", offset=2, limit=2)
    assert first.total == second.total == 4
    assert not {v.pk for v in first.versions} & {v.pk for v in second.versions}


def test_search_query_count_does_not_grow_with_results(catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        versions = procedure_search(query="dang ky").versions
        for v in versions:
            list(v.fields.all()), list(v.agency_levels.all()), list(v.fees.all())


def test_import_is_idempotent(levels):
    assert publish(procedure_record()).created == 1
    summary = publish(procedure_record())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)
    assert ProcedureVersion.objects.count() == 1


def test_changed_procedure_gets_a_new_version_and_keeps_the_old(levels):
    publish(procedure_record(processing_time="3"))
    first = Procedure.objects.get(code="1.001193").current_version
    assert publish(procedure_record(processing_time="5")).updated == 1
    procedure = Procedure.objects.get(code="1.001193")
    first.refresh_from_db()
    assert procedure.current_version.number == 2
    assert procedure.current_version.processing_time == 5
    assert first.status == ProcedureVersion.Status.SUPERSEDED
    assert first.processing_time == 3  # the old version is untouched


def test_step_budgets_may_not_exceed_processing_time(levels):
    record = procedure_record(processing_time="1")  # 8 working hours; the steps take 20
    with pytest.raises(CatalogImportError) as exc:
        publish(record)
    assert "vượt quá thời hạn giải quyết" in exc.value.errors[0][2]
    assert not Procedure.objects.exists()


def test_bad_file_is_reported_row_by_row_and_imports_nothing(levels):
    records = [
        procedure_record("1.000001", "Hợp lệ"),
        procedure_record("1.000002", "", agency_levels=["khong-co"]),
        procedure_record("1.000003", "Sai thời hạn", processing_time="ba ngày"),
        procedure_record("1.000001", "Trùng mã"),
    ]
    with pytest.raises(CatalogImportError) as exc:
        catalog_import(records=records)
    rows = {(row, message) for row, _, message in exc.value.errors}
    assert (2, "thiếu “name”.") in rows
    assert (2, "không có cấp hành chính mã “khong-co”.") in rows
    assert any(row == 3 and "processing_time" in message for row, message in rows)
    assert (4, "mã thủ tục trùng với dòng 1.") in rows
    assert not Procedure.objects.exists()


def test_calendar_day_time_must_be_whole(levels):
    with pytest.raises(CatalogImportError):
        publish(procedure_record(processing_time="1.5", time_unit="calendar_days", steps=[]))


def test_json_export_imports_back_unchanged(levels):
    publish(procedure_record(), procedure_record("2.000635", "Cấp bản sao trích lục"))
    exported = catalog_export()
    assert json.loads(exported)["format"] == "motcua-catalog/1"
    records = read_catalog_file(exported.encode(), filename="catalog.json")
    assert catalog_import(records=records).unchanged == 2


def test_csv_export_imports_back_unchanged(levels):
    publish(
        procedure_record(
            documents=[
                {"name": "Tờ khai, có dấu phẩy", "originals": 1, "copies": 2, "optional": True}
            ]
        ),
        procedure_record("2.000635", "Cấp bản sao trích lục", post_allowed=True),
    )
    exported = catalog_export(as_csv=True)
    records = read_catalog_file(exported.encode("utf-8-sig"), filename="catalog.csv")
    assert catalog_import(records=records).unchanged == 2


FORMULAS = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1", "-2", "'=already quoted"]


def test_csv_export_neutralises_formulas_and_imports_back_unchanged(levels):
    publish(
        procedure_record(
            name=FORMULAS[0],
            applicants=FORMULAS[1],
            result_document=FORMULAS[4],
            legal_basis="\tTab",
            documents=[{"name": FORMULAS[2], "originals": 1, "copies": 0}],
            steps=[{"name": FORMULAS[3], "role": "desk_officer", "budget_hours": "4"}],
        )
    )
    exported = catalog_export(as_csv=True)
    cells = [c for row in csv.reader(io.StringIO(exported)) for c in row]
    assert cells, exported
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
    records = read_catalog_file(exported.encode("utf-8-sig"), filename="catalog.csv")
    assert records[0]["name"] == FORMULAS[0] and records[0]["result_document"] == FORMULAS[4]
    assert records[0]["documents"][0]["name"] == FORMULAS[2]
    assert catalog_import(records=records).unchanged == 1


@pytest.mark.parametrize(
    "text", ["", "a", "'", "''", "'a", "=1", "'=1", "''=1", "-", "'-", "@", "\t", "x=1"]
)
def test_the_csv_guard_reads_back_exactly(text):
    assert csv_unguard(csv_safe(text)) == text
    assert not csv_safe(text).startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("as_csv", [False, True])
def test_post_allowed_is_imported_and_exported(levels, as_csv):
    publish(procedure_record(post_allowed=True), procedure_record("2.000635", "Cấp bản sao"))
    versions = {v.procedure.code: v for v in ProcedureVersion.objects.select_related("procedure")}
    assert versions["1.001193"].post_allowed and not versions["2.000635"].post_allowed
    exported = catalog_export(as_csv=as_csv)
    records = read_catalog_file(exported.encode(), filename="c.csv" if as_csv else "c.json")
    assert {r["code"]: r["post_allowed"] in (True, "1") for r in records} == {
        "1.001193": True,
        "2.000635": False,
    }
    records[0]["post_allowed"] = False if not as_csv else "0"  # 1.001193 no longer by post
    assert catalog_import(records=records).updated == 1
    procedure = Procedure.objects.get(code="1.001193")
    assert not procedure.current_version.post_allowed


def test_import_command_reports_errors_and_exits_nonzero(levels, tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"procedures": [procedure_record(code="")]}), encoding="utf-8")
    with pytest.raises(CommandError, match="Không nhập gì"):
        call_command("import_catalog", str(path))
    assert "Dòng 1" in capsys.readouterr().err
    assert not Procedure.objects.exists()


def test_import_command_refuses_broken_json(levels, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path))


def test_only_a_draft_can_be_published_and_drafts_copy_the_current_version(levels):
    publish(procedure_record())
    procedure = Procedure.objects.get()
    with pytest.raises(ValidationError, match="bản nháp"):
        procedure_publish(version=procedure.current_version)
    draft = procedure_draft_from_current(procedure=procedure)
    assert draft.status == ProcedureVersion.Status.DRAFT
    assert draft.steps.count() == 3 and draft.documents.count() == 1
    procedure_publish(version=draft)
    procedure.refresh_from_db()
    assert procedure.current_version == draft
    assert ProcedureVersion.objects.filter(status="published").count() == 1


def test_publishing_checks_step_budgets_again(levels):
    publish(procedure_record())
    draft = procedure_draft_from_current(procedure=Procedure.objects.get())
    draft.processing_time = 1
    draft.save()
    with pytest.raises(ValidationError, match="vượt quá"):
        procedure_publish(version=draft)
