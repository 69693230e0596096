/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The iperf3 client on one worker (client.model = iperf): one test against
 * a stock `iperf3 -s`, TCP or UDP, normal or reverse, then its application slot is done.
 *
 * Ports: the control connection leaves from lport_lo, stream i from
 * lport_lo + 1 + i (TCP connections, or the UDP stream's bound port).
 *
 * Byte counts, so that the server's summary and ours agree:
 *   TCP sending: when the time is up we stop queueing, wait until every
 *   queued byte is acknowledged and IPERF_CLI_LINGER_MS more (the server
 *   reads what its kernel acknowledged), then send TEST_END; our count is
 *   the acknowledged bytes.
 *   TCP receiving: the server closes its streams after TEST_END; we count
 *   everything up to its FIN, which is everything it wrote.
 *   UDP: datagrams carry the counter; the receiver's figures (loss,
 *   jitter) come from whoever received, as in iperf3.
 *
 * At the end, iperf_client_finish() writes an iperf3 -J shaped document
 * (start / intervals / end) with cJSON, and a short text summary.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <rte_byteorder.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "lib/stack/pace.h"
#include "lib/net/net.h"
#include "lib/tcp/tcp.h"
#include "lib/udp/udp.h"
#include "iperf.h"
#include "iperf_priv.h"

#define IPERF_CLI_LINGER_MS	50    /* after the last ACK, before TEST_END */
#define IPERF_CLI_DRAIN_MS	3000  /* at most, for acks / the server's FINs */
#define IPERF_CLI_TIMEOUT_MS	15000 /* a control step that takes longer fails the test */
#define IPERF_CLI_MAX_INTERVALS 3600

enum { KIND_CTL = 1, KIND_STREAM = 2 };

struct cli_conn {
	uint8_t kind;
	uint16_t idx;
};

/* One stream at the end of one interval (iperf3's per-interval TCP_INFO). */
struct cli_iv {
	uint64_t bytes;		    /* stream_bytes() so far */
	uint32_t retrans;	    /* segments retransmitted so far */
	uint32_t cwnd;		    /* bytes, now */
	uint32_t snd_wnd;	    /* the peer's window, bytes, now */
	uint32_t rtt_us, rttvar_us; /* smoothed, now */
};

struct cli_stream {
	struct tcb *t;
	int32_t id;
	uint16_t lport; /* host order */
	bool connected, fin;
	uint32_t cookie_left;	 /* cookie bytes not acknowledged yet */
	uint64_t queued, acked;	 /* TCP sending */
	uint64_t rx;		 /* TCP receiving */
	uint64_t udp_sent;	 /* UDP sending: datagrams */
	struct iperf_udp_rx urx; /* UDP receiving */
	uint64_t tokens, last;
	struct cli_iv *iv; /* at each interval end */
	/* TCP sending: the TCB's figures, sampled at interval ends and when it closes */
	uint32_t retrans; /* segments retransmitted */
	uint32_t max_cwnd, max_snd_wnd;
	uint32_t min_rtt_us, max_rtt_us;
	uint64_t sum_rtt_us, nb_rtt; /* for the mean */
};

struct iperf_client {
	struct worker *w;
	struct worker_port *wp;
	struct tcp_ctx *tcp;
	struct udp_ctx *udp;
	struct iperf_client_conf conf;
	struct iperf_params p;
	int slot;  /* worker application slot */
	int tslot; /* TCP application slot */
	int uslot; /* UDP application slot, -1 without UDP */
	struct tcp_app ops;
	enum iperf_phase ph;
	bool started, failed, ending, udp_connected;
	char why[160];
	struct tcb *ctl;
	char cookie[IPERF_COOKIE_LEN];
	struct iperf_rx rx;
	char *rxbuf;
	uint8_t *out;
	uint32_t out_len;
	uint8_t *block;
	uint8_t *dgram;
	uint32_t nb_up; /* streams connected */
	uint64_t t_phase, t_start, t_end, t_stop;
	uint32_t nb_iv; /* intervals closed */
	time_t wall_start;
	struct iperf_results theirs;
	struct cli_stream st[IPERF_MAX_STREAMS];
};

static inline struct cli_conn *
conn_of(struct tcb *t)
{
	return tcp_app_data(t);
}

static uint64_t
ms_tsc(const struct iperf_client *c, uint64_t ms)
{
	return ms * (c->w->hz / 1000);
}

static void
cli_fail(struct iperf_client *c, const char *why)
{
	if (c->failed || worker_app_done(c->w, c->slot))
		return;
	c->failed = true;
	snprintf(c->why, sizeof(c->why), "%s (phase %s)", why, iperf_phase_name(c->ph));
	if (c->ctl != NULL)
		tcp_abort(c->tcp, c->ctl);
	for (uint32_t i = 0; i < c->p.parallel; i++)
		if (c->st[i].t != NULL)
			tcp_abort(c->tcp, c->st[i].t);
	worker_app_finish(c->w, c->slot);
}

static int
ctl_send(struct iperf_client *c, const void *data, uint32_t len)
{
	if (c->ctl == NULL || c->out_len + len > IPERF_OUT_MAX)
		return -ENOBUFS;
	memcpy(c->out + c->out_len, data, len);
	int rc = tcp_send(c->tcp, c->ctl, c->out + c->out_len, len);
	c->out_len += len;
	return rc;
}

static int
ctl_state(struct iperf_client *c, int8_t s)
{
	return ctl_send(c, &s, 1);
}

