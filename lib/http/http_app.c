/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HTTP/1.1 responder as a TCP application: each connection keeps its
 * request parser (32 bytes) in the TCB's application area; every complete
 * request is answered by queueing a prebuilt response, pipelined requests
 * in order. Request bodies (Content-Length or chunked) are read, counted
 * and discarded; a request that expects 100-continue gets a 100 (Continue)
 * as soon as its header block is read and its body is not (RFC 9110
 * 10.1.1), from a static buffer. Errors are answered (400, 405, 413, 414,
 * 431, 501, 505) and closed. HTTP/1.0 closes unless keep-alive was asked.
 * The access log, when on, is sampled (one request in N): a record goes
 * into this worker's ring, the main lcore writes the lines (http_log.c).
 *
 * TCP references queued bytes (not copied) and reads them again for every
 * retransmission, so the dated headers come from a generation of this
 * worker that stays unchanged while any queued chunk points into it: one
 * reference count per generation, taken when a response is queued and
 * dropped by TCP's released() callback when its chunk has been acknowledged
 * or the connection dropped it. When the published second changes, the
 * responder refills a generation nobody references (usually the one in use,
 * or the previous one) and answers from it; it never rewrites one in use.
 * If all HTTP_GENS are held (connections stuck over as many seconds), the
 * Date stays at its last second and http_date_stale counts it. Per response
 * that is one load and compare of the clock, one increment and, when the
 * chunk leaves, one range check and decrement. The long bodies go as a
 * second chunk from the server's shared buffer, which never changes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rte_cycles.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "lib/tcp/tcp.h"
#include "http.h"

/* Date generations per worker: seconds of responses that may be queued at once. */
#define HTTP_GENS 64

struct http_conn {
	struct http_req req;
	uint8_t closing;   /**< response with close queued: ignore further input */
	uint8_t continued; /**< 100 (Continue) sent for the current request */
	uint8_t wait;	   /**< what the application timer waits for (HC_WAIT_*) */
};

/* http_conn.wait: what the connection's application timer bounds */
#define HC_WAIT_NONE  0
#define HC_WAIT_REQ   1 /**< the first request after accept (header_timeout) */
#define HC_WAIT_HDR   2 /**< the rest of a started request's headers (header_timeout) */
#define HC_WAIT_KA    3 /**< the next request on a keep-alive connection */
#define HC_WAIT_CLOSE 4 /**< the peer's close after ours */

_Static_assert(sizeof(struct http_conn) <= TCP_APP_DATA, "http_conn must fit the TCB's app area");

struct http_app {
	struct tcp_app ops; /**< its TCP callbacks (http_app_start listens with them) */
	const struct http_server *srv;
	const volatile time_t *clock; /**< the second the Date should show */
	uint8_t *gens;		      /**< HTTP_GENS generations, 1 << gen_shift apart */
	uint32_t gen_shift;
	uint32_t cur;		  /**< generation new responses come from */
	time_t date;		  /**< the clock's value when cur was chosen */
	uint32_t refs[HTTP_GENS]; /**< queued chunks pointing into each generation */
	struct worker *w;
	struct rte_ring *log; /**< access log records to the main lcore, or NULL */
	uint32_t sample;
	uint32_t sample_left;
	uint32_t max_body;
	uint32_t rnd;		 /**< xorshift32 state: sizes of the routes' mixes */
	struct http_log_rec rec; /**< the record of the request being logged */
	uint32_t header_ms;	 /**< header_timeout, 0 = none (http_app_set_timeouts) */
	uint32_t keepalive_ms;	 /**< keepalive_timeout, 0 = none */
};

/*
 * The second changed: refill the first generation no queued chunk points
 * into (the current one included) for it. Once per second at most; visits
 * HTTP_GENS counters.
 */
static __rte_noinline void
date_gen_next(struct http_app *a, time_t now)
{
	a->date = now;
	for (uint32_t i = 0; i < HTTP_GENS; i++) {
		if (a->refs[i] == 0) {
			http_server_gen_fill(a->srv, a->gens + ((size_t)i << a->gen_shift), now);
			a->cur = i;
			return;
		}
	}
	stats_inc(&a->w->stats, STAT_http_date_stale);
}

