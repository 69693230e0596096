// SPDX-License-Identifier: BSD-3-Clause
// The worker engine over a real net_ring pair: ARP resolution, ICMP echo
// exchange with exact counter agreement, malformed input counted and freed,
// ARP give-up, a full neighbour table. EAL runs with --no-huge.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <string.h>

#include <vector>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "drivers/port.h"
#include "lib/gen/gen.h"
#include "lib/net/net.h"
#include "lib/stack/stack.h"
#include "lib/tcp/tcp.h"
#include "lib/stats/stats.h"

namespace {

class EalEnv : public ::testing::Environment {
public:
	void SetUp() override
	{
		const char *args[] = {"test_stack", "--no-huge", "-m",
				      "512",	    "--no-pci",	 "--no-shconf",
				      "-l",	    "0",	 "--log-level=*:error"};
		int n = sizeof(args) / sizeof(args[0]);
		ASSERT_GE(rte_eal_init(n, const_cast<char **>(args)), 0);
	}
};

const ::testing::Environment *const eal_env = ::testing::AddGlobalTestEnvironment(new EalEnv);

volatile bool never_stop = false;

const uint32_t IP_A = 0xc6120001; // 198.18.0.1
const uint32_t IP_B = 0xc6120002; // 198.18.0.2

struct Link {
	struct rte_mempool *pool = nullptr;
	struct port pa = {}, pb = {};
	struct worker *wa = nullptr, *wb = nullptr;
};

struct rte_mempool *
make_pool(const char *name)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create(name, 4096, 0, 0,
							 RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	EXPECT_NE(mp, nullptr) << rte_strerror(rte_errno);
	return mp;
}

struct worker *
make_worker(unsigned int id, struct rte_mempool *mp, uint32_t retries, uint32_t timeout_ms)
{
	struct worker *w = static_cast<struct worker *>(
		rte_zmalloc("w", sizeof(struct worker), RTE_CACHE_LINE_SIZE));
	EXPECT_NE(w, nullptr);
	worker_init(w, id, mp, &never_stop, retries, timeout_ms);
	return w;
}

// Two ports on one ring link; worker A (client role) on one end, B (server) on the other.
void
make_link(Link &l, const char *link, const char *pool, unsigned int id_base, uint32_t neigh_max)
{
	char dev[64], err[PORT_ERR_LEN];
	snprintf(dev, sizeof(dev), "net_ring:%s", link);
	l.pool = make_pool(pool);
	ASSERT_NE(l.pool, nullptr);
	int a = port_resolve_q(dev, 1, err, sizeof(err));
	ASSERT_GE(a, 0) << err;
	int b = port_resolve_q(dev, 1, err, sizeof(err));
	ASSERT_GE(b, 0) << err;
	struct port_conf pc = {};
	pc.dev = dev;
	pc.nb_queues = 1;
	struct rte_mempool *pools[1] = {l.pool};
	ASSERT_EQ(port_setup(a, &pc, pools, &l.pa, err, sizeof(err)), 0) << err;
	ASSERT_EQ(port_setup(b, &pc, pools, &l.pb, err, sizeof(err)), 0) << err;
	l.wa = make_worker(id_base, l.pool, 3, 20);
	l.wb = make_worker(id_base + 1, l.pool, 3, 20);
	ASSERT_NE(worker_add_port(l.wa, a, 0, 0, WORKER_ROLE_CLIENT, &l.pa.mac, IP_A, 24, 0, 1500,
				  0, neigh_max),
		  nullptr);
	ASSERT_NE(worker_add_port(l.wb, b, 0, 1, WORKER_ROLE_SERVER, &l.pb.mac, IP_B, 24, 0, 1500,
				  0, neigh_max),
		  nullptr);
}

uint64_t
c(const struct worker *w, enum stats_id id)
{
	return w->stats.c[id];
}

// worker_request: another thread's request runs on the polling thread at a
// timer pass, the requester sees what it wrote (release/acquire); a request
// nobody serves times out and blocks the next one until it is served.
struct ReqProbe {
	std::thread::id ran_on;
	int runs = 0;
	uint64_t value = 0;
};

void
req_fn(struct worker *w, void *arg)
{
	ReqProbe *p = static_cast<ReqProbe *>(arg);
	p->ran_on = std::this_thread::get_id();
	p->runs++;
	p->value = w->id * 1000 + 7;
}

TEST(Stack, WorkerRequestRunsOnThePollerAndIsBounded)
{
	struct rte_mempool *mp = make_pool("mp_req");
	ASSERT_NE(mp, nullptr);
	struct worker *w = make_worker(42, mp, 3, 20);
	ReqProbe probe;
	EXPECT_TRUE(worker_request_idle(w));
	std::atomic<int> rc{1};
	std::thread req([&] { rc = worker_request(w, req_fn, &probe, 2000000); });
	for (int i = 0; i < 20000000 && rc.load() == 1; i++)
		worker_poll_once(w);
	req.join();
	ASSERT_EQ(rc.load(), 0);
	EXPECT_EQ(probe.runs, 1);
	EXPECT_EQ(probe.ran_on, std::this_thread::get_id()) << "on the worker's thread";
	EXPECT_EQ(probe.value, 42007u);
	EXPECT_TRUE(worker_request_idle(w));

	// nobody polls: the request times out, and the next is refused until served
	EXPECT_EQ(worker_request(w, req_fn, &probe, 1000), -ETIMEDOUT);
	EXPECT_FALSE(worker_request_idle(w));
	EXPECT_EQ(worker_request(w, req_fn, &probe, 1000), -EBUSY);
	EXPECT_EQ(probe.runs, 1);
	w->next_timer = 0; // the next poll is a timer pass
	worker_poll_once(w);
	EXPECT_EQ(probe.runs, 2);
	EXPECT_TRUE(worker_request_idle(w));
	worker_poll_once(w);
	EXPECT_EQ(probe.runs, 2) << "served once";
	rte_free(w);
	rte_mempool_free(mp);
}

TEST(Stack, ArpThenEchoOverRingPairCountersAgreeExactly)
{
	Link l;
	make_link(l, "ut_echo", "mp_echo", 0, 64);
	struct gen_ping_conf gc = {};
	gc.target = IP_B;
	gc.payload = 56;
	gc.window = 64;
	gc.burst = 32;
	gc.count = 5000;
	struct gen_ping *g = gen_ping_create(l.wa, &l.wa->port[0], &gc);
	ASSERT_NE(g, nullptr);
	for (int i = 0; i < 2000000 && worker_busy(l.wa); i++) {
		worker_poll_once(l.wa);
		worker_poll_once(l.wb);
	}
	ASSERT_FALSE(worker_busy(l.wa));
	EXPECT_FALSE(gen_ping_failed(g));
	EXPECT_EQ(c(l.wa, STAT_arp_req_tx), 1u);
	EXPECT_EQ(c(l.wb, STAT_arp_reply_tx), 1u);
	EXPECT_EQ(c(l.wa, STAT_arp_reply_rx), 1u);
	EXPECT_EQ(c(l.wa, STAT_arp_resolved), 1u);
	EXPECT_EQ(c(l.wa, STAT_icmp_echo_tx), 5000u);
	EXPECT_EQ(c(l.wb, STAT_icmp_echo_rx), 5000u);
	EXPECT_EQ(c(l.wb, STAT_icmp_echo_reply_tx), 5000u);
	EXPECT_EQ(c(l.wa, STAT_icmp_reply_rx), 5000u);
	EXPECT_EQ(c(l.wa, STAT_icmp_reply_bad), 0u);
	EXPECT_EQ(c(l.wa, STAT_icmp_lost), 0u);
	// frames: what one side sent, the other received
	EXPECT_EQ(c(l.wa, STAT_tx_pkts), c(l.wb, STAT_rx_pkts));
	EXPECT_EQ(c(l.wb, STAT_tx_pkts), c(l.wa, STAT_rx_pkts));
	// B learned A from A's request (RFC 826: we are the target)
	struct rte_ether_addr mac;
	EXPECT_EQ(neigh_get(l.wb->port[0].neigh, rte_cpu_to_be_32(IP_A), &mac), NEIGH_REACHABLE);
	EXPECT_TRUE(rte_is_same_ether_addr(&mac, &l.pa.mac));
	gen_ping_free(g);
	l.wa->nb_apps = 0;
	l.wa->nb_polls = 0;
	// every mbuf back in the pool
	worker_free(l.wa);
	worker_free(l.wb);
	EXPECT_EQ(rte_mempool_avail_count(l.pool), 4096u);
}

// Feed one frame into B's input path and return the counter it landed on.
struct rte_mbuf *
frame(struct rte_mempool *mp, const uint8_t *bytes, uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	EXPECT_NE(m, nullptr);
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), bytes, len);
	m->data_len = m->pkt_len = len;
	return m;
}

