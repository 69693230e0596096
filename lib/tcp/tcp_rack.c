/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RACK-TLP (RFC 8985) on top of SACK, with the state in struct tcp_rack
 * beside the TCB and the retransmission timer (rto_at) shared the way Linux
 * shares its: while a RACK reorder timer or a probe timeout is armed,
 * rto_at holds its tick and tcp_rack_timer() takes the expiry.
 *
 * RACK here keeps no per-segment send times. First transmissions leave in
 * sequence order, so a hole below SACKed data was sent before the segment
 * the SACK reports, and RACK's rule (6.2: lost once RACK.rtt + reo_wnd has
 * passed since the hole was sent) comes down to: lost reo_wnd after the
 * first SACK above it arrived. Until reordering has been seen (RACK.reord),
 * reo_wnd is 0 once DupThresh segments are SACKed (6.2 step 4): the
 * DupThresh rule then applies at once; after reordering was seen, only the
 * timer decides, so reordering within min_rtt / 4 retransmits nothing.
 *
 * TLP (7): with data in flight and no recovery, a probe timeout of 2 SRTT
 * (+ the peer's worst delayed ACK when one segment is out) replaces the RTO
 * when it is earlier. It sends one new segment when there is one and the
 * peer's window allows, else it resends the last segment sent, so the ACK
 * of a lost tail triggers SACK recovery instead of waiting for the RTO. A
 * probe that was a retransmission and gets acknowledged repaired a loss
 * (7.4): the congestion controller hears of it.
 */
#include "tcp_priv.h"

#define TLP_WCDELACK_MS 200 /* RFC 8985 7.2 WCDelAckT */
#define TLP_MIN_MS	2
#define RK_REORD	0x01 /* flags in tcp_rack.reord */
#define RK_TLP_RXT	0x02 /* the outstanding probe was a retransmission */

void
tcp_rack_rtt(struct tcp_ctx *c, struct tcb *t, uint32_t rtt)
{
	struct tcp_rack *r = tcb_rk(c, t);

	if (rtt > UINT16_MAX)
		rtt = UINT16_MAX;
	if (rtt == 0)
		rtt = 1;
	if (r->min_rtt == 0 || rtt < r->min_rtt)
		r->min_rtt = (uint16_t)rtt;
}

static uint32_t
reo_wnd(const struct tcp_rack *r, const struct tcb *t)
{
	/* 6.2 step 4: min_rtt / 4, at most SRTT; one tick at least */
	uint32_t w = r->min_rtt / 4;
	uint32_t srtt = t->srtt8 >> 3;

	if (srtt && w > srtt)
		w = srtt;
	return w ? w : 1;
}

static void
arm(struct tcp_ctx *c, struct tcb *t, struct tcp_rack *r, uint8_t kind, uint32_t at)
{
	r->timer = kind;
	r->timer_at = at;
	t->rto_at = at;
	tcp_timer_update(c, t);
}

bool
tcp_rack_dupack(struct tcp_ctx *c, struct tcb *t, uint32_t dupthresh)
{
	struct tcp_rack *r = tcb_rk(c, t);

	if (!(r->reord & RK_REORD) && t->dupacks >= dupthresh)
		return false; /* reo_wnd 0: lost now (6.2 step 4) */
	if (r->timer != TCP_RK_REO)
		arm(c, t, r, TCP_RK_REO, c->tick + reo_wnd(r, t));
	return true;
}

void
tcp_rack_acked(struct tcp_ctx *c, struct tcb *t, uint32_t ack)
{
	struct tcp_rack *r = tcb_rk(c, t);

	if (r->timer == TCP_RK_REO) {
		/* the hole filled by its first transmission: reordering */
		if (!(t->flags & TF_RECOVERY) && !SEQ_GT(t->high_rxt, t->snd_una))
			r->reord |= RK_REORD;
		r->timer = TCP_RK_NONE;
	} else if (r->timer == TCP_RK_PTO) {
		r->timer = TCP_RK_NONE;
	}
	if (r->tlp_high != 0 && SEQ_GEQ(ack, r->tlp_high)) {
		if ((r->reord & RK_TLP_RXT) && !(t->flags & TF_RECOVERY)) {
			/* 7.4.2: the probe repaired a loss: reduce as for one */
			t->ssthresh = tcp_cc_ssthresh(c, t);
			t->cwnd = t->ssthresh;
		}
		r->tlp_high = 0;
		r->reord &= (uint8_t)~RK_TLP_RXT;
	}
}

void
tcp_rack_arm(struct tcp_ctx *c, struct tcb *t)
{
	struct tcp_rack *r = tcb_rk(c, t);
	uint32_t flight = tcp_flight(t);

	if (r->timer == TCP_RK_REO)
		return;
	if (!(t->flags & TF_SACK) || (t->flags & TF_RECOVERY) || r->tlp_high != 0 || flight == 0 ||
	    t->srtt8 == 0 || t->snd_wnd == 0 || t->retries != 0) {
		if (r->timer == TCP_RK_PTO) { /* back to the RTO */
			r->timer = TCP_RK_NONE;
			t->rto_at = flight ? c->tick + t->rto : 0;
		}
		return;
	}
	/* 7.2, plus 2 ms as Linux (tcp_schedule_loss_probe: TCP_TIMEOUT_MIN) */
	uint32_t pto = 2 * (t->srtt8 >> 3) + 2;
	if (flight <= t->mss)
		pto += TLP_WCDELACK_MS;
	if (pto < TLP_MIN_MS)
		pto = TLP_MIN_MS;
	uint32_t rto_left = r->timer == TCP_RK_PTO || t->rto_at == 0 ? t->rto : t->rto_at - c->tick;
	if (pto >= rto_left) {
		if (r->timer == TCP_RK_PTO) {
			r->timer = TCP_RK_NONE;
			t->rto_at = c->tick + t->rto;
		}
		return;
	}
	r->timer = TCP_RK_PTO;
	r->timer_at = c->tick + pto;
	t->rto_at = r->timer_at;
}

/* 7.3: one new segment if the peer's window allows, else the last one again */
static void
probe(struct tcp_ctx *c, struct tcb *t, struct tcp_rack *r)
{
	uint32_t data_end = t->snd_una + t->sndq_bytes;
	uint32_t sent_end = SEQ_LT(t->snd_max, data_end) ? t->snd_max : data_end;

	stats_inc(&c->w->stats, STAT_tcp_tlp);
	if (SEQ_LT(t->snd_nxt, data_end) && t->snd_nxt == t->snd_max &&
	    tcp_flight(t) + t->mss <= t->snd_wnd) {
		uint32_t cwnd = t->cwnd;
		uint32_t before = t->snd_max;
		t->cwnd = tcp_flight(t) + t->mss;
		tcp_output(c, t);
		t->cwnd = cwnd;
		if (t->snd_max != before) {
			r->tlp_high = t->snd_max;
			return;
		}
	}
	r->tlp_high = t->snd_max;
	r->reord |= RK_TLP_RXT;
	if (SEQ_LEQ(sent_end - t->snd_una, t->mss) || (t->flags & TF_FIN_SENT))
		tcp_retransmit_una(c, t); /* the whole flight (and the FIN) in one */
	else
		tcp_retransmit_seg(c, t, sent_end - t->mss, t->mss);
}

bool
tcp_rack_timer(struct tcp_ctx *c, struct tcb *t)
{
	struct tcp_rack *r = tcb_rk(c, t);
	uint8_t kind = r->timer;

	if (kind == TCP_RK_NONE)
		return false;
	/* The wheel is catching up on ms the worker did not run (descheduled):
	 * the ACKs of that time may still wait in its RX queue. Decide one
	 * tick after the present instead, once the next RX bursts are in. */
	uint32_t now = (uint32_t)((c->w->now - c->tsc_base) / c->tsc_per_ms) + 1;
	if (SEQ_GT(now, c->tick + 1)) {
		r->timer_at = now + 1;
		t->rto_at = r->timer_at;
		tcp_timer_update(c, t);
		return true;
	}
	r->timer = TCP_RK_NONE;
	if (kind == TCP_RK_REO) {
		if (!(t->flags & TF_RECOVERY) && tcp_flight(t) > 0 && t->dupacks > 0) {
			stats_inc(&c->w->stats, STAT_tcp_rack_recovery);
			tcp_fast_retransmit(c, t);
		} else {
			t->rto_at = tcp_flight(t) ? c->tick + t->rto : 0;
		}
	} else {
		probe(c, t, r);
		t->rto_at = c->tick + t->rto;
	}
	tcp_timer_update(c, t);
	return true;
}
