/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The udp model on one worker: datagrams of `payload` bytes at `rate` per
 * second (token bucket on the TSC) or as fast as the loop goes, over `flows`
 * flows (round robin) and the targets (round robin): datagram seq goes out
 * on flow seq % flows to target seq % nb_targets. Towards a target, flow f
 * leaves from the f-th port of port_lo .. port_hi that gen_port_is_ours()
 * gives this worker towards that target: on a port shared by several
 * workers (software dispatch, RSS) the echoes then come back to the worker
 * that sent -- the hash covers the 4-tuple, so each distinct target has its
 * own `flows` ports (a table of flows x distinct targets ports); otherwise
 * they are port_lo .. port_lo + flows - 1 towards every target.
 *
 * Each payload starts with struct udp_seq_hdr: magic, worker id, flags, a
 * per-worker sequence number and the send TSC. Frames come from one
 * template per target, built once when its next hop resolves; per datagram
 * only the source port, IP id, seq, tsc and the two checksums are patched
 * (the IP checksum with one RFC 1624 update, the UDP checksum from the
 * template's sum plus the patched words), so no header is built from
 * scratch on the loop.
 *
 * With echo on, the target echoes (synack's [udp] echo, or any UDP echo
 * service): every echo is matched to this worker by magic, worker id and its
 * sequence number, which names the flow and target it went out on: the echo
 * must come back to that flow's port; RTT = now - tsc goes to HIST_rtt;
 * duplicates (a 4096-wide window) are counted once as udp_dup and not as
 * received; a sequence number below the highest already seen on its flow is
 * counted as udp_reorder. When sending ends (count reached or duration
 * over), the model waits until every echo is in or GEN_UDP_GRACE_MS passed,
 * then counts the rest as udp_lost. As fast as possible with echo, at most
 * `window` datagrams are in flight (the window reopens after a second
 * without echoes), so the RTT measures the path rather than a queue the
 * generator itself filled.
 */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_udp.h>

#include "lib/net/net.h"
#include "lib/udp/udp.h"
#include "gen.h"

#define GEN_UDP_BURST_MAX 512

#define HDR_OFF	   (NET_ETH_HLEN + NET_IPV4_HLEN + NET_UDP_HLEN) /* payload offset */
#define IP_ID_OFF  (NET_ETH_HLEN + offsetof(struct rte_ipv4_hdr, packet_id))
#define IP_CK_OFF  (NET_ETH_HLEN + offsetof(struct rte_ipv4_hdr, hdr_checksum))
#define UDP_SP_OFF (NET_ETH_HLEN + NET_IPV4_HLEN + offsetof(struct rte_udp_hdr, src_port))
#define UDP_CK_OFF (NET_ETH_HLEN + NET_IPV4_HLEN + offsetof(struct rte_udp_hdr, dgram_cksum))
#define SEQ_OFF	   (HDR_OFF + offsetof(struct udp_seq_hdr, seq))

struct gen_udp_tpl {
	uint8_t *frame; /**< template frame: source port 0, IP id 0, seq 0, tsc 0 */
	uint16_t ip_ck; /**< its IP checksum */
	uint32_t usum;	/**< its UDP checksum sum (pseudo header included), unfolded */
};

struct gen_udp {
	struct worker *w;
	struct worker_port *wp;
	struct udp_ctx *udp;
	struct gen_udp_conf conf;
	uint32_t frame_len;
	uint32_t resolved; /**< targets with a template */
	bool failed;
	bool sending_over;
	int slot;	    /**< worker application slot */
	uint16_t busy_port; /**< a flow port another application owns (start) */
	uint64_t t0;
	uint64_t t_end;		  /**< TSC sending stops (duration), 0 = none */
	uint64_t end_tsc;	  /**< TSC sending ended */
	uint64_t seq;		  /**< next sequence number = datagrams sent */
	uint64_t received;	  /**< unique echoes */
	uint64_t written_off;	  /**< window: presumed lost after a silent second */
	uint64_t written_off_end; /**< seq at the last write-off: below it, echoed or written off */
	uint64_t last_progress;
	uint32_t next_flow, next_target;
	uint16_t ip_id;
	uint64_t tokens, last_tsc; /**< pacing, in datagrams x hz */
	struct udp_seq track;
	uint64_t *flow_high;		/**< per flow: highest seq echoed + 1, 0 = none */
	uint16_t *ports;		/**< class c, flow f -> ports[c * flows + f], host order */
	uint32_t nb_cls;		/**< 1, or the distinct targets on a shared port */
	uint8_t cls_of[GEN_TARGET_MAX]; /**< target index -> class */
	uint32_t span;			/**< port_hi - port_lo + 1 */
	struct gen_udp_tpl *tpl;
	struct stats_hist rtt;
};

static void
gen_udp_neigh_event(struct worker *w, struct worker_port *wp, rte_be32_t ip, bool resolved,
		    void *arg)
{
	struct gen_udp *g = arg;

	if (wp != g->wp || resolved || g->resolved >= g->conf.nb_targets)
		return;
	if (ip == worker_next_hop(g->wp, g->conf.targets[g->resolved].ip)) {
		g->failed = true;
		worker_app_finish(w, g->slot);
	}
}

/* The template of target i, once its next hop is known. */
static void
build_template(struct gen_udp *g, uint32_t i, const struct rte_ether_addr *mac)
{
	struct gen_udp_tpl *t = &g->tpl[i];
	struct udp_seq_hdr h = {
		.magic = RTE_BE32(UDP_SEQ_MAGIC),
		.worker = rte_cpu_to_be_16((uint16_t)g->w->id),
		.flags = rte_cpu_to_be_16(g->conf.echo ? UDP_SEQ_ECHO : 0),
	};
	uint16_t ck;

	net_udp_build(t->frame, &g->wp->mac, mac, g->wp->ip, g->conf.targets[i].ip, 0,
		      g->conf.targets[i].port, 0, NULL, g->conf.payload);
	memcpy(t->frame + HDR_OFF, &h, sizeof(h));
	ck = net_udp_cksum(t->frame + NET_ETH_HLEN, NET_IPV4_HLEN,
			   NET_UDP_HLEN + (uint32_t)g->conf.payload);
	memcpy(t->frame + UDP_CK_OFF, &ck, 2);
	memcpy(&t->ip_ck, t->frame + IP_CK_OFF, 2);
	memcpy(&ck, t->frame + UDP_CK_OFF, 2);
	t->usum = (uint16_t)~ck;
}

static void
finish(struct gen_udp *g)
{
	struct worker *w = g->w;
	uint64_t lost = g->seq - g->received;

	if (g->conf.echo && lost != 0)
		stats_add(&w->stats, STAT_udp_lost, lost);
	worker_app_finish(w, g->slot);
}

static inline void
fill(struct gen_udp *g, struct rte_mbuf *m)
{
	const struct gen_udp_tpl *t = &g->tpl[g->next_target];
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	rte_be16_t sport = rte_cpu_to_be_16(
		g->ports[g->cls_of[g->next_target] * g->conf.flows + g->next_flow]);
	rte_be16_t id = rte_cpu_to_be_16(g->ip_id++);
	rte_be64_t seq = rte_cpu_to_be_64(g->seq);
	uint64_t tsc = g->w->now;
	uint32_t sum;
	uint16_t ck;

	rte_memcpy(d, t->frame, g->frame_len);
	m->data_len = m->pkt_len = g->frame_len;
	memcpy(d + IP_ID_OFF, &id, 2);
	ck = net_cksum_update16(t->ip_ck, 0, id);
	memcpy(d + IP_CK_OFF, &ck, 2);
	memcpy(d + UDP_SP_OFF, &sport, 2);
	memcpy(d + SEQ_OFF, &seq, 8);
	memcpy(d + SEQ_OFF + 8, &tsc, 8);
	/* the template's sum plus the words that were zero in it */
	sum = t->usum + sport + __rte_raw_cksum(d + SEQ_OFF, 16, 0);
	ck = (uint16_t)~__rte_raw_cksum_reduce(sum);
	if (ck == 0)
		ck = 0xffff;
	memcpy(d + UDP_CK_OFF, &ck, 2);
	g->seq++;
	if (++g->next_flow == g->conf.flows)
		g->next_flow = 0;
	if (++g->next_target == g->conf.nb_targets)
		g->next_target = 0;
}

static void
gen_udp_poll(struct worker *w, void *arg)
{
	struct gen_udp *g = arg;
	struct rte_mbuf *pkts[GEN_UDP_BURST_MAX];
	uint64_t n;

	if (worker_app_done(w, g->slot))
		return;
	while (g->resolved < g->conf.nb_targets) {
		struct rte_ether_addr mac;
		int r = gen_next_hop(w, g->wp, g->conf.targets[g->resolved].ip, &mac);
		if (r == -ENETUNREACH) {
			g->failed = true;
			worker_app_finish(w, g->slot);
		}
		if (r != 0)
			return;
		build_template(g, g->resolved, &mac);
		g->resolved++;
		g->t0 = g->last_tsc = g->last_progress = w->now;
		if (g->conf.duration_ms != 0)
			g->t_end = w->now + g->conf.duration_ms * (w->hz / 1000);
	}
	if (!g->sending_over && ((g->conf.count != 0 && g->seq >= g->conf.count) ||
				 (g->t_end != 0 && w->now >= g->t_end))) {
		g->sending_over = true;
		g->end_tsc = w->now;
	}
	if (g->sending_over) {
		if (!g->conf.echo || g->received >= g->seq ||
		    w->now - g->end_tsc >= GEN_UDP_GRACE_MS * (w->hz / 1000))
			finish(g);
		return;
	}
	n = g->conf.burst;
	if (g->conf.count != 0 && n > g->conf.count - g->seq)
		n = g->conf.count - g->seq;
	if (g->conf.rate != 0) {
		uint64_t avail = pace_refill(&g->tokens, &g->last_tsc, w->now, g->conf.rate, w->hz,
					     g->conf.burst);
		if (n > avail)
			n = avail;
	} else if (g->conf.echo) {
		uint64_t inflight = g->seq - g->received - g->written_off;
		if (inflight > 0 && w->now - g->last_progress > w->hz) {
			g->written_off += inflight; /* counted as lost at the end */
			g->written_off_end = g->seq;
			inflight = 0;
		}
		if (inflight == 0)
			g->last_progress = w->now;
		n = inflight >= g->conf.window ? 0 : RTE_MIN(n, g->conf.window - inflight);
	}
	if (n == 0)
		return;
	if (rte_pktmbuf_alloc_bulk(w->pool, pkts, (unsigned int)n) != 0) {
		stats_inc(&w->stats, STAT_drop_pool_empty);
		return;
	}
	for (uint64_t i = 0; i < n; i++) {
		fill(g, pkts[i]);
		worker_tx(w, g->wp, pkts[i]);
	}
	if (g->conf.rate != 0)
		pace_take(&g->tokens, n, w->hz);
	stats_add(&w->stats, STAT_udp_gen_tx, n);
	stats_add(&w->stats, STAT_udp_tx, n);
}

static void
gen_udp_recv(struct udp_ctx *c, const struct udp_dgram *d, void *arg)
{
	struct gen_udp *g = arg;
	struct worker *w = g->w;
	struct udp_seq_hdr h;

	if (d->len < UDP_SEQ_HLEN)
		goto bad;
	memcpy(&h, d->data, sizeof(h));
	uint64_t seq = rte_be_to_cpu_64(h.seq);
	if (h.magic != RTE_BE32(UDP_SEQ_MAGIC) || rte_be_to_cpu_16(h.worker) != w->id ||
	    seq >= g->seq)
		goto bad;
	/* the flow and target it went out on: the echo is to that port */
	uint32_t flow = (uint32_t)(seq % g->conf.flows);
	uint32_t cls = g->cls_of[seq % g->conf.nb_targets];
	if (rte_be_to_cpu_16(d->dport) != g->ports[cls * g->conf.flows + flow])
		goto bad;
	switch (udp_seq_track(&g->track, seq, NULL)) {
	case UDP_SEQ_DUP:
		stats_inc(&w->stats, STAT_udp_dup);
		return;
	default:
		break;
	}
	g->received++;
	/* a late echo of one written off: no longer presumed lost, and it was
	 * not in flight either */
	if (seq < g->written_off_end && g->written_off > 0)
		g->written_off--;
	g->last_progress = w->now;
	stats_inc(&w->stats, STAT_udp_gen_rx);
	if (seq + 1 < g->flow_high[flow])
		stats_inc(&w->stats, STAT_udp_reorder);
	else
		g->flow_high[flow] = seq + 1;
	if (w->now >= h.tsc)
		stats_hist_add(&g->rtt, w->now - h.tsc);
	return;
bad:
	stats_inc(&w->stats, STAT_udp_gen_bad);
}

struct gen_udp *
gen_udp_create(struct worker *w, struct worker_port *wp, const struct gen_udp_conf *conf)
{
	uint32_t room = rte_pktmbuf_data_room_size(w->pool) - RTE_PKTMBUF_HEADROOM;
	struct gen_udp *g;

	uint32_t hi = conf->port_hi != 0 ? conf->port_hi
					 : (uint32_t)conf->port_lo + conf->flows - 1;

	if (conf->nb_targets == 0 || conf->nb_targets > GEN_TARGET_MAX || conf->flows == 0 ||
	    hi > UINT16_MAX || conf->port_lo == 0 || hi < conf->port_lo ||
	    conf->payload < UDP_SEQ_HLEN) {
		errno = EINVAL;
		return NULL;
	}
	if ((uint32_t)conf->payload + HDR_OFF > room ||
	    (uint32_t)conf->payload + NET_IPV4_HLEN + NET_UDP_HLEN > wp->mtu) {
		errno = EMSGSIZE;
		return NULL;
	}
	g = rte_zmalloc("gen_udp", sizeof(*g), RTE_CACHE_LINE_SIZE);
	if (g == NULL)
		goto nomem;
	g->w = w;
	g->wp = wp;
	g->conf = *conf;
	if (g->conf.burst == 0 || g->conf.burst > GEN_UDP_BURST_MAX)
		g->conf.burst = 32;
	if (g->conf.window == 0)
		g->conf.window = 1;
	g->frame_len = RTE_MAX((uint32_t)conf->payload + HDR_OFF, NET_ETH_MIN_FRAME);
	g->ip_id = (uint16_t)(w->id << 12);
	g->span = hi - conf->port_lo + 1;
	/* classes: one per distinct target on a shared port, else one */
	bool shared = wp->rss != NULL || wp->disp_nb > 1;
	const struct gen_target *rep[GEN_TARGET_MAX];
	g->nb_cls = 1;
	rep[0] = &conf->targets[0];
	for (uint32_t i = 1; i < conf->nb_targets; i++) {
		uint32_t j = 0;
		while (shared && j < i &&
		       (conf->targets[j].ip != conf->targets[i].ip ||
			conf->targets[j].port != conf->targets[i].port))
			j++;
		if (shared && j == i) {
			rep[g->nb_cls] = &conf->targets[i];
			g->cls_of[i] = (uint8_t)g->nb_cls++;
		} else {
			g->cls_of[i] = shared ? g->cls_of[j] : 0;
		}
	}
	g->flow_high = rte_zmalloc("gen_udp_flows", sizeof(uint64_t) * conf->flows, 0);
	g->ports = rte_malloc("gen_udp_ports", sizeof(uint16_t) * conf->flows * g->nb_cls, 0);
	g->tpl = rte_zmalloc("gen_udp_tpl", sizeof(*g->tpl) * conf->nb_targets, 0);
	if (g->flow_high == NULL || g->ports == NULL || g->tpl == NULL)
		goto nomem;
	/* per class, the first `flows` ports of the range whose echoes from its
	 * target come back to this worker */
	for (uint32_t c = 0; c < g->nb_cls; c++) {
		uint16_t *pc = &g->ports[c * conf->flows];
		uint32_t nf = 0;
		for (uint32_t i = 0; i < g->span && nf < conf->flows; i++) {
			uint16_t p = (uint16_t)(conf->port_lo + i);

			if (gen_port_is_ours(wp, wp->ip, rep[c], p))
				pc[nf++] = p;
		}
		if (nf < conf->flows) {
			gen_udp_free(g);
			errno = ERANGE;
			return NULL;
		}
	}
	for (uint32_t i = 0; i < conf->nb_targets; i++) {
		g->tpl[i].frame = rte_zmalloc("gen_udp_frame", g->frame_len, RTE_CACHE_LINE_SIZE);
		if (g->tpl[i].frame == NULL)
			goto nomem;
	}
	w->stats.h[HIST_rtt] = &g->rtt;
	g->slot = -1;
	return g;
nomem:
	gen_udp_free(g);
	errno = ENOMEM;
	return NULL;
}

int
gen_udp_start(struct gen_udp *g, struct udp_ctx *udp)
{
	struct udp_app app = {.recv = gen_udp_recv, .arg = g};
	int us = udp_app_add(udp, &app), r;

	if (us < 0)
		return us;
	g->udp = udp;
	for (uint32_t f = 0; f < g->conf.flows * g->nb_cls; f++) {
		r = udp_bind_app(udp, g->ports[f], us);
		if (r != 0) {
			errno = -r;
			g->busy_port = g->ports[f];
			return r;
		}
	}
	g->slot = worker_app_add(g->w, &gen_udp_class, g, true);
	if (g->slot < 0)
		return g->slot;
	g->w->now = rte_rdtsc();
	return 0;
}

uint16_t
gen_udp_busy_port(const struct gen_udp *g)
{
	return g->busy_port;
}

bool
gen_udp_failed(const struct gen_udp *g)
{
	return g->failed;
}

void
gen_udp_stop(struct gen_udp *g)
{
	if (g->slot >= 0 && !worker_app_done(g->w, g->slot) && g->resolved == g->conf.nb_targets)
		finish(g);
}

static void
udp_stop(void *obj)
{
	gen_udp_stop(obj);
}

static int
udp_result(void *obj, FILE *out, char *why, size_t whylen)
{
	const struct gen_udp *g = obj;

	(void)out;
	return gen_fail_result(g->w, g->failed, g->conf.targets, g->conf.nb_targets, g->resolved,
			       why, whylen);
}

static void
udp_free(void *obj)
{
	gen_udp_free(obj);
}

const struct app_class gen_udp_class = {
	.name = "udp",
	.poll = gen_udp_poll,
	.neigh_event = gen_udp_neigh_event,
	.stop = udp_stop,
	.result = udp_result,
	.free = udp_free,
};

void
gen_udp_free(struct gen_udp *g)
{
	if (g == NULL)
		return;
	if (g->w->stats.h[HIST_rtt] == &g->rtt)
		g->w->stats.h[HIST_rtt] = NULL;
	if (g->tpl != NULL)
		for (uint32_t i = 0; i < g->conf.nb_targets; i++)
			rte_free(g->tpl[i].frame);
	rte_free(g->tpl);
	rte_free(g->flow_high);
	rte_free(g->ports);
	rte_free(g);
}
