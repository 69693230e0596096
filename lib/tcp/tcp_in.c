/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP input: header and checksum validation, option parsing, flow lookup,
 * and the RFC 9293 3.10.7 "SEGMENT ARRIVES" processing, in its order:
 * sequence check (with PAWS, RFC 7323), RST and SYN (with RFC 5961's
 * challenge ACKs), ACK (RFC 5961 5.2 validation, RTT per RFC 6298, NewReno
 * per RFC 5681/6582), segment text (in order to the application, out of
 * order kept, bounded), FIN. Segments for no connection get the RST RFC
 * 9293 3.10.7.1 prescribes; SYNs to listening ports open connections, or
 * get a SYN cookie (RFC 4987) when the table or the backlog is full.
 */
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "drivers/port.h"
#include "tcp_priv.h"

#define OPT_EOL	   0
#define OPT_NOP	   1
#define OPT_MSS	   2
#define OPT_WS	   3
#define OPT_SACKOK 4
#define OPT_SACK   5
#define OPT_TS	   8

int
tcp_parse_opts(const uint8_t *o, uint32_t len, struct tcp_opts *out)
{
	memset(out, 0, sizeof(*out));
	while (len > 0) {
		uint8_t kind = o[0];
		if (kind == OPT_EOL)
			break;
		if (kind == OPT_NOP) {
			o++;
			len--;
			continue;
		}
		if (len < 2)
			return -1;
		uint8_t l = o[1];
		if (l < 2 || l > len)
			return -1;
		switch (kind) {
		case OPT_MSS:
			if (l != 4)
				return -1;
			out->has_mss = true;
			out->mss = (uint16_t)(o[2] << 8 | o[3]);
			break;
		case OPT_WS:
			if (l != 3)
				return -1;
			out->has_ws = true;
			out->ws = o[2] > 14 ? 14 : o[2]; /* RFC 7323 2.3 */
			break;
		case OPT_SACKOK:
			if (l != 2)
				return -1;
			out->sackok = true;
			break;
		case OPT_SACK:
			/* RFC 2018 3: length 2 + 8n, n >= 1 */
			if (l < 10 || (l - 2) % 8 != 0)
				return -1;
			for (uint8_t b = 2; b < l; b += 8) {
				uint32_t re = (uint32_t)o[b + 4] << 24 | (uint32_t)o[b + 5] << 16 |
					      (uint32_t)o[b + 6] << 8 | o[b + 7];
				uint32_t le = (uint32_t)o[b] << 24 | (uint32_t)o[b + 1] << 16 |
					      (uint32_t)o[b + 2] << 8 | o[b + 3];
				if (!out->has_sack || SEQ_GT(re, out->sack_hi))
					out->sack_hi = re;
				out->has_sack = true;
				if (out->nsack < 4 && SEQ_LT(le, re)) {
					out->sack_l[out->nsack] = le;
					out->sack_r[out->nsack] = re;
					out->nsack++;
				}
			}
			break;
		case OPT_TS:
			if (l != 10)
				return -1;
			out->has_ts = true;
			out->tsval = (uint32_t)o[2] << 24 | (uint32_t)o[3] << 16 |
				     (uint32_t)o[4] << 8 | o[5];
			out->tsecr = (uint32_t)o[6] << 24 | (uint32_t)o[7] << 16 |
				     (uint32_t)o[8] << 8 | o[9];
			break;
		default:
			break; /* unknown kinds are skipped by their length */
		}
		o += l;
		len -= l;
	}
	return 0;
}

/** One arriving segment, parsed. */
struct seg {
	uint32_t seq, ack, wnd;
	uint32_t plen; /**< payload bytes */
	uint32_t len;  /**< SEG.LEN: payload + SYN + FIN */
	const uint8_t *data;
	uint8_t flags;
	struct tcp_opts o;
	struct rte_mbuf *m;
	bool kept; /**< m now belongs to the out-of-order queue */
};

/* TF_ bits naming the listener's application of port (network order). */
static inline uint16_t
listener_slot(const struct tcp_ctx *c, rte_be16_t port)
{
	uint8_t l = c->listen[rte_be_to_cpu_16(port)];

	return l == 0 ? 0 : (uint16_t)((l - 1) << TF_APP_SHIFT);
}

static uint8_t
wscale_for(uint32_t wnd)
{
	uint8_t s = 0;

	while (s < 14 && (wnd >> s) > 65535)
		s++;
	return s;
}

static uint32_t
init_cwnd(const struct tcp_ctx *c, uint16_t mss)
{
	/* RFC 6928: min(IW*MSS, max(2*MSS, 14600)) for IW = 10; other IWs as set */
	uint32_t iw = c->conf.init_cwnd * (uint32_t)mss;
	if (c->conf.init_cwnd == 10) {
		uint32_t cap = 2u * mss > 14600 ? 2u * mss : 14600;
		iw = iw < cap ? iw : cap;
	}
	return iw;
}

/* Effective send MSS: the peer's, bounded by our MTU, less the TS option. */
static uint16_t
eff_mss(const struct tcp_ctx *c, const struct tcb *t, const struct tcp_opts *o, uint16_t peer)
{
	uint32_t ours = c->w->port[t->port].mtu - 40u;
	uint32_t m = peer < ours ? peer : ours;

	(void)o;
	/* RFC 9293 3.7.1 (MUST-16): segments no larger than the peer's MSS less
	 * the options we send (12 bytes of timestamps). The peer's value gets a
	 * floor of TCP_MIN_SND_MSS before that subtraction, as Linux's
	 * tcp_min_snd_mss (a peer cannot make us cut data into 1-byte
	 * segments): MSS 60 with timestamps gives 48-byte segments, as Linux. */
	if (m < TCP_MIN_SND_MSS)
		m = TCP_MIN_SND_MSS;
	if (t->flags & TF_TS)
		m -= 12;
	return (uint16_t)m;
}

