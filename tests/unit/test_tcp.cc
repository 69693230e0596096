// SPDX-License-Identifier: BSD-3-Clause
// lib/tcp against RFC 9293 (state machine, RST rules), RFC 7323 (window
// scaling, timestamps, PAWS), RFC 2018 (SACK), RFC 5961 (challenge ACKs),
// RFC 6298 (RTO, Karn), RFC 5681/6582/6928 (slow start, NewReno, initial
// window) and RFC 4987 (SYN cookies). The test is the peer: it crafts
// Ethernet+IPv4+TCP frames into worker_input() of a real worker on a
// net_ring port, and reads what synack sent from the other end of the ring,
// asserting exact flags, seq/ack, window and options. Time is driven by
// setting w->now and calling tcp_timer_advance(). Every test ends with every
// mbuf back in its pool. EAL runs with --no-huge.
#include <gtest/gtest.h>

#include <string.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "drivers/port.h"
#include "lib/stack/stack.h"
#include "lib/http/http.h"
#include "lib/tcp/tcp.h"
#include "lib/tcp/tcp_priv.h"

static_assert(sizeof(struct tcb) <= 192, "a TCB must stay <= 192 bytes (DESIGN.md)");

namespace {

class EalEnv : public ::testing::Environment {
public:
	void SetUp() override
	{
		const char *args[] = {
			"test_tcp",    "--no-huge",	 "-m", "512", "--no-pci",
			"--no-shconf", "--no-telemetry", "-l", "0",   "--log-level=*:error"};
		int n = sizeof(args) / sizeof(args[0]);
		ASSERT_GE(rte_eal_init(n, const_cast<char **>(args)), 0);
	}
};

const ::testing::Environment *const eal_env = ::testing::AddGlobalTestEnvironment(new EalEnv);

volatile bool never_stop = false;

const uint32_t OUR_IP = 0xc6120001; // 198.18.0.1
// The local address the peer's segments go to and ours must come from;
// OUR_IP unless a test gives the port several addresses (wp->ip_n).
uint32_t our_ip_now = OUR_IP;
const uint32_t PEER_IP = 0xc6120002; // 198.18.0.2
const struct rte_ether_addr PEER_MAC = {{0x02, 0, 0, 0, 0, 0x99}};
const unsigned int POOL_N = 2047;

const char *
state_name(int s)
{
	return tcp_state_name((enum tcp_state)s);
}

// ---- options as bytes (how a peer would write them) ----

typedef std::vector<uint8_t> Bytes;

Bytes
O_MSS(uint16_t v)
{
	return {2, 4, (uint8_t)(v >> 8), (uint8_t)v};
}
Bytes
O_WS(uint8_t s)
{
	return {1, 3, 3, s};
}
Bytes
O_SACKOK()
{
	return {1, 1, 4, 2};
}
Bytes
O_TS(uint32_t val, uint32_t ecr)
{
	return {1,
		1,
		8,
		10,
		(uint8_t)(val >> 24),
		(uint8_t)(val >> 16),
		(uint8_t)(val >> 8),
		(uint8_t)val,
		(uint8_t)(ecr >> 24),
		(uint8_t)(ecr >> 16),
		(uint8_t)(ecr >> 8),
		(uint8_t)ecr};
}
Bytes
cat(std::initializer_list<Bytes> l)
{
	Bytes r;
	for (const Bytes &b : l)
		r.insert(r.end(), b.begin(), b.end());
	return r;
}

/** A segment the peer sends. */
struct Seg {
	uint8_t flags = TCP_ACK;
	uint32_t seq = 0, ack = 0;
	uint16_t win = 65535;
	Bytes opts;
	std::string data;
	uint16_t sport = 0, dport = 0; // host order
	bool bad_csum = false;
};

/** A segment synack sent, parsed independently of lib/tcp. */
struct Out {
	uint8_t flags = 0;
	uint32_t seq = 0, ack = 0;
	uint16_t win = 0, sport = 0, dport = 0;
	std::string data;
	bool has_mss = false, has_ws = false, sackok = false, has_ts = false;
	uint16_t mss = 0;
	uint8_t ws = 0;
	uint32_t tsval = 0, tsecr = 0;
	std::vector<std::pair<uint32_t, uint32_t>> sack;
	bool opts_ok = true, csum_ok = false, addr_ok = false;
	uint16_t nb_segs = 1; // 2: headers, then the payload attached (zero-copy)
};

std::string
flag_str(uint8_t f)
{
	std::string s;
	const char *n[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};
	for (int i = 0; i < 6; i++)
		if (f & (1 << i))
			s += (s.empty() ? "" : "|") + std::string(n[i]);
	return s.empty() ? "none" : s;
}

std::ostream &
operator<<(std::ostream &os, const Out &o)
{
	return os << "[" << flag_str(o.flags) << " seq=" << o.seq << " ack=" << o.ack
		  << " win=" << o.win << " len=" << o.data.size() << "]";
}

/** What the application callbacks saw. */
struct Rec {
	int accepted = 0, connected = 0, peer_closed = 0, closed = 0;
	int why = -1;
	struct tcb *last = nullptr;
	std::string data;
	uint64_t sent = 0;
	bool close_on_accept = false;
	std::vector<std::pair<const void *, uint32_t>> released; // chunks, in order
};

void
cb_accepted(struct tcp_ctx *, struct tcb *t, void *arg)
{
	Rec *r = static_cast<Rec *>(arg);
	r->accepted++;
	r->last = t;
}
void
cb_connected(struct tcp_ctx *, struct tcb *t, void *arg)
{
	Rec *r = static_cast<Rec *>(arg);
	r->connected++;
	r->last = t;
}
void
cb_recv(struct tcp_ctx *, struct tcb *, const uint8_t *d, uint32_t len, void *arg)
{
	static_cast<Rec *>(arg)->data.append(reinterpret_cast<const char *>(d), len);
}
void
cb_sent(struct tcp_ctx *, struct tcb *, uint32_t acked, void *arg)
{
	static_cast<Rec *>(arg)->sent += acked;
}
void
cb_released(struct tcp_ctx *, struct tcb *, const void *base, uint32_t len, void *arg)
{
	static_cast<Rec *>(arg)->released.emplace_back(base, len);
}
void
cb_peer_closed(struct tcp_ctx *, struct tcb *, void *arg)
{
	static_cast<Rec *>(arg)->peer_closed++;
}
void
cb_closed(struct tcp_ctx *, struct tcb *, enum tcp_close_reason why, void *arg)
{
	Rec *r = static_cast<Rec *>(arg);
	r->closed++;
	r->why = why;
}

class Tcp : public ::testing::Test {
protected:
	struct rte_mempool *pool = nullptr;
	struct port pa = {}, pb = {};
	struct worker *w = nullptr;
	struct worker_port *wp = nullptr;
	struct tcp_ctx *c = nullptr;
	struct tcp_conf conf;
	Rec rec;

	// the connection under test (host order ports)
	uint16_t lport = 80, rport = 40000;
	uint32_t iss = 0;      // our ISS
	uint32_t pnxt = 0;     // peer's next sequence number (our RCV.NXT)
	uint32_t onxt = 0;     // our next sequence number (SND.NXT as the peer sees it)
	uint32_t una = 0;      // highest ACK the peer sent
	uint16_t pwin = 65535; // window field the peer sends
	bool peer_ts = false;
	uint32_t peer_tsval = 5000;
	uint32_t our_tsval = 0; // last TSval seen from synack

	void SetUp() override
	{
		static unsigned int seq;
		char link[16], pname[32], dev[64], err[PORT_ERR_LEN];
		unsigned int id = seq++;

		our_ip_now = OUR_IP;
		snprintf(link, sizeof(link), "tcp%u", id);
		snprintf(pname, sizeof(pname), "mp_tcp%u", id);
		snprintf(dev, sizeof(dev), "net_ring:%s", link);
		pool = rte_pktmbuf_pool_create(pname, POOL_N, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					       SOCKET_ID_ANY);
		ASSERT_NE(pool, nullptr) << rte_strerror(rte_errno);
		int a = port_resolve_q(dev, 1, err, sizeof(err));
		ASSERT_GE(a, 0) << err;
		int b = port_resolve_q(dev, 1, err, sizeof(err));
		ASSERT_GE(b, 0) << err;
		struct port_conf pc = {};
		pc.dev = dev;
		pc.nb_queues = 1;
		struct rte_mempool *pools[1] = {pool};
		ASSERT_EQ(port_setup(a, &pc, pools, &pa, err, sizeof(err)), 0) << err;
		ASSERT_EQ(port_setup(b, &pc, pools, &pb, err, sizeof(err)), 0) << err;
		w = static_cast<struct worker *>(
			rte_zmalloc("w", sizeof(struct worker), RTE_CACHE_LINE_SIZE));
		ASSERT_NE(w, nullptr);
		worker_init(w, 100 + id, pool, &never_stop, 3, 20);
		// offloads 0: checksums in software, so the frames on the ring are final
		wp = worker_add_port(w, a, 0, 0, WORKER_ROLE_SERVER, &pa.mac, OUR_IP, 24, 0, 1500,
				     0, 64);
		ASSERT_NE(wp, nullptr);
		rte_be32_t pip = rte_cpu_to_be_32(PEER_IP);
		neigh_learn(w, wp, pip, &PEER_MAC, true);
		tcp_conf_defaults(&conf);
		conf.max_conns = 256;
		conf.time_wait_ms = 100;
	}

	void TearDown() override
	{
		if (w == nullptr)
			return;
		if (c != nullptr)
			tcp_detach(c);
		c = nullptr;
		drain();
		worker_free(w);
		EXPECT_EQ(rte_mempool_avail_count(pool), POOL_N) << "an mbuf leaked";
		rte_free(w);
		port_close(&pa);
		port_close(&pb);
		rte_mempool_free(pool);
	}

	void attach()
	{
		struct tcp_app app = {};
		app.accepted = cb_accepted;
		app.connected = cb_connected;
		app.recv = cb_recv;
		app.sent = cb_sent;
		app.released = cb_released;
		app.peer_closed = cb_peer_closed;
		app.closed = cb_closed;
		app.arg = &rec;
		c = tcp_attach(w, &conf, &app);
		ASSERT_NE(c, nullptr);
	}

	uint64_t st(enum stats_id id) const { return w->stats.c[id]; }

	// ---- time ----

	/** Jump the TCP clock ms milliseconds ahead and run the timers. */
	void advance(uint32_t ms)
	{
		w->now = c->tsc_base + (uint64_t)(c->tick - 1 + ms) * c->tsc_per_ms;
		tcp_timer_advance(w, c);
	}

	// ---- the wire ----

	struct rte_mbuf *build(const Seg &s)
	{
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		EXPECT_NE(m, nullptr);
		Bytes opts = s.opts;
		while (opts.size() % 4)
			opts.push_back(0); // EOL padding
		uint32_t tcplen = 20 + (uint32_t)opts.size() + (uint32_t)s.data.size();
		uint32_t len = 14 + 20 + tcplen;
		uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
		memset(d, 0, len < 60 ? 60 : len);
		struct rte_ether_hdr *eh = (struct rte_ether_hdr *)d;
		eh->dst_addr = wp->mac;
		eh->src_addr = PEER_MAC;
		eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + tcplen));
		ip->packet_id = rte_cpu_to_be_16(7);
		ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_TCP;
		ip->src_addr = rte_cpu_to_be_32(PEER_IP);
		ip->dst_addr = rte_cpu_to_be_32(our_ip_now);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);
		th->src_port = rte_cpu_to_be_16(s.sport ? s.sport : rport);
		th->dst_port = rte_cpu_to_be_16(s.dport ? s.dport : lport);
		th->sent_seq = rte_cpu_to_be_32(s.seq);
		th->recv_ack = rte_cpu_to_be_32(s.ack);
		th->data_off = (uint8_t)(((20 + opts.size()) / 4) << 4);
		th->tcp_flags = s.flags;
		th->rx_win = rte_cpu_to_be_16(s.win);
		if (!opts.empty())
			memcpy(th + 1, opts.data(), opts.size());
		if (!s.data.empty())
			memcpy((uint8_t *)(th + 1) + opts.size(), s.data.data(), s.data.size());
		th->cksum = rte_ipv4_udptcp_cksum(ip, th);
		if (s.bad_csum)
			th->cksum ^= 0x0101;
		m->data_len = m->pkt_len = len < 60 ? 60 : len;
		return m;
	}

	void inject(const Seg &s) { worker_input(w, wp, build(s)); }

	/** s as a two-segment frame: the first split bytes, the rest chained. */
	struct rte_mbuf *build_chain(const Seg &s, uint32_t split)
	{
		struct rte_mbuf *m = build(s), *t = rte_pktmbuf_alloc(pool);
		EXPECT_NE(t, nullptr);
		uint32_t rest = m->data_len - split;
		memcpy(rte_pktmbuf_mtod(t, uint8_t *), rte_pktmbuf_mtod_offset(m, uint8_t *, split),
		       rest);
		t->data_len = (uint16_t)rest;
		t->pkt_len = rest;
		m->data_len = (uint16_t)split;
		m->pkt_len = split;
		EXPECT_EQ(rte_pktmbuf_chain(m, t), 0);
		return m;
	}

	/** A segment of the peer at its current sequence state. */
	Seg seg(uint8_t flags, const std::string &data = "")
	{
		Seg s;
		s.flags = flags;
		s.seq = pnxt;
		s.ack = (flags & TCP_ACK) ? una : 0;
		s.win = pwin;
		s.data = data;
		if (peer_ts)
			s.opts = O_TS(peer_tsval, our_tsval);
		return s;
	}

	static Out parse(struct rte_mbuf *m)
	{
		Out o;
		uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
		struct rte_ether_hdr *eh = (struct rte_ether_hdr *)d;
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
		struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);
		o.addr_ok = rte_is_same_ether_addr(&eh->dst_addr, &PEER_MAC) &&
			    ip->src_addr == rte_cpu_to_be_32(our_ip_now) &&
			    ip->dst_addr == rte_cpu_to_be_32(PEER_IP) &&
			    ip->next_proto_id == IPPROTO_TCP;
		o.nb_segs = m->nb_segs;
		o.csum_ok = rte_ipv4_cksum(ip) == 0 &&
			    (m->nb_segs > 1 ? rte_ipv4_udptcp_cksum_mbuf_verify(m, ip, 34)
					    : rte_ipv4_udptcp_cksum_verify(ip, th)) == 0;
		o.flags = th->tcp_flags;
		o.seq = rte_be_to_cpu_32(th->sent_seq);
		o.ack = rte_be_to_cpu_32(th->recv_ack);
		o.win = rte_be_to_cpu_16(th->rx_win);
		o.sport = rte_be_to_cpu_16(th->src_port);
		o.dport = rte_be_to_cpu_16(th->dst_port);
		uint32_t hlen = (th->data_off >> 4) * 4u;
		uint32_t tcplen = rte_be_to_cpu_16(ip->total_length) - 20u;
		std::string buf(tcplen - hlen, '\0');
		const void *pay = rte_pktmbuf_read(m, 34 + hlen, tcplen - hlen, &buf[0]);
		if (pay != nullptr)
			o.data.assign((const char *)pay, tcplen - hlen);
		const uint8_t *p = (const uint8_t *)(th + 1);
		uint32_t n = hlen - 20;
		while (n > 0) {
			if (p[0] == 0)
				break;
			if (p[0] == 1) {
				p++, n--;
				continue;
			}
			if (n < 2 || p[1] < 2 || p[1] > n) {
				o.opts_ok = false;
				break;
			}
			switch (p[0]) {
			case 2:
				o.has_mss = p[1] == 4;
				o.mss = (uint16_t)(p[2] << 8 | p[3]);
				break;
			case 3:
				o.has_ws = p[1] == 3;
				o.ws = p[2];
				break;
			case 4:
				o.sackok = p[1] == 2;
				break;
			case 5:
				for (uint32_t i = 2; i + 8 <= p[1]; i += 8) {
					uint32_t l, r;
					memcpy(&l, p + i, 4);
					memcpy(&r, p + i + 4, 4);
					o.sack.emplace_back(rte_be_to_cpu_32(l),
							    rte_be_to_cpu_32(r));
				}
				break;
			case 8:
				o.has_ts = p[1] == 10;
				uint32_t v, e;
				memcpy(&v, p + 2, 4);
				memcpy(&e, p + 6, 4);
				o.tsval = rte_be_to_cpu_32(v);
				o.tsecr = rte_be_to_cpu_32(e);
				break;
			default:
				o.opts_ok = false;
			}
			n -= p[1];
			p += p[1];
		}
		return o;
	}

	/** Flush the worker's TX batch and return every segment synack sent. */
	std::vector<Out> take()
	{
		std::vector<Out> v;
		struct rte_mbuf *m[64];
		worker_flush(w, wp);
		for (;;) {
			uint16_t n = rte_eth_rx_burst(pb.port_id, 0, m, 64);
			if (n == 0)
				break;
			for (uint16_t i = 0; i < n; i++) {
				Out o = parse(m[i]);
				EXPECT_TRUE(o.csum_ok) << o;
				EXPECT_TRUE(o.addr_ok) << o;
				EXPECT_TRUE(o.opts_ok) << o;
				if (o.has_ts)
					our_tsval = o.tsval;
				v.push_back(o);
				rte_pktmbuf_free(m[i]);
			}
		}
		return v;
	}

	void drain()
	{
		struct rte_mbuf *m[64];
		worker_flush(w, wp);
		uint16_t n;
		while ((n = rte_eth_rx_burst(pb.port_id, 0, m, 64)) > 0)
			rte_pktmbuf_free_bulk(m, n);
	}

	/** Exactly one segment was sent: return it. */
	Out one()
	{
		std::vector<Out> v = take();
		EXPECT_EQ(v.size(), 1u);
		if (v.size() != 1) {
			for (const Out &o : v)
				ADD_FAILURE() << "sent " << o;
			return Out();
		}
		return v[0];
	}

	void expect_ack(const Out &o, uint32_t seq, uint32_t ack)
	{
		EXPECT_EQ(o.flags, TCP_ACK) << o;
		EXPECT_EQ(o.seq, seq) << o;
		EXPECT_EQ(o.ack, ack) << o;
		EXPECT_TRUE(o.data.empty()) << o;
	}

	struct tcp_key key() const
	{
		struct tcp_key k;
		k.rip = rte_cpu_to_be_32(PEER_IP);
		k.lip = rte_cpu_to_be_32(OUR_IP);
		k.rport = rte_cpu_to_be_16(rport);
		k.lport = rte_cpu_to_be_16(lport);
		return k;
	}

	/** The TCB of the connection under test, or NULL when gone. */
	struct tcb *tcb()
	{
		struct tcp_key k = key();
		return tcp_lookup(c, &k);
	}

	int state()
	{
		struct tcb *t = tcb();
		return t == nullptr ? (int)TCP_CLOSED : (int)t->state;
	}

	// ---- putting a connection into a state, through the real segments ----

	/** Peer's SYN to a listening port; synack's SYN-ACK is checked and returned. */
	Out syn_in(const Bytes &opts, uint32_t pisn = 1000)
	{
		tcp_listen(c, lport);
		Seg s;
		s.flags = TCP_SYN;
		s.seq = pisn;
		s.opts = opts;
		s.win = pwin;
		for (size_t i = 0; i + 9 < opts.size(); i++)
			if (opts[i] == 8 && opts[i + 1] == 10) {
				peer_ts = true;
				peer_tsval = (uint32_t)opts[i + 2] << 24 |
					     (uint32_t)opts[i + 3] << 16 |
					     (uint32_t)opts[i + 4] << 8 | opts[i + 5];
			}
		inject(s);
		Out o = one();
		EXPECT_EQ(o.flags, TCP_SYN | TCP_ACK) << o;
		EXPECT_EQ(o.ack, pisn + 1) << o;
		iss = o.seq;
		pnxt = pisn + 1;
		onxt = iss + 1;
		una = iss; // nothing acked yet
		EXPECT_EQ(state(), TCP_SYN_RECEIVED);
		return o;
	}

	/** Passive open to ESTABLISHED (SYN, SYN-ACK, ACK). */
	void open_passive(const Bytes &opts = O_MSS(1460), uint32_t pisn = 1000)
	{
		int acc = rec.accepted;
		syn_in(opts, pisn);
		una = onxt;
		inject(seg(TCP_ACK));
		ASSERT_EQ(state(), TCP_ESTABLISHED);
		ASSERT_EQ(rec.accepted, acc + 1);
		ASSERT_EQ(rec.last, tcb());
		ASSERT_TRUE(take().empty());
	}

	/** Active open to ESTABLISHED: SYN out, SYN-ACK in, ACK out. */
	void open_active(const Bytes &synack_opts = O_MSS(1460), uint32_t pisn = 7000)
	{
		struct tcb *t = nullptr;
		ASSERT_EQ(tcp_connect(c, wp, wp->ip, rte_cpu_to_be_16(lport),
				      rte_cpu_to_be_32(PEER_IP), rte_cpu_to_be_16(rport), &t),
			  0);
		Out syn = one();
		ASSERT_EQ(syn.flags, TCP_SYN) << syn;
		iss = syn.seq;
		onxt = iss + 1;
		ASSERT_EQ(state(), TCP_SYN_SENT);
		for (size_t i = 0; i + 3 < synack_opts.size(); i++)
			if (synack_opts[i] == 8 && synack_opts[i + 1] == 10)
				peer_ts = true;
		Seg s;
		s.flags = TCP_SYN | TCP_ACK;
		s.seq = pisn;
		s.ack = onxt;
		s.win = pwin;
		s.opts = synack_opts;
		inject(s);
		pnxt = pisn + 1;
		una = onxt;
		Out a = one();
		expect_ack(a, onxt, pnxt);
		ASSERT_EQ(state(), TCP_ESTABLISHED);
		ASSERT_EQ(rec.connected, 1);
	}

	/** ESTABLISHED -> FIN-WAIT-1: the app closes, our FIN goes out. */
	void to_fin_wait_1()
	{
		tcp_close(c, tcb());
		Out f = one();
		EXPECT_EQ(f.flags, TCP_FIN | TCP_ACK) << f;
		EXPECT_EQ(f.seq, onxt);
		EXPECT_EQ(f.ack, pnxt);
		onxt++;
		ASSERT_EQ(state(), TCP_FIN_WAIT_1);
	}

	void to_fin_wait_2()
	{
		to_fin_wait_1();
		una = onxt;
		inject(seg(TCP_ACK));
		ASSERT_TRUE(take().empty());
		ASSERT_EQ(state(), TCP_FIN_WAIT_2);
	}

	void to_closing()
	{
		to_fin_wait_1();
		inject(seg(TCP_FIN | TCP_ACK)); // does not ack our FIN: crossed
		pnxt++;
		expect_ack(one(), onxt, pnxt);
		ASSERT_EQ(state(), TCP_CLOSING);
	}

	void to_time_wait()
	{
		to_fin_wait_2();
		inject(seg(TCP_FIN | TCP_ACK));
		pnxt++;
		expect_ack(one(), onxt, pnxt);
		ASSERT_EQ(state(), TCP_TIME_WAIT);
	}

	void to_close_wait()
	{
		int pc = rec.peer_closed;
		inject(seg(TCP_FIN | TCP_ACK));
		pnxt++;
		expect_ack(one(), onxt, pnxt);
		ASSERT_EQ(state(), TCP_CLOSE_WAIT);
		ASSERT_EQ(rec.peer_closed, pc + 1);
	}

	void to_last_ack()
	{
		to_close_wait();
		tcp_close(c, tcb());
		Out f = one();
		EXPECT_EQ(f.flags, TCP_FIN | TCP_ACK) << f;
		EXPECT_EQ(f.seq, onxt);
		onxt++;
		ASSERT_EQ(state(), TCP_LAST_ACK);
	}

	/** Rebase our send sequence space to base (no data sent yet). */
	void rebase_our_seq(uint32_t base)
	{
		// We cannot choose the ISN (tcp_isn); right after the handshake
		// nothing but the SYN has been sent, so moving ISS and every send
		// variable together is equivalent to having picked base - 1.
		struct tcb *t = tcb();
		ASSERT_EQ(t->snd_una, t->snd_max);
		t->snd_una = t->snd_nxt = t->snd_max = base;
		t->snd_wl2 = base;
		t->recover = base - 1;
		iss = base - 1;
		onxt = una = base;
	}
};

