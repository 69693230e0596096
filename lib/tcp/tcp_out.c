/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP output: data segments from the send queue under min(peer window,
 * cwnd), control segments (SYN, SYN-ACK, ACK, RST, FIN), options, and
 * checksums (offloaded when the port has them, software otherwise).
 *
 * Payload bytes are copied from the referenced application data into the
 * segment, headers written per segment -- except zero-copy: a segment of
 * at least conf.zero_copy_min bytes from a registered long-lived region
 * (tcp_zc_register), on a port that takes mbuf chains, is a header mbuf
 * chained to an mbuf attached to those bytes (external buffer, no-op free),
 * and its checksum is computed over the chain (or offloaded). On a port with
 * TSO, new data of such a chunk goes out in frames of up to TCP_TSO_MAX
 * bytes that the port cuts into MSS-sized segments (RTE_MBUF_F_TX_TCP_SEG).
 */
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "drivers/port.h"
#include "lib/net/net.h"
#include "tcp_priv.h"

#define HDRS_LEN (RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_tcp_hdr))

/* option kinds */
#define OPT_EOL	   0
#define OPT_NOP	   1
#define OPT_MSS	   2
#define OPT_WS	   3
#define OPT_SACKOK 4
#define OPT_SACK   5
#define OPT_TS	   8

uint32_t
tcp_rcv_window(const struct tcp_ctx *c, const struct tcb *t)
{
	/* In-order data is handed to the application at once, so the buffer
	 * that can fill is the out-of-order queue: the window shrinks as it
	 * holds segments. */
	uint32_t held = (uint32_t)t->ooo_n * t->mss;
	uint32_t w = c->conf.rcv_wnd > held ? c->conf.rcv_wnd - held : 0;
	uint32_t max = 65535u << t->rcv_ws;

	return w > max ? max : w;
}

static uint32_t
put_ts(const struct tcp_ctx *c, const struct tcb *t, uint8_t *o)
{
	uint32_t tsval = rte_cpu_to_be_32(c->tick + c->ts_offset);
	/* RFC 7323 3.2: TSecr is 0 in a segment without ACK (our SYN); there
	 * the field still holds rtt_start (they share storage) */
	uint32_t tsecr = t->state == TCP_SYN_SENT ? 0 : rte_cpu_to_be_32(t->ts_recent);

	o[0] = OPT_NOP;
	o[1] = OPT_NOP;
	o[2] = OPT_TS;
	o[3] = 10;
	memcpy(o + 4, &tsval, 4);
	memcpy(o + 8, &tsecr, 4);
	return 12;
}

/* Merge the out-of-order run starting at *i into [*l, *r); *i moves past it. */
static bool
sack_run(const struct tcp_ctx *c, uint32_t *i, uint32_t *l, uint32_t *r, bool *recent)
{
	if (*i == TCP_NONE)
		return false;
	*l = c->ooo[*i].seq;
	*r = c->ooo[*i].seq + c->ooo[*i].len;
	*recent = c->ooo[*i].recent;
	for (*i = c->ooo[*i].next; *i != TCP_NONE && SEQ_LEQ(c->ooo[*i].seq, *r);
	     *i = c->ooo[*i].next) {
		*r = SEQ_MAX(*r, c->ooo[*i].seq + c->ooo[*i].len);
		*recent = *recent || c->ooo[*i].recent;
	}
	return true;
}

static uint8_t *
sack_put(uint8_t *b, uint32_t l, uint32_t r)
{
	uint32_t bl = rte_cpu_to_be_32(l), br = rte_cpu_to_be_32(r);

	memcpy(b, &bl, 4);
	memcpy(b + 4, &br, 4);
	return b + 8;
}

/*
 * SACK blocks (RFC 2018) from the out-of-order queue, adjacent segments
 * merged. RFC 2018 section 4: the first block MUST be the one holding the
 * segment that triggered this ACK (the most recently queued); the others
 * follow in sequence order. Visits the queue (<= ooo_max entries) twice.
 */
