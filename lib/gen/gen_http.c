/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HTTP load models on one worker: cps, cc, rps.
 *
 * cps  opens connections at a rate (token bucket on the TSC, linear ramp-up)
 *      or as fast as `concurrency` allows; each sends one request (or none:
 *      handshake only), reads the whole response, then closes (FIN or RST).
 * cc   opens and holds `concurrency` connections (ramped), each sending a
 *      request every `interval` (0 = idle), reopening any the server closes.
 * rps  keeps `concurrency` keep-alive connections busy: closed loop (a new
 *      batch of `pipeline` requests as soon as the last one's responses are
 *      in), or open loop at `rate` requests per second where latency runs
 *      from the request's intended send time (wrk2's correction for
 *      coordinated omission).
 *
 * Per connection state lives in the TCB's application area (struct
 * gen_conn); sources -- (address, port) pairs over the client port's ip_n
 * addresses and this worker's ports, the addresses interleaved -- come from
 * per-worker FIFOs so a pair is reused as late as possible and only after
 * its connection is gone (TIME-WAIT over, or closed by RST).
 *
 * On a port shared by several workers (software dispatch, RSS) a pair is
 * usable only towards a target whose reply to it comes back to this worker
 * (gen_port_is_ours): the hash covers the whole 4-tuple, so each distinct
 * target is a class with its own FIFO, and every pair goes to at most one
 * of them -- the first class, starting from a rotating one, that accepts it
 * -- so the pools split the worker's pairs between the targets instead of
 * copying them per target. A launch pops from its target's class: O(1).
 * Otherwise (one worker, queue pairs) every pair suits every target and one
 * FIFO serves them all. The FIFOs are segments of one array of 4 bytes per
 * pair kept, GEN_SRC_MAX pairs at most. Timestamps are 32-bit
 * TSC >> GEN_TS_SHIFT: 6.4 ns steps at 2.5 GHz, wrapping after ~27 s, so
 * connection durations are recorded for cps only (short-lived by
 * construction).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_random.h>

#include "lib/http/http.h"
#include "lib/tcp/tcp.h"
#include "gen.h"

#define GEN_TS_SHIFT 4

/* gen_conn.flags */
#define GC_DONE	   0x01 /**< counted as completed or failed: closed() only frees the port */
#define GC_FIRST   0x02 /**< first response byte seen (TTFB recorded) */
#define GC_IDLE	   0x04 /**< on the idle list (rps open loop) */
#define GC_CLOSING 0x08 /**< we started the close */
#define GC_UP	   0x10 /**< handshake completed */

struct gen_conn {
	struct http_resp resp; /**< response parser (32 bytes) */
	uint32_t t_open;       /**< connect() time */
	uint32_t t_req;	       /**< request sent (or due, open loop) */
	uint8_t flags;	       /**< GC_* */
	uint8_t inflight;      /**< requests sent and not yet answered */
	uint8_t cls;	       /**< source class of its target: where its pair goes back */
};

_Static_assert(sizeof(struct gen_conn) <= TCP_APP_DATA, "gen_conn must fit the TCB's app area");

struct gen_http {
	struct worker *w;
	struct worker_port *wp;
	struct tcp_ctx *tcp;
	struct gen_http_conf conf;
	uint64_t t0;	   /**< TSC at start */
	uint64_t launched; /**< connections started */
	uint64_t requests; /**< requests sent */
	uint32_t active;   /**< connections counted against concurrency */
	uint32_t next_target;
	uint32_t resolved;	  /**< targets whose next hop answered ARP */
	uint32_t announced;	  /**< (extra address, target) ARP announcements sent */
	uint32_t nann;		  /**< of (ip_n - 1) x nb_targets */
	bool failed;		  /**< a target's next hop never answered ARP */
	int slot;		  /**< worker application slot */
	int tslot;		  /**< TCP application slot of its connections */
	struct tcp_app ops;	  /**< its TCP callbacks */
	uint64_t ports_empty_tsc; /**< last time port exhaustion was counted */
	uint64_t table_full_tsc;  /**< last time a full table was counted */
	uint32_t syn_inflight;	  /**< connections in SYN-SENT (conf.max_syn caps them) */
	uint64_t limit_tsc;	  /**< last time a held-back paced launch was counted */
	/* pacing */
	uint64_t last_tsc;
	uint64_t tokens;   /**< in units of 1/hz launches */
	uint64_t next_due; /**< open loop: TSC the next request is due */
	/* sources: per class a FIFO ring of SRC(address offset from wp->ip,
	 * port), a segment of src */
	uint32_t *src;
	uint32_t nb_cls;		/**< classes: 1, or the distinct targets */
	uint8_t cls_of[GEN_TARGET_MAX]; /**< target index -> class */
	struct gen_src_fifo {
		uint32_t base, cap, head, n;
	} fifo[GEN_TARGET_MAX];
	/* open loop: idle keep-alive connections */
	struct tcb **idle;
	uint32_t nidle, idle_cap;
	struct stats_hist hist[HIST_MAX];
};

