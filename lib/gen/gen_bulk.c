/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bulk TCP: the throughput model (client), the bulk server ([server] bulk),
 * and the pieces both share with other bulk applications (lib/iperf):
 *
 * - the pattern: one read-only GEN_BULK_PATTERN_LEN buffer built once and
 *   shared by every worker. Senders queue it with tcp_send, which references
 *   it until the peer acknowledges it: the application never copies payload
 *   (the stack copies it once, into the segment's mbuf);
 * - a source (struct gen_bulk_src): keeps GEN_BULK_DEPTH chunks of
 *   write_size bytes queued and tops the queue up from sent(), so the
 *   connection always has more queued than the window lets out;
 * - a probe (struct gen_bulk_probe): publishes each sending connection's
 *   cwnd and smoothed RTT into the worker's gauges (sums, O(1) per update)
 *   and samples the RTT into HIST_srtt at most once per ms.
 *
 * Protocol (synack <-> synack, minimal): the client connects to the server's
 * bulk port. To upload (direction send) it just streams. To download
 * (receive, both) it first sends an 8-byte header, "SYNB", a direction byte
 * with GEN_BULK_RECV set, three zero bytes; the server then sources the
 * pattern until the client's FIN and closes after its queued data. The
 * server counts everything else it receives as sunk payload: a stream whose
 * first 8 bytes are not a valid header is data from its first byte (the
 * pattern never starts with 'S'), so any TCP sender (nc, a kernel socket)
 * can upload to it. Bytes counted on each side are payload only, header
 * excluded: after a graceful close, bytes sent and acknowledged on one side
 * equal the bytes received on the other.
 */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "lib/tcp/tcp.h"
#include "gen.h"

/* ---- the shared pieces ---- */

static uint8_t bulk_pattern[GEN_BULK_PATTERN_LEN] __rte_cache_aligned;
static bool bulk_pattern_built;
static uint8_t *bulk_pat = bulk_pattern; /* DPDK memory after gen_bulk_pattern_dpdk */

const uint8_t *
gen_bulk_pattern(void)
{
	if (!bulk_pattern_built) {
		/* a 251-byte cycle (prime: no alignment with segment sizes),
		 * starting at 0, so never with the header's 'S' */
		for (uint32_t i = 0; i < GEN_BULK_PATTERN_LEN; i++)
			bulk_pattern[i] = (uint8_t)(i % 251);
		bulk_pattern_built = true;
	}
	return bulk_pat;
}

int
gen_bulk_pattern_dpdk(void)
{
	uint8_t *p;

	if (bulk_pat != bulk_pattern)
		return 0;
	p = rte_malloc("bulk_pattern", GEN_BULK_PATTERN_LEN, RTE_CACHE_LINE_SIZE);
	if (p == NULL)
		return -ENOMEM;
	memcpy(p, gen_bulk_pattern(), GEN_BULK_PATTERN_LEN);
	bulk_pat = p;
	return 0;
}

int
gen_bulk_src_fill(struct tcp_ctx *c, struct tcb *t, struct gen_bulk_src *s)
{
	const uint8_t *p = bulk_pat;
	uint32_t max = s->chunk * GEN_BULK_DEPTH;

	while (s->left > 0 && s->queued + s->chunk <= max) {
		uint32_t n = s->left < s->chunk ? (uint32_t)s->left : s->chunk;
		int r = tcp_send(c, t, p, n);
		if (r != 0)
			return r;
		s->queued += n;
		if (s->left != UINT64_MAX)
			s->left -= n;
	}
	return 0;
}

void
gen_bulk_probe_update(struct worker *w, struct tcb *t, struct gen_bulk_probe *p)
{
	uint64_t *g = w->stats.g;
	struct stats_hist *h = w->stats.h[HIST_srtt];
	struct tcp_info ti;

	tcp_get_info(t, &ti);
	if (!p->on) {
		p->on = 1;
		p->cwnd = p->srtt_us = 0;
		g[GAUGE_bulk_senders]++;
	}
	g[GAUGE_bulk_cwnd] = g[GAUGE_bulk_cwnd] - p->cwnd + ti.cwnd;
	g[GAUGE_bulk_srtt_us] = g[GAUGE_bulk_srtt_us] - p->srtt_us + ti.srtt_us;
	p->cwnd = ti.cwnd;
	p->srtt_us = ti.srtt_us;
	uint32_t ms = (uint32_t)(w->now / (w->hz / 1000));
	if (h != NULL && ti.srtt_us != 0 && ms != p->last_ms) {
		p->last_ms = ms;
		stats_hist_add(h, (uint64_t)ti.srtt_us * (w->hz / 1000) / 1000);
	}
}

void
gen_bulk_probe_end(struct worker *w, struct gen_bulk_probe *p)
{
	uint64_t *g = w->stats.g;

	if (!p->on)
		return;
	p->on = 0;
	g[GAUGE_bulk_senders]--;
	g[GAUGE_bulk_cwnd] -= p->cwnd;
	g[GAUGE_bulk_srtt_us] -= p->srtt_us;
	p->cwnd = p->srtt_us = 0;
}

/* ---- the bulk server ---- */

#define BS_HDR_DONE 0x01 /**< the first bytes were classified (header or data) */
#define BS_SOURCE   0x02 /**< sourcing the pattern */
#define BS_PEER_FIN 0x04 /**< the client closed: no more data queued */

struct bulk_sconn {
	struct gen_bulk_src src;
	struct gen_bulk_probe probe;
	uint8_t hdr[GEN_BULK_HDR_LEN];	/**< the first bytes, until classified */
	uint8_t hdr_n;
	uint8_t flags;			/**< BS_* */
};

_Static_assert(sizeof(struct bulk_sconn) <= TCP_APP_DATA, "bulk_sconn must fit the app area");

struct gen_bulk_server {
	struct worker *w;
	struct gen_bulk_server_conf conf;
	struct stats_hist srtt;
};

/* Is b[0..n) a prefix of a valid header? Complete (n == 8): also valid. */
static bool
hdr_prefix_ok(const uint8_t *b, uint32_t n)
{
	for (uint32_t i = 0; i < n && i < 4; i++)
		if (b[i] != (uint8_t)GEN_BULK_MAGIC[i])
			return false;
	if (n > 4 && (b[4] == 0 || b[4] > GEN_BULK_BOTH))
		return false;
	for (uint32_t i = 5; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

static void
bs_accepted(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct gen_bulk_server *s = arg;
	struct bulk_sconn *sc = tcp_app_data(t);

	memset(sc, 0, sizeof(*sc));
	stats_inc(&s->w->stats, STAT_bulk_accepted);
}

static void
bs_recv(struct tcp_ctx *c, struct tcb *t, const uint8_t *data, uint32_t len, void *arg)
{
	struct gen_bulk_server *s = arg;
	struct bulk_sconn *sc = tcp_app_data(t);

	if (!(sc->flags & BS_HDR_DONE)) {
		uint32_t take = GEN_BULK_HDR_LEN - sc->hdr_n;
		if (take > len)
			take = len;
		memcpy(sc->hdr + sc->hdr_n, data, take);
		sc->hdr_n = (uint8_t)(sc->hdr_n + take);
		data += take;
		len -= take;
		if (!hdr_prefix_ok(sc->hdr, sc->hdr_n)) {
			/* not a header: the bytes held are payload */
			sc->flags |= BS_HDR_DONE;
			stats_add(&s->w->stats, STAT_bulk_sink_bytes, sc->hdr_n);
		} else if (sc->hdr_n == GEN_BULK_HDR_LEN) {
			sc->flags |= BS_HDR_DONE;
			if (sc->hdr[4] & GEN_BULK_RECV) {
				sc->flags |= BS_SOURCE;
				sc->src.left = UINT64_MAX;
				sc->src.chunk = s->conf.write_size;
				stats_inc(&s->w->stats, STAT_bulk_sourced);
				gen_bulk_src_fill(c, t, &sc->src);
			}
		}
	}
	stats_add(&s->w->stats, STAT_bulk_sink_bytes, len);
}

static void
bs_sent(struct tcp_ctx *c, struct tcb *t, uint32_t acked, void *arg)
{
	struct gen_bulk_server *s = arg;
	struct bulk_sconn *sc = tcp_app_data(t);

	if (!(sc->flags & BS_SOURCE))
		return;
	stats_add(&s->w->stats, STAT_bulk_src_bytes, acked);
	gen_bulk_src_acked(&sc->src, acked);
	if (sc->flags & BS_PEER_FIN)
		return;
	gen_bulk_src_fill(c, t, &sc->src);
	gen_bulk_probe_update(s->w, t, &sc->probe);
}

static void
bs_peer_closed(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct gen_bulk_server *s = arg;
	struct bulk_sconn *sc = tcp_app_data(t);

	if (!(sc->flags & BS_HDR_DONE)) {
		/* a stream shorter than a header is payload too */
		sc->flags |= BS_HDR_DONE;
		stats_add(&s->w->stats, STAT_bulk_sink_bytes, sc->hdr_n);
	}
	sc->flags |= BS_PEER_FIN;
	sc->src.left = 0;
	gen_bulk_probe_end(s->w, &sc->probe);
	tcp_close(c, t); /* FIN after what is queued */
}

static void
bs_closed(struct tcp_ctx *c, struct tcb *t, enum tcp_close_reason why, void *arg)
{
	struct gen_bulk_server *s = arg;
	struct bulk_sconn *sc = tcp_app_data(t);

	gen_bulk_probe_end(s->w, &sc->probe);
}

struct gen_bulk_server *
gen_bulk_server_create(struct worker *w, const struct gen_bulk_server_conf *conf,
		       struct tcp_app *ops)
{
	struct gen_bulk_server *s;

	if (conf->write_size == 0 || conf->write_size > GEN_BULK_PATTERN_LEN) {
		errno = EINVAL;
		return NULL;
	}
	s = rte_zmalloc("gen_bulk_server", sizeof(*s), RTE_CACHE_LINE_SIZE);
	if (s == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	s->w = w;
	s->conf = *conf;
	gen_bulk_pattern();
	if (w->stats.h[HIST_srtt] == NULL)
		w->stats.h[HIST_srtt] = &s->srtt;
	memset(ops, 0, sizeof(*ops));
	ops->accepted = bs_accepted;
	ops->recv = bs_recv;
	ops->sent = bs_sent;
	ops->peer_closed = bs_peer_closed;
	ops->closed = bs_closed;
	ops->arg = s;
	return s;
}

void
gen_bulk_server_free(struct gen_bulk_server *s)
{
	if (s == NULL)
		return;
	if (s->w->stats.h[HIST_srtt] == &s->srtt)
		s->w->stats.h[HIST_srtt] = NULL;
	rte_free(s);
}

/* ---- the throughput model ---- */

#define BC_UP	   0x01 /**< handshake completed */
#define BC_CLOSING 0x02 /**< this side closed (or the server did first) */

struct bulk_conn {
	struct gen_bulk_src src;
	struct gen_bulk_probe probe;
	uint32_t slot;		/**< index in g->conns */
	uint8_t hdr_left;	/**< header bytes not acknowledged yet */
	uint8_t flags;		/**< BC_* */
};

_Static_assert(sizeof(struct bulk_conn) <= TCP_APP_DATA, "bulk_conn must fit the app area");

struct gen_bulk {
	struct worker *w;
	struct worker_port *wp;
	struct tcp_ctx *tcp;
	struct gen_bulk_conf conf;
	struct tcb **conns;		/**< per connection slot; NULL once closed */
	uint16_t *ports;		/**< per connection slot: its source port, host order */
	uint32_t launched;		/**< slots used (connections attempted) */
	uint32_t open;			/**< connections not closed yet */
	uint32_t resolved;		/**< targets whose next hop answered ARP */
	uint32_t next_target;
	bool failed;
	bool closing;
	uint64_t t_end;			/**< TSC of the close, 0 = until stopped */
	uint64_t close_tsc;
	struct stats_hist srtt;
};

static const uint8_t bulk_hdr[2][GEN_BULK_HDR_LEN] = {
	{'S', 'Y', 'N', 'B', GEN_BULK_RECV, 0, 0, 0},
	{'S', 'Y', 'N', 'B', GEN_BULK_BOTH, 0, 0, 0},
};

static void
conn_close(struct gen_bulk *g, struct tcb *t, struct bulk_conn *bc)
{
	if (bc->flags & BC_CLOSING)
		return;
	bc->flags |= BC_CLOSING;
	bc->src.left = 0;
	gen_bulk_probe_end(g->w, &bc->probe);
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
	r = tcp_connect(g->tcp, g->wp, g->wp->ip, rte_cpu_to_be_16(port), tg->ip, tg->port, &t);
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
	if (w->done)
		return;
	while (g->resolved < g->conf.nb_targets) {
		struct rte_ether_addr mac;
		int r = gen_next_hop(w, g->wp, g->conf.targets[g->resolved].ip, &mac);
		if (r == -ENETUNREACH) {
			g->failed = true;
			w->done = true;
		}
		if (r != 0)
			return;
		if (++g->resolved == g->conf.nb_targets && g->conf.duration_ms != 0)
			g->t_end = w->now + g->conf.duration_ms * (w->hz / 1000);
	}
	if (g->closing) {
		if (all_closed(g)) {
			w->done = true;
		} else if (w->now - g->close_tsc >= GEN_BULK_GRACE_MS * (w->hz / 1000)) {
			/* the peer never finished its side: give up on it */
			for (uint32_t i = 0; i < g->launched; i++)
				if (g->conns[i] != NULL && tcp_get_state(g->conns[i]) != TCP_TIME_WAIT)
					tcp_abort(g->tcp, g->conns[i]);
			w->done = true;
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
		w->done = true;
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
	if (g->conf.dir & GEN_BULK_RECV) {
		if (tcp_send(c, t, bulk_hdr[g->conf.dir == GEN_BULK_BOTH], GEN_BULK_HDR_LEN) != 0) {
			stats_inc(&g->w->stats, STAT_gen_err_table);
			tcp_abort(c, t);
			return;
		}
		bc->hdr_left = GEN_BULK_HDR_LEN;
	}
	if (g->conf.dir & GEN_BULK_SEND) {
		bc->src.left = UINT64_MAX;
		bc->src.chunk = g->conf.write_size;
		gen_bulk_src_fill(c, t, &bc->src);
		gen_bulk_probe_update(g->w, t, &bc->probe);
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
	gen_bulk_src_acked(&bc->src, acked);
	if (bc->flags & BC_CLOSING)
		return;
	gen_bulk_src_fill(c, t, &bc->src);
	gen_bulk_probe_update(g->w, t, &bc->probe);
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

	gen_bulk_probe_end(g->w, &bc->probe);
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
	    conf->write_size > GEN_BULK_PATTERN_LEN || (conf->dir & GEN_BULK_BOTH) == 0 ||
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
	gen_bulk_pattern();
	w->stats.h[HIST_srtt] = &g->srtt;
	memset(ops, 0, sizeof(*ops));
	ops->connected = bulk_connected;
	ops->recv = bulk_recv;
	ops->sent = bulk_sent;
	ops->peer_closed = bulk_peer_closed;
	ops->closed = bulk_closed;
	ops->arg = g;
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

void
gen_bulk_start(struct gen_bulk *g, struct tcp_ctx *tcp)
{
	g->tcp = tcp;
	g->w->now = rte_rdtsc();
	g->w->app.poll = bulk_poll;
	g->w->app.neigh_event = bulk_neigh;
	g->w->app.arg = g;
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
