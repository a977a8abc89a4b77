"""The printed ticket's page sizes are valid CSS (css-page-3 ``size``): a browser drops an
invalid declaration, and the printer then gets A4 or Letter. (tinycss2 comes with WeasyPrint.)"""

from pathlib import Path

import pytest
import tinycss2

STATIC = Path(__file__).resolve().parents[1] / "static" / "tickets"
KEYWORDS = {"a5", "a4", "a3", "b5", "b4", "jis-b5", "jis-b4", "letter", "legal", "ledger"}


def page_sizes(path: Path) -> list[list]:
    """The value tokens of every ``size`` declaration in the file's ``@page`` rules."""
    sizes = []
    for rule in tinycss2.parse_stylesheet(path.read_text(), skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "page":
            for declaration in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True):
                if declaration.type == "declaration" and declaration.lower_name == "size":
                    sizes.append([t for t in declaration.value if t.type != "whitespace"])
    return sizes


def valid_size(tokens) -> bool:
    if all(t.type == "dimension" and t.lower_unit in {"mm", "cm", "in", "pt", "px"}
           and t.value > 0 for t in tokens):  # fmt: skip
        return 1 <= len(tokens) <= 2
    words = [t.lower_value for t in tokens if t.type == "ident"]
    if len(words) != len(tokens):
        return False
    if words == ["auto"]:
        return True
    return len(words) <= 2 and all(w in KEYWORDS | {"portrait", "landscape"} for w in words)


@pytest.mark.parametrize(("name", "width"), [("ticket.css", 80), ("ticket-58.css", 58)])
def test_the_ticket_page_size_is_valid_css_for_its_roll(name, width):
    sizes = page_sizes(STATIC / name)
    assert len(sizes) == 1 and valid_size(sizes[0]), tinycss2.serialize(sizes[0])
    assert sizes[0][0].value == width and sizes[0][0].lower_unit == "mm"
