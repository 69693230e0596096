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
