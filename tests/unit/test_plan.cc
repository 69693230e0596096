/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * app/synack/plan.c: the plan is a pure function of the config -- which
 * worker owns which (port, queue), which applications each runs, each
 * client worker's share, and every error the config alone decides (before
 * EAL), two applications claiming one port among them. No EAL here.
 * Runs from the repository root (loads config/demo.ini).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/synack/plan.h"
#include "lib/stack/stack.h"

namespace {

class Plan : public ::testing::Test {
protected:
	struct cfg c_;
	struct plan pl_;
	char err_[CFG_ERR_LEN];

	/* file (config/demo.ini, or a one-port server or client written to
	 * /tmp) with sets applied ("section.key=value"). */
	void Load(const std::vector<std::string> &sets, const char *file = "config/demo.ini")
	{
		ASSERT_EQ(cfg_load(&c_, file, err_, sizeof(err_)), 0) << err_;
		for (const std::string &s : sets)
			ASSERT_EQ(cfg_set_novalidate(&c_, s.c_str(), err_, sizeof(err_)), 0)
				<< err_;
		ASSERT_EQ(cfg_validate(&c_, err_, sizeof(err_)), 0) << err_;
	}
	/* The same without cfg_validate, for a clash lib/config refuses too:
	 * the plan must refuse it on its own. Returns cfg_validate's verdict. */
	std::string LoadUnvalidated(const std::vector<std::string> &sets)
	{
		char e[CFG_ERR_LEN] = "";
		EXPECT_EQ(cfg_load(&c_, "config/demo.ini", e, sizeof(e)), 0) << e;
		for (const std::string &s : sets)
			EXPECT_EQ(cfg_set_novalidate(&c_, s.c_str(), e, sizeof(e)), 0) << e;
		e[0] = '\0';
		(void)cfg_validate(&c_, e, sizeof(e));
		return e;
	}
	int Build()
	{
		err_[0] = '\0';
		return plan_build(&c_, &pl_, err_, sizeof(err_));
	}
	std::string Err() const { return err_; }
	static void SetUpTestSuite()
	{
		FILE *f = fopen(kServer, "w");
		ASSERT_NE(f, nullptr);
		fputs("[run]\nmode = server\n[port0]\ndev = net_ring:t\nip = 198.18.0.2/24\n"
		      "[server]\nlisten = 80\n",
		      f);
		fclose(f);
		f = fopen(kClient, "w");
		ASSERT_NE(f, nullptr);
		fputs("[run]\nmode = client\n[port0]\ndev = net_ring:t\nip = 198.18.0.1/24\n"
		      "[client]\nmodel = cps\ntarget = 198.18.0.2:80\n",
		      f);
		fclose(f);
	}
	static void TearDownTestSuite()
	{
		unlink(kServer);
		unlink(kClient);
	}
	static constexpr const char *kServer = "/tmp/synack-test-plan-server.ini";
	static constexpr const char *kClient = "/tmp/synack-test-plan-client.ini";
};

TEST_F(Plan, DemoIsOneWorkerRunningTheServerAndTheModel)
{
	Load({});
	ASSERT_EQ(Build(), 0) << err_;
	EXPECT_EQ(pl_.nb_workers, 1u);
	EXPECT_EQ(pl_.nb_clients, 1u);
	EXPECT_EQ(pl_.nb_servers, 1u);
	EXPECT_EQ(pl_.w[0].role, WORKER_ROLE_CLIENT | WORKER_ROLE_SERVER);
	/* server.bulk defaults to 5002: the bulk server runs beside the responder */
	EXPECT_EQ(pl_.w[0].apps, (uint32_t)(PLAN_HTTP_SERVER | PLAN_BULK_SERVER | PLAN_MODEL));
	EXPECT_EQ(pl_.role[0], WORKER_ROLE_CLIENT);
	EXPECT_EQ(pl_.role[1], WORKER_ROLE_SERVER);
	EXPECT_EQ(pl_.nb_queues[0], 1u);
	EXPECT_EQ(pl_.nb_queues[1], 1u);
	EXPECT_FALSE(pl_.disp[0]);
	EXPECT_TRUE(pl_.http_model);
	EXPECT_EQ(pl_.grace_ms, 0u);
	EXPECT_GT(pl_.eal_mem_mb, 256u);
	EXPECT_GE(pl_.mbuf_size, 1500u + 14u);
}

TEST_F(Plan, ModeBothSplitsTheWorkersInHalves)
{
	Load({"run.lcores=4"});
	ASSERT_EQ(Build(), 0) << err_;
	EXPECT_EQ(pl_.nb_clients, 2u);
	EXPECT_EQ(pl_.nb_servers, 2u);
	for (unsigned int q = 0; q < 2; q++) {
		EXPECT_EQ(pl_.owner[0][q], q);
		EXPECT_EQ(pl_.owner[1][q], 2 + q);
	}
	EXPECT_EQ(pl_.w[0].apps, (uint32_t)PLAN_MODEL);
	EXPECT_EQ(pl_.w[3].apps, (uint32_t)(PLAN_HTTP_SERVER | PLAN_BULK_SERVER));
	EXPECT_EQ(pl_.w[1].client, 1u);
}

/* cfg_validate refuses an odd count first; the plan refuses it again
 * when the config is built without validation */
TEST_F(Plan, ModeBothWithAnOddNumberOfWorkersIsRefused)
{
	Load({});
	c_.run.lcores = 3;
	ASSERT_EQ(Build(), -1);
	EXPECT_EQ(Err().rfind("config/demo.ini:run:lcores: ", 0), 0u) << Err();
}

TEST_F(Plan, OneQueueForSeveralWorkersIsSoftwareDispatch)
{
	Load({"run.lcores=4", "port0.queues=1"}, kServer);
	ASSERT_EQ(Build(), 0) << err_;
	EXPECT_TRUE(pl_.disp[0]);
	EXPECT_EQ(pl_.nb_queues[0], 1u);
	EXPECT_EQ(pl_.nb_owners[0], 4u);
	EXPECT_EQ(pl_.nb_servers, 4u);
}

TEST_F(Plan, QueuesThatDoNotMatchTheWorkersAreRefused)
{
	Load({"run.lcores=4", "port0.queues=2"}, kServer);
	ASSERT_EQ(Build(), -1);
	EXPECT_EQ(Err().rfind(std::string(kServer) + ":port0:queues: 2 queues for 4 workers", 0),
		  0u)
		<< Err();
}

TEST_F(Plan, EveryServerRunsTogetherOnOneWorker)
{
	Load({"server.listen=80", "iperf.listen=5201", "udp.echo=7", "server.bulk=9000"}, kServer);
	ASSERT_EQ(Build(), 0) << err_;
	EXPECT_EQ(pl_.w[0].apps, (uint32_t)(PLAN_HTTP_SERVER | PLAN_IPERF_SERVER |
					    PLAN_UDP_SERVICES | PLAN_BULK_SERVER));
	EXPECT_EQ(pl_.nb_clients, 0u);
}

TEST_F(Plan, TwoApplicationsOnOneTcpPortAreRefusedNamingBothKeys)
{
	EXPECT_EQ(LoadUnvalidated({"server.listen=80,5201", "iperf.listen=5201"}),
		  "--set:iperf:listen: 5201 is also in server.listen");
	ASSERT_EQ(Build(), -1);
	EXPECT_EQ(Err(), "config/demo.ini:iperf:listen: TCP port 5201 is also claimed by "
			 "server:listen: two applications cannot own one port");
}

TEST_F(Plan, BulkServerOnAnHttpPortIsRefused)
{
	EXPECT_NE(LoadUnvalidated({"server.bulk=80"}), "");
	ASSERT_EQ(Build(), -1);
	EXPECT_NE(Err().find("config/demo.ini:server:bulk: TCP port 80 is also claimed by "
			     "server:listen"),
		  std::string::npos)
		<< Err();
}

TEST_F(Plan, EchoAndSinkOnOnePortAreRefused)
{
	EXPECT_NE(LoadUnvalidated({"udp.echo=7", "udp.sink=7"}), "");
	ASSERT_EQ(Build(), -1);
	EXPECT_NE(Err().find("udp:sink: UDP port 7 is also claimed by udp:echo"), std::string::npos)
		<< Err();
}

TEST_F(Plan, IperfAndEchoShareNoUdpPort)
{
	Load({"udp.echo=5201", "iperf.listen=5201"});
	ASSERT_EQ(Build(), -1);
	EXPECT_NE(Err().find("config/demo.ini:udp:echo: UDP port 5201 is also claimed by "
			     "iperf:listen"),
		  std::string::npos)
		<< Err();
}

/* mode both, one worker: the udp model's flows and the server's UDP ports
 * live on one worker's UDP context */
TEST_F(Plan, UdpModelFlowsOnAnEchoPortAreRefused)
{
	Load({"client.model=udp", "client.target=198.18.0.2:7", "udp.echo=7", "client.ports=7-100",
	      "client.flows=4"});
	ASSERT_EQ(Build(), -1);
	EXPECT_NE(Err().find("config/demo.ini:client:ports: UDP port 7 is also claimed by "
			     "udp:echo"),
		  std::string::npos)
		<< Err();
}

TEST_F(Plan, UdpModelAndIperfServerRunTogether)
{
	Load({"client.model=udp", "client.target=198.18.0.2:7", "udp.echo=7", "iperf.listen=5201"});
	ASSERT_EQ(Build(), 0) << err_;
	EXPECT_EQ(pl_.w[0].apps, (uint32_t)(PLAN_HTTP_SERVER | PLAN_BULK_SERVER |
					    PLAN_UDP_SERVICES | PLAN_IPERF_SERVER | PLAN_MODEL));
	EXPECT_TRUE(pl_.udp_model);
}

TEST_F(Plan, TooManyFlowsForTheWorkersAreRefusedBeforeEal)
{
	Load({"run.lcores=2", "client.model=udp", "client.target=198.18.0.2:7",
	      "client.ports=1024-2047", "client.flows=600"},
	     kClient);
	ASSERT_EQ(Build(), -1);
	EXPECT_EQ(Err(), std::string(kClient) +
				 ":client:flows: 600 flows x 2 client workers do not fit "
				 "client.ports 1024-2047");
}

TEST_F(Plan, FewerPortsThanClientWorkersAreRefused)
{
	Load({"run.lcores=4", "client.ports=2000-2000"});
	ASSERT_EQ(Build(), -1);
	EXPECT_EQ(Err().rfind("config/demo.ini:client:ports: 1 ports 2000-2000 for 2 client "
			      "workers",
			      0),
		  0u)
		<< Err();
}

TEST_F(Plan, IperfServerOnSeveralWorkersIsRefused)
{
	Load({"run.lcores=4", "iperf.listen=5201"});
	ASSERT_EQ(Build(), -1);
	EXPECT_EQ(Err().rfind("config/demo.ini:iperf:listen: an iperf3 test runs on one worker", 0),
		  0u)
		<< Err();
}

TEST_F(Plan, SharesAddUpToTheTotalsAndPortSlicesAreDisjoint)
{
	Load({"run.lcores=3", "client.count=10", "client.rate=1000", "client.concurrency=100",
	      "client.ports=1000-1299"},
	     kClient);
	ASSERT_EQ(Build(), 0) << err_;
	ASSERT_EQ(pl_.nb_clients, 3u);
	uint64_t count = 0;
	for (unsigned int w = 0; w < 3; w++) {
		const struct plan_share &s = pl_.w[w].share;
		count += s.count;
		EXPECT_EQ(s.rate, 333u);
		EXPECT_EQ(s.conc, 33u);
		EXPECT_EQ(s.port_lo, 1000u + 100u * w);
		EXPECT_EQ(s.port_hi, 1099u + 100u * w);
	}
	EXPECT_EQ(count, 10u);
	EXPECT_EQ(pl_.w[0].share.count, 4u);
	EXPECT_EQ(pl_.w[2].share.count, 3u);
}

TEST_F(Plan, ASmallRateStillGivesEveryWorkerSomething)
{
	Load({"run.lcores=4", "client.count=2", "client.rate=2", "client.concurrency=1"}, kClient);
	ASSERT_EQ(Build(), 0) << err_;
	for (unsigned int w = 0; w < 4; w++) {
		EXPECT_EQ(pl_.w[w].share.rate, 1u);
		EXPECT_EQ(pl_.w[w].share.conc, 1u);
		EXPECT_EQ(pl_.w[w].share.count, 1u);
	}
}

TEST_F(Plan, ModelsThatFinishLateGetAGrace)
{
	Load({"client.model=throughput", "server.bulk=9000", "client.target=198.18.0.2:9000"});
	ASSERT_EQ(Build(), 0) << err_;
	EXPECT_GT(pl_.grace_ms, 0u);
	EXPECT_TRUE(pl_.bulk_model);
}

} // namespace

