// SPDX-License-Identifier: BSD-3-Clause
// drivers/: capability table, dev string kinds, EAL argument derivation, and
// real bring-up of net_null and in-process net_ring links under --no-huge.

#include <gtest/gtest.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>
#include <vector>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "drivers/port.h"

namespace {

struct rte_mempool *g_pool;

// One EAL per process. --no-huge implies legacy memory, which EAL refuses
// with --in-memory; --no-shconf keeps us clear of other DPDK processes.
class EalEnv : public ::testing::Environment {
public:
	void SetUp() override
	{
		static const char *args[] = {
			"test_drivers",
			"--no-huge",
			"-m",
			"256",
			"--no-pci",
			"--no-shconf",
			"--no-telemetry",
			"--vdev=net_null0",
			"--log-level=*:error",
		};
		for (const char *a : args)
			argv_.push_back(strdup(a));
		// a copy: EAL permutes the array it is given
		std::vector<char *> argv = argv_;
		int ret = rte_eal_init((int)argv.size(), argv.data());
		ASSERT_GE(ret, 0) << "rte_eal_init: " << rte_strerror(rte_errno);
		g_pool = rte_pktmbuf_pool_create("drv_test", 4095, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
						 SOCKET_ID_ANY);
		ASSERT_NE(g_pool, nullptr) << rte_strerror(rte_errno);
	}
	void TearDown() override
	{
		rte_eal_cleanup();
		for (char *a : argv_)
			free(a);
		argv_.clear();
	}

private:
	std::vector<char *> argv_; // EAL may keep pointers into it until cleanup
};

const ::testing::Environment *const g_env = ::testing::AddGlobalTestEnvironment(new EalEnv);

std::vector<std::string>
Args(int argc, char **argv)
{
	std::vector<std::string> v;
	for (int i = 0; i < argc; i++)
		v.push_back(argv[i]);
	return v;
}

bool
Has(const std::vector<std::string> &v, const std::string &s)
{
	for (const auto &x : v)
		if (x == s)
			return true;
	return false;
}

// port_eal_args with a fixed CPU list and hugepage count.
struct EalResult {
	int argc = -1;
	std::vector<std::string> argv;
	std::string note, err;
};

EalResult
BuildArgs(std::vector<const char *> devs, unsigned workers, std::vector<int> cpus,
	  unsigned long hugepages, unsigned mem_mb = 0, const char *prefix = nullptr,
	  bool no_telemetry = false)
{
	struct port_eal_req req = {};
	req.file_prefix = prefix;
	req.no_telemetry = no_telemetry;
	req.devs = devs.data();
	req.nb_devs = (unsigned)devs.size();
	req.nb_workers = workers;
	req.mem_mb = mem_mb;
	req.prog = "synack";
	req.cpus = cpus.data();
	req.nb_cpus = (unsigned)cpus.size();
	req.fake_hugepages = true;
	req.hugepages_free = hugepages;
	char **argv = nullptr;
	char note[256] = "x", err[PORT_ERR_LEN] = "";
	EalResult r;
	r.argc = port_eal_args(&req, &argv, note, sizeof(note), err, sizeof(err));
	if (r.argc > 0) {
		r.argv = Args(r.argc, argv);
		EXPECT_EQ(argv[r.argc], nullptr);
		port_eal_args_free(r.argc, argv);
	}
	r.note = note;
	r.err = err;
	return r;
}

std::vector<struct rte_mempool *>
Pools(unsigned n)
{
	return std::vector<struct rte_mempool *>(n, g_pool);
}

// Send n mbufs from (a, qa) and expect exactly n on (b, qb), payload intact.
void
SendAndReceive(uint16_t a, uint16_t qa, uint16_t b, uint16_t qb, unsigned n, uint8_t tag)
{
	struct rte_mbuf *tx[32], *rx[32];
	ASSERT_LE(n, 32u);
	for (unsigned i = 0; i < n; i++) {
		tx[i] = rte_pktmbuf_alloc(g_pool);
		ASSERT_NE(tx[i], nullptr);
		uint8_t *d = (uint8_t *)rte_pktmbuf_append(tx[i], 64);
		ASSERT_NE(d, nullptr);
		memset(d, tag, 64);
		d[0] = (uint8_t)i;
	}
	ASSERT_EQ(rte_eth_tx_burst(a, qa, tx, n), n);
	uint16_t got = rte_eth_rx_burst(b, qb, rx, 32);
	ASSERT_EQ(got, n);
	for (unsigned i = 0; i < got; i++) {
		const uint8_t *d = rte_pktmbuf_mtod(rx[i], const uint8_t *);
		EXPECT_EQ(rte_pktmbuf_pkt_len(rx[i]), 64u);
		EXPECT_EQ(d[0], i);
		EXPECT_EQ(d[1], tag);
		rte_pktmbuf_free(rx[i]);
	}
	// nothing left over, nothing leaked to the sender's own RX
	EXPECT_EQ(rte_eth_rx_burst(b, qb, rx, 32), 0);
	EXPECT_EQ(rte_eth_rx_burst(a, qa, rx, 32), 0);
}

} // namespace