static uint32_t
put_sack(const struct tcp_ctx *c, const struct tcb *t, uint8_t *o, uint32_t room)
{
	uint32_t nblk = 0, max = (room - 4) / 8;
	uint32_t i = t->ooo, l, r, fl = 0, fr = 0;
	bool recent, have_first = false;
	uint8_t *b = o + 4;

	if (max > 3)
		max = 3;
	if (max == 0 || t->ooo == TCP_NONE)
		return 0;
	while (sack_run(c, &i, &l, &r, &recent)) {
		if (recent) {
			fl = l;
			fr = r;
			have_first = true;
			break;
		}
	}
	if (have_first) {
		b = sack_put(b, fl, fr);
		nblk++;
	}
	i = t->ooo;
	while (nblk < max && sack_run(c, &i, &l, &r, &recent)) {
		if (have_first && l == fl)
			continue;
		b = sack_put(b, l, r);
		nblk++;
	}
	o[0] = OPT_NOP;
	o[1] = OPT_NOP;
	o[2] = OPT_SACK;
	o[3] = (uint8_t)(2 + 8 * nblk);
	return 4 + 8 * nblk;
}

/*
 * Payload bytes one segment of t may carry: the MSS, and never more than the
 * port's MTU leaves beside the headers and the timestamp option. SACK blocks
 * take what is left (they are dropped from a full segment, never the data).
 */
static inline uint32_t
seg_payload_max(const struct tcp_ctx *c, const struct tcb *t)
{
	uint32_t room = c->w->port[t->port].mtu - 40u - ((t->flags & TF_TS) ? 12u : 0u);

	return t->mss < room ? t->mss : room;
}

/* Options for t's segment with flags, at most room bytes; returns the length
 * (multiple of 4, <= 40). */
static uint32_t
build_opts(const struct tcp_ctx *c, const struct tcb *t, uint8_t flags, uint8_t *o, uint32_t room)
{
	uint32_t n = 0;

	if (flags & TCP_SYN) {
		uint16_t mss = rte_cpu_to_be_16(c->w->port[t->port].mtu - 40);
		o[n++] = OPT_MSS;
		o[n++] = 4;
		memcpy(o + n, &mss, 2);
		n += 2;
		if (t->flags & TF_TS) {
			n += put_ts(c, t, o + n);
			if (t->flags & TF_SACK) {
				/* SACK-permitted in the two NOPs before TS */
				o[n - 12] = OPT_SACKOK;
				o[n - 11] = 2;
			}
		} else if (t->flags & TF_SACK) {
			o[n++] = OPT_NOP;
			o[n++] = OPT_NOP;
			o[n++] = OPT_SACKOK;
			o[n++] = 2;
		}
		if (t->flags & TF_WS) {
			o[n++] = OPT_NOP;
			o[n++] = OPT_WS;
			o[n++] = 3;
			o[n++] = t->rcv_ws;
		}
		return n;
	}
	if (t->flags & TF_TS)
		n += put_ts(c, t, o + n);
	if (room > 40)
		room = 40;
	if ((t->flags & TF_SACK) && t->ooo != TCP_NONE && !(flags & TCP_RST) && room >= n + 12)
		n += put_sack(c, t, o + n, room - n);
	return n;
}

/*
 * Write Ethernet (source MAC only; worker_send_ip fills the destination),
 * IPv4 and TCP headers for a segment of paylen bytes into a new mbuf, which
 * holds inl of them (paylen, or 0 when the payload is chained after it).
 * Returns the mbuf with *payload pointing at the payload area.
 */
