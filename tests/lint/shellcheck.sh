#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Lint: run shellcheck over every shell script of the tree -- scripts/,
# tests/ and bench/ (any depth; a directory without shell files is fine).
# Run from the source root (meson's workdir). Exit 0 clean, 1 findings,
# 77 shellcheck not installed (scripts/setup.sh installs it; under CI a
# skip is a failure).
set -euo pipefail
shopt -s globstar nullglob

command -v shellcheck >/dev/null 2>&1 || { echo "SKIP: shellcheck not installed"; exit 77; }
files=(scripts/*.sh tests/**/*.sh bench/**/*.sh)
if [ ${#files[@]} -eq 0 ]; then
	echo "FAIL: no shell script found (not run from the source root?)"
	exit 1
fi
echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p') on ${#files[@]} files"
# -x: follow the "# shellcheck source=" directives (lib.sh)
if shellcheck -x "${files[@]}"; then
	echo "PASS: shellcheck clean: ${files[*]}"
	exit 0
fi
echo "FAIL: shellcheck findings above"
exit 1
