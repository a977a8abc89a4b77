"""How well a procedure matches what a citizen typed: one plain function, ``search_rank``.

A query matches a procedure when **any** of its words starts a word of the procedure's name,
code or fields, diacritics optional ("khai sinh cho con" still finds "Đăng ký khai sinh").
The matches are then ranked, best first, by:

1. how many of the words are in the name — all of them first;
2. how many are anywhere (name, code, fields);
3. the name is the query; else the words form a phrase in it; else they come in order;
4. how many words match whole words (not the start of a longer one: "con" is "con" before
   it is "công");
5. how early in the name they are ("giay phep xay dung": "Cấp giấy phép xây dựng…" before
   "Gia hạn giấy phép xây dựng");
6. how short the name is (fewer other words);

and then in Vietnamese order of the name (``text.sort_key``). Everything works on text
folded once, when the version is saved (``search_name``, ``search_text``: lower-case ASCII
padded with spaces), so ranking a candidate is a few substring tests.
"""

from __future__ import annotations

from motcua.catalog.text import fold

#: Farther than any position in a name: "not found".
_NOWHERE = 1 << 30


class SearchQuery:
    """A query folded once: its distinct words in the order typed, and the patterns the
    ranking looks for in padded text."""

    __slots__ = ("exact", "phrase", "starts", "words")

    def __init__(self, text: str):
        self.words = tuple(dict.fromkeys(fold(text).split()))
        self.starts = tuple(f" {w}" for w in self.words)  # a word of the query starting one
        self.phrase = " " + " ".join(self.words)
        self.exact = self.phrase + " "

    def __bool__(self) -> bool:
        return bool(self.words)


def padded(text: str) -> str:
    """``text`` folded and padded with spaces, as ``search_name`` and ``search_text`` are."""
    return f" {fold(text)} "


def search_rank(query: SearchQuery, *, name: str, text: str) -> tuple[int, ...]:
    """The sort key of one procedure for ``query`` (smaller is better). ``name`` is its folded
    name and ``text`` its folded name, code and fields, both padded with spaces (``padded``).
    A procedure that matches none of the words is not a result at all (``matches``)."""
    starts = query.starts
    in_name = [s for s in starts if s in name]
    name_hits = len(in_name)
    text_hits = name_hits if name_hits == len(starts) else sum(s in text for s in starts)
    position = name.find(query.phrase)
    if name == query.exact:
        shape = 0
    elif position >= 0:
        shape = 1
    elif name_hits == len(starts) and _in_order(name, starts):
        shape = 2
    else:
        shape = 3
    if position < 0:
        position = min((name.find(s) for s in in_name), default=_NOWHERE)
    whole = sum(name.find(s + " ") >= 0 for s in in_name)
    return (-name_hits, -text_hits, shape, -whole, position, len(name))


def matches(query: SearchQuery, text: str) -> bool:
    """Whether any word of ``query`` starts a word of ``text`` (padded, folded)."""
    return any(s in text for s in query.starts)


def _in_order(name: str, starts: tuple[str, ...]) -> bool:
    at = 0
    for s in starts:
        at = name.find(s, at)
        if at < 0:
            return False
        at += len(s)
    return True