static struct rte_mbuf *
seg_alloc(struct tcp_ctx *c, struct worker_port *wp, const struct tcp_key *k, uint8_t flags,
	  uint32_t seq, uint32_t ack, uint16_t win, const uint8_t *opts, uint32_t optlen,
	  uint32_t paylen, uint32_t inl, uint8_t **payload)
{
	struct worker *w = c->w;
	struct rte_mbuf *m = rte_pktmbuf_alloc(w->pool);

	if (unlikely(m == NULL)) {
		stats_inc(&w->stats, STAT_drop_pool_empty);
		return NULL;
	}
	uint32_t tcplen = sizeof(struct rte_tcp_hdr) + optlen;
	uint32_t len = RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) + tcplen + paylen;
	uint32_t here = len - (paylen - inl); /* bytes in this mbuf */
	/* a TSO frame (payload beyond one MSS, chained) is cut by the port */
	bool tso = inl == 0 && paylen > wp->mtu - 40u && (wp->offloads & PORT_OFF_TSO);
	if (unlikely(here > rte_pktmbuf_tailroom(m) || len - RTE_ETHER_HDR_LEN > UINT16_MAX ||
		     (!tso && len - RTE_ETHER_HDR_LEN > wp->mtu))) {
		/* never write past the buffer or send beyond the MTU */
		stats_inc(&w->stats, STAT_drop_too_big);
		rte_pktmbuf_free(m);
		return NULL;
	}
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)d;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);

	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	eh->src_addr = wp->mac;
	ip->version_ihl = 0x45;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(len - RTE_ETHER_HDR_LEN));
	ip->packet_id = 0;
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->hdr_checksum = 0;
	ip->src_addr = k->lip;
	ip->dst_addr = k->rip;
	th->src_port = k->lport;
	th->dst_port = k->rport;
	th->sent_seq = rte_cpu_to_be_32(seq);
	th->recv_ack = rte_cpu_to_be_32((flags & TCP_ACK) ? ack : 0);
	th->data_off = (uint8_t)((tcplen / 4) << 4);
	th->tcp_flags = flags;
	th->rx_win = rte_cpu_to_be_16(win);
	th->cksum = 0;
	th->tcp_urp = 0;
	if (optlen)
		memcpy(th + 1, opts, optlen);
	if (here < len) {
		/* the payload follows in a chained mbuf (never short of 60 bytes) */
		m->data_len = m->pkt_len = here;
	} else {
		m->data_len = m->pkt_len = len < NET_ETH_MIN_FRAME ? NET_ETH_MIN_FRAME : len;
		if (len < NET_ETH_MIN_FRAME)
			memset(d + len, 0, NET_ETH_MIN_FRAME - len);
	}
	*payload = (uint8_t *)(th + 1) + optlen;
	return m;
}

/* Checksums (offloaded or in software), then out through the neighbour table.
 * tso_segsz != 0: a TSO frame, cut into segments of that many bytes. */
static void
seg_send(struct tcp_ctx *c, struct worker_port *wp, struct rte_mbuf *m, rte_be32_t dst,
	 uint16_t tso_segsz)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
							  RTE_ETHER_HDR_LEN);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);

	if (tso_segsz != 0) {
		/* TSO: the port cuts the payload into tso_segsz pieces, writing
		 * each one's headers and checksums; the TCP checksum field holds
		 * the pseudo-header sum without the length (rte_ipv4_phdr_cksum
		 * leaves it out for TCP_SEG), as rte_net_intel_cksum_prepare does */
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = sizeof(*ip);
		m->l4_len = (uint64_t)((th->data_off >> 4) * 4);
		m->tso_segsz = tso_segsz;
		stats_inc(&c->w->stats, STAT_tcp_tx_tso);
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM;
		th->cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);
	} else if (wp->offloads & PORT_OFF_L4_CKSUM) {
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = sizeof(*ip);
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM;
		th->cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);
	} else if (m->nb_segs > 1) {
		/* zero-copy: the payload is in the next segment */
		th->cksum = net_ipv4_l4_cksum_mbuf(m, ip, RTE_ETHER_HDR_LEN + sizeof(*ip));
	} else {
		th->cksum = net_ipv4_l4_cksum(ip, th);
	}
	if (wp->offloads & PORT_OFF_IPV4_CKSUM) {
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = sizeof(*ip);
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	} else {
		ip->hdr_checksum = net_ipv4_hdr20_cksum(ip);
	}
	stats_inc(&c->w->stats, STAT_tcp_tx);
	worker_send_ip(c->w, wp, m, dst);
}

static uint16_t
adv_window(struct tcp_ctx *c, struct tcb *t, uint8_t flags)
{
	uint32_t win = tcp_rcv_window(c, t);

	/* Never shrink the window we offered (RFC 9293 3.8.6.2.2). */
	if (SEQ_LT(t->rcv_nxt + win, t->rcv_adv))
		win = t->rcv_adv - t->rcv_nxt;
	if (flags & TCP_SYN)
		return (uint16_t)(win > 65535 ? 65535 : win);
	win >>= t->rcv_ws;
	return (uint16_t)(win > 65535 ? 65535 : win);
}

/* The send-queue entry *i holding sequence seq, and seq's offset *off in it
 * (*i = TCP_NONE past the end). Walks the queue from its head. */
