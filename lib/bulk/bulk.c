/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bulk TCP: the bulk server ([server] bulk), and the pieces it shares with
 * the other bulk applications (the throughput model in lib/gen, lib/iperf):
 *
 * - the pattern: one read-only BULK_PATTERN_LEN buffer built once and
 *   shared by every worker. Senders queue it with tcp_send, which references
 *   it until the peer acknowledges it: the application never copies payload
 *   (the stack copies it once, into the segment's mbuf);
 * - a source (struct bulk_src): keeps BULK_DEPTH chunks of
 *   write_size bytes queued and tops the queue up from sent(), so the
 *   connection always has more queued than the window lets out;
 * - a probe (struct bulk_probe): publishes each sending connection's
 *   cwnd and smoothed RTT into the worker's gauges (sums, O(1) per update)
 *   and samples the RTT into HIST_srtt at most once per ms.
 *
 * Protocol (synack <-> synack, minimal): the client connects to the server's
 * bulk port. To upload (direction send) it just streams. To download
 * (receive, both) it first sends an 8-byte header, "SYNB", a direction byte
 * with BULK_RECV set, three zero bytes; the server then sources the
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

#include "lib/bulk/bulk.h"

/* ---- the shared pieces ---- */

static uint8_t pattern_buf[BULK_PATTERN_LEN] __rte_cache_aligned;
static bool pattern_built;
static uint8_t *pattern_ptr = pattern_buf; /* DPDK memory after bulk_pattern_dpdk */

const uint8_t *
bulk_pattern(void)
{
	if (!pattern_built) {
		/* a 251-byte cycle (prime: no alignment with segment sizes),
		 * starting at 0, so never with the header's 'S' */
		for (uint32_t i = 0; i < BULK_PATTERN_LEN; i++)
			pattern_buf[i] = (uint8_t)(i % 251);
		pattern_built = true;
	}
	return pattern_ptr;
}

int
bulk_pattern_dpdk(void)
{
	uint8_t *p;

	if (pattern_ptr != pattern_buf)
		return 0;
	p = rte_malloc("bulk_pattern", BULK_PATTERN_LEN, RTE_CACHE_LINE_SIZE);
	if (p == NULL)
		return -ENOMEM;
	memcpy(p, bulk_pattern(), BULK_PATTERN_LEN);
	pattern_ptr = p;
	return 0;
}

int
bulk_src_fill(struct tcp_ctx *c, struct tcb *t, struct bulk_src *s)
{
	const uint8_t *p = pattern_ptr;
	uint32_t max = s->chunk * BULK_DEPTH;

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
bulk_probe_update(struct worker *w, struct tcb *t, struct bulk_probe *p)
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
bulk_probe_end(struct worker *w, struct bulk_probe *p)
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
	struct bulk_src src;
	struct bulk_probe probe;
	uint8_t hdr[BULK_HDR_LEN]; /**< the first bytes, until classified */
	uint8_t hdr_n;
	uint8_t flags; /**< BS_* */
};

_Static_assert(sizeof(struct bulk_sconn) <= TCP_APP_DATA, "bulk_sconn must fit the app area");

struct bulk_server {
	struct worker *w;
	struct bulk_server_conf conf;
	struct stats_hist srtt;
};

/* Is b[0..n) a prefix of a valid header? Complete (n == 8): also valid. */
static bool
hdr_prefix_ok(const uint8_t *b, uint32_t n)
{
	for (uint32_t i = 0; i < n && i < 4; i++)
		if (b[i] != (uint8_t)BULK_MAGIC[i])
			return false;
	if (n > 4 && (b[4] == 0 || b[4] > BULK_BOTH))
		return false;
	for (uint32_t i = 5; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

static void
bs_accepted(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct bulk_server *s = arg;
	struct bulk_sconn *sc = tcp_app_data(t);

	memset(sc, 0, sizeof(*sc));
	stats_inc(&s->w->stats, STAT_bulk_accepted);
}

static void
bs_recv(struct tcp_ctx *c, struct tcb *t, const uint8_t *data, uint32_t len, void *arg)
{
	struct bulk_server *s = arg;
	struct bulk_sconn *sc = tcp_app_data(t);

	if (!(sc->flags & BS_HDR_DONE)) {
		uint32_t take = BULK_HDR_LEN - sc->hdr_n;
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
		} else if (sc->hdr_n == BULK_HDR_LEN) {
			sc->flags |= BS_HDR_DONE;
			if (sc->hdr[4] & BULK_RECV) {
				sc->flags |= BS_SOURCE;
				sc->src.left = UINT64_MAX;
				sc->src.chunk = s->conf.write_size;
				stats_inc(&s->w->stats, STAT_bulk_sourced);
				bulk_src_fill(c, t, &sc->src);
			}
		}
	}
	stats_add(&s->w->stats, STAT_bulk_sink_bytes, len);
}

static void
bs_sent(struct tcp_ctx *c, struct tcb *t, uint32_t acked, void *arg)
{
	struct bulk_server *s = arg;
	struct bulk_sconn *sc = tcp_app_data(t);

	if (!(sc->flags & BS_SOURCE))
		return;
	stats_add(&s->w->stats, STAT_bulk_src_bytes, acked);
	bulk_src_acked(&sc->src, acked);
	if (sc->flags & BS_PEER_FIN)
		return;
	bulk_src_fill(c, t, &sc->src);
	bulk_probe_update(s->w, t, &sc->probe);
}

static void
bs_peer_closed(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct bulk_server *s = arg;
	struct bulk_sconn *sc = tcp_app_data(t);

	if (!(sc->flags & BS_HDR_DONE)) {
		/* a stream shorter than a header is payload too */
		sc->flags |= BS_HDR_DONE;
		stats_add(&s->w->stats, STAT_bulk_sink_bytes, sc->hdr_n);
	}
	sc->flags |= BS_PEER_FIN;
	sc->src.left = 0;
	bulk_probe_end(s->w, &sc->probe);
	tcp_close(c, t); /* FIN after what is queued */
}

static void
bs_closed(struct tcp_ctx *c, struct tcb *t, enum tcp_close_reason why, void *arg)
{
	struct bulk_server *s = arg;
	struct bulk_sconn *sc = tcp_app_data(t);

	bulk_probe_end(s->w, &sc->probe);
}

struct bulk_server *
bulk_server_create(struct worker *w, struct tcp_ctx *tcp, const struct bulk_server_conf *conf)
{
	struct tcp_app ops = {
		.accepted = bs_accepted,
		.recv = bs_recv,
		.sent = bs_sent,
		.peer_closed = bs_peer_closed,
		.closed = bs_closed,
	};
	struct bulk_server *s;
	int r;

	if (conf->write_size == 0 || conf->write_size > BULK_PATTERN_LEN) {
		errno = EINVAL;
		return NULL;
	}
	s = rte_zmalloc("bulk_server", sizeof(*s), RTE_CACHE_LINE_SIZE);
	if (s == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	s->w = w;
	s->conf = *conf;
	bulk_pattern();
	if (w->stats.h[HIST_srtt] == NULL)
		w->stats.h[HIST_srtt] = &s->srtt;
	ops.arg = s;
	r = tcp_listen_app(tcp, conf->port, &ops);
	if (r == 0 && worker_app_add(w, &bulk_server_class, s, false) < 0)
		r = -ENOSPC;
	if (r != 0) {
		if (r == -ENOSPC)
			tcp_unlisten(tcp, conf->port);
		bulk_server_free(s);
		errno = -r;
		return NULL;
	}
	return s;
}

void
bulk_server_free(struct bulk_server *s)
{
	if (s == NULL)
		return;
	if (s->w->stats.h[HIST_srtt] == &s->srtt)
		s->w->stats.h[HIST_srtt] = NULL;
	rte_free(s);
}

static void
bs_free(void *obj)
{
	bulk_server_free(obj);
}

const struct app_class bulk_server_class = {
	.name = "bulk server",
	.free = bs_free,
};
