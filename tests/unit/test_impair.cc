// SPDX-License-Identifier: BSD-3-Clause
// drivers/impair: the impairment math (loss rates, Gilbert-Elliott bursts,
// reproducibility, delay order, jitter bounds, reordering, duplication,
// corruption the checksum catches, the token bucket, the held limit) on a
// test clock of 1 tick per microsecond, and the ethdev callbacks on a real
// net_ring link under --no-huge.

#include <gtest/gtest.h>

#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <vector>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "drivers/impair.h"
#include "drivers/port.h"

namespace {

struct rte_mempool *g_pool;
const uint64_t HZ = 1000000; // 1 tick = 1 us

class EalEnv : public ::testing::Environment {
public:
	void SetUp() override
	{
		static const char *args[] = {"test_impair",
					     "--no-huge",
					     "-m",
					     "256",
					     "--no-pci",
					     "--no-shconf",
					     "--no-telemetry",
					     "--log-level=*:error"};
		for (const char *a : args)
			argv_.push_back(strdup(a));
		std::vector<char *> argv = argv_;
		ASSERT_GE(rte_eal_init((int)argv.size(), argv.data()), 0);
		g_pool = rte_pktmbuf_pool_create("imp_test", 8191, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
						 SOCKET_ID_ANY);
		ASSERT_NE(g_pool, nullptr);
	}
	void TearDown() override
	{
		rte_eal_cleanup();
		for (char *a : argv_)
			free(a);
	}

private:
	std::vector<char *> argv_;
};

::testing::Environment *const env = ::testing::AddGlobalTestEnvironment(new EalEnv);

// A frame of len bytes whose byte 14.. carries the packet number.
struct rte_mbuf *
Frame(uint32_t id, uint16_t len = 100)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(g_pool);
	EXPECT_NE(m, nullptr);
	char *p = rte_pktmbuf_append(m, len);
	memset(p, 0, len);
	memcpy(p + 14, &id, sizeof(id));
	return m;
}

uint32_t
Id(const struct rte_mbuf *m)
{
	uint32_t id;
	memcpy(&id, rte_pktmbuf_mtod_offset(m, const char *, 14), sizeof(id));
	return id;
}

struct Q {
	struct impair_q q;
	Q(const struct impair_conf &c, bool tx = false, uint64_t salt = 0)
	{
		EXPECT_EQ(impair_q_init(&q, &c, tx, 0, 0, HZ, salt), 0);
	}
	~Q() { impair_q_fini(&q); }
	uint64_t ctr(enum impair_ctr i) const { return q.ctr[i]; }
};

// Feed n packets at one per `gap` us, return the ids passed or released
// (everything due by the end is drained).
std::vector<uint32_t>
Feed(Q &q, uint32_t n, uint64_t gap = 1, uint64_t t0 = 1)
{
	std::vector<uint32_t> out;
	struct rte_mbuf *b[64];
	uint64_t now = t0;
	for (uint32_t i = 0; i < n; i++, now += gap) {
		struct rte_mbuf *m = Frame(i);
		if (impair_one(&q.q, &m, now) == 1) {
			out.push_back(Id(m));
			rte_pktmbuf_free(m);
		}
		uint16_t k;
		while ((k = impair_release(&q.q, now, b, 64)) > 0)
			for (uint16_t j = 0; j < k; j++) {
				out.push_back(Id(b[j]));
				rte_pktmbuf_free(b[j]);
			}
	}
	uint16_t k;
	while ((k = impair_release(&q.q, UINT64_MAX / 2, b, 64)) > 0)
		for (uint16_t j = 0; j < k; j++) {
			out.push_back(Id(b[j]));
			rte_pktmbuf_free(b[j]);
		}
	return out;
}

