// SPDX-License-Identifier: BSD-3-Clause
// lib/udp over a real net_ring pair (EAL --no-huge): echo in place, sink,
// zero checksum, bad checksum and short datagrams dropped under their
// reason, ICMP port unreachable with the exact quoted header, its rate limit
// and the broadcast rule; the sequence tracker on crafted sequences; the udp
// model (lib/gen) against the echo and the sink with exact counter agreement.
//
// Frames are made with net_udp_build (its checksums are checked
// independently with DPDK's rte_ipv4_udptcp_cksum_verify) and fed to the
// server worker's input path; what it sends is read back from the other end
// of the ring with rte_eth_rx_burst.
#include <gtest/gtest.h>

#include <errno.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_udp.h>

#include "drivers/port.h"
#include "lib/gen/gen.h"
#include "lib/net/net.h"
#include "lib/stack/stack.h"
#include "lib/stats/stats.h"
#include "lib/udp/udp.h"

namespace {

class EalEnv : public ::testing::Environment {
public:
	void SetUp() override
	{
		const char *args[] = {"test_udp", "--no-huge", "-m",
				      "512",	  "--no-pci",  "--no-shconf",
				      "-l",	  "0",	       "--log-level=*:error"};
		int n = sizeof(args) / sizeof(args[0]);
		ASSERT_GE(rte_eal_init(n, const_cast<char **>(args)), 0);
	}
};

const ::testing::Environment *const eal_env = ::testing::AddGlobalTestEnvironment(new EalEnv);

volatile bool never_stop = false;

const uint32_t IP_A = 0xc6120001; // 198.18.0.1: the peer (port A, read raw)
const uint32_t IP_B = 0xc6120002; // 198.18.0.2: synack under test (port B)
const unsigned int POOL = 4096;

uint64_t
c(const struct worker *w, enum stats_id id)
{
	return w->stats.c[id];
}

// One net_ring link per test: port A is read and written raw, worker B
// (server role, UDP attached) sits on port B. Worker A (client role) exists
// for the tests of the udp model.
class Udp : public ::testing::Test {
protected:
	struct rte_mempool *pool_ = nullptr;
	struct port pa_ = {}, pb_ = {};
	struct worker *wa_ = nullptr, *wb_ = nullptr;
	struct udp_ctx *ua_ = nullptr, *ub_ = nullptr;
	struct worker_port *wpa_ = nullptr, *wpb_ = nullptr;
	static unsigned int seq_;

	void SetUp() override
	{
		char dev[64], name[32], err[PORT_ERR_LEN];
		unsigned int n = seq_++;

		snprintf(dev, sizeof(dev), "net_ring:ut_udp%u", n);
		snprintf(name, sizeof(name), "mp_udp%u", n);
		pool_ = rte_pktmbuf_pool_create(name, POOL, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
						SOCKET_ID_ANY);
		ASSERT_NE(pool_, nullptr);
		int a = port_resolve_q(dev, 1, err, sizeof(err));
		ASSERT_GE(a, 0) << err;
		int b = port_resolve_q(dev, 1, err, sizeof(err));
		ASSERT_GE(b, 0) << err;
		struct port_conf pc = {};
		pc.dev = dev;
		pc.nb_queues = 1;
		struct rte_mempool *pools[1] = {pool_};
		ASSERT_EQ(port_setup(a, &pc, pools, &pa_, err, sizeof(err)), 0) << err;
		ASSERT_EQ(port_setup(b, &pc, pools, &pb_, err, sizeof(err)), 0) << err;
		wa_ = make_worker(2 * n);
		wb_ = make_worker(2 * n + 1);
		wpa_ = worker_add_port(wa_, a, 0, 0, WORKER_ROLE_CLIENT, &pa_.mac, IP_A, 24, 0,
				       1500, 0, 64);
		ASSERT_NE(wpa_, nullptr);
		wpb_ = worker_add_port(wb_, b, 0, 1, WORKER_ROLE_SERVER, &pb_.mac, IP_B, 24, 0,
				       1500, 0, 64);
		ASSERT_NE(wpb_, nullptr);
		struct udp_conf uc = {};
		uc.unreach_rate = 1000;
		ub_ = udp_attach(wb_, &uc);
		ASSERT_NE(ub_, nullptr);
		udp_bind(ub_, 7, UDP_PORT_ECHO);
		udp_bind(ub_, 9, UDP_PORT_SINK);
	}

	void TearDown() override
	{
		drain();
		udp_detach(ua_);
		udp_detach(ub_);
		worker_free(wa_);
		worker_free(wb_);
		// every mbuf back in the pool: each was freed exactly once
		EXPECT_EQ(rte_mempool_avail_count(pool_), POOL);
		rte_free(wa_);
		rte_free(wb_);
		port_close(&pa_);
		port_close(&pb_);
		rte_mempool_free(pool_);
	}

	struct worker *make_worker(unsigned int id)
	{
		struct worker *w = static_cast<struct worker *>(
			rte_zmalloc("w", sizeof(struct worker), RTE_CACHE_LINE_SIZE));
		EXPECT_NE(w, nullptr);
		worker_init(w, id, pool_, &never_stop, 3, 20);
		return w;
	}