/* A chunk left the send queue: a response's generation part, or a long body. */
static void
conn_released(struct tcp_ctx *c, struct tcb *t, const void *base, uint32_t len, void *arg)
{
	struct http_app *a = arg;
	uintptr_t off = (uintptr_t)base - (uintptr_t)a->gens;

	RTE_SET_USED(c);
	RTE_SET_USED(t);
	RTE_SET_USED(len);
	if (off < ((uintptr_t)HTTP_GENS << a->gen_shift))
		a->refs[off >> a->gen_shift]--;
}

/*
 * Arm t's application timer for what it waits for now: header_timeout for
 * a request (the first, or one whose headers started: once, not per read,
 * as nginx's client_header_timeout), keepalive_timeout between requests and
 * for the peer's close after ours. O(1); nothing when that timeout is 0.
 */
static void
conn_wait(struct tcp_ctx *c, struct tcb *t, struct http_app *a, uint8_t wait)
{
	struct http_conn *hc = tcp_app_data(t);
	uint32_t ms = wait == HC_WAIT_REQ || wait == HC_WAIT_HDR ? a->header_ms : a->keepalive_ms;

	if (wait == HC_WAIT_CLOSE && ms == 0)
		ms = a->header_ms;
	if (hc->wait == wait && wait == HC_WAIT_HDR)
		return; /* one bound for the whole header, not one per read */
	hc->wait = ms == 0 ? HC_WAIT_NONE : wait;
	tcp_app_timer(c, t, ms);
}

static void
conn_accepted(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct http_conn *hc = tcp_app_data(t);

	http_req_init_limit(&hc->req, ((struct http_app *)arg)->max_body);
	hc->closing = 0;
	hc->continued = 0;
	hc->wait = HC_WAIT_NONE;
	conn_wait(c, t, arg, HC_WAIT_REQ);
}

/* Queue the record of a finished request to the main lcore; a full ring drops it. */
static void
access_log(struct http_app *a, struct tcb *t, const struct http_req *req, uint16_t status,
	   uint32_t bytes, uint32_t rnd)
{
	struct http_log_rec *r = &a->rec;
	rte_be32_t lip, rip;
	rte_be16_t lport, rport;

	tcp_get_tuple(t, &lip, &lport, &rip, &rport);
	r->tsc = a->w->now != 0 ? a->w->now : rte_get_tsc_cycles();
	r->rip = rte_be_to_cpu_32(rip);
	r->lip = rte_be_to_cpu_32(lip);
	r->rport = rte_be_to_cpu_16(rport);
	r->lport = rte_be_to_cpu_16(lport);
	r->status = status;
	r->method = req->method;
	/* the version is known once the request line was read */
	r->minor = req->flags & HTTP_F_LINE ? req->minor : 0xff;
	r->bytes = bytes;
	r->body_out = http_server_body_len(a->srv, req, rnd);
	r->body_in = req->body_bytes;
	r->worker = (uint16_t)a->w->id;
	if (req->method != HTTP_M_OTHER)
		r->method_tok[0] = '\0';
	if (rte_ring_sp_enqueue_elem(a->log, r, sizeof(*r)) != 0)
		stats_inc(&a->w->stats, STAT_http_log_dropped);
}

/* Copy the method token at the start of a request (for a 405's log line). */
static void
log_method(struct http_app *a, const uint8_t *data, uint32_t len)
{
	uint32_t i = 0, o = 0;

	while (i < len && (data[i] == '\r' || data[i] == '\n'))
		i++;
	while (i < len && o + 1 < sizeof(a->rec.method_tok) && data[i] > ' ' && data[i] < 0x7f)
		a->rec.method_tok[o++] = (char)data[i++];
	a->rec.method_tok[o] = '\0';
}

static void
count_error(struct stats_worker *st, uint16_t status)
{
	switch (status) {
	case 405:
		stats_inc(st, STAT_http_err_405);
		break;
	case 413:
		stats_inc(st, STAT_http_err_413);
		break;
	case 414:
		stats_inc(st, STAT_http_err_414);
		break;
	case 431:
		stats_inc(st, STAT_http_err_431);
		break;
	case 501:
		stats_inc(st, STAT_http_err_501);
		break;
	case 505:
		stats_inc(st, STAT_http_err_505);
		break;
	default:
		stats_inc(st, STAT_http_err_400);
		break;
	}
}