TEST(ImpairRng, SeededAndReproducible)
{
	struct impair_rng a, b, c;
	impair_rng_seed(&a, 7);
	impair_rng_seed(&b, 7);
	impair_rng_seed(&c, 8);
	int same = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = impair_rng_next(&a);
		EXPECT_EQ(x, impair_rng_next(&b));
		same += x == impair_rng_next(&c);
	}
	EXPECT_EQ(same, 0);
}

TEST(Impair, UniformLossRateWithinBounds)
{
	struct impair_conf c = {};
	c.loss = 20000; // 2 %
	c.seed = 7;
	Q q(c);
	const uint32_t N = 100000;
	auto out = Feed(q, N);
	double rate = (double)q.ctr(IMPAIR_CTR_DROPPED) / N;
	// binomial sd = sqrt(0.02 * 0.98 / 1e5) = 0.00044: +-5 sd
	EXPECT_GT(rate, 0.0178);
	EXPECT_LT(rate, 0.0222);
	EXPECT_EQ(out.size() + q.ctr(IMPAIR_CTR_DROPPED), N);
	// nothing delayed: order kept
	for (size_t i = 1; i < out.size(); i++)
		ASSERT_LT(out[i - 1], out[i]);
}

TEST(Impair, SameSeedSameLossesOtherSeedOthers)
{
	struct impair_conf c = {};
	c.loss = 100000;
	c.seed = 42;
	Q a(c), b(c), other(c, false, 1);
	auto ra = Feed(a, 5000), rb = Feed(b, 5000), ro = Feed(other, 5000);
	EXPECT_EQ(ra, rb);
	EXPECT_NE(ra, ro);
}

TEST(Impair, GilbertElliottLossComesInBursts)
{
	struct impair_conf c = {};
	c.ge_p = 10000;	 // 1 % good -> bad
	c.ge_r = 250000; // 25 % bad -> good: bursts of 4 on average
	c.seed = 3;
	Q q(c);
	const uint32_t N = 200000;
	auto out = Feed(q, N);
	// stationary loss p / (p + r) = 0.01 / 0.26 = 3.85 %
	double rate = (double)q.ctr(IMPAIR_CTR_DROPPED) / N;
	EXPECT_GT(rate, 0.0385 * 0.85);
	EXPECT_LT(rate, 0.0385 * 1.15);
	// mean run of consecutive losses ~ 1 / r = 4 (uniform loss: ~1.04)
	uint64_t runs = 0;
	for (size_t i = 1; i < out.size(); i++)
		runs += out[i] != out[i - 1] + 1;
	runs += out.empty() || out[0] != 0;
	double mean = (double)q.ctr(IMPAIR_CTR_DROPPED) / (double)runs;
	EXPECT_GT(mean, 3.2);
	EXPECT_LT(mean, 4.8);
}

TEST(Impair, DelayHoldsInOrderUntilDue)
{
	struct impair_conf c = {};
	c.delay_us = 1000;
	Q q(c);
	struct rte_mbuf *b[64];
	for (uint32_t i = 0; i < 50; i++) {
		struct rte_mbuf *m = Frame(i);
		ASSERT_EQ(impair_one(&q.q, &m, 10 + i), 0);
	}
	EXPECT_EQ(q.ctr(IMPAIR_CTR_DELAYED), 50u);
	EXPECT_EQ(impair_release(&q.q, 1009, b, 64), 0);
	// due at 1010 + i: at 1019 the first ten, in order
	uint16_t k = impair_release(&q.q, 1019, b, 64);
	ASSERT_EQ(k, 10);
	for (uint16_t j = 0; j < k; j++) {
		EXPECT_EQ(Id(b[j]), j);
		rte_pktmbuf_free(b[j]);
	}
	k = impair_release(&q.q, 5000, b, 64);
	ASSERT_EQ(k, 40);
	for (uint16_t j = 0; j < k; j++) {
		EXPECT_EQ(Id(b[j]), 10u + j);
		rte_pktmbuf_free(b[j]);
	}
}