static inline uint32_t
ts32(uint64_t tsc)
{
	return (uint32_t)(tsc >> GEN_TS_SHIFT);
}

static inline uint64_t
ts_since(uint64_t now, uint32_t then)
{
	return (uint64_t)(uint32_t)(ts32(now) - then) << GEN_TS_SHIFT;
}

/* ---- sources: (address, port) pairs ---- */

#define SRC(ip_off, port) ((uint32_t)(ip_off) << 16 | (port))
#define SRC_PORT(s)	  ((uint16_t)((s)&0xffff))
#define SRC_IP_OFF(s)	  ((s) >> 16)

static inline bool
src_pop(struct gen_http *g, struct gen_src_fifo *f, uint32_t *src)
{
	if (f->n == 0)
		return false;
	*src = g->src[f->base + f->head];
	if (++f->head == f->cap)
		f->head = 0;
	f->n--;
	return true;
}

static inline void
src_push(struct gen_http *g, struct gen_src_fifo *f, uint32_t src)
{
	uint32_t i = f->head + f->n;

	if (unlikely(f->n == f->cap))
		return; /* not one of ours: cannot happen, never overwrite */
	g->src[f->base + (i >= f->cap ? i - f->cap : i)] = src;
	f->n++;
}

/* Network-order address of a source. */
static inline rte_be32_t
src_ip(const struct gen_http *g, uint32_t src)
{
	return rte_cpu_to_be_32(rte_be_to_cpu_32(g->wp->ip) + SRC_IP_OFF(src));
}

/* ---- helpers ---- */

static bool
limit_reached(const struct gen_http *g)
{
	if (g->conf.count == 0)
		return false;
	return g->conf.model == GEN_CPS ? g->launched >= g->conf.count
					: g->requests >= g->conf.count;
}

static void
count_status(struct stats_worker *st, uint16_t status)
{
	if (status >= 200 && status < 300)
		stats_inc(st, STAT_gen_resp_2xx);
	else if (status >= 300 && status < 400)
		stats_inc(st, STAT_gen_resp_3xx);
	else if (status >= 400 && status < 500)
		stats_inc(st, STAT_gen_resp_4xx);
	else if (status >= 500 && status < 600)
		stats_inc(st, STAT_gen_resp_5xx);
	else
		stats_inc(st, STAT_gen_resp_other);
}

/* The connection stops counting against concurrency (once). */
static void
conn_finish(struct gen_http *g, struct gen_conn *gc)
{
	if (gc->flags & GC_DONE)
		return;
	gc->flags |= GC_DONE;
	if (g->active > 0)
		g->active--;
}

static void
conn_fail(struct gen_http *g, struct tcb *t, struct gen_conn *gc, enum stats_id why)
{
	if (!(gc->flags & GC_DONE))
		stats_inc(&g->w->stats, why);
	conn_finish(g, gc);
	tcp_abort(g->tcp, t);
}

static void conn_close(struct gen_http *g, struct tcb *t, struct gen_conn *gc);

/*
 * Sends up to n requests on t. For cc and rps the count is in requests: n is
 * cut to what is left of it, and a connection with nothing left to send is
 * closed (cps counts connections, each sends one).
 */
static int
send_requests(struct gen_http *g, struct tcb *t, struct gen_conn *gc, uint32_t n, uint32_t t_req)
{
	if (g->conf.model != GEN_CPS && g->conf.count != 0) {
		if (g->requests >= g->conf.count) {
			conn_close(g, t, gc);
			return 0;
		}
		if (n > g->conf.count - g->requests)
			n = (uint32_t)(g->conf.count - g->requests);
	}
	for (uint32_t i = 0; i < n; i++) {
		if (tcp_send(g->tcp, t, g->conf.request, g->conf.request_len) != 0) {
			conn_fail(g, t, gc, STAT_gen_err_table);
			return -1;
		}
	}
	gc->inflight = (uint8_t)(gc->inflight + n);
	gc->t_req = t_req;
	g->requests += n;
	stats_add(&g->w->stats, STAT_gen_req_tx, n);
	if (g->conf.timeout_ms != 0)
		tcp_app_timer(g->tcp, t, g->conf.timeout_ms);
	return 0;
}