static int
ctl_json(struct iperf_client *c, char *json)
{
	uint32_t n;
	int rc = -ENOMEM;

	if (json != NULL) {
		n = (uint32_t)strlen(json);
		uint8_t h[4] = {(uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8),
				(uint8_t)n};
		rc = ctl_send(c, h, 4);
		if (rc == 0)
			rc = ctl_send(c, json, n);
	}
	free(json);
	return rc;
}

/* Bytes stream i moved so far, as this side counts them. */
static uint64_t
stream_bytes(const struct iperf_client *c, const struct cli_stream *st)
{
	if (c->p.udp)
		return c->p.reverse ? st->urx.bytes : st->udp_sent * c->p.len;
	return c->p.reverse ? st->rx : st->acked;
}

/* A TCP sender's TCB now: retransmits, cwnd and RTT into st (and *iv when given). */
static void
sample_tcp(const struct iperf_client *c, struct cli_stream *st, struct cli_iv *iv)
{
	struct tcp_info ti;

	if (c->p.udp || c->p.reverse || st->t == NULL)
		return;
	tcp_get_info(st->t, &ti);
	st->retrans = ti.total_retrans;
	if (ti.cwnd > st->max_cwnd)
		st->max_cwnd = ti.cwnd;
	if (ti.snd_wnd > st->max_snd_wnd)
		st->max_snd_wnd = ti.snd_wnd;
	if (ti.srtt_us != 0) {
		if (st->nb_rtt == 0 || ti.srtt_us < st->min_rtt_us)
			st->min_rtt_us = ti.srtt_us;
		if (ti.srtt_us > st->max_rtt_us)
			st->max_rtt_us = ti.srtt_us;
		st->sum_rtt_us += ti.srtt_us;
		st->nb_rtt++;
	}
	if (iv != NULL) {
		iv->cwnd = ti.cwnd;
		iv->snd_wnd = ti.snd_wnd;
		iv->rtt_us = ti.srtt_us;
		iv->rttvar_us = ti.rttvar_us;
	}
}

static void
close_intervals(struct iperf_client *c, bool last)
{
	uint64_t now = c->t_end ? c->t_end : c->w->now;

	while (c->nb_iv < IPERF_CLI_MAX_INTERVALS &&
	       (now - c->t_start >= (uint64_t)(c->nb_iv + 1) * c->w->hz ||
		(last && now - c->t_start > (uint64_t)c->nb_iv * c->w->hz))) {
		for (uint32_t i = 0; i < c->p.parallel; i++) {
			struct cli_stream *st = &c->st[i];
			struct cli_iv *iv = &st->iv[c->nb_iv];

			sample_tcp(c, st, iv);
			iv->bytes = stream_bytes(c, st);
			iv->retrans = st->retrans;
			if (st->t == NULL && c->nb_iv > 0) { /* closed: its last figures stay */
				iv->cwnd = st->iv[c->nb_iv - 1].cwnd;
				iv->snd_wnd = st->iv[c->nb_iv - 1].snd_wnd;
				iv->rtt_us = st->iv[c->nb_iv - 1].rtt_us;
				iv->rttvar_us = st->iv[c->nb_iv - 1].rttvar_us;
			}
		}
		c->nb_iv++;
		if (last && now - c->t_start < (uint64_t)c->nb_iv * c->w->hz)
			break;
	}
}

/* ---- sending ---- */

static void
tcp_fill(struct iperf_client *c, struct cli_stream *st)
{
	if (st->t == NULL || c->ph != IPERF_PH_RUNNING || c->p.reverse || c->ending)
		return;
	uint64_t rate = c->p.bandwidth / 8;
	uint64_t avail = rate ? pace_refill(&st->tokens, &st->last, c->w->now, rate, c->w->hz,
					    IPERF_SRV_CHUNK)
			      : UINT64_MAX;
	while (st->queued - st->acked < IPERF_SRV_INFLIGHT) {
		uint64_t off = st->queued % IPERF_SRV_BLOCK;
		uint32_t n = RTE_MIN(IPERF_SRV_CHUNK, c->p.len);

		n = (uint32_t)RTE_MIN((uint64_t)n, IPERF_SRV_BLOCK - off);
		if (avail != UINT64_MAX) {
			if (avail < n)
				break;
			avail -= n;
			pace_take(&st->tokens, n, c->w->hz);
		}
		if (tcp_send(c->tcp, st->t, c->block + off, n) != 0)
			break;
		st->queued += n;
	}
}

static void
udp_send(struct iperf_client *c)
{
	struct worker *w = c->w;
	struct rte_ether_addr mac;
	rte_be32_t dst = rte_cpu_to_be_32(c->conf.ip);
	struct timeval tv;

	if (neigh_resolve(w, c->wp, worker_next_hop(c->wp, dst), &mac) != 0)
		return;
	gettimeofday(&tv, NULL);
	for (uint32_t i = 0; i < c->p.parallel; i++) {
		struct cli_stream *st = &c->st[i];
		uint64_t rate = c->p.bandwidth / (8ull * c->p.len), n = IPERF_SRV_UDP_BURST;

		if (rate != 0)
			n = RTE_MIN(n, pace_refill(&st->tokens, &st->last, w->now, rate, w->hz,
						   IPERF_SRV_UDP_BURST));
		for (uint64_t k = 0; k < n; k++) {
			struct rte_mbuf *m = rte_pktmbuf_alloc(w->pool);
			struct iperf_udp_hdr h = {.sec = (uint32_t)tv.tv_sec,
						  .usec = (uint32_t)tv.tv_usec,
						  .count = st->udp_sent + 1};

			if (m == NULL) {
				stats_inc(&w->stats, STAT_drop_pool_empty);
				n = k;
				break;
			}
			iperf_udp_hdr_encode(c->dgram, c->p.len, &h, c->p.udp_counters_64bit);
			m->data_len = m->pkt_len = net_udp_build(
				rte_pktmbuf_mtod(m, uint8_t *), &c->wp->mac, &mac, c->wp->ip, dst,
				rte_cpu_to_be_16(st->lport), rte_cpu_to_be_16(c->conf.port), 0,
				c->dgram, (uint16_t)c->p.len);
			worker_tx(w, c->wp, m);
			st->udp_sent++;
		}
		if (rate != 0 && n != 0)
			pace_take(&st->tokens, n, w->hz);
		stats_add(&w->stats, STAT_udp_tx, n);
	}
}

