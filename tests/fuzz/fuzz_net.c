/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for lib/net: arbitrary bytes go through the input path
 * exactly as a worker runs it -- net_eth_check, then net_arp_check or
 * net_ipv4_check, then net_icmp_check -- with a fixed MAC and address
 * (02:00:00:00:00:02, 198.18.0.2). What validates is answered the way the
 * stack answers it, on a copy sized exactly like the frame (so ASan sees any
 * write past it), and the answer must validate from the peer's side:
 *   - an ARP frame for us: net_arp_build reply, checked as the peer checks it;
 *   - an ICMP echo request: net_icmp_echo_reply_inplace, then the reply must
 *     pass net_eth_check/net_ipv4_check/net_icmp_check with the peer's
 *     address and be an echo reply.
 * IPv6 frames (ethertype 0x86dd; the stack's Ethernet check does not take
 * them yet) go through net_ipv6_check with the harness's addresses
 * (2001:2::2 + its link-local), net_icmp6_check and net_nd_parse: an echo
 * request is answered in place and an NS for us with a built NA, and both
 * answers must validate from the peer's side; the offsets reported must lie
 * inside the frame.
 * A drop reason outside the drop_* ids, or an answer that does not validate,
 * aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/net/net.h"

#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, \
				#cond); \
			abort(); \
		} \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct rte_ether_addr fuzz_mac = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};
#define FUZZ_IP RTE_BE32(UINT32_C(0xc6120002)) /* 198.18.0.2 */

static void
fuzz_drop_ok(int r, int first, int last)
{
	FUZZ_ASSERT(r >= first && r <= last);
}

static void
fuzz_arp(const uint8_t *arp)
{
	struct rte_ether_addr sha;
	struct net_info info;
	rte_be32_t sip;
	uint8_t reply[NET_ETH_MIN_FRAME];
	uint32_t n;

	memcpy(&sha, arp + offsetof(struct rte_arp_hdr, arp_data.arp_sha), sizeof(sha));
	memcpy(&sip, arp + offsetof(struct rte_arp_hdr, arp_data.arp_sip), sizeof(sip));
	n = net_arp_build(reply, RTE_ARP_OP_REPLY, &fuzz_mac, FUZZ_IP, &sha, sip);
	FUZZ_ASSERT(n == NET_ETH_MIN_FRAME);
	memset(&info, 0, sizeof(info));
	FUZZ_ASSERT(net_eth_check(reply, n, &sha, &info) == 0);
	FUZZ_ASSERT(info.ethertype == RTE_ETHER_TYPE_ARP);
	FUZZ_ASSERT(net_arp_check(reply + info.l3_off, n - info.l3_off, sip, 1) == 0);
}

static void
fuzz_echo_reply(const uint8_t *frame, size_t size, const struct net_info *info)
{
	struct rte_ether_addr peer_mac;
	struct net_info rinfo;
	rte_be32_t peer_ip;
	uint8_t *copy;
	const uint8_t *ip;

	copy = malloc(size);
	FUZZ_ASSERT(copy != NULL);
	memcpy(copy, frame, size);
	memcpy(&peer_mac, frame + offsetof(struct rte_ether_hdr, src_addr), sizeof(peer_mac));
	memcpy(&peer_ip, frame + info->l3_off + offsetof(struct rte_ipv4_hdr, src_addr),
	       sizeof(peer_ip));

	net_icmp_echo_reply_inplace(copy, info, &fuzz_mac);

	memset(&rinfo, 0, sizeof(rinfo));
	FUZZ_ASSERT(net_eth_check(copy, size, &peer_mac, &rinfo) == 0);
	ip = copy + rinfo.l3_off;
	FUZZ_ASSERT(net_ipv4_check(ip, size - rinfo.l3_off, peer_ip, 1, &rinfo) == 0);
	FUZZ_ASSERT(rinfo.l3_hlen == info->l3_hlen && rinfo.l3_len == info->l3_len);
	FUZZ_ASSERT(rinfo.proto == IPPROTO_ICMP);
	FUZZ_ASSERT(net_icmp_check(ip + rinfo.l3_hlen, rinfo.l3_len - rinfo.l3_hlen) == 0);
	FUZZ_ASSERT(ip[rinfo.l3_hlen] == RTE_IP_ICMP_ECHO_REPLY);
	free(copy);
}

static const uint8_t fuzz_ip6[16] = {0x20, 0x01, 0x00, 0x02, [15] = 0x02}; /* 2001:2::2 */

static void
fuzz_ours6(struct net6_addrs *o, const uint8_t *base, const struct rte_ether_addr *mac)
{
	net6_addrs_init(o, base, 1, mac);
}

/* The answer (frame of n bytes) from the peer's side: addresses src of the
 * request, MAC peer_mac; it must validate as ICMPv6 of type want. */
static void
fuzz_ip6_answer(const uint8_t *frame, uint32_t n, const uint8_t *peer_ip,
		const struct rte_ether_addr *peer_mac, uint8_t want)
{
	struct net6_addrs po;
	struct net6_info ri;
	const uint8_t *ip = frame + NET_ETH_HLEN;

	if (net6_is_unspec(peer_ip))
		return; /* DAD: answered to all-nodes, not checked here */
	fuzz_ours6(&po, peer_ip, peer_mac);
	FUZZ_ASSERT(n > NET_ETH_HLEN);
	if (net6_is_ours(&po, ip + 8, false))
		return; /* the frame came from our own MAC: the peer's link-local is ours */
	FUZZ_ASSERT(net_ipv6_check(ip, n - NET_ETH_HLEN, &po, &ri) == 0);
	FUZZ_ASSERT(ri.proto == 58 && ri.nb_ext == 0);
	FUZZ_ASSERT(net_icmp6_check(ip, &ri) == 0);
	FUZZ_ASSERT(ip[ri.l4_off] == want);
}

