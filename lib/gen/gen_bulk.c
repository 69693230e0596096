/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The throughput model: connections from the client port to the bulk
 * server (lib/bulk: its protocol and the shared pattern, source and probe),
 * each sending and/or receiving as fast as window and cwnd allow.
 */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "lib/tcp/tcp.h"
#include "gen.h"

/* ---- the throughput model ---- */

#define BC_UP	   0x01 /**< handshake completed */
#define BC_CLOSING 0x02 /**< this side closed (or the server did first) */

struct bulk_conn {
	struct bulk_src src;
	struct bulk_probe probe;
	uint32_t slot;	  /**< index in g->conns */
	uint8_t hdr_left; /**< header bytes not acknowledged yet */
	uint8_t flags;	  /**< BC_* */
};

_Static_assert(sizeof(struct bulk_conn) <= TCP_APP_DATA, "bulk_conn must fit the app area");

struct gen_bulk {
	struct worker *w;
	struct worker_port *wp;
	struct tcp_ctx *tcp;
	struct gen_bulk_conf conf;
	struct tcb **conns; /**< per connection slot; NULL once closed */
	uint16_t *ports;    /**< per connection slot: its source port, host order */
	uint32_t launched;  /**< slots used (connections attempted) */
	uint32_t open;	    /**< connections not closed yet */
	uint32_t resolved;  /**< targets whose next hop answered ARP */
	uint32_t next_target;
	bool failed;
	bool closing;
	int slot;  /**< worker application slot */
	int tslot; /**< TCP application slot of its connections */
	struct tcp_app ops;
	uint64_t t_end; /**< TSC of the close, 0 = until stopped */
	uint64_t close_tsc;
	struct stats_hist srtt;
};

static const uint8_t bulk_hdr[2][BULK_HDR_LEN] = {
	{'S', 'Y', 'N', 'B', BULK_RECV, 0, 0, 0},
	{'S', 'Y', 'N', 'B', BULK_BOTH, 0, 0, 0},
};

static void
conn_close(struct gen_bulk *g, struct tcb *t, struct bulk_conn *bc)
{
	if (bc->flags & BC_CLOSING)
		return;
	bc->flags |= BC_CLOSING;
	bc->src.left = 0;
	bulk_probe_end(g->w, &bc->probe);
	tcp_close(g->tcp, t); /* FIN after the queued data; may free t (SYN-SENT) */
}

static void
launch(struct gen_bulk *g)
{
	const struct gen_target *tg = &g->conf.targets[g->next_target];
	uint32_t slot = g->launched++;
	uint16_t port = g->ports[slot];
	struct tcb *t;
	int r;

	if (++g->next_target == g->conf.nb_targets)
		g->next_target = 0;
	r = tcp_connect_app(g->tcp, g->tslot, g->wp, g->wp->ip, rte_cpu_to_be_16(port), tg->ip,
			    tg->port, &t);
	if (r != 0) {
		stats_inc(&g->w->stats, r == -EEXIST ? STAT_gen_err_ports : STAT_gen_err_table);
		return;
	}
	struct bulk_conn *bc = tcp_app_data(t);
	memset(bc, 0, sizeof(*bc));
	bc->slot = slot;
	g->conns[slot] = t;
	g->open++;
	stats_inc(&g->w->stats, STAT_gen_conn_tx);
}

/* Every connection closed its side and saw the server's FIN (TIME-WAIT), or is gone. */
static bool
all_closed(const struct gen_bulk *g)
{
	for (uint32_t i = 0; i < g->launched; i++)
		if (g->conns[i] != NULL && tcp_get_state(g->conns[i]) != TCP_TIME_WAIT)
			return false;
	return true;
}

static void
begin_close(struct gen_bulk *g)
{
	g->closing = true;
	g->close_tsc = g->w->now;
	for (uint32_t i = 0; i < g->launched; i++) {
		struct tcb *t = g->conns[i];
		if (t != NULL)
			conn_close(g, t, tcp_app_data(t));
	}
}

