"""Cells written for spreadsheet software (CSV exports): never read back as formulas."""

#: A cell starting with one of these is read as a formula by Excel, LibreOffice or Google
#: Sheets (CSV injection, OWASP): such a cell is written with a leading apostrophe, which
#: they show as text and do not evaluate.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

GUARD = "'"


def _needs_guard(text: str) -> bool:
    # A text that already starts with apostrophes before a formula start gets one more, so
    # that ``csv_unguard`` can tell a guard from the text's own apostrophe.
    return text.lstrip(GUARD).startswith(FORMULA_STARTS)


def csv_safe(value) -> str:
    text = "" if value is None else str(value)
    return GUARD + text if _needs_guard(text) else text


def csv_unguard(text: str) -> str:
    """The cell ``csv_safe`` was given, from what it wrote (for importers of our own CSV):
    ``csv_unguard(csv_safe(x)) == x`` for every text ``x``."""
    if text.startswith(GUARD) and _needs_guard(text[1:]):
        return text[1:]
    return text
