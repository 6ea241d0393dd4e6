"""Summarise a `mutmut run` (``make mutate``): mutants, killed, survived per rule module.

Reads the ``.meta`` files mutmut leaves under ``mutants/`` and prints a Markdown table
for docs/testing.md, then every surviving mutant's name (``mutmut show NAME`` shows it).
A mutant that no test reaches ("no tests") counts as a survivor: the rule is untested.
"""

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[2] / "mutants"


def main() -> int:
    metas = sorted(ROOT.rglob("*.py.meta"))
    if not metas:
        print("No mutmut results under mutants/: run `make mutate` first.")
        return 1
    print("| module | mutants | killed | survived | no tests | timeout | not run | killed % |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    survivors = []
    for meta in metas:
        module = str(meta.relative_to(ROOT)).removesuffix(".meta")
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        counts = Counter(status_by_exit_code[code] for code in codes.values())
        killed = counts["killed"] + counts["caught by type check"]
        live = counts["survived"] + counts["no tests"]
        done = killed + live + counts["timeout"]
        share = f"{100 * (killed + counts['timeout']) / done:.0f} %" if done else "–"
        print(f"| {module} | {len(codes)} | {killed} | {counts['survived']} | "
              f"{counts['no tests']} | {counts['timeout']} | {counts['not checked']} | {share} |")
        survivors += [name for name, code in codes.items()
                      if status_by_exit_code[code] in ("survived", "no tests")]
    print(f"\n{len(survivors)} surviving mutants:")
    for name in survivors:
        print(" ", name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