/* ---- execution segments (app/synack/segment.c) ---- */

namespace {

struct SegRect {
	uint32_t ip_lo, ip_n;
	uint32_t port_lo, port_hi;
};

class Segment : public Plan {
protected:
	/* demo.ini as a client of 5 source addresses and 64512 ports, with
	 * the awkward totals of the issue */
	void LoadSeg(const std::string &seg, const std::vector<std::string> &more = {})
	{
		std::vector<std::string> sets = {
			"port0.ip=198.18.0.10/24", "port0.ip_count=5",
			"client.rate=7",	   "client.concurrency=3",
			"client.count=1000003",	   "client.ports=1024-65535",
			"run.segment=" + seg};
		sets.insert(sets.end(), more.begin(), more.end());
		Load(sets);
	}
};

} // namespace

TEST_F(Segment, SharesSumExactlyAndSourcePairsAreDisjointForAnyN)
{
	for (unsigned int n = 1; n <= 16; n++) {
		uint64_t rate = 0, count = 0, conc = 0, area = 0;
		std::vector<SegRect> r;

		for (unsigned int i = 0; i < n; i++) {
			LoadSeg(std::to_string(i) + "/" + std::to_string(n));
			ASSERT_EQ(Build(), 0) << Err();
			const struct segment_share &ss = pl_.ss;
			EXPECT_EQ(pl_.seg.index, i);
			EXPECT_EQ(pl_.seg.count, n);
			rate += ss.rate;
			count += ss.count;
			conc += ss.conc;
			/* a segment with nothing of something says so and runs no model */
			bool zero = ss.rate == 0 || ss.conc == 0;
			EXPECT_EQ(pl_.seg_idle, zero) << n << " " << i;
			if (ss.rate == 0) {
				EXPECT_NE(std::string(pl_.seg_note).find("client.rate"),
					  std::string::npos)
					<< pl_.seg_note;
			}
			if (ss.conc == 0) {
				EXPECT_NE(std::string(pl_.seg_note).find("client.concurrency"),
					  std::string::npos)
					<< pl_.seg_note;
			}
			EXPECT_EQ(pl_.nb_clients, zero ? 0u : 1u);
			/* addresses split when there are at least N of them */
			EXPECT_EQ(ss.by_address, n <= 5);
			SegRect s = {ss.ip_off[0], ss.ip_n[0], ss.port_lo, ss.port_hi};
			if (s.port_hi >= s.port_lo)
				area += (uint64_t)s.ip_n * (s.port_hi - s.port_lo + 1);
			EXPECT_LE(s.ip_lo + s.ip_n, 5u);
			EXPECT_GE(s.port_lo, 1024u);
			EXPECT_LE(s.port_hi, 65535u);
			/* the server port keeps all its addresses */
			EXPECT_EQ(ss.ip_off[1], 0u);
			EXPECT_EQ(ss.ip_n[1], 1u);
			r.push_back(s);
		}
		EXPECT_EQ(rate, 7u) << n;
		EXPECT_EQ(count, 1000003u) << n;
		EXPECT_EQ(conc, 3u) << n;
		/* pairwise disjoint (address, port) rectangles that cover the
		 * whole 5 x 64512: a partition of the sources */
		for (size_t a = 0; a < r.size(); a++)
			for (size_t b = a + 1; b < r.size(); b++) {
				bool ip_apart = r[a].ip_lo + r[a].ip_n <= r[b].ip_lo ||
						r[b].ip_lo + r[b].ip_n <= r[a].ip_lo;
				bool port_apart = r[a].port_hi < r[b].port_lo ||
						  r[b].port_hi < r[a].port_lo;
				EXPECT_TRUE(ip_apart || port_apart)
					<< "N " << n << ": segments " << a << " and " << b
					<< " share source pairs";
			}
		EXPECT_EQ(area, 5u * 64512u) << n;
	}
}