// ---- capability table ----

TEST(PortCaps, TableHasTheDriversUsersRun)
{
	const char *names[] = {
		"net_ixgbe",	"net_ixgbe_vf",	   "net_i40e",	 "net_iavf",	  "net_ice",
		"net_virtio",	"net_virtio_user", "net_af_xdp", "net_af_packet", "net_memif",
		"net_vhost",	"net_ring",	   "net_tap",	 "net_null",	  "net_e1000_igb",
		"net_e1000_em", "net_igc",
	};
	for (const char *n : names) {
		const struct port_caps *c = port_caps_lookup(n);
		ASSERT_NE(c, nullptr);
		EXPECT_STREQ(c->driver, n);
		EXPECT_NE(c->kind, nullptr);
	}
}

TEST(PortCaps, IntelNicsHaveSymmetricRss)
{
	const struct port_caps *c = port_caps_lookup("net_ixgbe");
	EXPECT_TRUE(c->rss);
	EXPECT_TRUE(c->rss_symmetric_key);
	EXPECT_EQ(c->reta_size, 128);
	EXPECT_EQ(c->max_queues, 16); // 82599 RSS spreads over 16 queues at most
	EXPECT_EQ(c->link_mbps, 10000u);
	EXPECT_EQ(c->offloads, PORT_OFF_IPV4_CKSUM | PORT_OFF_L4_CKSUM | PORT_OFF_RX_CKSUM |
				       PORT_OFF_TSO | PORT_OFF_MULTI_SEGS);
	EXPECT_TRUE(c->rss_hf & RTE_ETH_RSS_NONFRAG_IPV4_TCP);
	EXPECT_STREQ(c->kind, "pci");

	c = port_caps_lookup("net_i40e");
	EXPECT_TRUE(c->rss);
	EXPECT_EQ(c->reta_size, 512);
	EXPECT_EQ(c->link_mbps, 40000u);

	c = port_caps_lookup("net_ice");
	EXPECT_TRUE(c->rss);
	EXPECT_TRUE(c->rss_symmetric_key);
	EXPECT_EQ(c->reta_size, 2048);
	EXPECT_EQ(c->link_mbps, 100000u);

	c = port_caps_lookup("net_e1000_igb");
	EXPECT_TRUE(c->rss);
	EXPECT_EQ(c->link_mbps, 1000u);

	c = port_caps_lookup("net_igc");
	EXPECT_TRUE(c->rss);
	EXPECT_EQ(c->link_mbps, 2500u);
}

TEST(PortCaps, VirtioHasL4ChecksumButNotIpv4Header)
{
	for (const char *n : {"net_virtio", "net_virtio_user"}) {
		const struct port_caps *c = port_caps_lookup(n);
		EXPECT_FALSE(c->rss) << n;
		EXPECT_TRUE(c->rss_probe) << n;
		EXPECT_TRUE(c->offloads & PORT_OFF_L4_CKSUM) << n;
		EXPECT_FALSE(c->offloads & PORT_OFF_IPV4_CKSUM) << n;
		EXPECT_TRUE(c->offloads & PORT_OFF_TSO) << n;
		EXPECT_TRUE(c->offloads & PORT_OFF_MULTI_SEGS) << n;
		EXPECT_STREQ(c->kind, "virtio") << n;
	}
}