	// A UDP datagram A -> B as it would come off the wire.
	struct rte_mbuf *dgram(uint16_t sport, uint16_t dport, const void *payload, uint16_t len,
			       const struct rte_ether_addr *dst_mac = nullptr)
	{
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool_);
		EXPECT_NE(m, nullptr);
		uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
		m->data_len = m->pkt_len = net_udp_build(
			d, &pa_.mac, dst_mac ? dst_mac : &pb_.mac, rte_cpu_to_be_32(IP_A),
			rte_cpu_to_be_32(IP_B), rte_cpu_to_be_16(sport), rte_cpu_to_be_16(dport),
			0x1234, payload, len);
		return m;
	}

	static struct rte_ipv4_hdr *ip_of(struct rte_mbuf *m)
	{
		return rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, NET_ETH_HLEN);
	}

	static struct rte_udp_hdr *udp_of(struct rte_mbuf *m)
	{
		return rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *,
					       NET_ETH_HLEN + NET_IPV4_HLEN);
	}

	// Into B's input path, then B's TX batch onto the ring.
	void feed(struct rte_mbuf *m)
	{
		worker_input(wb_, wpb_, m);
		worker_flush(wb_, wpb_);
	}

	// What B sent (read on port A), at most n frames.
	unsigned int sent(struct rte_mbuf **out, unsigned int n)
	{
		return rte_eth_rx_burst(pa_.port_id, 0, out, (uint16_t)n);
	}

	void drain()
	{
		struct rte_mbuf *m[32];
		unsigned int n;

		if (wpb_ != nullptr && wpb_->tx_n != 0)
			worker_flush(wb_, wpb_);
		if (wpa_ != nullptr && wpa_->tx_n != 0)
			worker_flush(wa_, wpa_);
		while ((n = rte_eth_rx_burst(pa_.port_id, 0, m, 32)) != 0)
			rte_pktmbuf_free_bulk(m, n);
		while ((n = rte_eth_rx_burst(pb_.port_id, 0, m, 32)) != 0)
			rte_pktmbuf_free_bulk(m, n);
	}
};

unsigned int Udp::seq_ = 0;

TEST_F(Udp, EchoIsTheDatagramSentBackInPlace)
{
	uint8_t payload[100];
	for (unsigned int i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 1);
	struct rte_mbuf *in = dgram(40000, 7, payload, sizeof(payload));
	ASSERT_EQ(rte_ipv4_udptcp_cksum_verify(ip_of(in), udp_of(in)), 0);
	uint16_t ck_in = udp_of(in)->dgram_cksum;
	ASSERT_NE(ck_in, 0);
	ip_of(in)->time_to_live = 3; // the echo starts afresh with 64
	ip_of(in)->hdr_checksum = 0;
	ip_of(in)->hdr_checksum = net_ipv4_hdr_cksum(ip_of(in));
	feed(in);

	struct rte_mbuf *out[4];
	ASSERT_EQ(sent(out, 4), 1u);
	struct rte_mbuf *m = out[0];
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	EXPECT_TRUE(rte_is_same_ether_addr(&eh->dst_addr, &pa_.mac));
	EXPECT_TRUE(rte_is_same_ether_addr(&eh->src_addr, &pb_.mac));
	EXPECT_EQ(m->pkt_len, NET_ETH_HLEN + NET_IPV4_HLEN + NET_UDP_HLEN + sizeof(payload));
	const struct rte_ipv4_hdr *ip = ip_of(m);
	EXPECT_EQ(ip->src_addr, rte_cpu_to_be_32(IP_B));
	EXPECT_EQ(ip->dst_addr, rte_cpu_to_be_32(IP_A));
	EXPECT_EQ(ip->time_to_live, 64);
	EXPECT_EQ(ip->next_proto_id, IPPROTO_UDP);
	EXPECT_EQ(rte_ipv4_cksum(ip), 0) << "IP header checksum (incremental) must verify";
	EXPECT_EQ(ip->hdr_checksum, net_ipv4_hdr_cksum(ip));
	const struct rte_udp_hdr *uh = udp_of(m);
	EXPECT_EQ(rte_be_to_cpu_16(uh->src_port), 7);
	EXPECT_EQ(rte_be_to_cpu_16(uh->dst_port), 40000);
	EXPECT_EQ(uh->dgram_cksum, ck_in) << "the swap leaves the UDP checksum as it was";
	EXPECT_EQ(rte_ipv4_udptcp_cksum_verify(ip, uh), 0);
	EXPECT_EQ(memcmp(uh + 1, payload, sizeof(payload)), 0);
	rte_pktmbuf_free(m);
	EXPECT_EQ(c(wb_, STAT_udp_rx), 1u);
	EXPECT_EQ(c(wb_, STAT_udp_echo_tx), 1u);
	EXPECT_EQ(c(wb_, STAT_udp_tx), 1u);
	EXPECT_EQ(c(wb_, STAT_udp_zero_csum), 0u);
}