TEST_F(Segment, WorkersSplitTheSegmentsShareInsideItsPorts)
{
	LoadSeg("7/8", {"run.lcores=2", "port0.queues=1", "port1.queues=1"});
	ASSERT_EQ(Build(), 0) << Err();
	ASSERT_FALSE(pl_.seg_idle) << pl_.seg_note;
	EXPECT_FALSE(pl_.ss.by_address);
	EXPECT_EQ(pl_.ss.port_lo, 1024u + 64512u * 7 / 8);
	EXPECT_EQ(pl_.ss.port_hi, 65535u);
	for (unsigned int w = 0; w < pl_.nb_workers; w++) {
		const struct plan_worker &pw = pl_.w[w];
		if (!(pw.apps & PLAN_MODEL))
			continue;
		EXPECT_GE(pw.share.port_lo, pl_.ss.port_lo);
		EXPECT_LE(pw.share.port_hi, pl_.ss.port_hi);
	}
}

TEST_F(Segment, UdpFlowsAreSharedToo)
{
	for (unsigned int n = 1; n <= 16; n++) {
		uint64_t flows = 0;

		for (unsigned int i = 0; i < n; i++) {
			Load({"run.segment=" + std::to_string(i) + "/" + std::to_string(n),
			      "client.flows=16", "client.ports=1024-65535"},
			     "config/udp-ring.ini");
			ASSERT_EQ(Build(), 0) << Err();
			flows += pl_.ss.flows;
			EXPECT_EQ(pl_.seg_idle, pl_.ss.flows == 0);
			if (!pl_.seg_idle) {
				EXPECT_EQ(pl_.w[0].share.flows, pl_.ss.flows);
			}
		}
		EXPECT_EQ(flows, 16u) << n;
	}
}