TEST(PortCaps, SoftwareDispatchVdevsHaveNoRssNoChecksumOffloads)
{
	for (const char *n : {"net_af_xdp", "net_af_packet", "net_tap", "net_memif", "net_vhost",
			      "net_ring", "net_null"}) {
		const struct port_caps *c = port_caps_lookup(n);
		EXPECT_FALSE(c->rss) << n;
		EXPECT_FALSE(c->rss_probe) << n;
		EXPECT_EQ(c->offloads & ~PORT_OFF_MULTI_SEGS, 0u) << n;
		EXPECT_STREQ(c->kind, "vdev") << n;
	}
	// mbuf chains (zero-copy payload) where the PMD's TX walks them; af_xdp's
	// copy-mode TX in 22.11 copies the first segment only
	for (const char *n : {"net_af_packet", "net_tap", "net_memif", "net_vhost", "net_ring"})
		EXPECT_TRUE(port_caps_lookup(n)->offloads & PORT_OFF_MULTI_SEGS) << n;
	EXPECT_FALSE(port_caps_lookup("net_af_xdp")->offloads & PORT_OFF_MULTI_SEGS);
	EXPECT_FALSE(port_caps_lookup("net_null")->offloads & PORT_OFF_MULTI_SEGS);
	EXPECT_EQ(port_caps_lookup("net_af_xdp")->max_queues, 1);
	EXPECT_EQ(port_caps_lookup("net_af_packet")->max_queues, 0); // qpairs=N: ask the port
}

TEST(PortCaps, UnknownDriverGetsConservativeDefault)
{
	const char *names[] = {"net_mlx5", "", "net_ixgb", "net_ixgbe ", nullptr};
	for (const char *n : names) {
		const struct port_caps *c = port_caps_lookup(n);
		ASSERT_NE(c, nullptr);
		EXPECT_STREQ(c->driver, "unknown");
		EXPECT_FALSE(c->rss);
		EXPECT_EQ(c->offloads, 0u);
	}
}

TEST(PortCaps, TableNamesAreUnique)
{
	unsigned n = 0;
	const struct port_caps *t = port_caps_table(&n);
	ASSERT_GE(n, 17u);
	for (unsigned i = 0; i < n; i++) {
		EXPECT_EQ(port_caps_lookup(t[i].driver), &t[i]);
		if (t[i].rss) {
			EXPECT_NE(t[i].rss_hf, 0u) << t[i].driver;
		}
	}
}

// ---- dev strings ----

TEST(PortDevKind, Classifies)
{
	EXPECT_EQ(port_dev_kind("0000:03:00.0"), PORT_DEV_PCI);
	EXPECT_EQ(port_dev_kind("0000:af:00.1"), PORT_DEV_PCI);
	EXPECT_EQ(port_dev_kind("03:00.0"), PORT_DEV_PCI);
	EXPECT_EQ(port_dev_kind("0000:3B:00.7,rxq_pkt_split=1"), PORT_DEV_PCI);
	EXPECT_EQ(port_dev_kind("net_af_xdp0,iface=veth0"), PORT_DEV_VDEV);
	EXPECT_EQ(port_dev_kind("net_null0"), PORT_DEV_VDEV);
	EXPECT_EQ(port_dev_kind("eth_af_packet0,iface=eth1"), PORT_DEV_VDEV);
	EXPECT_EQ(port_dev_kind("net_ring:t1"), PORT_DEV_RING);

	EXPECT_EQ(port_dev_kind("net_ring:"), PORT_DEV_BAD);
	EXPECT_EQ(port_dev_kind("net_"), PORT_DEV_BAD);
	EXPECT_EQ(port_dev_kind(""), PORT_DEV_BAD);
	EXPECT_EQ(port_dev_kind(nullptr), PORT_DEV_BAD);
	EXPECT_EQ(port_dev_kind("eth0"), PORT_DEV_BAD);
	EXPECT_EQ(port_dev_kind("veth0"), PORT_DEV_BAD);
	EXPECT_EQ(port_dev_kind("0000:03:00"), PORT_DEV_BAD);
	EXPECT_EQ(port_dev_kind("0000:03:00.8"), PORT_DEV_BAD);
	EXPECT_EQ(port_dev_kind("3:00.0"), PORT_DEV_BAD);
	EXPECT_EQ(port_dev_kind("0000:0g:00.0"), PORT_DEV_BAD);
}

