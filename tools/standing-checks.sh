#!/usr/bin/env bash
# The project's standing checks, run by the test command before it builds:
# - the repository stands alone: no tracked file refers to a folder beside it (the shared design
#   folder, a developer's work tree) — a fresh clone in an empty folder must build, test and run;
# - build outputs and Package.resolved are not tracked;
# - the Swift sources keep the style of .swift-format (`swift format lint --strict`).
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
fail() { echo "standing check: $*" >&2; status=1; }

# Spelled in pieces so that this script does not match itself.
outside="\.\./shar""ed|/wo""rk/|shar""ed/data"
if hits=$(git grep -nE "$outside" -- . ':!LICENSE' 2>/dev/null); then
  fail "tracked files refer to paths outside the repository (keep what the project uses inside it):"
  echo "$hits" >&2
fi
if git ls-files --error-unmatch Package.resolved >/dev/null 2>&1; then
  fail "Package.resolved is tracked: remove it (it is in .gitignore)"
fi
if [ -n "$(git ls-files '.build*' | head -1)" ]; then
  fail "a build folder (.build*) is tracked: remove it (it is in .gitignore)"
fi
if ! swift format lint --strict -r Sources Tests Package.swift; then
  fail "swift format lint found style problems: run 'swift format format -i -r Sources Tests Package.swift'"
fi
[ "$status" -eq 0 ] && echo "standing checks: ok" >&2
exit "$status"