TEST_F(Segment, FractionsOfDifferentDenominatorsTileExactly)
{
	/* 0:1/4, 1/4:2/4 (= 1/4:1/2), 1/2:1 */
	uint64_t rate = 0;
	for (const char *s : {"0:1/4", "1/4:2/4", "1/2:1"}) {
		Load({"run.segment=" + std::string(s), "client.rate=1000003"});
		ASSERT_EQ(Build(), 0) << Err();
		rate += pl_.ss.rate;
	}
	EXPECT_EQ(rate, 1000003u);
	Load({"run.segment=1/4:2/4"});
	ASSERT_EQ(Build(), 0) << Err();
	EXPECT_EQ(pl_.seg.index, 1u);
	EXPECT_EQ(pl_.seg.count, 4u);
}

TEST_F(Segment, IndexFromTheEnvironmentAsAnIndexedJobSetsIt)
{
	Load({"run.segment_from_env=JOB_COMPLETION_INDEX", "run.segments=3"});
	setenv("JOB_COMPLETION_INDEX", "2", 1);
	ASSERT_EQ(Build(), 0) << Err();
	EXPECT_EQ(pl_.seg.index, 2u);
	EXPECT_EQ(pl_.seg.count, 3u);
	setenv("JOB_COMPLETION_INDEX", "3", 1);
	EXPECT_EQ(Build(), -1);
	EXPECT_NE(Err().find(":run:segment_from_env: JOB_COMPLETION_INDEX = \"3\" is not an index "
			     "0..2"),
		  std::string::npos)
		<< Err();
	setenv("JOB_COMPLETION_INDEX", "x1", 1);
	EXPECT_EQ(Build(), -1);
	unsetenv("JOB_COMPLETION_INDEX");
	EXPECT_EQ(Build(), -1);
	EXPECT_NE(Err().find("JOB_COMPLETION_INDEX is not set"), std::string::npos) << Err();
}