static inline void
sndq_find(const struct tcp_ctx *c, const struct tcb *t, uint32_t seq, uint32_t *i, uint32_t *off)
{
	*off = seq - t->snd_una + t->sndq_off;
	*i = t->sndq_head;
	while (*i != TCP_NONE && *off >= c->sndq[*i].len) {
		*off -= c->sndq[*i].len;
		*i = c->sndq[*i].next;
	}
}

/* Copy len bytes of queued data, from entry i at offset off on, into dst. */
static void
copy_sndq(const struct tcp_ctx *c, uint32_t i, uint32_t off, uint8_t *dst, uint32_t len)
{
	while (len > 0 && i != TCP_NONE) {
		uint32_t n = c->sndq[i].len - off;
		if (n > len)
			n = len;
		rte_memcpy(dst, c->sndq[i].base + off, n);
		dst += n;
		len -= n;
		off = 0;
		i = c->sndq[i].next;
	}
}

/*
 * The registered region holding [p, p + len), or NULL. At most
 * TCP_ZC_REGIONS compares.
 */
static inline struct tcp_zc_region *
zc_region(struct tcp_ctx *c, const uint8_t *p, uint32_t len)
{
	for (uint32_t k = 0; k < c->nb_zc; k++)
		if (p >= c->zc[k].base && p + len <= c->zc[k].end)
			return &c->zc[k];
	return NULL;
}

/* An mbuf attached to [p, p + len) of region r (one more reference on its shinfo). */
static struct rte_mbuf *
zc_attach(struct tcp_ctx *c, struct tcp_zc_region *r, const uint8_t *p, uint32_t len)
{
	struct rte_mbuf *d = rte_pktmbuf_alloc(c->w->pool);

	if (unlikely(d == NULL)) {
		stats_inc(&c->w->stats, STAT_drop_pool_empty);
		return NULL;
	}
	rte_mbuf_ext_refcnt_update(&r->shinfo, 1);
	rte_pktmbuf_attach_extbuf(d, (void *)(uintptr_t)p, r->iova + (rte_iova_t)(p - r->base),
				  (uint16_t)len, &r->shinfo);
	d->data_len = (uint16_t)len;
	d->pkt_len = len;
	return d;
}

/* Send one segment of t: flags, at seq, len payload bytes from the queue. */
static int
xmit(struct tcp_ctx *c, struct tcb *t, uint8_t flags, uint32_t seq, uint32_t len)
{
	struct worker_port *wp = tcb_port(c, t);
	uint8_t opts[40], *pay;
	uint32_t room = wp->mtu - 40u > len ? wp->mtu - 40u - len : 0;
	uint32_t optlen = build_opts(c, t, flags, opts, room);
	uint16_t win = adv_window(c, t, flags);
	struct tcp_zc_region *zr = NULL;
	const uint8_t *zp = NULL;
	uint32_t qi = TCP_NONE, qoff = 0;
	struct rte_mbuf *m;

	if (t->state != TCP_SYN_SENT)
		flags |= TCP_ACK;
	if (len) {
		sndq_find(c, t, seq, &qi, &qoff);
		/* zero-copy when the segment lies in one queued chunk of a region */
		if (len >= c->conf.zero_copy_min && c->conf.zero_copy_min != 0 &&
		    (wp->offloads & PORT_OFF_MULTI_SEGS) && qi != TCP_NONE &&
		    c->sndq[qi].len - qoff >= len) {
			zp = c->sndq[qi].base + qoff;
			zr = zc_region(c, zp, len);
			if (zr != NULL && !zr->dma && (wp->offloads & PORT_OFF_TX_DMA))
				zr = NULL;
		}
	}
	m = seg_alloc(c, wp, &t->key, flags, seq, t->rcv_nxt, win, opts, optlen, len,
		      zr != NULL ? 0 : len, &pay);
	if (m == NULL)
		return -1;
	if (zr != NULL) {
		struct rte_mbuf *d = zc_attach(c, zr, zp, len);
		if (unlikely(d == NULL)) {
			rte_pktmbuf_free(m);
			return -1;
		}
		m->next = d;
		m->nb_segs = 2;
		m->pkt_len += len;
		stats_inc(&c->w->stats, STAT_tcp_tx_zc);
	} else if (len) {
		copy_sndq(c, qi, qoff, pay, len);
	}
	if (flags & TCP_ACK) {
		t->last_ack_sent = t->rcv_nxt;
		uint32_t edge = t->rcv_nxt + ((uint32_t)win << ((flags & TCP_SYN) ? 0 : t->rcv_ws));
		if (SEQ_GT(edge, t->rcv_adv))
			t->rcv_adv = edge;
		t->flags &= ~(TF_ACKNOW | TF_DELACK);
		t->delack_at = 0;
	}
	uint32_t mss = seg_payload_max(c, t);
	seg_send(c, wp, m, t->key.rip, len > mss ? (uint16_t)mss : 0);
	return 0;
}

