/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/config: every key with a good and a bad value (exact error texts, as
 * users and scripts see them), the cross-key checks, the defaults, --set, the
 * example files under config/ and docs/config.md against --help-config.
 * Runs from the repository root (meson test workdir).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "lib/config/config.h"

namespace {

/* A minimal valid server config, for key tests to append to. */
const char *const kServer = "[port0]\ndev = net_ring:t\n";

/* A minimal valid client config. */
const char *const kClient = "[run]\nmode = client\n"
			    "[port0]\ndev = net_ring:t\nip = 198.18.0.1/24\n"
			    "[client]\ntarget = 198.18.0.2\n";

class Config : public ::testing::Test {
protected:
	static std::string dir_;
	static std::vector<std::string> files_;

	static void SetUpTestSuite()
	{
		char tmpl[] = "/tmp/synack-test-config-XXXXXX";

		ASSERT_NE(mkdtemp(tmpl), nullptr);
		dir_ = tmpl;
	}

	static void TearDownTestSuite()
	{
		for (const std::string &f : files_)
			unlink(f.c_str());
		rmdir(dir_.c_str());
	}

	void SetUp() override
	{
		cfg_defaults(&c_);
		err_[0] = '\0';
	}

	/* Write text to DIR/name and load it. */
	int Load(const std::string &text, const char *name = "cfg.ini")
	{
		std::string path = dir_ + "/" + name;
		std::ofstream(path) << text;
		files_.push_back(path);
		return cfg_load(&c_, path.c_str(), err_, sizeof(err_));
	}

	/* Apply one --set override without cross-key checks. */
	int Set(const std::string &a)
	{
		return cfg_set_novalidate(&c_, a.c_str(), err_, sizeof(err_));
	}

	/* The last error, with the temporary directory's "DIR/" taken off. */
	std::string Err() const
	{
		std::string e = err_;

		if (e.rfind(dir_ + "/", 0) == 0)
			e.erase(0, dir_.size() + 1);
		return e;
	}