TEST(Impair, JitterStaysWithinItsBounds)
{
	struct impair_conf c = {};
	c.delay_us = 1000;
	c.jitter_us = 200;
	c.seed = 9;
	Q q(c);
	for (int i = 0; i < 2000; i++) {
		struct rte_mbuf *m = Frame((uint32_t)i);
		ASSERT_EQ(impair_one(&q.q, &m, 10000), 0);
	}
	struct rte_mbuf *b[64];
	uint64_t got = 0, lo = UINT64_MAX, hi = 0;
	for (uint64_t t = 10000 + 700; t <= 10000 + 1300; t++) {
		uint16_t k = impair_release(&q.q, t, b, 64);
		for (uint16_t j = 0; j < k; j++)
			rte_pktmbuf_free(b[j]);
		if (k) {
			lo = std::min(lo, t - 10000);
			hi = std::max(hi, t - 10000);
		}
		got += k;
	}
	EXPECT_EQ(got, 2000u);
	EXPECT_GE(lo, 800u);
	EXPECT_LE(hi, 1200u);
	EXPECT_LT(lo, 820u); // spread over the whole range
	EXPECT_GT(hi, 1180u);
}

TEST(Impair, ReorderHoldsAFractionBack)
{
	struct impair_conf c = {};
	c.reorder = 50000; // 5 %
	c.reorder_us = 100;
	c.seed = 11;
	Q q(c);
	const uint32_t N = 20000;
	auto out = Feed(q, N, 10);
	ASSERT_EQ(out.size(), N);
	double frac = (double)q.ctr(IMPAIR_CTR_REORDERED) / N;
	EXPECT_GT(frac, 0.04);
	EXPECT_LT(frac, 0.06);
	uint32_t late = 0;
	for (size_t i = 1; i < out.size(); i++)
		late += out[i] < out[i - 1];
	// each held packet is overtaken by the ~10 sent during its 100 us
	EXPECT_GT(late, q.ctr(IMPAIR_CTR_REORDERED) / 2);
	std::vector<uint32_t> sorted = out;
	std::sort(sorted.begin(), sorted.end());
	for (uint32_t i = 0; i < N; i++)
		ASSERT_EQ(sorted[i], i);
}

TEST(Impair, DuplicatesFollowTheOriginal)
{
	struct impair_conf c = {};
	c.dup = 100000;
	c.seed = 5;
	Q q(c);
	auto out = Feed(q, 10000);
	EXPECT_EQ(out.size(), 10000 + q.ctr(IMPAIR_CTR_DUPLICATED));
	EXPECT_GT(q.ctr(IMPAIR_CTR_DUPLICATED), 900u);
	EXPECT_LT(q.ctr(IMPAIR_CTR_DUPLICATED), 1100u);
	for (size_t i = 1; i < out.size(); i++)
		ASSERT_LE(out[i - 1], out[i]);
}

// A TCP/IPv4 frame with valid checksums.
struct rte_mbuf *
TcpFrame(uint16_t payload)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(g_pool);
	uint16_t len = 14 + 20 + 20 + payload;
	uint8_t *p = (uint8_t *)rte_pktmbuf_append(m, len);
	memset(p, 0, len);
	p[12] = 0x08;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + 14);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(40 + payload);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = rte_cpu_to_be_32(0xc6120001);
	ip->dst_addr = rte_cpu_to_be_32(0xc6120002);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);
	th->src_port = rte_cpu_to_be_16(1234);
	th->dst_port = rte_cpu_to_be_16(80);
	th->data_off = 5 << 4;
	for (uint16_t i = 0; i < payload; i++)
		p[54 + i] = (uint8_t)(i * 7);
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	return m;
}

bool
ChecksumsOk(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	if (rte_ipv4_cksum(ip) != 0)
		return false;
	return rte_ipv4_udptcp_cksum_verify(ip, ip + 1) == 0;
}