TEST_F(Udp, EchoOfAShortDatagramKeepsItsLengthWithoutPadding)
{
	struct rte_mbuf *in = dgram(40000, 7, "hi", 2); // 44 bytes, padded to 60 on the wire
	EXPECT_EQ(in->pkt_len, NET_ETH_MIN_FRAME);
	feed(in);
	struct rte_mbuf *out[2];
	ASSERT_EQ(sent(out, 2), 1u);
	EXPECT_EQ(out[0]->pkt_len, NET_ETH_MIN_FRAME);
	EXPECT_EQ(rte_be_to_cpu_16(udp_of(out[0])->dgram_len), NET_UDP_HLEN + 2);
	EXPECT_EQ(memcmp(udp_of(out[0]) + 1, "hi", 2), 0);
	rte_pktmbuf_free(out[0]);
}

TEST_F(Udp, ZeroChecksumIsAcceptedCountedAndEchoedWithoutOne)
{
	const char msg[] = "no checksum (RFC 768)";
	struct rte_mbuf *in = dgram(40001, 7, msg, sizeof(msg));
	udp_of(in)->dgram_cksum = 0;
	feed(in);
	struct rte_mbuf *out[2];
	ASSERT_EQ(sent(out, 2), 1u);
	EXPECT_EQ(udp_of(out[0])->dgram_cksum, 0);
	EXPECT_EQ(memcmp(udp_of(out[0]) + 1, msg, sizeof(msg)), 0);
	rte_pktmbuf_free(out[0]);
	EXPECT_EQ(c(wb_, STAT_udp_zero_csum), 1u);
	EXPECT_EQ(c(wb_, STAT_udp_echo_tx), 1u);
	EXPECT_EQ(c(wb_, STAT_drop_udp_csum), 0u);
	// and to the sink
	in = dgram(40001, 9, msg, sizeof(msg));
	udp_of(in)->dgram_cksum = 0;
	feed(in);
	EXPECT_EQ(c(wb_, STAT_udp_zero_csum), 2u);
	EXPECT_EQ(c(wb_, STAT_udp_sink_rx), 1u);
}

TEST_F(Udp, BadChecksumAndBadLengthsAreDroppedUnderTheirReason)
{
	struct rte_mbuf *out[4];
	unsigned int before = rte_mempool_avail_count(pool_);
	struct rte_mbuf *m = dgram(40000, 7, "payload", 7);
	uint8_t *p = reinterpret_cast<uint8_t *>(udp_of(m) + 1);
	p[0] ^= 0x01; // one payload bit: the checksum no longer matches
	feed(m);
	EXPECT_EQ(c(wb_, STAT_drop_udp_csum), 1u);

	m = dgram(40000, 7, "payload", 7);
	udp_of(m)->dgram_cksum ^= 0x0100; // the checksum itself
	feed(m);
	EXPECT_EQ(c(wb_, STAT_drop_udp_csum), 2u);

	m = dgram(40000, 7, "payload", 7);
	udp_of(m)->dgram_len = rte_cpu_to_be_16(7); // below the header
	feed(m);
	EXPECT_EQ(c(wb_, STAT_drop_udp_short), 1u);

	m = dgram(40000, 7, "payload", 7);
	udp_of(m)->dgram_len = rte_cpu_to_be_16(8 + 8); // beyond the IP payload
	feed(m);
	EXPECT_EQ(c(wb_, STAT_drop_udp_short), 2u);

	// IP payload of 4 bytes: no room for the header
	m = dgram(40000, 7, nullptr, 0);
	ip_of(m)->total_length = rte_cpu_to_be_16(NET_IPV4_HLEN + 4);
	ip_of(m)->hdr_checksum = 0;
	ip_of(m)->hdr_checksum = net_ipv4_hdr_cksum(ip_of(m));
	feed(m);
	EXPECT_EQ(c(wb_, STAT_drop_udp_short), 3u);

	EXPECT_EQ(sent(out, 4), 0u) << "nothing answered";
	EXPECT_EQ(c(wb_, STAT_udp_rx), 0u);
	EXPECT_EQ(c(wb_, STAT_udp_echo_tx), 0u);
	EXPECT_EQ(rte_mempool_avail_count(pool_), before) << "every dropped mbuf freed";
}

TEST_F(Udp, ShorterLengthFieldThanThePacketIsVerifiedOverItsOwnBytes)
{
	// 10 bytes of payload in the IP packet, UDP length says 4: the checksum
	// covers header + 4 bytes only (Linux accepts and trims).
	struct rte_mbuf *m = dgram(40000, 9, "abcdXXXXXX", 10);
	struct rte_udp_hdr *uh = udp_of(m);
	uh->dgram_len = rte_cpu_to_be_16(NET_UDP_HLEN + 4);
	uh->dgram_cksum = 0;
	uh->dgram_cksum = net_udp_cksum(reinterpret_cast<uint8_t *>(ip_of(m)), NET_IPV4_HLEN,
					NET_UDP_HLEN + 4);
	feed(m);
	EXPECT_EQ(c(wb_, STAT_udp_sink_rx), 1u);
	EXPECT_EQ(c(wb_, STAT_udp_sink_bytes), 4u);
}