// ---- EAL arguments ----

TEST(PortEalArgs, VdevOnlyGetsNoPciAndExactArgv)
{
	EalResult r = BuildArgs({"net_af_xdp0,iface=veth0", "net_ring:t1"}, 2, {0, 1}, 100);
	ASSERT_GT(r.argc, 0) << r.err;
	std::vector<std::string> want = {
		"synack",      "--vdev=net_af_xdp0,iface=veth0", "--no-pci", "--lcores=0@0,1@1,2@0",
		"--in-memory", "--log-level=lib.eal:error",
	};
	EXPECT_EQ(r.argv, want);
	EXPECT_EQ(r.note, "");
}

TEST(PortEalArgs, FilePrefixAndNoTelemetryWithHugepagesAndWithout)
{
	// the telemetry socket is in the runtime directory named by the prefix:
	// both memory modes keep one (--in-memory, --no-shconf)
	for (unsigned long huge : {100ul, 0ul}) {
		EalResult r = BuildArgs({"net_ring:t1"}, 1, {0, 1}, huge, 0, "synack-42");
		ASSERT_GT(r.argc, 0) << r.err;
		EXPECT_TRUE(Has(r.argv, "--file-prefix=synack-42")) << huge;
		EXPECT_FALSE(Has(r.argv, "--no-telemetry")) << huge;
		EXPECT_EQ(r.argv.back(), "--log-level=lib.eal:error");
		r = BuildArgs({"net_ring:t1"}, 1, {0, 1}, huge, 0, "", true);
		ASSERT_GT(r.argc, 0) << r.err;
		EXPECT_TRUE(Has(r.argv, "--no-telemetry")) << huge;
		for (const std::string &a : r.argv)
			EXPECT_NE(a.rfind("--file-prefix", 0), 0u) << "empty prefix: none given";
	}
}

TEST(PortEalArgs, AfPacketGetsLargerRingsUnlessTheUserSetsThem)
{
	char out[PORT_DEV_LEN];
	port_vdev_with_defaults("net_af_packet0,iface=v0", out, sizeof(out));
	EXPECT_STREQ(out, "net_af_packet0,iface=v0,framecnt=4096");
	port_vdev_with_defaults("eth_af_packet12,iface=v0,qpairs=2", out, sizeof(out));
	EXPECT_STREQ(out, "eth_af_packet12,iface=v0,qpairs=2,framecnt=4096");
	port_vdev_with_defaults("net_af_packet0,framecnt=256,iface=v0", out, sizeof(out));
	EXPECT_STREQ(out, "net_af_packet0,framecnt=256,iface=v0");
	/* a key that only ends like it is not it */
	port_vdev_with_defaults("net_af_packet0,iface=v0,xframecnt=1", out, sizeof(out));
	EXPECT_STREQ(out, "net_af_packet0,iface=v0,xframecnt=1,framecnt=4096");
	port_vdev_with_defaults("net_af_xdp0,iface=v0", out, sizeof(out));
	EXPECT_STREQ(out, "net_af_xdp0,iface=v0");
	port_vdev_with_defaults("0000:03:00.0", out, sizeof(out));
	EXPECT_STREQ(out, "0000:03:00.0");
	EalResult r = BuildArgs({"net_af_packet0,iface=veth0"}, 1, {0, 1}, 100);
	ASSERT_GT(r.argc, 0) << r.err;
	EXPECT_EQ(r.argv[1], "--vdev=net_af_packet0,iface=veth0,framecnt=4096");
}

TEST(PortEalArgs, PciGetsAllowListAndNoNoPci)
{
	EalResult r = BuildArgs({"0000:03:00.0", "0000:03:00.1"}, 4, {2, 3, 5, 7, 11}, 100);
	ASSERT_GT(r.argc, 0) << r.err;
	std::vector<std::string> want = {
		"synack",	"-a",
		"0000:03:00.0", "-a",
		"0000:03:00.1", "--lcores=0@2,1@3,2@5,3@7,4@11",
		"--in-memory",	"--log-level=lib.eal:error",
	};
	EXPECT_EQ(r.argv, want);
}

