/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UDP input on a worker: validate (length, checksum), then dispatch on the
 * destination port through a 64 K-entry byte table (one load per datagram):
 * echo in place, sink, the application, or ICMP port unreachable built in
 * place over the received mbuf (28 bytes prepended in front of the quoted
 * IP header, which therefore never moves). Every datagram ends in exactly
 * one counter: udp_echo_tx, udp_sink_rx, the application's, or a drop_*.
 */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "drivers/port.h"
#include "lib/net/net.h"
#include "udp.h"

#define UDP_PORTS	 65536u
#define UDP_SINK_SENDERS 16u /**< senders tracked by the sink at once (hashed, replaced) */

/* Prepended to a received frame to turn it into the ICMP error: IP + ICMP headers. */
#define UNREACH_PREPEND (NET_IPV4_HLEN + NET_ICMP_HLEN)

struct udp_sender {
	rte_be32_t ip;
	uint16_t worker;
	bool used;
	struct udp_seq seq;
};

struct udp_ctx {
	struct worker *w;
	struct udp_conf conf;
	struct udp_app apps[UDP_MAX_APPS];
	uint8_t nb_apps;
	uint8_t dapp;	 /**< udp_set_app's slot, for udp_bind(UDP_PORT_APP) */
	uint64_t tokens; /**< ICMP unreachables x hz */
	uint64_t tokens_max;
	uint64_t last_tsc;
	uint16_t ip_id;
	struct udp_sender senders[UDP_SINK_SENDERS];
	uint8_t kind[UDP_PORTS]; /**< by port (host order): enum udp_port_kind below
					     UDP_PORT_APP, UDP_PORT_APP + slot for an app */
};

/* ---- the sequence tracker ---- */

static inline bool
seq_bit(const struct udp_seq *s, uint64_t seq)
{
	uint64_t i = seq % UDP_SEQ_WINDOW;

	return (s->bits[i / 64] >> (i % 64)) & 1;
}

static inline void
seq_set(struct udp_seq *s, uint64_t seq)
{
	uint64_t i = seq % UDP_SEQ_WINDOW;

	s->bits[i / 64] |= UINT64_C(1) << (i % 64);
}

