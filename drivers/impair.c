/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Link impairment (see impair.h). Per packet, in this order: loss (uniform,
 * or Gilbert-Elliott with a good and a bad state), the rate limit (a token
 * bucket shaper: a packet waits for its tokens up to rate_queue_us, else it
 * is dropped), corruption (one bit of a private copy), duplication (a deep
 * copy that follows the original), then delay + jitter and reordering (a
 * fraction held back reorder_us more). A packet that needs no wait goes on
 * in place; the others wait in a binary min-heap on (due TSC, arrival
 * number), bounded by conf.limit.
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "impair.h"

#define IMPAIR_LIMIT_DEFAULT 4096
#define IMPAIR_FLUSH_BURST   32

bool
impair_conf_active(const struct impair_conf *c)
{
	return c->loss || c->ge_p || c->delay_us || c->jitter_us || c->reorder || c->dup ||
	       c->corrupt || c->rate_bps;
}

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void
impair_rng_seed(struct impair_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
impair_rng_next(struct impair_rng *r)
{
	/* xoshiro256** (Blackman, Vigna) */
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

bool
impair_rng_ppm(struct impair_rng *r, uint32_t ppm)
{
	if (ppm == 0)
		return false;
	if (ppm >= IMPAIR_PPM)
		return true;
	/* the top 32 bits scaled to [0, 10^6): bias below 10^-3 ppm */
	return (((impair_rng_next(r) >> 32) * IMPAIR_PPM) >> 32) < ppm;
}

/* uniform in [0, n) */
static inline uint64_t
rng_below(struct impair_rng *r, uint64_t n)
{
	return n == 0 ? 0 : impair_rng_next(r) % n;
}

int
impair_q_init(struct impair_q *q, const struct impair_conf *c, bool tx, uint16_t port_id,
	      uint16_t queue, uint64_t hz, uint64_t seed_salt)
{
	memset(q, 0, sizeof(*q));
	q->conf = *c;
	if (q->conf.limit == 0)
		q->conf.limit = IMPAIR_LIMIT_DEFAULT;
	if (q->conf.ge_p && q->conf.ge_loss == 0)
		q->conf.ge_loss = IMPAIR_PPM;
	q->tx = tx;
	q->port_id = port_id;
	q->queue = queue;
	q->hz = hz;
	q->ctr = q->own_ctr;
	impair_rng_seed(&q->rng, c->seed ^ (seed_salt * 0x9e3779b97f4a7c15ull));
	q->cap = q->conf.limit;
	q->heap = rte_zmalloc("impair_heap", sizeof(*q->heap) * q->cap, 0);
	return q->heap == NULL ? -ENOMEM : 0;
}

void
impair_q_fini(struct impair_q *q)
{
	for (uint32_t i = 0; i < q->n; i++)
		rte_pktmbuf_free(q->heap[i].m);
	q->n = 0;
	rte_free(q->heap);
	q->heap = NULL;
	q->cap = 0;
}

static inline bool
held_before(const struct impair_held *a, const struct impair_held *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static void
heap_push(struct impair_q *q, const struct impair_held *e)
{
	uint32_t i = q->n++;

	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!held_before(e, &q->heap[p]))
			break;
		q->heap[i] = q->heap[p];
		i = p;
	}
	q->heap[i] = *e;
}

static void
heap_pop(struct impair_q *q)
{
	struct impair_held last = q->heap[--q->n];
	uint32_t i = 0;

	for (;;) {
		uint32_t l = 2 * i + 1, m = i;
		const struct impair_held *best = &last;
		if (l < q->n && held_before(&q->heap[l], best)) {
			m = l;
			best = &q->heap[l];
		}
		if (l + 1 < q->n && held_before(&q->heap[l + 1], best))
			m = l + 1;
		if (m == i)
			break;
		q->heap[i] = q->heap[m];
		i = m;
	}
	if (q->n > 0)
		q->heap[i] = last;
}

static int
hold(struct impair_q *q, struct rte_mbuf *m, uint64_t at)
{
	if (q->n >= q->cap) {
		q->ctr[IMPAIR_CTR_OVERFLOW]++;
		rte_pktmbuf_free(m);
		return -1;
	}
	struct impair_held e = {.at = at, .seq = q->seq++, .m = m};
	heap_push(q, &e);
	return 0;
}

static inline uint64_t
us_to_tsc(const struct impair_q *q, uint64_t us)
{
	return us * q->hz / 1000000u;
}

/* TX frames may leave their checksums to the port: fill them in software
 * before a bit is flipped, or the port would "fix" the corruption. */
static void
tx_cksum_in_sw(struct rte_mbuf *m)
{
	uint64_t f = m->ol_flags;
	uint32_t l2 = m->l2_len ? m->l2_len : RTE_ETHER_HDR_LEN;

	if (!(f & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK)) ||
	    rte_pktmbuf_data_len(m) < l2 + sizeof(struct rte_ipv4_hdr))
		return;
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l2);
	uint32_t l3 = rte_ipv4_hdr_len(ip);
	void *l4 = (uint8_t *)ip + l3;

	if (f & RTE_MBUF_F_TX_IP_CKSUM) {
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	if ((f & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_TCP_CKSUM) {
		struct rte_tcp_hdr *th = l4;
		th->cksum = 0;
		th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	} else if ((f & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_UDP_CKSUM) {
		struct rte_udp_hdr *uh = l4;
		uh->dgram_cksum = 0;
		uh->dgram_cksum = rte_ipv4_udptcp_cksum(ip, uh);
	}
	m->ol_flags &= ~(RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK);
}

/* Replace *pm by a private copy with one bit flipped past the Ethernet
 * header; the checksums are left as they were, so the receiver must catch
 * it. Segmented (TSO) frames are not corrupted. */
static void
corrupt(struct impair_q *q, struct rte_mbuf **pm)
{
	struct rte_mbuf *m = *pm;

	if ((m->ol_flags & RTE_MBUF_F_TX_TCP_SEG) || m->pkt_len <= RTE_ETHER_HDR_LEN)
		return;
	struct rte_mbuf *c = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);
	if (c == NULL) {
		q->ctr[IMPAIR_CTR_NOMBUF]++;
		return;
	}
	if (q->tx)
		tx_cksum_in_sw(c);
	else
		c->ol_flags &= ~(RTE_MBUF_F_RX_IP_CKSUM_MASK | RTE_MBUF_F_RX_L4_CKSUM_MASK);
	uint32_t span = c->pkt_len - RTE_ETHER_HDR_LEN;
	uint32_t bit = (uint32_t)rng_below(&q->rng, (uint64_t)span * 8);
	uint8_t *b = rte_pktmbuf_mtod_offset(c, uint8_t *, 0);
	uint32_t off = RTE_ETHER_HDR_LEN + bit / 8;
	struct rte_mbuf *s = c;

	while (s != NULL && off >= s->data_len) {
		off -= s->data_len;
		s = s->next;
	}
	if (s != NULL) {
		b = rte_pktmbuf_mtod(s, uint8_t *);
		b[off] ^= (uint8_t)(1u << (bit % 8));
	}
	rte_pktmbuf_free(m);
	*pm = c;
	q->ctr[IMPAIR_CTR_CORRUPTED]++;
}

/* Gilbert-Elliott: move the state, then lose with the state's probability. */
static bool
lost(struct impair_q *q)
{
	const struct impair_conf *c = &q->conf;

	if (c->ge_p) {
		if (q->ge_bad)
			q->ge_bad = !impair_rng_ppm(&q->rng, c->ge_r);
		else
			q->ge_bad = impair_rng_ppm(&q->rng, c->ge_p);
		if (q->ge_bad)
			return impair_rng_ppm(&q->rng, c->ge_loss);
	}
	return impair_rng_ppm(&q->rng, c->loss);
}

/* Token bucket as GCRA: rate_free is the TSC up to which the bucket's
 * tokens are spent; a frame may leave at max(now, rate_free - burst). */
static int
shape(struct impair_q *q, const struct rte_mbuf *m, uint64_t now, uint64_t *at)
{
	const struct impair_conf *c = &q->conf;
	uint64_t cost = (uint64_t)m->pkt_len * 8 * q->hz / c->rate_bps;
	uint64_t depth = (uint64_t)c->burst_bytes * 8 * q->hz / c->rate_bps;
	uint64_t floor = now > depth ? now - depth : 0;
	uint64_t start = q->rate_free > floor ? q->rate_free : floor;
	uint64_t leave = start + cost > depth ? start + cost - depth : 0;

	if (leave < now)
		leave = now;
	if (leave - now > us_to_tsc(q, c->rate_queue_us))
		return -1;
	q->rate_free = start + cost;
	*at = leave;
	return 0;
}

int
impair_one(struct impair_q *q, struct rte_mbuf **pm, uint64_t now)
{
	const struct impair_conf *c = &q->conf;
	uint64_t at = now;

	if (lost(q)) {
		q->ctr[IMPAIR_CTR_DROPPED]++;
		rte_pktmbuf_free(*pm);
		return 0;
	}
	if (c->rate_bps && shape(q, *pm, now, &at) != 0) {
		q->ctr[IMPAIR_CTR_RATE_DROPPED]++;
		rte_pktmbuf_free(*pm);
		return 0;
	}
	if (impair_rng_ppm(&q->rng, c->corrupt))
		corrupt(q, pm);
	struct rte_mbuf *dup = NULL;
	if (impair_rng_ppm(&q->rng, c->dup)) {
		dup = rte_pktmbuf_copy(*pm, (*pm)->pool, 0, UINT32_MAX);
		if (dup == NULL)
			q->ctr[IMPAIR_CTR_NOMBUF]++;
		else
			q->ctr[IMPAIR_CTR_DUPLICATED]++;
	}
	uint64_t d = c->delay_us;
	if (c->jitter_us) {
		int64_t j = (int64_t)rng_below(&q->rng, 2ull * c->jitter_us + 1) - c->jitter_us;
		d = (int64_t)d + j > 0 ? (uint64_t)((int64_t)d + j) : 0;
	}
	if (d)
		q->ctr[IMPAIR_CTR_DELAYED]++;
	if (c->reorder && impair_rng_ppm(&q->rng, c->reorder)) {
		d += c->reorder_us;
		q->ctr[IMPAIR_CTR_REORDERED]++;
	}
	at += us_to_tsc(q, d);
	if (at <= now && q->n == 0 && dup == NULL)
		return 1;
	/* once anything waits, everything waits behind it (unless jitter or
	 * reordering put it earlier): the heap keeps the order */
	hold(q, *pm, at);
	if (dup != NULL)
		hold(q, dup, at);
	return 0;
}

uint16_t
impair_release(struct impair_q *q, uint64_t now, struct rte_mbuf **out, uint16_t max)
{
	uint16_t k = 0;

	while (k < max && q->n > 0 && q->heap[0].at <= now) {
		out[k++] = q->heap[0].m;
		heap_pop(q);
	}
	return k;
}

uint16_t
impair_burst(struct impair_q *q, struct rte_mbuf **pkts, uint16_t n, uint16_t max, uint64_t now)
{
	uint16_t k = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		if (impair_one(q, &m, now))
			pkts[k++] = m;
	}
	if (!q->tx)
		k += impair_release(q, now, pkts + k, max - k);
	return k;
}