TEST_F(Udp, ClosedPortIsAnsweredWithPortUnreachableQuotingHeaderAnd8Bytes)
{
	uint8_t payload[64];
	memset(payload, 0xab, sizeof(payload));
	struct rte_mbuf *in = dgram(40002, 4444, payload, sizeof(payload));
	uint8_t orig[NET_IPV4_HLEN + 8];
	memcpy(orig, ip_of(in), sizeof(orig)); // the bytes the error must quote
	feed(in);

	struct rte_mbuf *out[2];
	ASSERT_EQ(sent(out, 2), 1u);
	struct rte_mbuf *m = out[0];
	ASSERT_EQ(m->pkt_len, NET_ETH_HLEN + NET_IPV4_HLEN + NET_ICMP_HLEN + sizeof(orig));
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	EXPECT_TRUE(rte_is_same_ether_addr(&eh->dst_addr, &pa_.mac));
	EXPECT_TRUE(rte_is_same_ether_addr(&eh->src_addr, &pb_.mac));
	EXPECT_EQ(eh->ether_type, rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4));
	const struct rte_ipv4_hdr *ip = ip_of(m);
	EXPECT_EQ(ip->version_ihl, 0x45);
	EXPECT_EQ(ip->next_proto_id, IPPROTO_ICMP);
	EXPECT_EQ(ip->time_to_live, 64);
	EXPECT_EQ(ip->src_addr, rte_cpu_to_be_32(IP_B));
	EXPECT_EQ(ip->dst_addr, rte_cpu_to_be_32(IP_A));
	EXPECT_EQ(rte_be_to_cpu_16(ip->total_length), NET_IPV4_HLEN + NET_ICMP_HLEN + sizeof(orig));
	EXPECT_EQ(rte_ipv4_cksum(ip), 0);
	const uint8_t *icmp = reinterpret_cast<const uint8_t *>(ip + 1);
	EXPECT_EQ(icmp[0], 3); // destination unreachable
	EXPECT_EQ(icmp[1], 3); // port unreachable
	EXPECT_EQ(icmp[4] | icmp[5] | icmp[6] | icmp[7], 0) << "unused word is zero";
	EXPECT_EQ(net_cksum(icmp, NET_ICMP_HLEN + sizeof(orig)), 0) << "ICMP checksum verifies";
	EXPECT_EQ(memcmp(icmp + NET_ICMP_HLEN, orig, sizeof(orig)), 0)
		<< "quotes the original IP header and the first 8 bytes (the UDP header)";
	rte_pktmbuf_free(m);
	EXPECT_EQ(c(wb_, STAT_drop_udp_no_port), 1u);
	EXPECT_EQ(c(wb_, STAT_udp_unreach_tx), 1u);
	EXPECT_EQ(c(wb_, STAT_udp_unreach_limited), 0u);
	EXPECT_EQ(c(wb_, STAT_udp_rx), 1u);
}

TEST_F(Udp, NoUnreachableForADatagramSentToTheBroadcastMac)
{
	struct rte_ether_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	feed(dgram(40003, 4444, "x", 1, &bcast));
	struct rte_mbuf *out[2];
	EXPECT_EQ(sent(out, 2), 0u);
	EXPECT_EQ(c(wb_, STAT_drop_udp_no_port), 1u);
	EXPECT_EQ(c(wb_, STAT_udp_unreach_tx), 0u);
	EXPECT_EQ(c(wb_, STAT_udp_unreach_limited), 0u);
}

TEST_F(Udp, UnreachablesAreRateLimitedByATokenBucket)
{
	struct rte_mbuf *out[32];
	unsigned int got = 0, n;

	wb_->now = rte_rdtsc(); // fixed clock: only what the test advances refills
	// the bucket starts full: UDP_UNREACH_BURST (50) back to back, then nothing
	for (int i = 0; i < 200; i++) {
		worker_input(wb_, wpb_, dgram((uint16_t)(30000 + i), 4444, "x", 1));
		if (wpb_->tx_n >= 32)
			worker_flush(wb_, wpb_);
		while ((n = sent(out, 32)) != 0) {
			got += n;
			rte_pktmbuf_free_bulk(out, n);
		}
	}
	worker_flush(wb_, wpb_);
	while ((n = sent(out, 32)) != 0) {
		got += n;
		rte_pktmbuf_free_bulk(out, n);
	}
	EXPECT_EQ(got, UDP_UNREACH_BURST);
	EXPECT_EQ(c(wb_, STAT_udp_unreach_tx), UDP_UNREACH_BURST);
	EXPECT_EQ(c(wb_, STAT_udp_unreach_limited), 200u - UDP_UNREACH_BURST);
	EXPECT_EQ(c(wb_, STAT_drop_udp_no_port), 200u);
	// 10 ms at 1000/s: 10 more tokens
	wb_->now += rte_get_tsc_hz() / 100;
	for (int i = 0; i < 20; i++)
		feed(dgram((uint16_t)(31000 + i), 4444, "x", 1));
	got = 0;
	while ((n = sent(out, 32)) != 0) {
		got += n;
		rte_pktmbuf_free_bulk(out, n);
	}
	EXPECT_EQ(got, 10u);
	EXPECT_EQ(c(wb_, STAT_udp_unreach_limited), 200u - UDP_UNREACH_BURST + 10);
}