/* Close after the last response: FIN, or RST when configured. */
static void
conn_close(struct gen_http *g, struct tcb *t, struct gen_conn *gc)
{
	if (gc->flags & GC_CLOSING)
		return;
	gc->flags |= GC_CLOSING;
	if (g->conf.model == GEN_CPS)
		stats_hist_add(&g->hist[HIST_conn], ts_since(g->w->now, gc->t_open));
	conn_finish(g, gc);
	stats_inc(&g->w->stats, STAT_gen_done);
	tcp_app_timer(g->tcp, t, 0);
	if (g->conf.close_rst)
		tcp_abort(g->tcp, t);
	else
		tcp_close(g->tcp, t);
}

/* ---- launching ---- */

static int
launch(struct gen_http *g)
{
	struct stats_worker *st = &g->w->stats;
	const struct gen_target *tg;
	struct gen_src_fifo *f;
	struct tcb *t;
	uint32_t src, ti = g->next_target, pick;
	int r;

	/* the next target in turn; when its class has no free pair, the next
	 * one that has (at most nb_targets looks) */
	for (uint32_t k = 0;; k++) {
		pick = ti;
		if (++ti == g->conf.nb_targets)
			ti = 0;
		f = &g->fifo[g->cls_of[pick]];
		if (likely(src_pop(g, f, &src)))
			break;
		if (k + 1 >= g->conf.nb_targets) {
			/* counted at most once per ms: a closed-loop model asks every loop */
			if (g->w->now - g->ports_empty_tsc >= g->w->hz / 1000) {
				g->ports_empty_tsc = g->w->now;
				stats_inc(st, STAT_gen_err_ports);
			}
			return -1;
		}
	}
	tg = &g->conf.targets[pick];
	g->next_target = ti;
	r = tcp_connect_app(g->tcp, g->tslot, g->wp, src_ip(g, src),
			    rte_cpu_to_be_16(SRC_PORT(src)), tg->ip, tg->port, &t);
	if (r != 0) {
		src_push(g, f, src);
		/* counted at most once per ms, as port exhaustion */
		if (g->w->now - g->table_full_tsc >= g->w->hz / 1000) {
			g->table_full_tsc = g->w->now;
			stats_inc(st, r == -EEXIST ? STAT_gen_err_ports : STAT_gen_err_table);
		}
		return -1;
	}
	struct gen_conn *gc = tcp_app_data(t);
	memset(gc, 0, sizeof(*gc));
	http_resp_init(&gc->resp, g->conf.head);
	gc->cls = g->cls_of[pick];
	gc->t_open = ts32(g->w->now);
	g->active++;
	g->syn_inflight++;
	g->launched++;
	stats_inc(st, STAT_gen_conn_tx);
	return 0;
}

/* May another SYN go out? (conf.max_syn: SYNs in flight, i.e. half-open) */
static inline bool
syn_room(const struct gen_http *g)
{
	return g->conf.max_syn == 0 || g->syn_inflight < g->conf.max_syn;
}

/*
 * A paced cps loop launched fewer than were due: count, once per ms at
 * most, what held it back (gen_limit_*), so that the report can say what
 * limited a rate the run did not reach.
 */
static void
count_limit(struct gen_http *g, bool launch_failed)
{
	enum stats_id why;

	if (g->w->now - g->limit_tsc < g->w->hz / 1000)
		return;
	g->limit_tsc = g->w->now;
	if (launch_failed)
		why = STAT_gen_limit_pool;
	else if (!syn_room(g))
		why = STAT_gen_limit_syn;
	else
		why = STAT_gen_limit_concurrency;
	stats_inc(&g->w->stats, why);
}

/* Share of the target reached after ramp-up: num/den. */
static uint64_t
ramped(const struct gen_http *g, uint64_t target)
{
	uint64_t ramp = g->conf.ramp_up_ms * (g->w->hz / 1000);
	uint64_t el = g->w->now - g->t0;

	if (ramp == 0 || el >= ramp)
		return target;
	return (uint64_t)((double)target * (double)el / (double)ramp);
}

