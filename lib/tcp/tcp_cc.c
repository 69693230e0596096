/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Congestion control: slow start (RFC 5681 3.1) for both, then congestion
 * avoidance by NewReno (RFC 5681 eqn 3) or CUBIC (RFC 9438, the default, as
 * Linux): W_cubic(t) = C (t - K)^3 + W_max with C = 0.4 and beta = 0.7, the
 * Reno-friendly region (4.3) and fast convergence (4.7). CUBIC's state is in
 * struct tcp_rack beside the TCB. Windows in bytes, time in ms ticks; the
 * cube root is taken once per congestion epoch.
 */
#include <math.h>

#include "tcp_priv.h"

#define CUBIC_C	       0.4
#define CUBIC_BETA     0.7
#define CUBIC_ALPHA    (3.0 * (1.0 - CUBIC_BETA) / (1.0 + CUBIC_BETA)) /* 4.3 */
#define CUBIC_BETA_NUM 7
#define CUBIC_BETA_DEN 10

uint32_t
tcp_cubic_k(uint32_t w_max, uint32_t cwnd_epoch, uint16_t mss)
{
	/* eq. 2: K = cbrt((W_max - cwnd_epoch) / C), windows in segments */
	if (cwnd_epoch >= w_max || mss == 0)
		return 0;
	double seg = (double)(w_max - cwnd_epoch) / mss;
	return (uint32_t)(cbrt(seg / CUBIC_C) * 1000.0 + 0.5);
}

uint32_t
tcp_cubic_window(uint32_t w_max, uint32_t k_ms, uint32_t t_ms, uint16_t mss)
{
	double d = ((double)t_ms - (double)k_ms) / 1000.0;
	double w = CUBIC_C * d * d * d * mss + (double)w_max;

	if (w < 2.0 * mss)
		w = 2.0 * mss;
	if (w > TCP_CWND_MAX)
		w = TCP_CWND_MAX;
	return (uint32_t)w;
}

static void
cubic_avoid(struct tcp_ctx *c, struct tcb *t, uint32_t acked)
{
	struct tcp_rack *r = tcb_rk(c, t);

	if (r->epoch == 0) {
		/* 4.2: the epoch begins at the first ACK of congestion avoidance */
		r->epoch = c->tick;
		if (t->cwnd >= r->w_max) {
			r->w_max = t->cwnd;
			r->k_ms = 0;
		} else {
			r->k_ms = tcp_cubic_k(r->w_max, t->cwnd, t->mss);
		}
		r->w_est = t->cwnd;
	}
	uint32_t el = c->tick - r->epoch;
	uint32_t rtt = t->srtt8 >> 3;
	/* 4.2: the target is W_cubic one RTT ahead, within [cwnd, 1.5 cwnd] */
	uint32_t target = tcp_cubic_window(r->w_max, r->k_ms, el + rtt, t->mss);
	if (target < t->cwnd)
		target = t->cwnd;
	if (target > t->cwnd + t->cwnd / 2)
		target = t->cwnd + t->cwnd / 2;
	/* 4.3: W_est grows like Reno with alpha_cubic per RTT */
	r->w_est += (uint32_t)(CUBIC_ALPHA * (double)acked * t->mss / t->cwnd);
	if (tcp_cubic_window(r->w_max, r->k_ms, el, t->mss) < r->w_est) {
		t->cwnd = r->w_est > t->cwnd ? r->w_est : t->cwnd; /* Reno-friendly */
	} else {
		uint64_t inc = (uint64_t)(target - t->cwnd) * acked / t->cwnd;
		t->cwnd += (uint32_t)inc;
	}
}

void
tcp_cc_ack(struct tcp_ctx *c, struct tcb *t, uint32_t acked)
{
	/* Grow cwnd only while it limits the sender. RFC 5681 3.1 bounds the
	 * increase per ACK but not cwnd itself, and with ssthresh at
	 * "arbitrarily high" a lossless bulk transfer limited by the peer's
	 * window grew it by one MSS per ACK until the 32-bit value wrapped.
	 * RFC 7661 4.3 / RFC 2861: cwnd must not grow while the sender is not
	 * cwnd-limited. As Linux (tcp_is_cwnd_limited): in slow start while
	 * the flight is at least half of cwnd, in congestion avoidance while
	 * it fills cwnd; never above TCP_CWND_MAX. */
	uint32_t flight = tcp_flight(t);

	if (t->cwnd < t->ssthresh) { /* slow start, RFC 5681 eqn 2 */
		if ((uint64_t)flight * 2 >= t->cwnd)
			t->cwnd += acked < t->mss ? acked : t->mss;
	} else if ((uint64_t)flight + t->mss >= t->cwnd) {
		if (c->conf.cc == TCP_CC_CUBIC) {
			cubic_avoid(c, t, acked);
		} else { /* RFC 5681 eqn 3 */
			uint32_t inc = (uint32_t)t->mss * t->mss / t->cwnd;
			t->cwnd += inc > 0 ? inc : 1;
		}
	}
	if (t->cwnd > TCP_CWND_MAX)
		t->cwnd = TCP_CWND_MAX;
}