TEST_F(Udp, UnreachRateZeroNeverAnswers)
{
	udp_detach(ub_);
	struct udp_conf uc = {};
	uc.unreach_rate = 0;
	ub_ = udp_attach(wb_, &uc);
	ASSERT_NE(ub_, nullptr);
	feed(dgram(40004, 4444, "x", 1));
	struct rte_mbuf *out[2];
	EXPECT_EQ(sent(out, 2), 0u);
	EXPECT_EQ(c(wb_, STAT_drop_udp_no_port), 1u);
	EXPECT_EQ(c(wb_, STAT_udp_unreach_tx), 0u);
}

TEST_F(Udp, AppPortWithoutAnApplicationIsClosed)
{
	EXPECT_EQ(udp_bind(ub_, 5555, UDP_PORT_APP), -EINVAL); // no application yet
	EXPECT_EQ(udp_port_kind(ub_, 5555), UDP_PORT_NONE);
	struct udp_app none = {};
	ASSERT_EQ(udp_set_app(ub_, &none), 0);
	ASSERT_EQ(udp_bind(ub_, 5555, UDP_PORT_APP), 0);
	EXPECT_EQ(udp_port_kind(ub_, 5555), UDP_PORT_APP);
	feed(dgram(40005, 5555, "x", 1));
	EXPECT_EQ(c(wb_, STAT_drop_udp_no_port), 1u);
	udp_bind(ub_, 5555, UDP_PORT_NONE);
	EXPECT_EQ(udp_port_kind(ub_, 5555), UDP_PORT_NONE);
}

// Each port has one owner: datagrams go to the application that bound the
// destination port; binding a port someone else owns is refused.
TEST_F(Udp, EachPortGoesToTheApplicationThatOwnsIt)
{
	static int got[2];
	struct udp_app a[2] = {};
	got[0] = got[1] = 0;
	for (int i = 0; i < 2; i++) {
		a[i].recv = [](struct udp_ctx *, const struct udp_dgram *, void *arg) {
			++*(int *)arg;
		};
		a[i].arg = &got[i];
	}
	int s0 = udp_app_add(ub_, &a[0]), s1 = udp_app_add(ub_, &a[1]);
	ASSERT_EQ(s0, 0);
	ASSERT_EQ(s1, 1);
	EXPECT_EQ(udp_app_add(ub_, &a[1]), 1) << "the same callbacks reuse their slot";
	ASSERT_EQ(udp_bind_app(ub_, 6000, s0), 0);
	ASSERT_EQ(udp_bind_app(ub_, 6001, s1), 0);
	EXPECT_EQ(udp_bind_app(ub_, 6000, s0), 0) << "binding again is idempotent";
	EXPECT_EQ(udp_bind_app(ub_, 6000, s1), -EADDRINUSE);
	EXPECT_EQ(udp_bind_app(ub_, 7, s0), -EADDRINUSE) << "7 is the echo port";
	EXPECT_EQ(udp_bind(ub_, 7, UDP_PORT_SINK), -EADDRINUSE);
	EXPECT_EQ(udp_bind(ub_, 6001, UDP_PORT_ECHO), -EADDRINUSE);
	EXPECT_EQ(udp_bind_app(ub_, 6002, 5), -EINVAL);
	EXPECT_EQ(udp_port_app(ub_, 6000), s0);
	EXPECT_EQ(udp_port_app(ub_, 6001), s1);
	EXPECT_EQ(udp_port_app(ub_, 7), -1);
	feed(dgram(40005, 6000, "x", 1));
	feed(dgram(40005, 6001, "y", 1));
	feed(dgram(40005, 6001, "z", 1));
	EXPECT_EQ(got[0], 1);
	EXPECT_EQ(got[1], 2);
	EXPECT_EQ(c(wb_, STAT_drop_udp_no_port), 0u);
	// closing always works; the port is then free for another owner
	EXPECT_EQ(udp_bind(ub_, 6000, UDP_PORT_NONE), 0);
	EXPECT_EQ(udp_bind_app(ub_, 6000, s1), 0);
}

TEST_F(Udp, SinkCountsAndTracksSequenceNumbersPerSender)
{
	auto send = [&](uint16_t worker, uint64_t seq) {
		uint8_t p[64] = {};
		struct udp_seq_hdr h = {};
		h.magic = rte_cpu_to_be_32(UDP_SEQ_MAGIC);
		h.worker = rte_cpu_to_be_16(worker);
		h.seq = rte_cpu_to_be_64(seq);
		memcpy(p, &h, sizeof(h));
		feed(dgram(40010, 9, p, sizeof(p)));
	};
	// sender 0: 0 1 2 5 4 4 3 -> reorder 2 (4 and 3), dup 1 (4 again)
	for (uint64_t s : {0, 1, 2, 5, 4, 4, 3})
		send(0, s);
	EXPECT_EQ(c(wb_, STAT_udp_sink_rx), 7u);
	EXPECT_EQ(c(wb_, STAT_udp_sink_bytes), 7u * 64);
	EXPECT_EQ(c(wb_, STAT_udp_reorder), 2u);
	EXPECT_EQ(c(wb_, STAT_udp_dup), 1u);
	EXPECT_EQ(c(wb_, STAT_udp_lost), 0u);
	// sender 1 has its own sequence space: its 0 is neither dup nor late
	send(1, 0);
	EXPECT_EQ(c(wb_, STAT_udp_dup), 1u);
	EXPECT_EQ(c(wb_, STAT_udp_reorder), 2u);
	// sender 0 jumps a window and a half ahead, to 6150: 6..6149 never
	// came. The window (6150 - 4096, 6150] still waits for 2055..6149; only
	// 6..2054 left it unseen and count as lost.
	send(0, 6 + UDP_SEQ_WINDOW + UDP_SEQ_WINDOW / 2);
	EXPECT_EQ(c(wb_, STAT_udp_lost), (uint64_t)UDP_SEQ_WINDOW / 2 + 1)
		<< "lost = sequence numbers that left the window unseen";
	// a datagram without the header is counted but not tracked
	feed(dgram(40011, 9, "plain", 5));
	EXPECT_EQ(c(wb_, STAT_udp_sink_rx), 10u);
	struct rte_mbuf *out[2];
	EXPECT_EQ(sent(out, 2), 0u) << "the sink answers nothing";
}