TEST(Stack, MalformedFramesAreCountedAndFreed)
{
	Link l;
	make_link(l, "ut_bad", "mp_bad", 2, 64);
	struct worker *w = l.wb;
	struct worker_port *wp = &w->port[0];
	uint8_t good[128];
	struct rte_ether_addr peer = {{0x02, 0, 0, 0, 0, 0x42}};
	uint32_t len = net_icmp_echo_build(good, &peer, &wp->mac, rte_cpu_to_be_32(IP_A),
					   rte_cpu_to_be_32(IP_B), 7, 1, 1, 32);
	unsigned int before = rte_mempool_avail_count(l.pool);

	struct Case {
		const char *name;
		void (*mutate)(uint8_t *f, uint32_t *len);
		enum stats_id want;
	} cases[] = {
		{"truncated", [](uint8_t *, uint32_t *n) { *n = 10; }, STAT_drop_eth_short},
		{"ethertype",
		 [](uint8_t *f, uint32_t *) {
			 f[12] = 0x86;
			 f[13] = 0xdd;
		 },
		 STAT_drop_eth_type},
		{"dst mac", [](uint8_t *f, uint32_t *) { f[5] ^= 0x55; }, STAT_drop_eth_dst},
		{"version", [](uint8_t *f, uint32_t *) { f[14] = 0x65; }, STAT_drop_ip_version},
		{"ihl", [](uint8_t *f, uint32_t *) { f[14] = 0x44; }, STAT_drop_ip_ihl},
		{"len big", [](uint8_t *f, uint32_t *) { f[16] = 0x05; }, STAT_drop_ip_len_big},
		{"csum", [](uint8_t *f, uint32_t *) { f[24] ^= 0xff; }, STAT_drop_ip_csum},
		{"proto",
		 [](uint8_t *f, uint32_t *) {
			 f[23] = 253;
			 struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);
			 ip->hdr_checksum = 0;
			 ip->hdr_checksum = net_ipv4_hdr_cksum(ip);
		 },
		 STAT_drop_ip_proto},
		{"icmp csum", [](uint8_t *f, uint32_t *) { f[14 + 20 + 2] ^= 0x01; },
		 STAT_drop_icmp_csum},
	};
	for (const Case &k : cases) {
		uint8_t f[128];
		uint32_t n = len;
		memcpy(f, good, len);
		k.mutate(f, &n);
		uint64_t was = c(w, k.want);
		worker_input(w, wp, frame(l.pool, f, n));
		EXPECT_EQ(c(w, k.want), was + 1) << k.name << ": expected " << stats_name(k.want);
	}
	EXPECT_EQ(c(w, STAT_icmp_echo_rx), 0u);
	EXPECT_EQ(rte_mempool_avail_count(l.pool), before);
	// the good one is answered
	worker_input(w, wp, frame(l.pool, good, len));
	EXPECT_EQ(c(w, STAT_icmp_echo_reply_tx), 1u);
	worker_free(l.wa);
	worker_free(l.wb);
	EXPECT_EQ(rte_mempool_avail_count(l.pool), 4096u);
}