static void
open_loop_send(struct gen_http *g)
{
	uint64_t rate = ramped(g, g->conf.rate);

	if (rate == 0) {
		g->next_due = g->w->now;
		return;
	}
	uint64_t period = g->w->hz / rate;
	if (period == 0)
		period = 1;
	while (g->next_due <= g->w->now && g->nidle > 0 && !limit_reached(g)) {
		struct tcb *t = g->idle[--g->nidle];
		struct gen_conn *gc = tcp_app_data(t);
		gc->flags &= ~GC_IDLE;
		/* latency from when the request was due (coordinated omission) */
		if (send_requests(g, t, gc, 1, ts32(g->next_due)) != 0)
			continue;
		g->next_due += period;
	}
}

static void
gen_poll(struct worker *w, void *arg)
{
	struct gen_http *g = arg;
	uint32_t n = 0, want;

	w->stats.g[GAUGE_gen_active] = g->active;
	if (worker_app_done(w, g->slot))
		return;
	/* First resolve every target's next hop, so no SYN waits on ARP. */
	while (g->resolved < g->conf.nb_targets) {
		struct rte_ether_addr mac;
		int r = gen_next_hop(w, g->wp, g->conf.targets[g->resolved].ip, &mac);
		if (r == -ENETUNREACH) {
			/* off-link and no gateway: no SYN could ever leave */
			g->failed = true;
			worker_app_finish(w, g->slot);
		}
		if (r != 0)
			return; /* ARP that never answers fails through on_neigh() */
		g->resolved++;
		g->last_tsc = g->next_due = w->now;
	}
	/* Then announce each further address of ours to each target's next
	 * hop (an ARP request from it), so that the peer knows them before
	 * the first SYN from them: a peer that had to resolve them itself
	 * would hold only a few replies per address meanwhile. */
	if (unlikely(g->announced < g->nann)) {
		for (; g->announced < g->nann && n < g->conf.burst; g->announced++, n++) {
			uint32_t a = 1 + g->announced / g->conf.nb_targets;
			const struct gen_target *tg =
				&g->conf.targets[g->announced % g->conf.nb_targets];
			neigh_send_request_from(w, g->wp, src_ip(g, SRC(a, 0)),
						worker_next_hop(g->wp, tg->ip));
		}
		g->last_tsc = g->next_due = w->now;
		return;
	}
	if (limit_reached(g)) {
		/* open loop: nothing more is due, idle connections go */
		while (g->nidle > 0) {
			struct tcb *t = g->idle[--g->nidle];
			struct gen_conn *gc = tcp_app_data(t);
			gc->flags &= ~GC_IDLE;
			conn_close(g, t, gc);
		}
		if (g->active == 0)
			worker_app_finish(w, g->slot);
		return;
	}
	switch (g->conf.model) {
	case GEN_CPS:
		if (g->conf.rate != 0) {
			uint64_t avail = pace_refill(&g->tokens, &g->last_tsc, w->now,
						     ramped(g, g->conf.rate), w->hz, g->conf.burst);
			want = avail > UINT32_MAX ? UINT32_MAX : (uint32_t)avail;
		} else {
			want = g->conf.burst;
		}
		bool failed = false;
		while (n < want && n < g->conf.burst && g->active < g->conf.concurrency &&
		       syn_room(g) && !limit_reached(g)) {
			if (launch(g) != 0) {
				failed = true;
				break;
			}
			n++;
		}
		if (g->conf.rate != 0) {
			pace_take(&g->tokens, n, w->hz);
			if (n < want && n < g->conf.burst && !limit_reached(g))
				count_limit(g, failed);
		}
		break;
	case GEN_CC:
	case GEN_RPS: {
		uint64_t target = ramped(g, g->conf.concurrency);
		if (g->conf.model == GEN_RPS && g->conf.rate != 0)
			target = g->conf.concurrency; /* open loop: all connections up front */
		while (g->active < target && n < g->conf.burst && syn_room(g)) {
			if (launch(g) != 0)
				break;
			n++;
		}
		if (g->conf.model == GEN_RPS && g->conf.rate != 0)
			open_loop_send(g);
		break;
	}
	}
}

