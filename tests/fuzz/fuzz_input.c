/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for the packet input path with live connections:
 * worker_input -> Ethernet/ARP/IPv4/ICMP -> tcp_input -> the HTTP responder,
 * compiled here with the sanitizers, over a real net_ring link (DPDK's EAL,
 * mempool, ring and ethdev are linked as they are).
 *
 * Set-up (once): EAL with --no-huge, one mbuf pool (no per-lcore cache, so
 * rte_mempool_in_use_count is exact), a net_ring link with ports A and B.
 * Per input, from scratch so that a crash reproduces from its input alone:
 * a worker on A (198.18.0.2/24, MAC 02:00:00:00:00:02, MTU 1500) with
 * TCP (max_conns 32, so that fuzzed SYNs can fill the table; SYN backlog 4,
 * so that cookies are near; TIME-WAIT 100 ms) and the HTTP responder
 * listening on port 80 (2000-byte body), the peer 198.18.0.1
 * (02:00:00:00:00:01) learned; then real handshakes from the peer build one
 * connection per slot:
 *
 *   0 ESTABLISHED, no options        6 FIN-WAIT-2 (Connection: close, all acked)
 *   1 ESTABLISHED, MSS/SACK/TS/WS,    7 TIME-WAIT (6, then the peer's FIN)
 *     peer ISN about to wrap         8 SYN-RECEIVED (SYN-ACK not answered)
 *   2 GET answered, response unacked 9 GET under a zero window (persist timer)
 *   3 GET under a 600-byte window    10, 11 no connection (fresh SYNs, cookies)
 *   4 peer FIN -> LAST-ACK
 *   5 half a request, a segment held out of order (ooo_n = 1)
 *
 * The input is a sequence of records, each starting with one op byte;
 * op & 3 selects the kind (multi-byte fields little-endian):
 *
 *   0 raw frame:  u16 len, u8 split (0: one mbuf, else a 2-segment chain),
 *                 len bytes, fed as they are
 *   1 time:       u8 n: advance the clock n ms (n <= 200) or (n - 200) s,
 *                 run the neighbour and TCP timers (at most 120 s per input)
 *   2, 3 TCP:     slot = (op >> 2) % 12, then
 *                 u8 flags, u8 m1, u8 m2, i16 seq_off, i16 ack_off, u16 win,
 *                 u8 optlen (<= 40), u16 paylen, options, payload;
 *                 m1: bits 0-1 SEQ base (0 RCV.NXT or the peer's next seq
 *                 when no TCB, 1 the ACK of synack's last segment to this
 *                 port, 2 the peer's ISN, 3 zero), bits 2-3 ACK base
 *                 (SND.NXT, SND.UNA, SND.MAX, the end of synack's last
 *                 segment to this port; all fall back to the last one), bit 4
 *                 seq_off << 16, bit 5 ack_off << 16, bit 6 prepend a TS
 *                 option (the peer's clock, echoing synack's last TSval),
 *                 bit 7 corrupt the TCP checksum;
 *                 m2: bit 0 destination port 81 (not listening), bit 1 IPv4
 *                 options, bit 2 Ethernet padding, bit 3 source 198.18.0.3
 *                 (unresolved neighbour), bit 4 source 198.19.0.1 (off-link),
 *                 bit 5 the TS option 1000 ticks in the past (PAWS), bit 6
 *                 a 2-segment mbuf chain, bit 7 source port + 1000.
 *                 Both checksums are made valid (unless bit 7 of m1).
 *
 * After each record the worker's TX batch is flushed and port B drained.
 * Invariants (abort on violation):
 *   - every frame synack sends is a sane mbuf (rte_mbuf_check: within its
 *     data room) and parses: Ethernet from our MAC, ARP (valid
 *     request/reply from us), or IPv4 from us passing net_ipv4_check with the
 *     destination as "our" address, its length matching the frame, within
 *     the MTU; TCP with a valid header, options and checksum; ICMP echo
 *     replies valid; nothing else;
 *   - mbufs in use == those the TCBs' out-of-order queues hold, plus at most
 *     NEIGH_PENDING per neighbour entry (frames waiting for ARP); exactly the
 *     out-of-order ones once ARP gave up at the end of the input, and zero
 *     after tcp_detach + worker_free, which also return every byte of DPDK
 *     heap the input's world took (rte_malloc_get_socket_stats);
 *   - the TCB table: nb_conns == live TCBs <= max_conns, nb_synrcvd == the
 *     passive SYN-RECEIVED ones, each TCB found by its key, SND.UNA <=
 *     SND.NXT <= SND.MAX, nothing in flight beyond the queued data (+ SYN,
 *     FIN), the send queue adding up to sndq_bytes, the out-of-order list
 *     sorted, of ooo_n <= ooo_max entries, anything outstanding has a
 *     retransmission timer, and every armed deadline sits in the wheel.
 *
 * Environment: FUZZ_INPUT_TRACE=1 prints each record, what synack answered
 * and the slots' state and counters at the end (to read a reproducer);
 * FUZZ_INPUT_NO_MTU_CHECK=1 drops the MTU check, to fuzz past the known
 * oversized-segment bug (tests/fuzz/crashes/input-sack-opts-exceed-mtu.bin)
 * until it is fixed.
 *
 * Limits: ISNs come from the TSC, so an input's absolute sequence numbers
 * (base 3 of SEQ/ACK) are not reproducible; everything else is (rte_srand
 * is reseeded per input). mbufs live in DPDK memory that ASan does not
 * track: a use after free of an mbuf shows only as a count mismatch.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_random.h>
#include <rte_tcp.h>

#include "drivers/port.h"
#include "lib/http/http.h"
#include "lib/net/net.h"
#include "lib/stack/stack.h"
#include "lib/tcp/tcp.h"
#include "lib/tcp/tcp_priv.h"

#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, \
				#cond); \
			abort(); \
		} \
	} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define POOL_N	    4096