// ============================================================ basics

TEST_F(Tcp, TcbIsAtMost192Bytes)
{
	attach();
	EXPECT_LE(sizeof(struct tcb), 192u);
	EXPECT_GE(tcp_bytes_per_conn(c), sizeof(struct tcb));
}

// ============================================================ the table seen from outside

// tcp_snapshot: filters, the resumable walk (budget), skip/max paging;
// tcp_listeners: the listening ports.
TEST_F(Tcp, SnapshotFiltersPagesAndResumes)
{
	attach();
	open_passive(); // 198.18.0.1:80 <- 198.18.0.2:40000 ESTABLISHED
	rport = 40001;
	syn_in(O_MSS(1460)); // SYN-RECEIVED
	for (uint16_t i = 0; i < 5; i++) {
		struct tcb *t = nullptr;
		ASSERT_EQ(tcp_connect(c, wp, wp->ip, rte_cpu_to_be_16(50000 + i),
				      rte_cpu_to_be_32(PEER_IP), rte_cpu_to_be_16(8080), &t),
			  0);
	}
	take();
	ASSERT_EQ(tcp_nb_conns(c), 7u);

	struct tcp_snap_entry buf[16];
	auto walk = [&](int state, uint16_t port, uint32_t addr, uint32_t skip, uint32_t max,
			uint32_t budget, unsigned *calls) {
		struct tcp_snap s = {};
		s.f.state = state;
		s.f.port = port;
		s.f.addr = addr ? rte_cpu_to_be_32(addr) : 0;
		s.skip = skip;
		s.max = max;
		s.buf = buf;
		*calls = 1;
		while (!tcp_snapshot(c, &s, budget))
			(*calls)++;
		return s;
	};
	unsigned calls;
	struct tcp_snap s = walk(-1, 0, 0, 0, 16, 1u << 20, &calls);
	EXPECT_EQ(calls, 1u);
	EXPECT_EQ(s.matched, 7u);
	EXPECT_EQ(s.n, 7u);
	EXPECT_EQ(s.by_state[TCP_ESTABLISHED], 1u);
	EXPECT_EQ(s.by_state[TCP_SYN_RECEIVED], 1u);
	EXPECT_EQ(s.by_state[TCP_SYN_SENT], 5u);
	// a budget of 10 slots a call: the same result over several calls
	struct tcp_snap r = walk(-1, 0, 0, 0, 16, 10, &calls);
	EXPECT_EQ(calls, (conf.max_conns + 9) / 10) << "one call per 10 slots";
	EXPECT_EQ(r.matched, 7u);
	EXPECT_EQ(r.n, 7u);
	// state, port (local or remote), address (local or remote)
	s = walk(TCP_ESTABLISHED, 0, 0, 0, 16, 1u << 20, &calls);
	ASSERT_EQ(s.n, 1u);
	EXPECT_EQ(rte_be_to_cpu_16(s.buf[0].lport), 80);
	EXPECT_EQ(rte_be_to_cpu_16(s.buf[0].rport), 40000);
	EXPECT_EQ(s.buf[0].rip, rte_cpu_to_be_32(PEER_IP));
	EXPECT_EQ(s.buf[0].info.state, TCP_ESTABLISHED);
	EXPECT_EQ(s.buf[0].info.mss, tcb()->mss);
	EXPECT_EQ(walk(-1, 80, 0, 0, 16, 1u << 20, &calls).matched, 2u);
	EXPECT_EQ(walk(-1, 8080, 0, 0, 16, 1u << 20, &calls).matched, 5u);
	EXPECT_EQ(walk(-1, 50003, 0, 0, 16, 1u << 20, &calls).matched, 1u);
	EXPECT_EQ(walk(-1, 0, PEER_IP, 0, 16, 1u << 20, &calls).matched, 7u);
	EXPECT_EQ(walk(-1, 0, OUR_IP, 0, 16, 1u << 20, &calls).matched, 7u);
	EXPECT_EQ(walk(-1, 0, 0xc6120009, 0, 16, 1u << 20, &calls).matched, 0u);
	EXPECT_EQ(walk(TCP_SYN_SENT, 80, 0, 0, 16, 1u << 20, &calls).matched, 0u);
	// paging: skip 2, at most 3; every match still counted
	s = walk(TCP_SYN_SENT, 0, 0, 2, 3, 1u << 20, &calls);
	EXPECT_EQ(s.matched, 5u);
	ASSERT_EQ(s.n, 3u);
	std::vector<rte_be16_t> paged;
	for (unsigned i = 0; i < 3; i++)
		paged.push_back(s.buf[i].lport);
	struct tcp_snap all = walk(TCP_SYN_SENT, 0, 0, 0, 16, 1u << 20, &calls); // reuses buf
	for (unsigned i = 0; i < 3; i++)
		EXPECT_EQ(paged[i], all.buf[i + 2].lport) << i;

	uint16_t ports[4];
	tcp_listen(c, 8443);
	EXPECT_EQ(tcp_listeners(c, ports, 4), 2u);
	EXPECT_EQ(ports[0], 80);
	EXPECT_EQ(ports[1], 8443);
	EXPECT_EQ(tcp_listeners(c, ports, 1), 2u) << "the count, even past max";
}

// Issue #11: a Linux peer holds the 4-tuple of a connection it closed in
// TIME-WAIT and takes a new SYN on it only with a newer timestamp (PAWS):
// a new synack process must not start its TSvals or ISNs below the last
// one's. Each context here is a new "process" (its own attach, later in
// real time); the same 4-tuple's ISS and TSval must rise every time.
TEST_F(Tcp, IssAndTsvalRiseAcrossContextsCreatedAtDifferentTimes)
{
	uint32_t prev_iss = 0, prev_ts = 0;
	for (int round = 0; round < 5; round++) {
		SCOPED_TRACE("context " + std::to_string(round));
		attach();
		Out sa = syn_in(cat({O_MSS(1460), O_TS(100, 0)}));
		ASSERT_TRUE(sa.has_ts) << sa;
		if (round > 0) {
			EXPECT_TRUE(SEQ_GT(sa.seq, prev_iss))
				<< "ISS " << sa.seq << " after " << prev_iss;
			EXPECT_TRUE(SEQ_GT(sa.tsval, prev_ts))
				<< "TSval " << sa.tsval << " after " << prev_ts;
		}
		prev_iss = sa.seq;
		prev_ts = sa.tsval;
		tcp_abort(c, tcb());
		drain();
		tcp_detach(c);
		c = nullptr;
		rte_delay_ms(3); // the next process starts later
	}
}

// The ISN is M + F(4-tuple, key) (RFC 6528 3): two tuples opened at once
// differ by their hash, the same tuple a moment later by the clock only.
TEST_F(Tcp, IsnOfOneTupleFollowsTheFourMicrosecondClock)
{
	attach();
	struct tcp_key k = key();
	uint32_t a = tcp_isn(c, &k);
	rte_delay_us_block(400);
	uint32_t b = tcp_isn(c, &k);
	// 400 us = 100 ticks of 4 us (a little more for the calls themselves)
	EXPECT_GE(b - a, 100u);
	EXPECT_LT(b - a, 100u + 2500u);
	k.rport = rte_cpu_to_be_16(rport + 1);
	uint32_t d = tcp_isn(c, &k);
	EXPECT_GT(d - b > b - d ? b - d : d - b, 2600u) << "another tuple, another offset";
}

// ============================================================ no connection (RFC 9293 3.10.7.1)

TEST_F(Tcp, SynToClosedPortGetsRstAck)
{
	attach();
	Seg s;
	s.flags = TCP_SYN;
	s.seq = 0x12345678;
	s.opts = O_MSS(1460);
	inject(s);
	Out o = one();
	// ACK off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
	EXPECT_EQ(o.flags, TCP_RST | TCP_ACK);
	EXPECT_EQ(o.seq, 0u);
	EXPECT_EQ(o.ack, 0x12345679u);
	EXPECT_EQ(o.sport, lport);
	EXPECT_EQ(o.dport, rport);
	EXPECT_EQ(st(STAT_drop_tcp_no_conn), 1u);
	EXPECT_EQ(st(STAT_tcp_rst_tx), 1u);
	EXPECT_EQ(tcp_nb_conns(c), 0u);
}

TEST_F(Tcp, AckToClosedPortGetsRstAtSegAck)
{
	attach();
	Seg s;
	s.flags = TCP_ACK;
	s.seq = 100;
	s.ack = 0xdeadbeef;
	inject(s);
	Out o = one();
	// ACK on: <SEQ=SEG.ACK><CTL=RST>
	EXPECT_EQ(o.flags, TCP_RST);
	EXPECT_EQ(o.seq, 0xdeadbeefu);
	EXPECT_EQ(o.ack, 0u);
}

TEST_F(Tcp, DataWithoutAckToClosedPortRstAckCoversSegLen)
{
	attach();
	Seg s;
	s.flags = TCP_PSH | TCP_FIN;
	s.seq = 0xfffffff0; // SEG.SEQ + SEG.LEN wraps
	s.data = std::string(20, 'x');
	inject(s);
	Out o = one();
	EXPECT_EQ(o.flags, TCP_RST | TCP_ACK);
	EXPECT_EQ(o.seq, 0u);
	EXPECT_EQ(o.ack, 0xfffffff0u + 21u); // 20 bytes + FIN
}

TEST_F(Tcp, SynAckToClosedPortGetsRstAtSegAck)
{
	attach();
	Seg s;
	s.flags = TCP_SYN | TCP_ACK;
	s.seq = 5;
	s.ack = 77;
	inject(s);
	Out o = one();
	EXPECT_EQ(o.flags, TCP_RST);
	EXPECT_EQ(o.seq, 77u);
}

TEST_F(Tcp, RstToNoConnectionGetsNothing)
{
	attach();
	tcp_listen(c, lport);
	for (uint16_t port : {lport, (uint16_t)81}) {
		Seg s;
		s.flags = TCP_RST;
		s.seq = 1;
		s.dport = port;
		inject(s);
		s.flags = TCP_RST | TCP_ACK;
		s.ack = 9;
		inject(s);
	}
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(st(STAT_tcp_rst_tx), 0u);
	EXPECT_EQ(st(STAT_drop_tcp_no_conn), 4u);
}

TEST_F(Tcp, SynAckInListenGetsRstAtSegAck)
{
	attach();
	tcp_listen(c, lport);
	Seg s;
	s.flags = TCP_SYN | TCP_ACK;
	s.seq = 5;
	s.ack = 1234;
	inject(s);
	Out o = one();
	EXPECT_EQ(o.flags, TCP_RST);
	EXPECT_EQ(o.seq, 1234u);
	EXPECT_EQ(tcp_nb_conns(c), 0u);
}

TEST_F(Tcp, NoAckNoSynSegmentInListenIsDroppedSilently)
{
	// RFC 9293 3.10.7.2, LISTEN, fourth: any other control or text-bearing
	// segment (no SYN, no ACK, no RST): drop the segment and return.
	attach();
	tcp_listen(c, lport);
	Seg s;
	s.flags = TCP_FIN | TCP_PSH;
	s.seq = 5;
	s.data = "hello";
	inject(s);
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(tcp_nb_conns(c), 0u);
}

TEST_F(Tcp, SynToListeningPortOpensSynReceived)
{
	attach();
	Out o = syn_in(O_MSS(1460));
	EXPECT_EQ(o.seq, iss);
	EXPECT_EQ(tcp_nb_conns(c), 1u);
	EXPECT_EQ(st(STAT_tcp_syn_rx), 1u);
	EXPECT_EQ(st(STAT_tcp_synack_tx), 1u);
	EXPECT_EQ(rec.accepted, 0);
}

// ============================================================ the state table

enum Kind { K_SYN, K_SYNACK, K_ACK, K_DATA, K_FIN, K_RST, K_OOW, K_BADACK };
const char *const kind_names[] = {"SYN", "SYN-ACK", "ACK",	     "data",
				  "FIN", "RST",	    "out-of-window", "bad ACK"};

enum Expect {
	E_NONE,	      /**< nothing sent */
	E_ACK,	      /**< <SEQ=SND.NXT><ACK=RCV.NXT> (after the segment) */
	E_RST_SEGACK, /**< <SEQ=SEG.ACK><CTL=RST> */
	E_SYNACK,     /**< <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> */
};

struct Row {
	int state; /**< start state */
	Kind kind;
	int next; /**< state after (TCP_CLOSED: the TCB is gone) */
	Expect e;
	int why;       /**< closed() reason, -1: closed() not called */
	bool delivers; /**< recv() gets the 10 data bytes */
};

