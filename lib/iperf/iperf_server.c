/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The iperf3 server on one worker: one test at a time, as iperf3 -s.
 *
 * Connections to the port are told apart by when they arrive: with no test
 * running, the first one is the control connection; while the test is
 * creating its streams, a connection whose first 37 bytes are the test's
 * cookie is a stream; anything else gets ACCESS_DENIED (one byte) and a FIN.
 * UDP streams are the sources of the 4-byte connect datagrams that arrive
 * while streams are being created (answered with "6789").
 *
 * Received data is only counted. Sent data (reverse) comes from one
 * pseudo-random block of IPERF_SRV_BLOCK bytes, referenced by tcp_send in
 * chunks (at most IPERF_SRV_INFLIGHT bytes queued per stream) or copied
 * into UDP datagrams paced from the worker's poll hook.
 *
 * Byte counts: a receiving stream reports what it received, and the server
 * answers the client's results only when every stream has received what the
 * client says it sent (or IPERF_SRV_DRAIN_MS passed), so both sides of
 * iperf3's summary agree; a sending TCP stream reports the bytes the client
 * had acknowledged when TEST_END arrived.
 *
 * Control output is appended to a per-test buffer that lives until the next
 * test but one (tcp_send references it until acknowledged).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>

#include <rte_byteorder.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "lib/stack/pace.h"
#include "lib/net/net.h"
#include "lib/tcp/tcp.h"
#include "lib/udp/udp.h"
#include "iperf.h"
#include "iperf_priv.h"

#define IPERF_SRV_DRAIN_MS  2000  /* wait for in-flight stream data before results */
#define IPERF_SRV_CREATE_MS 10000 /* streams must connect within this */

enum conn_kind {
	CONN_NONE = 0,
	CONN_CTL,     /* the test's control connection */
	CONN_PENDING, /* reading a stream's cookie */
	CONN_STREAM,  /* a TCP stream of the test */
	CONN_DENIED,  /* refused or left over: ignored until closed */
};

/* tcp_app_data(t): must fit TCP_APP_DATA (48) bytes */
struct conn {
	uint8_t kind;
	uint8_t have; /* cookie bytes read (PENDING) */
	uint16_t idx; /* stream index (STREAM) */
	char cookie[IPERF_COOKIE_LEN];
};

struct srv_stream {
	struct tcb *t; /* TCP; NULL once closed */
	int32_t id;
	uint64_t rx;		/* TCP bytes received (after the cookie) */
	uint64_t queued, acked; /* TCP sending */
	uint64_t acked_at_end;
	uint32_t retrans; /* TCP sending: segments retransmitted, as of TEST_END */
	/* UDP */
	struct worker_port *wp;
	rte_be32_t ip;
	rte_be16_t port;
	struct iperf_udp_rx urx;
	uint64_t udp_sent, udp_bytes;
	/* pacing of sending (bytes or datagrams) */
	uint64_t tokens, last;
};

struct srv_test {
	bool active;
	enum iperf_phase ph;
	bool failed;
	bool draining;
	struct tcb *ctl;
	char cookie[IPERF_COOKIE_LEN];
	struct iperf_rx rx;
	struct iperf_params p;
	uint32_t nb_streams;
	uint32_t pending; /* PENDING connections */
	uint64_t t_create, t_start, t_end, t_last, t_drain;
	struct rusage ru0;
	struct timeval tv0;
	double cpu[3];		     /* total, user, system at TEST_END */
	struct iperf_results theirs; /* the client's results */
	uint8_t *out;		     /* control output (one of two buffers) */
	uint32_t out_len;
	struct srv_stream st[IPERF_MAX_STREAMS];
};

struct iperf_server {
	struct worker *w;
	struct tcp_ctx *tcp;
	struct udp_ctx *udp;
	struct iperf_server_conf conf;
	int uslot; /* its UDP application slot, -1 without UDP */
	uint64_t tests, failed;
	uint8_t *block;	    /* IPERF_SRV_BLOCK pseudo-random bytes */
	uint8_t *outbuf[2]; /* control output, alternating per test */
	char *rxbuf;	    /* IPERF_JSON_MAX + 1 */
	uint8_t *dgram;	    /* one UDP payload being built */
	struct srv_test test;
	struct tcp_app ops;
};

