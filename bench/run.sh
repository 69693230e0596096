#!/bin/sh
# The scenarios are Python now (bench/run.py, bench/scenarios/); see bench/README.md.
exec python3 "$(dirname "$0")/run.py" "$@"