	struct cfg c_;
	char err_[CFG_ERR_LEN];
};

std::string Config::dir_;
std::vector<std::string> Config::files_;

/* ---- defaults ---- */

TEST_F(Config, DefaultsComeFromTheKeyTable)
{
	struct cfg d;

	memset(&d, 0xa5, sizeof(d));
	cfg_defaults(&d);
	EXPECT_EQ(d.file[0], '\0');
	EXPECT_EQ(d.run.mode, CFG_MODE_SERVER);
	EXPECT_EQ(d.run.duration_ms, 10000u);
	EXPECT_EQ(d.run.lcores, 1u);
	EXPECT_STREQ(d.run.json, "");
	EXPECT_EQ(d.run.report_ms, 1000u);
	EXPECT_FALSE(d.run.quiet);
	EXPECT_EQ(d.nb_ports, 0u);
	for (int i = 0; i < CFG_MAX_PORTS; i++) {
		EXPECT_FALSE(d.port[i].present);
		EXPECT_STREQ(d.port[i].dev, "");
		EXPECT_EQ(d.port[i].ip, 0u);
		EXPECT_EQ(d.port[i].prefix, 0u);
		EXPECT_EQ(d.port[i].gateway, 0u);
		EXPECT_EQ(d.port[i].ip_count, 1u);
		EXPECT_EQ(d.port[i].queues, 0u);
		EXPECT_EQ(d.port[i].mtu, 1500u);
		EXPECT_EQ(d.port[i].rxd, 1024u);
		EXPECT_EQ(d.port[i].txd, 1024u);
	}
	EXPECT_EQ(d.pool.mbufs, 16384u);
	EXPECT_EQ(d.pool.mbuf_cache, 256u);
	EXPECT_EQ(d.pool.neigh_max, 1024u);
	EXPECT_EQ(d.pool.arp_retries, 5u);
	EXPECT_EQ(d.pool.arp_timeout_ms, 200u);
	EXPECT_EQ(d.server.nb_listen, 1u);
	EXPECT_EQ(d.server.listen[0], 80u);
	EXPECT_EQ(d.server.body_size, 64u);
	EXPECT_FALSE(d.server.gzip);
	EXPECT_EQ(d.client.model, CFG_MODEL_PING);
	EXPECT_EQ(d.client.nb_target, 0u);
	EXPECT_EQ(d.client.rate, 0u);
	EXPECT_EQ(d.client.concurrency, 100u);
	EXPECT_EQ(d.client.payload, 56u);
	EXPECT_EQ(d.client.burst, 32u);
	EXPECT_EQ(d.client.count, 0u);
	for (int i = 0; i <= CFG_MAX_PORTS; i++)
		for (size_t j = 0; j < CFG_SET_WORDS; j++)
			EXPECT_EQ(d.cli_set[i][j], 0u);
}

TEST_F(Config, MinimalServerFileLoads)
{
	ASSERT_EQ(Load(kServer), 0) << Err();
	EXPECT_EQ(c_.nb_ports, 1u);
	EXPECT_TRUE(c_.port[0].present);
	EXPECT_STREQ(c_.port[0].dev, "net_ring:t");
	EXPECT_FALSE(c_.port[1].present);
	EXPECT_EQ(c_.run.mode, CFG_MODE_SERVER);
	EXPECT_NE(std::string(c_.file).find("cfg.ini"), std::string::npos);
}

TEST_F(Config, ModeAndModelNames)
{
	EXPECT_STREQ(cfg_mode_name(CFG_MODE_SERVER), "server");
	EXPECT_STREQ(cfg_mode_name(CFG_MODE_CLIENT), "client");
	EXPECT_STREQ(cfg_mode_name(CFG_MODE_BOTH), "both");
	EXPECT_STREQ(cfg_model_name(CFG_MODEL_PING), "ping");
	EXPECT_STREQ(cfg_model_name(CFG_MODEL_CPS), "cps");
	EXPECT_STREQ(cfg_model_name(CFG_MODEL_CC), "cc");
	EXPECT_STREQ(cfg_model_name(CFG_MODEL_RPS), "rps");
	EXPECT_STREQ(cfg_model_name(CFG_MODEL_THROUGHPUT), "throughput");
	EXPECT_STREQ(cfg_model_name(CFG_MODEL_UDP), "udp");
	EXPECT_STREQ(cfg_mode_name((enum cfg_mode)42), "?");
	EXPECT_STREQ(cfg_model_name((enum cfg_model)42), "?");
}

/* ---- [run] ---- */

TEST_F(Config, ModeClientParses)
{
	ASSERT_EQ(Load(kClient), 0) << Err();
	EXPECT_EQ(c_.run.mode, CFG_MODE_CLIENT);
}

TEST_F(Config, ModeBothParses)
{
	ASSERT_EQ(Set("run.mode=both"), 0) << Err();
	EXPECT_EQ(c_.run.mode, CFG_MODE_BOTH);
}

TEST_F(Config, ModeFastIsNotAMode)
{
	EXPECT_EQ(Load(std::string(kServer) + "[run]\nmode = fast\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:run:mode: \"fast\" is not one of server, client, both");
}

TEST_F(Config, ModeIsCaseSensitive)
{
	EXPECT_EQ(Set("run.mode=Server"), -1);
	EXPECT_EQ(Err(), "--set:run:mode: \"Server\" is not one of server, client, both");
}

TEST_F(Config, DurationUnits)
{
	ASSERT_EQ(Load(std::string(kServer) + "[run]\nduration = 500ms\n"), 0) << Err();
	EXPECT_EQ(c_.run.duration_ms, 500u);
	ASSERT_EQ(Set("run.duration=2m"), 0) << Err();
	EXPECT_EQ(c_.run.duration_ms, 120000u);
	ASSERT_EQ(Set("run.duration=1h"), 0) << Err();
	EXPECT_EQ(c_.run.duration_ms, 3600000u);
	ASSERT_EQ(Set("run.duration=30s"), 0) << Err();
	EXPECT_EQ(c_.run.duration_ms, 30000u);
	ASSERT_EQ(Set("run.duration=7"), 0) << Err();
	EXPECT_EQ(c_.run.duration_ms, 7000u);
	ASSERT_EQ(Set("run.duration=0"), 0) << Err();
	EXPECT_EQ(c_.run.duration_ms, 0u);
}

TEST_F(Config, DurationWithUnknownUnitIsNotADuration)
{
	EXPECT_EQ(Load(std::string(kServer) + "[run]\nduration = 10x\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:run:duration: \"10x\" is not a duration (10s, 500ms, 2m, 1h)");
}

TEST_F(Config, DurationFractionIsNotADuration)
{
	EXPECT_EQ(Set("run.duration=1.5s"), -1);
	EXPECT_EQ(Err(), "--set:run:duration: \"1.5s\" is not a duration (10s, 500ms, 2m, 1h)");
}

TEST_F(Config, DurationNegativeIsNotADuration)
{
	EXPECT_EQ(Set("run.duration=-1s"), -1);
	EXPECT_EQ(Err(), "--set:run:duration: \"-1s\" is not a duration (10s, 500ms, 2m, 1h)");
}

TEST_F(Config, DurationOverflowIsTooLarge)
{
	EXPECT_EQ(Set("run.duration=18446744073709551615h"), -1);
	EXPECT_EQ(Err(), "--set:run:duration: 18446744073709551615h is too large");
}

TEST_F(Config, LcoresParses)
{
	ASSERT_EQ(Load(std::string(kServer) + "[run]\nlcores = 8\n"), 0) << Err();
	EXPECT_EQ(c_.run.lcores, 8u);
}

TEST_F(Config, LcoresAbcIsNotANumber)
{
	EXPECT_EQ(Load(std::string(kServer) + "[run]\nlcores = abc\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:run:lcores: \"abc\" is not a number");
}

TEST_F(Config, LcoresZeroIsOutOfRange)
{
	EXPECT_EQ(Load(std::string(kServer) + "[run]\nlcores = 0\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:run:lcores: 0 is out of range 1..64");
}

TEST_F(Config, LcoresAboveMaxIsOutOfRange)
{
	EXPECT_EQ(Set("run.lcores=65"), -1);
	EXPECT_EQ(Err(), "--set:run:lcores: 65 is out of range 1..64");
}

TEST_F(Config, LcoresNegativeIsNotANumber)
{
	EXPECT_EQ(Set("run.lcores=-1"), -1);
	EXPECT_EQ(Err(), "--set:run:lcores: \"-1\" is not a number");
}

TEST_F(Config, LcoresTrailingGarbageIsNotANumber)
{
	EXPECT_EQ(Set("run.lcores=4x"), -1);
	EXPECT_EQ(Err(), "--set:run:lcores: \"4x\" is not a number");
}

TEST_F(Config, LcoresOverflowIsOutOfRange)
{
	EXPECT_EQ(Set("run.lcores=99999999999999999999"), -1);
	EXPECT_EQ(Err(), "--set:run:lcores: 99999999999999999999 is out of range 1..64");
}

TEST_F(Config, JsonParses)
{
	ASSERT_EQ(Load(std::string(kServer) + "[run]\njson = results.jsonl ; the results\n"), 0)
		<< Err();
	EXPECT_STREQ(c_.run.json, "results.jsonl");
}

TEST_F(Config, JsonEmptyMeansNone)
{
	ASSERT_EQ(Set("run.json=out.jsonl"), 0) << Err();
	ASSERT_EQ(Load(std::string(kServer) + "[run]\njson =\n"), 0) << Err();
	EXPECT_STREQ(c_.run.json, "");
}

TEST_F(Config, JsonTooLongIsRefused)
{
	EXPECT_EQ(Set("run.json=" + std::string(300, 'a')), -1);
	EXPECT_EQ(Err(), "--set:run:json: value is 300 characters long, at most 255");
}

TEST_F(Config, ReportIntervalParses)
{
	ASSERT_EQ(Load(std::string(kServer) + "[run]\nreport_interval = 500ms\n"), 0) << Err();
	EXPECT_EQ(c_.run.report_ms, 500u);
}

TEST_F(Config, ReportIntervalBelowMinIsOutOfRange)
{
	EXPECT_EQ(Set("run.report_interval=50ms"), -1);
	EXPECT_EQ(Err(), "--set:run:report_interval: 50ms is out of range 100ms..1h");
}

TEST_F(Config, ReportIntervalAboveMaxIsOutOfRange)
{
	EXPECT_EQ(Set("run.report_interval=2h"), -1);
	EXPECT_EQ(Err(), "--set:run:report_interval: 2h is out of range 100ms..1h");
}

TEST_F(Config, ServerTimeoutsDefaultLikeNginxParseAndAreBounded)
{
	ASSERT_EQ(Load(std::string(kServer)), 0) << Err();
	EXPECT_EQ(c_.server.header_timeout_ms, 60000u);
	EXPECT_EQ(c_.server.keepalive_timeout_ms, 75000u);
	ASSERT_EQ(Load(std::string(kServer) +
		       "[server]\nheader_timeout = 300ms\nkeepalive_timeout = 0\n"),
		  0)
		<< Err();
	EXPECT_EQ(c_.server.header_timeout_ms, 300u);
	EXPECT_EQ(c_.server.keepalive_timeout_ms, 0u);
	EXPECT_EQ(Set("server.header_timeout=2h"), -1);
	EXPECT_EQ(Err(), "--set:server:header_timeout: 2h is out of range 0..1h");
	EXPECT_EQ(Set("server.keepalive_timeout=soon"), -1);
	EXPECT_NE(Err().find("--set:server:keepalive_timeout: "), std::string::npos) << Err();
}

TEST_F(Config, LingerParsesAndIsBounded)
{
	struct cfg d;
	cfg_defaults(&d);
	EXPECT_EQ(d.run.linger_ms, 0u);
	ASSERT_EQ(Load(std::string(kServer) + "[run]\nlinger = 30s\n"), 0) << Err();
	EXPECT_EQ(c_.run.linger_ms, 30000u);
	EXPECT_EQ(Set("run.linger=2h"), -1);
	EXPECT_EQ(Err(), "--set:run:linger: 2h is out of range 0..1h");
	EXPECT_EQ(Set("run.linger=soon"), -1);
	EXPECT_NE(Err().find("--set:run:linger: "), std::string::npos) << Err();
}

TEST_F(Config, ObservabilityKeysParseAndAreChecked)
{
	struct cfg d;
	cfg_defaults(&d);
	EXPECT_TRUE(d.run.telemetry);
	EXPECT_STREQ(d.run.metrics, "");
	EXPECT_STREQ(d.run.file_prefix, "");
	EXPECT_STREQ(d.run.run_name, "");
	ASSERT_EQ(Load(std::string(kServer) + "[run]\nmetrics = 127.0.0.1:9100\nrun_name = "
					      "soak-1.a_b\ntelemetry = off\nfile_prefix = s1\n"),
		  0)
		<< Err();
	EXPECT_STREQ(c_.run.metrics, "127.0.0.1:9100");
	EXPECT_STREQ(c_.run.run_name, "soak-1.a_b");
	EXPECT_STREQ(c_.run.file_prefix, "s1");
	EXPECT_FALSE(c_.run.telemetry);
	EXPECT_EQ(Set("run.metrics=127.0.0.1"), -1);
	EXPECT_EQ(Err(), "--set:run:metrics: '127.0.0.1': expected A.B.C.D:PORT");
	EXPECT_EQ(Set("run.metrics=localhost:9100"), -1);
	EXPECT_EQ(Err(), "--set:run:metrics: 'localhost:9100': 'localhost' is not an IPv4 address");
	EXPECT_EQ(Set("run.metrics=127.0.0.1:0"), -1);
	EXPECT_EQ(Err(), "--set:run:metrics: '127.0.0.1:0': port must be 1..65535");
	EXPECT_EQ(Set("run.metrics=127.0.0.1:65536"), -1);
	EXPECT_EQ(Set("run.metrics=127.0.0.1:80x"), -1);
	EXPECT_EQ(Set("run.run_name=a\"b"), -1);
	EXPECT_EQ(Err(), "--set:run:run_name: 'a\"b': only letters, digits, '.', '_' and '-'");
	EXPECT_EQ(Set("run.file_prefix=../x"), -1);
	ASSERT_EQ(Set("run.metrics="), 0) << Err();
	EXPECT_STREQ(c_.run.metrics, "");
}

TEST_F(Config, QuietAcceptsEveryBooleanSpelling)
{
	const char *yes[] = {"on", "ON", "yes", "Yes", "true", "TRUE", "1"};
	const char *no[] = {"off", "Off", "no", "NO", "false", "False", "0"};

	for (const char *v : yes) {
		ASSERT_EQ(Set(std::string("run.quiet=") + v), 0) << v << ": " << Err();
		EXPECT_TRUE(c_.run.quiet) << v;
	}
	for (const char *v : no) {
		ASSERT_EQ(Set(std::string("run.quiet=") + v), 0) << v << ": " << Err();
		EXPECT_FALSE(c_.run.quiet) << v;
	}
	ASSERT_EQ(Load(std::string(kServer) + "[run]\nquiet = yes\n"), 0) << Err();
	EXPECT_TRUE(c_.run.quiet);
}

TEST_F(Config, QuietMaybeIsNotABoolean)
{
	EXPECT_EQ(Load(std::string(kServer) + "[run]\nquiet = maybe\n"), -1);
	EXPECT_EQ(Err(),
		  "cfg.ini:run:quiet: \"maybe\" is not a boolean (on/off, yes/no, true/false, "
		  "1/0)");
}

/* ---- [portN] ---- */

TEST_F(Config, DevAcceptsPciVdevAndRing)
{
	const char *ok[] = {
		"0000:3b:00.0",
		"3b:00.0",
		"0000:AF:1f.7",
		"0000:3b:00.1,rx_vec_en=0",
		"net_af_xdp0,iface=veth-syn",
		"net_af_packet0,iface=veth-syn,qpairs=1",
		"net_tap0",
		"eth_ring0",
		"net_ring:demo",
		"net_ring:a-b_C9",
		"net_memif",
	};

	for (const char *v : ok) {
		ASSERT_EQ(Set(std::string("port0.dev=") + v), 0) << v << ": " << Err();
		EXPECT_STREQ(c_.port[0].dev, v);
	}
	ASSERT_EQ(Load("[port0]\ndev = 0000:3b:00.0\n"), 0) << Err();
	EXPECT_STREQ(c_.port[0].dev, "0000:3b:00.0");
}

TEST_F(Config, DevFooIsNotADevice)
{
	EXPECT_EQ(Load("[port0]\ndev = foo\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port0:dev: \"foo\" is not a PCI address (0000:3b:00.0), "
			 "a vdev (net_xxx,args) or net_ring:LINK");
}

TEST_F(Config, DevBadPciAddressesAreRefused)
{
	const char *bad[] = {"0000:3b:20.0", "0000:3b:00.8", "3b:00",
			     "000:3b:00.0",  "0000:3g:00.0", "0000:3b:00.0x"};

	for (const char *v : bad) {
		EXPECT_EQ(Set(std::string("port0.dev=") + v), -1) << v;
		EXPECT_EQ(Err(), std::string("--set:port0:dev: \"") + v +
					 "\" is not a PCI address (0000:3b:00.0), a vdev "
					 "(net_xxx,args) or net_ring:LINK");
	}
}

TEST_F(Config, DevBadVdevsAreRefused)
{
	const char *bad[] = {"net_",	  "net_tap0,iface=a b", "net_tap0;x",
			     "xnet_tap0", "NET_tap0",		"net_tap0, iface=x"};

	for (const char *v : bad) {
		EXPECT_EQ(Set(std::string("port0.dev=") + v), -1) << v;
		EXPECT_EQ(Err(), std::string("--set:port0:dev: \"") + v +
					 "\" is not a PCI address (0000:3b:00.0), a vdev "
					 "(net_xxx,args) or net_ring:LINK");
	}
}

TEST_F(Config, DevRingWithoutLinkNameIsRefused)
{
	EXPECT_EQ(Set("port0.dev=net_ring:"), -1);
	EXPECT_EQ(Err(), "--set:port0:dev: \"net_ring:\" needs a link name of letters, digits, _ "
			 "and - (net_ring:LINK)");
	EXPECT_EQ(Set("port0.dev=net_ring:a.b"), -1);
	EXPECT_EQ(Err(), "--set:port0:dev: \"net_ring:a.b\" needs a link name of letters, "
			 "digits, _ and - (net_ring:LINK)");
}

TEST_F(Config, IpParses)
{
	ASSERT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.0.1/24\n"), 0) << Err();
	EXPECT_EQ(c_.port[0].ip, 0xc6120001u);
	EXPECT_EQ(c_.port[0].prefix, 24u);
	ASSERT_EQ(Set("port0.ip=198.19.2.3/32"), 0) << Err();
	EXPECT_EQ(c_.port[0].ip, 0xc6130203u);
	EXPECT_EQ(c_.port[0].prefix, 32u);
}

TEST_F(Config, IpWithoutPrefixNeedsAPrefix)
{
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.0.1\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port0:ip: \"198.18.0.1\" needs a prefix length (a.b.c.d/N)");
}

TEST_F(Config, IpPrefix33IsOutOfRange)
{
	EXPECT_EQ(Set("port0.ip=198.18.0.1/33"), -1);
	EXPECT_EQ(Err(), "--set:port0:ip: \"198.18.0.1/33\" has prefix length 33, out of range "
			 "1..32");
	EXPECT_EQ(Set("port0.ip=198.18.0.1/0"), -1);
	EXPECT_EQ(Err(), "--set:port0:ip: \"198.18.0.1/0\" has prefix length 0, out of range "
			 "1..32");
}

TEST_F(Config, IpPrefixNotANumber)
{
	EXPECT_EQ(Set("port0.ip=198.18.0.1/x"), -1);
	EXPECT_EQ(Err(), "--set:port0:ip: \"198.18.0.1/x\" has a prefix length that is not a "
			 "number");
}

TEST_F(Config, IpBadAddressIsRefused)
{
	EXPECT_EQ(Set("port0.ip=300.1.1.1/24"), -1);
	EXPECT_EQ(Err(), "--set:port0:ip: \"300.1.1.1/24\" is not an IPv4 address with prefix "
			 "(a.b.c.d/N)");
	EXPECT_EQ(Set("port0.ip=host"), -1);
	EXPECT_EQ(Err(), "--set:port0:ip: \"host\" is not an IPv4 address with prefix (a.b.c.d/N)");
}

TEST_F(Config, IpZeroIsNotAHostAddress)
{
	EXPECT_EQ(Set("port0.ip=0.0.0.0/8"), -1);
	EXPECT_EQ(Err(), "--set:port0:ip: \"0.0.0.0/8\" is not a usable host address");
	EXPECT_EQ(Set("port0.ip=224.0.0.1/24"), -1);
	EXPECT_EQ(Err(), "--set:port0:ip: \"224.0.0.1/24\" is not a usable host address");
}

TEST_F(Config, GatewayParses)
{
	ASSERT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.0.2/24\ngateway = 198.18.0.1\n"), 0)
		<< Err();
	EXPECT_EQ(c_.port[0].gateway, 0xc6120001u);
}

TEST_F(Config, GatewayNotAnAddress)
{
	EXPECT_EQ(Set("port0.gateway=router"), -1);
	EXPECT_EQ(Err(), "--set:port0:gateway: \"router\" is not an IPv4 address (a.b.c.d)");
}

TEST_F(Config, GatewayOutsideSubnetIsRefused)
{
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.0.2/24\ngateway = 198.19.0.1\n"),
		  -1);
	EXPECT_EQ(Err(), "cfg.ini:port0:gateway: 198.19.0.1 is outside 198.18.0.0/24 (port0.ip)");
}

TEST_F(Config, GatewayWithoutIpIsRefused)
{
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\ngateway = 198.18.0.1\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port0:gateway: 198.18.0.1 given without ip (the gateway must "
			 "lie inside ip/N)");
}

TEST_F(Config, GatewayEqualToOwnAddressIsRefused)
{
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.0.2/24\ngateway = 198.18.0.2\n"),
		  -1);
	EXPECT_EQ(Err(), "cfg.ini:port0:gateway: 198.18.0.2 is the port's own address");
}

TEST_F(Config, IpCountParses)
{
	ASSERT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.0.10/24\nip_count = 200\n"
		       "gateway = 198.18.0.1\n"),
		  0)
		<< Err();
	EXPECT_EQ(c_.port[0].ip_count, 200u);
	/* up to the last host address of the subnet */
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.0.1/24\nip_count = 254\n"), 0)
		<< Err();
	/* a /16 holds more than one /24 */
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.1.0/16\nip_count = 65535\n"), -1);
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.1.0/16\nip_count = 1000\n"), 0)
		<< Err();
}

TEST_F(Config, IpCountOutOfRange)
{
	EXPECT_EQ(Set("port0.ip_count=0"), -1);
	EXPECT_EQ(Err(), "--set:port0:ip_count: 0 is out of range 1..65536");
	EXPECT_EQ(Set("port0.ip_count=65537"), -1);
	EXPECT_EQ(Set("port0.ip_count=four"), -1);
}

TEST_F(Config, IpCountLeavingTheSubnetIsRefused)
{
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.0.200/24\nip_count = 100\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port0:ip_count: 100 addresses from 198.18.0.200 leave "
			 "198.18.0.0/24 (the last usable one is 198.18.0.254)");
	/* the broadcast address is not one */
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.0.200/24\nip_count = 56\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port0:ip_count: 56 addresses from 198.18.0.200 leave "
			 "198.18.0.0/24 (the last usable one is 198.18.0.254)");
}