// Expected behaviour of every state for every kind of segment. In the
// synchronized states, "ACK" acknowledges everything we sent (our FIN
// too); data, FIN, RST and out-of-window segments acknowledge only what
// was acknowledged before. FIN in a state that already has the peer's
// FIN is its retransmission. RST is exactly at RCV.NXT.
const Row state_table[] = {
	// SYN-SENT (RFC 9293 3.10.7.3); ACKs there acknowledge our SYN
	{TCP_SYN_SENT, K_SYN, TCP_SYN_RECEIVED, E_SYNACK, -1, false}, // simultaneous open
	{TCP_SYN_SENT, K_SYNACK, TCP_ESTABLISHED, E_ACK, -1, false},
	{TCP_SYN_SENT, K_ACK, TCP_SYN_SENT, E_NONE, -1, false},
	{TCP_SYN_SENT, K_DATA, TCP_SYN_SENT, E_NONE, -1, false},
	{TCP_SYN_SENT, K_FIN, TCP_SYN_SENT, E_NONE, -1, false},
	{TCP_SYN_SENT, K_RST, TCP_CLOSED, E_NONE, TCP_CLOSE_REFUSED, false},
	{TCP_SYN_SENT, K_BADACK, TCP_SYN_SENT, E_RST_SEGACK, -1, false},
	// SYN-RECEIVED (passive); data/FIN/out-of-window carry the ACK of our SYN
	{TCP_SYN_RECEIVED, K_SYN, TCP_SYN_RECEIVED, E_ACK, -1, false}, // RFC 5961 4.2
	{TCP_SYN_RECEIVED, K_SYNACK, TCP_SYN_RECEIVED, E_ACK, -1, false},
	{TCP_SYN_RECEIVED, K_ACK, TCP_ESTABLISHED, E_NONE, -1, false},
	{TCP_SYN_RECEIVED, K_DATA, TCP_ESTABLISHED, E_NONE, -1, true},
	{TCP_SYN_RECEIVED, K_FIN, TCP_CLOSE_WAIT, E_ACK, -1, false},
	{TCP_SYN_RECEIVED, K_RST, TCP_CLOSED, E_NONE, -1, false}, // back to LISTEN
	{TCP_SYN_RECEIVED, K_OOW, TCP_SYN_RECEIVED, E_ACK, -1, false},
	{TCP_SYN_RECEIVED, K_BADACK, TCP_SYN_RECEIVED, E_RST_SEGACK, -1, false},
	// ESTABLISHED
	{TCP_ESTABLISHED, K_SYN, TCP_ESTABLISHED, E_ACK, -1, false},
	{TCP_ESTABLISHED, K_SYNACK, TCP_ESTABLISHED, E_ACK, -1, false},
	{TCP_ESTABLISHED, K_ACK, TCP_ESTABLISHED, E_NONE, -1, false},
	{TCP_ESTABLISHED, K_DATA, TCP_ESTABLISHED, E_NONE, -1, true}, // delayed ACK
	{TCP_ESTABLISHED, K_FIN, TCP_CLOSE_WAIT, E_ACK, -1, false},
	{TCP_ESTABLISHED, K_RST, TCP_CLOSED, E_NONE, TCP_CLOSE_RESET, false},
	{TCP_ESTABLISHED, K_OOW, TCP_ESTABLISHED, E_ACK, -1, false},
	{TCP_ESTABLISHED, K_BADACK, TCP_ESTABLISHED, E_ACK, -1, false},
	// FIN-WAIT-1
	{TCP_FIN_WAIT_1, K_SYN, TCP_FIN_WAIT_1, E_ACK, -1, false},
	{TCP_FIN_WAIT_1, K_SYNACK, TCP_FIN_WAIT_1, E_ACK, -1, false},
	{TCP_FIN_WAIT_1, K_ACK, TCP_FIN_WAIT_2, E_NONE, -1, false},
	{TCP_FIN_WAIT_1, K_DATA, TCP_FIN_WAIT_1, E_NONE, -1, true},
	{TCP_FIN_WAIT_1, K_FIN, TCP_CLOSING, E_ACK, -1, false},
	{TCP_FIN_WAIT_1, K_RST, TCP_CLOSED, E_NONE, TCP_CLOSE_RESET, false},
	{TCP_FIN_WAIT_1, K_OOW, TCP_FIN_WAIT_1, E_ACK, -1, false},
	{TCP_FIN_WAIT_1, K_BADACK, TCP_FIN_WAIT_1, E_ACK, -1, false},
	// FIN-WAIT-2
	{TCP_FIN_WAIT_2, K_SYN, TCP_FIN_WAIT_2, E_ACK, -1, false},
	{TCP_FIN_WAIT_2, K_SYNACK, TCP_FIN_WAIT_2, E_ACK, -1, false},
	{TCP_FIN_WAIT_2, K_ACK, TCP_FIN_WAIT_2, E_NONE, -1, false},
	{TCP_FIN_WAIT_2, K_DATA, TCP_FIN_WAIT_2, E_NONE, -1, true},
	{TCP_FIN_WAIT_2, K_FIN, TCP_TIME_WAIT, E_ACK, -1, false},
	{TCP_FIN_WAIT_2, K_RST, TCP_CLOSED, E_NONE, TCP_CLOSE_RESET, false},
	{TCP_FIN_WAIT_2, K_OOW, TCP_FIN_WAIT_2, E_ACK, -1, false},
	{TCP_FIN_WAIT_2, K_BADACK, TCP_FIN_WAIT_2, E_ACK, -1, false},
	// CLOSE-WAIT: text after the peer's FIN is ignored (RFC 9293 3.10.7.4, seventh)
	{TCP_CLOSE_WAIT, K_SYN, TCP_CLOSE_WAIT, E_ACK, -1, false},
	{TCP_CLOSE_WAIT, K_SYNACK, TCP_CLOSE_WAIT, E_ACK, -1, false},
	{TCP_CLOSE_WAIT, K_ACK, TCP_CLOSE_WAIT, E_NONE, -1, false},
	{TCP_CLOSE_WAIT, K_DATA, TCP_CLOSE_WAIT, E_ACK, -1, false},
	{TCP_CLOSE_WAIT, K_FIN, TCP_CLOSE_WAIT, E_ACK, -1, false},
	{TCP_CLOSE_WAIT, K_RST, TCP_CLOSED, E_NONE, TCP_CLOSE_RESET, false},
	{TCP_CLOSE_WAIT, K_OOW, TCP_CLOSE_WAIT, E_ACK, -1, false},
	{TCP_CLOSE_WAIT, K_BADACK, TCP_CLOSE_WAIT, E_ACK, -1, false},
	// CLOSING
	{TCP_CLOSING, K_SYN, TCP_CLOSING, E_ACK, -1, false},
	{TCP_CLOSING, K_SYNACK, TCP_CLOSING, E_ACK, -1, false},
	{TCP_CLOSING, K_ACK, TCP_TIME_WAIT, E_NONE, -1, false},
	{TCP_CLOSING, K_DATA, TCP_CLOSING, E_ACK, -1, false},
	{TCP_CLOSING, K_FIN, TCP_CLOSING, E_ACK, -1, false},
	{TCP_CLOSING, K_RST, TCP_CLOSED, E_NONE, TCP_CLOSE_RESET, false},
	{TCP_CLOSING, K_OOW, TCP_CLOSING, E_ACK, -1, false},
	{TCP_CLOSING, K_BADACK, TCP_CLOSING, E_ACK, -1, false},
	// LAST-ACK
	{TCP_LAST_ACK, K_SYN, TCP_LAST_ACK, E_ACK, -1, false},
	{TCP_LAST_ACK, K_SYNACK, TCP_LAST_ACK, E_ACK, -1, false},
	{TCP_LAST_ACK, K_ACK, TCP_CLOSED, E_NONE, TCP_CLOSE_NORMAL, false},
	{TCP_LAST_ACK, K_DATA, TCP_LAST_ACK, E_ACK, -1, false},
	{TCP_LAST_ACK, K_FIN, TCP_LAST_ACK, E_ACK, -1, false},
	{TCP_LAST_ACK, K_RST, TCP_CLOSED, E_NONE, TCP_CLOSE_RESET, false},
	{TCP_LAST_ACK, K_OOW, TCP_LAST_ACK, E_ACK, -1, false},
	{TCP_LAST_ACK, K_BADACK, TCP_LAST_ACK, E_ACK, -1, false},
	// TIME-WAIT (SYN at RCV.NXT is not "higher": challenge ACK, no reopen)
	{TCP_TIME_WAIT, K_SYN, TCP_TIME_WAIT, E_ACK, -1, false},
	{TCP_TIME_WAIT, K_SYNACK, TCP_TIME_WAIT, E_ACK, -1, false},
	{TCP_TIME_WAIT, K_ACK, TCP_TIME_WAIT, E_NONE, -1, false},
	{TCP_TIME_WAIT, K_DATA, TCP_TIME_WAIT, E_ACK, -1, false},
	{TCP_TIME_WAIT, K_FIN, TCP_TIME_WAIT, E_ACK, -1, false},
	{TCP_TIME_WAIT, K_RST, TCP_CLOSED, E_NONE, TCP_CLOSE_RESET, false},
	{TCP_TIME_WAIT, K_OOW, TCP_TIME_WAIT, E_ACK, -1, false},
	{TCP_TIME_WAIT, K_BADACK, TCP_TIME_WAIT, E_ACK, -1, false},
};

TEST_F(Tcp, EveryStateAndSegmentKind)
{
	attach();
	uint16_t port = 41000;
	for (const Row &r : state_table) {
		SCOPED_TRACE(std::string(state_name(r.state)) + " + " + kind_names[r.kind]);
		rport = port++;
		rec = Rec();
		peer_ts = false;
		// drive the connection into the start state
		switch (r.state) {
		case TCP_SYN_SENT: {
			lport = 50000;
			struct tcb *t;
			ASSERT_EQ(tcp_connect(c, wp, wp->ip, rte_cpu_to_be_16(lport),
					      rte_cpu_to_be_32(PEER_IP), rte_cpu_to_be_16(rport),
					      &t),
				  0);
			Out s = one();
			iss = s.seq;
			onxt = iss + 1;
			una = onxt;
			pnxt = 90000;
			break;
		}
		case TCP_SYN_RECEIVED:
			lport = 80;
			syn_in(O_MSS(1460), 3000);
			una = onxt; // whatever the peer sends now acks our SYN
			break;
		default:
			lport = 80;
			ASSERT_NO_FATAL_FAILURE(open_passive(O_MSS(1460), 3000));
			if (r.state == TCP_FIN_WAIT_1)
				ASSERT_NO_FATAL_FAILURE(to_fin_wait_1());
			else if (r.state == TCP_FIN_WAIT_2)
				ASSERT_NO_FATAL_FAILURE(to_fin_wait_2());
			else if (r.state == TCP_CLOSE_WAIT)
				ASSERT_NO_FATAL_FAILURE(to_close_wait());
			else if (r.state == TCP_CLOSING)
				ASSERT_NO_FATAL_FAILURE(to_closing());
			else if (r.state == TCP_LAST_ACK)
				ASSERT_NO_FATAL_FAILURE(to_last_ack());
			else if (r.state == TCP_TIME_WAIT) {
				ASSERT_NO_FATAL_FAILURE(to_time_wait());
			}
			break;
		}
		ASSERT_EQ(state(), r.state);
		bool have_fin = r.state == TCP_CLOSE_WAIT || r.state == TCP_CLOSING ||
				r.state == TCP_LAST_ACK || r.state == TCP_TIME_WAIT;
		rec = Rec();
		Seg s;
		uint32_t rcv_after = pnxt;
		switch (r.kind) {
		case K_SYN:
			s = seg(TCP_SYN);
			if (r.state == TCP_SYN_SENT)
				rcv_after = pnxt + 1;
			break;
		case K_SYNACK:
			s = seg(TCP_SYN | TCP_ACK);
			s.ack = onxt;
			if (r.state == TCP_SYN_SENT)
				rcv_after = pnxt + 1;
			break;
		case K_ACK:
			s = seg(TCP_ACK);
			s.ack = onxt;
			break;
		case K_DATA:
			s = seg(TCP_ACK | TCP_PSH, "0123456789");
			if (r.delivers)
				rcv_after = pnxt + 10;
			break;
		case K_FIN:
			s = seg(TCP_FIN | TCP_ACK);
			if (have_fin)
				s.seq = pnxt - 1; // retransmission of the peer's FIN
			else if (r.state != TCP_SYN_SENT)
				rcv_after = pnxt + 1;
			break;
		case K_RST:
			s = seg(TCP_RST);
			if (r.state == TCP_SYN_SENT) { // acceptable only with the ACK of our SYN
				s.flags |= TCP_ACK;
				s.ack = onxt;
			}
			break;
		case K_OOW:
			s = seg(TCP_ACK | TCP_PSH, "0123456789");
			s.seq = pnxt + 1000000;
			break;
		case K_BADACK:
			s = seg(TCP_ACK);
			s.ack = onxt + 1000;
			break;
		}
		inject(s);
		std::vector<Out> out = take();
		switch (r.e) {
		case E_NONE:
			for (const Out &o : out)
				ADD_FAILURE() << "unexpected " << o;
			break;
		case E_ACK:
			ASSERT_EQ(out.size(), 1u);
			expect_ack(out[0], onxt, rcv_after);
			break;
		case E_RST_SEGACK:
			ASSERT_EQ(out.size(), 1u);
			EXPECT_EQ(out[0].flags, TCP_RST) << out[0];
			EXPECT_EQ(out[0].seq, s.ack) << out[0];
			break;
		case E_SYNACK:
			ASSERT_EQ(out.size(), 1u);
			EXPECT_EQ(out[0].flags, TCP_SYN | TCP_ACK) << out[0];
			EXPECT_EQ(out[0].seq, iss) << out[0];
			EXPECT_EQ(out[0].ack, pnxt + 1) << out[0];
			break;
		}
		EXPECT_STREQ(state_name(state()), state_name(r.next));
		if (r.why < 0) {
			EXPECT_EQ(rec.closed, 0);
		} else {
			EXPECT_EQ(rec.closed, 1);
			EXPECT_EQ(rec.why, r.why);
		}
		EXPECT_EQ(rec.data, r.delivers ? "0123456789" : "");
		if (r.kind == K_FIN && !have_fin && r.next != r.state) {
			EXPECT_EQ(rec.peer_closed, 1);
		}
		// clean up: abort what is left, drop what it sent
		struct tcb *t = tcb();
		if (t != nullptr)
			tcp_abort(c, t);
		drain();
	}
	EXPECT_EQ(tcp_nb_conns(c), 0u);
	EXPECT_EQ(c->nb_synrcvd, 0u);
}

// ============================================================ SYN-RECEIVED details

TEST_F(Tcp, RstInSynReceivedReturnsToListen)
{
	attach();
	syn_in(O_MSS(1460), 500);
	Seg r = seg(TCP_RST);
	inject(r);
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(state(), TCP_CLOSED);
	EXPECT_EQ(rec.closed, 0); // never accepted: the app hears nothing
	EXPECT_EQ(c->nb_synrcvd, 0u);
	// still listening: the same tuple opens again
	ASSERT_NO_FATAL_FAILURE(open_passive(O_MSS(1460), 9000));
}

TEST_F(Tcp, InWindowRstInSynReceivedIsChallengeAcked)
{
	attach();
	syn_in(O_MSS(1460), 500);
	Seg r = seg(TCP_RST);
	r.seq = pnxt + 10;
	inject(r);
	expect_ack(one(), onxt, pnxt);
	EXPECT_EQ(state(), TCP_SYN_RECEIVED);
	EXPECT_EQ(st(STAT_tcp_challenge_ack), 1u);
}

TEST_F(Tcp, RetransmittedSynInSynReceivedResendsSynAck)
{
	attach();
	Out first = syn_in(cat({O_MSS(1460), O_SACKOK()}), 500);
	Seg s;
	s.flags = TCP_SYN;
	s.seq = 500;
	s.opts = cat({O_MSS(1460), O_SACKOK()});
	inject(s);
	Out again = one();
	EXPECT_EQ(again.flags, TCP_SYN | TCP_ACK);
	EXPECT_EQ(again.seq, first.seq);
	EXPECT_EQ(again.ack, first.ack);
	EXPECT_TRUE(again.sackok);
	EXPECT_EQ(state(), TCP_SYN_RECEIVED);
	EXPECT_EQ(tcp_nb_conns(c), 1u);
	struct tcp_info ti;
	tcp_get_info(tcb(), &ti);
	EXPECT_EQ(ti.total_retrans, 1u);
	EXPECT_EQ(st(STAT_tcp_retrans), 1u);
}

// ============================================================ options negotiation

TEST_F(Tcp, SynAckEchoesEveryOfferedOption)
{
	attach();
	Out o = syn_in(cat({O_MSS(1400), O_SACKOK(), O_TS(0x11223344, 0), O_WS(7)}));
	EXPECT_TRUE(o.has_mss);
	EXPECT_EQ(o.mss, 1460); // ours: MTU 1500 - 40
	EXPECT_TRUE(o.sackok);
	EXPECT_TRUE(o.has_ws);
	EXPECT_EQ(o.ws, 3); // 262144 >> 3 fits 16 bits
	ASSERT_TRUE(o.has_ts);
	EXPECT_EQ(o.tsecr, 0x11223344u); // TS.Recent = the peer's TSval
	EXPECT_EQ(o.win, 65535);	 // a SYN's window is never scaled
	struct tcb *t = tcb();
	EXPECT_EQ(t->mss, 1400 - 12); // peer's MSS less the TS option
	EXPECT_EQ(t->snd_ws, 7);
	EXPECT_EQ(t->rcv_ws, 3);
	EXPECT_TRUE(t->flags & TF_SACK);
	EXPECT_TRUE(t->flags & TF_TS);
	EXPECT_TRUE(t->flags & TF_WS);
}

TEST_F(Tcp, SynWithoutOptionsAssumesMss536AndOffersNothingElse)
{
	attach();
	pwin = 10000;
	Out o = syn_in({});
	EXPECT_TRUE(o.has_mss); // our MSS is always sent
	EXPECT_FALSE(o.has_ws);
	EXPECT_FALSE(o.has_ts);
	EXPECT_FALSE(o.sackok);
	EXPECT_EQ(tcb()->mss, 536); // RFC 9293 3.7.1
	una = onxt;
	inject(seg(TCP_ACK));
	ASSERT_EQ(state(), TCP_ESTABLISHED);
	static char buf[3000];
	memset(buf, 'a', sizeof(buf));
	ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
	std::vector<Out> v = take();
	ASSERT_EQ(v.size(), 6u); // 5 x 536 + 320
	for (size_t i = 0; i < 5; i++)
		EXPECT_EQ(v[i].data.size(), 536u);
	EXPECT_EQ(v[5].data.size(), 3000u - 5 * 536);
	for (const Out &s : v) {
		EXPECT_FALSE(s.has_ts);
		EXPECT_EQ(s.win, 65535); // no scaling: the window is capped at 16 bits
	}
}

TEST_F(Tcp, OnlyOptionsThePeerOfferedAreEchoed)
{
	attach();
	Out o = syn_in(cat({O_MSS(1460), O_SACKOK()}));
	EXPECT_TRUE(o.sackok);
	EXPECT_FALSE(o.has_ts);
	EXPECT_FALSE(o.has_ws);
	rport++;
	Out p = syn_in(cat({O_MSS(1460), O_WS(2)}));
	EXPECT_FALSE(p.sackok);
	EXPECT_FALSE(p.has_ts);
	EXPECT_TRUE(p.has_ws);
	rport++;
	Out q = syn_in(cat({O_MSS(1460), O_TS(42, 0)}));
	EXPECT_FALSE(q.sackok);
	EXPECT_TRUE(q.has_ts);
	EXPECT_EQ(q.tsecr, 42u);
	EXPECT_FALSE(q.has_ws);
}

TEST_F(Tcp, OptionsOffConfiguredAreNotEchoed)
{
	conf.wscale = false;
	conf.sack = false;
	conf.timestamps = false;
	attach();
	Out o = syn_in(cat({O_MSS(1460), O_SACKOK(), O_TS(42, 0), O_WS(7)}));
	EXPECT_FALSE(o.sackok);
	EXPECT_FALSE(o.has_ts);
	EXPECT_FALSE(o.has_ws);
	EXPECT_EQ(tcb()->snd_ws, 0);
}

TEST_F(Tcp, WindowScalingAppliedBothWays)
{
	attach();
	pwin = 65535; // the SYN's window is unscaled
	syn_in(cat({O_MSS(1460), O_WS(7)}));
	una = onxt;
	pwin = 100; // 100 << 7 = 12800 bytes
	inject(seg(TCP_ACK));
	ASSERT_EQ(state(), TCP_ESTABLISHED);
	EXPECT_EQ(tcb()->snd_wnd, 12800u);
	static char buf[100000];
	ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
	std::vector<Out> v = take();
	// min(12800, cwnd 14600): 8 full segments, no partial one while data is
	// in flight (sender SWS avoidance)
	ASSERT_EQ(v.size(), 8u);
	for (const Out &s : v) {
		EXPECT_EQ(s.data.size(), 1460u);
		EXPECT_EQ(s.win, 262144 >> 3); // our window, scaled by our shift 3
	}
	EXPECT_EQ(v[7].seq + 1460 - onxt, 11680u);
	tcp_abort(c, tcb());
}