static void
bulk_poll(struct worker *w, void *arg)
{
	struct gen_bulk *g = arg;

	w->stats.g[GAUGE_gen_active] = g->open;
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
		if (++g->resolved == g->conf.nb_targets && g->conf.duration_ms != 0)
			g->t_end = w->now + g->conf.duration_ms * (w->hz / 1000);
	}
	if (g->closing) {
		if (all_closed(g)) {
			worker_app_finish(w, g->slot);
		} else if (w->now - g->close_tsc >= GEN_BULK_GRACE_MS * (w->hz / 1000)) {
			/* the peer never finished its side: give up on it */
			for (uint32_t i = 0; i < g->launched; i++)
				if (g->conns[i] != NULL &&
				    tcp_get_state(g->conns[i]) != TCP_TIME_WAIT)
					tcp_abort(g->tcp, g->conns[i]);
			worker_app_finish(w, g->slot);
		}
		return;
	}
	for (uint32_t n = 0; n < g->conf.burst && g->launched < g->conf.connections; n++)
		launch(g);
	if (g->t_end != 0 && w->now >= g->t_end)
		begin_close(g);
}

static void
bulk_neigh(struct worker *w, struct worker_port *wp, rte_be32_t ip, bool resolved, void *arg)
{
	struct gen_bulk *g = arg;

	if (resolved || wp != g->wp || g->resolved >= g->conf.nb_targets)
		return;
	if (ip == worker_next_hop(wp, g->conf.targets[g->resolved].ip)) {
		g->failed = true;
		worker_app_finish(w, g->slot);
	}
}

static void
bulk_connected(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct gen_bulk *g = arg;
	struct bulk_conn *bc = tcp_app_data(t);

	bc->flags |= BC_UP;
	stats_inc(&g->w->stats, STAT_gen_conn_ok);
	if (g->closing) {
		conn_close(g, t, bc);
		return;
	}
	if (g->conf.dir & BULK_RECV) {
		if (tcp_send(c, t, bulk_hdr[g->conf.dir == BULK_BOTH], BULK_HDR_LEN) != 0) {
			stats_inc(&g->w->stats, STAT_gen_err_table);
			tcp_abort(c, t);
			return;
		}
		bc->hdr_left = BULK_HDR_LEN;
	}
	if (g->conf.dir & BULK_SEND) {
		bc->src.left = UINT64_MAX;
		bc->src.chunk = g->conf.write_size;
		bulk_src_fill(c, t, &bc->src);
		bulk_probe_update(g->w, t, &bc->probe);
	}
}

static void
bulk_recv(struct tcp_ctx *c, struct tcb *t, const uint8_t *data, uint32_t len, void *arg)
{
	struct gen_bulk *g = arg;

	stats_add(&g->w->stats, STAT_gen_bulk_rx, len);
}

static void
bulk_sent(struct tcp_ctx *c, struct tcb *t, uint32_t acked, void *arg)
{
	struct gen_bulk *g = arg;
	struct bulk_conn *bc = tcp_app_data(t);
	uint32_t h = acked < bc->hdr_left ? acked : bc->hdr_left;

	bc->hdr_left = (uint8_t)(bc->hdr_left - h);
	acked -= h;
	if (acked == 0)
		return;
	stats_add(&g->w->stats, STAT_gen_bulk_tx, acked);
	bulk_src_acked(&bc->src, acked);
	if (bc->flags & BC_CLOSING)
		return;
	bulk_src_fill(c, t, &bc->src);
	bulk_probe_update(g->w, t, &bc->probe);
}

static void
bulk_peer_closed(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct gen_bulk *g = arg;

	/* normally the answer to our FIN; before it, the server went away */
	conn_close(g, t, tcp_app_data(t));
}

static void
bulk_closed(struct tcp_ctx *c, struct tcb *t, enum tcp_close_reason why, void *arg)
{
	struct gen_bulk *g = arg;
	struct bulk_conn *bc = tcp_app_data(t);

	bulk_probe_end(g->w, &bc->probe);
	switch (why) {
	case TCP_CLOSE_TIMEOUT:
		stats_inc(&g->w->stats,
			  (bc->flags & BC_UP) ? STAT_gen_err_timeout : STAT_gen_err_connect);
		break;
	case TCP_CLOSE_RESET:
	case TCP_CLOSE_REFUSED:
		stats_inc(&g->w->stats, STAT_gen_err_rst);
		break;
	default:
		break;
	}
	if (bc->slot < g->launched && g->conns[bc->slot] == t) {
		g->conns[bc->slot] = NULL;
		g->open--;
	}
}