#define MAX_CONNS   32 /* small enough that fuzzed SYNs fill the table */
#define NSLOT	    12
#define PORT_HTTP   80
#define PORT_CLOSED 81
#define RPORT_BASE  40000
#define RPORT_ALT   1000 /* m2 bit 7 */
#define BODY_SIZE   2000
#define MAX_ADV_MS  120000 /* clock advance per input */
#define MAX_FRAME   2048   /* data room of the pool's mbufs */

#define US_IP	RTE_BE32(UINT32_C(0xc6120002)) /* 198.18.0.2 */
#define PEER_IP RTE_BE32(UINT32_C(0xc6120001)) /* 198.18.0.1 */
#define ALT_IP	RTE_BE32(UINT32_C(0xc6120003)) /* 198.18.0.3, never answers ARP */
#define OFF_IP	RTE_BE32(UINT32_C(0xc6130001)) /* 198.19.0.1: off-link, no gateway */

#define OPT_NOP 1
#define OPT_MSS 2
#define OPT_WS	3
#define OPT_SOK 4
#define OPT_TS	8

static const struct rte_ether_addr us_mac = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};
static const struct rte_ether_addr peer_mac = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};

/** What synack last sent to one remote port (the peer's view). */
struct seen {
	bool valid;
	uint32_t seq, end, ack; /**< end = seq + payload + SYN + FIN */
	uint32_t tsval;		/**< its TSval, when it had one */
};

/** One peer connection the fuzzer can aim at. */
struct slot {
	uint32_t iss;	     /**< the peer's ISN */
	uint32_t nxt;	     /**< the peer's next sequence number */
	uint32_t ts;	     /**< the peer's TS clock */
	struct seen seen[2]; /**< [source port + RPORT_ALT] */
};

static struct {
	struct rte_mempool *pool;
	struct port pa, pb;
	struct worker w;
	struct worker_port *wp;
	struct tcp_conf conf;
	struct tcp_app ops;
	struct tcp_ctx *c;
	struct http_server *srv;
	struct http_app *app;
	volatile bool stop;
	bool setup;		       /**< building the slots: checked once at the end */
	bool trace;		       /**< FUZZ_INPUT_TRACE set: print what happens */
	bool no_mtu_check;	       /**< FUZZ_INPUT_NO_MTU_CHECK set (see the top) */
	size_t heap_base;	       /**< DPDK heap in use without a world */
	uint64_t base_stats[STAT_MAX]; /**< counters after the set-up */
	struct slot slot[NSLOT];
	uint64_t adv_ms; /**< clock advanced in this input */
} F;

/* ---- what synack sends ---- */

static void
check_tcp(const uint8_t *l4, uint32_t l4len, const struct rte_ipv4_hdr *ip)
{
	const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)l4;
	struct tcp_opts o;

	FUZZ_ASSERT(l4len >= sizeof(*th));
	uint32_t hlen = (uint32_t)(th->data_off >> 4) * 4;
	FUZZ_ASSERT(hlen >= sizeof(*th) && hlen <= l4len);
	FUZZ_ASSERT(rte_ipv4_udptcp_cksum_verify(ip, th) == 0);
	FUZZ_ASSERT(tcp_parse_opts(l4 + sizeof(*th), hlen - sizeof(*th), &o) == 0);
	uint8_t f = th->tcp_flags;
	FUZZ_ASSERT(!((f & TCP_SYN) && (f & (TCP_FIN | TCP_RST))));
	FUZZ_ASSERT(f & (TCP_SYN | TCP_ACK | TCP_RST));
	FUZZ_ASSERT(!((f & TCP_SYN) && l4len > hlen)); /* no data on our SYN-ACKs */
	if (ip->dst_addr != PEER_IP)
		return;
	uint16_t rport = rte_be_to_cpu_16(th->dst_port);
	unsigned int alt = rport >= RPORT_BASE + RPORT_ALT;
	unsigned int i = rport - RPORT_BASE - (alt ? RPORT_ALT : 0);
	if (rport < RPORT_BASE || i >= NSLOT)
		return;
	struct seen *s = &F.slot[i].seen[alt];
	s->valid = true;
	s->seq = rte_be_to_cpu_32(th->sent_seq);
	s->ack = rte_be_to_cpu_32(th->recv_ack);
	s->end = s->seq + (l4len - hlen) + ((f & TCP_SYN) ? 1 : 0) + ((f & TCP_FIN) ? 1 : 0);
	if (o.has_ts)
		s->tsval = o.tsval;
	if (F.trace && !F.setup)
		fprintf(stderr, "  <- %u%s flags %02x seq %u ack %u len %u win %u\n", i,
			alt ? "+" : "", f, s->seq, s->ack, l4len - hlen,
			rte_be_to_cpu_16(th->rx_win));
}

