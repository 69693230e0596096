#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# clang-format (version 14, the one .clang-format is tuned for) over synack's
# C and C++ sources: the git-tracked *.c, *.h, *.cc under lib/, drivers/,
# app/ and tests/.
#   scripts/format.sh           reformat the files in place
#   scripts/format.sh --check   change nothing; list the files that differ,
#                               exit 1 if any does
# CLANG_FORMAT overrides the binary (default clang-format-14, else clang-format).
# Exit 77 (meson's skip) when there is no clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
case "${1:-}" in
--check) check=1 ;;
"") ;;
*)
	echo "usage: $0 [--check]" >&2
	exit 2
	;;
esac

cf=${CLANG_FORMAT:-}
if [ -z "$cf" ]; then
	if command -v clang-format-14 > /dev/null; then
		cf=clang-format-14
	else
		cf=clang-format
	fi
fi
if ! command -v "$cf" > /dev/null; then
	echo "$0: $cf not found (apt-get install clang-format-14)" >&2
	exit 77 # meson's skip: the lint test cannot run here
fi
case "$("$cf" --version)" in
*"version 14."*) ;;
*) echo "$0: warning: $("$cf" --version) is not clang-format 14; results may differ" >&2 ;;
esac

# git ls-files when in a checkout (ignores build trees), else find
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
	mapfile -t files < <(git ls-files -- 'lib/*.[ch]' 'drivers/*.[ch]' 'app/*.[ch]' \
		'tests/*.[ch]' 'tests/*.cc')
else
	mapfile -t files < <(find lib drivers app tests -name '*.[ch]' -o -name '*.cc' | sort)
fi

if [ "$check" -eq 0 ]; then
	"$cf" -i --style=file "${files[@]}"
	exit 0
fi

differ=0
for f in "${files[@]}"; do
	if ! "$cf" --style=file --dry-run -Werror "$f" > /dev/null 2>&1; then
		echo "$f"
		differ=1
	fi
done
if [ "$differ" -ne 0 ]; then
	echo "$0: the files above differ from .clang-format; run scripts/format.sh" >&2
fi
exit "$differ"