TEST(PortEalArgs, MoreLcoresThanCpusShareRoundRobin)
{
	EalResult r = BuildArgs({"net_null0"}, 4, {4}, 100);
	ASSERT_GT(r.argc, 0) << r.err;
	EXPECT_TRUE(Has(r.argv, "--lcores=0@4,1@4,2@4,3@4,4@4"));
}

TEST(PortEalArgs, NoHugepagesMeansNoHugeWithNote)
{
	EalResult r = BuildArgs({"net_tap0"}, 1, {0, 1}, 0, 300);
	ASSERT_GT(r.argc, 0) << r.err;
	std::vector<std::string> want = {
		"synack",
		"--vdev=net_tap0",
		"--no-pci",
		"--lcores=0@0,1@1",
		"--no-huge",
		"-m",
		"300",
		"--no-shconf",
		"--log-level=lib.eal:error",
	};
	EXPECT_EQ(r.argv, want);
	EXPECT_FALSE(Has(r.argv, "--in-memory")); // EAL refuses it with --no-huge
	EXPECT_EQ(r.note, "no hugepages reserved: running with --no-huge (smaller pools); "
			  "reserve some with: echo 512 > /proc/sys/vm/nr_hugepages");

	r = BuildArgs({"net_tap0"}, 1, {0}, 0);
	EXPECT_TRUE(Has(r.argv, "512")); // default -m
}

TEST(PortEalArgs, VirtioUserOnHugepagesGetsSingleFileSegments)
{
	EalResult r = BuildArgs({"net_virtio_user0,path=/dev/vhost-net"}, 1, {0}, 64);
	ASSERT_GT(r.argc, 0) << r.err;
	EXPECT_TRUE(Has(r.argv, "--single-file-segments"));
	r = BuildArgs({"net_vhost0,iface=/tmp/v.sock"}, 1, {0}, 64);
	EXPECT_TRUE(Has(r.argv, "--single-file-segments"));
	r = BuildArgs({"net_vhost0,iface=/tmp/v.sock"}, 1, {0}, 0);
	EXPECT_FALSE(Has(r.argv, "--single-file-segments"));
	r = BuildArgs({"net_tap0"}, 1, {0}, 64);
	EXPECT_FALSE(Has(r.argv, "--single-file-segments"));
}

TEST(PortEalArgs, DuplicateVdevPassedOnce)
{
	EalResult r = BuildArgs({"net_null0", "net_null0"}, 1, {0}, 1);
	ASSERT_GT(r.argc, 0) << r.err;
	int n = 0;
	for (const auto &a : r.argv)
		n += a == "--vdev=net_null0";
	EXPECT_EQ(n, 1);
}

TEST(PortEalArgs, RejectsZeroWorkersAndBadDevs)
{
	EalResult r = BuildArgs({"net_null0"}, 0, {0}, 1);
	EXPECT_EQ(r.argc, -1);
	EXPECT_NE(r.err.find("lcores"), std::string::npos) << r.err;

	r = BuildArgs({"net_null0", "eth0"}, 1, {0}, 1);
	EXPECT_EQ(r.argc, -1);
	EXPECT_NE(r.err.find("'eth0'"), std::string::npos) << r.err;
}

TEST(PortEalArgs, AffinityFromTheProcessWhenNotGiven)
{
	struct port_eal_req req = {};
	const char *devs[] = {"net_null0"};
	req.devs = devs;
	req.nb_devs = 1;
	req.nb_workers = 1;
	char **argv = nullptr;
	char note[256], err[PORT_ERR_LEN];
	int argc = port_eal_args(&req, &argv, note, sizeof(note), err, sizeof(err));
	ASSERT_GT(argc, 0) << err;
	auto v = Args(argc, argv);
	port_eal_args_free(argc, argv);
	bool found = false;
	for (const auto &a : v)
		found |= a.rfind("--lcores=0@", 0) == 0 && a.find(",1@") != std::string::npos;
	EXPECT_TRUE(found);
	EXPECT_EQ(v[0], "synack"); // default prog
}

// ---- bring-up on real ethdevs ----