TEST(Stack, ArpGivesUpAfterRetriesAndDropsWaitingFrames)
{
	Link l;
	make_link(l, "ut_gone", "mp_gone", 4, 64);
	struct worker *w = l.wa;
	struct worker_port *wp = &w->port[0];
	rte_be32_t nobody = rte_cpu_to_be_32(0xc6120009);

	for (int i = 0; i < 3; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(l.pool);
		ASSERT_NE(m, nullptr);
		m->data_len = m->pkt_len = net_icmp_echo_build(rte_pktmbuf_mtod(m, uint8_t *),
							       &wp->mac, &wp->mac, wp->ip, nobody,
							       1, i, i, 8);
		worker_send_ip(w, wp, m, nobody);
	}
	EXPECT_EQ(neigh_get(wp->neigh, nobody, nullptr), NEIGH_INCOMPLETE);
	uint64_t deadline = rte_rdtsc() + rte_get_tsc_hz(); // 3 x 20 ms, bounded at 1 s
	while (c(w, STAT_arp_resolve_fail) == 0 && rte_rdtsc() < deadline)
		worker_poll_once(w); // B never polls: nobody answers
	EXPECT_EQ(c(w, STAT_arp_resolve_fail), 1u);
	EXPECT_EQ(c(w, STAT_arp_req_tx), 3u);
	EXPECT_EQ(c(w, STAT_drop_no_neigh), 3u); // all 3 kept while waiting, then dropped
	EXPECT_EQ(neigh_get(wp->neigh, nobody, nullptr), NEIGH_NONE);
	EXPECT_EQ(neigh_count(wp->neigh), 0u);
	// off-link without a gateway: no route
	struct rte_mbuf *m = rte_pktmbuf_alloc(l.pool);
	ASSERT_NE(m, nullptr);
	m->data_len = m->pkt_len = 60;
	worker_send_ip(w, wp, m, rte_cpu_to_be_32(0xc6130001));
	EXPECT_EQ(c(w, STAT_drop_no_route), 1u);
	// drain what B's queue holds, then all mbufs are back
	for (int i = 0; i < 100; i++)
		worker_poll_once(l.wb);
	worker_free(l.wa);
	worker_free(l.wb);
	EXPECT_EQ(rte_mempool_avail_count(l.pool), 4096u);
}

TEST(Stack, FullNeighbourTableIsCountedNotFatal)
{
	Link l;
	make_link(l, "ut_full", "mp_full", 6, 16);
	struct worker *w = l.wa;
	struct worker_port *wp = &w->port[0];
	struct rte_ether_addr mac;
	int full = 0;

	for (uint32_t i = 10; i < 110; i++)
		if (neigh_resolve(w, wp, rte_cpu_to_be_32(0xc6120000 + i), &mac) == -ENOSPC)
			full++;
	EXPECT_GT(full, 0);
	EXPECT_EQ(c(w, STAT_drop_neigh_full), (uint64_t)full);
	EXPECT_LE(neigh_count(wp->neigh), 100u - full);
	worker_flush(w, wp);
	for (int i = 0; i < 100; i++)
		worker_poll_once(l.wb);
	worker_free(l.wa);
	worker_free(l.wb);
	EXPECT_EQ(rte_mempool_avail_count(l.pool), 4096u);
}

TEST(Stack, GratuitousArpIsARequestForOurOwnAddress)
{
	Link l;
	make_link(l, "ut_garp", "mp_garp", 8, 64);
	neigh_send_request(l.wa, &l.wa->port[0], l.wa->port[0].ip);
	worker_flush(l.wa, &l.wa->port[0]);
	EXPECT_EQ(c(l.wa, STAT_arp_garp_tx), 1u);
	struct rte_mbuf *m[4];
	uint16_t n = rte_eth_rx_burst(l.pb.port_id, 0, m, 4);
	ASSERT_EQ(n, 1);
	const struct rte_arp_hdr *arp = rte_pktmbuf_mtod_offset(m[0], const struct rte_arp_hdr *,
								14);
	EXPECT_EQ(arp->arp_opcode, rte_cpu_to_be_16(RTE_ARP_OP_REQUEST));
	EXPECT_EQ(arp->arp_data.arp_sip, arp->arp_data.arp_tip);
	EXPECT_EQ(arp->arp_data.arp_sip, rte_cpu_to_be_32(IP_A));
	// B is not the target: not learned, counted as not for us
	worker_input(l.wb, &l.wb->port[0], m[0]);
	EXPECT_EQ(c(l.wb, STAT_drop_arp_not_us), 1u);
	EXPECT_EQ(neigh_count(l.wb->port[0].neigh), 0u);
	worker_free(l.wa);
	worker_free(l.wb);
}

TEST(Stack, EveryAddressOfARangeAnswersArpAndEcho)
{
	Link l;
	make_link(l, "ut_range", "mp_range", 10, 64);
	l.wb->port[0].ip_n = 4; // B owns 198.18.0.2 .. 198.18.0.5
	struct worker_port *wa = &l.wa->port[0];
	struct rte_ether_addr mac;
	for (uint32_t i = 0; i < 5; i++)
		neigh_resolve(l.wa, wa, rte_cpu_to_be_32(IP_B + i), &mac);
	for (int i = 0; i < 50; i++) {
		worker_poll_once(l.wa);
		worker_poll_once(l.wb);
	}
	for (uint32_t i = 0; i < 4; i++) {
		EXPECT_EQ(neigh_get(wa->neigh, rte_cpu_to_be_32(IP_B + i), &mac), NEIGH_REACHABLE)
			<< i;
		EXPECT_TRUE(rte_is_same_ether_addr(&mac, &l.pb.mac)) << i;
	}
	// 198.18.0.6 is not B's: not answered
	EXPECT_NE(neigh_get(wa->neigh, rte_cpu_to_be_32(IP_B + 4), nullptr), NEIGH_REACHABLE);
	EXPECT_EQ(c(l.wb, STAT_arp_reply_tx), 4u);
	EXPECT_GE(c(l.wb, STAT_drop_arp_not_us), 1u);
	// an echo to the last address comes back from it
	struct gen_ping_conf gc = {};
	gc.target = IP_B + 3;
	gc.payload = 56;
	gc.window = 8;
	gc.burst = 8;
	gc.count = 100;
	struct gen_ping *g = gen_ping_create(l.wa, wa, &gc);
	ASSERT_NE(g, nullptr);
	uint64_t deadline = rte_rdtsc() + 2 * rte_get_tsc_hz();
	while (worker_busy(l.wa) && rte_rdtsc() < deadline) {
		worker_poll_once(l.wa);
		worker_poll_once(l.wb);
	}
	EXPECT_EQ(c(l.wb, STAT_icmp_echo_reply_tx), 100u);
	EXPECT_EQ(c(l.wa, STAT_icmp_reply_rx), 100u);
	EXPECT_EQ(c(l.wb, STAT_drop_ip_not_us), 0u);
	gen_ping_free(g);
	for (int i = 0; i < 100; i++)
		worker_poll_once(l.wb);
	worker_free(l.wa);
	worker_free(l.wb);
}