static uint16_t
rx_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf *pkts[], uint16_t nb_pkts,
      uint16_t max_pkts, void *arg)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(queue);
	struct impair_q *q = arg;
	if (nb_pkts == 0 && q->n == 0)
		return 0;
	return impair_burst(q, pkts, nb_pkts, max_pkts, rte_rdtsc());
}

static uint16_t
tx_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf *pkts[], uint16_t nb_pkts, void *arg)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(queue);
	struct impair_q *q = arg;
	if (q->flushing) {
		q->taken = 0;
		return nb_pkts;
	}
	uint16_t k = impair_burst(q, pkts, nb_pkts, nb_pkts, rte_rdtsc());
	q->taken = nb_pkts - k;
	return k;
}

void
impair_tx_flush(struct impair_q *q, uint64_t now)
{
	struct rte_mbuf *b[IMPAIR_FLUSH_BURST];

	while (q->n > 0 && q->heap[0].at <= now) {
		uint16_t n = impair_release(q, now, b, IMPAIR_FLUSH_BURST);
		q->flushing = true;
		uint16_t sent = rte_eth_tx_burst(q->port_id, q->queue, b, n);
		q->flushing = false;
		q->taken = 0;
		if (sent < n) {
			/* the port is full: the rest stay first in line, in order */
			for (uint16_t i = sent; i < n; i++) {
				struct impair_held e = {.at = 0, .seq = i, .m = b[i]};
				heap_push(q, &e);
			}
			return;
		}
	}
}

int
impair_attach(struct impair_q *q)
{
	if (q->tx)
		q->txcb = (void *)rte_eth_add_tx_callback(q->port_id, q->queue, tx_cb, q);
	else
		q->rxcb = (void *)rte_eth_add_rx_callback(q->port_id, q->queue, rx_cb, q);
	if (q->txcb == NULL && q->rxcb == NULL)
		return -rte_errno;
	return 0;
}

void
impair_detach(struct impair_q *q)
{
	if (q->txcb != NULL)
		rte_eth_remove_tx_callback(q->port_id, q->queue, q->txcb);
	if (q->rxcb != NULL)
		rte_eth_remove_rx_callback(q->port_id, q->queue, q->rxcb);
	q->txcb = q->rxcb = NULL;
	impair_q_fini(q);
}
