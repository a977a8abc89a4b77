"""Folding Vietnamese text for search: "Đăng ký khai sinh" and "dang ky khai sinh" meet."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z.]+")
_LONE_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")


def strip_diacritics(text: str) -> str:
    """``text`` without Vietnamese diacritics, case kept: "Đăng ký" → "Dang ky"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case ASCII words of ``text``: diacritics stripped, đ → d, punctuation to spaces.
    A dot between digits stays, so a procedure code such as ``1.001193`` remains one word."""
    stripped = strip_diacritics(text.lower())
    return " ".join(_LONE_DOT.sub(" ", _NON_WORD.sub(" ", stripped)).split())