static void
check_tx(struct rte_mbuf *m)
{
	struct net_info ni;

	const char *why = NULL;
	if (rte_mbuf_check(m, 1, &why) != 0) {
		/* e.g. a frame longer than the mbuf's data room: synack wrote past it */
		fprintf(stderr, "synack sent a bad mbuf: %s (data_off %u data_len %u buf_len %u)\n",
			why, m->data_off, m->data_len, m->buf_len);
		abort();
	}
	FUZZ_ASSERT(m->nb_segs == 1 && m->pkt_len == m->data_len);
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = m->data_len;
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)d;

	memset(&ni, 0, sizeof(ni));
	FUZZ_ASSERT(len >= NET_ETH_HLEN);
	FUZZ_ASSERT(rte_is_same_ether_addr(&eh->src_addr, &us_mac));
	/* the destination is whatever synack chose: check the rest */
	FUZZ_ASSERT(net_eth_check(d, len, &eh->dst_addr, &ni) == 0);
	const uint8_t *l3 = d + ni.l3_off;
	if (ni.ethertype == RTE_ETHER_TYPE_ARP) {
		const struct rte_arp_hdr *arp = (const struct rte_arp_hdr *)l3;
		FUZZ_ASSERT(len - ni.l3_off >= sizeof(*arp));
		FUZZ_ASSERT(net_arp_check(l3, len - ni.l3_off, arp->arp_data.arp_tip, 1) == 0);
		FUZZ_ASSERT(rte_is_same_ether_addr(&arp->arp_data.arp_sha, &us_mac));
		FUZZ_ASSERT(arp->arp_data.arp_sip == US_IP);
		return;
	}
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)l3;
	FUZZ_ASSERT(len - ni.l3_off >= sizeof(*ip));
	FUZZ_ASSERT(ip->src_addr == US_IP);
	FUZZ_ASSERT(net_ipv4_check(l3, len - ni.l3_off, ip->dst_addr, 1, &ni) == 0);
	if (ni.l3_len > F.wp->mtu && !F.no_mtu_check) {
		fprintf(stderr,
			"IPv4 packet of %u bytes (MTU %u), protocol %u, L4 header %u bytes\n",
			ni.l3_len, F.wp->mtu, ni.proto,
			ni.proto == IPPROTO_TCP ? (l3[ni.l3_hlen + 12] >> 4) * 4 : 0);
		FUZZ_ASSERT(ni.l3_len <= F.wp->mtu);
	}
	FUZZ_ASSERT(len == RTE_MAX((uint32_t)(ni.l3_off + ni.l3_len), NET_ETH_MIN_FRAME));
	/* to the peer through the neighbour table, at the MAC the table holds
	 * now (an ARP from the peer's address may have moved it, RFC 826; this
	 * also checks the next-hop cache against the table); only a RST for a
	 * segment with no connection answers the frame's own source MAC */
	if (ip->dst_addr == PEER_IP && ni.proto == IPPROTO_TCP &&
	    !(l3[ni.l3_hlen + offsetof(struct rte_tcp_hdr, tcp_flags)] & TCP_RST)) {
		struct rte_ether_addr now;
		FUZZ_ASSERT(neigh_get(F.wp->neigh, PEER_IP, &now) == NEIGH_REACHABLE);
		FUZZ_ASSERT(rte_is_same_ether_addr(&eh->dst_addr, &now));
	}
	switch (ni.proto) {
	case IPPROTO_TCP:
		check_tcp(l3 + ni.l3_hlen, ni.l3_len - ni.l3_hlen, ip);
		break;
	case IPPROTO_ICMP:
		FUZZ_ASSERT(net_icmp_check(l3 + ni.l3_hlen, ni.l3_len - ni.l3_hlen) == 0);
		FUZZ_ASSERT(l3[ni.l3_hlen] == RTE_IP_ICMP_ECHO_REPLY);
		break;
	default:
		FUZZ_ASSERT(!"synack sent an IPv4 protocol it does not speak");
	}
}

/* ---- invariants ---- */

/* Not instrumented for coverage: it runs after every frame over every slot
 * of the table, and its branches are the harness's, not synack's. */
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))

