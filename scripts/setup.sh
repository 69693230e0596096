#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install the Debian packages synack needs (only the missing ones) and
# configure + build it into build/. Root on Debian 12. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(dpdk libdpdk-dev meson ninja-build pkg-config gcc g++ libnuma-dev libgtest-dev
	libpcap-dev libbsd-dev libelf-dev libxdp-dev libbpf-dev zlib1g-dev libcjson-dev
	python3 python3-scapy iproute2 iputils-ping ethtool clang libclang-rt-14-dev
	curl wrk apache2-utils tshark iperf3)

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
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f build/build.ninja ]; then
	meson setup build >/dev/null
fi
ninja -C build >/dev/null
echo "setup: built build/app/synack/synack"