// ---- the sequence tracker alone ----

TEST(UdpSeq, InOrderIsAllNew)
{
	struct udp_seq s = {};
	uint64_t miss = 99;
	for (uint64_t i = 0; i < 3 * UDP_SEQ_WINDOW; i++) {
		ASSERT_EQ(udp_seq_track(&s, i, &miss), UDP_SEQ_NEW) << i;
		ASSERT_EQ(miss, 0u) << i;
	}
}

TEST(UdpSeq, LateDuplicateAndOld)
{
	struct udp_seq s = {};
	EXPECT_EQ(udp_seq_track(&s, 10, nullptr), UDP_SEQ_NEW);
	EXPECT_EQ(udp_seq_track(&s, 12, nullptr), UDP_SEQ_NEW);
	EXPECT_EQ(udp_seq_track(&s, 11, nullptr), UDP_SEQ_LATE);
	EXPECT_EQ(udp_seq_track(&s, 11, nullptr), UDP_SEQ_DUP);
	EXPECT_EQ(udp_seq_track(&s, 12, nullptr), UDP_SEQ_DUP);
	EXPECT_EQ(udp_seq_track(&s, 10, nullptr), UDP_SEQ_DUP);
	EXPECT_EQ(udp_seq_track(&s, 9, nullptr), UDP_SEQ_OLD) << "below the first seen";
	EXPECT_EQ(udp_seq_track(&s, 12 + UDP_SEQ_WINDOW, nullptr), UDP_SEQ_NEW);
	EXPECT_EQ(udp_seq_track(&s, 12, nullptr), UDP_SEQ_OLD) << "fell out of the window";
	EXPECT_EQ(udp_seq_track(&s, 13, nullptr), UDP_SEQ_LATE) << "still inside it";
}

TEST(UdpSeq, MissingIsCountedWhenTheWindowLetsGo)
{
	struct udp_seq s = {};
	uint64_t miss, total = 0;
	// every third sequence number never arrives
	for (uint64_t i = 0; i < 10 * UDP_SEQ_WINDOW; i++) {
		if (i % 3 == 1)
			continue;
		ASSERT_EQ(udp_seq_track(&s, i, &miss), UDP_SEQ_NEW);
		total += miss;
	}
	// the last window's gaps are still pending
	uint64_t gaps = (10 * UDP_SEQ_WINDOW + 1) / 3;
	EXPECT_LE(total, gaps);
	EXPECT_GE(total, gaps - UDP_SEQ_WINDOW / 3 - 1);
	// a late arrival inside the window is not missing any more
	struct udp_seq t = {};
	EXPECT_EQ(udp_seq_track(&t, 0, &miss), UDP_SEQ_NEW);
	EXPECT_EQ(udp_seq_track(&t, 2, &miss), UDP_SEQ_NEW);
	EXPECT_EQ(udp_seq_track(&t, 1, &miss), UDP_SEQ_LATE);
	EXPECT_EQ(udp_seq_track(&t, 2 + UDP_SEQ_WINDOW, &miss), UDP_SEQ_NEW);
	EXPECT_EQ(miss, 0u) << "0, 1, 2 left the window seen; 3.. are still pending";
	EXPECT_EQ(udp_seq_track(&t, 3, &miss), UDP_SEQ_LATE);
	EXPECT_EQ(udp_seq_track(&t, 2 + 2 * UDP_SEQ_WINDOW, &miss), UDP_SEQ_NEW);
	EXPECT_EQ(miss, UDP_SEQ_WINDOW - 2) << "of 3..2+WINDOW only 3 and 2+WINDOW came";
}

TEST(UdpSeq, AJumpOfManyWindowsCountsEveryGap)
{
	struct udp_seq s = {};
	uint64_t miss;
	EXPECT_EQ(udp_seq_track(&s, 0, &miss), UDP_SEQ_NEW);
	EXPECT_EQ(udp_seq_track(&s, 1000000, &miss), UDP_SEQ_NEW);
	EXPECT_EQ(miss, 1000000u - UDP_SEQ_WINDOW) << "what is still in the window is not lost yet";
	EXPECT_EQ(udp_seq_track(&s, 1000000 - 5, &miss), UDP_SEQ_LATE);
}