/* A target's next hop never answered ARP: the run cannot do anything. */
static void
on_neigh(struct worker *w, struct worker_port *wp, rte_be32_t ip, bool resolved, void *arg)
{
	struct gen_http *g = arg;

	if (resolved || wp != g->wp || g->resolved >= g->conf.nb_targets)
		return;
	if (ip == worker_next_hop(wp, g->conf.targets[g->resolved].ip)) {
		g->failed = true;
		worker_app_finish(w, g->slot);
	}
}

bool
gen_http_failed(const struct gen_http *g)
{
	return g->failed;
}

/* ---- TCP callbacks (active connections) ---- */

static void
on_connected(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct gen_http *g = arg;
	struct gen_conn *gc = tcp_app_data(t);

	gc->flags |= GC_UP;
	g->syn_inflight--;
	stats_inc(&g->w->stats, STAT_gen_conn_ok);
	stats_hist_add(&g->hist[HIST_handshake], ts_since(g->w->now, gc->t_open));
	if (g->conf.request == NULL) {
		conn_close(g, t, gc); /* handshake only */
		return;
	}
	switch (g->conf.model) {
	case GEN_CPS:
		send_requests(g, t, gc, 1, ts32(g->w->now));
		break;
	case GEN_CC:
		if (g->conf.interval_ms != 0)
			send_requests(g, t, gc, 1, ts32(g->w->now));
		break;
	case GEN_RPS:
		if (g->conf.rate != 0) {
			if (g->nidle < g->idle_cap) {
				gc->flags |= GC_IDLE;
				g->idle[g->nidle++] = t;
			}
		} else {
			send_requests(g, t, gc, g->conf.pipeline, ts32(g->w->now));
		}
		break;
	}
}

static void
idle_remove(struct gen_http *g, struct tcb *t, struct gen_conn *gc)
{
	if (!(gc->flags & GC_IDLE))
		return;
	gc->flags &= ~GC_IDLE;
	for (uint32_t i = 0; i < g->nidle; i++) {
		if (g->idle[i] == t) {
			g->idle[i] = g->idle[--g->nidle];
			return;
		}
	}
}

/* One whole response arrived on t. */
static void
response_done(struct gen_http *g, struct tcb *t, struct gen_conn *gc)
{
	struct stats_worker *st = &g->w->stats;
	bool keep = http_resp_keepalive(&gc->resp);

	stats_inc(st, STAT_gen_resp_rx);
	count_status(st, gc->resp.status);
	stats_add(st, STAT_gen_body_rx, gc->resp.body_bytes);
	stats_hist_add(&g->hist[HIST_response], ts_since(g->w->now, gc->t_req));
	if (gc->inflight > 0)
		gc->inflight--;
	http_resp_init(&gc->resp, g->conf.head);
	if (gc->inflight > 0)
		return; /* more pipelined responses to come */
	tcp_app_timer(g->tcp, t, 0);
	if (g->conf.model == GEN_CPS || !keep || limit_reached(g)) {
		conn_close(g, t, gc);
		return;
	}
	switch (g->conf.model) {
	case GEN_CC:
		/* the next request after interval: the app timer fires it */
		tcp_app_timer(g->tcp, t, g->conf.interval_ms);
		break;
	case GEN_RPS:
		if (g->conf.rate != 0) {
			if (g->nidle < g->idle_cap) {
				gc->flags |= GC_IDLE;
				g->idle[g->nidle++] = t;
			}
		} else {
			send_requests(g, t, gc, g->conf.pipeline, ts32(g->w->now));
		}
		break;
	default:
		break;
	}
}

static void
on_recv(struct tcp_ctx *c, struct tcb *t, const uint8_t *data, uint32_t len, void *arg)
{
	struct gen_http *g = arg;
	struct gen_conn *gc = tcp_app_data(t);

	if (!(gc->flags & GC_FIRST)) {
		gc->flags |= GC_FIRST;
		stats_hist_add(&g->hist[HIST_ttfb], ts_since(g->w->now, gc->t_open));
	}
	while (len > 0 && !(gc->flags & GC_CLOSING)) {
		uint32_t used = 0;
		if (gc->inflight == 0) {
			/* bytes nobody asked for */
			conn_fail(g, t, gc, STAT_gen_err_bad_resp);
			return;
		}
		int rc = http_resp_parse(&gc->resp, data, len, &used);
		if (rc == HTTP_AGAIN)
			return;
		if (rc == HTTP_ERROR) {
			conn_fail(g, t, gc, STAT_gen_err_bad_resp);
			return;
		}
		response_done(g, t, gc);
		if (tcp_get_state(t) == TCP_CLOSED)
			return;
		data += used;
		len -= used;
	}
}