TEST_F(Tcp, SeveralLocalAddressesActiveAndPassiveOpensUseTheirOwn)
{
	attach();
	tcp_listen(c, 80);
	const uint32_t BASE = 0xc6120010; // 198.18.0.16 .. 198.18.0.19 (the peer is 198.18.0.2)
	wp->ip = rte_cpu_to_be_32(BASE);
	wp->ip_n = 4;
	struct tcb *t = nullptr;
	// not one of ours
	EXPECT_EQ(tcp_connect(c, wp, rte_cpu_to_be_32(BASE + 4), rte_cpu_to_be_16(50000),
			      rte_cpu_to_be_32(PEER_IP), rte_cpu_to_be_16(8080), &t),
		  -EADDRNOTAVAIL);
	EXPECT_TRUE(take().empty());
	// active open from the third address: the SYN comes from it
	our_ip_now = BASE + 2;
	lport = 50000;
	rport = 8080;
	ASSERT_EQ(tcp_connect(c, wp, rte_cpu_to_be_32(BASE + 2), rte_cpu_to_be_16(lport),
			      rte_cpu_to_be_32(PEER_IP), rte_cpu_to_be_16(rport), &t),
		  0);
	Out syn = one(); // addr_ok: from 198.18.0.18
	ASSERT_EQ(syn.flags, TCP_SYN) << syn;
	Seg sa;
	sa.flags = TCP_SYN | TCP_ACK;
	sa.seq = 7000;
	sa.ack = syn.seq + 1;
	sa.opts = O_MSS(1460);
	inject(sa); // to 198.18.0.18
	Out a = one();
	EXPECT_EQ(a.flags, TCP_ACK) << a;
	EXPECT_EQ(tcp_get_state(t), TCP_ESTABLISHED);
	rte_be32_t lip, rip;
	rte_be16_t lp, rp;
	tcp_get_tuple(t, &lip, &lp, &rip, &rp);
	EXPECT_EQ(lip, rte_cpu_to_be_32(BASE + 2));
	// the same port from another address is another connection
	our_ip_now = BASE + 1;
	struct tcb *t2 = nullptr;
	ASSERT_EQ(tcp_connect(c, wp, rte_cpu_to_be_32(BASE + 1), rte_cpu_to_be_16(lport),
			      rte_cpu_to_be_32(PEER_IP), rte_cpu_to_be_16(rport), &t2),
		  0);
	EXPECT_NE(t2, t);
	EXPECT_EQ(one().flags, TCP_SYN);
	// passive open on the last address: the SYN-ACK comes from it
	our_ip_now = BASE + 3;
	lport = 80;
	rport = 40000;
	Seg syn_in;
	syn_in.flags = TCP_SYN;
	syn_in.seq = 1234;
	syn_in.opts = O_MSS(1460);
	inject(syn_in);
	Out synack = one(); // addr_ok: from 198.18.0.19
	EXPECT_EQ(synack.flags, TCP_SYN | TCP_ACK) << synack;
	EXPECT_EQ(synack.ack, 1235u);
	EXPECT_EQ(tcp_nb_conns(c), 3u);
}

TEST_F(Tcp, ActiveOpenOffersOptionsAndKeepsOnlyWhatThePeerAnswered)
{
	attach();
	lport = 50001;
	rport = 8080;
	struct tcb *t = nullptr;
	ASSERT_EQ(tcp_connect(c, wp, wp->ip, rte_cpu_to_be_16(lport), rte_cpu_to_be_32(PEER_IP),
			      rte_cpu_to_be_16(rport), &t),
		  0);
	Out syn = one();
	EXPECT_EQ(syn.flags, TCP_SYN);
	EXPECT_EQ(syn.ack, 0u);
	EXPECT_TRUE(syn.has_mss);
	EXPECT_EQ(syn.mss, 1460);
	EXPECT_TRUE(syn.sackok);
	EXPECT_TRUE(syn.has_ts);
	EXPECT_EQ(syn.tsecr, 0u);
	EXPECT_TRUE(syn.has_ws);
	EXPECT_EQ(syn.ws, 3);
	EXPECT_EQ(syn.win, 65535);
	// the SYN-ACK offers MSS only: no scaling, no TS, no SACK afterwards
	Seg s;
	s.flags = TCP_SYN | TCP_ACK;
	s.seq = 900;
	s.ack = syn.seq + 1;
	s.win = 5000;
	s.opts = O_MSS(1000);
	inject(s);
	Out a = one();
	expect_ack(a, syn.seq + 1, 901);
	EXPECT_FALSE(a.has_ts);
	EXPECT_EQ(a.win, 65535); // 262144 capped to 16 bits, unscaled
	EXPECT_EQ(t->state, TCP_ESTABLISHED);
	EXPECT_EQ(t->mss, 1000);
	EXPECT_EQ(t->snd_wnd, 5000u);
	EXPECT_EQ(t->rcv_ws, 0);
	EXPECT_FALSE(t->flags & (TF_TS | TF_SACK | TF_WS));
	EXPECT_EQ(rec.connected, 1);
	EXPECT_EQ(st(STAT_tcp_connected), 1u);
}

TEST_F(Tcp, TimestampsEchoedOnEverySegmentAfterNegotiation)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive(cat({O_MSS(1460), O_TS(100, 0)})));
	peer_tsval = 200;
	advance(5);
	inject(seg(TCP_ACK | TCP_PSH, std::string(1448, 'a')));
	pnxt += 1448;
	peer_tsval = 300;
	inject(seg(TCP_ACK | TCP_PSH, std::string(1448, 'b')));
	pnxt += 1448;
	Out o = one(); // second full segment: ACK now
	expect_ack(o, onxt, pnxt);
	ASSERT_TRUE(o.has_ts);
	EXPECT_EQ(o.tsecr, 200u); // TS.Recent from the segment at the left edge (RFC 7323 4.3)
	EXPECT_EQ(o.tsval, c->tick + c->ts_offset);
}

TEST_F(Tcp, PawsDropsOldTimestampAndAcks)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive(cat({O_MSS(1460), O_TS(1000, 0)})));
	peer_tsval = 999; // older than TS.Recent
	inject(seg(TCP_ACK | TCP_PSH, "stale"));
	Out o = one();
	expect_ack(o, onxt, pnxt);
	EXPECT_TRUE(o.has_ts);
	EXPECT_EQ(o.tsecr, 1000u);
	EXPECT_EQ(rec.data, "");
	EXPECT_EQ(st(STAT_drop_tcp_paws), 1u);
	// a RST is not subject to PAWS (RFC 7323 5.3 R1 covers non-RST segments)
	Seg r = seg(TCP_RST);
	inject(r);
	EXPECT_EQ(state(), TCP_CLOSED);
	EXPECT_EQ(rec.why, TCP_CLOSE_RESET);
}

// ============================================================ RFC 5961

TEST_F(Tcp, InWindowRstIsChallengeAcked)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	Seg r = seg(TCP_RST);
	r.seq = pnxt + 1;
	inject(r);
	expect_ack(one(), onxt, pnxt);
	EXPECT_EQ(state(), TCP_ESTABLISHED);
	EXPECT_EQ(st(STAT_tcp_challenge_ack), 1u);
	EXPECT_EQ(st(STAT_drop_tcp_rst_invalid), 1u);
	// out of the window: ignored, nothing sent
	r.seq = pnxt + 1000000;
	inject(r);
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(state(), TCP_ESTABLISHED);
	EXPECT_EQ(rec.closed, 0);
}

TEST_F(Tcp, RstAtRcvNxtClosesWithReset)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	Seg r = seg(TCP_RST | TCP_ACK);
	inject(r);
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(state(), TCP_CLOSED);
	EXPECT_EQ(rec.closed, 1);
	EXPECT_EQ(rec.why, TCP_CLOSE_RESET);
	EXPECT_EQ(st(STAT_tcp_closed_reset), 1u);
	EXPECT_EQ(tcp_nb_conns(c), 0u);
}

TEST_F(Tcp, SynInEstablishedIsChallengeAcked)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	for (uint32_t seq : {pnxt, pnxt + 5000, pnxt - 5000}) {
		Seg s = seg(TCP_SYN);
		s.seq = seq;
		inject(s);
		expect_ack(one(), onxt, pnxt);
		EXPECT_EQ(state(), TCP_ESTABLISHED);
	}
	EXPECT_GE(st(STAT_tcp_challenge_ack), 2u);
	EXPECT_EQ(rec.closed, 0);
}

TEST_F(Tcp, AckForDataNeverSentIsDroppedWithAck)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	Seg s = seg(TCP_ACK | TCP_PSH, "data");
	s.ack = onxt + 1;
	inject(s);
	expect_ack(one(), onxt, pnxt);
	EXPECT_EQ(rec.data, ""); // the segment is dropped
	EXPECT_EQ(st(STAT_drop_tcp_bad_ack), 1u);
	EXPECT_EQ(state(), TCP_ESTABLISHED);
}

TEST_F(Tcp, TooOldAckIsChallengeAcked)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	// SND.UNA - MAX.SND.WND (65535) > SEG.ACK: RFC 5961 5.2
	Seg s = seg(TCP_ACK | TCP_PSH, "data");
	s.ack = onxt - 70000;
	inject(s);
	expect_ack(one(), onxt, pnxt);
	EXPECT_EQ(rec.data, "");
	EXPECT_EQ(st(STAT_tcp_challenge_ack), 1u);
	// an old but acceptable ACK (within MAX.SND.WND) is fine
	s.ack = onxt - 1000;
	inject(s);
	pnxt += 4;
	EXPECT_EQ(rec.data, "data");
}

// ============================================================ zero-copy

TEST_F(Tcp, ZeroCopySegmentsAttachRegisteredDataAndCopyTheRest)
{
	conf.zero_copy_min = 256;
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive(cat({O_MSS(1000)})));
	wp->offloads |= PORT_OFF_MULTI_SEGS;
	uint8_t *region = static_cast<uint8_t *>(rte_malloc("zc", 8192, 0));
	ASSERT_NE(region, nullptr);
	for (int i = 0; i < 8192; i++)
		region[i] = (uint8_t)(i * 7 + 3);
	ASSERT_EQ(tcp_zc_register(c, region, 8192), 0);
	ASSERT_EQ(tcp_zc_register(c, region, 8192), 0) << "the same range again is a no-op";
	EXPECT_EQ(tcp_zc_register(c, nullptr, 10), -EINVAL);
	static char plain[1500];
	memset(plain, 'p', sizeof(plain));

	// 2300 registered bytes: 1000 + 1000 attached, the 300 left attached
	// (>= zero_copy_min 256); then 200 registered bytes (copied: small), then
	// 1000 plain bytes (copied: not registered)
	ASSERT_EQ(tcp_send(c, tcb(), region + 100, 2300), 0);
	ASSERT_EQ(tcp_send(c, tcb(), region + 5000, 200), 0);
	ASSERT_EQ(tcp_send(c, tcb(), plain, 1000), 0);
	std::vector<Out> v = take();
	ASSERT_EQ(v.size(), 5u);
	const uint32_t lens[] = {1000, 1000, 300, 200, 1000};
	const uint16_t segs[] = {2, 2, 2, 1, 1};
	std::string want = std::string((const char *)region + 100, 2300) +
			   std::string((const char *)region + 5000, 200) + std::string(plain, 1000);
	std::string got;
	for (size_t i = 0; i < v.size(); i++) {
		EXPECT_EQ(v[i].data.size(), lens[i]) << i;
		EXPECT_EQ(v[i].nb_segs, segs[i]) << i;
		EXPECT_TRUE(v[i].csum_ok) << i;
		got += v[i].data;
	}
	EXPECT_EQ(got, want);
	EXPECT_EQ(st(STAT_tcp_tx_zc), 3u);

	auto ack_all = [&]() {
		una = onxt = tcb()->snd_max;
		inject(seg(TCP_ACK));
		take();
	};
	ack_all();

	// 200 registered bytes at the end of a chunk (copied: small), 800 of the
	// next (attached); the RTO's retransmission of 1000 bytes (cwnd = 1 MSS)
	// spans both chunks: copied, the same bytes
	ASSERT_EQ(tcp_send(c, tcb(), region + 7992, 200), 0);
	ASSERT_EQ(tcp_send(c, tcb(), region, 800), 0);
	v = take();
	ASSERT_EQ(v.size(), 2u);
	EXPECT_EQ(v[0].nb_segs, 1);
	EXPECT_EQ(v[1].nb_segs, 2);
	EXPECT_EQ(st(STAT_tcp_tx_zc), 4u);
	advance(tcb()->rto);
	Out x = one();
	EXPECT_EQ(x.seq, v[0].seq);
	EXPECT_EQ(x.nb_segs, 1);
	EXPECT_EQ(x.data, std::string((const char *)region + 7992, 200) +
				  std::string((const char *)region, 800));
	ack_all();

	// the retransmission of an attached segment attaches again: same bytes
	ASSERT_EQ(tcp_send(c, tcb(), region + 3000, 1000), 0);
	Out y = one();
	EXPECT_EQ(y.nb_segs, 2);
	advance(tcb()->rto);
	Out r = one();
	EXPECT_EQ(r.seq, y.seq);
	EXPECT_EQ(r.nb_segs, 2);
	EXPECT_EQ(r.data, std::string((const char *)region + 3000, 1000));
	EXPECT_EQ(st(STAT_tcp_tx_zc), 6u);
	ack_all();

	// zero_copy_min 0 turns it off; a DMA port takes only DPDK memory
	c->conf.zero_copy_min = 0;
	ASSERT_EQ(tcp_send(c, tcb(), region, 1000), 0);
	EXPECT_EQ(one().nb_segs, 1);
	ack_all();
	c->conf.zero_copy_min = 256;
	wp->offloads |= PORT_OFF_TX_DMA;
	ASSERT_EQ(tcp_send(c, tcb(), region, 1000), 0);
	EXPECT_EQ(one().nb_segs, 2) << "rte_malloc memory has an IOVA";
	ack_all();
	ASSERT_EQ(tcp_zc_register(c, plain, sizeof(plain)), 0);
	ASSERT_EQ(tcp_send(c, tcb(), plain, 1000), 0);
	EXPECT_EQ(one().nb_segs, 1) << "static memory is not DMA-able: copied";
	ack_all();
	wp->offloads &= ~PORT_OFF_TX_DMA;
	ASSERT_EQ(tcp_send(c, tcb(), plain, 1000), 0);
	EXPECT_EQ(one().nb_segs, 2) << "a software port takes any registered memory";
	ack_all();
	tcp_abort(c, tcb());
	take();
	rte_free(region);
}

TEST_F(Tcp, TsoFramesCarrySeveralSegmentsForThePortToCut)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	wp->offloads |= PORT_OFF_MULTI_SEGS | PORT_OFF_TSO | PORT_OFF_L4_CKSUM;
	const uint32_t n = 20000;
	uint8_t *region = static_cast<uint8_t *>(rte_malloc("tso", n, 0));
	ASSERT_NE(region, nullptr);
	for (uint32_t i = 0; i < n; i++)
		region[i] = (uint8_t)(i * 13 + 1);
	ASSERT_EQ(tcp_zc_register(c, region, n), 0);
	ASSERT_EQ(tcp_send(c, tcb(), region, n), 0);

	// the frames as the port gets them (not cut: the ring has no TSO)
	auto frames = [&]() {
		std::vector<struct rte_mbuf *> v;
		struct rte_mbuf *m[64];
		worker_flush(w, wp);
		uint16_t k;
		while ((k = rte_eth_rx_burst(pb.port_id, 0, m, 64)) > 0)
			v.insert(v.end(), m, m + k);
		return v;
	};
	uint32_t mss = tcb()->mss, sent = 0;
	std::string got;
	for (uint32_t want : {10 * mss, n - 10 * mss}) {
		std::vector<struct rte_mbuf *> v = frames();
		ASSERT_EQ(v.size(), 1u) << "one frame for the whole window";
		struct rte_mbuf *m = v[0];
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
		struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);
		EXPECT_TRUE(m->ol_flags & RTE_MBUF_F_TX_TCP_SEG);
		EXPECT_TRUE(m->ol_flags & RTE_MBUF_F_TX_IPV4);
		EXPECT_EQ(m->tso_segsz, mss);
		EXPECT_EQ(m->l2_len, 14u);
		EXPECT_EQ(m->l3_len, 20u);
		EXPECT_EQ(m->l4_len, 20u);
		EXPECT_EQ(m->nb_segs, 2);
		EXPECT_EQ(m->pkt_len, 54u + want);
		EXPECT_EQ(rte_be_to_cpu_16(ip->total_length), 40u + want);
		EXPECT_EQ(rte_ipv4_cksum(ip), 0) << "IPv4 header checksum in software";
		// the pseudo-header sum without the length, as rte_net_intel_cksum_prepare
		EXPECT_EQ(th->cksum, rte_ipv4_phdr_cksum(ip, m->ol_flags));
		EXPECT_EQ(rte_be_to_cpu_32(th->sent_seq), onxt + sent);
		std::string d(want, '\0');
		const void *p = rte_pktmbuf_read(m, 54, want, &d[0]);
		ASSERT_NE(p, nullptr);
		got.append((const char *)p, want);
		sent += want;
		rte_pktmbuf_free(m);
		una = onxt + sent;
		inject(seg(TCP_ACK));
	}
	EXPECT_EQ(got, std::string((const char *)region, n));
	EXPECT_EQ(st(STAT_tcp_data_tx), n);
	// after an RTO (cwnd 1 MSS) a retransmission is one plain segment
	ASSERT_EQ(tcp_send(c, tcb(), region, 3 * mss), 0);
	std::vector<struct rte_mbuf *> v = frames();
	ASSERT_EQ(v.size(), 1u);
	EXPECT_TRUE(v[0]->ol_flags & RTE_MBUF_F_TX_TCP_SEG);
	rte_pktmbuf_free(v[0]);
	advance(tcb()->rto);
	v = frames();
	ASSERT_EQ(v.size(), 1u);
	EXPECT_FALSE(v[0]->ol_flags & RTE_MBUF_F_TX_TCP_SEG);
	EXPECT_EQ(v[0]->pkt_len, 54u + mss);
	rte_pktmbuf_free(v[0]);
	wp->offloads &= ~(PORT_OFF_TSO | PORT_OFF_L4_CKSUM); // software checksum for the RST
	tcp_abort(c, tcb());
	take();
	rte_free(region);
}

TEST_F(Tcp, ChainedFrameWithHeadersThenPayloadIsTakenAsIs)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	std::string d(1200, 'z');
	for (size_t i = 0; i < d.size(); i++)
		d[i] = (char)('a' + i % 23);
	// headers exactly in the first segment: what a zero-copy sender sends
	worker_input(w, wp, build_chain(seg(TCP_ACK | TCP_PSH, d), 54));
	pnxt += (uint32_t)d.size();
	EXPECT_EQ(rec.data, d);
	// split elsewhere: linearised, delivered too
	worker_input(w, wp, build_chain(seg(TCP_ACK | TCP_PSH, d), 300));
	pnxt += (uint32_t)d.size();
	EXPECT_EQ(rec.data, d + d);
	// a bad checksum over the chain is dropped
	Seg bad = seg(TCP_ACK | TCP_PSH, d);
	bad.bad_csum = true;
	worker_input(w, wp, build_chain(bad, 54));
	EXPECT_EQ(st(STAT_drop_tcp_csum), 1u);
	EXPECT_EQ(rec.data, d + d);
	EXPECT_EQ(tcb()->rcv_nxt, pnxt);
	take();
}

// ============================================================ receiving

TEST_F(Tcp, InOrderDataDeliveredToRecv)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	std::string want;
	for (int i = 0; i < 5; i++) {
		std::string d(100 + i, (char)('a' + i));
		inject(seg(TCP_ACK | TCP_PSH, d));
		pnxt += (uint32_t)d.size();
		want += d;
	}
	EXPECT_EQ(rec.data, want);
	EXPECT_EQ(tcb()->rcv_nxt, pnxt);
	EXPECT_EQ(st(STAT_tcp_data_rx), want.size());
	// a duplicate (retransmission of delivered bytes) is not delivered twice
	Seg dup = seg(TCP_ACK | TCP_PSH, "eeeee");
	dup.seq = pnxt - 5;
	inject(dup);
	EXPECT_EQ(rec.data, want);
}