static void
arm_rto(struct tcp_ctx *c, struct tcb *t)
{
	t->rto_at = c->tick + t->rto;
	tcp_timer_update(c, t);
}

void
tcp_send_syn(struct tcp_ctx *c, struct tcb *t)
{
	uint8_t flags = t->state == TCP_SYN_SENT ? TCP_SYN : (TCP_SYN | TCP_ACK);

	if (t->retries == 0)
		stats_inc(&c->w->stats,
			  t->state == TCP_SYN_SENT ? STAT_tcp_syn_tx : STAT_tcp_synack_tx);
	else
		tcp_count_retrans(c, t);
	/* in SYN-SENT / SYN-RECEIVED, SND.UNA is the ISS */
	xmit(c, t, flags, t->snd_una, 0);
	t->snd_nxt = t->snd_una + 1;
	if (SEQ_GT(t->snd_nxt, t->snd_max))
		t->snd_max = t->snd_nxt;
	arm_rto(c, t);
}

void
tcp_send_ack(struct tcp_ctx *c, struct tcb *t)
{
	xmit(c, t, TCP_ACK, t->snd_nxt, 0);
	tcp_timer_update(c, t);
}

void
tcp_send_rst(struct tcp_ctx *c, struct tcb *t)
{
	stats_inc(&c->w->stats, STAT_tcp_rst_tx);
	xmit(c, t, TCP_RST | TCP_ACK, t->snd_nxt, 0);
}

/* Resend the first unacknowledged segment (fast retransmit, partial ACK). */
void
tcp_retransmit_una(struct tcp_ctx *c, struct tcb *t)
{
	uint32_t data_end = t->snd_una + t->sndq_bytes;
	/* A retransmission resends what was sent, never new bytes beyond
	 * SND.MAX (after a 1-byte window probe only that byte is out). */
	uint32_t sent_end = SEQ_LT(t->snd_max, data_end) ? t->snd_max : data_end;
	uint32_t max = seg_payload_max(c, t);
	uint32_t len = sent_end - t->snd_una < max ? sent_end - t->snd_una : max;
	uint8_t flags = TCP_ACK;

	if ((t->flags & TF_FIN_SENT) && t->snd_una + len == data_end)
		flags |= TCP_FIN;
	if (len == 0 && !(flags & TCP_FIN))
		return;
	tcp_count_retrans(c, t);
	if (len)
		flags |= TCP_PSH;
	xmit(c, t, flags, t->snd_una, len);
	if (SEQ_GT(t->snd_una + len, t->high_rxt))
		t->high_rxt = t->snd_una + len;
	t->flags &= ~TF_RTT; /* Karn */
	arm_rto(c, t);
}

void
tcp_retransmit_seg(struct tcp_ctx *c, struct tcb *t, uint32_t seq, uint32_t len)
{
	uint32_t max = seg_payload_max(c, t);
	uint32_t data_end = t->snd_una + t->sndq_bytes;

	if (len > max)
		len = max;
	if (SEQ_GT(seq + len, data_end)) /* the FIN, if any, goes with retransmit_una */
		len = data_end - seq;
	if (len == 0 || SEQ_LT(seq, t->snd_una))
		return;
	tcp_count_retrans(c, t);
	xmit(c, t, TCP_ACK, seq, len);
	if (SEQ_GT(seq + len, t->high_rxt))
		t->high_rxt = seq + len;
	t->flags &= ~TF_RTT; /* Karn */
}

/*
 * Payload of one TSO frame at SND.NXT: whole segments of mss (or the rest
 * of the queue) up to TCP_TSO_MAX, within the usable window, from one queued
 * chunk of a registered region -- attached, never copied. 0 when the port
 * has no TSO, fewer than two segments would go, or the FIN would ride on it.
 */