TEST_F(Config, Ip6ParsesWithItsRange)
{
	ASSERT_EQ(Load("[port0]\ndev = net_ring:t\nip6 = 2001:2::10/64\nip6_count = 300\n"), 0)
		<< Err();
	EXPECT_EQ(c_.port[0].prefix6, 64u);
	EXPECT_EQ(c_.port[0].ip6_count, 300u);
	EXPECT_EQ(c_.port[0].ip6[0], 0x20);
	EXPECT_EQ(c_.port[0].ip6[15], 0x10);
	/* dual stack, IPv6 only on a server port */
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.0.2/24\nip6 = 2001:2::2/64\n"), 0)
		<< Err();
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip6 = 2001:2::2/128\n"), 0) << Err();
}

TEST_F(Config, Ip6BadValuesNameWhatIsWrong)
{
	EXPECT_EQ(Set("port0.ip6=2001:2::2"), -1);
	EXPECT_EQ(Err(), "--set:port0:ip6: \"2001:2::2\" is not an IPv6 address with prefix "
			 "(2001:2::2/64)");
	EXPECT_EQ(Set("port0.ip6=2001:2::2/129"), -1);
	EXPECT_EQ(Err(), "--set:port0:ip6: \"2001:2::2/129\" has prefix length 129, not a "
			 "number in 1..128");
	EXPECT_EQ(Set("port0.ip6=198.18.0.1/24"), -1);
	for (const char *bad : {"port0.ip6=ff02::1/64", "port0.ip6=fe80::1/64", "port0.ip6=::1/128",
				"port0.ip6=::/64"}) {
		EXPECT_EQ(Set(bad), -1) << bad;
		EXPECT_NE(Err().find("is not a usable unicast address"), std::string::npos)
			<< Err();
	}
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip6 = 2001:2::ffff:ff00/120\nip6_count = "
		       "257\n"),
		  -1);
	EXPECT_EQ(Err(), "cfg.ini:port0:ip6_count: 257 addresses from 2001:2::ffff:ff00 leave "
			 "2001:2::ffff:ff00/120");
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip6 = 2001:2::ffff:ff00/120\nip6_count = "
		       "256\n"),
		  0)
		<< Err();
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip6_count = 2\n"), -1);
	EXPECT_EQ(Err(),
		  "cfg.ini:port0:ip6_count: 2 given without ip6 (the addresses start at ip6)");
}

TEST_F(Config, IpCountOverTheGatewayIsRefused)
{
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip = 198.18.0.2/24\nip_count = 10\n"
		       "gateway = 198.18.0.5\n"),
		  -1);
	EXPECT_EQ(Err(), "cfg.ini:port0:ip_count: the 10 addresses 198.18.0.2-198.18.0.11 include "
			 "the gateway 198.18.0.5");
}