static void
on_peer_closed(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct gen_http *g = arg;
	struct gen_conn *gc = tcp_app_data(t);

	if (gc->inflight > 0 && !(gc->flags & GC_CLOSING)) {
		/* a close-delimited body ends here; anything else is cut short */
		if (http_resp_eof(&gc->resp) == HTTP_OK) {
			response_done(g, t, gc);
		} else {
			stats_inc(&g->w->stats, STAT_gen_err_closed);
			conn_finish(g, gc);
		}
	}
	idle_remove(g, t, gc);
	if (!(gc->flags & GC_CLOSING)) {
		gc->flags |= GC_CLOSING;
		conn_finish(g, gc);
		tcp_close(c, t);
	}
}

static void
on_closed(struct tcp_ctx *c, struct tcb *t, enum tcp_close_reason why, void *arg)
{
	struct gen_http *g = arg;
	struct gen_conn *gc = tcp_app_data(t);

	idle_remove(g, t, gc);
	if (!(gc->flags & GC_UP) && g->syn_inflight > 0)
		g->syn_inflight--; /* it never got out of SYN-SENT */
	if (!(gc->flags & GC_DONE)) {
		switch (why) {
		case TCP_CLOSE_TIMEOUT:
			/* SYN retries exhausted, or data retransmissions on an open one */
			stats_inc(&g->w->stats, (gc->flags & GC_UP) ? STAT_gen_err_timeout
								    : STAT_gen_err_connect);
			break;
		case TCP_CLOSE_RESET:
		case TCP_CLOSE_REFUSED:
			stats_inc(&g->w->stats, STAT_gen_err_rst);
			break;
		default:
			break;
		}
		conn_finish(g, gc);
	}
	rte_be32_t lip, rip;
	rte_be16_t lport, rport;
	tcp_get_tuple(t, &lip, &lport, &rip, &rport);
	src_push(g, &g->fifo[gc->cls < g->nb_cls ? gc->cls : 0],
		 SRC(rte_be_to_cpu_32(lip) - rte_be_to_cpu_32(g->wp->ip), rte_be_to_cpu_16(lport)));
}

static void
on_timeout(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct gen_http *g = arg;
	struct gen_conn *gc = tcp_app_data(t);

	if (gc->inflight > 0) {
		conn_fail(g, t, gc, STAT_gen_err_timeout);
		return;
	}
	/* cc: time for the next request; once the count is reached, the
	 * connection closes instead (else it would wait for the end of the run) */
	if (g->conf.model == GEN_CC && g->conf.interval_ms != 0) {
		if (limit_reached(g))
			conn_close(g, t, gc);
		else
			send_requests(g, t, gc, 1, ts32(g->w->now));
	}
}

/* ---- life cycle ---- */

/*
 * The classes of the targets: on a port shared by several workers one per
 * distinct (address, port), since the reply hash covers the whole 4-tuple;
 * otherwise a single one for all.
 */
static void
src_classes(struct gen_http *g)
{
	const struct worker_port *wp = g->wp;
	bool shared = wp->rss != NULL || wp->disp_nb > 1;

	g->nb_cls = 1;
	g->cls_of[0] = 0;
	for (uint32_t i = 1; i < g->conf.nb_targets; i++) {
		const struct gen_target *t = &g->conf.targets[i];
		uint32_t j;

		g->cls_of[i] = 0;
		if (!shared)
			continue;
		for (j = 0; j < i; j++)
			if (g->conf.targets[j].ip == t->ip && g->conf.targets[j].port == t->port)
				break;
		g->cls_of[i] = j < i ? g->cls_of[j] : (uint8_t)g->nb_cls++;
	}
}

/*
 * Walk the worker's pairs in launch order -- from a random port of the range
 * (as kernels randomise ephemeral ports, so that a new run does not reuse
 * the previous run's first ports while a peer may still remember them),
 * every address of a port before the next port, so consecutive connections
 * spread over the addresses -- and give each to the first class, from a
 * rotating one, whose target accepts it (gen_port_is_ours). Stops after
 * GEN_SRC_MAX pairs kept. With fill false it only counts per class (into
 * cnt); with fill true it stores them into the FIFOs. Visits each pair of
 * the range at most once, with at most nb_cls checks per pair.
 */