TEST(GenHttp, SourcesAreEveryAddressPortPairSplitByDispatch)
{
	struct worker *w = make_worker(12, nullptr, 1, 1);
	ASSERT_NE(w, nullptr);
	struct worker_port *wp = &w->port[0];
	wp->ip = rte_cpu_to_be_32(IP_A);
	wp->ip_n = 4;
	struct gen_target t = {rte_cpu_to_be_32(0xc6130001), rte_cpu_to_be_16(80)};
	struct gen_http_conf gc = {};
	gc.model = GEN_CC;
	gc.targets = &t;
	gc.nb_targets = 1;
	gc.concurrency = 400;
	gc.port_lo = 50000;
	gc.port_hi = 50099;
	struct tcp_app ops;
	struct gen_http *g = gen_http_create(w, wp, &gc, &ops);
	ASSERT_NE(g, nullptr);
	EXPECT_EQ(gen_http_free_sources(g), 400u); // 4 addresses x 100 ports
	gen_http_free(g);
	wp->ip_n = 1;
	g = gen_http_create(w, wp, &gc, &ops);
	ASSERT_NE(g, nullptr);
	EXPECT_EQ(gen_http_free_sources(g), 100u);
	gen_http_free(g);
	// software dispatch over 4 workers: the pairs split between them, each
	// pair to exactly one (gen_port_is_ours on the pair's own address)
	wp->ip_n = 4;
	wp->disp_nb = 4;
	uint32_t sum = 0;
	for (uint16_t k = 0; k < 4; k++) {
		wp->disp_slot = k;
		g = gen_http_create(w, wp, &gc, &ops);
		ASSERT_NE(g, nullptr);
		EXPECT_GT(gen_http_free_sources(g), 400u / 4 / 2) << "slot " << k;
		sum += gen_http_free_sources(g);
		gen_http_free(g);
	}
	EXPECT_EQ(sum, 400u);
	uint32_t owners = 0;
	for (uint32_t a = 0; a < 4; a++)
		for (uint16_t k = 0; k < 4; k++) {
			wp->disp_slot = k;
			rte_be32_t lip = rte_cpu_to_be_32(IP_A + a);
			owners += gen_port_is_ours(wp, lip, &t, 50000) ? 1 : 0;
		}
	EXPECT_EQ(owners, 4u);
	rte_free(w);
}