static void
conn_recv(struct tcp_ctx *c, struct tcb *t, const uint8_t *data, uint32_t len, void *arg)
{
	struct http_app *a = arg;
	struct http_conn *hc = tcp_app_data(t);
	struct stats_worker *st = &a->w->stats;

	while (len > 0 && !hc->closing) {
		uint32_t used = 0;
		bool fresh = hc->req.state == 0 && hc->req.hdr_bytes == 0;
		uint32_t body0 = hc->req.body_bytes;
		char *path = NULL;

		if (a->log != NULL && fresh) {
			a->rec.path[0] = '\0';
			log_method(a, data, len);
		}
		if (a->log != NULL && fresh)
			path = a->rec.path; /* a target split over segments is cut */
		int rc = http_req_parse(&hc->req, data, len, &used, path, sizeof(a->rec.path));
		stats_add(st, STAT_http_body_bytes, hc->req.body_bytes - body0);
		if (rc == HTTP_AGAIN) {
			if (!hc->continued && http_req_wants_continue(&hc->req)) {
				struct http_iov ci = http_server_continue();

				hc->continued = 1;
				stats_inc(st, STAT_http_continue);
				if (tcp_send(c, t, ci.base, ci.len) != 0)
					tcp_abort(c, t);
			}
			return;
		}
		struct http_iov iov[2];
		time_t now = *a->clock;
		if (unlikely(now != a->date))
			date_gen_next(a, now);
		uint32_t rnd = a->rnd;
		a->rnd ^= a->rnd << 13;
		a->rnd ^= a->rnd >> 17;
		a->rnd ^= a->rnd << 5;
		int keep = http_server_response_r(a->srv, &hc->req, rnd,
						  a->gens + ((size_t)a->cur << a->gen_shift), iov);
		uint32_t bytes = iov[0].len + iov[1].len;
		uint16_t status = http_server_status(a->srv, &hc->req, rnd);
		stats_inc(st, STAT_http_req);
		if (hc->req.flags & (HTTP_F_HAS_LENGTH | HTTP_F_CHUNKED) && hc->req.body_bytes > 0)
			stats_inc(st, STAT_http_req_body);
		if (rc == HTTP_ERROR) {
			status = hc->req.status;
			count_error(st, status);
		} else {
			stats_inc(st, status == 200 ? STAT_http_resp_200 : STAT_http_resp_route);
			if (hc->req.flags & HTTP_F_GZIP && http_server_body(a->srv, true).len != 0)
				stats_inc(st, STAT_http_resp_gzip);
		}
		stats_add(st, STAT_http_resp_bytes, bytes);
		if (a->log != NULL && --a->sample_left == 0) {
			a->sample_left = a->sample;
			access_log(a, t, &hc->req, status, bytes, rnd);
		}
		if (tcp_send(c, t, iov[0].base, iov[0].len) != 0) {
			tcp_abort(c, t);
			return;
		}
		a->refs[a->cur]++; /* released() drops it, also when aborted below */
		if (iov[1].len != 0 && tcp_send(c, t, iov[1].base, iov[1].len) != 0) {
			tcp_abort(c, t);
			return;
		}
		if (rc == HTTP_ERROR || keep == HTTP_SERVER_CLOSE) {
			hc->closing = 1;
			tcp_close(c, t);
			return;
		}
		http_req_init_limit(&hc->req, a->max_body);
		hc->continued = 0;
		data += used;
		len -= used;
	}
}

/* conn_recv, then the timer for what the connection waits for next. */
static void
conn_recv_timed(struct tcp_ctx *c, struct tcb *t, const uint8_t *data, uint32_t len, void *arg)
{
	struct http_conn *hc = tcp_app_data(t);

	conn_recv(c, t, data, len, arg);
	if (tcp_get_state(t) == TCP_CLOSED)
		return;
	if (hc->closing)
		conn_wait(c, t, arg, HC_WAIT_CLOSE);
	else if (hc->req.state != 0 || hc->req.hdr_bytes != 0)
		conn_wait(c, t, arg, HC_WAIT_HDR);
	else
		conn_wait(c, t, arg, HC_WAIT_KA);
}