// ---- the udp model against the echo and the sink ----

void
run_model(struct worker *wa, struct worker *wb, bool (*done)(struct worker *))
{
	uint64_t deadline = rte_rdtsc() + 20 * rte_get_tsc_hz();
	while (!done(wa) && rte_rdtsc() < deadline) {
		worker_poll_once(wa);
		worker_poll_once(wb);
	}
}

TEST_F(Udp, ModelEchoCountersAgreeExactlyAndRttIsRecorded)
{
	struct udp_conf uc = {};
	uc.unreach_rate = 1000;
	ua_ = udp_attach(wa_, &uc);
	ASSERT_NE(ua_, nullptr);
	struct gen_target tg = {rte_cpu_to_be_32(IP_B), rte_cpu_to_be_16(7)};
	struct gen_udp_conf gc = {};
	gc.targets = &tg;
	gc.nb_targets = 1;
	gc.payload = 64;
	gc.burst = 32;
	gc.count = 20000;
	gc.flows = 4;
	gc.port_lo = 50000;
	gc.echo = true;
	gc.window = 256;
	struct gen_udp *g = gen_udp_create(wa_, wpa_, &gc);
	ASSERT_NE(g, nullptr);
	gen_udp_start(g, ua_);
	for (uint16_t p = 50000; p < 50004; p++)
		EXPECT_EQ(udp_port_kind(ua_, p), UDP_PORT_APP);
	EXPECT_EQ(udp_port_kind(ua_, 50004), UDP_PORT_NONE);
	run_model(wa_, wb_, [](struct worker *w) { return !worker_busy(w); });
	ASSERT_FALSE(worker_busy(wa_));
	EXPECT_FALSE(gen_udp_failed(g));
	EXPECT_EQ(c(wa_, STAT_udp_gen_tx), 20000u);
	EXPECT_EQ(c(wb_, STAT_udp_rx), 20000u);
	EXPECT_EQ(c(wb_, STAT_udp_echo_tx), 20000u);
	EXPECT_EQ(c(wa_, STAT_udp_gen_rx), 20000u);
	EXPECT_EQ(c(wa_, STAT_udp_lost), 0u);
	EXPECT_EQ(c(wa_, STAT_udp_reorder), 0u);
	EXPECT_EQ(c(wa_, STAT_udp_dup), 0u);
	EXPECT_EQ(c(wa_, STAT_udp_gen_bad), 0u);
	EXPECT_EQ(c(wb_, STAT_drop_udp_csum), 0u) << "patched checksums verify";
	EXPECT_EQ(c(wb_, STAT_drop_udp_no_port), 0u);
	ASSERT_NE(wa_->stats.h[HIST_rtt], nullptr);
	EXPECT_EQ(wa_->stats.h[HIST_rtt]->count, 20000u);
	gen_udp_free(g);
	EXPECT_EQ(wa_->stats.h[HIST_rtt], nullptr);
	wa_->nb_apps = 0;
	wa_->nb_polls = 0;
}

TEST_F(Udp, ModelToTheSinkSpreadsFlowsAndTheSinkSeesNoLoss)
{
	struct udp_conf uc = {};
	ua_ = udp_attach(wa_, &uc);
	ASSERT_NE(ua_, nullptr);
	struct gen_target tg = {rte_cpu_to_be_32(IP_B), rte_cpu_to_be_16(9)};
	struct gen_udp_conf gc = {};
	gc.targets = &tg;
	gc.nb_targets = 1;
	gc.payload = 200;
	gc.burst = 16;
	gc.count = 3 * UDP_SEQ_WINDOW;
	gc.flows = 3;
	gc.port_lo = 60000;
	gc.echo = false;
	struct gen_udp *g = gen_udp_create(wa_, wpa_, &gc);
	ASSERT_NE(g, nullptr);
	gen_udp_start(g, ua_);
	run_model(wa_, wb_, [](struct worker *w) { return !worker_busy(w); });
	ASSERT_FALSE(worker_busy(wa_));
	for (int i = 0; i < 100; i++)
		worker_poll_once(wb_); // what is still on the ring
	EXPECT_EQ(c(wa_, STAT_udp_gen_tx), 3u * UDP_SEQ_WINDOW);
	EXPECT_EQ(c(wb_, STAT_udp_sink_rx), 3u * UDP_SEQ_WINDOW);
	EXPECT_EQ(c(wb_, STAT_udp_sink_bytes), 3u * UDP_SEQ_WINDOW * 200);
	EXPECT_EQ(c(wb_, STAT_udp_lost), 0u);
	EXPECT_EQ(c(wb_, STAT_udp_reorder), 0u);
	EXPECT_EQ(c(wb_, STAT_udp_dup), 0u);
	EXPECT_EQ(c(wb_, STAT_drop_udp_csum), 0u);
	EXPECT_EQ(c(wa_, STAT_udp_lost), 0u) << "no echo expected: nothing counted lost";
	gen_udp_free(g);
	wa_->nb_apps = 0;
	wa_->nb_polls = 0;
}