TEST(Impair, CorruptionFlipsOneBitOfAPrivateCopyTheChecksumCatches)
{
	struct impair_conf c = {};
	c.corrupt = IMPAIR_PPM;
	c.seed = 13;
	Q q(c);
	for (int i = 0; i < 200; i++) {
		struct rte_mbuf *orig = TcpFrame(200);
		ASSERT_TRUE(ChecksumsOk(orig));
		std::vector<uint8_t> before(rte_pktmbuf_mtod(orig, uint8_t *),
					    rte_pktmbuf_mtod(orig, uint8_t *) + orig->pkt_len);
		rte_mbuf_refcnt_update(orig, 1); // keep it to look at after
		struct rte_mbuf *m = orig;
		ASSERT_EQ(impair_one(&q.q, &m, 1), 1);
		ASSERT_NE(m, orig) << "corrupted in place";
		// the original (shared with its sender) is untouched
		EXPECT_EQ(memcmp(before.data(), rte_pktmbuf_mtod(orig, uint8_t *), before.size()),
			  0);
		rte_pktmbuf_free(orig);
		int bits = 0;
		const uint8_t *n = rte_pktmbuf_mtod(m, const uint8_t *);
		for (size_t j = 0; j < before.size(); j++)
			bits += __builtin_popcount(before[j] ^ n[j]);
		EXPECT_EQ(bits, 1);
		for (size_t j = 0; j < 14; j++)
			EXPECT_EQ(before[j], n[j]);
		EXPECT_FALSE(ChecksumsOk(m)) << "a flipped bit went through unnoticed";
		rte_pktmbuf_free(m);
	}
	EXPECT_EQ(q.ctr(IMPAIR_CTR_CORRUPTED), 200u);
}

TEST(Impair, TxCorruptionFillsOffloadedChecksumsFirst)
{
	struct impair_conf c = {};
	c.corrupt = IMPAIR_PPM;
	Q q(c, true);
	struct rte_mbuf *m = TcpFrame(100);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);
	// as a stack with offloads hands it over: pseudo-header sum only
	ip->hdr_checksum = 0;
	th->cksum = rte_ipv4_phdr_cksum(ip, 0);
	m->l2_len = 14;
	m->l3_len = 20;
	m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM;
	ASSERT_EQ(impair_one(&q.q, &m, 1), 1);
	EXPECT_EQ(m->ol_flags & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK), 0u);
	EXPECT_FALSE(ChecksumsOk(m));
	rte_pktmbuf_free(m);
}

TEST(Impair, RateLimitShapesThenDrops)
{
	struct impair_conf c = {};
	c.rate_bps = 8000000; // 1000-byte frames: one per ms
	c.burst_bytes = 1000;
	c.rate_queue_us = 10000;
	Q q(c);
	std::vector<uint32_t> out;
	struct rte_mbuf *b[64];
	for (uint32_t i = 0; i < 100; i++) {
		struct rte_mbuf *m = Frame(i, 1000);
		if (impair_one(&q.q, &m, 100) == 1) {
			out.push_back(0);
			rte_pktmbuf_free(m);
		}
	}
	// one at once (the bucket), ten more within the 10 ms queue
	EXPECT_EQ(q.ctr(IMPAIR_CTR_RATE_DROPPED), 89u);
	EXPECT_EQ(out.size(), 1u);
	uint64_t last = 0;
	int held = 0;
	for (uint64_t t = 100; t < 20000; t++) {
		uint16_t k = impair_release(&q.q, t, b, 64);
		for (uint16_t j = 0; j < k; j++) {
			rte_pktmbuf_free(b[j]);
			if (last) {
				EXPECT_EQ(t - last, 1000u);
			}
			last = t;
			held++;
		}
	}
	EXPECT_EQ(held, 10);
}