TEST_F(Tcp, OutOfOrderKeptAndDeliveredWhenHoleFillsWithSackBlocks)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive(cat({O_MSS(1460), O_SACKOK()})));
	uint32_t base = pnxt;
	std::string a(100, 'a'), b(100, 'b'), cc(100, 'c'), d(100, 'd');
	// b and d arrive first: two holes
	Seg sb = seg(TCP_ACK, b);
	sb.seq = base + 100;
	inject(sb);
	Out o1 = one(); // duplicate ACK at once (RFC 5681 4.2), with SACK
	expect_ack(o1, onxt, base);
	ASSERT_EQ(o1.sack.size(), 1u);
	EXPECT_EQ(o1.sack[0], std::make_pair(base + 100, base + 200));
	Seg sd = seg(TCP_ACK, d);
	sd.seq = base + 300;
	inject(sd);
	Out o2 = one();
	expect_ack(o2, onxt, base);
	ASSERT_EQ(o2.sack.size(), 2u);
	// RFC 2018 4: the first block holds the segment that triggered the ACK
	EXPECT_EQ(o2.sack[0], std::make_pair(base + 300, base + 400));
	EXPECT_EQ(o2.sack[1], std::make_pair(base + 100, base + 200));
	EXPECT_EQ(rec.data, "");
	EXPECT_EQ(st(STAT_tcp_ooo_rx), 2u);
	// a fills the first hole: a+b delivered, ACK now, d still SACKed
	inject(seg(TCP_ACK, a));
	EXPECT_EQ(rec.data, a + b);
	Out o3 = one();
	expect_ack(o3, onxt, base + 200);
	ASSERT_EQ(o3.sack.size(), 1u);
	EXPECT_EQ(o3.sack[0], std::make_pair(base + 300, base + 400));
	// c fills the last hole
	Seg sc = seg(TCP_ACK, cc);
	sc.seq = base + 200;
	inject(sc);
	EXPECT_EQ(rec.data, a + b + cc + d);
	Out o4 = one();
	expect_ack(o4, onxt, base + 400);
	EXPECT_TRUE(o4.sack.empty());
	EXPECT_EQ(tcb()->ooo_n, 0);
}

TEST_F(Tcp, OutOfOrderFinHeldUntilTheHoleFills)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	Seg f = seg(TCP_ACK | TCP_FIN, "tail");
	f.seq = pnxt + 4;
	inject(f);
	expect_ack(one(), onxt, pnxt);
	EXPECT_EQ(state(), TCP_ESTABLISHED);
	inject(seg(TCP_ACK, "head"));
	pnxt += 9;
	EXPECT_EQ(rec.data, "headtail");
	expect_ack(one(), onxt, pnxt);
	EXPECT_EQ(state(), TCP_CLOSE_WAIT);
	EXPECT_EQ(rec.peer_closed, 1);
}

TEST_F(Tcp, OutOfOrderMbufsAreFreedByDetach)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	unsigned int before = rte_mempool_avail_count(pool);
	for (int i = 1; i <= 3; i++) {
		Seg s = seg(TCP_ACK, "x");
		s.seq = pnxt + 10 * i;
		inject(s);
	}
	drain();
	EXPECT_EQ(tcb()->ooo_n, 3);
	EXPECT_EQ(rte_mempool_avail_count(pool), before - 3);
	// TearDown detaches with the queue full and checks the pool
}

TEST_F(Tcp, DelayedAckFiresAfterDelackTimeout)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	inject(seg(TCP_ACK | TCP_PSH, std::string(500, 'x')));
	pnxt += 500;
	EXPECT_TRUE(take().empty());
	advance(39);
	EXPECT_TRUE(take().empty());
	advance(1); // 40 ms
	Out o = one();
	expect_ack(o, onxt, pnxt);
	EXPECT_EQ(o.win, 65535); // no window scaling offered: 262144 capped to 16 bits
	EXPECT_EQ(st(STAT_tcp_delack), 1u);
	advance(1000);
	EXPECT_TRUE(take().empty());
}

// A data segment that also acknowledges our data (a response to our
// request) owes an ACK too: the delayed-ACK timer must still send it.
TEST_F(Tcp, DataThatAcksOurDataStillGetsItsDelayedAck)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	static const char req[] = "request";
	ASSERT_EQ(tcp_send(c, tcb(), req, 7), 0);
	Out d = one();
	EXPECT_EQ(d.data.size(), 7u);
	onxt += 7;
	una = onxt; // the peer's data acknowledges ours
	inject(seg(TCP_ACK | TCP_PSH, std::string(300, 'r')));
	pnxt += 300;
	EXPECT_TRUE(take().empty());
	advance(40);
	expect_ack(one(), onxt, pnxt);
	EXPECT_EQ(st(STAT_tcp_delack), 1u);
}

// Each listening port may carry its own application (iperf3 beside HTTP).
TEST_F(Tcp, ListenerAppIsChosenByPort)
{
	attach();
	static int other_accepted;
	other_accepted = 0;
	struct tcp_app other = {};
	other.accepted = [](struct tcp_ctx *, struct tcb *, void *a) { ++*(int *)a; };
	other.arg = &other_accepted;
	ASSERT_EQ(tcp_listen_app(c, 8081, &other), 0);
	lport = 8081;
	Seg s;
	s.flags = TCP_SYN;
	s.seq = 1000;
	s.opts = O_MSS(1460);
	s.win = pwin;
	inject(s);
	Out sa = one();
	ASSERT_EQ(sa.flags, TCP_SYN | TCP_ACK) << sa;
	iss = sa.seq;
	onxt = iss + 1;
	pnxt = 1001;
	una = onxt;
	inject(seg(TCP_ACK));
	EXPECT_EQ(state(), TCP_ESTABLISHED);
	EXPECT_EQ(other_accepted, 1);
	EXPECT_EQ(rec.accepted, 0); // tcp_attach's application saw nothing
	// one port, one owner: the same application again is fine, another is refused
	EXPECT_EQ(tcp_listen_app(c, 8081, &other), 0);
	struct tcp_app third = other;
	int third_arg = 0;
	third.arg = &third_arg;
	EXPECT_EQ(tcp_listen_app(c, 8081, &third), -EADDRINUSE);
	EXPECT_EQ(tcp_listen(c, 8081), -EADDRINUSE); // tcp_attach's application is another
	// the same callbacks again reuse the slot; eight different ones fill the table
	EXPECT_EQ(tcp_listen_app(c, 8082, &other), 0);
	int args[8];
	int ok = 0;
	for (int i = 0; i < 8; i++) {
		struct tcp_app a = other;
		a.arg = &args[i];
		ok += tcp_listen_app(c, (uint16_t)(9000 + i), &a) == 0;
	}
	EXPECT_EQ(ok, 6); // slots: attach's, other's, then six more (third took none)
	EXPECT_EQ(tcp_app_add(c, &third), -ENOSPC);
	tcp_unlisten(c, 8081);
	EXPECT_EQ(tcp_listen(c, 8081), 0);
}

TEST_F(Tcp, TwoFullSegmentsAreAckedAtOnce)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	inject(seg(TCP_ACK, std::string(1460, 'x')));
	pnxt += 1460;
	EXPECT_TRUE(take().empty());
	inject(seg(TCP_ACK, std::string(1460, 'y')));
	pnxt += 1460;
	expect_ack(one(), onxt, pnxt);
	advance(100); // the delayed ACK was cancelled
	EXPECT_TRUE(take().empty());
}

TEST_F(Tcp, AdvertisedWindowIsTheReceiveBufferScaled)
{
	conf.rcv_wnd = 100000;
	attach();
	Out sa = syn_in(cat({O_MSS(1460), O_WS(0)}));
	EXPECT_EQ(sa.win, 65535);
	EXPECT_EQ(sa.ws, 1); // 100000 >> 1 fits 16 bits
	una = onxt;
	inject(seg(TCP_ACK));
	inject(seg(TCP_ACK, std::string(1460, 'x')));
	pnxt += 1460;
	inject(seg(TCP_ACK, std::string(1460, 'y')));
	pnxt += 1460;
	Out o = one();
	EXPECT_EQ(o.win, 100000 >> 1);
}

// ============================================================ sending

TEST_F(Tcp, SendFillsTheInitialWindowOfTenSegments)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	static char buf[100000];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)i;
	ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
	std::vector<Out> v = take();
	ASSERT_EQ(v.size(), 10u); // RFC 6928: min(10 MSS, max(2 MSS, 14600))
	for (size_t i = 0; i < v.size(); i++) {
		EXPECT_EQ(v[i].flags, TCP_ACK) << v[i];
		EXPECT_EQ(v[i].seq, onxt + 1460 * i);
		EXPECT_EQ(v[i].ack, pnxt);
		ASSERT_EQ(v[i].data.size(), 1460u);
		EXPECT_EQ(memcmp(v[i].data.data(), buf + 1460 * i, 1460), 0);
	}
	EXPECT_EQ(tcb()->cwnd, 14600u);
	EXPECT_EQ(st(STAT_tcp_data_tx), 14600u);
	tcp_abort(c, tcb());
	Out rst = one();
	EXPECT_EQ(rst.flags, TCP_RST | TCP_ACK);
	EXPECT_EQ(rst.seq, onxt + 14600);
	EXPECT_EQ(rec.why, TCP_CLOSE_ABORT);
}

// RFC 9293 3.7.1 (MUST-16): no segment larger than the peer's MSS less our
// options. MSS 60 with timestamps: 48 bytes of payload per segment, as
// Linux sends; without timestamps 60. (It was raised to 64 first: 52.)
TEST_F(Tcp, MssBelow64IsHonouredWithTheTimestampBytesSubtracted)
{
	for (bool ts : {true, false}) {
		SCOPED_TRACE(ts ? "timestamps" : "no timestamps");
		rport++;
		rec = Rec();
		if (c == nullptr)
			attach();
		peer_ts = false;
		ASSERT_NO_FATAL_FAILURE(
			open_passive(ts ? cat({O_MSS(60), O_TS(100, 0)}) : O_MSS(60)));
		uint32_t want = ts ? 48u : 60u;
		EXPECT_EQ(tcb()->mss, want);
		static char buf[4000];
		ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
		std::vector<Out> v = take();
		ASSERT_FALSE(v.empty());
		for (const Out &o : v) {
			EXPECT_EQ(o.data.size(), want) << o;
			EXPECT_EQ(o.has_ts, ts) << o;
		}
		tcp_abort(c, tcb());
		drain();
	}
}

TEST_F(Tcp, InitialWindowIsCappedAt14600Bytes)
{
	attach();
	// RFC 6928: min(10 MSS, max(2 MSS, 14600)). With an MSS of 1900 (MTU
	// 1940, still within one mbuf) 10 MSS = 19000 is capped to 14600.
	w->port[0].mtu = 1940;
	ASSERT_NO_FATAL_FAILURE(open_passive(O_MSS(1900)));
	EXPECT_EQ(tcb()->mss, 1900);
	EXPECT_EQ(tcb()->cwnd, 14600u);
	static char buf[100000];
	ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
	std::vector<Out> v = take();
	ASSERT_EQ(v.size(), 7u); // 7 x 1900 = 13300; no runt while data is in flight
	for (const Out &o : v)
		EXPECT_EQ(o.data.size(), 1900u);
	tcp_abort(c, tcb());
}

TEST_F(Tcp, SendNeverBeyondThePeersWindow)
{
	attach();
	pwin = 3000;
	ASSERT_NO_FATAL_FAILURE(open_passive());
	static char buf[100000];
	ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
	std::vector<Out> v = take();
	ASSERT_EQ(v.size(), 2u); // 2 x 1460 = 2920 <= 3000; no 80-byte runt
	una = onxt + 2920;
	inject(seg(TCP_ACK)); // acks both, window 3000 from una
	v = take();
	ASSERT_EQ(v.size(), 2u);
	EXPECT_EQ(v[0].seq, onxt + 2920);
	EXPECT_EQ(rec.sent, 2920u);
	tcp_abort(c, tcb());
}

TEST_F(Tcp, ZeroWindowSendsNothingThenProbesAfterTheRto)
{
	attach();
	pwin = 0;
	ASSERT_NO_FATAL_FAILURE(open_passive());
	static char buf[5000];
	memset(buf, 'z', sizeof(buf));
	ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
	EXPECT_TRUE(take().empty());
	advance(999);
	EXPECT_TRUE(take().empty());
	advance(1);
	Out p = one(); // one byte beyond the window (RFC 9293 3.8.6.1)
	EXPECT_EQ(p.flags & (TCP_ACK | TCP_SYN | TCP_FIN | TCP_RST), TCP_ACK);
	EXPECT_EQ(p.seq, onxt);
	EXPECT_EQ(p.data, "z");
	// the peer keeps answering with a zero window, probes back off and
	// continue for longer than max_retries: RFC 1122 4.2.2.17 says the
	// connection MUST stay open while the probes are acknowledged
	uint32_t gap = 2000;
	for (uint32_t i = 0; i < c->conf.max_retries + 3; i++) {
		inject(seg(TCP_ACK));
		EXPECT_TRUE(take().empty());
		advance(gap);
		std::vector<Out> v = take();
		ASSERT_EQ(v.size(), 1u) << "probe " << i;
		EXPECT_EQ(v[0].seq, onxt);
		EXPECT_EQ(v[0].data.size(), 1u);
		gap = gap * 2 > c->conf.rto_max_ms ? c->conf.rto_max_ms : gap * 2;
	}
	EXPECT_EQ(state(), TCP_ESTABLISHED);
	EXPECT_EQ(rec.closed, 0);
	// the window opens: data flows from the probe byte on
	pwin = 65535;
	inject(seg(TCP_ACK));
	std::vector<Out> v = take();
	ASSERT_FALSE(v.empty());
	EXPECT_EQ(v[0].seq, onxt);
	uint32_t total = 0;
	for (const Out &o : v)
		total += (uint32_t)o.data.size();
	EXPECT_GE(total, 1460u);
	tcp_abort(c, tcb());
}

TEST_F(Tcp, AcksOpenCwndInSlowStartAndSentReportsAckedBytes)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	static char buf[200000];
	ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
	std::vector<Out> v = take();
	ASSERT_EQ(v.size(), 10u);
	// the peer acks each segment: +1 MSS per ACK (RFC 5681 eqn 2), and each
	// ACK lets two new segments out
	size_t more = 0;
	for (int i = 0; i < 10; i++) {
		una = onxt + 1460 * (i + 1);
		inject(seg(TCP_ACK));
		more += take().size();
		EXPECT_EQ(rec.sent, 1460u * (i + 1));
	}
	EXPECT_EQ(tcb()->cwnd, 20u * 1460);
	EXPECT_EQ(more, 20u);
	EXPECT_EQ(tcp_flight(tcb()), 20u * 1460);
	tcp_abort(c, tcb());
}

// RFC 7661 4.3 / RFC 2861: cwnd grows only while it limits the sender. A
// bulk sender held back by the peer's window used to grow cwnd by one MSS
// per ACK for ever (ssthresh starts "arbitrarily high"), until the 32-bit
// cwnd wrapped after ~4 GiB of ACKs and the connection fell to a few
// segments per RTT: a stall seen at high throughput.
TEST_F(Tcp, CwndStopsGrowingWhileThePeersWindowLimitsTheSender)
{
	attach();
	pwin = 14600; // ten segments: what the initial window sends at once
	ASSERT_NO_FATAL_FAILURE(open_passive());
	static char buf[2000000];
	ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
	uint32_t acked = 0;
	for (int round = 0; round < 100; round++) {
		std::vector<Out> v = take();
		ASSERT_FALSE(v.empty()) << "round " << round;
		uint32_t end = 0;
		for (const Out &o : v)
			end = o.seq + (uint32_t)o.data.size();
		// the whole window is out, never more
		EXPECT_LE(end - (onxt + acked), 14600u) << "round " << round;
		acked = end - onxt;
		una = end;
		inject(seg(TCP_ACK));
	}
	EXPECT_EQ(rec.sent, acked);
	// slow start grew cwnd to twice the flight the window allows, no further
	EXPECT_LE(tcb()->cwnd, 2u * 14600 + 1460);
	EXPECT_GE(tcb()->cwnd, 14600u);
	tcp_abort(c, tcb());
}

TEST_F(Tcp, InfoReportsTheSendSide)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive(cat({O_MSS(1460), O_TS(100, 0)})));
	static char buf[5000];
	ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
	struct tcp_info ti;
	tcp_get_info(tcb(), &ti);
	EXPECT_EQ(ti.state, TCP_ESTABLISHED);
	EXPECT_EQ(ti.mss, tcb()->mss);
	EXPECT_EQ(ti.cwnd, tcb()->cwnd);
	EXPECT_EQ(ti.ssthresh, UINT32_MAX);
	EXPECT_EQ(ti.snd_wnd, tcb()->snd_wnd);
	EXPECT_EQ(ti.flight, 5000u);
	EXPECT_EQ(ti.queued, 5000u);
	EXPECT_EQ(ti.srtt_us, tcb()->srtt8 * 125u);
	EXPECT_EQ(ti.rttvar_us, tcb()->rttvar4 * 250u);
	EXPECT_EQ(ti.rto_ms, tcb()->rto);
	EXPECT_EQ(ti.total_retrans, 0u);
	take();
	tcp_abort(c, tcb());
}

TEST_F(Tcp, ReleasedReportsEachChunkOnceWhenAckedOrDropped)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	static const char a[100] = {1}, b[50] = {2}, d[30] = {3};
	ASSERT_EQ(tcp_send(c, tcb(), a, sizeof(a)), 0);
	ASSERT_EQ(tcp_send(c, tcb(), b, sizeof(b)), 0);
	ASSERT_EQ(tcp_send(c, tcb(), d, sizeof(d)), 0);
	size_t bytes = 0;
	for (const Out &o : take())
		bytes += o.data.size();
	EXPECT_EQ(bytes, 180u);
	una = onxt + 60; // part of the first chunk: still queued
	inject(seg(TCP_ACK));
	EXPECT_TRUE(rec.released.empty());
	una = onxt + 110; // all of the first, part of the second
	inject(seg(TCP_ACK));
	ASSERT_EQ(rec.released.size(), 1u);
	EXPECT_EQ(rec.released[0].first, (const void *)a);
	EXPECT_EQ(rec.released[0].second, 100u);
	EXPECT_EQ(rec.sent, 110u);
	tcp_abort(c, tcb()); // what is still queued goes, in order
	EXPECT_EQ(one().flags, TCP_RST | TCP_ACK);
	ASSERT_EQ(rec.released.size(), 3u);
	EXPECT_EQ(rec.released[1].first, (const void *)b);
	EXPECT_EQ(rec.released[1].second, 50u);
	EXPECT_EQ(rec.released[2].first, (const void *)d);
	EXPECT_EQ(rec.released[2].second, 30u);
	EXPECT_EQ(rec.closed, 1);
}

TEST_F(Tcp, AcknowledgedChunkIsReleasedOnceThroughTimeWait)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	static const char a[10] = {1};
	ASSERT_EQ(tcp_send(c, tcb(), a, sizeof(a)), 0);
	ASSERT_EQ(take().size(), 1u);
	onxt += sizeof(a);
	una = onxt;
	inject(seg(TCP_ACK));
	ASSERT_EQ(rec.released.size(), 1u);
	ASSERT_NO_FATAL_FAILURE(to_time_wait());
	EXPECT_EQ(rec.released.size(), 1u) << "an acknowledged chunk is released once";
}

TEST_F(Tcp, CloseSendsFinAfterQueuedData)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	static const char msg[] = "HTTP/1.1 200 OK\r\n\r\n";
	ASSERT_EQ(tcp_send(c, tcb(), msg, sizeof(msg) - 1), 0);
	Out d = one();
	EXPECT_EQ(d.data, std::string(msg));
	tcp_close(c, tcb());
	Out f = one();
	EXPECT_EQ(f.flags, TCP_FIN | TCP_ACK);
	EXPECT_EQ(f.seq, onxt + sizeof(msg) - 1);
	EXPECT_EQ(tcp_send(c, tcb(), msg, 1), -ENOTCONN);
	una = f.seq + 1;
	inject(seg(TCP_ACK));
	EXPECT_EQ(state(), TCP_FIN_WAIT_2);
	EXPECT_EQ(rec.sent, sizeof(msg) - 1);
}

// ============================================================ RTO (RFC 6298)