static uint32_t
tso_len(struct tcp_ctx *c, const struct tcb *t, uint32_t avail, uint32_t usable, uint32_t mss)
{
	const struct worker_port *wp = &c->w->port[t->port];
	uint32_t qi, qoff, n;

	if (!(wp->offloads & PORT_OFF_TSO) || !(wp->offloads & PORT_OFF_MULTI_SEGS) ||
	    c->conf.zero_copy_min == 0 || avail <= mss || usable < 2 * mss)
		return 0;
	sndq_find(c, t, t->snd_nxt, &qi, &qoff);
	if (qi == TCP_NONE)
		return 0;
	n = RTE_MIN(avail, usable);
	n = RTE_MIN(n, c->sndq[qi].len - qoff);
	n = RTE_MIN(n, TCP_TSO_MAX);
	if (n < avail)
		n -= n % mss;
	if (n <= mss || n < c->conf.zero_copy_min || (n == avail && (t->flags & TF_FIN_QUEUED)))
		return 0;
	struct tcp_zc_region *r = zc_region(c, c->sndq[qi].base + qoff, n);
	if (r == NULL || (!r->dma && (wp->offloads & PORT_OFF_TX_DMA)))
		return 0;
	return n;
}

void
tcp_output(struct tcp_ctx *c, struct tcb *t)
{
	bool sent = false;

	t->flags &= ~TF_OUTPUT;
	if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED || t->state == TCP_CLOSED ||
	    t->state == TCP_TIME_WAIT) {
		/* RFC 9293 3.10.7.4, first check: an unacceptable segment is
		 * answered with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, in
		 * SYN-RECEIVED too (and so are RFC 5961 challenge ACKs there);
		 * this is also what completes a simultaneous open (figure 8). */
		if ((t->flags & TF_ACKNOW) &&
		    (t->state == TCP_TIME_WAIT || t->state == TCP_SYN_RECEIVED))
			tcp_send_ack(c, t);
		return;
	}
	uint32_t data_end = t->snd_una + t->sndq_bytes;
	/* Limited Transmit (RFC 3042): the first two duplicate ACKs each let
	 * one new segment out, so a small window still yields three dupacks */
	uint32_t cwnd = t->cwnd;
	if (!(t->flags & TF_RECOVERY) && t->dupacks > 0 && t->dupacks < 3)
		cwnd += (uint32_t)t->dupacks * t->mss;
	uint32_t win = t->snd_wnd < cwnd ? t->snd_wnd : cwnd;

	while (SEQ_LT(t->snd_nxt, data_end)) {
		uint32_t off = t->snd_nxt - t->snd_una;
		uint32_t avail = data_end - t->snd_nxt;
		uint32_t usable = off < win ? win - off : 0;
		uint32_t max = seg_payload_max(c, t);
		uint32_t len = avail < max ? avail : max;
		uint32_t big = tso_len(c, t, avail, usable, max);

		if (big > len) {
			len = big; /* TSO: the port cuts it into segments of max */
		} else if (usable < len) {
			/* Sender SWS avoidance (RFC 9293 3.8.6.2.1): a partial
			 * segment only when nothing is in flight. */
			if (usable == 0 || off != 0)
				break;
			len = usable;
		}
		uint8_t flags = TCP_ACK;
		bool fin = (t->flags & TF_FIN_QUEUED) && t->snd_nxt + len == data_end;
		if (t->snd_nxt + len == data_end)
			flags |= TCP_PSH;
		if (fin)
			flags |= TCP_FIN;
		bool retrans = SEQ_LT(t->snd_nxt, t->snd_max);
		if (xmit(c, t, flags, t->snd_nxt, len) != 0)
			break;
		if (retrans) {
			tcp_count_retrans(c, t);
		} else {
			stats_add(&c->w->stats, STAT_tcp_data_tx, len);
			if (!(t->flags & TF_RTT) && !(t->flags & TF_TS)) {
				t->flags |= TF_RTT;
				t->rtt_seq = t->snd_nxt;
				t->rtt_start = c->tick;
			}
		}
		t->snd_nxt += len;
		if (fin) {
			t->snd_nxt++;
			if (!(t->flags & TF_FIN_SENT)) {
				t->flags |= TF_FIN_SENT;
				t->state = t->state == TCP_CLOSE_WAIT ? TCP_LAST_ACK
								      : TCP_FIN_WAIT_1;
			}
		}
		if (SEQ_GT(t->snd_nxt, t->snd_max))
			t->snd_max = t->snd_nxt;
		sent = true;
	}
	/* FIN alone: all data sent, FIN not yet out (or pulled back by an RTO). */
	if ((t->flags & TF_FIN_QUEUED) && t->snd_nxt == data_end &&
	    (!(t->flags & TF_FIN_SENT) || SEQ_LT(t->snd_nxt, t->snd_max))) {
		if (xmit(c, t, TCP_FIN | TCP_ACK, data_end, 0) == 0) {
			if (t->flags & TF_FIN_SENT)
				tcp_count_retrans(c, t);
			t->snd_nxt = data_end + 1;
			if (!(t->flags & TF_FIN_SENT)) {
				t->flags |= TF_FIN_SENT;
				t->state = t->state == TCP_CLOSE_WAIT ? TCP_LAST_ACK
								      : TCP_FIN_WAIT_1;
			}
			if (SEQ_GT(t->snd_nxt, t->snd_max))
				t->snd_max = t->snd_nxt;
			sent = true;
		}
	}
	if (!sent && (t->flags & TF_ACKNOW))
		xmit(c, t, TCP_ACK, t->snd_nxt, 0);
	/* Retransmission timer runs while anything is outstanding (RFC 6298
	 * 5.1); it doubles as the persist timer when the peer's window is 0. */
	if (t->rto_at == 0 && (t->snd_max != t->snd_una || SEQ_LT(t->snd_nxt, data_end)))
		t->rto_at = c->tick + t->rto;
	tcp_rack_arm(c, t); /* a tail loss probe before the RTO (RFC 8985 7.2) */
	tcp_timer_update(c, t);
}