TEST(Impair, HeldLimitOverflowIsCounted)
{
	struct impair_conf c = {};
	c.delay_us = 1000;
	c.limit = 4;
	Q q(c);
	for (uint32_t i = 0; i < 6; i++) {
		struct rte_mbuf *m = Frame(i);
		EXPECT_EQ(impair_one(&q.q, &m, 1), 0);
	}
	EXPECT_EQ(q.ctr(IMPAIR_CTR_OVERFLOW), 2u);
	EXPECT_EQ(q.q.n, 4u);
	// fini frees what is held (the pool gets them back)
}

TEST(Impair, PoolCountsEqualAfterFini)
{
	unsigned before = rte_mempool_avail_count(g_pool);
	{
		struct impair_conf c = {};
		c.delay_us = 500;
		c.dup = 300000;
		c.corrupt = 100000;
		c.reorder = 100000;
		c.reorder_us = 300;
		c.seed = 1;
		Q q(c);
		for (uint32_t i = 0; i < 500; i++) {
			struct rte_mbuf *m = Frame(i);
			if (impair_one(&q.q, &m, i))
				rte_pktmbuf_free(m);
		}
		EXPECT_GT(q.q.n, 0u);
	}
	EXPECT_EQ(rte_mempool_avail_count(g_pool), before);
}

// Real ethdev callbacks on a net_ring link: RX loss on b, TX delay on a.
TEST(ImpairEthdev, CallbacksOnARingLink)
{
	char err[PORT_ERR_LEN] = "";
	int a = port_resolve("net_ring:imp", err, sizeof(err));
	int b = port_resolve("net_ring:imp", err, sizeof(err));
	ASSERT_GE(a, 0) << err;
	ASSERT_GE(b, 0) << err;
	struct port_conf conf = {};
	conf.no_fast_free = true;
	struct rte_mempool *pools[1] = {g_pool};
	struct port pa, pb;
	ASSERT_EQ(port_setup((uint16_t)a, &conf, pools, &pa, err, sizeof(err)), 0) << err;
	ASSERT_EQ(port_setup((uint16_t)b, &conf, pools, &pb, err, sizeof(err)), 0) << err;

	struct impair_conf rc = {}, tc = {};
	rc.loss = 500000;
	rc.seed = 2;
	tc.delay_us = 2000;
	static struct impair_q rxq, txq;
	uint64_t hz = rte_get_tsc_hz();
	ASSERT_EQ(impair_q_init(&rxq, &rc, false, (uint16_t)b, 0, hz, 1), 0);
	ASSERT_EQ(impair_q_init(&txq, &tc, true, (uint16_t)a, 0, hz, 2), 0);
	ASSERT_EQ(impair_attach(&rxq), 0);
	ASSERT_EQ(impair_attach(&txq), 0);

	struct rte_mbuf *pk[32];
	uint32_t got = 0;
	for (uint32_t round = 0; round < 20; round++) {
		for (uint32_t i = 0; i < 32; i++)
			pk[i] = Frame(round * 32 + i);
		uint16_t sent = rte_eth_tx_burst((uint16_t)a, 0, pk, 32);
		// the callback took all 32 (delayed): the port saw none of them
		EXPECT_EQ(sent, 0);
		EXPECT_EQ(txq.taken, 32);
		EXPECT_EQ(rte_eth_rx_burst((uint16_t)b, 0, pk, 32), 0);
	}
	uint64_t end = rte_rdtsc() + hz / 10;
	while (rte_rdtsc() < end) {
		impair_tx_flush(&txq, rte_rdtsc());
		uint16_t n = rte_eth_rx_burst((uint16_t)b, 0, pk, 32);
		for (uint16_t i = 0; i < n; i++)
			rte_pktmbuf_free(pk[i]);
		got += n;
	}
	EXPECT_EQ(txq.n, 0u);
	EXPECT_EQ(got + rxq.ctr[IMPAIR_CTR_DROPPED], 640u);
	EXPECT_GT(got, 640u * 4 / 10);
	EXPECT_LT(got, 640u * 6 / 10);
	impair_detach(&txq);
	impair_detach(&rxq);
	port_close(&pa);
	port_close(&pb);
}

} // namespace