// Several targets on a port shared by 4 workers (software dispatch, then
// RSS): every pair handed out for a target is ours towards that target
// (its reply comes back to this worker), and to no other worker's for the
// same target; no pair is in two pools of a worker, so its pools together
// are at most the range (not one copy per target); duplicate targets share
// a pool; each pool is a FIFO: a pair given back comes out after every pair
// free before it.
TEST(GenHttp, PerTargetSourcesAreOursForTheirTargetAndReusedFifo)
{
	struct worker *w = make_worker(13, nullptr, 1, 1);
	ASSERT_NE(w, nullptr);
	struct worker_port *wp = &w->port[0];
	wp->ip = rte_cpu_to_be_32(IP_A);
	wp->ip_n = 3;
	// B:80, B:8080, C:80, and B:80 again
	struct gen_target t[4] = {
		{rte_cpu_to_be_32(IP_B), rte_cpu_to_be_16(80)},
		{rte_cpu_to_be_32(IP_B), rte_cpu_to_be_16(8080)},
		{rte_cpu_to_be_32(IP_B + 1), rte_cpu_to_be_16(80)},
		{rte_cpu_to_be_32(IP_B), rte_cpu_to_be_16(80)},
	};
	struct gen_http_conf gc = {};
	gc.model = GEN_CC;
	gc.targets = t;
	gc.nb_targets = 4;
	gc.concurrency = 1;
	gc.port_lo = 40000;
	gc.port_hi = 40999;
	const uint32_t pairs = 3 * 1000;
	struct tcp_app ops;
	uint8_t sym[40];
	for (unsigned int i = 0; i < sizeof(sym); i++)
		sym[i] = i % 2 ? 0x5a : 0x6d;
	std::vector<uint16_t> reta(128);
	for (unsigned int i = 0; i < 128; i++)
		reta[i] = (uint16_t)(i % 4);
	struct worker_rss r;
	ASSERT_EQ(worker_rss_init(&r, sym, sizeof(sym), reta.data(), 128), 0);

	for (int mode = 0; mode < 2; mode++) {
		SCOPED_TRACE(mode == 0 ? "software dispatch" : "rss");
		// (target, pair) -> worker that holds it
		std::vector<std::vector<int>> taken_by(3, std::vector<int>(pairs, -1));
		for (uint16_t k = 0; k < 4; k++) {
			if (mode == 0) {
				wp->rss = nullptr;
				wp->disp_nb = 4;
				wp->disp_slot = k;
			} else {
				wp->rss = &r;
				wp->disp_nb = 0;
				wp->queue = k;
			}
			struct gen_http *g = gen_http_create(w, wp, &gc, &ops);
			ASSERT_NE(g, nullptr) << "worker " << k;
			uint32_t n = gen_http_free_sources(g);
			EXPECT_LE(n, pairs);
			// duplicates share; the distinct targets each have a fair share
			EXPECT_EQ(gen_http_free_sources_of(g, 0), gen_http_free_sources_of(g, 3));
			EXPECT_EQ(n, gen_http_free_sources_of(g, 0) +
					     gen_http_free_sources_of(g, 1) +
					     gen_http_free_sources_of(g, 2));
			for (uint16_t i = 0; i < 3; i++)
				EXPECT_GT(gen_http_free_sources_of(g, i), pairs / 4 / 3 / 2)
					<< "worker " << k << " target " << i;
			EXPECT_EQ(gen_http_free_sources_of(g, 4), 0u);
			// every pair handed out is ours for its target, and in no other pool
			std::vector<bool> mine(pairs, false);
			for (uint16_t i = 0; i < 3; i++) {
				rte_be32_t lip;
				uint16_t port;
				uint32_t m = gen_http_free_sources_of(g, i);
				for (uint32_t j = 0; j < m; j++) {
					ASSERT_TRUE(gen_http_take_source(g, i, &lip, &port));
					uint32_t a = rte_be_to_cpu_32(lip) - IP_A;
					ASSERT_LT(a, 3u);
					ASSERT_GE(port, 40000);
					ASSERT_LE(port, 40999);
					ASSERT_TRUE(gen_port_is_ours(wp, lip, &t[i], port))
						<< "worker " << k << " target " << i << " port "
						<< port;
					uint32_t idx = a * 1000 + (port - 40000);
					ASSERT_FALSE(mine[idx]) << "pair in two pools: " << idx;
					mine[idx] = true;
					ASSERT_EQ(taken_by[i][idx], -1)
						<< "target " << i << " pair " << idx
						<< " also worker " << taken_by[i][idx] << "'s";
					taken_by[i][idx] = k;
				}
				EXPECT_FALSE(gen_http_take_source(g, i, &lip, &port));
			}
			EXPECT_EQ(gen_http_free_sources(g), 0u);
			gen_http_free(g);
		}
		// towards each target, the workers' pools hold at least about a
		// third of the range: a pair ours for several targets is kept for
		// one of them only, taken in turn (the CRC dispatch hash is linear:
		// on one worker B:80 and C:80 can accept exactly the same pairs,
		// which then split in two)
		for (uint16_t i = 0; i < 3; i++) {
			uint32_t held = 0;
			for (uint32_t idx = 0; idx < pairs; idx++)
				held += taken_by[i][idx] >= 0;
			EXPECT_GT(held, pairs / 4) << "target " << i;
		}
	}

	// FIFO: take three for B:8080, give the first back: it comes out after
	// every other free pair, in the order they were free
	wp->rss = nullptr;
	wp->disp_nb = 4;
	wp->disp_slot = 1;
	struct gen_http *g = gen_http_create(w, wp, &gc, &ops);
	ASSERT_NE(g, nullptr);
	uint32_t n = gen_http_free_sources_of(g, 1);
	ASSERT_GT(n, 3u);
	rte_be32_t ip0, ip1, ipx;
	uint16_t p0, p1, px;
	ASSERT_TRUE(gen_http_take_source(g, 1, &ip0, &p0));
	ASSERT_TRUE(gen_http_take_source(g, 1, &ip1, &p1));
	gen_http_give_source(g, 1, ip1, p1);
	gen_http_give_source(g, 1, ip0, p0);
	EXPECT_EQ(gen_http_free_sources_of(g, 1), n);
	for (uint32_t j = 0; j < n - 2; j++) {
		ASSERT_TRUE(gen_http_take_source(g, 1, &ipx, &px));
		EXPECT_FALSE(ipx == ip0 && px == p0) << j;
		EXPECT_FALSE(ipx == ip1 && px == p1) << j;
	}
	ASSERT_TRUE(gen_http_take_source(g, 1, &ipx, &px));
	EXPECT_TRUE(ipx == ip1 && px == p1);
	ASSERT_TRUE(gen_http_take_source(g, 1, &ipx, &px));
	EXPECT_TRUE(ipx == ip0 && px == p0);
	EXPECT_FALSE(gen_http_take_source(g, 1, &ipx, &px));
	// the other targets' pools were not touched
	EXPECT_GT(gen_http_free_sources_of(g, 0), 0u);
	gen_http_free(g);

	// one worker (no dispatch, no RSS): a single pool for every target, the
	// whole range, each pair good towards any of them
	wp->disp_nb = 0;
	g = gen_http_create(w, wp, &gc, &ops);
	ASSERT_NE(g, nullptr);
	EXPECT_EQ(gen_http_free_sources(g), pairs);
	for (uint16_t i = 0; i < 4; i++)
		EXPECT_EQ(gen_http_free_sources_of(g, i), pairs) << i;
	gen_http_free(g);
	// more targets than a model takes
	std::vector<struct gen_target> many(GEN_TARGET_MAX + 1, t[0]);
	gc.targets = many.data();
	gc.nb_targets = GEN_TARGET_MAX + 1;
	errno = 0;
	EXPECT_EQ(gen_http_create(w, wp, &gc, &ops), nullptr);
	EXPECT_EQ(errno, EINVAL);
	rte_free(w);
}

} // namespace

/* ---- software dispatch: the symmetric flow hash and client port selection ---- */