/* Zero-window probe: one byte beyond the window (RFC 9293 3.8.6.1). */
static void
probe(struct tcp_ctx *c, struct tcb *t)
{
	uint32_t data_end = t->snd_una + t->sndq_bytes;

	if (t->snd_max != t->snd_una) {
		/* the previous probe's byte is still unacknowledged: resend it */
		tcp_count_retrans(c, t);
		xmit(c, t, TCP_ACK, t->snd_una, 1);
	} else if (SEQ_LT(t->snd_nxt, data_end)) {
		xmit(c, t, TCP_ACK, t->snd_nxt, 1);
		t->snd_nxt++;
		if (SEQ_GT(t->snd_nxt, t->snd_max))
			t->snd_max = t->snd_nxt;
	} else {
		xmit(c, t, TCP_ACK, t->snd_una - 1, 0);
	}
}

void
tcp_rto_fire(struct tcp_ctx *c, struct tcb *t)
{
	struct worker *w = c->w;

	if (t->state != TCP_SYN_SENT && t->state != TCP_SYN_RECEIVED && tcp_rack_timer(c, t))
		return; /* RACK's reorder timer or TLP's probe timeout */
	t->rto = t->rto * 2 > c->conf.rto_max_ms ? c->conf.rto_max_ms : t->rto * 2;
	if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED) {
		if (t->retries >= c->conf.syn_retries) {
			stats_inc(&w->stats, STAT_tcp_closed_timeout);
			if (t->state == TCP_SYN_RECEIVED) /* a SYN flood's half-open ends here */
				stats_inc(&w->stats, STAT_tcp_synrcvd_timeout);
			tcp_tcb_free(c, t, TCP_CLOSE_TIMEOUT, true);
			return;
		}
		t->retries++;
		tcp_send_syn(c, t);
		return;
	}
	if (t->snd_wnd == 0 && !(t->flags & TF_FIN_SENT) && tcp_flight(t) <= 1) {
		/* persist: the peer's window is closed and at most our previous
		 * 1-byte probe is in flight. Probes back off like the RTO and
		 * count as retries, but the peer's zero-window ACKs reset the
		 * count (RFC 1122 4.2.2.17: the connection MUST stay open while
		 * probes are acknowledged); cwnd is left alone. */
		if (t->retries >= c->conf.max_retries) {
			stats_inc(&w->stats, STAT_tcp_closed_timeout);
			tcp_send_rst(c, t);
			tcp_tcb_free(c, t, TCP_CLOSE_TIMEOUT, true);
			return;
		}
		t->retries++;
		probe(c, t);
		t->rto_at = c->tick + t->rto;
		return;
	}
	if (t->snd_max == t->snd_una && !SEQ_LT(t->snd_nxt, t->snd_una + t->sndq_bytes))
		return; /* nothing outstanding any more */
	if (t->retries >= c->conf.max_retries) {
		stats_inc(&w->stats, STAT_tcp_closed_timeout);
		tcp_send_rst(c, t);
		tcp_tcb_free(c, t, TCP_CLOSE_TIMEOUT, true);
		return;
	}
	t->retries++;
	stats_inc(&w->stats, STAT_tcp_rto);
	/* RFC 5681 3.1 eqn 4 and RFC 6298 5.5-5.6: halve, restart from una */
	tcp_cc_rto(c, t);
	tcb_rk(c, t)->tlp_high = 0;
	t->cwnd = t->mss;
	t->snd_nxt = t->snd_una;
	t->high_rxt = t->snd_una;
	t->flags &= ~(TF_RECOVERY | TF_RTT);
	t->dupacks = 0;
	if (t->snd_wnd == 0)
		t->snd_wnd = 1; /* let the retransmission out as a probe */
	tcp_output(c, t);
}