static void
udp_connect_msgs(struct iperf_client *c)
{
	static const uint8_t hello[IPERF_UDP_CONNECT_LEN] = {'9', '8', '7', '6'};
	rte_be32_t dst = rte_cpu_to_be_32(c->conf.ip);

	for (uint32_t i = 0; i < c->p.parallel; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(c->w->pool);
		struct rte_ether_addr zero = {{0}};

		if (m == NULL)
			return;
		m->data_len = m->pkt_len = net_udp_build(
			rte_pktmbuf_mtod(m, uint8_t *), &c->wp->mac, &zero, c->wp->ip, dst,
			rte_cpu_to_be_16(c->st[i].lport), rte_cpu_to_be_16(c->conf.port), 0, hello,
			sizeof(hello));
		worker_send_ip(c->w, c->wp, m, dst);
	}
}

/* ---- the conversation ---- */

static void
streams_create(struct iperf_client *c)
{
	for (uint32_t i = 0; i < c->p.parallel; i++) {
		struct cli_stream *st = &c->st[i];

		st->id = i == 0 ? 1 : (int32_t)i + 2;
		st->lport = (uint16_t)(c->conf.lport_lo + 1 + i);
		if (c->p.udp) {
			if (udp_bind_app(c->udp, st->lport, c->uslot) != 0) {
				cli_fail(c, "a stream's UDP port belongs to another application");
				return;
			}
			continue;
		}
		if (tcp_connect_app(c->tcp, c->tslot, c->wp, c->wp->ip, rte_cpu_to_be_16(st->lport),
				    rte_cpu_to_be_32(c->conf.ip), rte_cpu_to_be_16(c->conf.port),
				    &st->t) != 0) {
			cli_fail(c, "cannot open a stream connection (port in use or table full)");
			return;
		}
		struct cli_conn *cd = conn_of(st->t);
		cd->kind = KIND_STREAM;
		cd->idx = (uint16_t)i;
	}
	if (c->p.udp)
		udp_connect_msgs(c);
}

static char *
our_results(struct iperf_client *c)
{
	struct iperf_results *r = calloc(1, sizeof(*r));
	char *s;

	if (r == NULL)
		return NULL;
	/* like iperf3 on Linux: a TCP sender has its retransmits, UDP none */
	r->sender_has_retransmits = c->p.reverse ? -1 : c->p.udp ? 0 : 1;
	if (!c->p.udp)
		snprintf(r->congestion, sizeof(r->congestion), "newreno");
	r->nb_streams = c->p.parallel;
	for (uint32_t i = 0; i < c->p.parallel; i++) {
		struct cli_stream *st = &c->st[i];
		struct iperf_stream_res *x = &r->streams[i];

		x->id = st->id;
		x->bytes = stream_bytes(c, st);
		x->retransmits = c->p.reverse ? -1 : c->p.udp ? 0 : (int64_t)st->retrans;
		x->end_time = (double)(c->t_end - c->t_start) / (double)c->w->hz;
		if (c->p.udp && c->p.reverse) {
			x->jitter = st->urx.jitter;
			x->errors = st->urx.errors;
			x->packets = st->urx.packets;
		} else if (c->p.udp) {
			x->packets = (int64_t)st->udp_sent;
		}
	}
	s = iperf_results_build(r);
	free(r);
	return s;
}

static void
on_message(struct iperf_client *c)
{
	enum iperf_phase next;
	char err[160];
	int rc;

	c->t_phase = c->w->now;
	if (c->ph == IPERF_PH_RESULTS) {
		if (iperf_results_parse(c->rx.buf, c->rx.have, &c->theirs, err, sizeof(err)) != 0) {
			cli_fail(c, err);
			return;
		}
		c->ph = IPERF_PH_DISPLAY;
		iperf_rx_expect(&c->rx, IPERF_MSG_STATE);
		return;
	}
	rc = iperf_cli_step(c->ph, (int8_t)c->rx.buf[0], &next);
	if (rc == -EACCES) {
		cli_fail(c, "the server is busy running a test (ACCESS_DENIED)");
		return;
	}
	if (rc != 0) {
		snprintf(err, sizeof(err), "the server sent %s (%d)",
			 iperf_state_name((int8_t)c->rx.buf[0]), (int8_t)c->rx.buf[0]);
		cli_fail(c, err);
		return;
	}
	c->ph = next;
	switch (next) {
	case IPERF_PH_PARAMS:
		if (ctl_json(c, iperf_params_build(&c->p)) != 0)
			cli_fail(c, "cannot send the parameters");
		break;
	case IPERF_PH_CREATE:
		streams_create(c);
		break;
	case IPERF_PH_RUNNING:
		c->t_start = c->w->now;
		c->wall_start = time(NULL);
		for (uint32_t i = 0; i < c->p.parallel; i++) {
			c->st[i].last = c->w->now;
			tcp_fill(c, &c->st[i]);
		}
		break;
	case IPERF_PH_RESULTS:
		if (ctl_json(c, our_results(c)) != 0)
			cli_fail(c, "cannot send the results");
		iperf_rx_expect(&c->rx, IPERF_MSG_JSON);
		return;
	case IPERF_PH_DONE:
		ctl_state(c, IPERF_IPERF_DONE);
		tcp_close(c->tcp, c->ctl);
		/* reverse: wait for the server's FINs (all it wrote) in the poll hook */
		c->t_stop = c->w->now;
		break;
	default:
		break;
	}
	iperf_rx_expect(&c->rx, IPERF_MSG_STATE);
}

