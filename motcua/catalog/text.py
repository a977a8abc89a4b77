"""Vietnamese text for search and sorting: "Đăng ký khai sinh" and "dang ky khai sinh" meet
(``fold``), and lists sort as a Vietnamese reader expects, Đ after D (``sort_key``)."""

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


# --- Vietnamese order ----------------------------------------------------------------------

#: The Vietnamese alphabet, with f, j, w, z (foreign words) where Latin puts them.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
#: Tones in dictionary order (ngang, huyền, hỏi, ngã, sắc, nặng): a secondary difference,
#: so "ma, mà, mả, mã, má, mạ" — and "mạ" still before "mai".
TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
#: Marks that make another letter of the alphabet: ă â ê ô ơ ư.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# Each letter becomes one ASCII character whose code order is the alphabet's order: digits
# ("0"–"9") before letters ("A"…"Z", then "a"…), a word break ("!") before both, and the end
# of the letters (" ", in ``sort_key``) before everything, so "An" comes before "An Bình".
_LETTER_CODE = {
    letter: chr(ord("A") + i) if i < 26 else chr(ord("a") + i - 26)
    for i, letter in enumerate(ALPHABET)
}
_WORD_BREAK = "!"


def _letters(text: str):
    """(letter, tone digit) for each character of ``text``, lower-cased; a letter with its
    marks is one letter (ệ → ("ê", "5")); anything not a letter or digit is a word break."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    i = 0
    while i < len(decomposed):
        base = decomposed[i]
        i += 1
        tone = "0"
        while i < len(decomposed) and unicodedata.combining(decomposed[i]):
            mark = decomposed[i]
            if mark in TONES:
                tone = TONES[mark]
            else:
                base = _LETTER_MARKS.get((base, mark), base)
            i += 1
        yield base, tone


def sort_key(text: str) -> str:
    """A string that sorts ``text`` in Vietnamese order when compared code point by code
    point (Python's ``sorted``, SQLite's BINARY, PostgreSQL's "C" collation): letters in the
    order of the Vietnamese alphabet (a ă â b c d đ e ê …), then each word's tone, case
    ignored. A word has one tone wherever it is written, so "hoá" and "hóa" sort as one."""
    primary, tones = [], []
    tone = "0"
    for char, mark in _letters(text):
        if char in _LETTER_CODE or char.isalnum():
            # our letters by the alphabet; digits and other scripts by code point, digits
            # first and other scripts after ours
            primary.append(_LETTER_CODE.get(char, char))
            tone = max(tone, mark)
        elif primary and primary[-1] != _WORD_BREAK:
            primary.append(_WORD_BREAK)
            tones.append(tone)
            tone = "0"
    if primary and primary[-1] == _WORD_BREAK:
        primary.pop()
    elif primary:
        tones.append(tone)
    return "".join(primary) + " " + "".join(tones)