/* Options of the SYN we answer or that answers us (RFC 7323, RFC 2018). */
static void
negotiate(struct tcp_ctx *c, struct tcb *t, const struct seg *s)
{
	if (c->conf.wscale && s->o.has_ws) {
		t->flags |= TF_WS;
		t->snd_ws = s->o.ws;
		t->rcv_ws = wscale_for(c->conf.rcv_wnd);
	} else {
		t->flags &= ~TF_WS;
		t->snd_ws = t->rcv_ws = 0;
	}
	if (c->conf.sack && s->o.sackok)
		t->flags |= TF_SACK;
	else
		t->flags &= ~TF_SACK;
	if (c->conf.timestamps && s->o.has_ts) {
		t->flags |= TF_TS;
		t->ts_recent = s->o.tsval;
	} else {
		t->flags &= ~TF_TS;
	}
	/* RFC 9293 3.7.1: without the option, assume 536 */
	t->mss = eff_mss(c, t, &s->o, s->o.has_mss ? s->o.mss : 536);
	t->cwnd = init_cwnd(c, t->mss);
}

/*
 * RTO when the handshake completes. With an RTT sample (rtt_sample() ran)
 * the RTO is the measured one (RFC 6298 2.2). Without one it is the initial
 * RTO, except that RFC 6298 5.7 says: "If the timer expires awaiting the ACK
 * of a SYN segment and the TCP implementation is using an RTO less than 3
 * seconds, the RTO MUST be re-initialized to 3 seconds when data
 * transmission begins".
 */
static void
rto_after_handshake(const struct tcp_ctx *c, struct tcb *t, bool syn_retransmitted)
{
	if (t->srtt8 != 0)
		return;
	uint32_t rto = RTE_MAX(c->conf.rto_init_ms, c->conf.rto_min_ms);
	if (syn_retransmitted && rto < 3000)
		rto = 3000;
	t->rto = rto > c->conf.rto_max_ms ? c->conf.rto_max_ms : rto;
}

static void
passive_open(struct tcp_ctx *c, struct tcb *t, const struct seg *s)
{
	t->state = TCP_SYN_RECEIVED;
	t->flags |= TF_PASSIVE | listener_slot(c, t->key.lport);
	t->rcv_nxt = s->seq + 1;
	t->rcv_adv = t->rcv_nxt;
	t->snd_una = t->snd_nxt = t->snd_max = tcp_isn(c, &t->key); /* ISS */
	t->recover = t->snd_una; /* RFC 6582 3.2: recover starts at the ISS */
	t->snd_wnd = s->wnd;	 /* never scaled in a SYN (RFC 7323 2.2) */
	t->max_snd_wnd = t->snd_wnd;
	t->snd_wl1 = s->seq;
	t->snd_wl2 = t->snd_una;
	negotiate(c, t, s);
	c->nb_synrcvd++;
	tcp_send_syn(c, t);
}

static bool
listening(const struct tcp_ctx *c, rte_be16_t port)
{
	uint16_t p = rte_be_to_cpu_16(port);

	return c->listen[p] != 0;
}

static void process(struct tcp_ctx *c, struct tcb *t, struct seg *s);

/*
 * RFC 6191 2: a SYN for a connection in TIME-WAIT may open a new
 * incarnation "if TCP Timestamps would be enabled for the new incarnation
 * of the connection, and the timestamp contained in the incoming SYN
 * segment is greater than the last timestamp seen on the previous
 * incarnation; or if TCP Timestamps would not be enabled for the new
 * incarnation of the connection, and the sequence number of the incoming
 * SYN segment is greater than the last sequence number seen on the previous
 * incarnation". Timestamps decide when both incarnations have them (the
 * old one's TS.Recent is the last timestamp seen) and differ; else RCV.NXT
 * does.
 */
static bool
time_wait_reusable(const struct tcp_ctx *c, const struct tcb *t, const struct seg *s)
{
	if (c->conf.timestamps && s->o.has_ts && (t->flags & TF_TS)) {
		/* an older TSval is an old duplicate (PAWS); an equal one (the
		 * same millisecond: a client reusing its port at once) leaves
		 * the decision to the sequence number, as Linux does */
		if (SEQ_LT(s->o.tsval, t->ts_recent))
			return false;
		if (SEQ_GT(s->o.tsval, t->ts_recent))
			return true;
	}
	return SEQ_GT(s->seq, t->rcv_nxt);
}

/*
 * The end of input for t: output what became sendable (data carries the
 * owed ACK); an ACK still owed after that waits for the delayed-ACK timer.
 */
static void
tcp_input_done(struct tcp_ctx *c, struct tcb *t)
{
	if (t->flags & (TF_OUTPUT | TF_ACKNOW))
		tcp_output(c, t);
	if (t->state != TCP_CLOSED && (t->flags & TF_DELACK) && t->delack_at == 0) {
		t->delack_at = c->tick + (c->conf.delack_ms ? c->conf.delack_ms : 1);
		tcp_timer_update(c, t);
	}
}

static void
established_from_cookie(struct tcp_ctx *c, struct worker_port *wp, const struct tcp_key *k,
			struct seg *s, uint16_t mss)
{
	struct tcb *t = tcp_tcb_new(c, k, (uint8_t)(wp - c->w->port));

	if (t == NULL) {
		stats_inc(&c->w->stats, STAT_drop_tcp_table_full);
		return;
	}
	t->state = TCP_ESTABLISHED;
	t->flags |= TF_PASSIVE | listener_slot(c, t->key.lport);
	t->rcv_nxt = s->seq;
	t->rcv_adv = s->seq + (c->conf.rcv_wnd > 65535 ? 65535 : c->conf.rcv_wnd);
	t->snd_una = t->snd_nxt = t->snd_max = s->ack;
	t->recover = s->ack - 1; /* the ISS (RFC 6582 3.2) */
	t->snd_wnd = s->wnd;
	t->max_snd_wnd = s->wnd;
	t->snd_wl1 = s->seq;
	t->snd_wl2 = s->ack;
	uint16_t ours = (uint16_t)(wp->mtu - 40);
	t->mss = mss < ours ? mss : ours;
	t->cwnd = init_cwnd(c, t->mss);
	stats_inc(&c->w->stats, STAT_tcp_syncookie_ok);
	stats_inc(&c->w->stats, STAT_tcp_accepted);
	t->flags |= TF_IN_INPUT;
	if (tcb_app(c, t)->accepted != NULL)
		tcb_app(c, t)->accepted(c, t, tcb_app(c, t)->arg);
	if (t->state != TCP_CLOSED && (s->plen > 0 || (s->flags & TCP_FIN)))
		process(c, t, s);
	if (t->state != TCP_CLOSED) {
		t->flags &= ~TF_IN_INPUT;
		tcp_input_done(c, t);
	}
}

