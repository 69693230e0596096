/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker loop and the L2/L3 input path: Ethernet -> ARP | IPv4 -> ICMP.
 * Every frame is either handed on, turned into a reply in place, or counted
 * under exactly one named reason and freed. TX goes through a per-port batch
 * flushed when full and once at the end of every loop iteration.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_hash.h>
#include <rte_prefetch.h>

#include "drivers/port.h"
#include "lib/net/net.h"
#include "capture.h"
#include "stack.h"

#define PREFETCH_AHEAD 3

void
worker_init(struct worker *w, unsigned int id, struct rte_mempool *pool, volatile bool *stop,
	    uint32_t arp_retries, uint32_t arp_timeout_ms)
{
	w->id = id;
	w->pool = pool;
	w->stop = stop;
	w->hz = rte_get_tsc_hz();
	w->now = rte_rdtsc();
	w->next_timer = w->now;
	w->arp_retries = arp_retries ? arp_retries : 1;
	w->arp_timeout = w->hz / 1000 * (arp_timeout_ms ? arp_timeout_ms : 1);
}

int
worker_app_add(struct worker *w, const struct app_class *cls, void *obj, bool bounded)
{
	struct worker_app *a;

	if (w->nb_apps == WORKER_MAX_APPS)
		return -ENOSPC;
	a = &w->apps[w->nb_apps];
	a->cls = cls;
	a->obj = obj;
	a->bounded = bounded;
	a->done = false;
	if (cls->poll != NULL) {
		w->polls[w->nb_polls].fn = cls->poll;
		w->polls[w->nb_polls].obj = obj;
		w->nb_polls++;
	}
	return w->nb_apps++;
}

bool
worker_busy(const struct worker *w)
{
	for (unsigned int i = 0; i < w->nb_apps; i++)
		if (w->apps[i].bounded && !w->apps[i].done)
			return true;
	return false;
}

struct worker_port *
worker_add_port(struct worker *w, uint16_t port_id, uint16_t queue, uint8_t index, uint8_t role,
		const struct rte_ether_addr *mac, uint32_t ip, uint8_t prefix, uint32_t gateway,
		uint16_t mtu, uint32_t offloads, uint32_t neigh_max)
{
	char name[RTE_HASH_NAMESIZE];

	if (w->nb_ports >= WORKER_MAX_PORTS) {
		errno = ENOSPC;
		return NULL;
	}
	struct worker_port *wp = &w->port[w->nb_ports];
	memset(wp, 0, sizeof(*wp));
	wp->port_id = port_id;
	wp->queue = queue;
	wp->index = index;
	wp->role = role;
	wp->mac = *mac;
	wp->ip = rte_cpu_to_be_32(ip);
	wp->ip_n = 1;
	wp->netmask = rte_cpu_to_be_32(prefix == 0 ? 0 : (uint32_t)(~0ULL << (32 - prefix)));
	wp->gateway = rte_cpu_to_be_32(gateway);
	wp->mtu = mtu ? mtu : RTE_ETHER_MTU;
	wp->offloads = offloads;
	snprintf(name, sizeof(name), "nb_w%u_p%u", w->id, w->nb_ports);
	wp->neigh = neigh_create(name, neigh_max, (int)rte_socket_id());
	if (wp->neigh == NULL)
		return NULL;
	w->nb_ports++;
	return wp;
}

int
worker_rss_init(struct worker_rss *r, const uint8_t *key, unsigned int key_len,
		const uint16_t *reta, unsigned int reta_size)
{
	uint32_t words[WORKER_RSS_KEY_MAX / 4];

	if (key == NULL || reta == NULL || key_len < 16 || key_len % 4 != 0 ||
	    key_len > WORKER_RSS_KEY_MAX || reta_size == 0 || reta_size > WORKER_RETA_MAX)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	memset(words, 0, sizeof(words));
	memcpy(words, key, key_len);
	rte_convert_rss_key(words, r->key, (int)key_len);
	memcpy(r->reta, reta, sizeof(r->reta[0]) * reta_size);
	r->reta_size = (uint16_t)reta_size;
	return 0;
}

