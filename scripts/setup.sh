#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install the Debian packages synack and every one of its tests need (only
# the missing ones) and configure + build it into build/. Root on Debian 12.
# Safe to run again. With CI set, the build is configured with -Werror.
#
# Every tool a test calls is listed here: a test whose tool is missing
# would skip, and under CI (scripts/test.sh) a skip is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(
	# build
	dpdk libdpdk-dev meson ninja-build pkg-config gcc g++ libnuma-dev libgtest-dev
	libpcap-dev libbsd-dev libelf-dev libxdp-dev libbpf-dev zlib1g-dev libcjson-dev libjansson-dev
	# the fuzz build and the tc BPF programs of the tests (clang -target bpf
	# needs linux/*.h from linux-libc-dev and bpf/*.h from libbpf-dev)
	clang libclang-rt-14-dev linux-libc-dev
	# the harness (tests/integration/harness.py, lib.sh) and the Scapy tests
	python3 python3-scapy
	# deploy/kubernetes: the manifests checked against the Kubernetes models, offline
	python3-kubernetes python3-yaml
	# namespaces, veths, offloads, tc, ss, nstat; timeout, sha256sum, gzip
	iproute2 iputils-ping ethtool coreutils gzip procps
	# kernel peers and clients: curl, wrk, ab, tshark, iperf3, socat, nginx, h2load
	curl wrk apache2-utils tshark iperf3 socat nginx nghttp2-client
	# lint (meson test --suite lint: shellcheck, clang_format) and bench's instruction counts
	shellcheck clang-format valgrind
	# the metrics endpoint's tests: promtool check metrics and a real Prometheus server
	prometheus
	# stock dpdk-telemetry.py, the telemetry test's client
	dpdk-dev
	# the HTML report's render check (report_ring; ~1 min, ~300 MB to install)
	chromium
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: missing packages: ${missing[*]} -- run as root (apt-get install)" >&2
		exit 2
	fi
	echo "setup: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# The tests start nginx (and the rest) themselves, in their namespaces:
	# no package may start a system service (nginx on port 80 of this
	# machine). policy-rc.d 101 = "action not allowed" for invoke-rc.d; it
	# is removed again afterwards unless it was there before.
	prc=/usr/sbin/policy-rc.d
	made_prc=""
	if [ ! -e "$prc" ]; then
		printf '#!/bin/sh\n# scripts/setup.sh: no service starts during the install\nexit 101\n' >"$prc"
		chmod 755 "$prc"
		made_prc=1
	fi
	# tshark's debconf question (may non-root users capture): no
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		debconf-set-selections 2>/dev/null || true
	rc=0
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } || rc=$?
	[ -n "$made_prc" ] && rm -f "$prc"
	[ "$rc" -eq 0 ] || { echo "setup: apt-get failed ($rc)" >&2; exit "$rc"; }
	# systemd-less machines honour policy-rc.d; where systemd started it
	# anyway, stop it and keep it from starting at boot.
	if dpkg-query -W -f='${Status}' nginx 2>/dev/null | grep -q 'install ok installed'; then
		if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
			systemctl stop nginx || true
			systemctl disable nginx >/dev/null 2>&1 || true
		fi
	fi
fi

# nginx's workers run as www-data (client_nginx.sh); Debian's nginx
# package creates it, a minimal image may not have it.
if [ "$(id -u)" -eq 0 ] && ! id www-data >/dev/null 2>&1; then
	useradd --system --no-create-home --shell /usr/sbin/nologin www-data
fi

opts=()
if [ -n "${CI:-}" ]; then
	opts+=(-Dwerror=true)
fi
if [ ! -f build/build.ninja ]; then
	meson setup build "${opts[@]}" >/dev/null
elif [ ${#opts[@]} -gt 0 ]; then
	# an existing build dir follows CI's options too
	meson configure build "${opts[@]}" >/dev/null
fi
if ! nice ninja -C build >build/setup-ninja.log 2>&1; then
	tail -n 60 build/setup-ninja.log
	echo "setup: build failed (build/setup-ninja.log)" >&2
	exit 1
fi
echo "setup: built build/app/synack/synack${CI:+ (CI: -Werror)}"
