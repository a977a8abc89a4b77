"""Sum up `mutmut results` per rule module: killed, survived, not covered (README's figure)."""

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

LINE = re.compile(r"^\s*(?P<name>[\w.]+)__mutmut_\d+: (?P<state>[\w ]+)$")


def main(path: str) -> None:
    counts: dict[str, Counter] = defaultdict(Counter)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        match = LINE.match(line)
        if match:
            module = match["name"].rsplit(".", 1)[0]
            counts[module][match["state"].strip()] += 1
    if not counts:
        print("Không đọc được kết quả mutmut.")
        sys.exit(1)
    print(f"{'module':45} {'survived':>9} {'no tests':>9} {'other':>6}")
    for module, c in sorted(counts.items()):
        other = sum(n for s, n in c.items() if s not in ("survived", "no tests"))
        print(f"{module:45} {c['survived']:>9} {c['no tests']:>9} {other:>6}")


if __name__ == "__main__":
    main(sys.argv[1])