/* Free the frames still in r, then r (NULL: nothing). */
static void
ring_drain_free(struct rte_ring *r)
{
	struct rte_mbuf *m[WORKER_BURST];
	unsigned int n;

	if (r == NULL)
		return;
	while ((n = rte_ring_dequeue_burst(r, (void **)m, WORKER_BURST, NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);
	rte_ring_free(r);
}

void
worker_free(struct worker *w)
{
	for (unsigned int i = 0; i < w->nb_ports; i++) {
		struct worker_port *wp = &w->port[i];
		rte_pktmbuf_free_bulk(wp->tx, wp->tx_n);
		wp->tx_n = 0;
		neigh_free(wp->neigh);
		wp->neigh = NULL;
		ring_drain_free(wp->rx_ring);
		ring_drain_free(wp->tx_ring);
		wp->rx_ring = wp->tx_ring = NULL;
		if (wp->disp != NULL) {
			/* slot 0: the other slots' rings are theirs to free */
			memset(wp->disp, 0, sizeof(*wp->disp));
			wp->disp = NULL;
		}
	}
	w->nb_ports = 0;
}

/*
 * Offer n frames to the port; returns how many it took. On a port with TSO
 * the frames first go through rte_eth_tx_prepare: the virtio PMD's prepare
 * is where the pseudo-header sum of a TSO frame gets the length virtio
 * expects (virtio_tso_fix_cksum), others check the offload flags. A frame
 * prepare refuses is dropped with the rest of the batch (drop_tx_prepare);
 * *n becomes the count offered.
 */
static inline uint16_t
port_tx(struct worker *w, struct worker_port *wp, struct rte_mbuf **b, uint16_t *n)
{
	if (unlikely(wp->offloads & PORT_OFF_TSO)) {
		uint16_t ok = rte_eth_tx_prepare(wp->port_id, wp->queue, b, *n);

		if (unlikely(ok < *n)) {
			stats_add(&w->stats, STAT_drop_tx_prepare, *n - ok);
			rte_pktmbuf_free_bulk(&b[ok], *n - ok);
			*n = ok;
		}
	}
	uint16_t sent = rte_eth_tx_burst(wp->port_id, wp->queue, b, *n);

	/* an impairment TX callback took some frames out of the burst (held or
	 * dropped, now its own): only the rest were offered to the port */
	if (unlikely(wp->tx_taken != NULL))
		*n -= *wp->tx_taken;
	return sent;
}

void
worker_flush(struct worker *w, struct worker_port *wp)
{
	uint16_t n = wp->tx_n;
	if (unlikely(w->cap != NULL))
		capture_burst(w->cap, wp->port_id, wp->queue, wp->tx, n, 2, w->now);
	uint16_t sent = wp->tx_ring != NULL ? (uint16_t)rte_ring_enqueue_burst(
						      wp->tx_ring, (void **)wp->tx, n, NULL)
					    : port_tx(w, wp, wp->tx, &n);
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < sent; i++)
		bytes += wp->tx[i]->pkt_len;
	stats_add(&w->stats, STAT_tx_pkts, sent);
	stats_add(&w->stats, STAT_tx_bytes, bytes);
	if (unlikely(sent < n)) {
		stats_add(&w->stats, STAT_drop_tx_full, n - sent);
		rte_pktmbuf_free_bulk(&wp->tx[sent], n - sent);
	}
	wp->tx_n = 0;
}

void
worker_tx(struct worker *w, struct worker_port *wp, struct rte_mbuf *m)
{
	wp->tx[wp->tx_n++] = m;
	if (unlikely(wp->tx_n == WORKER_TX_BATCH))
		worker_flush(w, wp);
}

void
worker_send_ip(struct worker *w, struct worker_port *wp, struct rte_mbuf *m, rte_be32_t dst)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	rte_be32_t nh = worker_next_hop(wp, dst);
	int r;

	if (unlikely(nh == 0)) {
		stats_inc(&w->stats, STAT_drop_no_route);
		rte_pktmbuf_free(m);
		return;
	}
	eh->src_addr = wp->mac;
	r = neigh_resolve(w, wp, nh, &eh->dst_addr);
	if (likely(r == 0))
		worker_tx(w, wp, m);
	else if (r == -EAGAIN)
		neigh_queue(w, wp, nh, m);
	else
		rte_pktmbuf_free(m); /* table full: counted by the table */
}