TEST_F(Tcp, RtoBacksOffToTheMaxThenAbortsWithRst)
{
	conf.rto_max_ms = 8000;
	conf.max_retries = 6;
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	static char buf[100];
	ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
	ASSERT_EQ(take().size(), 1u);
	const uint32_t gaps[] = {1000, 2000, 4000, 8000, 8000, 8000};
	for (uint32_t g : gaps) {
		advance(g - 1);
		EXPECT_TRUE(take().empty()) << "early retransmission before " << g;
		advance(1);
		Out r = one();
		EXPECT_EQ(r.seq, onxt) << "after " << g;
		EXPECT_EQ(r.data.size(), 100u);
	}
	EXPECT_EQ(st(STAT_tcp_rto), 6u);
	EXPECT_EQ(st(STAT_tcp_retrans), 6u);
	struct tcp_info ti;
	tcp_get_info(tcb(), &ti);
	EXPECT_EQ(ti.total_retrans, 6u) << "the connection's own count (iperf3's retransmits)";
	advance(7999);
	EXPECT_TRUE(take().empty());
	advance(1);
	Out rst = one();
	EXPECT_EQ(rst.flags, TCP_RST | TCP_ACK);
	EXPECT_EQ(state(), TCP_CLOSED);
	EXPECT_EQ(rec.closed, 1);
	EXPECT_EQ(rec.why, TCP_CLOSE_TIMEOUT);
	EXPECT_EQ(st(STAT_tcp_closed_timeout), 1u);
}

TEST_F(Tcp, KarnTakesNoRttSampleFromARetransmittedSegment)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	struct tcb *t = tcb();
	static char buf[3000];
	ASSERT_EQ(tcp_send(c, t, buf, 100), 0);
	ASSERT_EQ(take().size(), 1u);
	advance(1000);
	ASSERT_EQ(take().size(), 1u); // retransmitted
	EXPECT_EQ(t->rto, 2000u);
	advance(30);
	una = onxt + 100;
	inject(seg(TCP_ACK));
	EXPECT_EQ(t->srtt8, 0u) << "an RTT sample was taken from a retransmission";
	EXPECT_EQ(t->rto, 2000u); // backed-off RTO kept until a valid sample
	// a fresh segment is timed: 100 ms -> SRTT 100, RTTVAR 50, RTO 300 (RFC 6298 2.2)
	ASSERT_EQ(tcp_send(c, t, buf + 100, 100), 0);
	ASSERT_EQ(take().size(), 1u);
	advance(100);
	una += 100;
	inject(seg(TCP_ACK));
	EXPECT_EQ(t->srtt8 >> 3, 100u);
	EXPECT_EQ(t->rttvar4 >> 2, 50u);
	EXPECT_EQ(t->rto, 300u);
	tcp_abort(c, t);
}

TEST_F(Tcp, SynAckRetransmittedWithBackoffThenGivesUp)
{
	conf.syn_retries = 3;
	attach();
	Out first = syn_in(O_MSS(1460));
	for (uint32_t g : {1000u, 2000u, 4000u}) {
		advance(g - 1);
		EXPECT_TRUE(take().empty());
		advance(1);
		Out o = one();
		EXPECT_EQ(o.flags, TCP_SYN | TCP_ACK);
		EXPECT_EQ(o.seq, first.seq);
		EXPECT_EQ(o.ack, first.ack);
		EXPECT_TRUE(o.has_mss);
	}
	advance(8000);
	EXPECT_TRUE(take().empty()); // give up silently
	EXPECT_EQ(state(), TCP_CLOSED);
	EXPECT_EQ(rec.closed, 0); // never accepted
	EXPECT_EQ(c->nb_synrcvd, 0u);
	EXPECT_EQ(tcp_nb_conns(c), 0u);
	EXPECT_EQ(st(STAT_tcp_closed_timeout), 1u);
}

TEST_F(Tcp, SynRetransmittedThenActiveOpenTimesOut)
{
	conf.syn_retries = 2;
	attach();
	lport = 50002;
	struct tcb *t;
	ASSERT_EQ(tcp_connect(c, wp, wp->ip, rte_cpu_to_be_16(lport), rte_cpu_to_be_32(PEER_IP),
			      rte_cpu_to_be_16(rport), &t),
		  0);
	Out syn = one();
	for (uint32_t g : {1000u, 2000u}) {
		advance(g);
		Out o = one();
		EXPECT_EQ(o.flags, TCP_SYN);
		EXPECT_EQ(o.seq, syn.seq);
	}
	advance(4000);
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(rec.closed, 1);
	EXPECT_EQ(rec.why, TCP_CLOSE_TIMEOUT);
}

TEST_F(Tcp, RtoAfterARetransmittedSynIsThreeSeconds)
{
	// RFC 6298 5.7: the SYN(-ACK) timed out and no RTT sample exists: the
	// RTO is re-initialised to 3 s when data transmission begins.
	attach();
	syn_in(O_MSS(1460));
	advance(1000);
	ASSERT_EQ(take().size(), 1u); // SYN-ACK again
	una = onxt;
	inject(seg(TCP_ACK));
	ASSERT_EQ(state(), TCP_ESTABLISHED);
	EXPECT_EQ(tcb()->rto, 3000u);
	tcp_abort(c, tcb());
}

TEST_F(Tcp, ActiveOpenRttSampleSetsTheRto)
{
	// RFC 6298 2.2: the first sample R gives RTO = R + 4 * R/2 = 3R; it is
	// not clamped back to the initial RTO.
	attach();
	lport = 50003;
	struct tcb *t;
	ASSERT_EQ(tcp_connect(c, wp, wp->ip, rte_cpu_to_be_16(lport), rte_cpu_to_be_32(PEER_IP),
			      rte_cpu_to_be_16(rport), &t),
		  0);
	Out syn = one();
	advance(500);
	Seg s;
	s.flags = TCP_SYN | TCP_ACK;
	s.seq = 1;
	s.ack = syn.seq + 1;
	s.opts = O_MSS(1460);
	inject(s);
	ASSERT_EQ(t->state, TCP_ESTABLISHED);
	EXPECT_EQ(t->srtt8 >> 3, 500u);
	EXPECT_EQ(t->rto, 1500u);
}

// ============================================================ fast retransmit (RFC 5681, 6582)

class TcpRecovery : public Tcp, public ::testing::WithParamInterface<uint32_t> {};

TEST_P(TcpRecovery, ThreeDupAcksFastRetransmitPartialAckFullAck)
{
	conf.cc = TCP_CC_NEWRENO; // NewReno's ssthresh = FlightSize / 2 (RFC 5681 eqn 4)
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	// our sequence space rebased: the test must not depend on the random ISN
	ASSERT_NO_FATAL_FAILURE(rebase_our_seq(GetParam()));
	uint32_t base = onxt;
	static char buf[100000];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7);
	ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
	ASSERT_EQ(take().size(), 10u); // base .. base + 14600
	// segments 0 and 3 are lost; the peer acks nothing beyond base. The first
	// two duplicate ACKs each let one new segment out (Limited Transmit,
	// RFC 3042), the third triggers the fast retransmit.
	for (int i = 0; i < 2; i++) {
		inject(seg(TCP_ACK));
		std::vector<Out> lt = take();
		ASSERT_EQ(lt.size(), 1u);
		EXPECT_EQ(lt[0].seq, base + 14600 + (uint32_t)i * 1460);
	}
	inject(seg(TCP_ACK));
	Out r = one();
	EXPECT_EQ(r.seq, base);
	EXPECT_EQ(r.data.size(), 1460u);
	EXPECT_EQ(memcmp(r.data.data(), buf, 1460), 0);
	EXPECT_EQ(st(STAT_tcp_fast_retrans), 1u);
	struct tcb *t = tcb();
	EXPECT_TRUE(t->flags & TF_RECOVERY);
	EXPECT_EQ(t->ssthresh, 8760u); // half of 12 segments in flight
	EXPECT_EQ(t->cwnd, 8760u + 3 * 1460);
	EXPECT_EQ(t->recover, base + 17520);
	// more dup ACKs inflate cwnd (RFC 5681 3.2 step 4)
	inject(seg(TCP_ACK));
	EXPECT_EQ(t->cwnd, 8760u + 4 * 1460);
	take();
	// partial ACK up to the second hole: the next hole is resent at once
	una = base + 3 * 1460;
	inject(seg(TCP_ACK));
	std::vector<Out> v = take();
	ASSERT_FALSE(v.empty());
	EXPECT_EQ(v[0].seq, base + 3 * 1460);
	EXPECT_EQ(v[0].data.size(), 1460u);
	EXPECT_TRUE(t->flags & TF_RECOVERY);
	EXPECT_EQ(rec.sent, 3u * 1460); // sent() counts partially acked bytes
	// full ACK (covers recover): recovery ends, cwnd = min(ssthresh, flight + MSS)
	una = base + 17520;
	uint32_t flight = t->snd_max - una; // after the full ACK, before new data
	inject(seg(TCP_ACK));
	EXPECT_FALSE(t->flags & TF_RECOVERY);
	// RFC 6582 3.2 step 3 (1): min(ssthresh, max(FlightSize, SMSS) + SMSS)
	EXPECT_EQ(t->cwnd, std::min<uint32_t>(8760u, std::max<uint32_t>(flight, 1460) + 1460));
	EXPECT_EQ(rec.sent, 17520u);
	take();
	tcp_abort(c, t);
}

INSTANTIATE_TEST_SUITE_P(SeqBase, TcpRecovery,
			 ::testing::Values(0x10000000u, 0x90000000u, 0xfffff000u));

// ============================================================ RACK-TLP, CUBIC

/** SACK option: NOP NOP, kind 5 with the blocks [l, r). */
Bytes
O_SACK(std::initializer_list<std::pair<uint32_t, uint32_t>> blocks)
{
	Bytes b = {1, 1, 5, (uint8_t)(2 + 8 * blocks.size())};
	for (auto &e : blocks)
		for (uint32_t v : {e.first, e.second})
			for (int sh = 24; sh >= 0; sh -= 8)
				b.push_back((uint8_t)(v >> sh));
	return b;
}

class TcpRack : public Tcp {
protected:
	uint32_t base = 0;
	char buf[20 * 1460];

	/** ESTABLISHED with SACK (no timestamps: RTT from the timed segment),
	 *  our sequence space at 0x10000000, n segments queued and sent. */
	void start(uint32_t nseg)
	{
		attach();
		ASSERT_NO_FATAL_FAILURE(open_passive(cat({O_MSS(1460), O_SACKOK()})));
		ASSERT_TRUE(tcb()->flags & TF_SACK);
		ASSERT_NO_FATAL_FAILURE(rebase_our_seq(0x10000000u));
		base = onxt;
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (char)(i * 13 + 1);
		ASSERT_EQ(tcp_send(c, tcb(), buf, nseg * 1460), 0);
		ASSERT_EQ(take().size(), nseg);
	}
	uint32_t S(uint32_t i) const { return base + i * 1460; }
	Seg sack(std::initializer_list<std::pair<uint32_t, uint32_t>> blocks)
	{
		Seg s = seg(TCP_ACK);
		s.opts = O_SACK(blocks);
		return s;
	}
	bool resent(const std::vector<Out> &v, uint32_t seq)
	{
		for (const Out &o : v)
			if (o.seq == seq && !o.data.empty())
				return true;
		return false;
	}
};

TEST_F(TcpRack, LostTailIsRecoveredByAProbeNotAnRto)
{
	ASSERT_NO_FATAL_FAILURE(start(4));
	advance(10);
	una = S(2); // segments 0, 1 arrive; 2 and 3 (the tail) are lost
	inject(seg(TCP_ACK));
	EXPECT_TRUE(take().empty());
	struct tcb *t = tcb();
	EXPECT_EQ(t->srtt8 >> 3, 10u);
	EXPECT_EQ(t->rto, 200u); // rto_min
	// PTO = 2 SRTT + 2 ms (two segments out, as Linux), long before the RTO
	advance(21);
	EXPECT_TRUE(take().empty());
	advance(1);
	Out p = one();
	EXPECT_EQ(p.seq, S(3)); // the last segment again, as first sent
	ASSERT_EQ(p.data.size(), 1460u);
	EXPECT_EQ(memcmp(p.data.data(), buf + 3 * 1460, 1460), 0);
	EXPECT_EQ(st(STAT_tcp_tlp), 1u);
	// its ACK SACKs it: segment 2 is resent at once (two out: DupThresh 1)
	inject(sack({{S(3), S(4)}}));
	Out r = one();
	EXPECT_EQ(r.seq, S(2));
	ASSERT_EQ(r.data.size(), 1460u);
	EXPECT_EQ(memcmp(r.data.data(), buf + 2 * 1460, 1460), 0);
	una = S(4);
	inject(seg(TCP_ACK));
	EXPECT_EQ(t->snd_una, S(4));
	advance(2000);
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(st(STAT_tcp_rto), 0u);
	EXPECT_EQ(st(STAT_tcp_retrans), 2u);
	EXPECT_EQ(rec.sent, 4u * 1460);
}

TEST_F(TcpRack, ReorderingWithinTheRackWindowDoesNotRetransmit)
{
	ASSERT_NO_FATAL_FAILURE(start(10));
	advance(40);
	una = S(1);
	inject(seg(TCP_ACK));
	take();
	EXPECT_EQ(tcb_rk(c, tcb())->min_rtt, 40u); // reo_wnd = 10 ms
	// segment 1 comes after 2: one SACK, then the late segment fills the
	// hole (its first transmission): RACK has seen reordering
	inject(sack({{S(2), S(3)}}));
	una = S(3);
	inject(seg(TCP_ACK));
	take();
	EXPECT_EQ(st(STAT_tcp_retrans), 0u);
	// segment 3 comes after 4..7: four duplicate ACKs, more than DupThresh,
	// and still no retransmission within the reordering window
	for (uint32_t k = 1; k <= 4; k++) {
		inject(sack({{S(4), S(4 + k)}}));
		EXPECT_FALSE(resent(take(), S(3))) << "dup ACK " << k;
	}
	advance(5);
	EXPECT_TRUE(take().empty());
	una = S(8);
	inject(seg(TCP_ACK));
	take();
	EXPECT_FALSE(tcb()->flags & TF_RECOVERY);
	EXPECT_EQ(st(STAT_tcp_retrans), 0u);
	EXPECT_EQ(st(STAT_tcp_fast_retrans), 0u);
	// a real loss (segment 8, 9 SACKed): recovered when the window ends
	inject(sack({{S(9), S(10)}}));
	EXPECT_FALSE(resent(take(), S(8)));
	advance(10);
	Out r = one();
	EXPECT_EQ(r.seq, S(8));
	EXPECT_EQ(memcmp(r.data.data(), buf + 8 * 1460, 1460), 0);
	EXPECT_EQ(st(STAT_tcp_rack_recovery), 1u);
	EXPECT_EQ(st(STAT_tcp_rto), 0u);
}

TEST_F(TcpRack, WithoutReorderingSeenDupThreshSackedRecoversAtOnce)
{
	ASSERT_NO_FATAL_FAILURE(start(10));
	advance(40);
	una = S(1);
	inject(seg(TCP_ACK));
	take();
	// RFC 8985 6.2: no reordering seen, DupThresh segments SACKed: reo_wnd 0
	inject(sack({{S(2), S(3)}}));
	inject(sack({{S(2), S(4)}}));
	EXPECT_FALSE(resent(take(), S(1)));
	inject(sack({{S(2), S(5)}}));
	EXPECT_TRUE(resent(take(), S(1)));
	EXPECT_TRUE(tcb()->flags & TF_RECOVERY);
	EXPECT_EQ(st(STAT_tcp_rack_recovery), 0u);
}

TEST_F(TcpRack, PrrSendsInProportionToDeliveriesDuringRecovery)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive(cat({O_MSS(1460), O_SACKOK()})));
	ASSERT_NO_FATAL_FAILURE(rebase_our_seq(0x10000000u));
	base = onxt;
	static char big[40 * 1460];
	struct tcb *t = tcb();
	t->cwnd = 20 * 1460; // 20 in flight, 20 more queued
	ASSERT_EQ(tcp_send(c, t, big, sizeof(big)), 0);
	ASSERT_EQ(take().size(), 20u);
	// segment 0 lost; three SACKs (no reordering seen) start the recovery
	for (uint32_t k = 1; k <= 3; k++)
		inject(sack({{S(1), S(1 + k)}}));
	std::vector<Out> v = take();
	// the first two let a new segment out each (Limited Transmit), the third
	// the retransmission: RecoverFS is the 22 segments in flight then
	ASSERT_EQ(v.size(), 3u);
	EXPECT_EQ(v[2].seq, S(0));
	EXPECT_TRUE(t->flags & TF_RECOVERY);
	const double recover_fs = 22 * 1460.0;
	const uint32_t ssthresh = 20 * 1460 * 7 / 10; // CUBIC beta 0.7
	EXPECT_EQ(t->ssthresh, ssthresh);
	// each further ACK delivers one segment: PRR lets out
	// ceil(delivered * ssthresh / RecoverFS) in all, not one per ACK
	uint32_t out = 1; // the retransmission
	for (uint32_t j = 1; j <= 8; j++) {
		inject(sack({{S(1), S(4 + j)}}));
		out += (uint32_t)take().size();
		double want = std::ceil(std::ceil(j * 1460.0 * ssthresh / recover_fs) / 1460.0);
		EXPECT_EQ(out, (uint32_t)want) << "after " << j << " deliveries";
		EXPECT_LT(out, j + 1) << "faster than the deliveries";
	}
	tcp_abort(c, t);
}

TEST(TcpCubic, KAndWindowFollowRfc9438)
{
	// K = cbrt(W_max (1 - beta) / C) s: W_max 1000 segments -> cbrt(750)
	EXPECT_NEAR(tcp_cubic_k(1000u * 1460, 700u * 1460, 1460), 9086.0, 2.0);
	EXPECT_EQ(tcp_cubic_k(1000u * 1460, 1000u * 1460, 1460), 0u);
	// W_cubic(K) = W_max; W_cubic(0) = cwnd_epoch; W_cubic(K + 1 s) = W_max + C
	uint32_t k = tcp_cubic_k(1000u * 1460, 700u * 1460, 1460);
	EXPECT_EQ(tcp_cubic_window(1000u * 1460, k, k, 1460), 1000u * 1460);
	EXPECT_NEAR(tcp_cubic_window(1000u * 1460, k, 0, 1460), 700.0 * 1460, 1460.0);
	EXPECT_NEAR(tcp_cubic_window(1000u * 1460, k, k + 1000, 1460), 1000.4 * 1460, 2.0);
}

// Drive the CC through ACKs of a full window every RTT (100 ms) after a
// congestion event at 1000 segments: cwnd follows W_cubic(t), not Reno.
TEST_F(Tcp, CubicWindowGrowthFollowsWCubic)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	struct tcb *t = tcb();
	const uint32_t mss = t->mss, rtt = 100;
	ASSERT_EQ(mss, 1460u);
	t->srtt8 = rtt << 3;
	t->cwnd = 1000 * mss;
	t->ssthresh = tcp_cc_ssthresh(c, t);
	EXPECT_EQ(t->ssthresh, 700u * mss);
	t->cwnd = t->ssthresh;
	double k = std::cbrt(1000.0 * 0.3 / 0.4); // s
	uint32_t t0 = c->tick;
	for (int r = 1; r <= 130; r++) {
		uint32_t n = t->cwnd / mss;
		for (uint32_t i = 0; i < n; i++) {
			t->snd_max = t->snd_una + t->cwnd; // cwnd-limited
			tcp_cc_ack(c, t, mss);
		}
		t->snd_max = t->snd_una;
		advance(rtt);
		double el = (c->tick - t0) / 1000.0;		// s since the epoch began
		double wc = 0.4 * std::pow(el - k, 3) + 1000.0; // segments
		if (r % 10 == 0) {
			EXPECT_NEAR((double)t->cwnd / mss, wc, 0.03 * wc) << "after " << el << " s";
		}
	}
	// beyond K it probes above W_max (convex region)
	EXPECT_GT(t->cwnd, 1000u * mss);
}