static inline void
seq_clear(struct udp_seq *s, uint64_t seq)
{
	uint64_t i = seq % UDP_SEQ_WINDOW;

	s->bits[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

/*
 * The window holds (highest - WINDOW, highest]. Moving highest up to seq
 * reuses the slots of (highest - WINDOW, seq - WINDOW]: those not seen are
 * missing; a jump of a whole window or more evicts everything and the
 * sequence numbers jumped over beyond that are missing too.
 */
enum udp_seq_result
udp_seq_track(struct udp_seq *s, uint64_t seq, uint64_t *missing)
{
	uint64_t miss = 0;

	if (!s->any) {
		memset(s->bits, 0, sizeof(s->bits));
		s->any = true;
		s->base = seq;
		s->highest = seq;
		seq_set(s, seq);
		if (missing != NULL)
			*missing = 0;
		return UDP_SEQ_NEW;
	}
	if (missing != NULL)
		*missing = 0;
	if (seq > s->highest) {
		uint64_t d = seq - s->highest;

		if (d >= UDP_SEQ_WINDOW) {
			/* every slot goes; count the valid unseen ones */
			for (uint64_t x = s->highest + 1; x <= s->highest + UDP_SEQ_WINDOW; x++) {
				uint64_t old = x - UDP_SEQ_WINDOW;
				if (x >= UDP_SEQ_WINDOW && old >= s->base && !seq_bit(s, old))
					miss++;
			}
			/* seq - WINDOW .. highest + 1 never were in the window */
			miss += d - UDP_SEQ_WINDOW;
			memset(s->bits, 0, sizeof(s->bits));
		} else {
			for (uint64_t x = s->highest + 1; x <= seq; x++) {
				uint64_t old = x - UDP_SEQ_WINDOW;
				if (x >= UDP_SEQ_WINDOW && old >= s->base && !seq_bit(s, old))
					miss++;
				seq_clear(s, x);
			}
		}
		s->highest = seq;
		seq_set(s, seq);
		if (missing != NULL)
			*missing = miss;
		return UDP_SEQ_NEW;
	}
	if (s->highest - seq >= UDP_SEQ_WINDOW || seq < s->base)
		return UDP_SEQ_OLD;
	if (seq_bit(s, seq))
		return UDP_SEQ_DUP;
	seq_set(s, seq);
	return UDP_SEQ_LATE;
}

/* ---- the context ---- */

struct udp_ctx *
udp_attach(struct worker *w, const struct udp_conf *conf)
{
	struct udp_ctx *c = rte_zmalloc_socket("udp", sizeof(*c), RTE_CACHE_LINE_SIZE,
					       (int)rte_socket_id());

	if (c == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	c->w = w;
	c->conf = *conf;
	c->tokens_max = (uint64_t)RTE_MIN(conf->unreach_rate, UDP_UNREACH_BURST) * w->hz;
	c->tokens = c->tokens_max;
	c->last_tsc = w->now;
	w->udp.input = udp_input;
	w->udp.timer = NULL;
	w->udp.ctx = c;
	return c;
}

void
udp_detach(struct udp_ctx *c)
{
	if (c == NULL)
		return;
	if (c->w->udp.ctx == c)
		c->w->udp = (struct worker_l4){0};
	rte_free(c);
}

/* port -> k (a kind below UDP_PORT_APP, or UDP_PORT_APP + slot); refused
 * when the port is bound to another owner; closing always works */
static int
bind_port(struct udp_ctx *c, uint16_t port, uint8_t k)
{
	if (k != UDP_PORT_NONE && c->kind[port] != UDP_PORT_NONE && c->kind[port] != k)
		return -EADDRINUSE;
	c->kind[port] = k;
	return 0;
}

int
udp_bind(struct udp_ctx *c, uint16_t port, enum udp_port_kind kind)
{
	if (kind == UDP_PORT_APP)
		return c->nb_apps == 0 ? -EINVAL : bind_port(c, port, UDP_PORT_APP + c->dapp);
	return bind_port(c, port, (uint8_t)kind);
}

int
udp_app_add(struct udp_ctx *c, const struct udp_app *app)
{
	for (int i = 0; i < c->nb_apps; i++)
		if (memcmp(&c->apps[i], app, sizeof(*app)) == 0)
			return i;
	if (c->nb_apps == UDP_MAX_APPS)
		return -ENOSPC;
	c->apps[c->nb_apps] = *app;
	return c->nb_apps++;
}

int
udp_bind_app(struct udp_ctx *c, uint16_t port, int app)
{
	if (app < 0 || app >= c->nb_apps)
		return -EINVAL;
	return bind_port(c, port, (uint8_t)(UDP_PORT_APP + app));
}

enum udp_port_kind
udp_port_kind(const struct udp_ctx *c, uint16_t port)
{
	uint8_t k = c->kind[port];

	return k >= UDP_PORT_APP ? UDP_PORT_APP : (enum udp_port_kind)k;
}

int
udp_port_app(const struct udp_ctx *c, uint16_t port)
{
	uint8_t k = c->kind[port];

	return k >= UDP_PORT_APP ? k - UDP_PORT_APP : -1;
}

int
udp_set_app(struct udp_ctx *c, const struct udp_app *app)
{
	int slot = udp_app_add(c, app);

	if (slot >= 0)
		c->dapp = (uint8_t)slot;
	return slot;
}

struct worker *
udp_worker(const struct udp_ctx *c)
{
	return c->w;
}

/* ---- services ---- */

static void
sink(struct udp_ctx *c, rte_be32_t sip, const uint8_t *data, uint32_t len)
{
	struct stats_worker *st = &c->w->stats;
	struct udp_seq_hdr h;

	stats_inc(st, STAT_udp_sink_rx);
	stats_add(st, STAT_udp_sink_bytes, len);
	if (len < UDP_SEQ_HLEN)
		return;
	memcpy(&h, data, sizeof(h));
	if (h.magic != RTE_BE32(UDP_SEQ_MAGIC))
		return;
	uint16_t wid = rte_be_to_cpu_16(h.worker);
	struct udp_sender *s = &c->senders[(rte_be_to_cpu_32(sip) * 31u + wid) % UDP_SINK_SENDERS];
	if (!s->used || s->ip != sip || s->worker != wid) {
		memset(s, 0, sizeof(*s));
		s->used = true;
		s->ip = sip;
		s->worker = wid;
	}
	uint64_t missing;
	switch (udp_seq_track(&s->seq, rte_be_to_cpu_64(h.seq), &missing)) {
	case UDP_SEQ_NEW:
		stats_add(st, STAT_udp_lost, missing);
		break;
	case UDP_SEQ_LATE:
	case UDP_SEQ_OLD:
		stats_inc(st, STAT_udp_reorder);
		break;
	case UDP_SEQ_DUP:
		stats_inc(st, STAT_udp_dup);
		break;
	}
}

/* One token per ICMP error, refilled at unreach_rate per second. */
static bool
unreach_allowed(struct udp_ctx *c)
{
	struct worker *w = c->w;

	if (c->conf.unreach_rate == 0)
		return false;
	if (w->now > c->last_tsc) {
		uint64_t dt = w->now - c->last_tsc;
		/* dt * rate overflows after ~1.8e19: cap dt at a second's worth */
		if (dt > w->hz)
			dt = w->hz;
		c->tokens += dt * c->conf.unreach_rate;
		if (c->tokens > c->tokens_max)
			c->tokens = c->tokens_max;
		c->last_tsc = w->now;
	}
	if (c->tokens < w->hz)
		return false;
	c->tokens -= w->hz;
	return true;
}

/*
 * RFC 1122 3.2.2: no ICMP error about a datagram sent to a broadcast or
 * multicast address (the IP destination is ours: the input path checked it,
 * so only the link-layer destination is left), nor about an ICMP error (not
 * UDP), nor a non-initial fragment (dropped before here).
 */
static void
closed_port(struct udp_ctx *c, struct worker_port *wp, struct rte_mbuf *m,
	    const struct net_info *ni)
{
	struct worker *w = c->w;
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_ether_addr peer;

	stats_inc(&w->stats, STAT_drop_udp_no_port);
	if (!rte_is_unicast_ether_addr((const struct rte_ether_addr *)d) ||
	    c->conf.unreach_rate == 0) {
		rte_pktmbuf_free(m);
		return;
	}
	if (!unreach_allowed(c)) {
		stats_inc(&w->stats, STAT_udp_unreach_limited);
		rte_pktmbuf_free(m);
		return;
	}
	uint8_t *ip = d + ni->l3_off;
	rte_be32_t src = ((const struct rte_ipv4_hdr *)ip)->src_addr;
	/* from the address the datagram was sent to (one of the port's) */
	rte_be32_t dst = ((const struct rte_ipv4_hdr *)ip)->dst_addr;
	uint32_t quote = ni->l3_hlen + NET_UDP_HLEN;

	memcpy(&peer, d + offsetof(struct rte_ether_hdr, src_addr), sizeof(peer));
	/* headers in front of the original IP header: it stays where it is */
	if (rte_pktmbuf_adj(m, ni->l3_off) == NULL ||
	    rte_pktmbuf_prepend(m, NET_ETH_HLEN + UNREACH_PREPEND) == NULL) {
		stats_inc(&w->stats, STAT_drop_pool_empty);
		rte_pktmbuf_free(m);
		return;
	}
	d = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t len = net_icmp_unreach_build(d, d + NET_ETH_HLEN + UNREACH_PREPEND, quote,
					      &wp->mac, &peer, dst, src, NET_ICMP_PORT_UNREACH,
					      c->ip_id++);
	rte_pktmbuf_trim(m, m->pkt_len - len);
	m->ol_flags = 0;
	stats_inc(&w->stats, STAT_udp_unreach_tx);
	worker_tx(w, wp, m);
}

void
udp_input(struct worker *w, struct worker_port *wp, struct rte_mbuf *m, const struct net_info *ni,
	  void *ctx)
{
	struct udp_ctx *c = ctx;
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	uint8_t *l3 = d + ni->l3_off;
	struct rte_udp_hdr *uh = (struct rte_udp_hdr *)(l3 + ni->l3_hlen);
	bool verify = true;
	int r;

	if (unlikely(net_info_is_v6(ni))) {
		/* UDP over IPv6: not yet (issue #12) */
		stats_inc(&w->stats, STAT_drop_ip_proto);
		rte_pktmbuf_free(m);
		return;
	}
	if (wp->offloads & PORT_OFF_RX_CKSUM) {
		uint64_t l4 = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
		/* a zero checksum is "none" whatever the NIC flagged (ixgbe says bad) */
		if (l4 == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
			verify = false;
		else if (l4 == RTE_MBUF_F_RX_L4_CKSUM_BAD && uh->dgram_cksum != 0 &&
			 (uint32_t)ni->l3_len - ni->l3_hlen >= NET_UDP_HLEN) {
			stats_inc(&w->stats, STAT_drop_udp_csum);
			rte_pktmbuf_free(m);
			return;
		}
	}
	r = net_udp_check(l3, ni, verify);
	if (unlikely(r != 0)) {
		stats_inc(&w->stats, (enum stats_id)r);
		rte_pktmbuf_free(m);
		return;
	}
	stats_inc(&w->stats, STAT_udp_rx);
	if (uh->dgram_cksum == 0)
		stats_inc(&w->stats, STAT_udp_zero_csum);
	uint16_t dport = rte_be_to_cpu_16(uh->dst_port);
	uint32_t ulen = rte_be_to_cpu_16(uh->dgram_len);

	uint8_t k = c->kind[dport];

	switch (k >= UDP_PORT_APP ? UDP_PORT_APP : (enum udp_port_kind)k) {
	case UDP_PORT_ECHO: {
		/* as long as the request: trim Ethernet padding */
		uint32_t flen = RTE_MAX((uint32_t)(ni->l3_off + ni->l3_len), NET_ETH_MIN_FRAME);
		if (flen < m->pkt_len)
			rte_pktmbuf_trim(m, m->pkt_len - flen);
		net_udp_echo_inplace(d, ni, &wp->mac);
		m->ol_flags = 0;
		stats_inc(&w->stats, STAT_udp_echo_tx);
		stats_inc(&w->stats, STAT_udp_tx);
		worker_tx(w, wp, m);
		return;
	}
	case UDP_PORT_SINK:
		sink(c, ((struct rte_ipv4_hdr *)l3)->src_addr, (const uint8_t *)(uh + 1),
		     ulen - NET_UDP_HLEN);
		break;
	case UDP_PORT_APP:
		/* without a receive callback the port is closed */
		if (c->apps[k - UDP_PORT_APP].recv == NULL) {
			closed_port(c, wp, m, ni);
			return;
		}
		{
			const struct udp_app *a = &c->apps[k - UDP_PORT_APP];
			const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)l3;
			struct udp_dgram dg = {
				.wp = wp,
				.sip = ip->src_addr,
				.dip = ip->dst_addr,
				.sport = uh->src_port,
				.dport = uh->dst_port,
				.data = (const uint8_t *)(uh + 1),
				.len = ulen - NET_UDP_HLEN,
			};
			a->recv(c, &dg, a->arg);
		}
		break;
	case UDP_PORT_NONE:
	default:
		closed_port(c, wp, m, ni);
		return;
	}
	rte_pktmbuf_free(m);
}

/* ---- echo and sink as an application ---- */

struct udp_services {
	struct udp_ctx *c;
	unsigned int nb; /**< ports bound */
	uint16_t port[]; /**< the echo ports, then the sink ports */
};

struct udp_services *
udp_services_create(struct udp_ctx *c, const uint16_t *echo, unsigned int nb_echo,
		    const uint16_t *sink, unsigned int nb_sink, uint16_t *busy)
{
	struct udp_services *s = rte_zmalloc(
		"udp_services", sizeof(*s) + sizeof(uint16_t) * (nb_echo + nb_sink), 0);
	int r = 0;

	if (s == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	s->c = c;
	for (unsigned int i = 0; i < nb_echo + nb_sink && r == 0; i++) {
		uint16_t p = i < nb_echo ? echo[i] : sink[i - nb_echo];

		r = udp_bind(c, p, i < nb_echo ? UDP_PORT_ECHO : UDP_PORT_SINK);
		if (r == 0)
			s->port[s->nb++] = p;
		else if (busy != NULL)
			*busy = p;
	}
	if (r == 0 && worker_app_add(c->w, &udp_services_class, s, false) < 0)
		r = -ENOSPC;
	if (r != 0) {
		udp_services_free(s);
		errno = -r;
		return NULL;
	}
	return s;
}

void
udp_services_free(struct udp_services *s)
{
	if (s == NULL)
		return;
	for (unsigned int i = 0; i < s->nb; i++)
		udp_bind(s->c, s->port[i], UDP_PORT_NONE);
	rte_free(s);
}

static void
services_free(void *obj)
{
	udp_services_free(obj);
}

const struct app_class udp_services_class = {
	.name = "udp echo/sink",
	.free = services_free,
};

uint32_t
udp_bound(const struct udp_ctx *c, uint16_t *ports, enum udp_port_kind *kinds, uint32_t max)
{
	uint32_t n = 0;

	for (uint32_t p = 0; p < UDP_PORTS; p++) {
		uint8_t k = __atomic_load_n(&c->kind[p], __ATOMIC_RELAXED);

		if (k == UDP_PORT_NONE)
			continue;
		if (n < max) {
			ports[n] = (uint16_t)p;
			kinds[n] = k >= UDP_PORT_APP ? UDP_PORT_APP : (enum udp_port_kind)k;
		}
		n++;
	}
	return n;
}