static NO_COVERAGE uint32_t
check_tcbs(void)
{
	struct tcp_ctx *c = F.c;
	uint32_t live = 0, synrcvd = 0, held = 0;

	FUZZ_ASSERT(tcp_nb_conns(c) <= c->conf.max_conns);
	for (uint32_t i = 0; i < c->nb_slots; i++) {
		struct tcb *t = &c->tcbs[i];
		if (t->state == TCP_CLOSED)
			continue;
		live++;
		FUZZ_ASSERT(t->state > TCP_LISTEN && t->state <= TCP_TIME_WAIT);
		FUZZ_ASSERT(tcp_lookup(c, &t->key) == t);
		if (t->state == TCP_SYN_RECEIVED && (t->flags & TF_PASSIVE))
			synrcvd++;
		FUZZ_ASSERT(SEQ_LEQ(t->snd_una, t->snd_nxt));
		FUZZ_ASSERT(SEQ_LEQ(t->snd_nxt, t->snd_max));
		uint32_t allowed = t->sndq_bytes + ((t->flags & TF_FIN_SENT) ? 1 : 0) +
				   (t->state == TCP_SYN_RECEIVED ? 1 : 0);
		FUZZ_ASSERT(t->snd_max - t->snd_una <= allowed);
		/* send queue adds up */
		uint64_t q = 0;
		uint32_t n = 0;
		for (uint32_t j = t->sndq_head; j != TCP_NONE; j = c->sndq[j].next) {
			FUZZ_ASSERT(++n <= 4 * c->conf.max_conns);
			q += c->sndq[j].len;
		}
		FUZZ_ASSERT(q - (n ? t->sndq_off : 0) == t->sndq_bytes);
		/* out-of-order queue: sorted, counted, bounded */
		n = 0;
		for (uint32_t j = t->ooo; j != TCP_NONE; j = c->ooo[j].next) {
			FUZZ_ASSERT(++n <= c->conf.ooo_max);
			FUZZ_ASSERT(c->ooo[j].m != NULL);
			if (c->ooo[j].next != TCP_NONE)
				FUZZ_ASSERT(SEQ_LEQ(c->ooo[j].seq, c->ooo[c->ooo[j].next].seq));
		}
		FUZZ_ASSERT(n == t->ooo_n);
		held += t->ooo_n;
		/* timers: a deadline is in the wheel, and not later than it says */
		uint32_t at = t->rto_at;
		if (t->delack_at != 0 && (at == 0 || SEQ_LT(t->delack_at, at)))
			at = t->delack_at;
		if (t->app_at != 0 && (at == 0 || SEQ_LT(t->app_at, at)))
			at = t->app_at;
		if (at != 0) {
			FUZZ_ASSERT(t->t_at != 0);
			FUZZ_ASSERT(SEQ_LEQ(t->t_at, SEQ_GT(at, c->tick) ? at : c->tick + 1));
		}
		/* RFC 6298 5.1 (and the persist timer): anything outstanding or
		 * waiting for the window has a timer; so do TIME-WAIT and SYN-RECEIVED */
		bool pending = t->snd_max != t->snd_una ||
			       SEQ_LT(t->snd_nxt, t->snd_una + t->sndq_bytes);
		if (t->state == TCP_TIME_WAIT || t->state == TCP_SYN_RECEIVED || pending)
			FUZZ_ASSERT(t->rto_at != 0);
	}
	FUZZ_ASSERT(live == tcp_nb_conns(c));
	FUZZ_ASSERT(synrcvd == c->nb_synrcvd);
	return held;
}

static NO_COVERAGE void
check_mbufs(bool exact)
{
	uint32_t held = check_tcbs();
	uint32_t used = rte_mempool_in_use_count(F.pool);
	uint32_t waiting = NEIGH_PENDING * neigh_count(F.wp->neigh);

	if (used < held || used > held + (exact ? 0 : waiting)) {
		fprintf(stderr,
			"mbufs in use %u, held by out-of-order queues %u, may wait for "
			"ARP %u\n",
			used, held, exact ? 0 : waiting);
		abort();
	}
}

/* Flush synack's TX, read and check everything it sent, free it. */
static void
drain(void)
{
	struct rte_mbuf *pkts[32];
	uint16_t n;

	if (F.wp->tx_n != 0)
		worker_flush(&F.w, F.wp);
	FUZZ_ASSERT(F.wp->tx_n == 0);
	while ((n = rte_eth_rx_burst(F.pb.port_id, 0, pkts, RTE_DIM(pkts))) > 0) {
		for (uint16_t i = 0; i < n; i++) {
			check_tx(pkts[i]);
			rte_pktmbuf_free(pkts[i]);
		}
	}
	FUZZ_ASSERT(F.w.stats.c[STAT_drop_tx_full] == 0);
}

/* ---- frames into synack ---- */

static struct rte_mbuf *
mbuf_of(const uint8_t *bytes, uint32_t len, uint32_t split)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(F.pool);

	FUZZ_ASSERT(m != NULL);
	if (split == 0 || split >= len) {
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), bytes, len);
		m->data_len = m->pkt_len = len;
		return m;
	}
	struct rte_mbuf *m2 = rte_pktmbuf_alloc(F.pool);
	FUZZ_ASSERT(m2 != NULL);
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), bytes, split);
	m->data_len = m->pkt_len = split;
	memcpy(rte_pktmbuf_mtod(m2, uint8_t *), bytes + split, len - split);
	m2->data_len = m2->pkt_len = len - split;
	FUZZ_ASSERT(rte_pktmbuf_chain(m, m2) == 0);
	return m;
}

static void
feed(struct rte_mbuf *m)
{
	worker_input(&F.w, F.wp, m);
	drain();
	if (!F.setup)
		check_mbufs(false);
}

/** A peer segment, as the fuzzer or the set-up describes it. */
struct pseg {
	rte_be32_t sip;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	const uint8_t *opts;
	uint32_t optlen; /**< <= 40, padded to 4 with EOL */
	const uint8_t *data;
	uint32_t dlen;
	bool bad_csum, ip_opts, pad, chain;
};