uint32_t
tcp_cc_ssthresh(struct tcp_ctx *c, struct tcb *t)
{
	uint32_t floor = 2u * t->mss;

	if (c->conf.cc == TCP_CC_CUBIC) {
		struct tcp_rack *r = tcb_rk(c, t);
		/* 4.7 fast convergence, 4.6 multiplicative decrease */
		if (t->cwnd < r->w_last_max)
			r->w_max = (uint32_t)((uint64_t)t->cwnd *
					      (CUBIC_BETA_DEN + CUBIC_BETA_NUM) /
					      (2 * CUBIC_BETA_DEN));
		else
			r->w_max = t->cwnd;
		r->w_last_max = t->cwnd;
		r->epoch = 0;
		uint32_t s = (uint32_t)((uint64_t)t->cwnd * CUBIC_BETA_NUM / CUBIC_BETA_DEN);
		return s > floor ? s : floor;
	}
	/* RFC 5681 eqn 4 */
	uint32_t flight = tcp_flight(t);
	return flight / 2 > floor ? flight / 2 : floor;
}

void
tcp_cc_rto(struct tcp_ctx *c, struct tcb *t)
{
	t->ssthresh = tcp_cc_ssthresh(c, t);
}

/*
 * Proportional Rate Reduction (RFC 6937), for SACK connections in fast
 * recovery. There is no per-segment scoreboard: DeliveredData is the
 * cumulative advance plus the change in the bytes the ACK's SACK blocks
 * report, and pipe (RFC 6675) counts what lies above the highest SACKed
 * byte plus the retransmissions not SACKed since: the holes below the
 * highest SACK are taken as lost, as RACK does.
 */
void
tcp_prr_start(struct tcp_ctx *c, struct tcb *t, uint32_t len)
{
	struct tcp_rack *r = tcb_rk(c, t);

	r->recover_fs = tcp_flight(t);
	r->prr_delivered = 0;
	r->prr_out = len;
	/* what the duplicate ACKs so far reported SACKed: one segment each */
	uint64_t sk = (uint64_t)t->dupacks * t->mss;
	r->sacked = sk < r->recover_fs ? (uint32_t)sk : r->recover_fs;
	/* nothing more leaves until ACKs report deliveries */
	t->cwnd = t->snd_nxt - t->snd_una > t->mss ? t->snd_nxt - t->snd_una : t->mss;
}

void
tcp_prr_ack(struct tcp_ctx *c, struct tcb *t, uint32_t old_una, const struct tcp_opts *o)
{
	struct tcp_rack *r = tcb_rk(c, t);
	uint32_t sacked = 0, sacked_rxt = 0, hi = t->snd_una;

	for (uint8_t i = 0; i < o->nsack; i++) {
		uint32_t l = SEQ_MAX(o->sack_l[i], t->snd_una), rr = o->sack_r[i];
		if (!SEQ_LT(l, rr) || SEQ_GT(rr, t->snd_max))
			continue;
		sacked += rr - l;
		hi = SEQ_MAX(hi, rr);
		if (SEQ_LT(l, t->high_rxt)) /* SACKed below HighRxt */
			sacked_rxt += SEQ_MIN(rr, t->high_rxt) - l;
	}
	int64_t delivered = (int64_t)(t->snd_una - old_una) + (int64_t)sacked - (int64_t)r->sacked;
	if (delivered < 0)
		delivered = 0;
	r->sacked = sacked;
	r->prr_delivered += (uint32_t)delivered;

	uint32_t rxt = SEQ_GT(t->high_rxt, t->snd_una) ? t->high_rxt - t->snd_una : 0;
	rxt = rxt > sacked_rxt ? rxt - sacked_rxt : 0;
	uint32_t pipe = t->snd_max - hi + rxt;
	int64_t sndcnt;
	if (pipe > t->ssthresh) {
		/* proportional: ceil(prr_delivered * ssthresh / RecoverFS) - prr_out */
		uint64_t fs = r->recover_fs ? r->recover_fs : 1;
		sndcnt = (int64_t)(((uint64_t)r->prr_delivered * t->ssthresh + fs - 1) / fs) -
			 (int64_t)r->prr_out;
	} else {
		/* slow start reduction bound (PRR-SSRB) */
		int64_t lim = (int64_t)r->prr_delivered - (int64_t)r->prr_out;
		if (lim < delivered)
			lim = delivered;
		lim += t->mss;
		sndcnt = (int64_t)t->ssthresh - (int64_t)pipe;
		if (sndcnt > lim)
			sndcnt = lim;
	}
	/* the holes first, then new data, each a whole segment while sndcnt > 0 */
	while (sndcnt > 0) {
		uint32_t len = tcp_sack_retransmit(c, t, o);
		if (len == 0)
			break;
		r->prr_out += len;
		sndcnt -= len;
	}
	uint32_t flight = t->snd_nxt - t->snd_una;
	t->cwnd = flight > t->mss ? flight : t->mss;
	if (sndcnt > 0) {
		uint32_t data_end = t->snd_una + t->sndq_bytes;
		uint32_t segs = (uint32_t)((sndcnt + t->mss - 1) / t->mss);
		uint32_t room = SEQ_LT(t->snd_nxt, data_end) ? data_end - t->snd_nxt : 0;
		uint32_t grant = segs * t->mss < room ? segs * t->mss : room;
		t->cwnd = flight + segs * t->mss;
		r->prr_out += grant;
		t->flags |= TF_OUTPUT;
	}
}