static void
src_walk(struct gen_http *g, uint32_t start, bool fill, uint32_t *cnt)
{
	const struct worker_port *wp = g->wp;
	const struct gen_http_conf *conf = &g->conf;
	uint32_t nports = (uint32_t)conf->port_hi - conf->port_lo + 1;
	uint32_t nip = wp->ip_n ? wp->ip_n : 1;
	const struct gen_target *rep[GEN_TARGET_MAX];
	bool shared = wp->rss != NULL || wp->disp_nb > 1;
	uint32_t kept = 0, rot = 0;

	for (uint32_t i = 0; i < conf->nb_targets; i++)
		rep[g->cls_of[i]] = &conf->targets[i];
	for (uint32_t i = 0; i < nports && kept < GEN_SRC_MAX; i++) {
		uint16_t p = (uint16_t)(conf->port_lo + (start + i) % nports);
		for (uint32_t a = 0; a < nip && kept < GEN_SRC_MAX; a++) {
			rte_be32_t lip = rte_cpu_to_be_32(rte_be_to_cpu_32(wp->ip) + a);
			uint32_t c = rot, k;

			if (++rot == g->nb_cls)
				rot = 0;
			for (k = 0; k < g->nb_cls; k++) {
				if (!shared || gen_port_is_ours(wp, lip, rep[c], p))
					break;
				if (++c == g->nb_cls)
					c = 0;
			}
			if (k == g->nb_cls)
				continue;
			kept++;
			if (fill) {
				struct gen_src_fifo *f = &g->fifo[c];
				g->src[f->base + f->n++] = SRC(a, p);
			} else {
				cnt[c]++;
			}
		}
	}
}

/* Classes, then the FIFOs: every pair this worker may use, each once. */
static int
src_build(struct gen_http *g)
{
	uint32_t cnt[GEN_TARGET_MAX] = {0};
	uint32_t start = (uint32_t)(rte_rand() % ((uint32_t)g->conf.port_hi - g->conf.port_lo + 1));
	uint32_t total = 0;

	src_classes(g);
	src_walk(g, start, false, cnt);
	for (uint32_t c = 0; c < g->nb_cls; c++) {
		g->fifo[c].base = total;
		g->fifo[c].cap = cnt[c];
		total += cnt[c];
	}
	if (total == 0) {
		errno = ERANGE;
		return -1;
	}
	g->src = rte_malloc("gen_src", sizeof(uint32_t) * total, 0);
	if (g->src == NULL) {
		errno = ENOMEM;
		return -1;
	}
	src_walk(g, start, true, NULL);
	return 0;
}

struct gen_http *
gen_http_create(struct worker *w, struct worker_port *wp, const struct gen_http_conf *conf,
		struct tcp_app *ops)
{
	struct gen_http *g = rte_zmalloc("gen_http", sizeof(*g), RTE_CACHE_LINE_SIZE);

	if (g == NULL)
		goto nomem;
	g->w = w;
	g->wp = wp;
	g->conf = *conf;
	if (g->conf.burst == 0)
		g->conf.burst = 32;
	if (g->conf.pipeline == 0)
		g->conf.pipeline = 1;
	if (g->conf.pipeline > 255)
		g->conf.pipeline = 255;
	if (g->conf.nb_targets == 0 || g->conf.nb_targets > GEN_TARGET_MAX ||
	    conf->port_hi < conf->port_lo) {
		rte_free(g);
		errno = EINVAL;
		return NULL;
	}
	uint32_t nip = wp->ip_n ? wp->ip_n : 1;
	/* open loop rps only: the idle keep-alive connections */
	g->idle_cap = g->conf.model == GEN_RPS && g->conf.rate != 0 ? g->conf.concurrency : 0;
	g->idle = rte_malloc("gen_idle", sizeof(struct tcb *) * (g->idle_cap ? g->idle_cap : 1), 0);
	if (g->idle == NULL)
		goto nomem;
	if (src_build(g) != 0) {
		int e = errno;
		rte_free(g->src);
		rte_free(g->idle);
		rte_free(g);
		errno = e;
		return NULL;
	}
	g->nann = (nip - 1) * g->conf.nb_targets;
	for (int i = 0; i < HIST_MAX; i++)
		w->stats.h[i] = &g->hist[i];
	memset(ops, 0, sizeof(*ops));
	ops->connected = on_connected;
	ops->recv = on_recv;
	ops->peer_closed = on_peer_closed;
	ops->closed = on_closed;
	ops->timeout = on_timeout;
	ops->arg = g;
	g->ops = *ops;
	g->slot = -1;
	return g;
nomem:
	if (g != NULL) {
		rte_free(g->src);
		rte_free(g->idle);
		rte_free(g);
	}
	errno = ENOMEM;
	return NULL;
}