namespace {

// An Ethernet/IPv4/TCP (or proto) frame sip:sp -> dip:dp in a fresh mbuf.
struct rte_mbuf *
make_l4_frame(struct rte_mempool *mp, uint32_t sip, uint32_t dip, uint16_t sp, uint16_t dp,
	      uint8_t proto = IPPROTO_TCP, uint16_t frag = 0)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	EXPECT_NE(m, nullptr);
	uint8_t *d = reinterpret_cast<uint8_t *>(rte_pktmbuf_append(m, 14 + 20 + 20));
	memset(d, 0, 54);
	d[12] = 0x08;
	d[13] = 0x00;
	uint8_t *ip = d + 14;
	ip[0] = 0x45;
	ip[6] = (uint8_t)(frag >> 8);
	ip[7] = (uint8_t)frag;
	ip[8] = 64;
	ip[9] = proto;
	uint32_t s = rte_cpu_to_be_32(sip), t = rte_cpu_to_be_32(dip);
	uint16_t ps = rte_cpu_to_be_16(sp), pt = rte_cpu_to_be_16(dp);
	memcpy(ip + 12, &s, 4);
	memcpy(ip + 16, &t, 4);
	memcpy(ip + 20, &ps, 2);
	memcpy(ip + 22, &pt, 2);
	return m;
}

} // namespace

TEST(Dispatch, FlowHashIsSymmetricAndSpreads)
{
	unsigned int per[4] = {};
	for (uint32_t i = 0; i < 20000; i++) {
		uint32_t a = 0xc6120000 + (i * 7919u) % 65536,
			 b = 0xc6130000 + (i * 104729u) % 65536;
		uint16_t pa = (uint16_t)(1024 + i * 31), pb = (uint16_t)(80 + i % 3);
		uint32_t h = worker_flow_hash(a, b, pa, pb);
		ASSERT_EQ(h, worker_flow_hash(b, a, pb, pa)) << i;
		per[worker_flow_slot(h, 4)]++;
	}
	for (unsigned int k = 0; k < 4; k++)
		EXPECT_GT(per[k], 20000u / 4 * 8 / 10) << "slot " << k;
	EXPECT_EQ(worker_flow_slot(0xffffffffu, 4), 3u);
	EXPECT_EQ(worker_flow_slot(0xffffffffu, 1), 0u);
}

TEST(Dispatch, FrameSlotIsTheSameBothWaysArpToAllOthersToSlot0)
{
	struct rte_mempool *mp = make_pool("disp_slot");
	ASSERT_NE(mp, nullptr);
	for (uint16_t p = 1024; p < 1224; p++) {
		struct rte_mbuf *f = make_l4_frame(mp, IP_A, IP_B, p, 80);
		struct rte_mbuf *r = make_l4_frame(mp, IP_B, IP_A, 80, p);
		struct rte_mbuf *u = make_l4_frame(mp, IP_B, IP_A, 53, p, IPPROTO_UDP);
		struct rte_mbuf *v = make_l4_frame(mp, IP_A, IP_B, p, 53, IPPROTO_UDP);
		int s = worker_frame_slot(f, 4);
		EXPECT_GE(s, 0);
		EXPECT_LT(s, 4);
		EXPECT_EQ(s, worker_frame_slot(r, 4)) << p;
		EXPECT_EQ(worker_frame_slot(u, 4), worker_frame_slot(v, 4)) << p;
		rte_pktmbuf_free(f);
		rte_pktmbuf_free(r);
		rte_pktmbuf_free(u);
		rte_pktmbuf_free(v);
	}
	struct rte_mbuf *icmp = make_l4_frame(mp, IP_A, IP_B, 1, 2, IPPROTO_ICMP);
	EXPECT_EQ(worker_frame_slot(icmp, 4), 0);
	struct rte_mbuf *frag = make_l4_frame(mp, IP_A, IP_B, 1, 2, IPPROTO_TCP, 0x2000); // MF
	EXPECT_EQ(worker_frame_slot(frag, 4), 0);
	struct rte_mbuf *arp = make_l4_frame(mp, IP_A, IP_B, 1, 2);
	rte_pktmbuf_mtod(arp, uint8_t *)[13] = 0x06;
	EXPECT_EQ(worker_frame_slot(arp, 4), -1);
	rte_pktmbuf_free(icmp);
	rte_pktmbuf_free(frag);
	rte_pktmbuf_free(arp);
	rte_mempool_free(mp);
}

TEST(Dispatch, ClientPortsAreDisjointCoverTheRangeAndRepliesComeBack)
{
	struct rte_mempool *mp = make_pool("disp_ports");
	ASSERT_NE(mp, nullptr);
	struct gen_target t = {rte_cpu_to_be_32(IP_B), rte_cpu_to_be_16(80)};
	struct worker_port wp = {};
	wp.ip = rte_cpu_to_be_32(IP_A);
	wp.disp_nb = 4;
	unsigned int mine[4] = {};
	for (uint32_t p = 1024; p < 5120; p++) {
		unsigned int owners = 0, owner = 0;
		for (uint16_t k = 0; k < 4; k++) {
			wp.disp_slot = k;
			if (gen_port_is_ours(&wp, wp.ip, &t, (uint16_t)p)) {
				owners++;
				owner = k;
			}
		}
		ASSERT_EQ(owners, 1u) << p; // disjoint and covering
		mine[owner]++;
		// the server's reply (target -> us) reaches the same slot
		struct rte_mbuf *r = make_l4_frame(mp, IP_B, IP_A, 80, (uint16_t)p);
		EXPECT_EQ(worker_frame_slot(r, 4), (int)owner) << p;
		rte_pktmbuf_free(r);
	}
	for (unsigned int k = 0; k < 4; k++)
		EXPECT_GT(mine[k], 4096u / 4 * 8 / 10) << "slot " << k;
	wp.disp_nb = 0; // not a dispatch port: every port
	EXPECT_TRUE(gen_port_is_ours(&wp, wp.ip, &t, 1234));
	rte_mempool_free(mp);
}

// ---- RSS mode: Toeplitz hash, symmetric key, per-worker source ports ----