TEST_F(Tcp, NewRenoGrowsOneSegmentPerRtt)
{
	conf.cc = TCP_CC_NEWRENO;
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	struct tcb *t = tcb();
	const uint32_t mss = t->mss;
	t->cwnd = t->ssthresh = 100 * mss;
	for (int r = 0; r < 10; r++) {
		uint32_t n = t->cwnd / mss;
		for (uint32_t i = 0; i < n; i++) {
			t->snd_max = t->snd_una + t->cwnd;
			tcp_cc_ack(c, t, mss);
		}
	}
	t->snd_max = t->snd_una;
	EXPECT_NEAR((double)t->cwnd / mss, 110.0, 0.5);
	// and its ssthresh is half the flight
	t->snd_max = t->snd_una + 80 * mss;
	EXPECT_EQ(tcp_cc_ssthresh(c, t), 40u * mss);
	t->snd_max = t->snd_una;
}

// ============================================================ TIME-WAIT

TEST_F(Tcp, TimeWaitAfterActiveCloseExpiresAfterTimeWaitMs)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	ASSERT_NO_FATAL_FAILURE(to_time_wait());
	EXPECT_EQ(rec.closed, 0);
	advance(99);
	EXPECT_EQ(state(), TCP_TIME_WAIT);
	advance(1);
	EXPECT_EQ(state(), TCP_CLOSED);
	EXPECT_EQ(rec.closed, 1);
	EXPECT_EQ(rec.why, TCP_CLOSE_NORMAL);
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(st(STAT_tcp_time_wait), 1u);
}

TEST_F(Tcp, SimultaneousCloseGoesThroughClosingToTimeWait)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	ASSERT_NO_FATAL_FAILURE(to_closing());
	una = onxt;
	inject(seg(TCP_ACK));
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(state(), TCP_TIME_WAIT);
	advance(100);
	EXPECT_EQ(state(), TCP_CLOSED);
	EXPECT_EQ(rec.why, TCP_CLOSE_NORMAL);
}

TEST_F(Tcp, FinAckedTogetherWithPeerFinGoesStraightToTimeWait)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	ASSERT_NO_FATAL_FAILURE(to_fin_wait_1());
	una = onxt;
	inject(seg(TCP_FIN | TCP_ACK));
	pnxt++;
	expect_ack(one(), onxt, pnxt);
	EXPECT_EQ(state(), TCP_TIME_WAIT);
}

TEST_F(Tcp, RetransmittedFinInTimeWaitIsReAckedAndRestartsTheTimer)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	ASSERT_NO_FATAL_FAILURE(to_time_wait());
	advance(60);
	Seg f = seg(TCP_FIN | TCP_ACK);
	f.seq = pnxt - 1;
	inject(f);
	expect_ack(one(), onxt, pnxt);
	advance(60); // 120 ms after entering, 60 after the restart
	EXPECT_EQ(state(), TCP_TIME_WAIT);
	advance(40);
	EXPECT_EQ(state(), TCP_CLOSED);
}

TEST_F(Tcp, NewSynWithHigherSeqReopensTimeWait)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	ASSERT_NO_FATAL_FAILURE(to_time_wait());
	Seg s;
	s.flags = TCP_SYN;
	s.seq = pnxt + 100000;
	s.opts = O_MSS(1460);
	inject(s);
	Out o = one();
	EXPECT_EQ(o.flags, TCP_SYN | TCP_ACK);
	EXPECT_EQ(o.ack, pnxt + 100001);
	EXPECT_EQ(state(), TCP_SYN_RECEIVED);
	EXPECT_EQ(rec.closed, 1); // the old incarnation
	EXPECT_EQ(tcp_nb_conns(c), 1u);
	iss = o.seq;
	pnxt = s.seq + 1;
	una = onxt = iss + 1;
	inject(seg(TCP_ACK));
	EXPECT_EQ(state(), TCP_ESTABLISHED);
	EXPECT_EQ(rec.accepted, 2);
}

// RFC 6191: with timestamps on both incarnations, the timestamp decides: a
// SYN with a lower sequence number but a newer TSval opens the new
// connection (Linux does; an ACK with the old RCV.NXT would stall the
// client for a SYN RTO).
TEST_F(Tcp, TimeWaitSynWithNewerTimestampAndLowerSeqOpensNewConnection)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive(cat({O_MSS(1460), O_TS(1000, 0)})));
	peer_tsval = 1100;
	ASSERT_NO_FATAL_FAILURE(to_time_wait());
	Seg s;
	s.flags = TCP_SYN;
	s.seq = pnxt - 500000; // lower than RCV.NXT
	s.opts = cat({O_MSS(1460), O_TS(1200, 0)});
	inject(s);
	Out o = one();
	EXPECT_EQ(o.flags, TCP_SYN | TCP_ACK) << o;
	EXPECT_EQ(o.ack, s.seq + 1) << o;
	EXPECT_TRUE(o.has_ts);
	EXPECT_EQ(o.tsecr, 1200u);
	EXPECT_EQ(state(), TCP_SYN_RECEIVED);
	EXPECT_EQ(rec.closed, 1); // the old incarnation
	EXPECT_EQ(st(STAT_drop_tcp_window), 0u);
	EXPECT_EQ(tcp_nb_conns(c), 1u);
}

// ... and a SYN whose TSval is not newer is an old duplicate, whatever its
// sequence number: TIME-WAIT answers it with an ACK (RFC 9293 3.10.7.4).
TEST_F(Tcp, TimeWaitSynWithOlderTimestampAndHigherSeqIsAcked)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive(cat({O_MSS(1460), O_TS(1000, 0)})));
	peer_tsval = 1100;
	ASSERT_NO_FATAL_FAILURE(to_time_wait());
	Seg s;
	s.flags = TCP_SYN;
	s.seq = pnxt + 100000;
	s.opts = cat({O_MSS(1460), O_TS(900, 0)});
	inject(s);
	Out o = one();
	EXPECT_EQ(o.flags, TCP_ACK) << o;
	EXPECT_EQ(o.ack, pnxt) << o;
	EXPECT_EQ(state(), TCP_TIME_WAIT);
	EXPECT_EQ(rec.closed, 0);
}

// Without timestamps the sequence number decides: not above RCV.NXT, the
// SYN gets the TIME-WAIT ACK.
TEST_F(Tcp, TimeWaitSynWithoutTimestampsAndLowerSeqIsAcked)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	ASSERT_NO_FATAL_FAILURE(to_time_wait());
	Seg s;
	s.flags = TCP_SYN;
	s.seq = pnxt - 1000;
	s.opts = O_MSS(1460);
	inject(s);
	Out o = one();
	EXPECT_EQ(o.flags, TCP_ACK) << o;
	EXPECT_EQ(o.ack, pnxt) << o;
	EXPECT_EQ(state(), TCP_TIME_WAIT);
}

TEST_F(Tcp, LastAckClosesWhenOurFinIsAcked)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	ASSERT_NO_FATAL_FAILURE(to_last_ack());
	// the FIN is retransmitted by the RTO while unacknowledged
	advance(1000);
	Out f = one();
	EXPECT_EQ(f.flags, TCP_FIN | TCP_ACK);
	EXPECT_EQ(f.seq, onxt - 1);
	una = onxt;
	inject(seg(TCP_ACK));
	EXPECT_EQ(state(), TCP_CLOSED);
	EXPECT_EQ(rec.why, TCP_CLOSE_NORMAL);
	EXPECT_EQ(tcp_nb_conns(c), 0u);
}

// ============================================================ sequence wrap-around

TEST_F(Tcp, PeerSequenceWrapsAround)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive(O_MSS(1460), 0xffffff00));
	std::string want;
	for (int i = 0; i < 4; i++) { // 4 x 100 bytes from 0xffffff01 across 0
		std::string d(100, (char)('A' + i));
		inject(seg(TCP_ACK, d));
		pnxt += 100;
		want += d;
	}
	EXPECT_EQ(rec.data, want);
	EXPECT_EQ(tcb()->rcv_nxt, 0xffffff01u + 400u);
	// out of order across the wrap
	Seg later = seg(TCP_ACK, "later");
	later.seq = pnxt + 5;
	inject(later);
	take();
	inject(seg(TCP_ACK, "first"));
	pnxt += 10;
	EXPECT_EQ(rec.data, want + "firstlater");
	expect_ack(one(), onxt, pnxt);
	ASSERT_NO_FATAL_FAILURE(to_close_wait());
}

TEST_F(Tcp, OurSequenceWrapsAround)
{
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	ASSERT_NO_FATAL_FAILURE(rebase_our_seq(0xffffe000u));
	static char buf[20000];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i % 251);
	ASSERT_EQ(tcp_send(c, tcb(), buf, sizeof(buf)), 0);
	std::vector<Out> v = take();
	ASSERT_EQ(v.size(), 10u);
	for (size_t i = 0; i < v.size(); i++) {
		EXPECT_EQ(v[i].seq, (uint32_t)(0xffffe000u + 1460 * i));
		EXPECT_EQ(memcmp(v[i].data.data(), buf + 1460 * i, 1460), 0);
	}
	// ACKs across the wrap move the window; the rest flows
	uint64_t got = 14600;
	while (got < sizeof(buf)) {
		una = 0xffffe000u + (uint32_t)got;
		inject(seg(TCP_ACK));
		for (const Out &o : take()) {
			EXPECT_EQ(o.seq, (uint32_t)(0xffffe000u + got));
			EXPECT_EQ(memcmp(o.data.data(), buf + got, o.data.size()), 0);
			got += o.data.size();
		}
	}
	una = 0xffffe000u + (uint32_t)sizeof(buf);
	inject(seg(TCP_ACK));
	EXPECT_EQ(rec.sent, sizeof(buf));
	EXPECT_EQ(tcp_flight(tcb()), 0u);
	tcp_close(c, tcb());
	Out f = one();
	EXPECT_EQ(f.seq, una);
	EXPECT_EQ(f.flags, TCP_FIN | TCP_ACK);
}

// ============================================================ option parsing

