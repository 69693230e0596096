/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 input on a port with [portN] ip6: what a host must do on the link
 * (RFC 4861 neighbour discovery for its addresses, RFC 4443 echo and the
 * messages it accepts and ignores). The wire checks are lib/net's
 * (net6.c); this file decides what to answer. Answers reuse the received
 * mbuf, so a flood of solicitations costs no allocation.
 */
#include <string.h>

#include <rte_mbuf.h>

#include "lib/stack/stack.h"

#define NA_FRAME_LEN (NET_ETH_HLEN + NET_IPV6_HLEN + NET_ND_HLEN + 8)
#define ANNOUNCE_MAX 16u /**< unsolicited NAs at start: the link-local + the first addresses */

static void
drop6(struct worker *w, struct rte_mbuf *m, int reason)
{
	stats_inc(&w->stats, (enum stats_id)reason);
	rte_pktmbuf_free(m);
}

/* Ethernet destination: ours, or an IPv6 multicast MAC (33:33:...): which
 * multicast addresses are ours net_ipv6_check decides. */
static bool
eth_dst_ok(const struct worker_port *wp, const uint8_t *d)
{
	return memcmp(d, wp->mac.addr_bytes, RTE_ETHER_ADDR_LEN) == 0 ||
	       (d[0] == 0x33 && d[1] == 0x33);
}

/* A solicitation for one of our addresses: the NA goes back in the same
 * mbuf, to the solicitor (its SLLA, else the frame's source MAC), or to
 * all-nodes when it came from the unspecified address (DAD, RFC 4861 7.2.4). */
static void
ns_input(struct worker *w, struct worker_port *wp, struct rte_mbuf *m, uint8_t *d,
	 const struct net_nd *nd)
{
	uint8_t *l3 = d + NET_ETH_HLEN;
	uint8_t peer[16];
	struct rte_ether_addr peer_mac;
	bool dad = net6_is_unspec(l3 + 8);

	if (!net6_is_ours(&wp->a6, nd->target, false)) {
		drop6(w, m, STAT_drop_ip6_not_us);
		return;
	}
	stats_inc(&w->stats, STAT_nd_ns_rx);
	memcpy(peer, l3 + 8, 16);
	if (nd->has_lladdr)
		peer_mac = nd->lladdr;
	else
		memcpy(peer_mac.addr_bytes, d + RTE_ETHER_ADDR_LEN, RTE_ETHER_ADDR_LEN);
	if (m->pkt_len < NA_FRAME_LEN && rte_pktmbuf_append(m, NA_FRAME_LEN - m->pkt_len) == NULL) {
		drop6(w, m, STAT_drop_pool_empty);
		return;
	}
	if (m->pkt_len > NA_FRAME_LEN)
		rte_pktmbuf_trim(m, m->pkt_len - NA_FRAME_LEN);
	d = rte_pktmbuf_mtod(m, uint8_t *);
	net_nd_na_build(d, &wp->mac, dad ? NULL : &peer_mac, nd->target, dad ? NULL : peer,
			nd->target, false);
	stats_inc(&w->stats, STAT_nd_na_tx);
	worker_tx(w, wp, m);
}

void
worker_input6(struct worker *w, struct worker_port *wp, struct rte_mbuf *m, uint8_t *d,
	      uint32_t len)
{
	uint8_t *l3 = d + NET_ETH_HLEN;
	struct net6_info info;
	struct net_nd nd;
	int r;

	if (!eth_dst_ok(wp, d)) {
		drop6(w, m, STAT_drop_eth_dst);
		return;
	}
	r = net_ipv6_check(l3, len - NET_ETH_HLEN, &wp->a6, &info);
	if (unlikely(r != 0)) {
		drop6(w, m, r);
		return;
	}
	if (info.proto == IPPROTO_TCP || info.proto == IPPROTO_UDP) {
		/* the transports take IPv6 as IPv4: the upper-layer header at
		 * l3 + l3_hlen, l3_len - l3_hlen bytes of it */
		struct worker_l4 *l4 = info.proto == IPPROTO_TCP ? &w->tcp : &w->udp;
		struct net_info ni = {
			.ethertype = RTE_ETHER_TYPE_IPV6,
			.l3_off = NET_ETH_HLEN,
			.l3_hlen = info.l4_off,
			.l3_len = (uint16_t)(info.l4_off + info.l4_len),
			.proto = info.proto,
		};
		if (l4->input == NULL || info.dst_mcast) {
			drop6(w, m, STAT_drop_ip_proto);
			return;
		}
		l4->input(w, wp, m, &ni, l4->ctx);
		return;
	}
	if (info.proto != IPPROTO_ICMPV6) {
		drop6(w, m, STAT_drop_ip_proto);
		return;
	}
	r = net_icmp6_check(l3, &info);
	if (unlikely(r != 0)) {
		drop6(w, m, r);
		return;
	}
	switch (l3[info.l4_off]) {
	case NET_ICMP6_ECHO_REQUEST: {
		uint32_t n;

		stats_inc(&w->stats, STAT_icmp6_echo_rx);
		if (unlikely(NET_IPV6_HLEN + (uint32_t)info.l4_len > wp->mtu)) {
			drop6(w, m, STAT_drop_too_big);
			return;
		}
		/* from a multicast destination the reply comes from our first
		 * global address, else the link-local */
		n = net_icmp6_echo_reply_inplace(d, NET_ETH_HLEN, &info, &wp->mac,
						 wp->a6.count != 0 ? wp->a6.base : wp->a6.ll);
		if (n < m->pkt_len)
			rte_pktmbuf_trim(m, m->pkt_len - n);
		stats_inc(&w->stats, STAT_icmp6_echo_reply_tx);
		worker_tx(w, wp, m);
		return;
	}
	case NET_ND_NS:
	case NET_ND_NA:
		r = net_nd_parse(l3, &info, &nd);
		if (r != 0) {
			drop6(w, m, r);
			return;
		}
		if (nd.type == NET_ND_NS) {
			if (wp->arp_quiet) { /* software dispatch: slot 0 answers */
				rte_pktmbuf_free(m);
				return;
			}
			ns_input(w, wp, m, d, &nd);
			return;
		}
		stats_inc(&w->stats, STAT_nd_na_rx);
		rte_pktmbuf_free(m);
		return;
	default:
		stats_inc(&w->stats, STAT_icmp6_ignored);
		rte_pktmbuf_free(m);
		return;
	}
}

static void
announce_one(struct worker *w, struct worker_port *wp, const uint8_t *a)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(w->pool);

	if (m == NULL) {
		stats_inc(&w->stats, STAT_drop_pool_empty);
		return;
	}
	uint32_t n = net_nd_na_build(rte_pktmbuf_mtod(m, uint8_t *), &wp->mac, NULL, a, NULL, a,
				     false);
	m->data_len = m->pkt_len = n;
	stats_inc(&w->stats, STAT_nd_na_tx);
	stats_inc(&w->stats, STAT_nd_na_unsol_tx);
	worker_tx(w, wp, m);
}

void
worker_announce6(struct worker *w, struct worker_port *wp)
{
	uint8_t a[16];

	announce_one(w, wp, wp->a6.ll);
	for (uint32_t i = 0; i < wp->a6.count && i < ANNOUNCE_MAX; i++) {
		net6_addr_add(wp->a6.base, i, a);
		announce_one(w, wp, a);
	}
}