static void
cli_recv(struct tcp_ctx *tc, struct tcb *t, const uint8_t *data, uint32_t len, void *arg)
{
	struct iperf_client *c = arg;
	struct cli_conn *cd = conn_of(t);

	(void)tc;
	if (cd->kind == KIND_STREAM) {
		c->st[cd->idx].rx += len;
		return;
	}
	if (cd->kind != KIND_CTL)
		return;
	while (len > 0 && !c->failed) {
		uint32_t used;
		enum iperf_rx_rc rc = iperf_rx_feed(&c->rx, data, len, &used);

		data += used;
		len -= used;
		if (rc == IPERF_RX_ERROR) {
			cli_fail(c, "malformed control message from the server");
			return;
		}
		if (rc == IPERF_RX_AGAIN)
			return;
		on_message(c);
	}
}

static void
cli_connected(struct tcp_ctx *tc, struct tcb *t, void *arg)
{
	struct iperf_client *c = arg;
	struct cli_conn *cd = conn_of(t);

	(void)tc;
	if (cd->kind == KIND_CTL) {
		ctl_send(c, c->cookie, IPERF_COOKIE_LEN);
		c->t_phase = c->w->now;
		return;
	}
	/* a stream: the cookie first (referenced: it lives in c) */
	tcp_send(c->tcp, t, c->cookie, IPERF_COOKIE_LEN);
	c->st[cd->idx].cookie_left = IPERF_COOKIE_LEN;
	c->st[cd->idx].connected = true;
	c->nb_up++;
}

static void
cli_sent(struct tcp_ctx *tc, struct tcb *t, uint32_t acked, void *arg)
{
	struct iperf_client *c = arg;
	struct cli_conn *cd = conn_of(t);

	(void)tc;
	if (cd->kind != KIND_STREAM)
		return;
	struct cli_stream *st = &c->st[cd->idx];
	/* the cookie's acknowledgement is not data */
	uint32_t skip = RTE_MIN(acked, st->cookie_left);

	st->cookie_left -= skip;
	st->acked += acked - skip;
	tcp_fill(c, st);
}

static void
cli_peer_closed(struct tcp_ctx *tc, struct tcb *t, void *arg)
{
	struct iperf_client *c = arg;
	struct cli_conn *cd = conn_of(t);

	(void)tc;
	if (cd->kind == KIND_STREAM)
		c->st[cd->idx].fin = true;
	else if (c->ph != IPERF_PH_DONE)
		cli_fail(c, "the server closed the control connection");
	tcp_close(c->tcp, t);
}

static void
cli_closed(struct tcp_ctx *tc, struct tcb *t, enum tcp_close_reason why, void *arg)
{
	struct iperf_client *c = arg;
	struct cli_conn *cd = conn_of(t);

	(void)tc;
	if (cd->kind == KIND_CTL) {
		c->ctl = NULL;
		if (c->ph != IPERF_PH_DONE)
			cli_fail(c, why == TCP_CLOSE_REFUSED   ? "connection refused"
				    : why == TCP_CLOSE_TIMEOUT ? "connection timed out"
							       : "control connection lost");
	} else if (cd->kind == KIND_STREAM) {
		if (c->t_end == 0)
			sample_tcp(c, &c->st[cd->idx], NULL);
		c->st[cd->idx].t = NULL;
		c->st[cd->idx].fin = true;
	}
	cd->kind = 0;
}

static void
cli_udp_recv(struct udp_ctx *u, const struct udp_dgram *d, void *arg)
{
	struct iperf_client *c = arg;
	struct iperf_udp_hdr h;

	(void)u;
	uint16_t lp = rte_be_to_cpu_16(d->dport);
	if (lp <= c->conf.lport_lo || lp > c->conf.lport_lo + c->p.parallel)
		return;
	struct cli_stream *st = &c->st[lp - c->conf.lport_lo - 1];
	if (d->len == IPERF_UDP_CONNECT_LEN) {
		st->connected = true; /* "6789" */
		return;
	}
	if (!c->p.reverse || (c->ph != IPERF_PH_RUNNING && !c->ending) ||
	    iperf_udp_hdr_decode(d->data, d->len, c->p.udp_counters_64bit, &h) != 0)
		return;
	iperf_udp_rx_update(&st->urx, &h, (double)c->w->now / (double)c->w->hz, d->len);
}

