"""Regenerate the golden JSON of every fixture page; review the diff before committing.

PYTHONPATH=. python -m tests.regen_golden [name ...]
"""

from __future__ import annotations

import sys

from tests.golden import extract_case, golden_cases, write_expected


def main(names: list[str]) -> int:
    cases = golden_cases()
    for name in names or sorted(cases):
        path = write_expected(name, extract_case(name, cases[name]))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