TEST_F(Segment, BadSegmentsStopAtTheConfig)
{
	const std::vector<std::pair<std::string, std::string>> bad = {
		{"3/3", "index 3 is not below the count 3"},
		{"1/2:1/4", "FROM must be below TO"},
		{"half", "is not a segment"},
		{"0:5/4", "FROM must be below TO"},
	};
	for (const auto &b : bad) {
		Load({});
		EXPECT_EQ(cfg_set(&c_, ("run.segment=" + b.first).c_str(), err_, sizeof(err_)), -1);
		EXPECT_NE(Err().find("--set:run:segment: "), std::string::npos) << Err();
		EXPECT_NE(Err().find(b.second), std::string::npos) << Err();
	}
	Load({});
	EXPECT_EQ(cfg_set(&c_, "run.segments=3", err_, sizeof(err_)), -1);
	EXPECT_NE(Err().find("--set:run:segments: 3 segments without run.segment_from_env"),
		  std::string::npos)
		<< Err();
}

TEST_F(Segment, StartAtTakesUnixSecondsAndRfc3339)
{
	Load({"run.start_at=1796000000.25"});
	EXPECT_EQ(c_.run.start_at_ns, 1796000000250000000ull);
	Load({"run.start_at=2026-12-02T05:00:00Z"});
	EXPECT_EQ(c_.run.start_at_ns, 1796187600ull * 1000000000ull);
	Load({"run.start_at=2026-12-02T06:00:00.5+01:00"});
	EXPECT_EQ(c_.run.start_at_ns, 1796187600500000000ull);
	Load({});
	EXPECT_EQ(cfg_set(&c_, "run.start_at=5", err_, sizeof(err_)), -1);
	EXPECT_NE(Err().find("--set:run:start_at: 5 is not a date between 2000 and 2100"),
		  std::string::npos)
		<< Err();
	EXPECT_EQ(cfg_set(&c_, "run.start_at=tomorrow", err_, sizeof(err_)), -1);
	EXPECT_NE(Err().find("is not a time"), std::string::npos) << Err();
}