static inline void
drop(struct worker *w, struct rte_mbuf *m, int reason)
{
	stats_inc(&w->stats, (enum stats_id)reason);
	rte_pktmbuf_free(m);
}

/* RFC 826 "Packet Reception", with the usual modern reading: learn the sender
 * when we are the target (or refresh an entry we already have), answer
 * requests for our address in place. */
static void
arp_input(struct worker *w, struct worker_port *wp, struct rte_mbuf *m, uint8_t *d, uint32_t len)
{
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(d + NET_ETH_HLEN);
	int r;

	stats_inc(&w->stats, STAT_arp_rx);
	r = net_arp_check(d + NET_ETH_HLEN, len - NET_ETH_HLEN, wp->ip, wp->ip_n);
	if (r != 0) {
		if (r == STAT_drop_arp_not_us && arp->arp_data.arp_sip != 0 &&
		    !worker_ip_is_ours(wp, arp->arp_data.arp_sip))
			neigh_learn(w, wp, arp->arp_data.arp_sip, &arp->arp_data.arp_sha, false);
		drop(w, m, r);
		return;
	}
	rte_be32_t sip = arp->arp_data.arp_sip;
	rte_be32_t tip = arp->arp_data.arp_tip; /* one of ours (checked) */
	if (sip != 0 && !worker_ip_is_ours(wp, sip))
		neigh_learn(w, wp, sip, &arp->arp_data.arp_sha, true);
	if (arp->arp_opcode == rte_cpu_to_be_16(RTE_ARP_OP_REQUEST) && wp->arp_quiet) {
		/* software dispatch: every worker got a copy, slot 0 answers */
		rte_pktmbuf_free(m);
		return;
	}
	if (arp->arp_opcode == rte_cpu_to_be_16(RTE_ARP_OP_REQUEST)) {
		struct rte_ether_hdr *eh = (struct rte_ether_hdr *)d;

		arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
		arp->arp_data.arp_tha = arp->arp_data.arp_sha;
		arp->arp_data.arp_tip = sip;
		arp->arp_data.arp_sha = wp->mac;
		arp->arp_data.arp_sip = tip;
		eh->dst_addr = arp->arp_data.arp_tha;
		eh->src_addr = wp->mac;
		stats_inc(&w->stats, STAT_arp_reply_tx);
		worker_tx(w, wp, m);
		return;
	}
	stats_inc(&w->stats, STAT_arp_reply_rx);
	rte_pktmbuf_free(m);
}

static void
icmp_input(struct worker *w, struct worker_port *wp, struct rte_mbuf *m, uint8_t *d,
	   const struct net_info *ni)
{
	uint8_t *icmp = d + ni->l3_off + ni->l3_hlen;
	uint32_t ilen = ni->l3_len - ni->l3_hlen;
	int r = net_icmp_check(icmp, ilen);

	if (r != 0) {
		drop(w, m, r);
		return;
	}
	if (icmp[0] == RTE_IP_ICMP_ECHO_REQUEST) {
		stats_inc(&w->stats, STAT_icmp_echo_rx);
		if (unlikely(ni->l3_len > wp->mtu)) {
			drop(w, m, STAT_drop_too_big);
			return;
		}
		/* Trim Ethernet padding: the reply is as long as the request. */
		uint32_t flen = RTE_MAX((uint32_t)(ni->l3_off + ni->l3_len), NET_ETH_MIN_FRAME);
		if (flen < m->pkt_len)
			rte_pktmbuf_trim(m, m->pkt_len - flen);
		net_icmp_echo_reply_inplace(d, ni, &wp->mac);
		stats_inc(&w->stats, STAT_icmp_echo_reply_tx);
		worker_tx(w, wp, m);
		return;
	}
	/* echo reply: to every application that wants them (ping) */
	bool taken = false;
	for (unsigned int i = 0; i < w->nb_apps; i++) {
		const struct worker_app *a = &w->apps[i];

		if (a->cls->icmp_reply != NULL) {
			a->cls->icmp_reply(w, wp, icmp, ilen, a->obj);
			taken = true;
		}
	}
	if (!taken) {
		drop(w, m, STAT_drop_icmp_type);
		return;
	}
	rte_pktmbuf_free(m);
}