static void
cli_poll(struct worker *w, void *arg)
{
	struct iperf_client *c = arg;

	if (worker_app_done(w, c->slot))
		return;
	if (!c->started) {
		struct rte_ether_addr mac;
		rte_be32_t dst = rte_cpu_to_be_32(c->conf.ip);
		rte_be32_t nh = worker_next_hop(c->wp, dst);

		if (nh == 0) {
			cli_fail(c, "no route to the server");
			return;
		}
		if (neigh_resolve(w, c->wp, nh, &mac) != 0) {
			if (c->t_phase == 0)
				c->t_phase = w->now;
			if (w->now - c->t_phase > ms_tsc(c, 5000))
				cli_fail(c, "the server did not answer ARP");
			return;
		}
		c->started = true;
		c->t_phase = w->now;
		if (tcp_connect_app(c->tcp, c->tslot, c->wp, c->wp->ip,
				    rte_cpu_to_be_16(c->conf.lport_lo), dst,
				    rte_cpu_to_be_16(c->conf.port), &c->ctl) != 0) {
			cli_fail(c, "cannot open the control connection");
			return;
		}
		conn_of(c->ctl)->kind = KIND_CTL;
		return;
	}
	if (c->ph == IPERF_PH_RUNNING) {
		uint64_t dur = (uint64_t)c->p.time_s * w->hz;

		close_intervals(c, false);
		if (!c->ending && w->now - c->t_start >= dur) {
			c->ending = true;
			c->t_stop = w->now;
		}
		if (!c->ending) {
			if (c->p.udp && !c->p.reverse)
				udp_send(c);
			else if (!c->p.reverse && c->p.bandwidth != 0)
				for (uint32_t i = 0; i < c->p.parallel; i++)
					tcp_fill(c, &c->st[i]);
			return;
		}
		/* time is up: wait for our data to be acknowledged, then linger */
		bool acked = true;
		for (uint32_t i = 0; !c->p.udp && !c->p.reverse && i < c->p.parallel; i++)
			if (c->st[i].t != NULL && c->st[i].acked < c->st[i].queued)
				acked = false;
		if (!acked && w->now - c->t_stop < ms_tsc(c, IPERF_CLI_DRAIN_MS))
			return;
		if (acked && c->t_end == 0) {
			c->t_end = w->now;
			if (!c->p.udp && !c->p.reverse)
				c->t_stop = w->now;
		}
		if (c->t_end == 0)
			c->t_end = w->now;
		if (!c->p.reverse && w->now - c->t_stop < ms_tsc(c, IPERF_CLI_LINGER_MS))
			return;
		close_intervals(c, true);
		if (ctl_state(c, IPERF_TEST_END) != 0) {
			cli_fail(c, "cannot send TEST_END");
			return;
		}
		c->ph = IPERF_PH_END;
		c->t_phase = w->now;
		return;
	}
	if (c->ph == IPERF_PH_DONE) {
		bool fins = true;
		for (uint32_t i = 0; c->p.reverse && !c->p.udp && i < c->p.parallel; i++)
			if (!c->st[i].fin)
				fins = false;
		if (fins || w->now - c->t_stop > ms_tsc(c, IPERF_CLI_DRAIN_MS)) {
			for (uint32_t i = 0; i < c->p.parallel; i++)
				if (c->st[i].t != NULL)
					tcp_close(c->tcp, c->st[i].t);
			worker_app_finish(w, c->slot);
		}
		return;
	}
	if (w->now - c->t_phase > ms_tsc(c, IPERF_CLI_TIMEOUT_MS))
		cli_fail(c, "the server stopped answering");
}

struct iperf_client *
iperf_client_create(struct worker *w, struct worker_port *wp, struct tcp_ctx *tcp,
		    struct udp_ctx *udp, const struct iperf_client_conf *conf)
{
	struct iperf_client *c;
	const struct iperf_params *p = &conf->params;

