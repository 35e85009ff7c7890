"""Audit every pinned package in uv.lock for known vulnerabilities (``make lint``).

pip-audit reads the lock file's exported requirements (exact versions and
hashes, no resolution) and asks PyPI's vulnerability data for each. Known
findings that were triaged are listed, with the reason, in
docs/security-findings.md: their ids (the first column of the "Dependencies"
table) are passed to pip-audit as ignored. Any other finding fails.

A machine that cannot reach PyPI's per-release JSON (a closed network) cannot
audit anything: pip-audit then reports every package as "could not be
audited". That is printed loudly and fails only when
``HEARTH_DEPENDENCY_AUDIT_REQUIRED=1`` (set it where the network allows), so
a closed build machine does not fail every lint on something it cannot check
and does not pretend it checked either.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FINDINGS = ROOT / "docs" / "security-findings.md"


def triaged_ids() -> list[str]:
    """Vulnerability ids in the first column of the "Dependencies" table."""
    text = FINDINGS.read_text(encoding="utf-8")
    section = text.split("## Dependencies", 1)[-1].split("\n## ", 1)[0]
    return re.findall(r"^\|\s*((?:PYSEC|GHSA|CVE|OSV)-[\w-]+)\s*\|", section, flags=re.MULTILINE)


def main() -> int:
    """``audit_dependencies.py <requirements exported from uv.lock>`` (the Makefile
    exports them with ``uv export --frozen``, so the versions are the lock's)."""
    requirements = sys.argv[1]
    command = [
        sys.executable, "-m", "pip_audit", "--requirement", requirements,
        "--no-deps", "--disable-pip", "--format", "json", "--progress-spinner", "off",
    ]  # fmt: skip
    for vulnerability in triaged_ids():
        command += ["--ignore-vuln", vulnerability]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        print(result.stdout, result.stderr, sep="\n")
        return 1
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    found = [(d["name"], d["version"], v) for d in dependencies for v in d.get("vulns", [])]
    for name, version, vulnerability in found:
        fixes = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed release"
        print(f"VULNERABLE {name} {version}: {vulnerability['id']} (fixed in {fixes})")
    audited = len(dependencies) - len(skipped)
    print(f"pip-audit: {audited} of {len(dependencies)} locked packages audited, "
          f"{len(found)} untriaged finding(s), {len(triaged_ids())} triaged.")  # fmt: skip
    if found:
        print(f"Triage each in {FINDINGS.relative_to(ROOT)} or upgrade the package.")
        return 1
    if dependencies and audited == 0:
        print("NOT AUDITED: PyPI's vulnerability data cannot be reached from this machine.")
        return 1 if os.environ.get("HEARTH_DEPENDENCY_AUDIT_REQUIRED") == "1" else 0
    return 0 if result.returncode in (0, 1) and not found else result.returncode


if __name__ == "__main__":
    sys.exit(main())