static void
send_seg(const struct pseg *s)
{
	static uint8_t buf[MAX_FRAME];
	uint32_t ihl = s->ip_opts ? 24 : 20;
	uint32_t thl = 20 + RTE_ALIGN_CEIL(s->optlen, 4);
	uint32_t tot = ihl + thl + s->dlen;
	uint32_t len = NET_ETH_HLEN + tot;

	FUZZ_ASSERT(s->optlen <= 40 && len + 16 <= sizeof(buf));
	memset(buf, 0, len + 16);
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)buf;
	eh->dst_addr = us_mac;
	eh->src_addr = peer_mac;
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	ip->version_ihl = (uint8_t)(0x40 | ihl / 4);
	ip->total_length = rte_cpu_to_be_16((uint16_t)tot);
	ip->packet_id = rte_cpu_to_be_16(7);
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = s->sip;
	ip->dst_addr = US_IP;
	if (s->ip_opts)
		memset(ip + 1, OPT_NOP, 3); /* NOP NOP NOP EOL */
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)((uint8_t *)ip + ihl);
	th->src_port = rte_cpu_to_be_16(s->sport);
	th->dst_port = rte_cpu_to_be_16(s->dport);
	th->sent_seq = rte_cpu_to_be_32(s->seq);
	th->recv_ack = rte_cpu_to_be_32(s->ack);
	th->data_off = (uint8_t)((thl / 4) << 4);
	th->tcp_flags = s->flags;
	th->rx_win = rte_cpu_to_be_16(s->win);
	if (s->optlen)
		memcpy(th + 1, s->opts, s->optlen);
	if (s->dlen)
		memcpy((uint8_t *)th + thl, s->data, s->dlen);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	if (s->bad_csum)
		th->cksum ^= 0x0101;
	if (len < NET_ETH_MIN_FRAME)
		len = NET_ETH_MIN_FRAME;
	if (s->pad)
		len += 16;
	feed(mbuf_of(buf, len, s->chain ? NET_ETH_HLEN + ihl + 4 : 0));
}

static struct tcb *
slot_tcb(unsigned int i, rte_be32_t rip, uint16_t dport, bool alt)
{
	struct tcp_key k = {
		.rip = rip,
		.lip = US_IP,
		.rport = rte_cpu_to_be_16((uint16_t)(RPORT_BASE + i + (alt ? RPORT_ALT : 0))),
		.lport = rte_cpu_to_be_16(dport),
	};
	return tcp_lookup(F.c, &k);
}

static uint32_t
put_ts(uint8_t *o, uint32_t tsval, uint32_t tsecr)
{
	o[0] = OPT_NOP;
	o[1] = OPT_NOP;
	o[2] = OPT_TS;
	o[3] = 10;
	for (int b = 0; b < 4; b++) {
		o[4 + b] = (uint8_t)(tsval >> (24 - 8 * b));
		o[8 + b] = (uint8_t)(tsecr >> (24 - 8 * b));
	}
	return 12;
}

/* ---- set-up: real handshakes from the peer ---- */

enum { SO_TS = 1, SO_WS = 2, SO_SACK = 4 };

/* A segment of slot i at the peer's sequence state, acking all synack sent. */
static void
peer(unsigned int i, uint8_t flags, const char *data, uint16_t win, bool ts)
{
	struct slot *sl = &F.slot[i];
	struct tcb *t = slot_tcb(i, PEER_IP, PORT_HTTP, false);
	uint8_t opts[12];
	struct pseg s = {
		.sip = PEER_IP,
		.sport = (uint16_t)(RPORT_BASE + i),
		.dport = PORT_HTTP,
		.seq = sl->nxt,
		.ack = t != NULL ? t->snd_max : 0,
		.flags = flags,
		.win = win,
		.data = (const uint8_t *)data,
		.dlen = data != NULL ? (uint32_t)strlen(data) : 0,
	};
	if (ts) {
		s.optlen = put_ts(opts, ++sl->ts, sl->seen[0].tsval);
		s.opts = opts;
	}
	send_seg(&s);
	sl->nxt += s.dlen + ((flags & TCP_FIN) ? 1 : 0);
}

static void
peer_syn(unsigned int i, unsigned int so, uint16_t mss, uint16_t win)
{
	struct slot *sl = &F.slot[i];
	uint8_t o[40];
	uint32_t n = 0;

	o[n++] = OPT_MSS;
	o[n++] = 4;
	o[n++] = (uint8_t)(mss >> 8);
	o[n++] = (uint8_t)mss;
	if (so & SO_SACK) {
		o[n++] = OPT_NOP;
		o[n++] = OPT_NOP;
		o[n++] = OPT_SOK;
		o[n++] = 2;
	}
	if (so & SO_TS)
		n += put_ts(o + n, ++sl->ts, 0);
	if (so & SO_WS) {
		o[n++] = OPT_NOP;
		o[n++] = OPT_WS;
		o[n++] = 3;
		o[n++] = 7;
	}
	struct pseg s = {
		.sip = PEER_IP,
		.sport = (uint16_t)(RPORT_BASE + i),
		.dport = PORT_HTTP,
		.seq = sl->iss,
		.flags = TCP_SYN,
		.win = win,
		.opts = o,
		.optlen = n,
	};
	send_seg(&s);
	sl->nxt = sl->iss + 1;
}

static void
expect_state(unsigned int i, enum tcp_state st)
{
	struct tcb *t = slot_tcb(i, PEER_IP, PORT_HTTP, false);
	enum tcp_state got = t != NULL ? tcp_get_state(t) : TCP_CLOSED;

	if (got != st) {
		fprintf(stderr, "fuzz_input set-up: slot %u is %s, not %s\n", i,
			tcp_state_name(got), tcp_state_name(st));
		abort();
	}
}

static const char get_req[] = "GET / HTTP/1.1\r\nHost: fuzz\r\n\r\n";
static const char get_close[] = "GET /x HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n";