TEST_F(Config, IpCountWithoutIpIsRefused)
{
	EXPECT_EQ(Load("[port0]\ndev = net_ring:t\nip_count = 4\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port0:ip_count: 4 given without ip (the addresses start at ip)");
}

TEST_F(Config, IpCountOverTheServerPortIsRefused)
{
	EXPECT_EQ(Load("[run]\nmode = both\n[port0]\ndev = net_ring:t\nip = 198.18.0.1/24\n"
		       "ip_count = 4\n[port1]\ndev = net_ring:t\nip = 198.18.0.3/24\n"
		       "[client]\ntarget = 198.18.0.3:80\n"),
		  -1);
	EXPECT_EQ(Err(), "cfg.ini:port1:ip: 198.18.0.3 is one of port0's 4 addresses "
			 "(port0.ip_count)");
}

TEST_F(Config, QueuesParses)
{
	ASSERT_EQ(Load("[port0]\ndev = net_ring:t\nqueues = 4\n"), 0) << Err();
	EXPECT_EQ(c_.port[0].queues, 4u);
}

TEST_F(Config, Queues65IsOutOfRange)
{
	EXPECT_EQ(Set("port0.queues=65"), -1);
	EXPECT_EQ(Err(), "--set:port0:queues: 65 is out of range 0..64");
}

TEST_F(Config, DispatchDefaultsToAuto)
{
	ASSERT_EQ(Load("[port0]\ndev = net_ring:t\n"), 0) << Err();
	EXPECT_EQ(c_.port[0].dispatch, CFG_DISPATCH_AUTO);
}

TEST_F(Config, DispatchParses)
{
	ASSERT_EQ(Load("[port0]\ndev = net_ring:t\ndispatch = software\n[port1]\ndev = "
		       "net_ring:t\ndispatch = rss\n"),
		  0)
		<< Err();
	EXPECT_EQ(c_.port[0].dispatch, CFG_DISPATCH_SOFTWARE);
	EXPECT_EQ(c_.port[1].dispatch, CFG_DISPATCH_RSS);
}

TEST_F(Config, DispatchUnknownIsRefused)
{
	EXPECT_EQ(Set("port0.dispatch=hash"), -1);
	EXPECT_EQ(Err(), "--set:port0:dispatch: \"hash\" is not one of auto, rss, software");
}

TEST_F(Config, MtuParses)
{
	ASSERT_EQ(Load("[port0]\ndev = net_ring:t\nmtu = 9000\n"), 0) << Err();
	EXPECT_EQ(c_.port[0].mtu, 9000u);
}

TEST_F(Config, Mtu67IsOutOfRange)
{
	EXPECT_EQ(Set("port0.mtu=67"), -1);
	EXPECT_EQ(Err(), "--set:port0:mtu: 67 is out of range 68..9000");
}

TEST_F(Config, RxdParses)
{
	ASSERT_EQ(Load("[port0]\ndev = net_ring:t\nrxd = 4096\n"), 0) << Err();
	EXPECT_EQ(c_.port[0].rxd, 4096u);
}

TEST_F(Config, Rxd100IsNotAPowerOfTwo)
{
	EXPECT_EQ(Set("port0.rxd=100"), -1);
	EXPECT_EQ(Err(), "--set:port0:rxd: 100 is not a power of two (64..16384)");
}

TEST_F(Config, Rxd32IsOutOfRange)
{
	EXPECT_EQ(Set("port0.rxd=32"), -1);
	EXPECT_EQ(Err(), "--set:port0:rxd: 32 is out of range 64..16384");
}

TEST_F(Config, TxdParses)
{
	ASSERT_EQ(Load("[port0]\ndev = net_ring:t\ntxd = 64\n"), 0) << Err();
	EXPECT_EQ(c_.port[0].txd, 64u);
}

TEST_F(Config, Txd32768IsOutOfRange)
{
	EXPECT_EQ(Set("port0.txd=32768"), -1);
	EXPECT_EQ(Err(), "--set:port0:txd: 32768 is out of range 64..16384");
}

TEST_F(Config, PortKeysApplyToTheirOwnSection)
{
	ASSERT_EQ(Load("[port0]\ndev = net_ring:a\nmtu = 1400\n[port1]\ndev = 3b:00.0\n"
		       "rxd = 512\n"),
		  0)
		<< Err();
	EXPECT_EQ(c_.nb_ports, 2u);
	EXPECT_EQ(c_.port[0].mtu, 1400u);
	EXPECT_EQ(c_.port[0].rxd, 1024u);
	EXPECT_EQ(c_.port[1].mtu, 1500u);
	EXPECT_EQ(c_.port[1].rxd, 512u);
	EXPECT_STREQ(c_.port[1].dev, "3b:00.0");
}

TEST_F(Config, Port7IsTheLastPort)
{
	std::string text;

	for (int i = 0; i < CFG_MAX_PORTS; i++)
		text += "[port" + std::to_string(i) + "]\ndev = net_ring:p" + std::to_string(i) +
			"\n";
	ASSERT_EQ(Load(text), 0) << Err();
	EXPECT_EQ(c_.nb_ports, CFG_MAX_PORTS);
	EXPECT_STREQ(c_.port[7].dev, "net_ring:p7");
}

TEST_F(Config, Port8IsAnUnknownSection)
{
	EXPECT_EQ(Load(std::string(kServer) + "[port8]\ndev = net_ring:x\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port8: unknown section (ports are [port0]..[port7])");
}

TEST_F(Config, PortWithLeadingZeroIsAnUnknownSection)
{
	EXPECT_EQ(Load("[port01]\ndev = net_ring:x\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port01: unknown section");
}

/* ---- [pool] ---- */

TEST_F(Config, MbufsParses)
{
	ASSERT_EQ(Load(std::string(kServer) + "[pool]\nmbufs = 1024\n"), 0) << Err();
	EXPECT_EQ(c_.pool.mbufs, 1024u);
	ASSERT_EQ(Set("pool.mbufs=16777216"), 0) << Err();
	EXPECT_EQ(c_.pool.mbufs, 16777216u);
}

TEST_F(Config, Mbufs1000IsOutOfRange)
{
	EXPECT_EQ(Set("pool.mbufs=1000"), -1);
	EXPECT_EQ(Err(), "--set:pool:mbufs: 1000 is out of range 1024..16777216");
}

TEST_F(Config, MbufsSuffixIsNotANumber)
{
	EXPECT_EQ(Set("pool.mbufs=16k"), -1);
	EXPECT_EQ(Err(), "--set:pool:mbufs: \"16k\" is not a number");
}

TEST_F(Config, MbufCacheParses)
{
	ASSERT_EQ(Load(std::string(kServer) + "[pool]\nmbuf_cache = 0\n"), 0) << Err();
	EXPECT_EQ(c_.pool.mbuf_cache, 0u);
}

TEST_F(Config, MbufCache513IsOutOfRange)
{
	EXPECT_EQ(Set("pool.mbuf_cache=513"), -1);
	EXPECT_EQ(Err(), "--set:pool:mbuf_cache: 513 is out of range 0..512");
}

TEST_F(Config, NeighMaxParses)
{
	ASSERT_EQ(Load(std::string(kServer) + "[pool]\nneigh_max = 1048576\n"), 0) << Err();
	EXPECT_EQ(c_.pool.neigh_max, 1048576u);
}

TEST_F(Config, NeighMax15IsOutOfRange)
{
	EXPECT_EQ(Set("pool.neigh_max=15"), -1);
	EXPECT_EQ(Err(), "--set:pool:neigh_max: 15 is out of range 16..1048576");
}

TEST_F(Config, ArpRetriesParses)
{
	ASSERT_EQ(Load(std::string(kServer) + "[pool]\narp_retries = 100\n"), 0) << Err();
	EXPECT_EQ(c_.pool.arp_retries, 100u);
}

TEST_F(Config, ArpRetriesZeroIsOutOfRange)
{
	EXPECT_EQ(Set("pool.arp_retries=0"), -1);
	EXPECT_EQ(Err(), "--set:pool:arp_retries: 0 is out of range 1..100");
}

TEST_F(Config, ArpTimeoutParses)
{
	ASSERT_EQ(Load(std::string(kServer) + "[pool]\narp_timeout = 60s\n"), 0) << Err();
	EXPECT_EQ(c_.pool.arp_timeout_ms, 60000u);
	ASSERT_EQ(Set("pool.arp_timeout=10ms"), 0) << Err();
	EXPECT_EQ(c_.pool.arp_timeout_ms, 10u);
}

TEST_F(Config, ArpTimeout5msIsOutOfRange)
{
	EXPECT_EQ(Set("pool.arp_timeout=5ms"), -1);
	EXPECT_EQ(Err(), "--set:pool:arp_timeout: 5ms is out of range 10ms..1m");
}

/* ---- [server] ---- */

TEST_F(Config, ListenParsesCommaAndSpaceLists)
{
	ASSERT_EQ(Load(std::string(kServer) + "[server]\nlisten = 80, 8080 443\n"), 0) << Err();
	ASSERT_EQ(c_.server.nb_listen, 3u);
	EXPECT_EQ(c_.server.listen[0], 80u);
	EXPECT_EQ(c_.server.listen[1], 8080u);
	EXPECT_EQ(c_.server.listen[2], 443u);
	ASSERT_EQ(Set("server.listen=65535"), 0) << Err();
	ASSERT_EQ(c_.server.nb_listen, 1u);
	EXPECT_EQ(c_.server.listen[0], 65535u);
}

TEST_F(Config, ListenEmptyMeansNone)
{
	ASSERT_EQ(Set("server.listen="), 0) << Err();
	EXPECT_EQ(c_.server.nb_listen, 0u);
}

TEST_F(Config, ListenZeroIsOutOfRange)
{
	EXPECT_EQ(Load(std::string(kServer) + "[server]\nlisten = 80, 0\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:server:listen: 0 is out of range 1..65535");
}

TEST_F(Config, ListenHttpIsNotANumber)
{
	EXPECT_EQ(Set("server.listen=http"), -1);
	EXPECT_EQ(Err(), "--set:server:listen: \"http\" is not a number");
}

TEST_F(Config, ListenDuplicateIsRefused)
{
	EXPECT_EQ(Set("server.listen=80 8080 80"), -1);
	EXPECT_EQ(Err(), "--set:server:listen: 80 is listed twice");
}

TEST_F(Config, ListenSeventeenPortsAreTooMany)
{
	std::string v;

	for (int i = 1; i <= CFG_MAX_LISTEN + 1; i++)
		v += std::to_string(i) + ",";
	EXPECT_EQ(Set("server.listen=" + v), -1);
	EXPECT_EQ(Err(), "--set:server:listen: 17 ports given, at most 16");
}

TEST_F(Config, BodySizeParsesSuffixes)
{
	ASSERT_EQ(Load(std::string(kServer) + "[server]\nbody_size = 4k\n"), 0) << Err();
	EXPECT_EQ(c_.server.body_size, 4096u);
	ASSERT_EQ(Set("server.body_size=2M"), 0) << Err();
	EXPECT_EQ(c_.server.body_size, 2u << 20);
	ASSERT_EQ(Set("server.body_size=1g"), 0) << Err();
	EXPECT_EQ(c_.server.body_size, 1u << 30);
	ASSERT_EQ(Set("server.body_size=0"), 0) << Err();
	EXPECT_EQ(c_.server.body_size, 0u);
}

TEST_F(Config, BodySize2gIsOutOfRange)
{
	EXPECT_EQ(Set("server.body_size=2g"), -1);
	EXPECT_EQ(Err(), "--set:server:body_size: 2g is out of range 0..1g");
}

TEST_F(Config, BodySizeUnknownSuffixIsNotASize)
{
	EXPECT_EQ(Set("server.body_size=64x"), -1);
	EXPECT_EQ(Err(), "--set:server:body_size: \"64x\" is not a size (bytes, or with suffix k, "
			 "m, g)");
	EXPECT_EQ(Set("server.body_size=4kb"), -1);
	EXPECT_EQ(Err(), "--set:server:body_size: \"4kb\" is not a size (bytes, or with suffix k, "
			 "m, g)");
}

TEST_F(Config, GzipParses)
{
	ASSERT_EQ(Load(std::string(kServer) + "[server]\ngzip = on\n"), 0) << Err();
	EXPECT_TRUE(c_.server.gzip);
}

TEST_F(Config, GzipMaybeIsNotABoolean)
{
	EXPECT_EQ(Set("server.gzip=2"), -1);
	EXPECT_EQ(Err(), "--set:server:gzip: \"2\" is not a boolean (on/off, yes/no, true/false, "
			 "1/0)");
}

/* ---- [client] ---- */

TEST_F(Config, ModelParsesEveryName)
{
	const char *names[] = {"ping", "cps", "cc", "rps", "throughput", "udp"};

	for (int i = 0; i < 6; i++) {
		ASSERT_EQ(Set(std::string("client.model=") + names[i]), 0) << Err();
		EXPECT_EQ(c_.client.model, (enum cfg_model)i);
	}
	ASSERT_EQ(Load(std::string(kClient) + "model = cps\n"), 0) << Err();
	EXPECT_EQ(c_.client.model, CFG_MODEL_CPS);
}

TEST_F(Config, ModelTcpIsNotAModel)
{
	EXPECT_EQ(Set("client.model=tcp"), -1);
	EXPECT_EQ(Err(), "--set:client:model: \"tcp\" is not one of ping, cps, cc, rps, "
			 "throughput, udp, iperf");
}

TEST_F(Config, TargetParsesListWithPorts)
{
	ASSERT_EQ(Load(std::string(kServer) +
		       "[client]\ntarget = 198.18.0.2, 198.18.0.3:8080 198.19.0.1:1\n"),
		  0)
		<< Err();
	ASSERT_EQ(c_.client.nb_target, 3u);
	EXPECT_EQ(c_.client.target[0].ip, 0xc6120002u);
	EXPECT_EQ(c_.client.target[0].port, 80u);
	EXPECT_EQ(c_.client.target[1].ip, 0xc6120003u);
	EXPECT_EQ(c_.client.target[1].port, 8080u);
	EXPECT_EQ(c_.client.target[2].ip, 0xc6130001u);
	EXPECT_EQ(c_.client.target[2].port, 1u);
}

TEST_F(Config, TargetNotAnAddress)
{
	EXPECT_EQ(Set("client.target=example.com"), -1);
	EXPECT_EQ(Err(), "--set:client:target: \"example.com\" is not an IPv4 address (a.b.c.d or "
			 "a.b.c.d:port)");
}

TEST_F(Config, TargetPortZeroIsOutOfRange)
{
	EXPECT_EQ(Set("client.target=198.18.0.2:0"), -1);
	EXPECT_EQ(Err(), "--set:client:target: \"198.18.0.2:0\" has port 0, out of range 1..65535");
}

TEST_F(Config, TargetPortNotANumber)
{
	EXPECT_EQ(Set("client.target=198.18.0.2:http"), -1);
	EXPECT_EQ(Err(), "--set:client:target: \"198.18.0.2:http\" has a port that is not a "
			 "number");
}

TEST_F(Config, TargetBroadcastIsNotAHostAddress)
{
	EXPECT_EQ(Set("client.target=255.255.255.255"), -1);
	EXPECT_EQ(Err(), "--set:client:target: \"255.255.255.255\" is not a usable host address");
}

TEST_F(Config, TargetSeventeenAreTooMany)
{
	std::string v;

	for (int i = 1; i <= CFG_MAX_TARGETS + 1; i++)
		v += "198.19.0." + std::to_string(i) + " ";
	EXPECT_EQ(Set("client.target=" + v), -1);
	EXPECT_EQ(Err(), "--set:client:target: 17 targets given, at most 16");
}

TEST_F(Config, RateParsesSuffixes)
{
	ASSERT_EQ(Load(std::string(kClient) + "rate = 10k\n"), 0) << Err();
	EXPECT_EQ(c_.client.rate, 10000u);
	ASSERT_EQ(Set("client.rate=2M"), 0) << Err();
	EXPECT_EQ(c_.client.rate, 2000000u);
	ASSERT_EQ(Set("client.rate=123"), 0) << Err();
	EXPECT_EQ(c_.client.rate, 123u);
}

TEST_F(Config, RateNegativeIsNotANumber)
{
	EXPECT_EQ(Set("client.rate=-5"), -1);
	EXPECT_EQ(Err(), "--set:client:rate: \"-5\" is not a number (suffixes k, m allowed)");
	EXPECT_EQ(Set("client.rate=1g"), -1);
	EXPECT_EQ(Err(), "--set:client:rate: \"1g\" is not a number (suffixes k, m allowed)");
}

TEST_F(Config, RateOverflowIsTooLarge)
{
	EXPECT_EQ(Set("client.rate=18446744073709551615k"), -1);
	EXPECT_EQ(Err(), "--set:client:rate: 18446744073709551615k is too large");
}

TEST_F(Config, ConcurrencyParses)
{
	ASSERT_EQ(Load(std::string(kClient) + "concurrency = 100000000\n"), 0) << Err();
	EXPECT_EQ(c_.client.concurrency, 100000000u);
}

TEST_F(Config, ConcurrencyZeroIsOutOfRange)
{
	EXPECT_EQ(Set("client.concurrency=0"), -1);
	EXPECT_EQ(Err(), "--set:client:concurrency: 0 is out of range 1..100000000");
}

TEST_F(Config, PayloadParses)
{
	ASSERT_EQ(Load(std::string(kClient) + "payload = 9000\n"), 0) << Err();
	EXPECT_EQ(c_.client.payload, 9000u);
	ASSERT_EQ(Set("client.payload=0"), 0) << Err();
	EXPECT_EQ(c_.client.payload, 0u);
}

TEST_F(Config, Payload9001IsOutOfRange)
{
	EXPECT_EQ(Set("client.payload=9001"), -1);
	EXPECT_EQ(Err(), "--set:client:payload: 9001 is out of range 0..9000");
}

TEST_F(Config, BurstParses)
{
	ASSERT_EQ(Load(std::string(kClient) + "burst = 512\n"), 0) << Err();
	EXPECT_EQ(c_.client.burst, 512u);
}

TEST_F(Config, Burst513IsOutOfRange)
{
	EXPECT_EQ(Set("client.burst=513"), -1);
	EXPECT_EQ(Err(), "--set:client:burst: 513 is out of range 1..512");
}

TEST_F(Config, CountParsesSuffixes)
{
	ASSERT_EQ(Load(std::string(kClient) + "count = 1m\n"), 0) << Err();
	EXPECT_EQ(c_.client.count, 1000000u);
	ASSERT_EQ(Set("client.count=5K"), 0) << Err();
	EXPECT_EQ(c_.client.count, 5000u);
}

TEST_F(Config, CountAbcIsNotANumber)
{
	EXPECT_EQ(Set("client.count=abc"), -1);
	EXPECT_EQ(Err(), "--set:client:count: \"abc\" is not a number (suffixes k, m allowed)");
}

/* ---- cross-key checks ---- */

TEST_F(Config, PortGapIsRefused)
{
	EXPECT_EQ(Load("[port0]\ndev = net_ring:a\n[port2]\ndev = net_ring:b\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port2: section without [port1] (ports must be numbered without "
			 "gaps)");
}

TEST_F(Config, Port1WithoutPort0IsRefused)
{
	EXPECT_EQ(Load("[port1]\ndev = net_ring:b\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port1: section without [port0] (ports must be numbered without "
			 "gaps)");
}

TEST_F(Config, PortWithoutDevIsRefused)
{
	EXPECT_EQ(Load("[port0]\ndev = net_ring:a\n[port1]\nmtu = 1400\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port1:dev: missing (every [portN] needs dev)");
}

TEST_F(Config, EmptyPortSectionNeedsDev)
{
	EXPECT_EQ(Load("[port0]\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port0:dev: missing (every [portN] needs dev)");
}

TEST_F(Config, ServerWithoutPortIsRefused)
{
	EXPECT_EQ(Load("[run]\nmode = server\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port0: missing (mode server needs at least one port)");
}

TEST_F(Config, ClientWithoutPortIsRefused)
{
	EXPECT_EQ(Load("[run]\nmode = client\n[client]\ntarget = 198.18.0.2\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:port0: missing (mode client needs at least one port)");
}

TEST_F(Config, BothWithOnePortIsRefused)
{
	EXPECT_EQ(Load("[run]\nmode = both\n[port0]\ndev = net_ring:a\nip = 198.18.0.1/24\n"
		       "[client]\ntarget = 198.18.0.2\n"),
		  -1);
	EXPECT_EQ(Err(), "cfg.ini:port1: missing (mode both needs [port0] for the client and "
			 "[port1] for the server)");
}

TEST_F(Config, ClientWithoutIpIsRefused)
{
	EXPECT_EQ(Load("[run]\nmode = client\n[port0]\ndev = net_ring:a\n[client]\n"
		       "target = 198.18.0.2\n"),
		  -1);
	EXPECT_EQ(Err(), "cfg.ini:port0:ip: missing (mode client needs an address on the client "
			 "port)");
}

TEST_F(Config, BothWithoutServerIpIsRefused)
{
	EXPECT_EQ(Load("[run]\nmode = both\n[port0]\ndev = net_ring:a\nip = 198.18.0.1/24\n"
		       "[port1]\ndev = net_ring:a\n[client]\ntarget = 198.18.0.2\n"),
		  -1);
	EXPECT_EQ(Err(), "cfg.ini:port1:ip: missing (mode both needs an address on the server "
			 "port)");
}

TEST_F(Config, ClientWithoutTargetIsRefused)
{
	EXPECT_EQ(Load("[run]\nmode = client\n[port0]\ndev = net_ring:a\nip = 198.18.0.1/24\n"),
		  -1);
	EXPECT_EQ(Err(), "cfg.ini:client:target: missing (mode client, model ping needs at least "
			 "one target)");
}

TEST_F(Config, BothWithOddLcoresIsRefused)
{
	const std::string both = "[run]\nmode = both\n"
				 "[port0]\ndev = net_ring:a\nip = 198.18.0.1/24\n"
				 "[port1]\ndev = net_ring:a\nip = 198.18.0.2/24\n"
				 "[client]\ntarget = 198.18.0.2\n";

	ASSERT_EQ(Load(both), 0) << Err();
	ASSERT_EQ(Load(both + "[run]\nlcores = 1\n", "both1.ini"), 0) << Err();
	ASSERT_EQ(Load(both + "[run]\nlcores = 4\n", "both4.ini"), 0) << Err();
	EXPECT_EQ(Load(both + "[run]\nlcores = 3\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:run:lcores: 3 must be even in mode both (half client, half "
			 "server workers)");
}

TEST_F(Config, ServerNeedsNoTargetNorIp)
{
	ASSERT_EQ(Load(kServer), 0) << Err();
	EXPECT_EQ(c_.client.nb_target, 0u);
	EXPECT_EQ(c_.port[0].ip, 0u);
}

TEST_F(Config, ValidateOnDefaultsNamesTheDefaults)
{
	EXPECT_EQ(cfg_validate(&c_, err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(), "(defaults):port0: missing (mode server needs at least one port)");
}

/* ---- file-level errors ---- */

TEST_F(Config, MissingFileCannotBeRead)
{
	EXPECT_EQ(cfg_load(&c_, "no/such/cfg.ini", err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(), "no/such/cfg.ini: cannot read (No such file or directory)");
}

TEST_F(Config, LineWithoutEqualsCannotBeParsed)
{
	EXPECT_EQ(Load("[run]\nmode = server\nlcores 4\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini: cannot parse (line 3: expected key = value)");
}

TEST_F(Config, KeyBeforeSectionCannotBeParsed)
{
	EXPECT_EQ(Load("; comment\nmode = server\n[run]\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini: cannot parse (line 2: key before any [section])");
}

TEST_F(Config, UnclosedSectionCannotBeParsed)
{
	EXPECT_EQ(Load("[run\nmode = server\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini: cannot parse (line 1: section header without ']')");
}

TEST_F(Config, ValueWithoutKeyCannotBeParsed)
{
	EXPECT_EQ(Load("[run]\n = server\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini: cannot parse (line 2: value without a key)");
}

TEST_F(Config, OverlongLineCannotBeParsed)
{
	EXPECT_EQ(Load("[port0]\ndev = net_tap0,iface=" + std::string(400, 'x') + "\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini: cannot parse (line 2 is too long)");
}

TEST_F(Config, LongestDevFits)
{
	std::string dev = "net_tap0,iface=" + std::string(CFG_DEV_LEN - 1 - 15, 'x');

	ASSERT_EQ(Load("[port0]\ndev = " + dev + "\n"), 0) << Err();
	EXPECT_EQ(std::string(c_.port[0].dev), dev);
	EXPECT_EQ(Set("port0.dev=" + dev + "y"), -1);
	EXPECT_EQ(Err(), "--set:port0:dev: value is 256 characters long, at most 255");
}

TEST_F(Config, UnknownKeyIsRefused)
{
	EXPECT_EQ(Load(std::string(kServer) + "[run]\ncolour = blue\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:run:colour: unknown key (see synack --help-config)");
}

TEST_F(Config, PortKeyInGlobalSectionIsUnknown)
{
	EXPECT_EQ(Load(std::string(kServer) + "[run]\ndev = net_ring:x\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:run:dev: unknown key (see synack --help-config)");
}

TEST_F(Config, UnknownSectionIsRefused)
{
	EXPECT_EQ(Load(std::string(kServer) + "[foo]\nbar = 1\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:foo: unknown section");
}

TEST_F(Config, LiteralPortNSectionIsUnknown)
{
	EXPECT_EQ(Load("[portN]\ndev = net_ring:x\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:portN: unknown section");
}

TEST_F(Config, KeyGivenTwiceIsRefused)
{
	EXPECT_EQ(Load(std::string(kServer) + "[run]\nlcores = 2\n[server]\ngzip = on\n"
					      "[run]\nlcores = 4\n"),
		  -1);
	EXPECT_EQ(Err(), "cfg.ini:run:lcores: given twice");
}

TEST_F(Config, CommentsAnywhereOnALineAreIgnored)
{
	ASSERT_EQ(Load("; head\n[run] ; run section\nlcores = 2 ; two\n"
		       "[port0]\ndev = net_ring:x;no space before the comment\n"),
		  0)
		<< Err();
	EXPECT_EQ(c_.run.lcores, 2u);
	EXPECT_STREQ(c_.port[0].dev, "net_ring:x");
}

TEST_F(Config, LoadStartsFromDefaults)
{
	ASSERT_EQ(Set("run.lcores=4"), 0) << Err();
	ASSERT_EQ(Load(kServer), 0) << Err();
	EXPECT_EQ(c_.run.lcores, 1u);
}

/* ---- --set ---- */

TEST_F(Config, SetOverridesTheFile)
{
	ASSERT_EQ(Load(std::string(kServer) + "[run]\nlcores = 2\n"), 0) << Err();
	ASSERT_EQ(cfg_set(&c_, "run.lcores = 4", err_, sizeof(err_)), 0) << Err();
	EXPECT_EQ(c_.run.lcores, 4u);
}

TEST_F(Config, SetValueMayContainEquals)
{
	ASSERT_EQ(Load(kServer), 0) << Err();
	ASSERT_EQ(cfg_set(&c_, "port0.dev=net_af_xdp0,iface=veth0", err_, sizeof(err_)), 0)
		<< Err();
	EXPECT_STREQ(c_.port[0].dev, "net_af_xdp0,iface=veth0");
}

TEST_F(Config, SetCreatesAPort)
{
	ASSERT_EQ(Load(kServer), 0) << Err();
	ASSERT_EQ(cfg_set(&c_, "port1.dev=net_ring:t", err_, sizeof(err_)), 0) << Err();
	EXPECT_TRUE(c_.port[1].present);
	EXPECT_EQ(c_.nb_ports, 2u);
}

TEST_F(Config, SetPortWithGapIsRefused)
{
	ASSERT_EQ(Load(kServer), 0) << Err();
	EXPECT_EQ(cfg_set(&c_, "port2.dev=net_ring:t", err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(), "--set:port2: section without [port1] (ports must be numbered without "
			 "gaps)");
}

TEST_F(Config, SetPortKeyWithoutDevIsRefused)
{
	ASSERT_EQ(Load(kServer), 0) << Err();
	EXPECT_EQ(cfg_set(&c_, "port1.mtu=1400", err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(), "--set:port1:dev: missing (every [portN] needs dev)");
}

TEST_F(Config, SetModeBothNamesSetAsTheCause)
{
	ASSERT_EQ(Load(std::string(kServer) + "ip = 198.18.0.1/24\n[client]\ntarget = "
					      "198.18.0.2\n"),
		  0)
		<< Err();
	EXPECT_EQ(cfg_set(&c_, "run.mode=both", err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(), "--set:port1: missing (mode both needs [port0] for the client and "
			 "[port1] for the server)");
}

TEST_F(Config, SetNovalidateThenValidateBuildsBoth)
{
	ASSERT_EQ(Load(kServer), 0) << Err();
	ASSERT_EQ(Set("run.mode=both"), 0) << Err();
	ASSERT_EQ(Set("port0.ip=198.18.0.1/24"), 0) << Err();
	ASSERT_EQ(Set("port1.dev=net_ring:t"), 0) << Err();
	ASSERT_EQ(Set("port1.ip=198.18.0.2/24"), 0) << Err();
	ASSERT_EQ(Set("client.target=198.18.0.2"), 0) << Err();
	ASSERT_EQ(Set("run.lcores=2"), 0) << Err();
	ASSERT_EQ(cfg_validate(&c_, err_, sizeof(err_)), 0) << Err();
	EXPECT_EQ(c_.run.mode, CFG_MODE_BOTH);
	EXPECT_EQ(c_.nb_ports, 2u);
}

TEST_F(Config, CrossKeyErrorNamesTheFileForFileKeys)
{
	ASSERT_EQ(Load(std::string(kServer) + "[run]\nlcores = 3\n"), 0) << Err();
	ASSERT_EQ(Set("run.mode=both"), 0) << Err();
	ASSERT_EQ(Set("port0.ip=198.18.0.1/24"), 0) << Err();
	ASSERT_EQ(Set("port1.dev=net_ring:t"), 0) << Err();
	ASSERT_EQ(Set("port1.ip=198.18.0.2/24"), 0) << Err();
	ASSERT_EQ(Set("client.target=198.18.0.2"), 0) << Err();
	EXPECT_EQ(cfg_validate(&c_, err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(), "cfg.ini:run:lcores: 3 must be even in mode both (half client, half "
			 "server workers)");
}

TEST_F(Config, SetGatewayOutsideNamesSet)
{
	ASSERT_EQ(Load(std::string(kServer) + "ip = 198.18.0.2/24\n"), 0) << Err();
	EXPECT_EQ(cfg_set(&c_, "port0.gateway=198.19.0.1", err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(), "--set:port0:gateway: 198.19.0.1 is outside 198.18.0.0/24 (port0.ip)");
}

TEST_F(Config, SetWithoutEqualsIsRefused)
{
	EXPECT_EQ(Set("run.lcores"), -1);
	EXPECT_EQ(Err(), "--set: \"run.lcores\" is not section.key=value");
}

TEST_F(Config, SetWithoutDotIsRefused)
{
	EXPECT_EQ(Set("lcores=2"), -1);
	EXPECT_EQ(Err(), "--set: \"lcores=2\" is not section.key=value");
}

TEST_F(Config, SetUnknownSectionIsRefused)
{
	EXPECT_EQ(Set("foo.bar=1"), -1);
	EXPECT_EQ(Err(), "--set:foo: unknown section");
}

TEST_F(Config, SetUnknownKeyIsRefused)
{
	EXPECT_EQ(Set("run.colour=blue"), -1);
	EXPECT_EQ(Err(), "--set:run:colour: unknown key (see synack --help-config)");
}

TEST_F(Config, SetPort9IsRefused)
{
	EXPECT_EQ(Set("port9.dev=net_ring:x"), -1);
	EXPECT_EQ(Err(), "--set:port9: unknown section (ports are [port0]..[port7])");
}

TEST_F(Config, FailedSetLeavesPortAbsent)
{
	EXPECT_EQ(Set("port1.mtu=1"), -1);
	EXPECT_FALSE(c_.port[1].present);
	EXPECT_EQ(c_.nb_ports, 0u);
}

/* ---- help and docs ---- */

static std::string
HelpText(bool markdown)
{
	char *buf = nullptr;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cfg_print_help(f, markdown);
	fclose(f);
	std::string s(buf, len);
	free(buf);
	return s;
}

TEST_F(Config, PlainHelpHasOneLinePerKey)
{
	std::istringstream in(HelpText(false));
	std::vector<std::string> lines;
	std::string line;

	while (std::getline(in, line))
		lines.push_back(line);
	// one per key of the table: as many as the markdown's key rows (a fixed
	// number here would change with every key a branch adds)
	std::istringstream md(HelpText(true));
	size_t keys = 0;
	while (std::getline(md, line))
		keys += line.rfind("| `", 0) == 0;
	ASSERT_GE(keys, 88u);
	ASSERT_EQ(lines.size(), keys);
	EXPECT_EQ(lines[0].rfind("run.mode ", 0), 0u) << lines[0];
	EXPECT_NE(lines[0].find("= server "), std::string::npos) << lines[0];
	EXPECT_NE(lines[0].find("  ; server | client | both"), std::string::npos) << lines[0];
	for (const std::string &l : lines) {
		EXPECT_NE(l.find(" = "), std::string::npos) << l;
		EXPECT_NE(l.find("  ; "), std::string::npos) << l;
	}
	EXPECT_NE(HelpText(false).find("portN.dev"), std::string::npos);
	EXPECT_NE(HelpText(false).find("pool.arp_timeout"), std::string::npos);
}

TEST_F(Config, MarkdownHelpHasATablePerSection)
{
	std::string md = HelpText(true);

	EXPECT_EQ(md.rfind("# ", 0), 0u);
	EXPECT_NE(md.find("--set section.key=value"), std::string::npos);
	for (const char *h :
	     {"## [run]", "## [port0] .. [port7]", "## [pool]", "## [server]", "## [client]"})
		EXPECT_NE(md.find(h), std::string::npos) << h;
	EXPECT_NE(md.find("| `mode` | `server` | server \\| client \\| both"), std::string::npos);
}

TEST_F(Config, DocsConfigMdMatchesHelpConfig)
{
	std::ifstream in("docs/config.md", std::ios::binary);
	std::stringstream doc;

	ASSERT_TRUE(in.good()) << "docs/config.md not found (the test runs from the repository "
				  "root)";
	doc << in.rdbuf();
	EXPECT_TRUE(doc.str() == HelpText(true))
		<< "docs/config.md is out of date; regenerate with "
		   "`build/app/synack/synack --help-config --markdown > docs/config.md`";
}

/* ---- examples ---- */

TEST_F(Config, EveryExampleConfigLoads)
{
	DIR *d = opendir("config");
	struct dirent *e;
	int n = 0;

	ASSERT_NE(d, nullptr) << "config/ not found (the test runs from the repository root)";
	while ((e = readdir(d)) != nullptr) {
		std::string name = e->d_name;

		if (name.size() < 4 || name.compare(name.size() - 4, 4, ".ini") != 0)
			continue;
		std::string path = "config/" + name;
		struct cfg c;

		EXPECT_EQ(cfg_load(&c, path.c_str(), err_, sizeof(err_)), 0)
			<< path << ": " << Err();
		n++;
	}
	closedir(d);
	EXPECT_GE(n, 4);
}

TEST_F(Config, DemoIsTheDocumentedSelfTest)
{
	ASSERT_EQ(cfg_load(&c_, "config/demo.ini", err_, sizeof(err_)), 0) << Err();
	EXPECT_EQ(c_.run.mode, CFG_MODE_BOTH);
	EXPECT_EQ(c_.run.duration_ms, 10000u);
	EXPECT_EQ(c_.run.lcores, 1u);
	EXPECT_EQ(c_.nb_ports, 2u);
	EXPECT_STREQ(c_.port[0].dev, "net_ring:demo");
	EXPECT_STREQ(c_.port[1].dev, "net_ring:demo");
	EXPECT_EQ(c_.port[0].ip, 0xc6120001u);
	EXPECT_EQ(c_.port[1].ip, 0xc6120002u);
	EXPECT_EQ(c_.client.model, CFG_MODEL_CPS);
	EXPECT_EQ(c_.client.target[0].ip, 0xc6120002u);
	EXPECT_EQ(c_.client.target[0].port, 80u);
	EXPECT_EQ(c_.tcp.time_wait_ms, 0u);
}

} // namespace

/* ---- [server] extras and [tcp]: one valid and one invalid value per key ---- */

TEST_F(Config, ServerExtrasParse)
{
	ASSERT_EQ(Set("server.body_file=/tmp/body.html"), 0) << Err();
	EXPECT_STREQ(c_.server.body_file, "/tmp/body.html");
	ASSERT_EQ(Set("server.header=X-Test: 1"), 0) << Err();
	EXPECT_STREQ(c_.server.header, "X-Test: 1");
	ASSERT_EQ(Set("server.access_log=/tmp/access.log"), 0) << Err();
	EXPECT_STREQ(c_.server.access_log, "/tmp/access.log");
	ASSERT_EQ(Set("server.access_log_sample=100"), 0) << Err();
	EXPECT_EQ(c_.server.access_log_sample, 100u);
}

TEST_F(Config, AccessLogSampleZeroIsOutOfRange)
{
	EXPECT_EQ(Set("server.access_log_sample=0"), -1);
	EXPECT_EQ(Err(), "--set:server:access_log_sample: 0 is out of range 1..1000000");
}

TEST_F(Config, HeaderTooLongIsRefused)
{
	EXPECT_EQ(Set("server.header=" + std::string(300, 'a')), -1);
	EXPECT_EQ(Err(), "--set:server:header: value is 300 characters long, at most 255");
}

TEST_F(Config, TcpDefaults)
{
	EXPECT_EQ(c_.tcp.max_conns, 128u * 1024);
	EXPECT_EQ(c_.tcp.rcv_wnd, 256u * 1024);
	EXPECT_EQ(c_.tcp.time_wait_ms, 1000u);
	EXPECT_EQ(c_.tcp.delack_ms, 40u);
	EXPECT_EQ(c_.tcp.rto_min_ms, 200u);
	EXPECT_EQ(c_.tcp.rto_max_ms, 60000u);
	EXPECT_EQ(c_.tcp.syn_retries, 5u);
	EXPECT_EQ(c_.tcp.max_retries, 12u);
	EXPECT_EQ(c_.tcp.syn_backlog, 64u * 1024);
	EXPECT_EQ(c_.tcp.init_cwnd, 10u);
	EXPECT_EQ(c_.tcp.ooo_max, 16u);
	EXPECT_EQ(c_.tcp.zero_copy_min, 1024u);
	EXPECT_TRUE(c_.tcp.syncookies);
	EXPECT_TRUE(c_.tcp.wscale);
	EXPECT_TRUE(c_.tcp.sack);
	EXPECT_TRUE(c_.tcp.timestamps);
}

TEST_F(Config, TcpKeysParse)
{
	ASSERT_EQ(Load(std::string(kServer) +
		       "[tcp]\nmax_conns = 1m\nrcv_wnd = 64k\ntime_wait = 0\ndelack = 5ms\n"
		       "rto_min = 10ms\nrto_max = 2s\nsyn_retries = 0\nmax_retries = 3\n"
		       "syn_backlog = 16\ninit_cwnd = 4\nooo_max = 0\nzero_copy_min = 0\n"
		       "syncookies = off\n"
		       "wscale = no\nsack = false\ntimestamps = 0\n"),
		  0)
		<< Err();
	EXPECT_EQ(c_.tcp.max_conns, 1u << 20);
	EXPECT_EQ(c_.tcp.rcv_wnd, 65536u);
	EXPECT_EQ(c_.tcp.time_wait_ms, 0u);
	EXPECT_EQ(c_.tcp.delack_ms, 5u);
	EXPECT_EQ(c_.tcp.rto_min_ms, 10u);
	EXPECT_EQ(c_.tcp.rto_max_ms, 2000u);
	EXPECT_EQ(c_.tcp.syn_retries, 0u);
	EXPECT_EQ(c_.tcp.max_retries, 3u);
	EXPECT_EQ(c_.tcp.syn_backlog, 16u);
	EXPECT_EQ(c_.tcp.init_cwnd, 4u);
	EXPECT_EQ(c_.tcp.ooo_max, 0u);
	EXPECT_EQ(c_.tcp.zero_copy_min, 0u);
	EXPECT_FALSE(c_.tcp.syncookies);
	EXPECT_FALSE(c_.tcp.wscale);
	EXPECT_FALSE(c_.tcp.sack);
	EXPECT_FALSE(c_.tcp.timestamps);
}

TEST_F(Config, TcpBadValuesNameTheKey)
{
	const struct {
		const char *set, *err;
	} cases[] = {
		{"tcp.max_conns=32", "--set:tcp:max_conns: 32 is out of range 64..64m"},
		{"tcp.max_conns=abc",
		 "--set:tcp:max_conns: \"abc\" is not a size (bytes, or with suffix k, m, g)"},
		{"tcp.rcv_wnd=512", "--set:tcp:rcv_wnd: 512 is out of range 1k..1g"},
		{"tcp.time_wait=5m", "--set:tcp:time_wait: 5m is out of range 0..4m"},
		{"tcp.delack=0", "--set:tcp:delack: 0 is out of range 1ms..500ms"},
		{"tcp.rto_min=0ms", "--set:tcp:rto_min: 0ms is out of range 1ms..1m"},
		{"tcp.rto_max=500ms", "--set:tcp:rto_max: 500ms is out of range 1s..10m"},
		{"tcp.syn_retries=21", "--set:tcp:syn_retries: 21 is out of range 0..20"},
		{"tcp.max_retries=0", "--set:tcp:max_retries: 0 is out of range 1..30"},
		{"tcp.syn_backlog=0", "--set:tcp:syn_backlog: 0 is out of range 1..64m"},
		{"tcp.init_cwnd=101", "--set:tcp:init_cwnd: 101 is out of range 1..100"},
		{"tcp.ooo_max=1025", "--set:tcp:ooo_max: 1025 is out of range 0..1024"},
		{"tcp.zero_copy_min=65536",
		 "--set:tcp:zero_copy_min: 65536 is out of range 0..65535"},
		{"tcp.syncookies=maybe",
		 "--set:tcp:syncookies: \"maybe\" is not a boolean (on/off, "
		 "yes/no, true/false, 1/0)"},
		{"tcp.wscale=x",
		 "--set:tcp:wscale: \"x\" is not a boolean (on/off, yes/no, true/false, 1/0)"},
		{"tcp.sack=2",
		 "--set:tcp:sack: \"2\" is not a boolean (on/off, yes/no, true/false, 1/0)"},
		{"tcp.timestamps=nah", "--set:tcp:timestamps: \"nah\" is not a boolean (on/off, "
				       "yes/no, true/false, 1/0)"},
	};
	for (const auto &k : cases) {
		EXPECT_EQ(Set(k.set), -1) << k.set;
		EXPECT_EQ(Err(), k.err);
	}
}

/* ---- [client] keys of the HTTP load models ---- */

TEST_F(Config, ClientHttpKeysParse)
{
	ASSERT_EQ(Load(std::string(kServer) +
		       "[client]\nrequest = none\nmethod = HEAD\npath = /index.html\n"
		       "host = example.test\nheader = X-A: 1\nclose = rst\ninterval = 100ms\n"
		       "pipeline = 8\nramp_up = 2s\ntimeout = 500ms\nmax_error_rate = 5\n"
		       "max_p99 = 20ms\nports = 10000-19999\n"),
		  0)
		<< Err();
	EXPECT_TRUE(c_.client.request_none);
	EXPECT_STREQ(c_.client.method, "HEAD");
	EXPECT_STREQ(c_.client.path, "/index.html");
	EXPECT_STREQ(c_.client.host, "example.test");
	EXPECT_STREQ(c_.client.header, "X-A: 1");
	EXPECT_TRUE(c_.client.close_rst);
	EXPECT_EQ(c_.client.interval_ms, 100u);
	EXPECT_EQ(c_.client.pipeline, 8u);
	EXPECT_EQ(c_.client.ramp_up_ms, 2000u);
	EXPECT_EQ(c_.client.timeout_ms, 500u);
	EXPECT_EQ(c_.client.max_error_rate, 5u);
	EXPECT_EQ(c_.client.max_p99_ms, 20u);
	EXPECT_EQ(c_.client.port_lo, 10000u);
	EXPECT_EQ(c_.client.port_hi, 19999u);
}

TEST_F(Config, ClientHttpDefaults)
{
	EXPECT_FALSE(c_.client.request_none);
	EXPECT_STREQ(c_.client.method, "GET");
	EXPECT_STREQ(c_.client.path, "/");
	EXPECT_STREQ(c_.client.host, "");
	EXPECT_FALSE(c_.client.close_rst);
	EXPECT_EQ(c_.client.pipeline, 1u);
	EXPECT_EQ(c_.client.timeout_ms, 10000u);
	EXPECT_EQ(c_.client.max_error_rate, 100u);
	EXPECT_EQ(c_.client.max_p99_ms, 0u);
	EXPECT_EQ(c_.client.port_lo, 49152u);
	EXPECT_EQ(c_.client.port_hi, 65535u);
}

TEST_F(Config, ClientHttpBadValuesNameTheKey)
{
	const struct {
		const char *set, *err;
	} cases[] = {
		{"client.request=maybe",
		 "--set:client:request: \"maybe\" is not one of http, none"},
		{"client.method=get", "--set:client:method: \"get\" is not one of GET, HEAD, POST, "
				      "PUT, DELETE, OPTIONS"},
		{"client.close=reset", "--set:client:close: \"reset\" is not one of fin, rst"},
		{"client.interval=2h", "--set:client:interval: 2h is out of range 0..1h"},
		{"client.pipeline=65", "--set:client:pipeline: 65 is out of range 1..64"},
		{"client.ramp_up=x",
		 "--set:client:ramp_up: \"x\" is not a duration (10s, 500ms, 2m, 1h)"},
		{"client.timeout=2h", "--set:client:timeout: 2h is out of range 0..1h"},
		{"client.max_error_rate=101",
		 "--set:client:max_error_rate: 101 is out of range 0..100"},
		{"client.max_p99=-1",
		 "--set:client:max_p99: \"-1\" is not a duration (10s, 500ms, 2m, 1h)"},
		{"client.ports=70000-80000",
		 "--set:client:ports: 70000-80000 is out of range 1..65535 or LOW > HIGH"},
		{"client.ports=5000",
		 "--set:client:ports: \"5000\" is not a port range (LOW-HIGH)"},
		{"client.ports=6000-5000",
		 "--set:client:ports: 6000-5000 is out of range 1..65535 or LOW > HIGH"},
	};
	for (const auto &k : cases) {
		EXPECT_EQ(Set(k.set), -1) << k.set;
		EXPECT_EQ(Err(), k.err);
	}
	EXPECT_EQ(Set("client.path=" + std::string(300, 'a')), -1);
	EXPECT_EQ(Err(), "--set:client:path: value is 300 characters long, at most 255");
}

/* ---- [udp] and the [client] keys of model udp ---- */

TEST_F(Config, UdpKeysParse)
{
	ASSERT_EQ(Load(std::string(kServer) +
		       "[udp]\necho = 7, 9000\nsink = 9\nunreach_rate = 10k\n"),
		  0)
		<< Err();
	ASSERT_EQ(c_.udp.nb_echo, 2u);
	EXPECT_EQ(c_.udp.echo[0], 7u);
	EXPECT_EQ(c_.udp.echo[1], 9000u);
	ASSERT_EQ(c_.udp.nb_sink, 1u);
	EXPECT_EQ(c_.udp.sink[0], 9u);
	EXPECT_EQ(c_.udp.unreach_rate, 10000u);
	ASSERT_EQ(Set("udp.unreach_rate=0"), 0) << Err();
	EXPECT_EQ(c_.udp.unreach_rate, 0u);
	ASSERT_EQ(Set("udp.echo="), 0) << Err();
	EXPECT_EQ(c_.udp.nb_echo, 0u);
}

TEST_F(Config, UdpDefaults)
{
	EXPECT_EQ(c_.udp.nb_echo, 0u);
	EXPECT_EQ(c_.udp.nb_sink, 0u);
	EXPECT_EQ(c_.udp.unreach_rate, 1000u);
	EXPECT_EQ(c_.client.flows, 1u);
	EXPECT_FALSE(c_.client.echo);
}

TEST_F(Config, UdpBadValuesNameTheKey)
{
	const struct {
		const char *set, *err;
	} cases[] = {
		{"udp.echo=0", "--set:udp:echo: 0 is out of range 1..65535"},
		{"udp.echo=seven", "--set:udp:echo: \"seven\" is not a number"},
		{"udp.echo=7,7", "--set:udp:echo: 7 is listed twice"},
		{"udp.sink=70000", "--set:udp:sink: 70000 is out of range 1..65535"},
		{"udp.sink=1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
		 "--set:udp:sink: 17 ports given, at most 16"},
		{"udp.unreach_rate=2m", "--set:udp:unreach_rate: 2m is out of range 0..1m"},
		{"udp.unreach_rate=fast",
		 "--set:udp:unreach_rate: \"fast\" is not a number (suffixes k, m allowed)"},
		{"udp.colour=red", "--set:udp:colour: unknown key (see synack --help-config)"},
		{"client.flows=0", "--set:client:flows: 0 is out of range 1..65535"},
		{"client.flows=65536", "--set:client:flows: 65536 is out of range 1..65535"},
		{"client.echo=maybe", "--set:client:echo: \"maybe\" is not a boolean (on/off, "
				      "yes/no, true/false, 1/0)"},
	};
	for (const auto &k : cases) {
		EXPECT_EQ(Set(k.set), -1) << k.set;
		EXPECT_EQ(Err(), k.err);
	}
}

TEST_F(Config, UdpClientKeysParse)
{
	ASSERT_EQ(Load(std::string(kClient) + "model = udp\npayload = 24\nflows = 8\necho = on\n"),
		  0)
		<< Err();
	EXPECT_EQ(c_.client.model, CFG_MODEL_UDP);
	EXPECT_EQ(c_.client.payload, 24u);
	EXPECT_EQ(c_.client.flows, 8u);
	EXPECT_TRUE(c_.client.echo);
}

TEST_F(Config, UdpSinkPortAlsoEchoedIsRefused)
{
	EXPECT_EQ(Load(std::string(kServer) + "[udp]\necho = 7, 9\nsink = 9\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:udp:sink: 9 is also in udp.echo");
}

TEST_F(Config, UdpModelPayloadBelowTheSequenceHeaderIsRefused)
{
	EXPECT_EQ(Load(std::string(kClient) + "model = udp\npayload = 23\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:client:payload: 23 is below the 24-byte sequence header of "
			 "model udp (24..9000)");
	/* the ping model still takes small payloads */
	EXPECT_EQ(Load(std::string(kClient) + "model = ping\npayload = 0\n"), 0) << Err();
	ASSERT_EQ(Load(std::string(kClient) + "model = udp\n"), 0) << Err();
	ASSERT_EQ(Set("client.payload=8"), 0) << Err();
	EXPECT_EQ(cfg_validate(&c_, err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(), "--set:client:payload: 8 is below the 24-byte sequence header of model "
			 "udp (24..9000)");
}

TEST_F(Config, UdpModelFlowsBeyondThePortRangeAreRefused)
{
	EXPECT_EQ(Load(std::string(kClient) + "model = udp\nports = 5000-5003\nflows = 5\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:client:flows: 5 is more than the 4 ports of client.ports");
	EXPECT_EQ(Load(std::string(kClient) + "model = udp\nports = 5000-5003\nflows = 4\n"), 0)
		<< Err();
}

TEST_F(Config, MoreThanSixtyFourKeysInOneSectionAreNotMistakenForTwins)
{
	/* keys past the 64th of the table used to alias the first in the
	 * "given twice" bookkeeping */
	ASSERT_EQ(Load(std::string(kServer) +
		       "[run]\nmode = server\n[udp]\necho = 7\nsink = 9\nunreach_rate = 5\n"),
		  0)
		<< Err();
	EXPECT_EQ(c_.udp.unreach_rate, 5u);
	EXPECT_EQ(Load(std::string(kServer) + "[udp]\nsink = 9\nsink = 10\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:udp:sink: given twice");
}

/* ---- model throughput: client.direction, client.write_size, server.bulk ---- */

TEST_F(Config, BulkDefaults)
{
	EXPECT_EQ(c_.client.direction, CFG_DIR_SEND);
	EXPECT_EQ(c_.client.write_size, 128u * 1024);
	EXPECT_EQ(c_.server.bulk, 5002u);
}

TEST_F(Config, BulkKeysParse)
{
	ASSERT_EQ(Load(std::string(kClient) +
		       "model = throughput\ndirection = receive\nwrite_size = 64k\n"
		       "concurrency = 4\n[server]\nbulk = 6000\n"),
		  0)
		<< Err();
	EXPECT_EQ(c_.client.model, CFG_MODEL_THROUGHPUT);
	EXPECT_EQ(c_.client.direction, CFG_DIR_RECEIVE);
	EXPECT_EQ(c_.client.write_size, 64u * 1024);
	EXPECT_EQ(c_.client.concurrency, 4u);
	EXPECT_EQ(c_.server.bulk, 6000u);
	ASSERT_EQ(Set("client.direction=both"), 0) << Err();
	EXPECT_EQ(c_.client.direction, CFG_DIR_BOTH);
	ASSERT_EQ(Set("client.direction=send"), 0) << Err();
	EXPECT_EQ(c_.client.direction, CFG_DIR_SEND);
	ASSERT_EQ(Set("client.write_size=1m"), 0) << Err();
	EXPECT_EQ(c_.client.write_size, 1u << 20);
	ASSERT_EQ(Set("client.write_size=1"), 0) << Err();
	EXPECT_EQ(c_.client.write_size, 1u);
	ASSERT_EQ(Set("server.bulk=0"), 0) << Err();
	EXPECT_EQ(c_.server.bulk, 0u);
}

TEST_F(Config, BulkBadValuesNameTheKey)
{
	const struct {
		const char *set, *err;
	} cases[] = {
		{"client.direction=up",
		 "--set:client:direction: \"up\" is not one of send, receive, both"},
		{"client.direction=",
		 "--set:client:direction: \"\" is not one of send, receive, both"},
		{"client.write_size=0", "--set:client:write_size: 0 is out of range 1..1m"},
		{"client.write_size=2m", "--set:client:write_size: 2m is out of range 1..1m"},
		{"client.write_size=big",
		 "--set:client:write_size: \"big\" is not a size (bytes, or with suffix k, m, g)"},
		{"server.bulk=65536", "--set:server:bulk: 65536 is out of range 0..65535"},
		{"server.bulk=-1", "--set:server:bulk: \"-1\" is not a number"},
	};
	for (const auto &k : cases) {
		EXPECT_EQ(Set(k.set), -1) << k.set;
		EXPECT_EQ(Err(), k.err) << k.set;
	}
}

TEST_F(Config, BulkPortAlsoInListenIsRefused)
{
	EXPECT_EQ(Load(std::string(kServer) + "[server]\nlisten = 80, 5002\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:server:bulk: 5002 is also in server.listen");
	EXPECT_EQ(Load(std::string(kServer) + "[server]\nlisten = 80, 5002\nbulk = 0\n"), 0)
		<< Err();
	ASSERT_EQ(Load(std::string(kServer)), 0) << Err();
	ASSERT_EQ(Set("server.bulk=80"), 0) << Err();
	EXPECT_EQ(cfg_validate(&c_, err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(), "--set:server:bulk: 80 is also in server.listen");
}

/* ---- iperf3: [iperf] and the [client] keys of model iperf ---- */

TEST_F(Config, IperfDefaults)
{
	EXPECT_EQ(c_.iperf.listen, 0u);
	EXPECT_EQ(c_.iperf.idle_ms, 30000u);
	EXPECT_FALSE(c_.client.iperf_udp);
	EXPECT_FALSE(c_.client.iperf_reverse);
	EXPECT_EQ(c_.client.iperf_bitrate, 0u);
	EXPECT_EQ(c_.client.iperf_parallel, 1u);
	EXPECT_EQ(c_.client.iperf_len, 0u);
	EXPECT_STREQ(c_.client.iperf_json, "");
}

TEST_F(Config, IperfKeysParse)
{
	ASSERT_EQ(Load(std::string(kClient) +
		       "model = iperf\niperf_udp = on\niperf_reverse = on\niperf_bitrate = 1000m\n"
		       "iperf_parallel = 4\niperf_len = 64\niperf_json = out.json\n"
		       "[iperf]\nlisten = 5201\nidle = 5s\n"),
		  0)
		<< Err();
	EXPECT_EQ(c_.client.model, CFG_MODEL_IPERF);
	EXPECT_TRUE(c_.client.iperf_udp);
	EXPECT_TRUE(c_.client.iperf_reverse);
	EXPECT_EQ(c_.client.iperf_bitrate, 1000000000u);
	EXPECT_EQ(c_.client.iperf_parallel, 4u);
	EXPECT_EQ(c_.client.iperf_len, 64u);
	EXPECT_STREQ(c_.client.iperf_json, "out.json");
	EXPECT_EQ(c_.iperf.listen, 5201u);
	EXPECT_EQ(c_.iperf.idle_ms, 5000u);
}

TEST_F(Config, IperfClientModeIsAnAlias)
{
	ASSERT_EQ(Load(std::string(kClient)), 0) << Err();
	ASSERT_EQ(Set("run.mode=iperf-client"), 0) << Err();
	EXPECT_EQ(c_.run.mode, CFG_MODE_CLIENT);
	EXPECT_EQ(c_.client.model, CFG_MODEL_IPERF);
	EXPECT_EQ(Set("run.mode=iperf"), -1);
	EXPECT_EQ(Err(), "--set:run:mode: \"iperf\" is not one of server, client, both");
}

TEST_F(Config, IperfBadValuesNameTheKey)
{
	const struct {
		const char *set, *err;
	} cases[] = {
		{"iperf.listen=65536", "--set:iperf:listen: 65536 is out of range 0..65535"},
		{"iperf.listen=x", "--set:iperf:listen: \"x\" is not a number"},
		{"iperf.idle=0", "--set:iperf:idle: 0 is out of range 1s..1h"},
		{"client.iperf_udp=maybe",
		 "--set:client:iperf_udp: \"maybe\" is not a boolean (on/off, yes/no, true/false, 1/0)"},
		{"client.iperf_reverse=2",
		 "--set:client:iperf_reverse: \"2\" is not a boolean (on/off, yes/no, true/false, 1/0)"},
		{"client.iperf_bitrate=fast",
		 "--set:client:iperf_bitrate: \"fast\" is not a number (suffixes k, m allowed)"},
		{"client.iperf_parallel=0",
		 "--set:client:iperf_parallel: 0 is out of range 1..128"},
		{"client.iperf_parallel=129",
		 "--set:client:iperf_parallel: 129 is out of range 1..128"},
		{"client.iperf_len=2m", "--set:client:iperf_len: 2m is out of range 0..1m"},
		{"client.model=iperf3",
		 "--set:client:model: \"iperf3\" is not one of ping, cps, cc, rps, throughput, udp, "
		 "iperf"},
	};
	for (const auto &k : cases) {
		EXPECT_EQ(Set(k.set), -1) << k.set;
		EXPECT_EQ(Err(), k.err) << k.set;
	}
}

TEST_F(Config, IperfPortAlsoInListenIsRefused)
{
	EXPECT_EQ(Load(std::string(kServer) + "[iperf]\nlisten = 80\n"), -1);
	EXPECT_EQ(Err(), "cfg.ini:iperf:listen: 80 is also in server.listen");
	ASSERT_EQ(Load(std::string(kServer)), 0) << Err();
	ASSERT_EQ(Set("iperf.listen=5002"), 0) << Err();
	EXPECT_EQ(cfg_validate(&c_, err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(), "--set:iperf:listen: 5002 is also server.bulk");
}

/* ---- [portN] impair_rx / impair_tx, [tcp] cc ---- */

TEST_F(Config, ImpairParsesEveryKey)
{
	ASSERT_EQ(Load(std::string(kServer) +
		       "impair_rx = loss=2% ge_p=1% ge_r=25% delay=1ms jitter=200us reorder=0.05 "
		       "reorder_delay=2ms dup=0.1% corrupt=0.01% rate=100m burst=16k "
		       "rate_queue=20ms limit=1k seed=7\n"),
		  0)
		<< Err();
	const struct cfg_impair &i = c_.port[0].impair_rx;
	EXPECT_TRUE(i.on);
	EXPECT_EQ(i.loss, 20000u);
	EXPECT_EQ(i.ge_p, 10000u);
	EXPECT_EQ(i.ge_r, 250000u);
	EXPECT_EQ(i.ge_loss, 1000000u); // bad state: everything lost by default
	EXPECT_EQ(i.delay_us, 1000u);
	EXPECT_EQ(i.jitter_us, 200u);
	EXPECT_EQ(i.reorder, 50000u);
	EXPECT_EQ(i.reorder_us, 2000u);
	EXPECT_EQ(i.dup, 1000u);
	EXPECT_EQ(i.corrupt, 100u);
	EXPECT_EQ(i.rate_bps, 100000000u);
	EXPECT_EQ(i.burst_bytes, 16384u);
	EXPECT_EQ(i.rate_queue_us, 20000u);
	EXPECT_EQ(i.limit, 1024u);
	EXPECT_EQ(i.seed, 7u);
	EXPECT_FALSE(c_.port[0].impair_tx.on); // off by default
}

TEST_F(Config, ImpairErrorsNameFileSectionKey)
{
	ASSERT_EQ(Load(kServer), 0) << Err();
	EXPECT_EQ(cfg_set(&c_, "port0.impair_rx=loss=150%", err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(),
		  "--set:port0:impair_rx: loss=\"150%\" is not a probability (2%, 0.5%, 0.02)");
	EXPECT_EQ(cfg_set(&c_, "port0.impair_tx=delay=5", err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(),
		  "--set:port0:impair_tx: delay=\"5\" is not a time with a unit (200us, 1ms, "
		  "1s), at most 60s");
	EXPECT_EQ(cfg_set(&c_, "port0.impair_rx=ge_p=1%", err_, sizeof(err_)), -1);
	EXPECT_NE(Err().find("ge_p needs ge_r"), std::string::npos) << Err();
	EXPECT_EQ(cfg_set(&c_, "port0.impair_rx=jit=3", err_, sizeof(err_)), -1);
	EXPECT_EQ(Err().rfind("--set:port0:impair_rx: unknown \"jit\"", 0), 0u) << Err();
	EXPECT_EQ(cfg_set(&c_, "port0.impair_rx=loss", err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(), "--set:port0:impair_rx: \"loss\" is not key=value");
}

TEST_F(Config, TcpCcIsCubicByDefaultNewRenoSelectable)
{
	ASSERT_EQ(Load(kServer), 0) << Err();
	EXPECT_EQ(c_.tcp.cc, CFG_CC_CUBIC);
	ASSERT_EQ(cfg_set(&c_, "tcp.cc=newreno", err_, sizeof(err_)), 0) << Err();
	EXPECT_EQ(c_.tcp.cc, CFG_CC_NEWRENO);
	EXPECT_EQ(cfg_set(&c_, "tcp.cc=bbr", err_, sizeof(err_)), -1);
	EXPECT_EQ(Err(), "--set:tcp:cc: \"bbr\" is not one of cubic, newreno");
}