/* A segment that matches no connection. */
static void
no_conn(struct tcp_ctx *c, struct worker_port *wp, const struct net_info *ni,
	const struct rte_tcp_hdr *th, const struct tcp_key *k, struct seg *s)
{
	struct worker *w = c->w;

	if (s->flags & TCP_RST) {
		stats_inc(&w->stats, STAT_drop_tcp_no_conn); /* never answer a RST */
		return;
	}
	if ((s->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && listening(c, k->lport)) {
		stats_inc(&w->stats, STAT_tcp_syn_rx);
		struct tcb *t = NULL;
		if (c->nb_synrcvd < c->conf.syn_backlog)
			t = tcp_tcb_new(c, k, (uint8_t)(wp - w->port));
		if (t == NULL) {
			if (c->conf.syncookies) {
				uint16_t mss = s->o.has_mss ? s->o.mss : 536;
				uint32_t cookie = tcp_cookie_make(c, k, s->seq, mss);
				tcp_send_cookie_synack(c, wp, k, cookie, s->seq + 1, mss);
			} else {
				stats_inc(&w->stats, STAT_drop_tcp_table_full);
			}
			return;
		}
		passive_open(c, t, s);
		return;
	}
	if ((s->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_ACK && c->conf.syncookies &&
	    listening(c, k->lport)) {
		uint16_t mss;
		if (tcp_cookie_check(c, k, s->seq - 1, s->ack - 1, &mss) == 0) {
			established_from_cookie(c, wp, k, s, mss);
			return;
		}
		stats_inc(&w->stats, STAT_drop_tcp_cookie_bad);
		tcp_send_rst_reply(c, wp, s->m, ni, th, s->len);
		return;
	}
	stats_inc(&w->stats, STAT_drop_tcp_no_conn);
	/* RFC 9293 3.10.7.2, LISTEN, fourth: "Any other control or text-bearing
	 * segment (not containing SYN) must have an ACK and thus would have been
	 * discarded by the ACK processing ... drop the segment and return." */
	if (listening(c, k->lport) && !(s->flags & (TCP_ACK | TCP_SYN)))
		return;
	tcp_send_rst_reply(c, wp, s->m, ni, th, s->len);
}

static void
rtt_sample(struct tcp_ctx *c, struct tcb *t, uint32_t r)
{
	/* RFC 6298 2.2 / 2.3, in ms, with srtt x8 and rttvar x4 */
	if (r == 0)
		r = 1;
	if (t->srtt8 == 0) {
		t->srtt8 = r << 3;
		t->rttvar4 = r << 1;
	} else {
		int32_t delta = (int32_t)r - (int32_t)(t->srtt8 >> 3);
		if (delta < 0)
			delta = -delta;
		t->rttvar4 = t->rttvar4 - (t->rttvar4 >> 2) + (uint32_t)delta;
		t->srtt8 = t->srtt8 - (t->srtt8 >> 3) + r;
	}
	uint32_t rto = (t->srtt8 >> 3) + (t->rttvar4 > 1 ? t->rttvar4 : 1);
	if (rto < c->conf.rto_min_ms)
		rto = c->conf.rto_min_ms;
	if (rto > c->conf.rto_max_ms)
		rto = c->conf.rto_max_ms;
	t->rto = rto;
	tcp_rack_rtt(c, t, r);
}

static void
challenge_ack(struct tcp_ctx *c, struct tcb *t)
{
	stats_inc(&c->w->stats, STAT_tcp_challenge_ack);
	t->flags |= TF_ACKNOW;
}

/* Put s's payload in t's out-of-order queue (sorted by seq). */
static void
ooo_insert(struct tcp_ctx *c, struct tcb *t, struct seg *s, bool fin)
{
	if (t->ooo_n >= c->conf.ooo_max || c->ooo_free == TCP_NONE) {
		stats_inc(&c->w->stats, STAT_drop_tcp_ooo_full);
		return;
	}
	uint32_t *pp = &t->ooo;
	while (*pp != TCP_NONE && SEQ_LEQ(c->ooo[*pp].seq, s->seq)) {
		struct tcp_ooo *q = &c->ooo[*pp];
		/* wholly covered by what we hold: nothing new */
		if (SEQ_LEQ(s->seq + s->plen, q->seq + q->len) && (!fin || q->fin))
			return;
		pp = &q->next;
	}
	for (uint32_t j = t->ooo; j != TCP_NONE; j = c->ooo[j].next)
		c->ooo[j].recent = 0;
	uint32_t i = c->ooo_free;
	struct tcp_ooo *o = &c->ooo[i];
	c->ooo_free = o->next;
	o->recent = 1; /* first SACK block (RFC 2018 4) */
	o->m = s->m;
	o->data = s->data;
	o->seq = s->seq;
	o->len = s->plen;
	o->fin = fin;
	o->next = *pp;
	*pp = i;
	t->ooo_n++;
	s->kept = true;
	stats_inc(&c->w->stats, STAT_tcp_ooo_rx);
}

/* Deliver what the out-of-order queue holds at rcv_nxt; returns true on a FIN. */
static bool
ooo_drain(struct tcp_ctx *c, struct tcb *t)
{
	bool fin = false;

	while (t->ooo != TCP_NONE && t->state != TCP_CLOSED) {
		uint32_t i = t->ooo;
		struct tcp_ooo *q = &c->ooo[i];
		if (SEQ_GT(q->seq, t->rcv_nxt))
			break;
		uint32_t end = q->seq + q->len;
		if (SEQ_GT(end, t->rcv_nxt)) {
			uint32_t skip = t->rcv_nxt - q->seq;
			uint32_t n = q->len - skip;
			t->rcv_nxt += n;
			stats_add(&c->w->stats, STAT_tcp_data_rx, n);
			const struct tcp_app *app = tcb_app(c, t);
			if (app->recv != NULL)
				app->recv(c, t, q->data + skip, n, app->arg);
		}
		if (q->fin && SEQ_GEQ(t->rcv_nxt, end))
			fin = true;
		if (t->state == TCP_CLOSED)
			return false; /* the app aborted; the queue went with the TCB */
		t->ooo = q->next;
		rte_pktmbuf_free(q->m);
		q->m = NULL;
		q->next = c->ooo_free;
		c->ooo_free = i;
		t->ooo_n--;
		if (fin)
			break;
	}
	return fin;
}

/*
 * SACK-based loss recovery, the NextSeg() rule 1 of RFC 6675 6 using the
 * blocks of the ACK at hand: the first hole at or above max(SND.UNA,
 * HighRxt) that lies below the highest SACKed byte is resent, one segment
 * per duplicate ACK. Returns the bytes it resent (0: none).
 */
uint32_t
tcp_sack_retransmit(struct tcp_ctx *c, struct tcb *t, const struct tcp_opts *o)
{
	if (!(t->flags & TF_SACK) || o->nsack == 0)
		return 0;
	uint32_t h = SEQ_MAX(t->snd_una, t->high_rxt);
	bool moved = true;
	while (moved) {
		moved = false;
		for (uint8_t i = 0; i < o->nsack; i++) {
			if (SEQ_LEQ(o->sack_l[i], h) && SEQ_LT(h, o->sack_r[i])) {
				h = o->sack_r[i];
				moved = true;
			}
		}
	}
	if (!SEQ_LT(h, o->sack_hi) || !SEQ_LT(h, t->snd_max))
		return 0;
	uint32_t end = o->sack_hi;
	for (uint8_t i = 0; i < o->nsack; i++) /* up to the next SACKed block */
		if (SEQ_GT(o->sack_l[i], h) && SEQ_LT(o->sack_l[i], end))
			end = o->sack_l[i];
	uint32_t before = t->high_rxt;
	tcp_retransmit_seg(c, t, h, end - h);
	return SEQ_GT(t->high_rxt, before) ? t->high_rxt - h : 0;
}

void
tcp_fast_retransmit(struct tcp_ctx *c, struct tcb *t)
{
	/* RFC 6582 3.2 step 2 (RFC 5681 3.2 steps 2-3), ssthresh from the CC */
	t->ssthresh = tcp_cc_ssthresh(c, t);
	t->recover = t->snd_max;
	t->flags |= TF_RECOVERY;
	t->high_rxt = t->snd_una;
	stats_inc(&c->w->stats, STAT_tcp_fast_retrans);
	tcp_retransmit_una(c, t);
	if (t->flags & TF_SACK) /* PRR (RFC 6937) sets the window from here */
		tcp_prr_start(c, t, t->high_rxt - t->snd_una);
	else
		t->cwnd = t->ssthresh + 3u * t->mss;
}

/* ACK processing for synchronized states (RFC 9293 3.10.7.4, fifth check).
 * Returns false when the segment must not be processed further. */
static bool
ack_input(struct tcp_ctx *c, struct tcb *t, struct seg *s)
{
	struct worker *w = c->w;

	/* RFC 5961 5.2: acceptable iff SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT */
	if (SEQ_GT(s->ack, t->snd_max)) {
		stats_inc(&w->stats, STAT_drop_tcp_bad_ack);
		t->flags |= TF_ACKNOW;
		return false;
	}
	if (SEQ_LT(s->ack, t->snd_una - t->max_snd_wnd)) {
		stats_inc(&w->stats, STAT_drop_tcp_bad_ack);
		challenge_ack(c, t);
		return false;
	}
	if (t->state == TCP_SYN_RECEIVED) {
		if (!SEQ_GT(s->ack, t->snd_una)) {
			/* <SEQ=SEG.ACK><CTL=RST> is sent by the caller for a bad ACK;
			 * an old duplicate ACK (== iss) is simply dropped */
			stats_inc(&w->stats, STAT_drop_tcp_bad_ack);
			return false;
		}
		bool syn_retransmitted = t->retries > 0;
		t->state = TCP_ESTABLISHED;
		if ((t->flags & TF_PASSIVE) && c->nb_synrcvd > 0)
			c->nb_synrcvd--;
		t->snd_una++; /* our SYN: SND.UNA was the ISS */
		t->snd_wnd = s->wnd << t->snd_ws;
		t->max_snd_wnd = t->snd_wnd;
		t->snd_wl1 = s->seq;
		t->snd_wl2 = s->ack;
		t->retries = 0;
		t->rto_at = 0;
		if ((t->flags & TF_TS) && s->o.has_ts && s->o.tsecr != 0)
			rtt_sample(c, t, c->tick + c->ts_offset - s->o.tsecr);
		rto_after_handshake(c, t, syn_retransmitted);
		if (t->flags & TF_PASSIVE) {
			stats_inc(&w->stats, STAT_tcp_accepted);
			if (tcb_app(c, t)->accepted != NULL)
				tcb_app(c, t)->accepted(c, t, tcb_app(c, t)->arg);
		} else {
			/* our own active open, completed through a simultaneous open */
			stats_inc(&w->stats, STAT_tcp_connected);
			if (tcb_app(c, t)->connected != NULL)
				tcb_app(c, t)->connected(c, t, tcb_app(c, t)->arg);
		}
		if (t->state == TCP_CLOSED)
			return false;
	}

	uint32_t wnd = s->wnd << t->snd_ws;
	if (SEQ_GT(s->ack, t->snd_una)) {
		uint32_t acked = s->ack - t->snd_una;
		bool fin_acked = (t->flags & TF_FIN_SENT) && s->ack == t->snd_max;
		uint32_t data = acked - (fin_acked ? 1 : 0);
		bool dropped = false;
		if (data > t->sndq_bytes)
			data = t->sndq_bytes;

		/* RTT: from the echoed timestamp (RFC 7323 4.1), else the timed
		 * segment (RFC 6298 3, Karn: never a retransmitted one) */
		if ((t->flags & TF_TS) && s->o.has_ts && s->o.tsecr != 0)
			rtt_sample(c, t, c->tick + c->ts_offset - s->o.tsecr);
		else if ((t->flags & TF_RTT) && SEQ_GT(s->ack, t->rtt_seq)) {
			t->flags &= ~TF_RTT;
			rtt_sample(c, t, c->tick - t->rtt_start);
		}
		t->retries = 0;
		tcp_rack_acked(c, t, s->ack);

		if (t->flags & TF_RECOVERY) {
			if (SEQ_GEQ(s->ack, t->recover)) {
				/* full ACK: RFC 6582 3.2 step 3, option (1) */
				uint32_t flight = t->snd_max - s->ack;
				uint32_t f = (flight > t->mss ? flight : t->mss) + t->mss;
				t->cwnd = t->ssthresh < f ? t->ssthresh : f;
				t->flags &= ~TF_RECOVERY;
				t->dupacks = 0;
			} else if ((t->flags & TF_SACK) && s->o.has_sack) {
				/* partial ACK with SACK: PRR */
				uint32_t old_una = t->snd_una;
				t->snd_una = s->ack;
				tcp_sndq_drop(c, t, data);
				dropped = true;
				if (SEQ_LT(t->snd_nxt, t->snd_una))
					t->snd_nxt = t->snd_una;
				tcp_prr_ack(c, t, old_una, &s->o);
			} else {
				/* partial ACK: step 4 -- resend the next hole, deflate */
				t->snd_una = s->ack;
				tcp_sndq_drop(c, t, data);
				dropped = true; /* sent() below still reports them */
				if (SEQ_LT(t->snd_nxt, t->snd_una))
					t->snd_nxt = t->snd_una;
				/* the next hole, unless SACK recovery resent it already */
				if (SEQ_GEQ(t->snd_una, t->high_rxt))
					tcp_retransmit_una(c, t);
				else
					tcp_sack_retransmit(c, t, &s->o);
				t->cwnd = t->cwnd > acked ? t->cwnd - acked : 0;
				t->cwnd += t->mss;
				if (t->cwnd < t->mss)
					t->cwnd = t->mss;
			}
		} else {
			t->dupacks = 0;
			tcp_cc_ack(c, t, acked);
		}
		t->snd_una = s->ack;
		if (SEQ_LT(t->snd_nxt, t->snd_una))
			t->snd_nxt = t->snd_una;
		if (data > 0) {
			if (!dropped)
				tcp_sndq_drop(c, t, data);
			const struct tcp_app *app = tcb_app(c, t);
			if (app->sent != NULL)
				app->sent(c, t, data, app->arg);
			if (t->state == TCP_CLOSED)
				return false;
		}
		/* RFC 6298 5.2 / 5.3 */
		if (t->snd_una == t->snd_max)
			t->rto_at = 0;
		else
			t->rto_at = c->tick + t->rto;
		if (fin_acked) {
			switch (t->state) {
			case TCP_FIN_WAIT_1:
				t->state = TCP_FIN_WAIT_2;
				break;
			case TCP_CLOSING:
				tcp_enter_time_wait(c, t);
				break;
			case TCP_LAST_ACK:
				tcp_tcb_free(c, t, TCP_CLOSE_NORMAL, true);
				return false;
			default:
				break;
			}
		}
		t->flags |= TF_OUTPUT;
	} else if (s->ack == t->snd_una && s->plen == 0 && !(s->flags & (TCP_SYN | TCP_FIN)) &&
		   wnd != 0 && t->snd_max != t->snd_una &&
		   (wnd == t->snd_wnd ||
		    ((t->flags & TF_SACK) && s->o.has_sack && SEQ_GT(s->o.sack_hi, s->ack)))) {
		/* (a zero window answers a window probe: no sign of loss) */
		/* duplicate ACK (RFC 5681 section 2); an ACK whose SACK blocks
		 * report data above SND.UNA counts too, whatever its window
		 * (RFC 6675 2 "DupAck"): receivers grow their window while
		 * they report the loss */
		stats_inc(&w->stats, STAT_tcp_dupack_rx);
		t->dupacks++;
		/* Early Retransmit (RFC 5827): with fewer than four segments
		 * outstanding and nothing new to send, the threshold is one
		 * less than the segments outstanding */
		uint32_t dupthresh = 3;
		uint32_t oseg = (tcp_flight(t) + t->mss - 1) / t->mss;
		if (oseg < 4 && !SEQ_LT(t->snd_max, t->snd_una + t->sndq_bytes))
			dupthresh = oseg > 1 ? oseg - 1 : 1;
		if (!(t->flags & TF_RECOVERY) && t->dupacks < 3)
			t->flags |= TF_OUTPUT; /* Limited Transmit */
		bool sacked = (t->flags & TF_SACK) && s->o.has_sack && SEQ_GT(s->o.sack_hi, s->ack);
		if (sacked && !(t->flags & TF_RECOVERY) && SEQ_GT(s->ack, t->recover - 1) &&
		    tcp_rack_dupack(c, t, dupthresh)) {
			/* RACK (RFC 8985 6.2): the hole is lost once its
			 * reordering window has passed (tcp_rack_timer) */
		} else if (t->dupacks >= dupthresh && !(t->flags & TF_RECOVERY) &&
			   SEQ_GT(s->ack, t->recover - 1)) {
			tcp_fast_retransmit(c, t);
		} else if (t->flags & TF_RECOVERY) {
			/* each duplicate ACK is a segment that left the network:
			 * resend the next SACK hole, or inflate (RFC 5681 3.2 step 4) */
			if ((t->flags & TF_SACK) && s->o.has_sack)
				tcp_prr_ack(c, t, t->snd_una, &s->o);
			else if (!tcp_sack_retransmit(c, t, &s->o) && t->dupacks > 3) {
				t->cwnd += t->mss;
				t->flags |= TF_OUTPUT;
			}
		}
	}
	/* window update (RFC 9293 3.10.7.4) */
	if (SEQ_LT(t->snd_wl1, s->seq) || (t->snd_wl1 == s->seq && SEQ_LEQ(t->snd_wl2, s->ack))) {
		if (wnd > t->snd_wnd)
			t->flags |= TF_OUTPUT;
		/* the window opens after a 1-byte probe the peer did not take:
		 * send again from SND.UNA (the probe byte first) */
		if (t->snd_wnd == 0 && wnd > 0 && tcp_flight(t) == 1 && !(t->flags & TF_FIN_SENT))
			t->snd_nxt = t->snd_una;
		/* RFC 1122 4.2.2.17: the peer answers our zero-window probes, so
		 * the connection stays open however long the window is closed */
		if (wnd == 0)
			t->retries = 0;
		t->snd_wnd = wnd;
		t->snd_wl1 = s->seq;
		t->snd_wl2 = s->ack;
		if (wnd > t->max_snd_wnd)
			t->max_snd_wnd = wnd;
	}
	return true;
}

static void
fin_input(struct tcp_ctx *c, struct tcb *t)
{
	t->rcv_nxt++;
	t->flags |= TF_ACKNOW;
	switch (t->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		t->state = TCP_CLOSE_WAIT;
		if (tcb_app(c, t)->peer_closed != NULL)
			tcb_app(c, t)->peer_closed(c, t, tcb_app(c, t)->arg);
		break;
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
		/* A half-closed app still reads (FIN-WAIT states receive): it
		 * learns here that no more data will come. */
		if (tcb_app(c, t)->peer_closed != NULL) {
			tcb_app(c, t)->peer_closed(c, t, tcb_app(c, t)->arg);
			if (t->state == TCP_CLOSED)
				return;
		}
		if (t->state == TCP_FIN_WAIT_1 &&
		    !((t->flags & TF_FIN_SENT) && t->snd_una == t->snd_max)) {
			t->state = TCP_CLOSING;
		} else {
			tcp_send_ack(c, t);
			tcp_enter_time_wait(c, t);
		}
		break;
	default:
		break;
	}
}

/* RFC 9293 3.10.7.4: processing in the synchronized states. */
static void
process(struct tcp_ctx *c, struct tcb *t, struct seg *s)
{
	struct worker *w = c->w;

	/* PAWS (RFC 7323 5.3 R1) */
	if ((t->flags & TF_TS) && s->o.has_ts && !(s->flags & TCP_RST) &&
	    SEQ_LT(s->o.tsval, t->ts_recent)) {
		stats_inc(&w->stats, STAT_drop_tcp_paws);
		t->flags |= TF_ACKNOW;
		return;
	}

	/* first: sequence number acceptable? */
	uint32_t wnd = SEQ_GT(t->rcv_adv, t->rcv_nxt) ? t->rcv_adv - t->rcv_nxt : 0;
	bool ok;
	if (s->len == 0)
		ok = wnd == 0 ? s->seq == t->rcv_nxt
			      : SEQ_GEQ(s->seq, t->rcv_nxt) && SEQ_LT(s->seq, t->rcv_nxt + wnd);
	else
		ok = wnd != 0 &&
		     ((SEQ_GEQ(s->seq, t->rcv_nxt) && SEQ_LT(s->seq, t->rcv_nxt + wnd)) ||
		      (SEQ_GEQ(s->seq + s->len - 1, t->rcv_nxt) &&
		       SEQ_LT(s->seq + s->len - 1, t->rcv_nxt + wnd)));
	/* A zero-window probe or a segment straddling the left edge is still
	 * useful for its ACK; RFC 9293 keeps processing the ACK of a pure ACK
	 * at RCV.NXT with a zero window (covered above). */
	if (!ok) {
		if (!(s->flags & TCP_RST)) {
			t->flags |= TF_ACKNOW;
			/* TIME-WAIT: "The only thing that can arrive in this state is
			 * a retransmission of the remote FIN. Acknowledge it, and
			 * restart the 2 MSL timeout." (RFC 9293 3.10.7.4) -- the
			 * retransmitted FIN sits just left of RCV.NXT. */
			if (t->state == TCP_TIME_WAIT && (s->flags & TCP_FIN) &&
			    s->seq + s->len == t->rcv_nxt) {
				t->rto_at = c->tick +
					    (c->conf.time_wait_ms ? c->conf.time_wait_ms : 1);
				tcp_timer_update(c, t);
			}
			/* still take the ACK of an old duplicate (keeps the
			 * sender moving when our ACK was lost) */
			if ((s->flags & TCP_ACK) && t->state != TCP_SYN_RECEIVED &&
			    SEQ_LT(s->seq, t->rcv_nxt))
				ack_input(c, t, s);
		}
		stats_inc(&w->stats, STAT_drop_tcp_window);
		return;
	}

	/* second: RST (RFC 5961 3.2) */
	if (s->flags & TCP_RST) {
		if (s->seq != t->rcv_nxt) {
			stats_inc(&w->stats, STAT_drop_tcp_rst_invalid);
			challenge_ack(c, t);
			return;
		}
		stats_inc(&w->stats, STAT_tcp_rst_rx);
		if (t->state == TCP_SYN_RECEIVED && (t->flags & TF_PASSIVE)) {
			tcp_tcb_free(c, t, TCP_CLOSE_RESET, false); /* back to LISTEN */
			return;
		}
		if (t->state != TCP_TIME_WAIT && t->state != TCP_CLOSING &&
		    t->state != TCP_LAST_ACK)
			stats_inc(&w->stats, STAT_tcp_closed_reset);
		tcp_tcb_free(c, t, TCP_CLOSE_RESET, true);
		return;
	}

	/* fourth: SYN in a synchronized state (RFC 5961 4.2) */
	if (s->flags & TCP_SYN) {
		stats_inc(&w->stats, STAT_drop_tcp_syn_invalid);
		challenge_ack(c, t);
		return;
	}

	/* fifth: ACK */
	if (!(s->flags & TCP_ACK)) {
		stats_inc(&w->stats, STAT_drop_tcp_flags);
		return;
	}
	if (t->state == TCP_SYN_RECEIVED &&
	    (SEQ_LEQ(s->ack, t->snd_una) || SEQ_GT(s->ack, t->snd_max))) {
		/* RFC 9293: <SEQ=SEG.ACK><CTL=RST> */
		stats_inc(&w->stats, STAT_drop_tcp_bad_ack);
		return; /* the RST is sent by tcp_input */
	}
	if (!ack_input(c, t, s))
		return;
	if (t->state == TCP_CLOSED)
		return;

	/* RFC 7323 4.3: remember the timestamp of the segment at the left edge */
	if ((t->flags & TF_TS) && s->o.has_ts && SEQ_LEQ(s->seq, t->last_ack_sent) &&
	    SEQ_GEQ(s->o.tsval, t->ts_recent))
		t->ts_recent = s->o.tsval;

	/* seventh: text */
	bool fin = (s->flags & TCP_FIN) != 0;
	bool fin_ooo = false; /* the FIN came out of the out-of-order queue */
	if (t->state == TCP_ESTABLISHED || t->state == TCP_FIN_WAIT_1 ||
	    t->state == TCP_FIN_WAIT_2) {
		if (SEQ_LT(s->seq, t->rcv_nxt)) {
			uint32_t skip = t->rcv_nxt - s->seq;
			if (skip > s->plen)
				skip = s->plen;
			s->data += skip;
			s->plen -= skip;
			s->seq += skip;
		}
		uint32_t edge = t->rcv_nxt + wnd;
		if (SEQ_GT(s->seq + s->plen, edge)) {
			s->plen = edge - s->seq;
			fin = false;
		}
		if (s->seq == t->rcv_nxt) {
			bool had_ooo = t->ooo != TCP_NONE;
			if (s->plen > 0) {
				t->rcv_nxt += s->plen;
				stats_add(&w->stats, STAT_tcp_data_rx, s->plen);
				const struct tcp_app *app = tcb_app(c, t);
				if (app->recv != NULL)
					app->recv(c, t, s->data, s->plen, app->arg);
				if (t->state == TCP_CLOSED)
					return;
			}
			if (had_ooo) {
				if (!fin)
					fin = fin_ooo = ooo_drain(c, t);
				if (t->state == TCP_CLOSED)
					return;
				t->flags |= TF_ACKNOW; /* a hole filled: ACK now (RFC 5681 4.2) */
			} else if (s->plen > 0) {
				/* delayed ACK: at least every second full segment */
				if (t->rcv_nxt - t->last_ack_sent >= 2u * t->mss)
					t->flags |= TF_ACKNOW;
				else
					t->flags |= TF_DELACK;
			}
		} else if (s->plen > 0 || fin) {
			ooo_insert(c, t, s, fin);
			fin = false;
			t->flags |= TF_ACKNOW; /* duplicate ACK at once (RFC 5681 4.2) */
		}
	} else if (s->plen > 0 && SEQ_GEQ(s->seq, t->rcv_nxt)) {
		/* data after the peer's FIN: nothing to deliver it to */
		t->flags |= TF_ACKNOW;
		fin = false;
	}

	/* eighth: FIN */
	if (fin && (fin_ooo || s->seq + s->plen == t->rcv_nxt)) {
		if (t->state == TCP_TIME_WAIT) {
			/* retransmitted FIN: ACK and restart the 2MSL wait */
			t->flags |= TF_ACKNOW;
			t->rto_at = c->tick + c->conf.time_wait_ms;
			return;
		}
		if (t->state == TCP_CLOSE_WAIT || t->state == TCP_CLOSING ||
		    t->state == TCP_LAST_ACK) {
			t->flags |= TF_ACKNOW;
			return;
		}
		fin_input(c, t);
	} else if (fin && t->state == TCP_TIME_WAIT) {
		t->flags |= TF_ACKNOW;
	}
}

static void
syn_sent(struct tcp_ctx *c, struct tcb *t, struct seg *s, struct worker_port *wp,
	 const struct net_info *ni, const struct rte_tcp_hdr *th)
{
	struct worker *w = c->w;
	bool ack_ok = false;

	if (s->flags & TCP_ACK) {
		if (SEQ_LEQ(s->ack, t->snd_una) || SEQ_GT(s->ack, t->snd_max)) { /* ISS = SND.UNA */
			if (!(s->flags & TCP_RST)) {
				stats_inc(&w->stats, STAT_drop_tcp_bad_ack);
				tcp_send_rst_reply(c, wp, s->m, ni, th, s->len);
			}
			return;
		}
		ack_ok = true;
	}
	if (s->flags & TCP_RST) {
		if (ack_ok) {
			stats_inc(&w->stats, STAT_tcp_rst_rx);
			tcp_tcb_free(c, t, TCP_CLOSE_REFUSED, true);
		} else {
			stats_inc(&w->stats, STAT_drop_tcp_rst_invalid);
		}
		return;
	}
	if (!(s->flags & TCP_SYN)) {
		stats_inc(&w->stats, STAT_drop_tcp_flags);
		return;
	}
	uint32_t syn_rtt = c->tick - t->rtt_start; /* before negotiate() reuses the field */
	t->rcv_nxt = s->seq + 1;
	t->rcv_adv = t->rcv_nxt;
	t->snd_wnd = s->wnd; /* unscaled in a SYN */
	t->max_snd_wnd = t->snd_wnd;
	t->snd_wl1 = s->seq;
	t->snd_wl2 = s->ack;
	/* we offered what the config allows; keep what the peer also offers */
	negotiate(c, t, s);
	if (!ack_ok) {
		/* simultaneous open (RFC 9293 figure 8) */
		t->state = TCP_SYN_RECEIVED;
		t->retries = 0;
		tcp_send_syn(c, t);
		return;
	}
	t->snd_una = s->ack;
	t->state = TCP_ESTABLISHED;
	t->rto_at = 0;
	if ((t->flags & TF_TS) && s->o.has_ts && s->o.tsecr != 0)
		rtt_sample(c, t, c->tick + c->ts_offset - s->o.tsecr);
	else if (t->retries == 0) /* Karn: not from a retransmitted SYN */
		rtt_sample(c, t, syn_rtt);
	rto_after_handshake(c, t, t->retries > 0);
	t->retries = 0;
	t->flags |= TF_ACKNOW;
	stats_inc(&w->stats, STAT_tcp_connected);
	if (tcb_app(c, t)->connected != NULL)
		tcb_app(c, t)->connected(c, t, tcb_app(c, t)->arg);
}

int
tcp_connect(struct tcp_ctx *c, struct worker_port *wp, rte_be32_t lip, rte_be16_t lport,
	    rte_be32_t rip, rte_be16_t rport, struct tcb **out)
{
	return tcp_connect_app(c, c->capp, wp, lip, lport, rip, rport, out);
}

int
tcp_connect_app(struct tcp_ctx *c, int app, struct worker_port *wp, rte_be32_t lip,
		rte_be16_t lport, rte_be32_t rip, rte_be16_t rport, struct tcb **out)
{
	struct tcp_key k = {.rip = rip, .lip = lip, .rport = rport, .lport = lport};

	if (unlikely(app < 0 || app >= c->nb_apps))
		return -EINVAL;
	if (unlikely(!worker_ip_is_ours(wp, lip)))
		return -EADDRNOTAVAIL;
	if (tcp_lookup(c, &k) != NULL)
		return -EEXIST;
	struct tcb *t = tcp_tcb_new(c, &k, (uint8_t)(wp - c->w->port));
	if (t == NULL) {
		stats_inc(&c->w->stats, STAT_drop_tcp_table_full);
		return -ENOSPC;
	}
	t->state = TCP_SYN_SENT;
	t->flags |= (uint16_t)((unsigned int)app << TF_APP_SHIFT);
	t->snd_una = t->snd_nxt = t->snd_max = tcp_isn(c, &k); /* ISS */
	t->recover = t->snd_una; /* RFC 6582 3.2: recover starts at the ISS */
	t->rcv_ws = c->conf.wscale ? wscale_for(c->conf.rcv_wnd) : 0;
	t->flags |= (c->conf.wscale ? TF_WS : 0) | (c->conf.sack ? TF_SACK : 0) |
		    (c->conf.timestamps ? TF_TS : 0);
	t->mss = (uint16_t)(wp->mtu - 40);
	t->rtt_start = c->tick;
	tcp_send_syn(c, t);
	*out = t;
	return 0;
}

void
tcp_input(struct worker *w, struct worker_port *wp, struct rte_mbuf *m, const struct net_info *ni,
	  void *ctx)
{
	struct tcp_ctx *c = ctx;
	uint8_t *l3 = rte_pktmbuf_mtod_offset(m, uint8_t *, ni->l3_off);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(l3 + ni->l3_hlen);
	uint32_t tcp_len = (uint32_t)ni->l3_len - ni->l3_hlen;
	struct seg s;

	if (unlikely(net_info_is_v6(ni))) {
		stats_inc(&w->stats, STAT_drop_ip_proto); /* TCP over IPv6: not yet (#12) */
		goto free;
	}
	if (unlikely(tcp_len < sizeof(struct rte_tcp_hdr))) {
		stats_inc(&w->stats, STAT_drop_tcp_short);
		goto free;
	}
	uint32_t hlen = (uint32_t)(th->data_off >> 4) * 4;
	if (unlikely(hlen < sizeof(struct rte_tcp_hdr) || hlen > tcp_len)) {
		stats_inc(&w->stats, STAT_drop_tcp_short);
		goto free;
	}
	uint64_t l4 = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	bool chained = m->nb_segs > 1; /* headers, then the payload (worker_l4) */
	if ((wp->offloads & PORT_OFF_RX_CKSUM) && l4 == RTE_MBUF_F_RX_L4_CKSUM_GOOD) {
		/* verified by the NIC */
	} else if (((wp->offloads & PORT_OFF_RX_CKSUM) && l4 == RTE_MBUF_F_RX_L4_CKSUM_BAD) ||
		   (chained ? net_ipv4_l4_cksum_verify_mbuf(m, ip, ni->l3_off + ni->l3_hlen)
			    : net_ipv4_l4_cksum_verify(ip, th)) != 0) {
		stats_inc(&w->stats, STAT_drop_tcp_csum);
		goto free;
	}
	s.flags = th->tcp_flags & 0x3f;
	/* A segment with no control flag at all is not malformed: RFC 9293
	 * 3.10.7.1 answers it with RST at a closed port, LISTEN and the
	 * synchronized states drop it after their own checks (no ACK bit). */
	if (unlikely((s.flags & TCP_SYN) && (s.flags & (TCP_FIN | TCP_RST)))) {
		stats_inc(&w->stats, STAT_drop_tcp_flags);
		goto free;
	}
	if (unlikely(tcp_parse_opts((const uint8_t *)(th + 1), hlen - sizeof(*th), &s.o) != 0)) {
		stats_inc(&w->stats, STAT_drop_tcp_opt);
		goto free;
	}
	stats_inc(&w->stats, STAT_tcp_rx);
	s.seq = rte_be_to_cpu_32(th->sent_seq);
	s.ack = rte_be_to_cpu_32(th->recv_ack);
	s.wnd = rte_be_to_cpu_16(th->rx_win);
	s.data = chained ? rte_pktmbuf_mtod(m->next, const uint8_t *) : (const uint8_t *)th + hlen;
	s.plen = tcp_len - hlen;
	if (unlikely(chained && s.plen > rte_pktmbuf_data_len(m->next))) {
		stats_inc(&w->stats, STAT_drop_tcp_short);
		goto free;
	}
	s.len = s.plen + ((s.flags & TCP_SYN) ? 1 : 0) + ((s.flags & TCP_FIN) ? 1 : 0);
	s.m = m;
	s.kept = false;

	struct tcp_key k = {
		.rip = ip->src_addr,
		.lip = ip->dst_addr,
		.rport = th->src_port,
		.lport = th->dst_port,
	};
	struct tcb *t = tcp_lookup(c, &k);
	if (t == NULL) {
		no_conn(c, wp, ni, th, &k, &s);
		goto free;
	}
	/* RFC 6191: a new SYN to a TIME-WAIT connection reopens it (clients
	 * reuse ports) when it is newer than the old incarnation. */
	if (t->state == TCP_TIME_WAIT && (s.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
	    time_wait_reusable(c, t, &s) && listening(c, k.lport)) {
		tcp_tcb_free(c, t, TCP_CLOSE_NORMAL, true);
		no_conn(c, wp, ni, th, &k, &s);
		goto free;
	}
	/* A retransmitted SYN in SYN-RECEIVED: answer with the SYN-ACK again. */
	if (t->state == TCP_SYN_RECEIVED && (s.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
	    s.seq == t->rcv_nxt - 1) { /* the IRS */
		stats_inc(&w->stats, STAT_tcp_syn_rx);
		tcp_count_retrans(c, t);
		tcp_send_syn(c, t);
		goto free;
	}
	t->flags |= TF_IN_INPUT;
	if (t->state == TCP_SYN_SENT) {
		syn_sent(c, t, &s, wp, ni, th);
	} else {
		bool synrcvd_bad_ack = t->state == TCP_SYN_RECEIVED && (s.flags & TCP_ACK) &&
				       !(s.flags & (TCP_RST | TCP_SYN)) &&
				       (SEQ_LEQ(s.ack, t->snd_una) || SEQ_GT(s.ack, t->snd_max));
		process(c, t, &s);
		if (synrcvd_bad_ack && t->state == TCP_SYN_RECEIVED)
			tcp_send_rst_reply(c, wp, m, ni, th, s.len);
	}
	if (t->state != TCP_CLOSED && t->key.lport == k.lport && t->key.rport == k.rport &&
	    t->key.rip == k.rip) {
		t->flags &= ~TF_IN_INPUT;
		tcp_input_done(c, t);
	}
	if (s.kept)
		return;
free:
	rte_pktmbuf_free(m);
}