static void
fuzz_ipv6(const uint8_t *data, uint32_t len)
{
	const uint8_t *l3 = data + NET_ETH_HLEN;
	uint32_t l3_len = len - NET_ETH_HLEN;
	struct net6_addrs ours;
	struct net6_info info;
	struct rte_ether_addr peer_mac;
	uint8_t peer_ip[16];
	int r;

	fuzz_ours6(&ours, fuzz_ip6, &fuzz_mac);
	r = net_ipv6_check(l3, l3_len, &ours, &info);
	if (r != 0) {
		FUZZ_ASSERT((r >= STAT_drop_ip6_short && r <= STAT_drop_ip6_src) ||
			    r == STAT_drop_ip_proto);
		return;
	}
	FUZZ_ASSERT(info.l4_off >= NET_IPV6_HLEN && info.nb_ext <= NET_IPV6_EXT_MAX);
	FUZZ_ASSERT((uint32_t)info.l4_off + info.l4_len <= l3_len);
	if (info.proto != 58)
		return;
	r = net_icmp6_check(l3, &info);
	if (r != 0) {
		fuzz_drop_ok(r, STAT_drop_icmp6_short, STAT_drop_icmp6_type);
		return;
	}
	memcpy(&peer_mac, data + offsetof(struct rte_ether_hdr, src_addr), sizeof(peer_mac));
	memcpy(peer_ip, l3 + 8, 16);
	if (l3[info.l4_off] == NET_ICMP6_ECHO_REQUEST) {
		uint8_t *copy = malloc(len);
		uint32_t n;

		FUZZ_ASSERT(copy != NULL);
		memcpy(copy, data, len);
		n = net_icmp6_echo_reply_inplace(copy, NET_ETH_HLEN, &info, &fuzz_mac, fuzz_ip6);
		FUZZ_ASSERT(n <= len);
		fuzz_ip6_answer(copy, n, peer_ip, &peer_mac, NET_ICMP6_ECHO_REPLY);
		free(copy);
	} else if (l3[info.l4_off] == NET_ND_NS || l3[info.l4_off] == NET_ND_NA) {
		struct net_nd nd;
		uint8_t na[NET_ETH_HLEN + NET_IPV6_HLEN + NET_ND_HLEN + 8];
		uint32_t n;

		r = net_nd_parse(l3, &info, &nd);
		if (r != 0) {
			FUZZ_ASSERT(r == STAT_drop_nd_bad);
			return;
		}
		FUZZ_ASSERT(!net6_is_mcast(nd.target));
		if (nd.type != NET_ND_NS || !net6_is_ours(&ours, nd.target, false))
			return;
		n = net_nd_na_build(na, &fuzz_mac, nd.has_lladdr ? &nd.lladdr : &peer_mac,
				    nd.target, peer_ip, nd.target, false);
		FUZZ_ASSERT(n == sizeof(na));
		fuzz_ip6_answer(na, n, peer_ip, nd.has_lladdr ? &nd.lladdr : &peer_mac, NET_ND_NA);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_info info;
	const uint8_t *l3;
	uint32_t len, l3_len;
	int r;

	if (size > UINT16_MAX)
		return 0;
	len = (uint32_t)size;
	if (len >= NET_ETH_HLEN && data[12] == 0x86 && data[13] == 0xdd) {
		fuzz_ipv6(data, len);
		return 0;
	}
	memset(&info, 0, sizeof(info));
	r = net_eth_check(data, len, &fuzz_mac, &info);
	if (r != 0) {
		fuzz_drop_ok(r, STAT_drop_eth_short, STAT_drop_eth_dst);
		return 0;
	}
	FUZZ_ASSERT(info.l3_off == NET_ETH_HLEN);
	l3 = data + info.l3_off;
	l3_len = len - info.l3_off;

	if (info.ethertype == RTE_ETHER_TYPE_ARP) {
		r = net_arp_check(l3, l3_len, FUZZ_IP, 1);
		if (r != 0) {
			fuzz_drop_ok(r, STAT_drop_arp_short, STAT_drop_arp_not_us);
			return 0;
		}
		fuzz_arp(l3);
		return 0;
	}

	FUZZ_ASSERT(info.ethertype == RTE_ETHER_TYPE_IPV4);
	r = net_ipv4_check(l3, l3_len, FUZZ_IP, 1, &info);
	if (r != 0) {
		fuzz_drop_ok(r, STAT_drop_ip_short, STAT_drop_ip_src);
		return 0;
	}
	FUZZ_ASSERT(info.l3_hlen >= NET_IPV4_HLEN && info.l3_hlen <= info.l3_len &&
		    info.l3_len <= l3_len);
	if (info.proto != IPPROTO_ICMP)
		return 0;
	r = net_icmp_check(l3 + info.l3_hlen, info.l3_len - info.l3_hlen);
	if (r != 0) {
		fuzz_drop_ok(r, STAT_drop_icmp_short, STAT_drop_icmp_type);
		return 0;
	}
	if (l3[info.l3_hlen] == RTE_IP_ICMP_ECHO_REQUEST)
		fuzz_echo_reply(data, size, &info);
	return 0;
}