/*
 * A two-segment IPv4 TCP frame whose first segment holds exactly the
 * Ethernet, IPv4 and TCP headers -- what a zero-copy sender (synack itself
 * across a net_ring link) hands over -- is taken as it is: the checks read
 * the headers from the first segment and the lengths from pkt_len, and TCP
 * finds the payload in the second (worker_l4 input contract). Any other
 * chain is linearised.
 */
static inline bool
split_tcp(const struct rte_mbuf *m)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t h = rte_pktmbuf_data_len(m), ihl;

	if (m->nb_segs != 2 || h < NET_ETH_HLEN + NET_IPV4_HLEN + 20 || d[12] != 0x08 ||
	    d[13] != 0x00 || d[NET_ETH_HLEN + 9] != IPPROTO_TCP)
		return false;
	ihl = (uint32_t)(d[NET_ETH_HLEN] & 0x0f) * 4;
	if (NET_ETH_HLEN + ihl + 20 > h)
		return false;
	return h == NET_ETH_HLEN + ihl + (uint32_t)(d[NET_ETH_HLEN + ihl + 12] >> 4) * 4;
}

void
worker_input(struct worker *w, struct worker_port *wp, struct rte_mbuf *m)
{
	struct net_info ni;
	uint8_t *d;
	uint32_t len;
	int r;

	len = rte_pktmbuf_data_len(m);
	if (unlikely(m->nb_segs > 1)) {
		if (split_tcp(m))
			len = rte_pktmbuf_pkt_len(m);
		else if (rte_pktmbuf_linearize(m) == 0)
			len = rte_pktmbuf_data_len(m);
		else {
			drop(w, m, STAT_drop_multiseg);
			return;
		}
	}
	d = rte_pktmbuf_mtod(m, uint8_t *);
	if (unlikely(wp->has_ip6) && len >= NET_ETH_HLEN && d[12] == 0x86 && d[13] == 0xdd) {
		worker_input6(w, wp, m, d, len);
		return;
	}
	r = net_eth_check(d, len, &wp->mac, &ni);
	if (unlikely(r != 0)) {
		drop(w, m, r);
		return;
	}
	if (ni.ethertype == RTE_ETHER_TYPE_ARP) {
		arp_input(w, wp, m, d, len);
		return;
	}
	r = net_ipv4_check(d + ni.l3_off, len - ni.l3_off, wp->ip, wp->ip_n, &ni);
	if (unlikely(r != 0)) {
		drop(w, m, r);
		return;
	}
	switch (ni.proto) {
	case IPPROTO_ICMP:
		icmp_input(w, wp, m, d, &ni);
		break;
	case IPPROTO_TCP:
		if (w->tcp.input == NULL)
			goto no_proto;
		w->tcp.input(w, wp, m, &ni, w->tcp.ctx);
		break;
	case IPPROTO_UDP:
		if (w->udp.input == NULL)
			goto no_proto;
		w->udp.input(w, wp, m, &ni, w->udp.ctx);
		break;
no_proto:
	default:
		drop(w, m, STAT_drop_ip_proto);
		break;
	}
}