static void
build_slots(void)
{
	static const uint32_t iss[NSLOT] = {
		0x10000000, 0xffffff00, 0x30000000, 0x40000000, 0x50000000, 0x60000000,
		0x70000000, 0x80000000, 0x90000000, 0xa0000000, 0xb0000000, 0xc0000000,
	};
	unsigned int i;

	memset(F.slot, 0, sizeof(F.slot));
	for (i = 0; i < NSLOT; i++) {
		F.slot[i].iss = F.slot[i].nxt = iss[i];
		F.slot[i].ts = 100000 * (i + 1);
	}
	/* 0: plain */
	peer_syn(0, 0, 1460, 65535);
	peer(0, TCP_ACK, NULL, 65535, false);
	/* 1: every option, the peer's sequence space about to wrap */
	peer_syn(1, SO_TS | SO_WS | SO_SACK, 1460, 65535);
	peer(1, TCP_ACK, NULL, 512, true);
	/* 2: a request answered, the response not acknowledged */
	peer_syn(2, SO_TS | SO_SACK, 1460, 65535);
	peer(2, TCP_ACK, NULL, 65535, true);
	peer(2, TCP_ACK | TCP_PSH, get_req, 65535, true);
	/* 3: the response held back by a 600-byte window */
	peer_syn(3, 0, 536, 600);
	peer(3, TCP_ACK, NULL, 600, false);
	peer(3, TCP_ACK | TCP_PSH, get_req, 600, false);
	/* 4: the peer closed: CLOSE-WAIT -> our FIN -> LAST-ACK */
	peer_syn(4, SO_SACK, 1460, 65535);
	peer(4, TCP_ACK, NULL, 65535, false);
	peer(4, TCP_ACK | TCP_FIN, NULL, 65535, false);
	/* 5: half a request in order, a later segment out of order */
	peer_syn(5, SO_SACK | SO_WS, 1460, 65535);
	peer(5, TCP_ACK, NULL, 1024, false);
	peer(5, TCP_ACK, "GET / HTTP/1.1\r\nHo", 1024, false);
	F.slot[5].nxt += 4; /* "st: " missing */
	peer(5, TCP_ACK, "fuzz\r\n\r\n", 1024, false);
	F.slot[5].nxt -= 4 + 8;
	/* 6: Connection: close, everything acknowledged: FIN-WAIT-2 */
	peer_syn(6, 0, 1460, 65535);
	peer(6, TCP_ACK, NULL, 65535, false);
	peer(6, TCP_ACK | TCP_PSH, get_close, 65535, false);
	peer(6, TCP_ACK, NULL, 65535, false);
	/* 7: the same, then the peer's FIN: TIME-WAIT */
	peer_syn(7, SO_TS, 1460, 65535);
	peer(7, TCP_ACK, NULL, 65535, true);
	peer(7, TCP_ACK | TCP_PSH, get_close, 65535, true);
	peer(7, TCP_ACK, NULL, 65535, true);
	peer(7, TCP_ACK | TCP_FIN, NULL, 65535, true);
	/* 8: SYN-ACK unanswered */
	peer_syn(8, SO_TS | SO_SACK | SO_WS, 1460, 65535);
	/* 9: the response waiting for a zero window to open */
	peer_syn(9, 0, 1460, 0);
	peer(9, TCP_ACK, NULL, 0, false);
	peer(9, TCP_ACK | TCP_PSH, get_req, 0, false);

	expect_state(0, TCP_ESTABLISHED);
	expect_state(1, TCP_ESTABLISHED);
	expect_state(2, TCP_ESTABLISHED);
	expect_state(3, TCP_ESTABLISHED);
	expect_state(4, TCP_LAST_ACK);
	expect_state(5, TCP_ESTABLISHED);
	expect_state(6, TCP_FIN_WAIT_2);
	expect_state(7, TCP_TIME_WAIT);
	expect_state(8, TCP_SYN_RECEIVED);
	expect_state(9, TCP_ESTABLISHED);
	expect_state(10, TCP_CLOSED);
	FUZZ_ASSERT(slot_tcb(2, PEER_IP, PORT_HTTP, false)->snd_max !=
		    slot_tcb(2, PEER_IP, PORT_HTTP, false)->snd_una);
	FUZZ_ASSERT(slot_tcb(5, PEER_IP, PORT_HTTP, false)->ooo_n == 1);
	FUZZ_ASSERT(slot_tcb(9, PEER_IP, PORT_HTTP, false)->sndq_bytes > 0);
}

/* ---- per-input world ---- */

static void
world_up(void)
{
	char err[128];

	memset(&F.w, 0, sizeof(F.w));
	worker_init(&F.w, 0, F.pool, &F.stop, 2, 10);
	F.wp = worker_add_port(&F.w, F.pa.port_id, 0, 0, WORKER_ROLE_SERVER, &us_mac,
			       rte_be_to_cpu_32(US_IP), 24, 0, 1500, 0, 64);
	FUZZ_ASSERT(F.wp != NULL);
	F.w.now = rte_rdtsc();
	neigh_learn(&F.w, F.wp, PEER_IP, &peer_mac, true);
	rte_srand(1);
	F.c = tcp_attach(&F.w, &F.conf, &F.ops);
	if (F.c == NULL) {
		snprintf(err, sizeof(err), "tcp_attach: %s", strerror(errno));
		fprintf(stderr, "fuzz_input: %s\n", err);
		abort();
	}
	tcp_listen(F.c, PORT_HTTP);
	F.w.now = F.c->tsc_base; /* tick 1, and the clock is ours from here */
	F.adv_ms = 0;
	F.setup = true;
	build_slots();
	F.setup = false;
	check_mbufs(false);
	memcpy(F.base_stats, F.w.stats.c, sizeof(F.base_stats));
}

