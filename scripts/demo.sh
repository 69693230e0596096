#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The main job on the embedded default: two workers in one process joined by
# an in-process net_ring pair; no NIC, no hugepages needed. Extra arguments
# go to synack (e.g. --set run.duration=3s).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/app/synack/synack -c config/demo.ini "$@"
