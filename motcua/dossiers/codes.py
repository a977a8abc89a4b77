"""Dossier codes (SPEC §5): ``{agency code}-{YYMMDD}-{serial}``, or the national services'
``…-YYMMDD-AAXXXX`` as a per-agency format.

The serial restarts each day per agency and comes from a counter row keyed by the code's own
``YYMMDD`` (``DossierCodeCounter``), taken under a row lock — or bumped inside the receipt's
single statement on PostgreSQL (``services.receipt``), where ``serial_sql`` writes the same
text as ``serial_text`` (a test holds the two equal). A code is never given twice, whatever
the input: a clash with a code that got into the table some other way (an import) moves
the counter past it (``counter_repair``) and the receipt tries again.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier, DossierCodeCounter
from motcua.workcalendar.calendar import to_local

NATIONAL = Agency.CodeFormat.NATIONAL
BLOCK = 9999  # serials per two-letter block in the national format (AA0001…AA9999, AB0001…)


def code_spellings(text: str) -> tuple[str, str]:
    """The codes a typed one may name: as typed (trimmed) and in capitals — codes are written
    in capitals (``000.01.31.H50-261123-0001``) and a phone's keyboard types ``h50``."""
    text = text.strip()
    return text, text.upper()


def code_day(day: date) -> str:
    return f"{day:%y%m%d}"


def code_prefix(agency: Agency, day: date) -> str:
    return f"{agency.code}-{code_day(day)}-"


def serial_text(agency: Agency, serial: int) -> str:
    if agency.dossier_code_format == NATIONAL:
        block, number = divmod(serial - 1, BLOCK)
        letters = chr(65 + block // 26 % 26) + chr(65 + block % 26)
        return f"{letters}{number + 1:04d}"
    return f"{serial:04d}"


def serial_sql(agency: Agency, serial: str) -> str:
    """``serial_text`` as an SQL expression over the column ``serial`` (PostgreSQL's integer
    division; ``%%`` because the statement has parameters)."""
    if agency.dossier_code_format == NATIONAL:
        block = f"(({serial} - 1) / {BLOCK})"
        return (
            f"chr(65 + {block} / 26 %% 26) || chr(65 + {block} %% 26) || "
            f"lpad((({serial} - 1) %% {BLOCK} + 1)::text, 4, '0')"
        )
    return f"CASE WHEN {serial} < 10000 THEN lpad({serial}::text, 4, '0') ELSE {serial}::text END"


def serial_parse(agency: Agency, text: str) -> int | None:
    """The serial that ``serial_text`` writes as ``text`` (None if it could not have)."""
    if agency.dossier_code_format == NATIONAL:
        match = re.fullmatch(r"([A-Z])([A-Z])(\d{4})", text)
        if not match:
            return None
        block = (ord(match[1]) - 65) * 26 + ord(match[2]) - 65
        return block * BLOCK + int(match[3])
    # Not str.isdigit(): "²".isdigit() is true and int("²") raises.
    return int(text) if re.fullmatch(r"[0-9]+", text) else None


def code_allocate(*, agency: Agency, received_at: datetime) -> str:
    """The next code of ``agency`` for the day of ``received_at``, under the counter row's
    lock (held until the caller's transaction ends)."""
    day = code_day(to_local(received_at).date())
    DossierCodeCounter.objects.bulk_create(
        [DossierCodeCounter(agency=agency, code_day=day, last=0)], ignore_conflicts=True
    )
    counter = DossierCodeCounter.objects.select_for_update().get(agency=agency, code_day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{agency.code}-{day}-" + serial_text(agency, counter.last)


def counter_repair(*, agency: Agency, received_at: datetime) -> int:
    """Move the day's counter past every code of that day already in the table (a code put
    there by an import, say), so the next allocation cannot clash. Returns the new last."""
    day = code_day(to_local(received_at).date())
    prefix = f"{agency.code}-{day}-"
    taken = [
        serial_parse(agency, code.removeprefix(prefix))
        for code in Dossier.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    ]
    highest = max([s for s in taken if s is not None], default=0)
    DossierCodeCounter.objects.bulk_create(
        [DossierCodeCounter(agency=agency, code_day=day, last=0)], ignore_conflicts=True
    )
    counter = DossierCodeCounter.objects.select_for_update().get(agency=agency, code_day=day)
    if counter.last < highest:
        counter.last = highest
        counter.save(update_fields=["last"])
    return counter.last
