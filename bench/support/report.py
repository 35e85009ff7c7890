"""Where a benchmark's figures go: its own marked section of docs/performance.md,
labelled with the commit they were measured on."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "performance.md"


def git_commit() -> str:
    """The short commit, and whether the working tree differed from it: a
    figure measured on uncommitted code must say so."""

    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip() if result.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    return commit


def write_section(section: str, *, start: str, end: str, intro: str = "# Performance\n") -> None:
    """Replace the text between ``start`` and ``end`` (markers included in
    ``section``), or append the section if the markers are not there yet, so
    each benchmark rewrites only its own figures."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else intro
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