static void
trace_end(void)
{
	for (unsigned int i = 0; i < NSLOT; i++) {
		struct tcb *t = slot_tcb(i, PEER_IP, PORT_HTTP, false);
		fprintf(stderr, "   slot %u: %s", i,
			tcp_state_name(t != NULL ? tcp_get_state(t) : TCP_CLOSED));
		if (t != NULL)
			fprintf(stderr, " una %u nxt %u max %u rcv_nxt %u sndq %u ooo %u",
				t->snd_una, t->snd_nxt, t->snd_max, t->rcv_nxt, t->sndq_bytes,
				t->ooo_n);
		fprintf(stderr, "\n");
	}
	fprintf(stderr, "   conns %u synrcvd %u; counters since the set-up:", tcp_nb_conns(F.c),
		F.c->nb_synrcvd);
	for (unsigned int id = 0; id < STAT_MAX; id++)
		if (F.w.stats.c[id] != F.base_stats[id])
			fprintf(stderr, " %s=%" PRIu64, stats_name((enum stats_id)id),
				F.w.stats.c[id] - F.base_stats[id]);
	fprintf(stderr, "\n");
}

static void
world_down(void)
{
	/* let every ARP resolution give up: its waiting frames go */
	for (uint32_t r = 0; r <= F.w.arp_retries; r++) {
		F.w.now += F.w.arp_timeout + 1;
		neigh_timer(&F.w, F.wp);
		drain();
	}
	check_mbufs(true);
	tcp_detach(F.c);
	F.c = NULL;
	worker_free(&F.w);
	FUZZ_ASSERT(rte_mempool_in_use_count(F.pool) == 0);
	/* and every byte of DPDK memory the world took is back */
	struct rte_malloc_socket_stats st;
	FUZZ_ASSERT(rte_malloc_get_socket_stats((int)rte_socket_id(), &st) == 0);
	if (F.heap_base == 0)
		F.heap_base = st.heap_allocsz_bytes;
	if (st.heap_allocsz_bytes != F.heap_base) {
		fprintf(stderr,
			"DPDK heap: %zu bytes allocated after the world went down, %zu "
			"before\n",
			st.heap_allocsz_bytes, F.heap_base);
		abort();
	}
}

static void
advance(uint32_t ms)
{
	if (F.adv_ms + ms > MAX_ADV_MS)
		return;
	F.adv_ms += ms;
	F.w.now += (uint64_t)ms * F.c->tsc_per_ms;
	neigh_timer(&F.w, F.wp);
	tcp_timer_advance(&F.w, F.c);
	drain();
	check_mbufs(false);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *eal[] = {(*argv)[0],
		       "--no-huge",
		       "-m",
		       "512",
		       "--no-pci",
		       "--no-shconf",
		       "-l",
		       "0",
		       "--log-level=*:error",
		       "--no-telemetry",
		       NULL};
	char err[PORT_ERR_LEN];
	const char *dev = "net_ring:fz";
	struct http_server_conf hc = {.body_size = BODY_SIZE};

	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "fuzz_input: rte_eal_init: %s\n", rte_strerror(rte_errno));
		abort();
	}
	F.pool = rte_pktmbuf_pool_create("fz_pool", POOL_N, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					 SOCKET_ID_ANY);
	FUZZ_ASSERT(F.pool != NULL);
	int a = port_resolve_q(dev, 1, err, sizeof(err));
	int b = a < 0 ? -1 : port_resolve_q(dev, 1, err, sizeof(err));
	struct port_conf pc = {.dev = dev, .nb_queues = 1};
	struct rte_mempool *pools[1] = {F.pool};
	if (a < 0 || b < 0 || port_setup((uint16_t)a, &pc, pools, &F.pa, err, sizeof(err)) != 0 ||
	    port_setup((uint16_t)b, &pc, pools, &F.pb, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_input: %s\n", err);
		abort();
	}
	F.srv = http_server_create(&hc, err, sizeof(err));
	if (F.srv == NULL) {
		fprintf(stderr, "fuzz_input: http_server_create: %s\n", err);
		abort();
	}
	F.app = http_app_create(&F.w, F.srv, NULL, 1, &F.ops);
	FUZZ_ASSERT(F.app != NULL);
	tcp_conf_defaults(&F.conf);
	F.conf.max_conns = MAX_CONNS;
	F.conf.syncookies = true;
	F.conf.syn_backlog = 4;
	F.conf.time_wait_ms = 100;
	F.no_mtu_check = getenv("FUZZ_INPUT_NO_MTU_CHECK") != NULL;
	/* one world up and down: the set-up itself must hold the invariants */
	world_up();
	world_down();
	return 0;
}

/* ---- the fuzz input ---- */

struct reader {
	const uint8_t *p;
	size_t left;
};

static bool
take(struct reader *r, void *out, size_t n)
{
	if (r->left < n)
		return false;
	memcpy(out, r->p, n);
	r->p += n;
	r->left -= n;
	return true;
}