TEST(TcpOpts, MalformedLengthsAreRejected)
{
	struct Case {
		const char *name;
		Bytes b;
	} cases[] = {
		{"len 0", {2, 0, 5, 180}},
		{"len 1", {8, 1, 0, 0}},
		{"beyond the header", {1, 1, 8, 10, 0, 0}},
		{"kind without length", {1, 1, 1, 2}},
		{"MSS len 3", {2, 3, 5, 1}},
		{"TS len 8", {8, 8, 0, 0, 0, 0, 0, 0}},
		{"SACK len 9", {5, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
		{"SACK without a block", {1, 1, 5, 2}},
		{"WS len 4", {3, 4, 7, 0}},
		{"SACK-perm len 3", {4, 3, 0, 1}},
		{"unknown kind len 0", {30, 0, 0, 0}},
	};
	for (const Case &k : cases) {
		struct tcp_opts o;
		EXPECT_EQ(tcp_parse_opts(k.b.data(), (uint32_t)k.b.size(), &o), -1) << k.name;
	}
}

TEST(TcpOpts, ValidCombinationsAreParsed)
{
	struct tcp_opts o;
	Bytes all = cat({O_MSS(1400), O_SACKOK(), O_TS(0xa1b2c3d4, 0x01020304), O_WS(9)});
	ASSERT_EQ(tcp_parse_opts(all.data(), (uint32_t)all.size(), &o), 0);
	EXPECT_TRUE(o.has_mss);
	EXPECT_EQ(o.mss, 1400);
	EXPECT_TRUE(o.sackok);
	EXPECT_TRUE(o.has_ts);
	EXPECT_EQ(o.tsval, 0xa1b2c3d4u);
	EXPECT_EQ(o.tsecr, 0x01020304u);
	EXPECT_TRUE(o.has_ws);
	EXPECT_EQ(o.ws, 9);
	// Linux's SYN layout: MSS, SACK-perm, TS, NOP, WS
	Bytes lx = {2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
	ASSERT_EQ(tcp_parse_opts(lx.data(), (uint32_t)lx.size(), &o), 0);
	EXPECT_EQ(o.mss, 1460);
	EXPECT_TRUE(o.sackok);
	EXPECT_EQ(o.tsval, 1u);
	EXPECT_EQ(o.ws, 7);
	// a SACK option with two blocks next to TS (an ACK)
	Bytes sk = cat({O_TS(5, 6), {1, 1, 5, 18}, Bytes(16, 0)});
	ASSERT_EQ(tcp_parse_opts(sk.data(), (uint32_t)sk.size(), &o), 0);
	EXPECT_TRUE(o.has_ts);
	EXPECT_FALSE(o.has_mss);
	// WS above 14 is used as 14 (RFC 7323 2.3)
	Bytes ws = O_WS(15);
	ASSERT_EQ(tcp_parse_opts(ws.data(), (uint32_t)ws.size(), &o), 0);
	EXPECT_EQ(o.ws, 14);
	// nothing at all
	ASSERT_EQ(tcp_parse_opts(nullptr, 0, &o), 0);
	EXPECT_FALSE(o.has_mss || o.has_ws || o.has_ts || o.sackok);
}

TEST(TcpOpts, UnknownKindsAreSkippedAndEolStops)
{
	struct tcp_opts o;
	Bytes unk = cat({{30, 6, 1, 2, 3, 4}, O_MSS(1000), {254, 4, 0xf9, 0x89}});
	ASSERT_EQ(tcp_parse_opts(unk.data(), (uint32_t)unk.size(), &o), 0);
	EXPECT_TRUE(o.has_mss);
	EXPECT_EQ(o.mss, 1000);
	// after EOL the rest is padding, even if it looks malformed
	Bytes eol = cat({O_MSS(1200), {0, 2, 0, 77}});
	ASSERT_EQ(tcp_parse_opts(eol.data(), (uint32_t)eol.size(), &o), 0);
	EXPECT_EQ(o.mss, 1200);
	Bytes eol2 = {0, 2, 4, 5, 0xb4};
	ASSERT_EQ(tcp_parse_opts(eol2.data(), (uint32_t)eol2.size(), &o), 0);
	EXPECT_FALSE(o.has_mss);
}

TEST_F(Tcp, SegmentWithMalformedOptionsIsDroppedSilently)
{
	attach();
	tcp_listen(c, lport);
	Seg s;
	s.flags = TCP_SYN;
	s.seq = 1;
	s.opts = {2, 3, 5, 0}; // MSS with length 3
	inject(s);
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(st(STAT_drop_tcp_opt), 1u);
	EXPECT_EQ(tcp_nb_conns(c), 0u);
	// same on an open connection
	ASSERT_NO_FATAL_FAILURE(open_passive());
	Seg d = seg(TCP_ACK, "data");
	d.opts = {8, 8, 0, 0, 0, 0, 0, 0};
	inject(d);
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(rec.data, "");
	EXPECT_EQ(st(STAT_drop_tcp_opt), 2u);
}

// ============================================================ SYN cookies (RFC 4987)

TEST_F(Tcp, SynCookieWhenBacklogFullOpensOnTheAck)
{
	conf.syn_backlog = 1;
	attach();
	syn_in(O_MSS(1460), 100); // takes the backlog
	rport++;
	tcp_listen(c, lport);
	Seg s;
	s.flags = TCP_SYN;
	s.seq = 0x40000000;
	s.opts = cat({O_MSS(1400), O_SACKOK(), O_TS(1, 0), O_WS(7)});
	inject(s);
	Out o = one();
	EXPECT_EQ(o.flags, TCP_SYN | TCP_ACK);
	EXPECT_EQ(o.ack, 0x40000001u);
	EXPECT_TRUE(o.has_mss);
	EXPECT_FALSE(o.has_ws); // a cookie keeps no options but the MSS
	EXPECT_FALSE(o.has_ts);
	EXPECT_EQ(st(STAT_tcp_syncookie_tx), 1u);
	EXPECT_EQ(state(), TCP_CLOSED); // no state kept
	EXPECT_EQ(tcp_nb_conns(c), 1u);
	Seg a;
	a.flags = TCP_ACK | TCP_PSH;
	a.seq = 0x40000001;
	a.ack = o.seq + 1;
	a.win = 30000;
	a.data = "GET / HTTP/1.1\r\n\r\n";
	inject(a);
	EXPECT_EQ(state(), TCP_ESTABLISHED);
	EXPECT_EQ(rec.accepted, 1);
	EXPECT_EQ(rec.data, a.data);
	EXPECT_EQ(st(STAT_tcp_syncookie_ok), 1u);
	struct tcb *t = tcb();
	EXPECT_EQ(t->mss, 1400); // from the cookie's MSS table
	EXPECT_EQ(t->snd_wnd, 30000u);
	EXPECT_EQ(t->rcv_nxt, 0x40000001u + (uint32_t)a.data.size());
	// the connection works: data out, acked
	ASSERT_EQ(tcp_send(c, t, "ok", 2), 0);
	std::vector<Out> v = take();
	ASSERT_FALSE(v.empty());
	EXPECT_EQ(v.back().data, "ok");
	EXPECT_EQ(v.back().seq, o.seq + 1);
}

TEST_F(Tcp, DataOnTheCookieAckGetsItsDelayedAck)
{
	conf.syn_backlog = 0; // every SYN is answered with a cookie
	attach();
	tcp_listen(c, lport);
	Seg s;
	s.flags = TCP_SYN;
	s.seq = 777;
	s.opts = O_MSS(1460);
	inject(s);
	Out o = one();
	EXPECT_EQ(st(STAT_tcp_syncookie_tx), 1u);
	Seg a;
	a.flags = TCP_ACK | TCP_PSH;
	a.seq = 778;
	a.ack = o.seq + 1;
	a.data = "ping";
	inject(a);
	ASSERT_EQ(state(), TCP_ESTABLISHED);
	EXPECT_EQ(rec.data, "ping");
	EXPECT_TRUE(take().empty());
	advance(40); // the app stays silent: the delayed ACK still comes
	expect_ack(one(), o.seq + 1, 782);
}

TEST_F(Tcp, RecoverStartsAtTheIss)
{
	// RFC 6582 3.2: recover is initialised to the ISS, so the first three
	// duplicate ACKs trigger fast retransmit whatever the ISN's value.
	attach();
	ASSERT_NO_FATAL_FAILURE(open_passive());
	EXPECT_EQ(tcb()->recover, iss);
	lport = 50010;
	rport = 8080;
	ASSERT_NO_FATAL_FAILURE(open_active());
	EXPECT_EQ(tcb()->recover, iss);
}

TEST_F(Tcp, SynCookieWhenTableFullThenAckOpensOnceThereIsRoom)
{
	conf.max_conns = 8;
	attach();
	tcp_listen(c, lport);
	const uint32_t N = 20;
	for (uint32_t i = 0; i < N; i++) {
		Seg s;
		s.flags = TCP_SYN;
		s.seq = 1000 * i;
		s.sport = (uint16_t)(20000 + i);
		inject(s);
	}
	uint32_t cap = tcp_nb_conns(c);
	EXPECT_GE(cap, 8u);
	EXPECT_LT(cap, N);
	EXPECT_EQ(st(STAT_tcp_syncookie_tx), N - cap);
	std::vector<Out> v = take();
	ASSERT_EQ(v.size(), N);
	Out ck = v.back();
	uint16_t ck_port = ck.dport;
	uint32_t ck_seq = 1000 * (N - 1);
	// the table is still full when the ACK comes back: counted, no crash
	Seg a;
	a.flags = TCP_ACK;
	a.sport = ck_port;
	a.seq = ck_seq + 1;
	a.ack = ck.seq + 1;
	inject(a);
	EXPECT_EQ(st(STAT_drop_tcp_table_full), 1u);
	// make room (one embryonic connection reset), the retransmitted ACK opens
	Seg r;
	r.flags = TCP_RST;
	r.sport = 20000;
	r.seq = 1;
	inject(r);
	EXPECT_EQ(tcp_nb_conns(c), cap - 1);
	inject(a);
	EXPECT_EQ(tcp_nb_conns(c), cap);
	EXPECT_EQ(rec.accepted, 1);
	EXPECT_EQ(st(STAT_tcp_syncookie_ok), 1u);
	take();
}

TEST_F(Tcp, ForgedCookieAckGetsRst)
{
	attach();
	tcp_listen(c, lport);
	Seg a;
	a.flags = TCP_ACK;
	a.seq = 12345;
	a.ack = 0x5eed5eed;
	inject(a);
	Out o = one();
	EXPECT_EQ(o.flags, TCP_RST);
	EXPECT_EQ(o.seq, 0x5eed5eedu);
	EXPECT_EQ(st(STAT_drop_tcp_cookie_bad), 1u);
	EXPECT_EQ(tcp_nb_conns(c), 0u);
	EXPECT_EQ(rec.accepted, 0);
}

TEST_F(Tcp, ForgedAckWithTheRightTimeBitsIsStillRejected)
{
	attach();
	tcp_listen(c, lport);
	for (uint32_t i = 0; i < 64; i++) {
		Seg a;
		a.flags = TCP_ACK;
		a.seq = 777;
		a.ack = (((c->tick >> 16) & 31) << 27 | (i & 7) << 24 | (i * 0x9e3779u)) + 1;
		a.sport = (uint16_t)(30000 + i);
		inject(a);
	}
	EXPECT_EQ(take().size(), 64u);
	EXPECT_EQ(st(STAT_drop_tcp_cookie_bad), 64u);
	EXPECT_EQ(tcp_nb_conns(c), 0u);
}

TEST_F(Tcp, TableFullWithoutCookiesIsCounted)
{
	conf.max_conns = 8;
	conf.syncookies = false;
	attach();
	tcp_listen(c, lport);
	const uint32_t N = 20;
	for (uint32_t i = 0; i < N; i++) {
		Seg s;
		s.flags = TCP_SYN;
		s.seq = 1000 * i;
		s.sport = (uint16_t)(20000 + i);
		inject(s);
	}
	uint32_t cap = tcp_nb_conns(c);
	EXPECT_GE(cap, 8u);
	EXPECT_LT(cap, N);
	EXPECT_EQ(take().size(), cap);
	EXPECT_EQ(st(STAT_drop_tcp_table_full), N - cap);
	EXPECT_EQ(st(STAT_tcp_syncookie_tx), 0u);
	// an active open fails cleanly too
	struct tcb *t;
	EXPECT_EQ(tcp_connect(c, wp, wp->ip, rte_cpu_to_be_16(1), rte_cpu_to_be_32(PEER_IP),
			      rte_cpu_to_be_16(2), &t),
		  -ENOSPC);
}

// ============================================================ malformed segments

TEST_F(Tcp, BadChecksumIsDroppedSilently)
{
	attach();
	tcp_listen(c, lport);
	Seg s;
	s.flags = TCP_SYN;
	s.seq = 1;
	s.bad_csum = true;
	inject(s);
	s.flags = TCP_ACK;
	s.dport = 9; // would get a RST if it were valid
	inject(s);
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(st(STAT_drop_tcp_csum), 2u);
	EXPECT_EQ(tcp_nb_conns(c), 0u);
}

TEST_F(Tcp, InvalidFlagCombinationsAreDropped)
{
	attach();
	tcp_listen(c, lport);
	for (uint8_t f : {(uint8_t)(TCP_SYN | TCP_FIN), (uint8_t)(TCP_SYN | TCP_RST)}) {
		Seg s;
		s.flags = f;
		s.seq = 1;
		inject(s);
	}
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(st(STAT_drop_tcp_flags), 2u);
	EXPECT_EQ(tcp_nb_conns(c), 0u);
}

// RFC 9293 3.10.7.1, CLOSED: "An incoming segment not containing a RST
// causes a RST to be sent in response" -- a segment with no flags at all
// too (Linux answers it): ACK bit off, so <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
// <CTL=RST,ACK>.
TEST_F(Tcp, SegmentWithNoFlagsToClosedPortGetsRstAck)
{
	attach();
	for (uint8_t f : {(uint8_t)0, (uint8_t)TCP_PSH, (uint8_t)TCP_URG}) {
		Seg s;
		s.flags = f;
		s.seq = 5000;
		s.data = "null";
		inject(s);
		Out o = one();
		EXPECT_EQ(o.flags, TCP_RST | TCP_ACK) << o;
		EXPECT_EQ(o.seq, 0u);
		EXPECT_EQ(o.ack, 5004u);
		EXPECT_EQ(o.sport, lport);
		EXPECT_EQ(o.dport, rport);
	}
	EXPECT_EQ(st(STAT_drop_tcp_no_conn), 3u);
	EXPECT_EQ(st(STAT_drop_tcp_flags), 0u);
	EXPECT_EQ(tcp_nb_conns(c), 0u);
}

// LISTEN: "Any other control or text-bearing segment (not containing SYN)
// must have an ACK and thus would have been discarded by the ACK
// processing ... drop the segment and return" (RFC 9293 3.10.7.2).
TEST_F(Tcp, SegmentWithNoFlagsInListenIsDroppedSilently)
{
	attach();
	tcp_listen(c, lport);
	Seg s;
	s.flags = 0;
	s.seq = 5000;
	s.data = "null";
	inject(s);
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(st(STAT_drop_tcp_no_conn), 1u);
	EXPECT_EQ(tcp_nb_conns(c), 0u);
}

// The other states: SYN-SENT drops what has neither SYN nor RST (3.10.7.3);
// the synchronized states drop a segment whose ACK bit is off (3.10.7.4,
// fifth). Nothing is sent, nothing delivered, the state stays.
TEST_F(Tcp, SegmentWithNoFlagsInEveryOtherStateIsDropped)
{
	attach();
	uint16_t port = 42000;
	for (int st0 : {TCP_SYN_SENT, TCP_SYN_RECEIVED, TCP_ESTABLISHED, TCP_FIN_WAIT_1,
			TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_LAST_ACK, TCP_TIME_WAIT}) {
		SCOPED_TRACE(state_name(st0));
		rport = port++;
		rec = Rec();
		if (st0 == TCP_SYN_SENT) {
			lport = 50000;
			struct tcb *t;
			ASSERT_EQ(tcp_connect(c, wp, wp->ip, rte_cpu_to_be_16(lport),
					      rte_cpu_to_be_32(PEER_IP), rte_cpu_to_be_16(rport),
					      &t),
				  0);
			drain();
			pnxt = 90000;
		} else if (st0 == TCP_SYN_RECEIVED) {
			lport = 80;
			syn_in(O_MSS(1460), 3000);
		} else {
			lport = 80;
			ASSERT_NO_FATAL_FAILURE(open_passive(O_MSS(1460), 3000));
			switch (st0) {
			case TCP_FIN_WAIT_1:
				ASSERT_NO_FATAL_FAILURE(to_fin_wait_1());
				break;
			case TCP_FIN_WAIT_2:
				ASSERT_NO_FATAL_FAILURE(to_fin_wait_2());
				break;
			case TCP_CLOSE_WAIT:
				ASSERT_NO_FATAL_FAILURE(to_close_wait());
				break;
			case TCP_LAST_ACK:
				ASSERT_NO_FATAL_FAILURE(to_last_ack());
				break;
			case TCP_TIME_WAIT:
				ASSERT_NO_FATAL_FAILURE(to_time_wait());
				break;
			default:
				break;
			}
		}
		ASSERT_EQ(state(), st0);
		uint64_t drops = st(STAT_drop_tcp_flags);
		Seg s = seg(0, "0123456789");
		inject(s);
		for (const Out &o : take())
			ADD_FAILURE() << "unexpected " << o;
		EXPECT_EQ(state(), st0);
		EXPECT_EQ(rec.data, "");
		EXPECT_EQ(st(STAT_drop_tcp_flags), drops + 1);
		tcp_abort(c, tcb());
		drain();
	}
	EXPECT_EQ(tcp_nb_conns(c), 0u);
}

TEST_F(Tcp, TruncatedHeaderIsDropped)
{
	attach();
	tcp_listen(c, lport);
	Seg s;
	s.flags = TCP_SYN;
	struct rte_mbuf *m = build(s);
	struct rte_tcp_hdr *th = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *, 34);
	th->data_off = 0xf0; // 60 bytes of header in a 20-byte segment
	worker_input(w, wp, m);
	EXPECT_EQ(st(STAT_drop_tcp_short), 1u);
	EXPECT_TRUE(take().empty());
}

// ============================================================ active open details

TEST_F(Tcp, SimultaneousOpenReachesEstablished)
{
	attach();
	lport = 50004;
	rport = 50005;
	struct tcb *t;
	ASSERT_EQ(tcp_connect(c, wp, wp->ip, rte_cpu_to_be_16(lport), rte_cpu_to_be_32(PEER_IP),
			      rte_cpu_to_be_16(rport), &t),
		  0);
	Out syn = one();
	Seg s;
	s.flags = TCP_SYN;
	s.seq = 300;
	s.opts = O_MSS(1460);
	inject(s); // crossing SYN
	Out sa = one();
	EXPECT_EQ(sa.flags, TCP_SYN | TCP_ACK);
	EXPECT_EQ(sa.seq, syn.seq);
	EXPECT_EQ(sa.ack, 301u);
	EXPECT_EQ(t->state, TCP_SYN_RECEIVED);
	// the peer's SYN-ACK (RFC 9293 figure 8)
	s.flags = TCP_SYN | TCP_ACK;
	s.ack = syn.seq + 1;
	inject(s);
	std::vector<Out> v = take();
	ASSERT_EQ(v.size(), 1u); // not acceptable (old SYN): ACK it
	expect_ack(v[0], syn.seq + 1, 301);
	// and the peer's ACK of our SYN-ACK completes the open
	Seg a;
	a.flags = TCP_ACK;
	a.seq = 301;
	a.ack = syn.seq + 1;
	inject(a);
	EXPECT_EQ(t->state, TCP_ESTABLISHED);
	EXPECT_EQ(rec.connected, 1); // our own open: connected(), not accepted()
	EXPECT_EQ(rec.accepted, 0);
	EXPECT_EQ(c->nb_synrcvd, 0u);
}

TEST_F(Tcp, RstWithoutAcceptableAckInSynSentIsIgnored)
{
	attach();
	lport = 50006;
	struct tcb *t;
	ASSERT_EQ(tcp_connect(c, wp, wp->ip, rte_cpu_to_be_16(lport), rte_cpu_to_be_32(PEER_IP),
			      rte_cpu_to_be_16(rport), &t),
		  0);
	Out syn = one();
	Seg r;
	r.flags = TCP_RST;
	r.seq = 5;
	inject(r); // no ACK: dropped
	r.flags = TCP_RST | TCP_ACK;
	r.ack = syn.seq + 7; // unacceptable ACK: dropped, never answered
	inject(r);
	EXPECT_TRUE(take().empty());
	EXPECT_EQ(t->state, TCP_SYN_SENT);
	EXPECT_EQ(rec.closed, 0);
}

// ============================================================ HTTP responder over TCP

// The responder (lib/http/http_app.c) queues its responses by reference
// and TCP reads them again to retransmit. These drive it through real
// segments: the Date changes while responses are unacknowledged, and the
// retransmissions must carry exactly the bytes first sent (RFC 9293 3.4).

const time_t T0 = 784111777; // Sun, 06 Nov 1994 08:49:37 GMT

/** Forwards to the responder's callbacks, counting opens and closes in rec. */
struct HttpShim {
	struct tcp_app http;
	Rec *rec;
};

void
h_accepted(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	HttpShim *h = static_cast<HttpShim *>(arg);
	h->rec->accepted++;
	h->rec->last = t;
	h->http.accepted(c, t, h->http.arg);
}
void
h_recv(struct tcp_ctx *c, struct tcb *t, const uint8_t *d, uint32_t len, void *arg)
{
	HttpShim *h = static_cast<HttpShim *>(arg);
	h->http.recv(c, t, d, len, h->http.arg);
}
void
h_released(struct tcp_ctx *c, struct tcb *t, const void *base, uint32_t len, void *arg)
{
	HttpShim *h = static_cast<HttpShim *>(arg);
	h->rec->released.emplace_back(base, len);
	h->http.released(c, t, base, len, h->http.arg);
}
void
h_peer_closed(struct tcp_ctx *c, struct tcb *t, void *arg)
{
	HttpShim *h = static_cast<HttpShim *>(arg);
	h->rec->peer_closed++;
	h->http.peer_closed(c, t, h->http.arg);
}
void
h_closed(struct tcp_ctx *c, struct tcb *t, enum tcp_close_reason why, void *arg)
{
	HttpShim *h = static_cast<HttpShim *>(arg);
	h->rec->closed++;
	h->rec->why = why;
	if (h->http.closed != nullptr)
		h->http.closed(c, t, why, h->http.arg);
}

std::string
date_of(time_t t)
{
	char d[29];
	http_date_format(t, d);
	return std::string(d, 29);
}

/** The Date value in a response's first segment ("" when there is none). */
std::string
date_in(const std::string &data)
{
	size_t d = data.find("\r\nDate: ");
	return d == std::string::npos || d + 8 + 29 > data.size() ? "" : data.substr(d + 8, 29);
}

class TcpHttp : public Tcp {
protected:
	struct http_server *srv = nullptr;
	struct http_app *happ = nullptr;
	HttpShim shim = {};

	/** One peer connection's sequence state (the fixture tracks one at a time). */
	struct Peer {
		uint16_t rport;
		uint32_t iss, pnxt, onxt, una;
	};

	void attach_http(uint32_t body_size)
	{
		http_server_conf hc = {};
		hc.body_size = body_size;
		char err[256] = "";
		srv = http_server_create(&hc, err, sizeof(err));
		ASSERT_NE(srv, nullptr) << err;
		http_server_tick(srv, T0);
		happ = http_app_create(w, srv, nullptr, 1, &shim.http);
		ASSERT_NE(happ, nullptr);
		ASSERT_NE(shim.http.released, nullptr);
		shim.rec = &rec;
		struct tcp_app app = {};
		app.accepted = h_accepted;
		app.recv = h_recv;
		app.released = h_released;
		app.peer_closed = h_peer_closed;
		app.closed = h_closed;
		app.arg = &shim;
		c = tcp_attach(w, &conf, &app);
		ASSERT_NE(c, nullptr);
	}

	void TearDown() override
	{
		if (c != nullptr)
			tcp_detach(c);
		c = nullptr;
		http_app_free(happ);
		http_server_free(srv);
		Tcp::TearDown();
	}

	Peer save() const { return Peer{rport, iss, pnxt, onxt, una}; }
	void load(const Peer &p)
	{
		rport = p.rport;
		iss = p.iss;
		pnxt = p.pnxt;
		onxt = p.onxt;
		una = p.una;
	}

	Peer open(uint16_t port)
	{
		rport = port;
		open_passive();
		return save();
	}

	/** p sends a GET; returns what synack answered (nothing acknowledged). */
	std::vector<Out> get(Peer &p)
	{
		const std::string req = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
		load(p);
		inject(seg(TCP_ACK | TCP_PSH, req));
		pnxt += (uint32_t)req.size();
		std::vector<Out> v = take();
		for (const Out &o : v)
			EXPECT_EQ(o.dport, p.rport) << o;
		p = save();
		return v;
	}

	/** p acknowledges everything sent to it (sent is the bytes so far). */
	void ack_all(Peer &p, uint32_t sent)
	{
		load(p);
		una = onxt + sent;
		inject(seg(TCP_ACK));
		EXPECT_TRUE(take().empty());
		p = save();
	}
};

class TcpHttpBody : public TcpHttp, public ::testing::WithParamInterface<uint32_t> {};

// Two connections, each with an unacknowledged response; the second is
// answered after the Date's second changed. Both retransmit the bytes they
// first sent, Date included; once the first is acknowledged a later second
// may reuse its generation, and the second connection's bytes still hold.
TEST_P(TcpHttpBody, RetransmittedHeadersKeepTheDateTheyWereFirstSentWith)
{
	ASSERT_NO_FATAL_FAILURE(attach_http(GetParam()));
	Peer p1 = open(40001);
	std::vector<Out> r1 = get(p1);
	ASSERT_FALSE(r1.empty());
	EXPECT_EQ(date_in(r1[0].data), date_of(T0));

	http_server_tick(srv, T0 + 1);
	Peer p2 = open(40002);
	std::vector<Out> r2 = get(p2);
	ASSERT_FALSE(r2.empty());
	EXPECT_EQ(date_in(r2[0].data), date_of(T0 + 1));

	advance(conf.rto_init_ms); // nothing was acknowledged: both time out
	std::vector<Out> re = take();
	ASSERT_EQ(re.size(), 2u);
	for (const Out &o : re) {
		const Out &first = o.dport == p1.rport ? r1[0] : r2[0];
		EXPECT_EQ(o.seq, first.seq) << o;
		EXPECT_EQ(o.data, first.data) << "port " << o.dport << ": other bytes resent";
	}
	EXPECT_EQ(st(STAT_tcp_retrans), 2u);

	size_t sent1 = 0;
	for (const Out &o : r1)
		sent1 += o.data.size();
	ack_all(p1, (uint32_t)sent1);
	http_server_tick(srv, T0 + 2);
	Peer p3 = open(40003);
	std::vector<Out> r3 = get(p3);
	ASSERT_FALSE(r3.empty());
	EXPECT_EQ(date_in(r3[0].data), date_of(T0 + 2));

	advance(2 * conf.rto_init_ms); // p2 backed off to 2 s; p3's first RTO is shorter
	re = take();
	bool p2_seen = false;
	for (const Out &o : re) {
		ASSERT_NE(o.dport, p1.rport) << "acknowledged data was resent: " << o;
		if (o.dport != p2.rport)
			continue;
		p2_seen = true;
		EXPECT_EQ(o.data, r2[0].data) << "after a later second was written";
	}
	EXPECT_TRUE(p2_seen);
	EXPECT_EQ(st(STAT_http_date_stale), 0u);
}

INSTANTIATE_TEST_SUITE_P(ShortAndLongBodies, TcpHttpBody, ::testing::Values(64u, 3000u));

// Every generation held by an unacknowledged response, one per second: the
// next second cannot get one, so the Date stays (counted) and nothing held
// changes; a connection reset by its peer releases its generation.
TEST_F(TcpHttp, WhenEveryGenerationIsHeldTheDateWaitsAndIsCounted)
{
	ASSERT_NO_FATAL_FAILURE(attach_http(64));
	std::vector<Peer> peers;
	std::vector<std::string> first;
	uint32_t held = 0;
	for (;; held++) { // one connection per second until a second finds no generation
		http_server_tick(srv, T0 + held);
		peers.push_back(open((uint16_t)(41000 + held)));
		std::vector<Out> r = get(peers.back());
		ASSERT_EQ(r.size(), 1u);
		first.push_back(r[0].data);
		if (st(STAT_http_date_stale) != 0)
			break;
		ASSERT_EQ(date_in(r[0].data), date_of(T0 + held));
		ASSERT_LT(held, 200u) << "the Date advanced every second: no bound on generations";
	}
	// the connection that found none got the last second that had one
	EXPECT_GE(held, 2u);
	EXPECT_EQ(date_in(first.back()), date_of(T0 + held - 1));
	EXPECT_EQ(st(STAT_http_date_stale), 1u);

	// the first connection's peer resets it: its generation is free again
	load(peers[0]);
	inject(seg(TCP_RST));
	ASSERT_EQ(state(), TCP_CLOSED);
	http_server_tick(srv, T0 + held + 1);
	Peer last = open(42000);
	std::vector<Out> r = get(last);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_EQ(date_in(r[0].data), date_of(T0 + held + 1));
	EXPECT_EQ(st(STAT_http_date_stale), 1u);

	advance(conf.rto_init_ms);
	size_t n = 0;
	for (const Out &o : take()) {
		ASSERT_GE(o.dport, 41001) << o;
		if (o.dport == 42000) {
			EXPECT_EQ(o.data, r[0].data);
		} else {
			ASSERT_LE(o.dport, 41000 + held);
			EXPECT_EQ(o.data, first[o.dport - 41000]) << "port " << o.dport;
		}
		n++;
	}
	EXPECT_EQ(n, held + 1); // every connection but the reset one
}

} // namespace