TEST(PortSetup, NullVdevComesUp)
{
	char err[PORT_ERR_LEN] = "";
	uint16_t probed;
	if (rte_eth_dev_get_port_by_name("net_null0", &probed) != 0) {
		// closed by an earlier --gtest_repeat round: the vdev is still on the bus
		(void)rte_eal_hotplug_remove("vdev", "net_null0");
		ASSERT_EQ(rte_eal_hotplug_add("vdev", "net_null0", ""), 0);
	}
	int pid = port_resolve("net_null0", err, sizeof(err));
	ASSERT_GE(pid, 0) << err;

	struct port_conf conf = {};
	conf.dev = "net_null0";
	auto pools = Pools(1);
	struct port p;
	ASSERT_EQ(port_setup((uint16_t)pid, &conf, pools.data(), &p, err, sizeof(err)), 0) << err;
	EXPECT_STREQ(p.name, "net_null0");
	EXPECT_STREQ(p.driver, "net_null");
	EXPECT_STREQ(p.caps->driver, "net_null");
	EXPECT_EQ(p.nb_queues, 1);
	EXPECT_FALSE(p.rss);
	EXPECT_EQ(p.offloads, 0u);
	EXPECT_EQ(p.mtu, 1500);

	char *buf = nullptr;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	port_print(f, &p);
	fclose(f);
	std::string line(buf);
	free(buf);
	std::string want_head = "port" + std::to_string(pid) + " net_null0 (net_null) ";
	EXPECT_EQ(line.rfind(want_head, 0), 0u) << line;
	EXPECT_NE(line.find(" queues 1 rss no offloads none link "), std::string::npos) << line;
	EXPECT_NE(line.find(" mtu 1500\n"), std::string::npos) << line;
	port_close(&p);
}

TEST(PortSetup, RingLinkIsBackToBack)
{
	char err[PORT_ERR_LEN] = "";
	int a = port_resolve("net_ring:t1", err, sizeof(err));
	ASSERT_GE(a, 0) << err;
	int b = port_resolve("net_ring:t1", err, sizeof(err));
	ASSERT_GE(b, 0) << err;
	ASSERT_NE(a, b);

	// a third port on the same link is refused
	EXPECT_EQ(port_resolve("net_ring:t1", err, sizeof(err)), -1);
	EXPECT_NE(std::string(err).find("already joins two ports"), std::string::npos) << err;

	struct port_conf conf = {};
	auto pools = Pools(1);
	struct port pa, pb;
	ASSERT_EQ(port_setup((uint16_t)a, &conf, pools.data(), &pa, err, sizeof(err)), 0) << err;
	ASSERT_EQ(port_setup((uint16_t)b, &conf, pools.data(), &pb, err, sizeof(err)), 0) << err;
	EXPECT_STREQ(pa.driver, "net_ring");
	EXPECT_STREQ(pa.name, "net_ring_ring_t1_a");
	EXPECT_STREQ(pb.name, "net_ring_ring_t1_b");
	// the ring PMD has no MAC: each side gets its own locally administered one
	EXPECT_FALSE(rte_is_zero_ether_addr(&pa.mac));
	EXPECT_TRUE(rte_is_local_admin_ether_addr(&pa.mac));
	EXPECT_FALSE(rte_is_same_ether_addr(&pa.mac, &pb.mac));
	// the ring PMD reports MULTI_SEGS (zero-copy chains), no checksum offloads,
	// and is no DMA device
	EXPECT_EQ(pa.offloads, PORT_OFF_MULTI_SEGS);

	SendAndReceive((uint16_t)a, 0, (uint16_t)b, 0, 8, 0xa5);
	SendAndReceive((uint16_t)b, 0, (uint16_t)a, 0, 8, 0x5a);

	port_close(&pa);
	port_close(&pb);

	// rings are freed with the last side: the link name can be used again
	a = port_resolve("net_ring:t1", err, sizeof(err));
	ASSERT_GE(a, 0) << err;
	struct port pc;
	ASSERT_EQ(port_setup((uint16_t)a, &conf, pools.data(), &pc, err, sizeof(err)), 0) << err;
	port_close(&pc);
}