TEST_F(Udp, ModelCountsDuplicatedAndReorderedEchoes)
{
	// The "server" is the test: it captures the model's datagrams on port B
	// and sends them back in a crafted order, some twice.
	struct udp_conf uc = {};
	ua_ = udp_attach(wa_, &uc);
	ASSERT_NE(ua_, nullptr);
	struct gen_target tg = {rte_cpu_to_be_32(IP_B), rte_cpu_to_be_16(7)};
	struct gen_udp_conf gc = {};
	gc.targets = &tg;
	gc.nb_targets = 1;
	gc.payload = 32;
	gc.burst = 8;
	gc.count = 8;
	gc.flows = 2;
	gc.port_lo = 50000;
	gc.echo = true;
	gc.window = 8;
	struct gen_udp *g = gen_udp_create(wa_, wpa_, &gc);
	ASSERT_NE(g, nullptr);
	gen_udp_start(g, ua_);
	// B answers ARP only (its UDP is detached for this test)
	udp_detach(ub_);
	ub_ = nullptr;
	struct rte_mbuf *got[8];
	unsigned int n = 0;
	uint64_t deadline = rte_rdtsc() + 5 * rte_get_tsc_hz();
	while (n < 8 && rte_rdtsc() < deadline) {
		worker_poll_once(wa_);
		struct rte_mbuf *m[8];
		unsigned int k = rte_eth_rx_burst(pb_.port_id, 0, m, 8);
		for (unsigned int i = 0; i < k; i++) {
			struct net_info ni = {};
			uint8_t *d = rte_pktmbuf_mtod(m[i], uint8_t *);
			if (net_eth_check(d, m[i]->data_len, &pb_.mac, &ni) == 0 &&
			    ni.ethertype == RTE_ETHER_TYPE_IPV4) {
				got[n++] = m[i];
			} else {
				worker_input(wb_, wpb_, m[i]); // ARP
				worker_flush(wb_, wpb_);
			}
		}
	}
	ASSERT_EQ(n, 8u);
	// echo them: seq 0..7 sent as flows 0,1,0,1,...; return 0 2 1 4 3 3 7 5, 6 never
	const int order[] = {0, 2, 1, 4, 3, 3, 7, 5};
	for (int idx : order) {
		struct rte_mbuf *e = rte_pktmbuf_copy(got[idx], pool_, 0, UINT32_MAX);
		ASSERT_NE(e, nullptr);
		struct net_info ni = {};
		uint8_t *d = rte_pktmbuf_mtod(e, uint8_t *);
		ASSERT_EQ(net_eth_check(d, e->data_len, &pb_.mac, &ni), 0);
		ASSERT_EQ(net_ipv4_check(d + ni.l3_off, e->data_len - ni.l3_off, wpb_->ip, 1, &ni),
			  0);
		net_udp_echo_inplace(d, &ni, &pb_.mac);
		ASSERT_EQ(rte_eth_tx_burst(pb_.port_id, 0, &e, 1), 1u);
	}
	rte_pktmbuf_free_bulk(got, n);
	deadline = rte_rdtsc() + 5 * rte_get_tsc_hz(); // the 1 s grace, bounded
	while (worker_busy(wa_) && rte_rdtsc() < deadline)
		worker_poll_once(wa_);
	ASSERT_FALSE(worker_busy(wa_));
	EXPECT_EQ(c(wa_, STAT_udp_gen_tx), 8u);
	EXPECT_EQ(c(wa_, STAT_udp_gen_rx), 7u);
	EXPECT_EQ(c(wa_, STAT_udp_dup), 1u);
	// per flow: flow 0 sees 0 2 4 (6 missing), in order although 2 came
	// before 1 (another flow); flow 1 sees 1 3 3 7 5: 5 after 7 is reordering.
	EXPECT_EQ(c(wa_, STAT_udp_reorder), 1u);
	EXPECT_EQ(c(wa_, STAT_udp_lost), 1u);
	EXPECT_EQ(wa_->stats.h[HIST_rtt]->count, 7u);
	gen_udp_free(g);
	wa_->nb_apps = 0;
	wa_->nb_polls = 0;
}

TEST_F(Udp, ModelRefusesAPayloadBelowItsHeader)
{
	struct gen_target tg = {rte_cpu_to_be_32(IP_B), rte_cpu_to_be_16(7)};
	struct gen_udp_conf gc = {};
	gc.targets = &tg;
	gc.nb_targets = 1;
	gc.payload = UDP_SEQ_HLEN - 1;
	gc.flows = 1;
	gc.port_lo = 50000;
	errno = 0;
	EXPECT_EQ(gen_udp_create(wa_, wpa_, &gc), nullptr);
	EXPECT_EQ(errno, EINVAL);
	gc.payload = 1500;
	EXPECT_EQ(gen_udp_create(wa_, wpa_, &gc), nullptr);
	EXPECT_EQ(errno, EMSGSIZE);
	gc.payload = UDP_SEQ_HLEN;
	struct gen_udp *g = gen_udp_create(wa_, wpa_, &gc);
	EXPECT_NE(g, nullptr);
	gen_udp_free(g);
}

} // namespace