static const int8_t denied_byte = IPERF_ACCESS_DENIED;

static inline struct conn *
conn_of(struct tcb *t)
{
	return tcp_app_data(t);
}

static double
tsc_s(const struct worker *w, uint64_t tsc)
{
	return (double)tsc / (double)w->hz;
}

static void
deny(struct iperf_server *s, struct tcb *t)
{
	conn_of(t)->kind = CONN_DENIED;
	if (tcp_send(s->tcp, t, &denied_byte, 1) == 0)
		stats_inc(&s->w->stats, STAT_iperf_denied);
	tcp_close(s->tcp, t);
}

/* Append to the control output and queue it. */
static int
ctl_send(struct iperf_server *s, const void *data, uint32_t len)
{
	struct srv_test *x = &s->test;

	if (x->ctl == NULL)
		return -ENOTCONN;
	if (x->out_len + len > IPERF_OUT_MAX)
		return -ENOBUFS;
	memcpy(x->out + x->out_len, data, len);
	int rc = tcp_send(s->tcp, x->ctl, x->out + x->out_len, len);
	x->out_len += len;
	return rc;
}

static int
ctl_state(struct iperf_server *s, int8_t state)
{
	return ctl_send(s, &state, 1);
}

static int
ctl_json(struct iperf_server *s, const char *json)
{
	uint32_t n = (uint32_t)strlen(json);
	uint8_t hdr[4] = {(uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};

	if (ctl_send(s, hdr, 4) != 0)
		return -ENOBUFS;
	return ctl_send(s, json, n);
}

/* SERVER_ERROR, then iperf3's error number and errno (big-endian). */
static void
ctl_error(struct iperf_server *s, int ie, int err)
{
	uint8_t b[9] = {(uint8_t)IPERF_SERVER_ERROR};
	uint32_t v[2] = {rte_cpu_to_be_32((uint32_t)ie), rte_cpu_to_be_32((uint32_t)err)};

	memcpy(b + 1, v, 8);
	ctl_send(s, b, sizeof(b));
}

/*
 * End the test: close the control connection and every stream (FIN after
 * what is queued), forget them. Their TCBs live on as DENIED until closed.
 */
static void
test_end(struct iperf_server *s, bool ok)
{
	struct srv_test *x = &s->test;

	if (!x->active)
		return;
	if (x->ctl != NULL) {
		conn_of(x->ctl)->kind = CONN_DENIED;
		tcp_close(s->tcp, x->ctl);
	}
	for (uint32_t i = 0; i < x->nb_streams; i++) {
		if (x->st[i].t != NULL) {
			conn_of(x->st[i].t)->kind = CONN_DENIED;
			tcp_close(s->tcp, x->st[i].t);
		}
	}
	if (x->p.udp && s->udp != NULL)
		udp_bind(s->udp, s->conf.port, UDP_PORT_NONE);
	x->active = false;
	x->ctl = NULL;
	s->tests++;
	if (!ok || x->failed) {
		s->failed++;
		stats_inc(&s->w->stats, STAT_iperf_test_failed);
	} else {
		stats_inc(&s->w->stats, STAT_iperf_test_ok);
	}
}

/* End the test as failed; one line on stderr (a rare, cold event). */
static void
fail(struct iperf_server *s, const char *why)
{
	if (s->test.active)
		fprintf(stderr, "iperf: test ended in phase %s: %s\n", iperf_phase_name(s->test.ph),
			why);
	s->test.failed = true;
	test_end(s, false);
}

static void
cpu_snapshot(struct srv_test *x)
{
	struct rusage ru;
	struct timeval tv;

	getrusage(RUSAGE_SELF, &ru);
	gettimeofday(&tv, NULL);
	double wall = (double)(tv.tv_sec - x->tv0.tv_sec) + (tv.tv_usec - x->tv0.tv_usec) / 1e6;
	double u = (double)(ru.ru_utime.tv_sec - x->ru0.ru_utime.tv_sec) +
		   (ru.ru_utime.tv_usec - x->ru0.ru_utime.tv_usec) / 1e6;
	double k = (double)(ru.ru_stime.tv_sec - x->ru0.ru_stime.tv_sec) +
		   (ru.ru_stime.tv_usec - x->ru0.ru_stime.tv_usec) / 1e6;
	if (wall <= 0)
		wall = 1e-6;
	x->cpu[1] = 100.0 * u / wall;
	x->cpu[2] = 100.0 * k / wall;
	x->cpu[0] = x->cpu[1] + x->cpu[2];
}

/* ---- TCP sending (reverse) ---- */

static uint64_t
pace_bytes(struct iperf_server *s, struct srv_stream *st)
{
	struct worker *w = s->w;
	uint64_t rate = s->test.p.bandwidth / 8;

	if (rate == 0)
		return UINT64_MAX;
	/* burst: 10 ms worth, at least one chunk */
	uint64_t burst = rate / 100 > IPERF_SRV_CHUNK ? rate / 100 : IPERF_SRV_CHUNK;
	return pace_refill(&st->tokens, &st->last, w->now, rate, w->hz,
			   (uint32_t)RTE_MIN(burst, UINT32_MAX));
}

static void
tcp_fill(struct iperf_server *s, struct srv_stream *st)
{
	struct srv_test *x = &s->test;
	uint64_t avail;

	if (st->t == NULL || x->ph != IPERF_PH_RUNNING || !x->p.reverse)
		return;
	avail = pace_bytes(s, st);
	while (st->queued - st->acked < IPERF_SRV_INFLIGHT) {
		uint64_t off = st->queued % IPERF_SRV_BLOCK;
		uint32_t n = IPERF_SRV_CHUNK;

		if (x->p.bytes != 0 && st->queued >= x->p.bytes / x->nb_streams)
			break;
		if (n > IPERF_SRV_BLOCK - off)
			n = (uint32_t)(IPERF_SRV_BLOCK - off);
		if (avail != UINT64_MAX) {
			if (avail < n)
				break;
			avail -= n;
			pace_take(&st->tokens, n, s->w->hz);
		}
		if (tcp_send(s->tcp, st->t, s->block + off, n) != 0)
			break;
		st->queued += n;
	}
	if (s->test.p.bandwidth != 0)
		tcp_app_timer(s->tcp, st->t, 1);
}

/* ---- the test ---- */

static void
test_start(struct iperf_server *s)
{
	struct srv_test *x = &s->test;

	if (ctl_state(s, IPERF_TEST_START) != 0 || ctl_state(s, IPERF_TEST_RUNNING) != 0) {
		fail(s, "control send");
		return;
	}
	x->ph = IPERF_PH_RUNNING;
	x->t_start = x->t_last = s->w->now;
	getrusage(RUSAGE_SELF, &x->ru0);
	gettimeofday(&x->tv0, NULL);
	for (uint32_t i = 0; i < x->nb_streams; i++) {
		x->st[i].last = s->w->now;
		x->st[i].tokens = 0;
		if (!x->p.udp)
			tcp_fill(s, &x->st[i]);
	}
}

/* Stream i's results as iperf3 reports them. */
static void
stream_result(struct iperf_server *s, uint32_t i, struct iperf_stream_res *r)
{
	struct srv_test *x = &s->test;
	struct srv_stream *st = &x->st[i];

	memset(r, 0, sizeof(*r));
	r->id = st->id;
	r->retransmits = -1;
	r->start_time = 0;
	r->end_time = tsc_s(s->w, x->t_end - x->t_start);
	if (x->p.udp && x->p.reverse) {
		r->bytes = st->udp_bytes;
		r->packets = (int64_t)st->udp_sent;
		r->retransmits = 0;
	} else if (x->p.udp) {
		r->bytes = st->urx.bytes;
		r->jitter = st->urx.jitter;
		r->errors = st->urx.errors;
		r->packets = st->urx.packets;
	} else if (x->p.reverse) {
		r->bytes = st->acked_at_end;
		r->retransmits = st->retrans;
	} else {
		r->bytes = st->rx;
	}
}

static void
send_results(struct iperf_server *s)
{
	struct srv_test *x = &s->test;
	struct iperf_results *r = malloc(sizeof(*r));
	char *json;

	if (r == NULL) {
		fail(s, "ENOMEM");
		return;
	}
	memset(r, 0, sizeof(*r));
	r->cpu_total = x->cpu[0];
	r->cpu_user = x->cpu[1];
	r->cpu_system = x->cpu[2];
	/* as iperf3 on Linux (TCP_INFO): the TCP sender reports its
	 * retransmits; a UDP sender has none to report; the receiver -1 */
	r->sender_has_retransmits = !x->p.reverse ? -1 : x->p.udp ? 0 : 1;
	if (!x->p.udp)
		snprintf(r->congestion, sizeof(r->congestion), "newreno");
	r->nb_streams = x->nb_streams;
	for (uint32_t i = 0; i < x->nb_streams; i++)
		stream_result(s, i, &r->streams[i]);
	json = iperf_results_build(r);
	free(r);
	x->draining = false;
	if (json == NULL || ctl_json(s, json) != 0 || ctl_state(s, IPERF_DISPLAY_RESULTS) != 0) {
		free(json);
		fail(s, "control send");
		return;
	}
	free(json);
	x->ph = IPERF_PH_DISPLAY;
	iperf_rx_expect(&x->rx, IPERF_MSG_STATE);
}

/* Forward TCP: has every stream received what the client says it sent? */
static bool
drained(const struct iperf_server *s)
{
	const struct srv_test *x = &s->test;

	if (x->p.udp || x->p.reverse)
		return true;
	for (uint32_t i = 0; i < x->theirs.nb_streams; i++) {
		const struct iperf_stream_res *c = &x->theirs.streams[i];
		for (uint32_t j = 0; j < x->nb_streams; j++)
			if (x->st[j].id == c->id && x->st[j].rx < c->bytes && x->st[j].t != NULL)
				return false;
	}
	return true;
}

static void
check_drain(struct iperf_server *s)
{
	struct srv_test *x = &s->test;

	if (!x->draining)
		return;
	if (drained(s) || s->w->now - x->t_drain > IPERF_SRV_DRAIN_MS * (s->w->hz / 1000))
		send_results(s);
}

/* The stream's retransmitted segments so far (the TCB's count; kept once it is gone). */
static void
stream_note_retrans(struct srv_stream *st)
{
	struct tcp_info ti;

	if (st->t == NULL)
		return;
	tcp_get_info(st->t, &ti);
	st->retrans = ti.total_retrans;
}

/* TEST_END: stop the clock, stop sending, ask for the results. */
static void
test_stop(struct iperf_server *s)
{
	struct srv_test *x = &s->test;

	x->t_end = s->w->now;
	cpu_snapshot(x);
	for (uint32_t i = 0; i < x->nb_streams; i++) {
		struct srv_stream *st = &x->st[i];

		st->acked_at_end = st->acked;
		stream_note_retrans(st);
		if (x->p.reverse && st->t != NULL) {
			/* as iperf3: the sender closes its streams at the end */
			tcp_app_timer(s->tcp, st->t, 0);
			tcp_close(s->tcp, st->t);
		}
	}
	if (ctl_state(s, IPERF_EXCHANGE_RESULTS) != 0) {
		fail(s, "control send");
		return;
	}
	x->ph = IPERF_PH_RESULTS;
	iperf_rx_expect(&x->rx, IPERF_MSG_JSON);
}

static void
on_message(struct iperf_server *s)
{
	struct srv_test *x = &s->test;
	char err[160];
	enum iperf_phase next;
	int rc;

	switch (x->ph) {
	case IPERF_PH_COOKIE:
		memcpy(x->cookie, x->rx.buf, IPERF_COOKIE_LEN);
		if (ctl_state(s, IPERF_PARAM_EXCHANGE) != 0) {
			fail(s, "control send");
			return;
		}
		x->ph = IPERF_PH_PARAMS;
		iperf_rx_expect(&x->rx, IPERF_MSG_JSON);
		return;
	case IPERF_PH_PARAMS:
		if (iperf_params_parse(x->rx.buf, x->rx.have, &x->p, err, sizeof(err)) != 0 ||
		    (x->p.udp && s->udp == NULL && snprintf(err, sizeof(err), "no UDP here") > 0) ||
		    (x->p.udp &&
		     x->p.len + NET_ETH_HLEN + NET_IPV4_HLEN + NET_UDP_HLEN >
			     (uint32_t)RTE_MIN(IPERF_SRV_DGRAM_MAX, 1514u) &&
		     snprintf(err, sizeof(err), "\"len\": %u does not fit one frame", x->p.len) >
			     0)) {
			stats_inc(&s->w->stats, STAT_iperf_bad_params);
			ctl_error(s, IPERF_IE_RECVPARAMS, EINVAL);
			fail(s, err);
			return;
		}
		if (x->p.udp)
			(void)udp_bind_app(s->udp, s->conf.port, s->uslot); /* ours since create */
		if (ctl_state(s, IPERF_CREATE_STREAMS) != 0) {
			fail(s, "control send");
			return;
		}
		x->ph = IPERF_PH_CREATE;
		x->t_create = s->w->now;
		iperf_rx_expect(&x->rx, IPERF_MSG_STATE);
		return;
	case IPERF_PH_RESULTS:
		if (iperf_results_parse(x->rx.buf, x->rx.have, &x->theirs, err, sizeof(err)) != 0) {
			fail(s, err);
			return;
		}
		x->draining = true;
		x->t_drain = s->w->now;
		iperf_rx_expect(&x->rx, IPERF_MSG_STATE);
		check_drain(s);
		return;
	default:
		rc = iperf_srv_step(x->ph, (int8_t)x->rx.buf[0], &next);
		if (rc != 0) {
			fail(s, "unexpected state");
			return;
		}
		if (next == IPERF_PH_RESULTS) {
			test_stop(s); /* expects the client's results */
		} else if (next == IPERF_PH_DONE) {
			x->ph = IPERF_PH_DONE;
			test_end(s, true);
		}
		return;
	}
}

static void
ctl_input(struct iperf_server *s, const uint8_t *data, uint32_t len)
{
	struct srv_test *x = &s->test;

	x->t_last = s->w->now;
	while (len > 0 && x->active) {
		uint32_t used;
		enum iperf_rx_rc rc;

		if (x->draining) /* nothing is expected before our results */
			return;
		rc = iperf_rx_feed(&x->rx, data, len, &used);
		data += used;
		len -= used;
		if (rc == IPERF_RX_ERROR) {
			fail(s, "malformed control message");
			return;
		}
		if (rc == IPERF_RX_AGAIN)
			return;
		on_message(s);
	}
}

static int32_t
stream_id(uint32_t n)
{
	return n == 0 ? 1 : (int32_t)n + 2; /* 1, 3, 4, 5, ... as iperf3 */
}

static void
add_tcp_stream(struct iperf_server *s, struct tcb *t, const uint8_t *rest, uint32_t len)
{
	struct srv_test *x = &s->test;
	uint32_t i = x->nb_streams++;
	struct srv_stream *st = &x->st[i];
	struct conn *cd = conn_of(t);

	memset(st, 0, sizeof(*st));
	st->t = t;
	st->id = stream_id(i);
	st->rx = len;
	(void)rest;
	cd->kind = CONN_STREAM;
	cd->idx = (uint16_t)i;
	if (x->nb_streams == x->p.parallel)
		test_start(s);
}

/* ---- TCP callbacks ---- */

static void
srv_accepted(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct iperf_server *s = arg;
	struct srv_test *x = &s->test;
	struct conn *cd = conn_of(t);

	(void)c;
	if (!x->active) {
		memset(x, 0, offsetof(struct srv_test, st));
		x->active = true;
		x->ph = IPERF_PH_COOKIE;
		x->ctl = t;
		x->out = s->outbuf[s->tests & 1];
		x->t_last = s->w->now;
		iperf_rx_init(&x->rx, s->rxbuf, IPERF_JSON_MAX + 1, IPERF_MSG_COOKIE);
		cd->kind = CONN_CTL;
		tcp_app_timer(s->tcp, t, 100);
		return;
	}
	if (x->ph == IPERF_PH_CREATE && !x->p.udp && x->nb_streams + x->pending < x->p.parallel) {
		cd->kind = CONN_PENDING;
		x->pending++;
		return;
	}
	deny(s, t);
}

static void
srv_recv(struct tcp_ctx *c, struct tcb *t, const uint8_t *data, uint32_t len, void *arg)
{
	struct iperf_server *s = arg;
	struct srv_test *x = &s->test;
	struct conn *cd = conn_of(t);

	(void)c;
	switch (cd->kind) {
	case CONN_CTL:
		ctl_input(s, data, len);
		return;
	case CONN_STREAM:
		x->st[cd->idx].rx += len;
		x->t_last = s->w->now;
		if (x->draining)
			check_drain(s);
		return;
	case CONN_PENDING: {
		uint32_t n = RTE_MIN(len, (uint32_t)(IPERF_COOKIE_LEN - cd->have));

		memcpy(cd->cookie + cd->have, data, n);
		cd->have = (uint8_t)(cd->have + n);
		if (cd->have < IPERF_COOKIE_LEN)
			return;
		x->pending--;
		if (x->active && x->ph == IPERF_PH_CREATE &&
		    memcmp(cd->cookie, x->cookie, IPERF_COOKIE_LEN) == 0 &&
		    x->nb_streams < x->p.parallel)
			add_tcp_stream(s, t, data + n, len - n);
		else
			deny(s, t);
		return;
	}
	default:
		return;
	}
}

static void
srv_sent(struct tcp_ctx *c, struct tcb *t, uint32_t acked, void *arg)
{
	struct iperf_server *s = arg;
	struct conn *cd = conn_of(t);

	(void)c;
	if (cd->kind != CONN_STREAM)
		return;
	struct srv_stream *st = &s->test.st[cd->idx];
	st->acked += acked;
	s->test.t_last = s->w->now;
	tcp_fill(s, st);
}

static void
srv_peer_closed(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct iperf_server *s = arg;
	struct conn *cd = conn_of(t);

	(void)c;
	if (cd->kind == CONN_CTL && s->test.ph != IPERF_PH_DONE) {
		fail(s, "the client closed the control connection");
		return;
	}
	if (cd->kind == CONN_PENDING) {
		s->test.pending--;
		cd->kind = CONN_DENIED;
	}
	tcp_close(s->tcp, t);
}

static void
srv_closed(struct tcp_ctx *c, struct tcb *t, enum tcp_close_reason why, void *arg)
{
	struct iperf_server *s = arg;
	struct srv_test *x = &s->test;
	struct conn *cd = conn_of(t);

	(void)c;
	(void)why;
	switch (cd->kind) {
	case CONN_CTL:
		x->ctl = NULL;
		fail(s, "control connection lost");
		break;
	case CONN_STREAM:
		if (x->t_end == 0)
			stream_note_retrans(&x->st[cd->idx]);
		x->st[cd->idx].t = NULL;
		if (x->draining)
			check_drain(s);
		break;
	case CONN_PENDING:
		x->pending--;
		break;
	default:
		break;
	}
	cd->kind = CONN_NONE;
}

static void
srv_timeout(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	struct iperf_server *s = arg;
	struct srv_test *x = &s->test;
	struct conn *cd = conn_of(t);
	uint64_t ms = s->w->hz / 1000;

	(void)c;
	if (cd->kind == CONN_STREAM) {
		tcp_fill(s, &x->st[cd->idx]);
		return;
	}
	if (cd->kind != CONN_CTL)
		return;
	if (x->draining) {
		check_drain(s);
		if (x->active)
			tcp_app_timer(s->tcp, t, 5);
		return;
	}
	if ((x->ph == IPERF_PH_CREATE && s->w->now - x->t_create > IPERF_SRV_CREATE_MS * ms) ||
	    (s->conf.idle_ms != 0 && s->w->now - x->t_last > s->conf.idle_ms * ms)) {
		fail(s, "timeout");
		return;
	}
	tcp_app_timer(s->tcp, t, x->ph == IPERF_PH_RESULTS ? 5 : 100);
}

/* ---- UDP ---- */

static void
udp_reply(struct iperf_server *s, struct srv_stream *st, const void *payload, uint32_t len)
{
	struct worker *w = s->w;
	struct rte_mbuf *m = rte_pktmbuf_alloc(w->pool);
	struct rte_ether_addr zero = {{0}};

	if (m == NULL) {
		stats_inc(&w->stats, STAT_drop_pool_empty);
		return;
	}
	uint32_t flen = net_udp_build(rte_pktmbuf_mtod(m, uint8_t *), &st->wp->mac, &zero,
				      st->wp->ip, st->ip, rte_cpu_to_be_16(s->conf.port), st->port,
				      0, payload, (uint16_t)len);
	m->data_len = m->pkt_len = flen;
	worker_send_ip(w, st->wp, m, st->ip);
	stats_inc(&w->stats, STAT_udp_tx);
}

static void
srv_udp_recv(struct udp_ctx *c, const struct udp_dgram *d, void *arg)
{
	struct iperf_server *s = arg;
	struct srv_test *x = &s->test;
	struct srv_stream *st = NULL;
	static const uint8_t reply[IPERF_UDP_CONNECT_LEN] = {'6', '7', '8', '9'};

	(void)c;
	if (!x->active || !x->p.udp || d->dport != rte_cpu_to_be_16(s->conf.port))
		return;
	for (uint32_t i = 0; i < x->nb_streams; i++)
		if (x->st[i].ip == d->sip && x->st[i].port == d->sport)
			st = &x->st[i];
	if (st == NULL) {
		if (x->ph != IPERF_PH_CREATE || d->len != IPERF_UDP_CONNECT_LEN ||
		    x->nb_streams >= x->p.parallel)
			return;
		uint32_t i = x->nb_streams++;
		st = &x->st[i];
		memset(st, 0, sizeof(*st));
		st->id = stream_id(i);
		st->wp = d->wp;
		st->ip = d->sip;
		st->port = d->sport;
		udp_reply(s, st, reply, sizeof(reply));
		if (x->nb_streams == x->p.parallel)
			test_start(s);
		return;
	}
	if (d->len == IPERF_UDP_CONNECT_LEN && x->ph == IPERF_PH_CREATE) {
		udp_reply(s, st, reply, sizeof(reply));
		return;
	}
	if (x->p.reverse || (x->ph != IPERF_PH_RUNNING && x->ph != IPERF_PH_RESULTS))
		return;
	struct iperf_udp_hdr h;
	if (iperf_udp_hdr_decode(d->data, d->len, x->p.udp_counters_64bit, &h) != 0)
		return;
	iperf_udp_rx_update(&st->urx, &h, tsc_s(s->w, s->w->now), d->len);
	x->t_last = s->w->now;
}

/* Reverse UDP: each stream's datagrams at its bandwidth, from the poll hook. */
static void
udp_send_streams(struct iperf_server *s)
{
	struct srv_test *x = &s->test;
	struct worker *w = s->w;
	struct timeval tv;

	gettimeofday(&tv, NULL);
	for (uint32_t i = 0; i < x->nb_streams; i++) {
		struct srv_stream *st = &x->st[i];
		struct rte_ether_addr mac;
		uint64_t rate = x->p.bandwidth / (8ull * x->p.len), n;

		if (neigh_resolve(w, st->wp, worker_next_hop(st->wp, st->ip), &mac) != 0)
			continue;
		n = IPERF_SRV_UDP_BURST;
		if (rate != 0)
			n = RTE_MIN(n, pace_refill(&st->tokens, &st->last, w->now, rate, w->hz,
						   IPERF_SRV_UDP_BURST));
		if (x->p.bytes != 0 && st->udp_bytes >= x->p.bytes / x->nb_streams)
			n = 0;
		for (uint64_t k = 0; k < n; k++) {
			struct rte_mbuf *m = rte_pktmbuf_alloc(w->pool);
			struct iperf_udp_hdr h = {
				.sec = (uint32_t)tv.tv_sec,
				.usec = (uint32_t)tv.tv_usec,
				.count = st->udp_sent + 1,
			};

			if (m == NULL) {
				stats_inc(&w->stats, STAT_drop_pool_empty);
				break;
			}
			iperf_udp_hdr_encode(s->dgram, x->p.len, &h, x->p.udp_counters_64bit);
			uint32_t flen = net_udp_build(rte_pktmbuf_mtod(m, uint8_t *), &st->wp->mac,
						      &mac, st->wp->ip, st->ip,
						      rte_cpu_to_be_16(s->conf.port), st->port, 0,
						      s->dgram, (uint16_t)x->p.len);
			m->data_len = m->pkt_len = flen;
			worker_tx(w, st->wp, m);
			st->udp_sent++;
			st->udp_bytes += x->p.len;
		}
		if (rate != 0 && n != 0)
			pace_take(&st->tokens, n, w->hz);
		stats_add(&w->stats, STAT_udp_tx, n);
	}
}

static void
srv_poll(struct worker *w, void *arg)
{
	struct iperf_server *s = arg;
	struct srv_test *x = &s->test;

	(void)w;
	if (x->active && x->p.udp && x->p.reverse && x->ph == IPERF_PH_RUNNING)
		udp_send_streams(s);
}

static void
srv_free(void *obj)
{
	iperf_server_free(obj);
}

const struct app_class iperf_server_class = {
	.name = "iperf3 server",
	.poll = srv_poll,
	.free = srv_free,
};

struct iperf_server *
iperf_server_create(struct worker *w, struct tcp_ctx *tcp, struct udp_ctx *udp,
		    const struct iperf_server_conf *conf)
{
	struct iperf_server *s;

	RTE_BUILD_BUG_ON(sizeof(struct conn) > TCP_APP_DATA);
	s = rte_zmalloc("iperf_server", sizeof(*s), RTE_CACHE_LINE_SIZE);
	if (s == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	s->w = w;
	s->tcp = tcp;
	s->udp = udp;
	s->conf = *conf;
	s->block = rte_malloc("iperf_block", IPERF_SRV_BLOCK, 0);
	s->outbuf[0] = rte_malloc("iperf_out", IPERF_OUT_MAX, 0);
	s->outbuf[1] = rte_malloc("iperf_out", IPERF_OUT_MAX, 0);
	s->rxbuf = rte_malloc("iperf_rx", IPERF_JSON_MAX + 1, 0);
	s->dgram = rte_zmalloc("iperf_dgram", IPERF_SRV_DGRAM_MAX, 0);
	if (s->block == NULL || s->outbuf[0] == NULL || s->outbuf[1] == NULL || s->rxbuf == NULL ||
	    s->dgram == NULL) {
		iperf_server_free(s);
		errno = ENOMEM;
		return NULL;
	}
	iperf_fill_random(s->block, IPERF_SRV_BLOCK, 0x5eed ^ w->id);
	(void)tcp_zc_register(tcp, s->block, IPERF_SRV_BLOCK); /* sent zero-copy where it can */
	iperf_fill_random(s->dgram, IPERF_SRV_DGRAM_MAX, 0xd06 ^ w->id);
	s->ops = (struct tcp_app){
		.accepted = srv_accepted,
		.recv = srv_recv,
		.sent = srv_sent,
		.peer_closed = srv_peer_closed,
		.closed = srv_closed,
		.timeout = srv_timeout,
		.arg = s,
	};
	s->uslot = -1;
	if (udp != NULL) {
		struct udp_app ua = {.recv = srv_udp_recv, .arg = s};

		/* the UDP port is bound only while a UDP test runs, but it is
		 * ours from now on: nobody else may take it */
		if (udp_port_kind(udp, conf->port) != UDP_PORT_NONE) {
			iperf_server_free(s);
			errno = EADDRINUSE;
			return NULL;
		}
		s->uslot = udp_app_add(udp, &ua);
	}
	int r = s->uslot == -1 && udp != NULL ? -ENOSPC : tcp_listen_app(tcp, conf->port, &s->ops);
	if (r == 0 && worker_app_add(w, &iperf_server_class, s, false) < 0)
		r = -ENOSPC;
	if (r != 0) {
		if (r == -ENOSPC)
			tcp_unlisten(tcp, conf->port);
		iperf_server_free(s);
		errno = -r;
		return NULL;
	}
	return s;
}

uint64_t
iperf_server_tests(const struct iperf_server *s, uint64_t *failed)
{
	if (failed != NULL)
		*failed = s->failed;
	return s->tests;
}

void
iperf_server_free(struct iperf_server *s)
{
	if (s == NULL)
		return;
	rte_free(s->block);
	rte_free(s->outbuf[0]);
	rte_free(s->outbuf[1]);
	rte_free(s->rxbuf);
	rte_free(s->dgram);
	rte_free(s);
}
