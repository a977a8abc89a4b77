"""Finding a dossier in an inbox: by its code, its applicant's name (diacritics optional) or
the applicant's ID number. Only ever a filter on an inbox the officer already sees
(``selectors.inbox_search``): a search never widens what ``access`` lets them see.

- code: case-insensitive, any part of at least 3 characters ("h12-261123", "0007");
- name: every word typed starts a word of the applicant's name, diacritics and case ignored
  ("nguyen van", "Dung", "thi dung" all find "Phạm Thị Dung");
- ID number (or tax code): the whole number or its last digits, at least 3 ("4567").

How it stays fast with a million dossiers (ADR 0015): the folded name is a stored column,
``Dossier.applicant_name_key``, computed by the database (``motcua_name_key``); on PostgreSQL
a trigram index over that key, the code and the ID number covers only the dossiers in someone's
inbox. A term the planner expects in fewer than ``SELECTIVE_ROWS`` of them is looked up in
that index (``index_candidates``); a commoner one ("nguyen") is looked for among the
earliest-due ``COMMON_SCAN_ROWS`` dossiers of the box, in due order, where it is found at
once; the page says when that left some unseen.
"""

from __future__ import annotations

import json
import re
from functools import reduce
from operator import and_

from django.db import connection
from django.db.models import F, Func, Q, TextField

from motcua.catalog.text import strip_diacritics

#: Longer input is cut here: no name, code or ID number is longer.
QUERY_MAX_LENGTH = 100
#: A code or ID number is matched from this many characters (fewer would match too much and
#: give the trigram index nothing to look up).
MIN_NUMBER_LENGTH = 3
#: A term found in fewer inbox dossiers than this is looked up in the index.
SELECTIVE_ROWS = 1000
#: A commoner term is looked for among this many of the box's earliest-due dossiers.
COMMON_SCAN_ROWS = 2000

NAME_KEY_FUNCTION = "motcua_name_key"
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def name_key(text: str | None) -> str | None:
    """A space, then ``text`` in lower-case ASCII with every run of other characters made one
    space: "Phạm Thị Dung" → " pham thi dung". A word typed starts a word of the name when
    " " + word is in the key. The SQL function of migration 0006 gives the same string."""
    if text is None:
        return None
    return " " + _NOT_WORD.sub(" ", strip_diacritics(text).lower())


class NameKey(Func):
    """``motcua_name_key(expression)`` in SQL (``name_key``)."""

    function = NAME_KEY_FUNCTION
    output_field = TextField()


def name_key_of(field: str) -> NameKey:
    return NameKey(F(field))


def inbox_match(query: str) -> Q | None:
    """The dossiers ``query`` finds, as a filter; None when there is nothing to search for."""
    text = query.strip()[:QUERY_MAX_LENGTH]
    if not text:
        return None
    words = name_key(text).split()
    found = (
        reduce(and_, (Q(applicant_name_key__contains=" " + word) for word in words))
        if words
        else Q(pk__in=[])  # punctuation only: no name matches
    )
    if len(text) >= MIN_NUMBER_LENGTH:
        found |= Q(code__icontains=text)
        if " " not in text:
            found |= Q(applicant_id_number__endswith=text)
    return found


def index_candidates(match: Q) -> list[int] | None:
    """The ids of every inbox dossier ``match`` finds, when they are fewer than
    ``SELECTIVE_ROWS``; None for a commoner term.

    On PostgreSQL the planner's estimate decides first: a term it expects in most names
    ("nguoi") would cost more to look up in the trigram index (~140 ms to build its bitmap
    over 200,000 inbox dossiers) than the common path. An estimate too low (words of a name
    go together) costs at most ``SELECTIVE_ROWS`` rows before this gives up. SQLite has no
    such index: a SQLite deployment is one commune's, and the query reads its table."""
    from motcua.dossiers.models import INBOX_CONDITION, Dossier

    qs = Dossier.objects.filter(INBOX_CONDITION).filter(match).values_list("pk", flat=True)
    if connection.vendor == "postgresql" and _estimated_rows(qs) >= SELECTIVE_ROWS:
        return None
    ids = list(qs[:SELECTIVE_ROWS])
    return ids if len(ids) < SELECTIVE_ROWS else None


def _estimated_rows(qs) -> float:
    return json.loads(qs.explain(format="json"))[0]["Plan"]["Plan Rows"]


def register_sqlite_function(sender=None, connection=None, **kwargs) -> None:
    """Give a SQLite connection ``motcua_name_key`` (PostgreSQL has it from migration 0006).
    Connected to ``connection_created`` by the app's ``ready``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(NAME_KEY_FUNCTION, 1, name_key, deterministic=True)