struct gen_bulk *
gen_bulk_create(struct worker *w, struct worker_port *wp, const struct gen_bulk_conf *conf,
		struct tcp_app *ops)
{
	struct gen_bulk *g;

	if (conf->nb_targets == 0 || conf->connections == 0 || conf->write_size == 0 ||
	    conf->write_size > BULK_PATTERN_LEN || (conf->dir & BULK_BOTH) == 0 ||
	    conf->port_hi < conf->port_lo || conf->port_lo == 0 ||
	    (uint32_t)conf->port_hi - conf->port_lo + 1 < conf->connections) {
		errno = EINVAL;
		return NULL;
	}
	g = rte_zmalloc("gen_bulk", sizeof(*g), RTE_CACHE_LINE_SIZE);
	if (g == NULL)
		goto nomem;
	g->w = w;
	g->wp = wp;
	g->conf = *conf;
	if (g->conf.burst == 0)
		g->conf.burst = 32;
	g->conns = rte_zmalloc("gen_bulk_conns", sizeof(struct tcb *) * conf->connections, 0);
	g->ports = rte_malloc("gen_bulk_ports", sizeof(uint16_t) * conf->connections, 0);
	if (g->conns == NULL || g->ports == NULL)
		goto nomem;
	/* slot i goes to target i % nb_targets: the next port of the range whose
	 * replies from that target come back to this worker */
	uint32_t p = conf->port_lo;
	for (uint32_t i = 0; i < conf->connections; i++) {
		const struct gen_target *tg = &conf->targets[i % conf->nb_targets];

		while (p <= conf->port_hi && !gen_port_is_ours(wp, wp->ip, tg, (uint16_t)p))
			p++;
		if (p > conf->port_hi) {
			rte_free(g->ports);
			rte_free(g->conns);
			rte_free(g);
			errno = ERANGE;
			return NULL;
		}
		g->ports[i] = (uint16_t)p++;
	}
	bulk_pattern();
	w->stats.h[HIST_srtt] = &g->srtt;
	memset(ops, 0, sizeof(*ops));
	ops->connected = bulk_connected;
	ops->recv = bulk_recv;
	ops->sent = bulk_sent;
	ops->peer_closed = bulk_peer_closed;
	ops->closed = bulk_closed;
	ops->arg = g;
	g->ops = *ops;
	g->slot = -1;
	return g;
nomem:
	if (g != NULL) {
		rte_free(g->ports);
		rte_free(g->conns);
		rte_free(g);
	}
	errno = ENOMEM;
	return NULL;
}

int
gen_bulk_start(struct gen_bulk *g, struct tcp_ctx *tcp)
{
	g->tcp = tcp;
	g->tslot = tcp_app_add(tcp, &g->ops);
	if (g->tslot < 0)
		return g->tslot;
	g->slot = worker_app_add(g->w, &gen_bulk_class, g, true);
	if (g->slot < 0)
		return g->slot;
	g->w->now = rte_rdtsc();
	return 0;
}

bool
gen_bulk_failed(const struct gen_bulk *g)
{
	return g->failed;
}

void
gen_bulk_free(struct gen_bulk *g)
{
	if (g == NULL)
		return;
	if (g->w->stats.h[HIST_srtt] == &g->srtt)
		g->w->stats.h[HIST_srtt] = NULL;
	rte_free(g->conns);
	rte_free(g->ports);
	rte_free(g);
}

static int
bulk_result(void *obj, FILE *out, char *why, size_t whylen)
{
	const struct gen_bulk *g = obj;

	(void)out;
	return gen_fail_result(g->w, g->failed, g->conf.targets, g->conf.nb_targets, g->resolved,
			       why, whylen);
}

static void
bulk_free(void *obj)
{
	gen_bulk_free(obj);
}

const struct app_class gen_bulk_class = {
	.name = "throughput",
	.poll = bulk_poll,
	.neigh_event = bulk_neigh,
	.result = bulk_result,
	.free = bulk_free,
};
