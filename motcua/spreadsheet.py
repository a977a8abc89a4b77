"""Cells written for spreadsheet software (CSV exports): never read back as formulas."""

#: A cell starting with one of these is read as a formula by Excel, LibreOffice or Google
#: Sheets (CSV injection, OWASP): such a cell is written with a leading apostrophe, which
#: they show as text and do not evaluate.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