/*
 * A timeout of conn_wait: a request that did not come (or not whole) is
 * reset at once -- nothing is owed to such a client, and a FIN would leave
 * a FIN-WAIT state that a slowloris client keeps; an idle keep-alive
 * connection is closed with FIN, and reset when its peer does not close
 * within the same time. Each counted under its cause.
 */
static void
conn_timeout(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct http_app *a = arg;
	struct http_conn *hc = tcp_app_data(t);
	struct stats_worker *st = &a->w->stats;
	struct tcp_info ti;

	switch (hc->wait) {
	case HC_WAIT_REQ:
	case HC_WAIT_HDR:
		stats_inc(st, STAT_http_close_header_timeout);
		tcp_abort(c, t);
		break;
	case HC_WAIT_KA:
		tcp_get_info(t, &ti);
		if (ti.queued != 0) { /* still sending the last response */
			hc->wait = HC_WAIT_NONE;
			conn_wait(c, t, a, HC_WAIT_KA);
			break;
		}
		stats_inc(st, STAT_http_close_keepalive);
		hc->closing = 1;
		tcp_close(c, t);
		conn_wait(c, t, a, HC_WAIT_CLOSE);
		break;
	case HC_WAIT_CLOSE:
		stats_inc(st, STAT_http_close_linger);
		tcp_abort(c, t);
		break;
	default:
		break;
	}
}

static void
conn_peer_closed(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	/* The client is done sending: answer what it asked (already queued),
	 * then close our side. */
	tcp_close(c, t);
}

struct http_app *
http_app_create(struct worker *w, const struct http_server *srv, struct http_log *log,
		uint32_t sample, struct tcp_app *ops)
{
	struct http_app *a = calloc(1, sizeof(*a));
	uint32_t shift = 3;

	if (a == NULL)
		return NULL;
	while ((1u << shift) < http_server_gen_size(srv))
		shift++;
	/* untouched generations cost address space only */
	a->gens = malloc((size_t)HTTP_GENS << shift);
	if (a->gens == NULL) {
		free(a);
		return NULL;
	}
	a->gen_shift = shift;
	a->clock = http_server_clock(srv);
	a->date = *a->clock;
	http_server_gen_fill(srv, a->gens, a->date);
	a->srv = srv;
	a->w = w;
	if (log != NULL) {
		a->log = http_log_ring_new(log);
		if (a->log == NULL) {
			free(a->gens);
			free(a);
			return NULL;
		}
	}
	a->max_body = http_server_max_body(srv);
	a->rnd = (0x9e3779b9u ^ (w->id * 0x85ebca6bu)) | 1u; /* never 0 */
	a->sample = sample ? sample : 1;
	a->sample_left = 1;
	memset(ops, 0, sizeof(*ops));
	ops->accepted = conn_accepted;
	ops->recv = conn_recv_timed;
	ops->peer_closed = conn_peer_closed;
	ops->timeout = conn_timeout;
	ops->released = conn_released;
	ops->arg = a;
	a->ops = *ops;
	return a;
}

void
http_app_set_timeouts(struct http_app *a, uint32_t header_ms, uint32_t keepalive_ms)
{
	a->header_ms = header_ms;
	a->keepalive_ms = keepalive_ms;
}

int
http_app_start(struct http_app *a, struct tcp_ctx *tcp, const uint16_t *ports, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		int r = tcp_listen_app(tcp, ports[i], &a->ops);

		if (r != 0) {
			for (unsigned int j = 0; j < i; j++)
				tcp_unlisten(tcp, ports[j]);
			return r;
		}
	}
	return worker_app_add(a->w, &http_app_class, a, false) < 0 ? -ENOSPC : 0;
}

static void
app_free(void *obj)
{
	http_app_free(obj);
}

const struct app_class http_app_class = {
	.name = "http server",
	.free = app_free,
};

void
http_app_free(struct http_app *a)
{
	if (a == NULL)
		return;
	free(a->gens);
	free(a);
}