int
worker_frame_slot(const struct rte_mbuf *m, unsigned int nb)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m);
	uint16_t et;
	uint32_t ihl;

	if (unlikely(len < NET_ETH_HLEN + 20))
		return len >= NET_ETH_HLEN && d[12] == 0x08 && d[13] == 0x06 ? -1 : 0;
	et = (uint16_t)(d[12] << 8 | d[13]);
	if (et == RTE_ETHER_TYPE_ARP)
		return -1;
	if (et == RTE_ETHER_TYPE_IPV6 && nb > 1) {
		/* TCP/UDP right after the fixed header (a chain of extension
		 * headers goes to slot 0, which drops what it cannot take) */
		d += NET_ETH_HLEN;
		if ((d[6] != IPPROTO_TCP && d[6] != IPPROTO_UDP) ||
		    len < NET_ETH_HLEN + NET_IPV6_HLEN + 4)
			return 0;
		uint16_t sp, dp;
		memcpy(&sp, d + NET_IPV6_HLEN, 2);
		memcpy(&dp, d + NET_IPV6_HLEN + 2, 2);
		return (int)worker_flow_slot(
			worker_flow_hash(net6_fold(d + 8), net6_fold(d + 24), sp, dp), nb);
	}
	if (et != RTE_ETHER_TYPE_IPV4 || nb <= 1)
		return 0;
	d += NET_ETH_HLEN;
	ihl = (uint32_t)(d[0] & 0x0f) * 4;
	if ((d[9] != IPPROTO_TCP && d[9] != IPPROTO_UDP) || ihl < 20 ||
	    len < NET_ETH_HLEN + ihl + 4 || ((d[6] & 0x3f) | d[7]) != 0)
		return 0; /* not TCP/UDP, short, or a fragment (MF or offset) */
	uint32_t sip, dip;
	uint16_t sp, dp;
	memcpy(&sip, d + 12, 4);
	memcpy(&dip, d + 16, 4);
	memcpy(&sp, d + ihl, 2);
	memcpy(&dp, d + ihl + 2, 2);
	return (int)worker_flow_slot(worker_flow_hash(sip, dip, sp, dp), nb);
}

/* Slot 0 of a dispatch port: keep our share of pkts (compacted in place,
 * returned count), hand the rest to the other workers' RX rings. */
static uint16_t
disp_spread(struct worker *w, struct worker_port *wp, struct rte_mbuf **pkts, uint16_t n)
{
	struct worker_disp *dp = wp->disp;
	struct rte_mbuf *out[WORKER_DISP_MAX][WORKER_BURST];
	uint16_t no[WORKER_DISP_MAX];
	uint16_t keep = 0;

	memset(no, 0, sizeof(no[0]) * dp->nb);
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		int s = worker_frame_slot(m, dp->nb);

		if (s < 0) {
			for (unsigned int k = 1; k < dp->nb; k++) {
				struct rte_mbuf *c = rte_pktmbuf_copy(m, w->pool, 0, UINT32_MAX);
				if (c != NULL)
					out[k][no[k]++] = c;
				else
					stats_inc(&w->stats, STAT_drop_pool_empty);
			}
			s = 0;
		}
		if (s == 0)
			pkts[keep++] = m;
		else
			out[s][no[s]++] = m;
	}
	for (unsigned int k = 1; k < dp->nb; k++) {
		if (no[k] == 0)
			continue;
		unsigned int q = rte_ring_enqueue_burst(dp->rx[k], (void **)out[k], no[k], NULL);
		if (unlikely(q < no[k])) {
			stats_add(&w->stats, STAT_drop_dispatch_full, no[k] - q);
			rte_pktmbuf_free_bulk(&out[k][q], no[k] - q);
		}
	}
	return keep;
}

/* Slot 0 of a dispatch port: send what the other workers queued. */
static void
disp_drain_tx(struct worker *w, struct worker_port *wp)
{
	struct worker_disp *dp = wp->disp;
	struct rte_mbuf *b[WORKER_TX_BATCH];

	for (unsigned int k = 1; k < dp->nb; k++) {
		unsigned int n = rte_ring_dequeue_burst(dp->tx[k], (void **)b, WORKER_TX_BATCH,
							NULL);
		if (n == 0)
			continue;
		uint16_t nb = (uint16_t)n;
		uint16_t sent = port_tx(w, wp, b, &nb);
		if (unlikely(sent < nb)) {
			stats_add(&w->stats, STAT_drop_tx_full, nb - sent);
			rte_pktmbuf_free_bulk(&b[sent], nb - sent);
		}
	}
}

void
worker_poll_once(struct worker *w)
{
	worker_poll_once_at(w, rte_rdtsc());
}