namespace {

// The key of Microsoft's RSS verification suite (as published with the
// vectors below; also what the 82599 and I210 datasheets use).
const uint8_t MS_KEY[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
	0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
	0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

// Microsoft "Verifying the RSS Hash Calculation", IPv4 with TCP (the same
// table is in DPDK's app/test/test_thash.c, from the 82599 datasheet
// 7.1.2.8.3). These addresses are the published vectors, hashed only: no
// frame with them is ever built or sent.
struct RssVector {
	uint8_t src[4], dst[4];
	uint16_t sport, dport;
	uint32_t ipv4, ipv4_tcp;
};
const RssVector MS_VECTORS[] = {
	{{66, 9, 149, 187}, {161, 142, 100, 80}, 2794, 1766, 0x323e8fc2, 0x51ccc178},
	{{199, 92, 111, 2}, {65, 69, 140, 83}, 14230, 4739, 0xd718262a, 0xc626b0ea},
	{{24, 19, 198, 95}, {12, 22, 207, 184}, 12898, 38024, 0xd2d0a5de, 0x5c2b394a},
	{{38, 27, 205, 30}, {209, 142, 163, 6}, 48228, 2217, 0x82989176, 0xafc7327f},
	{{153, 39, 163, 191}, {202, 188, 127, 2}, 44251, 1303, 0x5d1809c5, 0x10e828a2},
};

uint32_t
host_ip(const uint8_t b[4])
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

// The reference: rte_softrss with the key as the port holds it (not converted).
uint32_t
softrss_v4(const uint8_t *key, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
	   bool l4 = true)
{
	union rte_thash_tuple t;
	memset(&t, 0, sizeof(t));
	t.v4.src_addr = src;
	t.v4.dst_addr = dst;
	t.v4.sport = sport;
	t.v4.dport = dport;
	return rte_softrss((uint32_t *)&t, l4 ? RTE_THASH_V4_L4_LEN : RTE_THASH_V4_L3_LEN, key);
}

void
symmetric_key(uint8_t *key, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++)
		key[i] = i % 2 ? 0x5a : 0x6d;
}

// RETA of n entries spread round robin over q queues (what port_rss_setup programs).
std::vector<uint16_t>
round_robin(unsigned int n, unsigned int q)
{
	std::vector<uint16_t> r(n);
	for (unsigned int i = 0; i < n; i++)
		r[i] = (uint16_t)(i % q);
	return r;
}

} // namespace

TEST(Rss, SoftRssMatchesTheMicrosoftVerificationSuite)
{
	uint32_t conv[10];
	rte_convert_rss_key((const uint32_t *)MS_KEY, conv, sizeof(MS_KEY));
	for (const RssVector &v : MS_VECTORS) {
		uint32_t s = host_ip(v.src), d = host_ip(v.dst);
		EXPECT_EQ(softrss_v4(MS_KEY, s, d, v.sport, v.dport), v.ipv4_tcp) << v.sport;
		EXPECT_EQ(softrss_v4(MS_KEY, s, d, 0, 0, false), v.ipv4) << v.sport;
		// the converted key with rte_softrss_be, as the selection uses it
		union rte_thash_tuple t;
		memset(&t, 0, sizeof(t));
		t.v4.src_addr = s;
		t.v4.dst_addr = d;
		t.v4.sport = v.sport;
		t.v4.dport = v.dport;
		EXPECT_EQ(
			rte_softrss_be((uint32_t *)&t, RTE_THASH_V4_L4_LEN, (const uint8_t *)conv),
			v.ipv4_tcp)
			<< v.sport;
	}
}

TEST(Rss, QueueOfAFrameIsTheHashThroughTheReta)
{
	// RETA entry i = i: the queue is the hash's low 7 bits, as an 82599 takes them
	std::vector<uint16_t> ident(128);
	for (unsigned int i = 0; i < 128; i++)
		ident[i] = (uint16_t)i;
	struct worker_rss r;
	ASSERT_EQ(worker_rss_init(&r, MS_KEY, sizeof(MS_KEY), ident.data(), 128), 0);
	for (const RssVector &v : MS_VECTORS) {
		// worker_rss_queue takes the tuple in network order, as on the wire
		uint16_t q = worker_rss_queue(&r, rte_cpu_to_be_32(host_ip(v.src)),
					      rte_cpu_to_be_32(host_ip(v.dst)),
					      rte_cpu_to_be_16(v.sport), rte_cpu_to_be_16(v.dport));
		EXPECT_EQ(q, v.ipv4_tcp & 127) << v.sport;
	}
	// what does not fit is refused
	EXPECT_EQ(worker_rss_init(&r, MS_KEY, 12, ident.data(), 128), -EINVAL);
	EXPECT_EQ(worker_rss_init(&r, MS_KEY, 39, ident.data(), 128), -EINVAL);
	EXPECT_EQ(worker_rss_init(&r, MS_KEY, sizeof(MS_KEY), ident.data(), 0), -EINVAL);
	EXPECT_EQ(worker_rss_init(&r, MS_KEY, sizeof(MS_KEY), ident.data(), WORKER_RETA_MAX + 1),
		  -EINVAL);
}

TEST(Rss, SymmetricKeyHashesBothDirectionsAlike)
{
	uint8_t key[52];
	symmetric_key(key, sizeof(key));
	EXPECT_TRUE(port_rss_key_symmetric(key, 40));
	EXPECT_TRUE(port_rss_key_symmetric(key, 52));
	EXPECT_FALSE(port_rss_key_symmetric(MS_KEY, sizeof(MS_KEY)));
	EXPECT_FALSE(port_rss_key_symmetric(key, 12)); // too short to say
	for (uint32_t i = 0; i < 20000; i++) {
		uint32_t a = 0xc6120000 + (i * 7919u) % 131072,
			 b = 0xc6120000 + (i * 104729u) % 131072;
		uint16_t pa = (uint16_t)(1024 + i * 31), pb = (uint16_t)(80 + i % 7);
		ASSERT_EQ(softrss_v4(key, a, b, pa, pb), softrss_v4(key, b, a, pb, pa)) << i;
		ASSERT_EQ(softrss_v4(key, a, b, 0, 0, false), softrss_v4(key, b, a, 0, 0, false))
			<< i;
	}
	// the Microsoft key is not: the first vector both ways differs
	const RssVector &v = MS_VECTORS[0];
	EXPECT_NE(softrss_v4(MS_KEY, host_ip(v.src), host_ip(v.dst), v.sport, v.dport),
		  softrss_v4(MS_KEY, host_ip(v.dst), host_ip(v.src), v.dport, v.sport));
}

