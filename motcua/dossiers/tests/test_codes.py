"""Dossier codes (SPEC §5)."""

import pytest
from django.db import connection

from motcua.agencies.models import Agency
from motcua.dossiers import codes

SERIALS = [1, 2, 9998, 9999, 10000, 10001, 99999, 9999 * 26, 9999 * 26 + 1, 9999 * 676 + 5]


@pytest.mark.parametrize("code_format", list(Agency.CodeFormat))
def test_a_serial_reads_back_from_its_text(code_format):
    agency = Agency(code="X", dossier_code_format=code_format)
    within = [s for s in SERIALS if s <= 676 * 9999]  # past ZZ9999 the letters wrap
    assert [codes.serial_parse(agency, codes.serial_text(agency, s)) for s in within] == within


def test_serial_texts():
    standard = Agency(code="X", dossier_code_format="standard")
    national = Agency(code="X", dossier_code_format="national")
    assert (
        codes.serial_text(standard, 7) == "0007" and codes.serial_text(standard, 10000) == "10000"
    )
    assert codes.serial_text(national, 1) == "AA0001"
    assert codes.serial_text(national, 10000) == "AB0001"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL code expression is PostgreSQL's"
)
@pytest.mark.parametrize("code_format", list(Agency.CodeFormat))
def test_the_code_made_in_sql_equals_the_code_made_in_python(db, code_format):
    agency = Agency(code="X", dossier_code_format=code_format)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {codes.serial_sql(agency, 's')} FROM unnest(%s::int[]) WITH ORDINALITY "
            "AS t(s, n) ORDER BY n",
            [SERIALS],
        )
        from_sql = [row[0] for row in cursor.fetchall()]
    assert from_sql == [codes.serial_text(agency, s) for s in SERIALS]