static uint16_t
le16(const uint8_t *b)
{
	return (uint16_t)(b[0] | b[1] << 8);
}

static bool
op_raw(struct reader *r)
{
	uint8_t h[3];

	if (!take(r, h, sizeof(h)))
		return false;
	uint32_t len = le16(h);
	if (len > r->left)
		len = (uint32_t)r->left;
	if (len > MAX_FRAME)
		len = MAX_FRAME;
	if (len == 0)
		return true;
	if (F.trace)
		fprintf(stderr, "-> raw %u bytes split %u\n", len, h[2]);
	feed(mbuf_of(r->p, len, h[2]));
	r->p += len;
	r->left -= len;
	return true;
}

static bool
op_time(struct reader *r)
{
	uint8_t n;

	if (!take(r, &n, 1))
		return false;
	if (F.trace)
		fprintf(stderr, "-- +%u ms\n", n <= 200 ? n : (uint32_t)(n - 200) * 1000);
	advance(n <= 200 ? n : (uint32_t)(n - 200) * 1000);
	return true;
}

static uint32_t
ack_base(struct tcb *t, const struct seen *sn, unsigned int which)
{
	if (t != NULL) {
		switch (which) {
		case 0:
			return t->snd_nxt;
		case 1:
			return t->snd_una;
		case 2:
			return t->snd_max;
		default:
			break;
		}
	}
	return sn->valid ? sn->end : 0;
}

static bool
op_tcp(struct reader *r, unsigned int i)
{
	uint8_t h[12], opts[40];
	struct slot *sl = &F.slot[i];

	if (!take(r, h, sizeof(h)))
		return false;
	uint8_t flags = h[0], m1 = h[1], m2 = h[2];
	int16_t seq_off = (int16_t)le16(h + 3), ack_off = (int16_t)le16(h + 5);
	uint16_t win = le16(h + 7);
	uint32_t optlen = h[9] > 40 ? 40 : h[9];
	uint32_t dlen = le16(h + 10);
	bool alt = (m2 & 0x80) != 0;
	rte_be32_t sip = (m2 & 0x10) ? OFF_IP : (m2 & 0x08) ? ALT_IP : PEER_IP;
	uint16_t dport = (m2 & 0x01) ? PORT_CLOSED : PORT_HTTP;
	struct tcb *t = slot_tcb(i, sip, dport, alt);
	const struct seen *sn = &sl->seen[alt];

	uint32_t n = 0;
	if (m1 & 0x40) {
		uint32_t tsval = (m2 & 0x20) ? sl->ts - 1000 : ++sl->ts;
		n = put_ts(opts, tsval, sn->tsval);
		if (optlen > 40 - n)
			optlen = 40 - n;
	}
	if (optlen > r->left)
		optlen = (uint32_t)r->left;
	take(r, opts + n, optlen);
	optlen += n;
	if (dlen > r->left)
		dlen = (uint32_t)r->left;
	if (dlen > 1500 - 24 - 60)
		dlen = 1500 - 24 - 60;

	uint32_t seq;
	switch (m1 & 3) {
	case 0:
		seq = t != NULL ? t->rcv_nxt : sl->nxt;
		break;
	case 1:
		seq = sn->valid ? sn->ack : sl->nxt;
		break;
	case 2:
		seq = sl->iss;
		break;
	default:
		seq = 0;
		break;
	}
	uint32_t ack = ack_base(t, sn, (m1 >> 2) & 3);
	seq += (m1 & 0x10) ? (uint32_t)(int32_t)seq_off << 16 : (uint32_t)(int32_t)seq_off;
	ack += (m1 & 0x20) ? (uint32_t)(int32_t)ack_off << 16 : (uint32_t)(int32_t)ack_off;

	struct pseg s = {
		.sip = sip,
		.sport = (uint16_t)(RPORT_BASE + i + (alt ? RPORT_ALT : 0)),
		.dport = dport,
		.seq = seq,
		.ack = ack,
		.flags = flags,
		.win = win,
		.opts = opts,
		.optlen = optlen,
		.data = r->p,
		.dlen = dlen,
		.bad_csum = (m1 & 0x80) != 0,
		.ip_opts = (m2 & 0x02) != 0,
		.pad = (m2 & 0x04) != 0,
		.chain = (m2 & 0x40) != 0,
	};
	if (F.trace)
		fprintf(stderr, "-> %u%s flags %02x seq %u ack %u win %u opts %u len %u%s (%s)\n",
			i, alt ? "+" : "", flags, seq, ack, win, optlen, dlen,
			s.bad_csum ? " bad-csum" : "",
			tcp_state_name(t != NULL ? tcp_get_state(t) : TCP_CLOSED));
	send_seg(&s);
	r->p += dlen;
	r->left -= dlen;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = {.p = data, .left = size};
	uint8_t op;
	bool more = true;

	world_up();
	F.trace = getenv("FUZZ_INPUT_TRACE") != NULL;
	while (more && take(&r, &op, 1)) {
		switch (op & 3) {
		case 0:
			more = op_raw(&r);
			break;
		case 1:
			more = op_time(&r);
			break;
		default:
			more = op_tcp(&r, (op >> 2) % NSLOT);
			break;
		}
	}
	if (F.trace)
		trace_end();
	world_down();
	return 0;
}