// N workers each on queue i of an RSS port: every source port of the range
// is chosen by exactly one of them, each gets a fair share, and the reply
// (target -> us), hashed independently with the unconverted key, lands on
// the queue of the worker that chose it. Symmetric and non-symmetric keys:
// the choice rests on the reply's hash alone.
TEST(Rss, SourcePortsPartitionTheRangeByReplyQueue)
{
	uint8_t sym[40];
	symmetric_key(sym, sizeof(sym));
	const uint8_t *keys[2] = {sym, MS_KEY};
	const uint32_t lo = 1024, hi = 65535, span = hi - lo + 1;
	struct gen_target t = {rte_cpu_to_be_32(IP_B), rte_cpu_to_be_16(80)};
	rte_be32_t lip = rte_cpu_to_be_32(IP_A);

	for (const uint8_t *key : keys) {
		for (unsigned int n : {2u, 3u, 4u, 8u}) {
			auto reta = round_robin(128, n);
			struct worker_rss r;
			ASSERT_EQ(worker_rss_init(&r, key, 40, reta.data(), 128), 0);
			std::vector<struct worker_port> wp(n);
			for (unsigned int k = 0; k < n; k++) {
				memset(&wp[k], 0, sizeof(wp[k]));
				wp[k].queue = (uint16_t)k;
				wp[k].ip = lip;
				wp[k].rss = &r;
			}
			std::vector<uint32_t> mine(n, 0);
			for (uint32_t p = lo; p <= hi; p++) {
				unsigned int owners = 0, owner = 0;
				for (unsigned int k = 0; k < n; k++)
					if (gen_port_is_ours(&wp[k], lip, &t, (uint16_t)p)) {
						owners++;
						owner = k;
					}
				ASSERT_EQ(owners, 1u) << "port " << p << " n " << n;
				mine[owner]++;
				uint32_t h = softrss_v4(key, IP_B, IP_A, 80, (uint16_t)p);
				ASSERT_EQ(reta[h % 128], owner) << "port " << p << " n " << n;
			}
			for (unsigned int k = 0; k < n; k++) {
				// fair: within 10% of an equal share (64512 ports)
				EXPECT_GT(mine[k], span / n * 9 / 10)
					<< "n " << n << " worker " << k;
				EXPECT_LT(mine[k], span / n * 11 / 10)
					<< "n " << n << " worker " << k;
			}
		}
	}
}

TEST(Rss, TheSourceAddressIsPartOfTheChoice)
{
	uint8_t sym[40];
	symmetric_key(sym, sizeof(sym));
	auto reta = round_robin(128, 4);
	struct worker_rss r;
	ASSERT_EQ(worker_rss_init(&r, sym, 40, reta.data(), 128), 0);
	struct gen_target t = {rte_cpu_to_be_32(IP_B), rte_cpu_to_be_16(80)};
	struct worker_port wp = {};
	wp.queue = 1;
	wp.rss = &r;
	rte_be32_t a1 = rte_cpu_to_be_32(IP_A), a2 = rte_cpu_to_be_32(IP_A + 2);
	unsigned int differ = 0;
	for (uint32_t p = 1024; p < 5120; p++) {
		bool o1 = gen_port_is_ours(&wp, a1, &t, (uint16_t)p);
		bool o2 = gen_port_is_ours(&wp, a2, &t, (uint16_t)p);
		EXPECT_EQ(o1, softrss_v4(sym, IP_B, IP_A, 80, (uint16_t)p) % 4 == 1) << p;
		EXPECT_EQ(o2, softrss_v4(sym, IP_B, IP_A + 2, 80, (uint16_t)p) % 4 == 1) << p;
		differ += o1 != o2;
	}
	EXPECT_GT(differ, 0u);
}

// A software-dispatch worker's rings belong to its worker_port: worker_free
// frees them and the frames still queued in them (the app stops the workers
// first, so frames may be left over).
TEST(Dispatch, WorkerFreeFreesTheRingsAndTheFramesInThem)
{
	struct rte_mempool *mp = make_pool("disp_free");
	ASSERT_NE(mp, nullptr);
	unsigned int full = rte_mempool_avail_count(mp);
	struct worker *w = make_worker(40, mp, 3, 20);
	struct rte_ether_addr mac = {{0x02, 0, 0, 0, 0x40, 1}};
	struct worker_port *wp = worker_add_port(w, 0, 0, 0, WORKER_ROLE_SERVER, &mac, IP_A, 24, 0,
						 1500, 0, 16);
	ASSERT_NE(wp, nullptr);
	wp->disp_nb = 2;
	wp->disp_slot = 1;
	wp->rx_ring = rte_ring_create("t_disp_rx", 64, SOCKET_ID_ANY,
				      RING_F_SP_ENQ | RING_F_SC_DEQ);
	wp->tx_ring = rte_ring_create("t_disp_tx", 64, SOCKET_ID_ANY,
				      RING_F_SP_ENQ | RING_F_SC_DEQ);
	ASSERT_NE(wp->rx_ring, nullptr);
	ASSERT_NE(wp->tx_ring, nullptr);
	for (struct rte_ring *r : {wp->rx_ring, wp->tx_ring})
		for (int i = 0; i < 10; i++) {
			struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
			ASSERT_NE(m, nullptr);
			ASSERT_EQ(rte_ring_enqueue(r, m), 0);
		}
	EXPECT_EQ(rte_mempool_avail_count(mp), full - 20);
	worker_free(w);
	EXPECT_EQ(rte_ring_lookup("t_disp_rx"), nullptr);
	EXPECT_EQ(rte_ring_lookup("t_disp_tx"), nullptr);
	EXPECT_EQ(rte_mempool_avail_count(mp), full);
	rte_free(w);
	rte_mempool_free(mp);
}