TEST(PortSetup, RingLinkWithSeveralQueuesKeepsQueueIndex)
{
	char err[PORT_ERR_LEN] = "";
	int a = port_resolve_q("net_ring:t2", 3, err, sizeof(err));
	ASSERT_GE(a, 0) << err;
	// both sides of a link must have the same queues
	EXPECT_EQ(port_resolve_q("net_ring:t2", 2, err, sizeof(err)), -1);
	EXPECT_NE(std::string(err).find("same queues"), std::string::npos) << err;
	int b = port_resolve_q("net_ring:t2", 3, err, sizeof(err));
	ASSERT_GE(b, 0) << err;

	struct port_conf conf = {};
	conf.nb_queues = 3;
	auto pools = Pools(3);
	struct port pa, pb;
	ASSERT_EQ(port_setup((uint16_t)a, &conf, pools.data(), &pa, err, sizeof(err)), 0) << err;
	ASSERT_EQ(port_setup((uint16_t)b, &conf, pools.data(), &pb, err, sizeof(err)), 0) << err;
	EXPECT_EQ(pa.nb_queues, 3);
	EXPECT_FALSE(pa.rss);
	for (uint16_t q = 0; q < 3; q++) {
		SendAndReceive((uint16_t)a, q, (uint16_t)b, q, 5, (uint8_t)q);
		SendAndReceive((uint16_t)b, q, (uint16_t)a, q, 7, (uint8_t)(q + 10));
	}
	port_close(&pa);
	port_close(&pb);
}

TEST(PortSetup, MoreQueuesThanThePortHasIsAnError)
{
	char err[PORT_ERR_LEN] = "";
	int pid = port_resolve("net_ring:q1", err, sizeof(err));
	ASSERT_GE(pid, 0) << err;
	struct port_conf conf = {};
	conf.nb_queues = 4;
	auto pools = Pools(4);
	struct port p;
	ASSERT_EQ(port_setup((uint16_t)pid, &conf, pools.data(), &p, err, sizeof(err)), -1);
	EXPECT_NE(std::string(err).find("4 queues asked, the port has 1: set queues = 1 or fewer"),
		  std::string::npos)
		<< err;
	EXPECT_NE(std::string(err).find("net_ring_ring_q1_a"), std::string::npos) << err;
	port_close(&p);
}