void
tcp_send_rst_reply(struct tcp_ctx *c, struct worker_port *wp, const struct rte_mbuf *m,
		   const struct net_info *ni, const struct rte_tcp_hdr *th, uint32_t seg_len)
{
	const struct rte_ether_hdr *ieh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *iip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *,
								 ni->l3_off);
	struct tcp_key k = {
		.rip = iip->src_addr,
		.lip = iip->dst_addr,
		.rport = th->src_port,
		.lport = th->dst_port,
	};
	uint8_t flags, *pay;
	uint32_t seq, ack;

	/* RFC 9293 3.10.7.1: If the ACK bit is off, <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
	 * <CTL=RST,ACK>; if on, <SEQ=SEG.ACK><CTL=RST>. */
	if (th->tcp_flags & TCP_ACK) {
		flags = TCP_RST;
		seq = rte_be_to_cpu_32(th->recv_ack);
		ack = 0;
	} else {
		flags = TCP_RST | TCP_ACK;
		seq = 0;
		ack = rte_be_to_cpu_32(th->sent_seq) + seg_len;
	}
	struct rte_mbuf *r = seg_alloc(c, wp, &k, flags, seq, ack, 0, NULL, 0, 0, 0, &pay);
	if (r == NULL)
		return;
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(r, struct rte_ether_hdr *);
	eh->dst_addr = ieh->src_addr;
	stats_inc(&c->w->stats, STAT_tcp_rst_tx);
	/* Reply to the sender's MAC directly: no neighbour lookup for a RST. */
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(r, struct rte_ipv4_hdr *,
							  RTE_ETHER_HDR_LEN);
	struct rte_tcp_hdr *rth = (struct rte_tcp_hdr *)(ip + 1);
	rth->cksum = net_ipv4_l4_cksum(ip, rth);
	ip->hdr_checksum = net_ipv4_hdr20_cksum(ip);
	stats_inc(&c->w->stats, STAT_tcp_tx);
	worker_tx(c->w, wp, r);
}

void
tcp_send_cookie_synack(struct tcp_ctx *c, struct worker_port *wp, const struct tcp_key *k,
		       uint32_t iss, uint32_t rcv_nxt, uint16_t mss)
{
	uint8_t opts[4], *pay;
	uint16_t our = rte_cpu_to_be_16(wp->mtu - 40);

	(void)mss;
	opts[0] = OPT_MSS;
	opts[1] = 4;
	memcpy(opts + 2, &our, 2);
	struct rte_mbuf *m = seg_alloc(
		c, wp, k, TCP_SYN | TCP_ACK, iss, rcv_nxt,
		(uint16_t)(c->conf.rcv_wnd > 65535 ? 65535 : c->conf.rcv_wnd), opts, 4, 0, 0, &pay);
	if (m == NULL)
		return;
	stats_inc(&c->w->stats, STAT_tcp_syncookie_tx);
	seg_send(c, wp, m, k->rip, 0);
}
