/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ping model: resolve the target's next hop (the target itself, or the
 * gateway) with ARP, then keep up to `window` ICMP echo requests in flight,
 * paced by a token bucket on the TSC when a rate is set. Each reply is
 * matched by identifier and its payload checked against the pattern of its
 * sequence number. Requests unanswered for a second are counted as lost so
 * the window never stalls; a reply that comes after that is not counted
 * again (as drop_icmp_type, a reply the model does not take).
 */
#include <errno.h>
#include <stdlib.h>

#include <rte_malloc.h>

#include "lib/net/net.h"
#include "gen.h"

struct gen_ping {
	struct worker *w;
	struct worker_port *wp;
	struct gen_ping_conf conf;
	rte_be32_t target;
	uint16_t id; /**< ICMP identifier: the worker's */
	uint16_t seq;
	uint16_t ip_id;
	bool resolved;
	bool failed;
	int slot; /**< worker application slot */
	struct rte_ether_addr dst_mac;
	uint64_t sent;
	uint64_t outstanding;
	uint64_t lost_end;	/**< sent at the last write-off: below it, answered or lost */
	uint64_t last_progress; /**< TSC of the last reply (or first send) */
	uint64_t tokens;	/**< pacing, in requests x hz */
	uint64_t last_tsc;
};

static void
ping_neigh_event(struct worker *w, struct worker_port *wp, rte_be32_t ip, bool resolved, void *arg)
{
	struct gen_ping *g = arg;

	if (wp != g->wp)
		return;
	if (!resolved && !g->resolved && ip == worker_next_hop(wp, g->target)) {
		g->failed = true;
		worker_app_finish(w, g->slot);
	}
}

static void
ping_reply(struct worker *w, struct worker_port *wp, const uint8_t *icmp, uint32_t len, void *arg)
{
	struct gen_ping *g = arg;
	const struct rte_icmp_hdr *ih = (const struct rte_icmp_hdr *)icmp;

	if (ih->icmp_ident != rte_cpu_to_be_16(g->id)) {
		stats_inc(&w->stats, STAT_drop_icmp_type);
		return;
	}
	/* how many requests back it answers (16-bit sequence numbers) */
	uint16_t seq = rte_be_to_cpu_16(ih->icmp_seq_nb);
	uint64_t back = (uint16_t)(g->seq - seq);
	if (back == 0)
		back = 65536;
	if (back <= g->sent && g->sent - back < g->lost_end) {
		/* its request is already counted lost: not a reply as well, and
		 * not one of those still out -- a reply the model does not take */
		stats_inc(&w->stats, STAT_drop_icmp_type);
		return;
	}
	stats_inc(&w->stats, STAT_icmp_reply_rx);
	if (!net_icmp_echo_payload_ok(icmp + NET_ICMP_HLEN, len - NET_ICMP_HLEN, seq))
		stats_inc(&w->stats, STAT_icmp_reply_bad);
	if (g->outstanding > 0)
		g->outstanding--;
	g->last_progress = w->now;
}

static void
ping_poll(struct worker *w, void *arg)
{
	struct gen_ping *g = arg;
	struct rte_mbuf *pkts[512];
	uint64_t n;

	if (worker_app_done(w, g->slot))
		return;
	if (!g->resolved) {
		int r = gen_next_hop(w, g->wp, g->target, &g->dst_mac);
		if (r == -ENETUNREACH) {
			/* off-link and no gateway: no request could ever leave */
			g->failed = true;
			worker_app_finish(w, g->slot);
		}
		if (r != 0)
			return; /* ARP that never answers fails through ping_neigh_event() */
		g->resolved = true;
		g->last_tsc = w->now;
		g->last_progress = w->now;
	}
	if (g->outstanding > 0 && w->now - g->last_progress > w->hz) {
		stats_add(&w->stats, STAT_icmp_lost, g->outstanding);
		g->outstanding = 0;
		g->lost_end = g->sent;
	}
	if (g->conf.count != 0 && g->sent >= g->conf.count) {
		if (g->outstanding == 0)
			worker_app_finish(w, g->slot);
		return;
	}
	n = g->conf.window - g->outstanding;
	if (n > g->conf.burst)
		n = g->conf.burst;
	if (g->conf.count != 0 && n > g->conf.count - g->sent)
		n = g->conf.count - g->sent;
	if (g->conf.rate != 0) {
		uint64_t avail = pace_refill(&g->tokens, &g->last_tsc, w->now, g->conf.rate, w->hz,
					     g->conf.burst);
		if (n > avail)
			n = avail;
	}
	if (n == 0)
		return;
	if (rte_pktmbuf_alloc_bulk(w->pool, pkts, (unsigned int)n) != 0) {
		stats_inc(&w->stats, STAT_drop_pool_empty);
		return;
	}
	if (g->outstanding == 0)
		g->last_progress = w->now;
	for (uint64_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t len = net_icmp_echo_build(rte_pktmbuf_mtod(m, uint8_t *), &g->wp->mac,
						   &g->dst_mac, g->wp->ip, g->target, g->id,
						   g->seq++, g->ip_id++, g->conf.payload);
		m->data_len = m->pkt_len = len;
		worker_tx(w, g->wp, m);
	}
	g->sent += n;
	g->outstanding += n;
	if (g->conf.rate != 0)
		pace_take(&g->tokens, n, w->hz);
	stats_add(&w->stats, STAT_icmp_echo_tx, n);
}

struct gen_ping *
gen_ping_create(struct worker *w, struct worker_port *wp, const struct gen_ping_conf *conf)
{
	struct gen_ping *g = rte_zmalloc(NULL, sizeof(*g), RTE_CACHE_LINE_SIZE);
	uint32_t room = rte_pktmbuf_data_room_size(w->pool) - RTE_PKTMBUF_HEADROOM;

	if (g == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	if ((uint32_t)conf->payload + NET_ETH_HLEN + NET_IPV4_HLEN + NET_ICMP_HLEN > room ||
	    (uint32_t)conf->payload + NET_IPV4_HLEN + NET_ICMP_HLEN > wp->mtu) {
		rte_free(g);
		errno = EMSGSIZE;
		return NULL;
	}
	g->wp = wp;
	g->conf = *conf;
	if (g->conf.window == 0)
		g->conf.window = 1;
	if (g->conf.burst == 0 || g->conf.burst > 512)
		g->conf.burst = 32;
	g->target = rte_cpu_to_be_32(conf->target);
	g->id = (uint16_t)(0x5300 + w->id);
	g->w = w;
	g->slot = worker_app_add(w, &gen_ping_class, g, true);
	if (g->slot < 0) {
		rte_free(g);
		errno = ENOSPC;
		return NULL;
	}
	return g;
}

bool
gen_ping_failed(const struct gen_ping *g)
{
	return g->failed;
}

static int
ping_result(void *obj, FILE *out, char *why, size_t whylen)
{
	const struct gen_ping *g = obj;
	const struct gen_target t = {.ip = g->target};

	(void)out;
	return gen_fail_result(g->w, g->failed, &t, 1, 0, why, whylen);
}

static void
ping_free(void *obj)
{
	gen_ping_free(obj);
}

const struct app_class gen_ping_class = {
	.name = "ping",
	.poll = ping_poll,
	.icmp_reply = ping_reply,
	.neigh_event = ping_neigh_event,
	.result = ping_result,
	.free = ping_free,
};

void
gen_ping_free(struct gen_ping *g)
{
	rte_free(g);
}