// net_null is the one vdev here with RSS ops (RETA of 128, a 40-byte key
// preset to the Microsoft verification key); the capability table does not
// trust it with RSS, so configure it by hand and run port_rss_setup on it.
TEST(PortSetup, RssSetupProgramsRetaAndReadsBackKeyAndReta)
{
	char err[PORT_ERR_LEN] = "";
	uint16_t pid;
	if (rte_eth_dev_get_port_by_name("net_null7", &pid) != 0) {
		ASSERT_EQ(rte_eal_hotplug_add("vdev", "net_null7", ""), 0);
		ASSERT_EQ(rte_eth_dev_get_port_by_name("net_null7", &pid), 0);
	}
	struct rte_eth_dev_info di;
	ASSERT_EQ(rte_eth_dev_info_get(pid, &di), 0);
	if (di.reta_size == 0 || di.flow_type_rss_offloads == 0)
		GTEST_SKIP() << "net_null of this DPDK has no RSS";
	struct rte_eth_conf ec = {};
	ec.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	ec.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_NONFRAG_IPV4_TCP & di.flow_type_rss_offloads;
	ASSERT_EQ(rte_eth_dev_configure(pid, 3, 3, &ec), 0);
	for (uint16_t q = 0; q < 3; q++) {
		ASSERT_EQ(rte_eth_rx_queue_setup(pid, q, 64, SOCKET_ID_ANY, NULL, g_pool), 0);
		ASSERT_EQ(rte_eth_tx_queue_setup(pid, q, 64, SOCKET_ID_ANY, NULL), 0);
	}
	ASSERT_EQ(rte_eth_dev_start(pid), 0);

	struct port p = {};
	p.port_id = pid;
	p.nb_queues = 3;
	p.rss = true;
	snprintf(p.name, sizeof(p.name), "net_null7");
	ASSERT_EQ(port_rss_setup(&p, err, sizeof(err)), 0) << err;
	// the RETA was programmed round robin and is read back from the port
	ASSERT_EQ(p.reta_size, di.reta_size);
	for (unsigned i = 0; i < p.reta_size; i++)
		ASSERT_EQ(p.reta[i], i % 3) << i;
	struct rte_eth_rss_reta_entry64 rc[2] = {};
	rc[0].mask = rc[1].mask = UINT64_MAX;
	ASSERT_EQ(rte_eth_dev_rss_reta_query(pid, rc, 128), 0);
	EXPECT_EQ(rc[1].reta[63], 127 % 3);
	// the key is the port's own (net_null keeps the Microsoft key): not symmetric
	static const uint8_t ms_head[4] = {0x6d, 0x5a, 0x56, 0xda};
	ASSERT_EQ(p.rss_key_len, 40);
	EXPECT_TRUE(p.rss_key_read);
	EXPECT_EQ(memcmp(p.rss_key, ms_head, 4), 0);
	EXPECT_FALSE(p.rss_key_symmetric);

	// a symmetric key set on the port is what the next read-back reports
	uint8_t sym[40];
	for (unsigned i = 0; i < 40; i++)
		sym[i] = i % 2 ? 0x5a : 0x6d;
	struct rte_eth_rss_conf hc = {};
	hc.rss_key = sym;
	hc.rss_key_len = 40;
	hc.rss_hf = ec.rx_adv_conf.rss_conf.rss_hf;
	ASSERT_EQ(rte_eth_dev_rss_hash_update(pid, &hc), 0);
	ASSERT_EQ(port_rss_setup(&p, err, sizeof(err)), 0) << err;
	EXPECT_EQ(memcmp(p.rss_key, sym, 40), 0);
	EXPECT_TRUE(p.rss_key_symmetric);

	char *buf = nullptr;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	port_print(f, &p);
	fclose(f);
	std::string out(buf);
	free(buf);
	std::string want = "port" + std::to_string(pid) +
			   ": rss key symmetric yes (40 bytes, read back), reta 128 entries over "
			   "3 queues\n";
	EXPECT_NE(out.find(want), std::string::npos) << out;
	EXPECT_EQ(out.find("unknown"), std::string::npos) << out;
	EXPECT_NE(p.rss_hf & RTE_ETH_RSS_NONFRAG_IPV4_TCP, 0u);
	(void)rte_eth_dev_stop(pid);
	(void)rte_eth_dev_close(pid);
	(void)rte_eal_hotplug_remove("vdev", "net_null7");
}

TEST(PortResolve, MissingVdevSaysWhatToCheck)
{
	char err[PORT_ERR_LEN] = "";
	int lone = port_resolve("net_ring:ls", err, sizeof(err)); // something to list
	ASSERT_GE(lone, 0) << err;
	EXPECT_EQ(port_resolve("net_af_xdp0,iface=nosuch0", err, sizeof(err)), -1);
	std::string e(err);
	EXPECT_EQ(e.rfind("port net_af_xdp0: no such ethdev (", 0), 0u) << e;
	EXPECT_NE(e.find("--vdev=net_af_xdp0,iface=nosuch0"), std::string::npos) << e;
	EXPECT_NE(e.find("librte_net_af_xdp"), std::string::npos) << e;
	EXPECT_NE(e.find("ethdevs here: "), std::string::npos) << e; // lists what is there
	EXPECT_NE(e.find("net_ring_ring_ls_a"), std::string::npos) << e;
	struct port p = {};
	p.port_id = (uint16_t)lone;
	port_close(&p);
}

TEST(PortResolve, MissingPciIsNormalisedAndSaysBind)
{
	char err[PORT_ERR_LEN] = "";
	EXPECT_EQ(port_resolve("3B:00.1", err, sizeof(err)), -1);
	std::string e(err);
	EXPECT_EQ(e.rfind("port 0000:3b:00.1: no such ethdev", 0), 0u) << e;
	EXPECT_NE(e.find("vfio-pci"), std::string::npos) << e;
}

TEST(PortResolve, BadDevString)
{
	char err[PORT_ERR_LEN] = "";
	EXPECT_EQ(port_resolve("veth0", err, sizeof(err)), -1);
	EXPECT_NE(std::string(err).find("'veth0'"), std::string::npos) << err;
	EXPECT_EQ(port_resolve("net_ring:this_link_name_is_far_too_long", err, sizeof(err)), -1);
}