	if (p->parallel == 0 || p->parallel > IPERF_MAX_STREAMS || p->len == 0 ||
	    (p->udp && p->len + NET_IPV4_HLEN + NET_UDP_HLEN > wp->mtu) ||
	    (uint32_t)conf->lport_lo + p->parallel > 65535 || p->time_s == 0) {
		errno = EINVAL;
		return NULL;
	}
	c = rte_zmalloc("iperf_client", sizeof(*c), RTE_CACHE_LINE_SIZE);
	if (c == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	c->w = w;
	c->wp = wp;
	c->tcp = tcp;
	c->udp = udp;
	c->conf = *conf;
	c->p = *p;
	c->rxbuf = rte_malloc("iperf_rx", IPERF_JSON_MAX + 1, 0);
	c->out = rte_malloc("iperf_out", IPERF_OUT_MAX, 0);
	c->block = rte_malloc("iperf_block", IPERF_SRV_BLOCK, 0);
	c->dgram = rte_zmalloc("iperf_dgram", IPERF_SRV_DGRAM_MAX, 0);
	bool ok = c->rxbuf && c->out && c->block && c->dgram;
	for (uint32_t i = 0; ok && i < p->parallel; i++) {
		c->st[i].iv = rte_zmalloc("iperf_iv",
					  sizeof(struct cli_iv) * (IPERF_CLI_MAX_INTERVALS + 1), 0);
		ok = c->st[i].iv != NULL;
	}
	if (!ok) {
		iperf_client_free(c);
		errno = ENOMEM;
		return NULL;
	}
	iperf_fill_random(c->block, IPERF_SRV_BLOCK, 0xc11e47 ^ w->id);
	(void)tcp_zc_register(tcp, c->block, IPERF_SRV_BLOCK); /* sent zero-copy where it can */
	iperf_fill_random(c->dgram, IPERF_SRV_DGRAM_MAX, 0xd6 ^ w->id);
	iperf_cookie_make(c->cookie, rte_rdtsc());
	iperf_rx_init(&c->rx, c->rxbuf, IPERF_JSON_MAX + 1, IPERF_MSG_STATE);
	c->ph = IPERF_PH_COOKIE;
	c->ops = (struct tcp_app){
		.connected = cli_connected,
		.recv = cli_recv,
		.sent = cli_sent,
		.peer_closed = cli_peer_closed,
		.closed = cli_closed,
		.arg = c,
	};
	return c;
}

int
iperf_client_start(struct iperf_client *c)
{
	struct udp_app ua = {.recv = cli_udp_recv, .arg = c};

	c->tslot = tcp_app_add(c->tcp, &c->ops);
	if (c->tslot < 0)
		return c->tslot;
	c->uslot = c->udp != NULL ? udp_app_add(c->udp, &ua) : -1;
	if (c->udp != NULL && c->uslot < 0)
		return c->uslot;
	c->slot = worker_app_add(c->w, &iperf_client_class, c, true);
	return c->slot < 0 ? c->slot : 0;
}

/* ---- the iperf3-shaped JSON ---- */

/*
 * One interval entry. A TCP sender's carry "retransmits" (retrans in the
 * interval); a stream's (tcp != NULL) also its TCB's state at the interval
 * end, as iperf3 takes it from TCP_INFO: snd_cwnd, snd_wnd (bytes), rtt and
 * rttvar (us), pmtu.
 */
static cJSON *
interval_obj(const struct iperf_client *c, double start, double end, uint64_t bytes,
	     int64_t packets, bool sender, uint32_t retrans, const struct cli_iv *tcp)
{
	cJSON *o = cJSON_CreateObject();
	double secs = end - start > 0 ? end - start : 1e-9;

	cJSON_AddNumberToObject(o, "start", start);
	cJSON_AddNumberToObject(o, "end", end);
	cJSON_AddNumberToObject(o, "seconds", secs);
	cJSON_AddNumberToObject(o, "bytes", (double)bytes);
	cJSON_AddNumberToObject(o, "bits_per_second", (double)bytes * 8 / secs);
	if (c->p.udp)
		cJSON_AddNumberToObject(o, "packets", (double)packets);
	else if (sender)
		cJSON_AddNumberToObject(o, "retransmits", retrans);
	if (!c->p.udp && sender && tcp != NULL) {
		cJSON_AddNumberToObject(o, "snd_cwnd", tcp->cwnd);
		cJSON_AddNumberToObject(o, "snd_wnd", tcp->snd_wnd);
		cJSON_AddNumberToObject(o, "rtt", tcp->rtt_us);
		cJSON_AddNumberToObject(o, "rttvar", tcp->rttvar_us);
		cJSON_AddNumberToObject(o, "pmtu", c->wp->mtu);
	}
	cJSON_AddBoolToObject(o, "omitted", false);
	cJSON_AddBoolToObject(o, "sender", sender);
	return o;
}

/* The end-of-test figures of one side: ours or the server's (by stream id). */
static void
side(const struct iperf_client *c, uint32_t i, bool ours, uint64_t *bytes, double *secs,
     int64_t *packets, int64_t *errors, double *jitter, int64_t *retrans)
{
	const struct cli_stream *st = &c->st[i];

	*retrans = -1;
	*bytes = 0;
	*packets = *errors = 0;
	*jitter = 0;
	*secs = (double)(c->t_end - c->t_start) / (double)c->w->hz;
	if (ours) {
		*bytes = stream_bytes(c, st);
		if (c->p.udp && c->p.reverse) {
			*packets = st->urx.packets;
			*errors = st->urx.errors;
			*jitter = st->urx.jitter;
		} else if (c->p.udp) {
			*packets = (int64_t)st->udp_sent;
		} else if (!c->p.reverse) {
			*retrans = st->retrans;
		}
		return;
	}
	for (uint32_t k = 0; k < c->theirs.nb_streams; k++) {
		const struct iperf_stream_res *x = &c->theirs.streams[k];
		if (x->id != st->id)
			continue;
		*bytes = x->bytes;
		*packets = x->packets;
		*errors = x->errors;
		*jitter = x->jitter;
		if (c->theirs.sender_has_retransmits == 1 && x->retransmits >= 0)
			*retrans = x->retransmits;
		if (x->end_time > 0)
			*secs = x->end_time - x->start_time;
	}
}

/* An end entry; retrans < 0: not known (no "retransmits", as iperf3 without them). */
static cJSON *
sum_obj(double secs, uint64_t bytes, int64_t packets, int64_t lost, double jitter, bool udp,
	bool sender, int64_t retrans)
{
	cJSON *o = cJSON_CreateObject();

	if (secs <= 0)
		secs = 1e-9;
	cJSON_AddNumberToObject(o, "start", 0);
	cJSON_AddNumberToObject(o, "end", secs);
	cJSON_AddNumberToObject(o, "seconds", secs);
	cJSON_AddNumberToObject(o, "bytes", (double)bytes);
	cJSON_AddNumberToObject(o, "bits_per_second", (double)bytes * 8 / secs);
	if (udp) {
		cJSON_AddNumberToObject(o, "jitter_ms", jitter * 1000);
		cJSON_AddNumberToObject(o, "lost_packets", (double)lost);
		cJSON_AddNumberToObject(o, "packets", (double)packets);
		cJSON_AddNumberToObject(o, "lost_percent",
					packets > 0 ? 100.0 * (double)lost / (double)packets : 0);
	} else if (sender && retrans >= 0) {
		cJSON_AddNumberToObject(o, "retransmits", (double)retrans);
	}
	cJSON_AddBoolToObject(o, "sender", sender);
	return o;
}

static cJSON *
build_doc(const struct iperf_client *c)
{
	cJSON *d = cJSON_CreateObject(), *start, *ivs, *end, *arr, *o;
	char ip[16], lip[16], tbuf[64];
	bool we_send = !c->p.reverse;
	struct utsname u;
	struct tm tm;

	net_ip_str(c->conf.ip, ip);
	net_ip_str(rte_be_to_cpu_32(c->wp->ip), lip);
	start = cJSON_AddObjectToObject(d, "start");
	arr = cJSON_AddArrayToObject(start, "connected");
	for (uint32_t i = 0; i < c->p.parallel; i++) {
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "socket", i + 5);
		cJSON_AddStringToObject(o, "local_host", lip);
		cJSON_AddNumberToObject(o, "local_port", c->st[i].lport);
		cJSON_AddStringToObject(o, "remote_host", ip);
		cJSON_AddNumberToObject(o, "remote_port", c->conf.port);
		cJSON_AddItemToArray(arr, o);
	}
	cJSON_AddStringToObject(start, "version", "synack 0.1.0 (iperf 3.12 protocol)");
	if (uname(&u) == 0) {
		char si[400];
		snprintf(si, sizeof(si), "%s %s %s %s", u.sysname, u.nodename, u.release,
			 u.machine);
		cJSON_AddStringToObject(start, "system_info", si);
	}
	o = cJSON_AddObjectToObject(start, "timestamp");
	gmtime_r(&c->wall_start, &tm);
	strftime(tbuf, sizeof(tbuf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	cJSON_AddStringToObject(o, "time", tbuf);
	cJSON_AddNumberToObject(o, "timesecs", (double)c->wall_start);
	o = cJSON_AddObjectToObject(start, "connecting_to");
	cJSON_AddStringToObject(o, "host", ip);
	cJSON_AddNumberToObject(o, "port", c->conf.port);
	cJSON_AddStringToObject(start, "cookie", c->cookie);
	cJSON_AddNumberToObject(start, "target_bitrate", (double)c->p.bandwidth);
	o = cJSON_AddObjectToObject(start, "test_start");
	cJSON_AddStringToObject(o, "protocol", c->p.udp ? "UDP" : "TCP");
	cJSON_AddNumberToObject(o, "num_streams", c->p.parallel);
	cJSON_AddNumberToObject(o, "blksize", c->p.len);
	cJSON_AddNumberToObject(o, "omit", c->p.omit_s);
	cJSON_AddNumberToObject(o, "duration", c->p.time_s);
	cJSON_AddNumberToObject(o, "bytes", (double)c->p.bytes);
	cJSON_AddNumberToObject(o, "blocks", (double)c->p.blockcount);
	cJSON_AddNumberToObject(o, "reverse", c->p.reverse);
	cJSON_AddNumberToObject(o, "tos", 0);
	cJSON_AddNumberToObject(o, "target_bitrate", (double)c->p.bandwidth);

	ivs = cJSON_AddArrayToObject(d, "intervals");
	for (uint32_t k = 0; k < c->nb_iv; k++) {
		cJSON *iv = cJSON_CreateObject(), *sa = cJSON_AddArrayToObject(iv, "streams");
		double t0 = k, t1 = k + 1.0,
		       total = (double)(c->t_end - c->t_start) / (double)c->w->hz;
		uint64_t sum = 0;
		uint32_t rsum = 0;

		if (t1 > total)
			t1 = total;
		for (uint32_t i = 0; i < c->p.parallel; i++) {
			const struct cli_iv *cur = &c->st[i].iv[k];
			uint64_t b = cur->bytes - (k ? c->st[i].iv[k - 1].bytes : 0);
			uint32_t r = cur->retrans - (k ? c->st[i].iv[k - 1].retrans : 0);
			o = interval_obj(c, t0, t1, b, c->p.udp ? (int64_t)(b / c->p.len) : 0,
					 we_send, r, cur);
			cJSON_AddNumberToObject(o, "socket", i + 5);
			cJSON_AddItemToArray(sa, o);
			sum += b;
			rsum += r;
		}
		cJSON_AddItemToObject(iv, "sum",
				      interval_obj(c, t0, t1, sum,
						   c->p.udp ? (int64_t)(sum / c->p.len) : 0,
						   we_send, rsum, NULL));
		cJSON_AddItemToArray(ivs, iv);
	}

	end = cJSON_AddObjectToObject(d, "end");
	arr = cJSON_AddArrayToObject(end, "streams");
	uint64_t sb = 0, rb = 0;
	int64_t sp = 0, rp = 0, rl = 0, sr = 0;
	double ss = 0, rs = 0, jit = 0;
	for (uint32_t i = 0; i < c->p.parallel; i++) {
		uint64_t b[2];
		double secs[2], j[2];
		int64_t pk[2], er[2], rt[2];

		/* [0] the sender's view, [1] the receiver's */
		side(c, i, we_send, &b[0], &secs[0], &pk[0], &er[0], &j[0], &rt[0]);
		side(c, i, !we_send, &b[1], &secs[1], &pk[1], &er[1], &j[1], &rt[1]);
		if (sr >= 0)
			sr = rt[0] >= 0 ? sr + rt[0] : -1;
		sb += b[0];
		rb += b[1];
		sp += pk[0];
		rp += pk[1];
		rl += er[1];
		jit += j[1];
		ss = secs[0] > ss ? secs[0] : ss;
		rs = secs[1] > rs ? secs[1] : rs;
		o = cJSON_CreateObject();
		if (c->p.udp) {
			cJSON *u2 = sum_obj(secs[1], b[1], pk[1], er[1], j[1], true, we_send, -1);
			cJSON_AddNumberToObject(u2, "socket", i + 5);
			cJSON_AddNumberToObject(u2, "out_of_order",
						c->p.reverse ? (double)c->st[i].urx.outoforder : 0);
			cJSON_AddItemToObject(o, "udp", u2);
		} else {
			const struct cli_stream *st = &c->st[i];
			cJSON *s1 = sum_obj(secs[0], b[0], 0, 0, 0, false, true, rt[0]);
			cJSON *r1 = sum_obj(secs[1], b[1], 0, 0, 0, false, false, -1);
			if (rt[0] >= 0) {
				/* ours when we send; iperf3 shows 0 for a remote sender's */
				cJSON_AddNumberToObject(s1, "max_snd_cwnd",
							we_send ? st->max_cwnd : 0);
				cJSON_AddNumberToObject(s1, "max_snd_wnd",
							we_send ? st->max_snd_wnd : 0);
				cJSON_AddNumberToObject(s1, "max_rtt",
							we_send ? st->max_rtt_us : 0);
				cJSON_AddNumberToObject(s1, "min_rtt",
							we_send ? st->min_rtt_us : 0);
				cJSON_AddNumberToObject(
					s1, "mean_rtt",
					we_send && st->nb_rtt
						? (double)(st->sum_rtt_us / st->nb_rtt)
						: 0);
			}
			cJSON_AddNumberToObject(s1, "socket", i + 5);
			cJSON_AddNumberToObject(r1, "socket", i + 5);
			cJSON_AddItemToObject(o, "sender", s1);
			cJSON_AddItemToObject(o, "receiver", r1);
		}
		cJSON_AddItemToArray(arr, o);
	}
	if (c->p.parallel > 0)
		jit /= c->p.parallel;
	if (c->p.udp)
		cJSON_AddItemToObject(end, "sum", sum_obj(rs, rb, rp, rl, jit, true, we_send, -1));
	cJSON_AddItemToObject(end, "sum_sent", sum_obj(ss, sb, sp, 0, 0, c->p.udp, true, sr));
	cJSON_AddItemToObject(end, "sum_received",
			      sum_obj(rs, rb, rp, rl, jit, c->p.udp, false, -1));
	o = cJSON_AddObjectToObject(end, "cpu_utilization_percent");
	cJSON_AddNumberToObject(o, "host_total", 100.0);
	cJSON_AddNumberToObject(o, "host_user", 100.0);
	cJSON_AddNumberToObject(o, "host_system", 0);
	cJSON_AddNumberToObject(o, "remote_total", c->theirs.cpu_total);
	cJSON_AddNumberToObject(o, "remote_user", c->theirs.cpu_user);
	cJSON_AddNumberToObject(o, "remote_system", c->theirs.cpu_system);
	if (!c->p.udp) {
		cJSON_AddStringToObject(
			end, we_send ? "sender_tcp_congestion" : "receiver_tcp_congestion",
			"newreno");
		if (c->theirs.congestion[0] != '\0')
			cJSON_AddStringToObject(
				end, we_send ? "receiver_tcp_congestion" : "sender_tcp_congestion",
				c->theirs.congestion);
	}
	return d;
}

int
iperf_client_finish(struct iperf_client *c, FILE *out, char *why, size_t whylen)
{
	bool ok = !c->failed && c->ph == IPERF_PH_DONE;

	if (!ok) {
		snprintf(why, whylen, "failed: iperf3 test: %s",
			 c->failed ? c->why : "did not complete in time");
		if (out != NULL)
			fprintf(out, "iperf: %s\n", why);
	}
	cJSON *d = build_doc(c);
	if (d != NULL && !ok)
		cJSON_AddStringToObject(d, "error", c->failed ? c->why : "did not complete");
	if (d != NULL && out != NULL) {
		cJSON *e = cJSON_GetObjectItem(d, "end");
		cJSON *s = cJSON_GetObjectItem(e, "sum_sent"),
		      *r = cJSON_GetObjectItem(e, "sum_received");
		fprintf(out,
			"iperf: %s %s%s, %u stream%s: sent %.0f bytes (%.3f Gbit/s), "
			"received %.0f bytes (%.3f Gbit/s)\n",
			c->p.udp ? "UDP" : "TCP", c->p.reverse ? "reverse" : "normal",
			ok ? "" : " (incomplete)", c->p.parallel, c->p.parallel > 1 ? "s" : "",
			cJSON_GetObjectItem(s, "bytes")->valuedouble,
			cJSON_GetObjectItem(s, "bits_per_second")->valuedouble / 1e9,
			cJSON_GetObjectItem(r, "bytes")->valuedouble,
			cJSON_GetObjectItem(r, "bits_per_second")->valuedouble / 1e9);
	}
	if (d != NULL && c->conf.json_path != NULL) {
		char *txt = cJSON_Print(d);
		FILE *f = fopen(c->conf.json_path, "w");

		if (f == NULL || txt == NULL) {
			if (ok)
				snprintf(why, whylen, "failed: cannot write %s", c->conf.json_path);
			ok = false;
		} else {
			fprintf(f, "%s\n", txt);
		}
		if (f != NULL)
			fclose(f);
		free(txt);
	}
	cJSON_Delete(d);
	return ok ? 0 : -1;
}

static int
cli_result(void *obj, FILE *out, char *why, size_t whylen)
{
	return iperf_client_finish(obj, out, why, whylen);
}

static void
cli_free(void *obj)
{
	iperf_client_free(obj);
}

const struct app_class iperf_client_class = {
	.name = "iperf3 client",
	.poll = cli_poll,
	.result = cli_result,
	.free = cli_free,
};

void
iperf_client_free(struct iperf_client *c)
{
	if (c == NULL)
		return;
	for (uint32_t i = 0; i < IPERF_MAX_STREAMS; i++)
		rte_free(c->st[i].iv);
	rte_free(c->rxbuf);
	rte_free(c->out);
	rte_free(c->block);
	rte_free(c->dgram);
	rte_free(c);
}
