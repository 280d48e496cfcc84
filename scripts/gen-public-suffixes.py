#!/usr/bin/env python3
"""Writes prm-core/src/conflicts/domain/public_suffixes.txt: the public suffix list's rules
(ICANN and private sections), as prm's domain extraction reads them.

Source: the copy of Mozilla's list in the `structured-public-domains` crate at the version
Cargo.lock pins (that crate is the reference `conflicts/domain/psl.rs` is tested against), found
in cargo's registry. Each rule is written with its labels reversed (`co.uk` -> `uk.co`), the
rules sorted by their UTF-8 bytes, and each line front-coded: its first character is
chr(0x20 + n), n the number of leading bytes it shares with the line before (cut back to a
character boundary), followed by the rest of the rule. The file is ~76 KB and gzips to ~34 KB,
against 114 KB (56 KB gzip) for the crate's trie.

    python3 scripts/gen-public-suffixes.py            # rewrite the file
"""

import glob
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "prm-core" / "src" / "conflicts" / "domain" / "public_suffixes.txt"


def pinned_version() -> str:
    lock = (ROOT / "Cargo.lock").read_text()
    m = re.search(r'name = "structured-public-domains"\nversion = "([^"]+)"', lock)
    if not m:
        sys.exit("structured-public-domains is not in Cargo.lock")
    return m.group(1)


def main() -> None:
    version = pinned_version()
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    found = glob.glob(f"{home}/registry/src/*/structured-public-domains-{version}/data/public_suffix_list.dat")
    if not found:
        sys.exit(f"structured-public-domains {version} is not in cargo's registry: run `cargo fetch` first")
    rules = set()
    for line in open(found[0], encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        rules.add(".".join(reversed(line.lstrip(".").lower().split("."))))
    out, prev = [], ""
    for rule in sorted(rules, key=lambda r: r.encode()):
        n = 0
        while n < min(len(rule), len(prev)) and rule[n] == prev[n]:
            n += 1
        shared = len(rule[:n].encode())
        if shared > 0x5E:
            sys.exit(f"a rule shares more than 94 bytes with the one before: {rule}")
        out.append(chr(0x20 + shared) + rule[n:])
        prev = rule
    OUT.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(out)} rules from structured-public-domains {version}")


if __name__ == "__main__":
    main()