int
gen_http_start(struct gen_http *g, struct tcp_ctx *tcp)
{
	g->tcp = tcp;
	g->tslot = tcp_app_add(tcp, &g->ops);
	if (g->tslot < 0)
		return g->tslot;
	g->slot = worker_app_add(g->w, &gen_http_class, g, true);
	if (g->slot < 0)
		return g->slot;
	g->w->now = rte_rdtsc();
	g->t0 = g->w->now;
	g->last_tsc = g->w->now;
	g->next_due = g->w->now;
	return 0;
}

static int
http_result(void *obj, FILE *out, char *why, size_t whylen)
{
	const struct gen_http *g = obj;

	(void)out;
	if (gen_fail_result(g->w, g->failed, g->conf.targets, g->conf.nb_targets, g->resolved, why,
			    whylen) != 0)
		return -1;
	/* A run bounded by count that the duration (or a stop) ended first did
	 * not do what it was asked: SYNs a peer kept refusing (PAWS in its
	 * TIME-WAIT, issue #11) retransmit without ever counting an error, so
	 * the shortfall itself is the failure. */
	if (g->conf.count != 0 && !worker_app_done(g->w, g->slot)) {
		const struct stats_worker *st = &g->w->stats;
		snprintf(why, whylen,
			 "failed: count not reached: %" PRIu64 " of %" PRIu64
			 " %s done, %u still open "
			 "(tcp_retrans %" PRIu64 ", drop_tcp_bad_ack %" PRIu64 ")",
			 g->conf.model == GEN_CPS ? st->c[STAT_gen_done] : g->requests,
			 g->conf.count, g->conf.model == GEN_CPS ? "connections" : "requests sent",
			 g->active, st->c[STAT_tcp_retrans], st->c[STAT_drop_tcp_bad_ack]);
		return -1;
	}
	return 0;
}

static void
http_free(void *obj)
{
	gen_http_free(obj);
}

const struct app_class gen_http_class = {
	.name = "http client",
	.poll = gen_poll,
	.neigh_event = on_neigh,
	.result = http_result,
	.free = http_free,
};

uint32_t
gen_http_syn_inflight(const struct gen_http *g)
{
	return g->syn_inflight;
}

uint64_t
gen_http_active(const struct gen_http *g)
{
	return g->active;
}

uint32_t
gen_http_free_sources(const struct gen_http *g)
{
	uint32_t n = 0;

	for (uint32_t c = 0; c < g->nb_cls; c++)
		n += g->fifo[c].n;
	return n;
}

uint32_t
gen_http_free_sources_of(const struct gen_http *g, uint16_t target)
{
	return target < g->conf.nb_targets ? g->fifo[g->cls_of[target]].n : 0;
}

bool
gen_http_take_source(struct gen_http *g, uint16_t target, rte_be32_t *lip, uint16_t *port)
{
	uint32_t src;

	if (target >= g->conf.nb_targets || !src_pop(g, &g->fifo[g->cls_of[target]], &src))
		return false;
	*lip = src_ip(g, src);
	*port = SRC_PORT(src);
	return true;
}

void
gen_http_give_source(struct gen_http *g, uint16_t target, rte_be32_t lip, uint16_t port)
{
	if (target < g->conf.nb_targets)
		src_push(g, &g->fifo[g->cls_of[target]],
			 SRC(rte_be_to_cpu_32(lip) - rte_be_to_cpu_32(g->wp->ip), port));
}

void
gen_http_free(struct gen_http *g)
{
	if (g == NULL)
		return;
	for (int i = 0; i < HIST_MAX; i++)
		if (g->w->stats.h[i] == &g->hist[i])
			g->w->stats.h[i] = NULL;
	rte_free(g->src);
	rte_free(g->idle);
	rte_free(g);
}