void
worker_poll_once_at(struct worker *w, uint64_t now)
{
	struct rte_mbuf *pkts[WORKER_BURST];

	w->now = now;
	for (unsigned int p = 0; p < w->nb_ports; p++) {
		struct worker_port *wp = &w->port[p];
		uint16_t n;
		uint64_t bytes = 0;

		if (wp->rx_ring != NULL)
			n = (uint16_t)rte_ring_dequeue_burst(wp->rx_ring, (void **)pkts,
							     WORKER_BURST, NULL);
		else
			n = rte_eth_rx_burst(wp->port_id, wp->queue, pkts, WORKER_BURST);
		if (n == 0)
			continue;
		if (wp->disp != NULL)
			n = disp_spread(w, wp, pkts, n);
		if (unlikely(w->cap != NULL))
			capture_burst(w->cap, wp->port_id, wp->queue, pkts, n, 1, now);
		for (uint16_t i = 0; i < n && i < PREFETCH_AHEAD; i++)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
		for (uint16_t i = 0; i < n; i++) {
			if (i + PREFETCH_AHEAD < n)
				rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
			bytes += pkts[i]->pkt_len;
			worker_input(w, wp, pkts[i]);
		}
		stats_add(&w->stats, STAT_rx_pkts, n);
		stats_add(&w->stats, STAT_rx_bytes, bytes);
	}
	for (unsigned int i = 0; i < w->nb_polls; i++)
		w->polls[i].fn(w, w->polls[i].obj);
	if (unlikely(w->now >= w->next_timer)) {
		for (unsigned int p = 0; p < w->nb_ports; p++)
			neigh_timer(w, &w->port[p]);
		if (w->tcp.timer != NULL)
			w->tcp.timer(w, w->tcp.ctx);
		if (w->udp.timer != NULL)
			w->udp.timer(w, w->udp.ctx);
		if (unlikely(__atomic_load_n(&w->req.seq, __ATOMIC_ACQUIRE) != w->req.done)) {
			w->req.fn(w, w->req.arg);
			__atomic_store_n(&w->req.done, w->req.seq, __ATOMIC_RELEASE);
		}
		w->next_timer = w->now + w->hz / 1000;
	}
	for (unsigned int p = 0; p < w->nb_ports; p++) {
		if (w->port[p].tx_n != 0)
			worker_flush(w, &w->port[p]);
		if (w->port[p].disp != NULL)
			disp_drain_tx(w, &w->port[p]);
		if (unlikely(w->port[p].tx_hook != NULL))
			w->port[p].tx_hook(w->port[p].tx_hook_arg, w->now);
	}
}

bool
worker_request_idle(const struct worker *w)
{
	return __atomic_load_n(&w->req.done, __ATOMIC_ACQUIRE) == w->req.seq;
}

int
worker_request(struct worker *w, void (*fn)(struct worker *w, void *arg), void *arg,
	       unsigned int timeout_us)
{
	uint32_t seq;

	if (!worker_request_idle(w))
		return -EBUSY;
	w->req.fn = fn;
	w->req.arg = arg;
	seq = w->req.seq + 1;
	__atomic_store_n(&w->req.seq, seq, __ATOMIC_RELEASE);
	for (unsigned int waited = 0; waited < timeout_us; waited += 100) {
		if (__atomic_load_n(&w->req.done, __ATOMIC_ACQUIRE) == seq)
			return 0;
		rte_delay_us_sleep(100);
	}
	return __atomic_load_n(&w->req.done, __ATOMIC_ACQUIRE) == seq ? 0 : -ETIMEDOUT;
}

int
worker_main(void *arg)
{
	struct worker *w = arg;

	w->lcore_id = rte_lcore_id();
	w->now = rte_rdtsc();
	for (unsigned int p = 0; p < w->nb_ports; p++)
		if (w->port[p].garp) {
			if (w->port[p].ip != 0)
				neigh_send_request(w, &w->port[p], w->port[p].ip);
			if (w->port[p].has_ip6)
				worker_announce6(w, &w->port[p]);
		}
	while (!*w->stop)
		worker_poll_once(w);
	for (unsigned int p = 0; p < w->nb_ports; p++)
		if (w->port[p].tx_n != 0)
			worker_flush(w, &w->port[p]);
	return 0;
}
