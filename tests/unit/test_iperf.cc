// SPDX-License-Identifier: BSD-3-Clause
// lib/iperf's wire pieces: the control-state machine, the control reader,
// the JSON parameters (good, bad, missing fields) and results, the UDP
// header and the receiver's loss / jitter accounting.
#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "lib/iperf/iperf.h"

namespace {

// ---- control-state machine ----

TEST(IperfState, ValuesAreIperf3s)
{
	EXPECT_EQ(IPERF_TEST_START, 1);
	EXPECT_EQ(IPERF_TEST_RUNNING, 2);
	EXPECT_EQ(IPERF_TEST_END, 4);
	EXPECT_EQ(IPERF_PARAM_EXCHANGE, 9);
	EXPECT_EQ(IPERF_CREATE_STREAMS, 10);
	EXPECT_EQ(IPERF_SERVER_TERMINATE, 11);
	EXPECT_EQ(IPERF_CLIENT_TERMINATE, 12);
	EXPECT_EQ(IPERF_EXCHANGE_RESULTS, 13);
	EXPECT_EQ(IPERF_DISPLAY_RESULTS, 14);
	EXPECT_EQ(IPERF_IPERF_START, 15);
	EXPECT_EQ(IPERF_IPERF_DONE, 16);
	EXPECT_EQ(IPERF_ACCESS_DENIED, -1);
	EXPECT_EQ(IPERF_SERVER_ERROR, -2);
	EXPECT_STREQ(iperf_state_name(13), "EXCHANGE_RESULTS");
	EXPECT_STREQ(iperf_state_name(99), "unknown");
}

TEST(IperfState, ClientWalksTheWholeConversation)
{
	// the bytes a stock server sends, in order (from a capture of iperf3 3.12)
	const int8_t seq[] = {IPERF_PARAM_EXCHANGE, IPERF_CREATE_STREAMS, IPERF_TEST_START,
			      IPERF_TEST_RUNNING};
	enum iperf_phase ph = IPERF_PH_COOKIE, next;
	for (int8_t s : seq) {
		ASSERT_EQ(iperf_cli_step(ph, s, &next), 0) << iperf_state_name(s);
		ph = next;
	}
	EXPECT_EQ(ph, IPERF_PH_RUNNING);
	ph = IPERF_PH_END; // the client sent TEST_END
	ASSERT_EQ(iperf_cli_step(ph, IPERF_EXCHANGE_RESULTS, &next), 0);
	EXPECT_EQ(next, IPERF_PH_RESULTS);
	ASSERT_EQ(iperf_cli_step(IPERF_PH_DISPLAY, IPERF_DISPLAY_RESULTS, &next), 0);
	EXPECT_EQ(next, IPERF_PH_DONE);
}

TEST(IperfState, ClientRejectsOutOfOrderBytes)
{
	enum iperf_phase next;
	EXPECT_EQ(iperf_cli_step(IPERF_PH_COOKIE, IPERF_TEST_START, &next), -EPROTO);
	EXPECT_EQ(iperf_cli_step(IPERF_PH_CREATE, IPERF_TEST_RUNNING, &next), -EPROTO);
	EXPECT_EQ(iperf_cli_step(IPERF_PH_RUNNING, IPERF_EXCHANGE_RESULTS, &next), -EPROTO);
	EXPECT_EQ(iperf_cli_step(IPERF_PH_RUNNING, 77, &next), -EPROTO);
	EXPECT_EQ(iperf_cli_step(IPERF_PH_PARAMS, IPERF_ACCESS_DENIED, &next), -EACCES);
	EXPECT_EQ(next, IPERF_PH_ABORTED);
	EXPECT_EQ(iperf_cli_step(IPERF_PH_RUNNING, IPERF_SERVER_ERROR, &next), -ECONNABORTED);
	EXPECT_EQ(iperf_cli_step(IPERF_PH_RUNNING, IPERF_SERVER_TERMINATE, &next), -ECONNABORTED);
}

TEST(IperfState, ServerAcceptsTestEndOnlyWhileRunning)
{
	enum iperf_phase next;
	ASSERT_EQ(iperf_srv_step(IPERF_PH_RUNNING, IPERF_TEST_END, &next), 0);
	EXPECT_EQ(next, IPERF_PH_RESULTS);
	EXPECT_EQ(iperf_srv_step(IPERF_PH_CREATE, IPERF_TEST_END, &next), -EPROTO);
	EXPECT_EQ(iperf_srv_step(IPERF_PH_DISPLAY, IPERF_TEST_END, &next), -EPROTO);
	ASSERT_EQ(iperf_srv_step(IPERF_PH_DISPLAY, IPERF_IPERF_DONE, &next), 0);
	EXPECT_EQ(next, IPERF_PH_DONE);
	EXPECT_EQ(iperf_srv_step(IPERF_PH_RUNNING, IPERF_IPERF_DONE, &next), -EPROTO);
	EXPECT_EQ(iperf_srv_step(IPERF_PH_CREATE, IPERF_CLIENT_TERMINATE, &next), -ECONNABORTED);
	EXPECT_EQ(next, IPERF_PH_ABORTED);
}

// ---- control reader ----

struct Reader {
	std::vector<char> buf = std::vector<char>(IPERF_JSON_MAX + 1);
	struct iperf_rx rx;
	explicit Reader(enum iperf_msg want) { iperf_rx_init(&rx, buf.data(), buf.size(), want); }
};

// The control bytes a stock client sends first (captured on loopback).
const char kCookie[] = "juaf7fnfwut3if2pnxuhxdjog6clkd5wrpqv";

TEST(IperfReader, CookieThenJsonByteByByte)
{
	Reader r(IPERF_MSG_COOKIE);
	std::string json = "{\"tcp\":true,\"time\":1}";
	std::string wire(kCookie, sizeof(kCookie));
	uint32_t n = json.size();
	wire += std::string({(char)(n >> 24), (char)(n >> 16), (char)(n >> 8), (char)n});
	wire += json;
	int msgs = 0;
	for (size_t i = 0; i < wire.size(); i++) {
		uint32_t used;
		enum iperf_rx_rc rc = iperf_rx_feed(&r.rx, (const uint8_t *)&wire[i], 1, &used);
		ASSERT_NE(rc, IPERF_RX_ERROR) << i;
		EXPECT_EQ(used, 1u);
		if (rc == IPERF_RX_OK) {
			msgs++;
			if (msgs == 1) {
				EXPECT_STREQ(r.rx.buf, kCookie);
				iperf_rx_expect(&r.rx, IPERF_MSG_JSON);
			} else {
				EXPECT_EQ(std::string(r.rx.buf), json);
			}
		}
	}
	EXPECT_EQ(msgs, 2);
}

TEST(IperfReader, StopsAfterOneMessage)
{
	Reader r(IPERF_MSG_STATE);
	const uint8_t two[] = {IPERF_TEST_START, IPERF_TEST_RUNNING};
	uint32_t used;
	ASSERT_EQ(iperf_rx_feed(&r.rx, two, 2, &used), IPERF_RX_OK);
	EXPECT_EQ(used, 1u);
	EXPECT_EQ(r.rx.buf[0], IPERF_TEST_START);
	iperf_rx_expect(&r.rx, IPERF_MSG_STATE);
	ASSERT_EQ(iperf_rx_feed(&r.rx, two + 1, 1, &used), IPERF_RX_OK);
	EXPECT_EQ(r.rx.buf[0], IPERF_TEST_RUNNING);
}

TEST(IperfReader, BadLengthsAndCookiesAreErrors)
{
	uint32_t used;
	{
		Reader r(IPERF_MSG_JSON);
		const uint8_t zero[] = {0, 0, 0, 0};
		EXPECT_EQ(iperf_rx_feed(&r.rx, zero, 4, &used), IPERF_RX_ERROR);
	}
	{
		Reader r(IPERF_MSG_JSON);
		const uint8_t huge[] = {0x7f, 0xff, 0xff, 0xff};
		EXPECT_EQ(iperf_rx_feed(&r.rx, huge, 4, &used), IPERF_RX_ERROR);
	}
	{
		Reader r(IPERF_MSG_COOKIE);
		char bad[IPERF_COOKIE_LEN];
		memset(bad, 'a', sizeof(bad)); // no NUL
		EXPECT_EQ(iperf_rx_feed(&r.rx, (const uint8_t *)bad, sizeof(bad), &used),
			  IPERF_RX_ERROR);
	}
}

TEST(IperfCookie, ThirtySixCharsAndNul)
{
	char a[IPERF_COOKIE_LEN], b[IPERF_COOKIE_LEN];
	iperf_cookie_make(a, 1);
	iperf_cookie_make(b, 2);
	EXPECT_EQ(strlen(a), 36u);
	EXPECT_NE(std::string(a), std::string(b));
	for (int i = 0; i < 36; i++)
		EXPECT_TRUE((a[i] >= 'a' && a[i] <= 'z') || (a[i] >= '2' && a[i] <= '7'));
}

// ---- parameters ----

std::string
Parse(const char *json, struct iperf_params *p, int *rc)
{
	char err[200] = "";
	*rc = iperf_params_parse(json, strlen(json), p, err, sizeof(err));
	return err;
}

TEST(IperfParams, StockClientTcpAndUdp)
{
	// captured from iperf3 3.12: -t 1 and -u -l 64 -b 1M
	struct iperf_params p;
	int rc;
	Parse("{\"tcp\":true,\"omit\":0,\"time\":1,\"num\":0,\"blockcount\":0,\"parallel\":1,"
	      "\"len\":131072,\"pacing_timer\":1000,\"client_version\":\"3.12\"}",
	      &p, &rc);
	ASSERT_EQ(rc, 0);
	EXPECT_FALSE(p.udp);
	EXPECT_EQ(p.time_s, 1u);
	EXPECT_EQ(p.len, 131072u);
	EXPECT_EQ(p.parallel, 1u);
	EXPECT_EQ(p.bandwidth, 0u);
	EXPECT_STREQ(p.client_version, "3.12");
	Parse("{\"udp\":true,\"omit\":0,\"time\":1,\"num\":0,\"blockcount\":0,\"parallel\":4,"
	      "\"reverse\":true,\"len\":64,\"bandwidth\":1000000,\"pacing_timer\":1000,"
	      "\"client_version\":\"3.12\"}",
	      &p, &rc);
	ASSERT_EQ(rc, 0);
	EXPECT_TRUE(p.udp);
	EXPECT_TRUE(p.reverse);
	EXPECT_EQ(p.parallel, 4u);
	EXPECT_EQ(p.len, 64u);
	EXPECT_EQ(p.bandwidth, 1000000u);
}

TEST(IperfParams, MissingOptionalKeysGetDefaults)
{
	struct iperf_params p;
	int rc;
	Parse("{\"udp\":true}", &p, &rc);
	ASSERT_EQ(rc, 0);
	EXPECT_EQ(p.time_s, 10u);
	EXPECT_EQ(p.parallel, 1u);
	EXPECT_EQ(p.len, 1460u);
	EXPECT_EQ(p.bandwidth, 1000000u);
}

TEST(IperfParams, BadAndMissingFieldsAreClearErrors)
{
	struct iperf_params p;
	int rc;
	struct {
		const char *json, *err;
	} cases[] = {
		{"", "parameters are not a JSON object"},
		{"[1,2]", "parameters are not a JSON object"},
		{"{\"tcp\":true", "parameters are not a JSON object"},
		{"{\"time\":5}", "missing \"tcp\" or \"udp\": no protocol"},
		{"{\"tcp\":true,\"udp\":true}", "\"tcp\" and \"udp\" both set"},
		{"{\"tcp\":\"yes\"}", "\"tcp\": expected true or false"},
		{"{\"tcp\":true,\"parallel\":\"four\"}", "\"parallel\": expected a number"},
		{"{\"tcp\":true,\"parallel\":0}", "\"parallel\": 0 is out of range [1, 128]"},
		{"{\"tcp\":true,\"parallel\":129}", "\"parallel\": 129 is out of range [1, 128]"},
		{"{\"tcp\":true,\"time\":-1}", "\"time\": -1 is out of range [0, 86400]"},
		{"{\"tcp\":true,\"len\":0}", "\"len\": 0 is out of range [1, 1048576]"},
		{"{\"udp\":true,\"len\":70000}", "\"len\": 70000 is out of range [1, 65507]"},
		{"{\"udp\":true,\"len\":8}", "\"len\": 8 is below the UDP header (12 bytes)"},
		{"{\"tcp\":true,\"time\":0}",
		 "\"time\": 0 with no \"num\" or \"blockcount\": endless test"},
		{"{\"sctp\":true}", "\"sctp\": SCTP is not supported"},
		{"{\"tcp\":true,\"bidirectional\":true}",
		 "\"bidirectional\": --bidir is not supported"},
		{"{\"tcp\":true,\"client_version\":3}", "\"client_version\": expected a string"},
	};
	for (const auto &c : cases) {
		std::string err = Parse(c.json, &p, &rc);
		EXPECT_EQ(rc, -EINVAL) << c.json;
		EXPECT_EQ(err, c.err) << c.json;
	}
}

TEST(IperfParams, BuildParsesBack)
{
	struct iperf_params p = {}, q;
	p.udp = true;
	p.reverse = true;
	p.time_s = 7;
	p.parallel = 3;
	p.len = 1000;
	p.bandwidth = 123456789;
	char *s = iperf_params_build(&p);
	ASSERT_NE(s, nullptr);
	EXPECT_EQ(std::string(s).rfind("{\"udp\":true,", 0), 0u) << s;
	char err[100];
	ASSERT_EQ(iperf_params_parse(s, strlen(s), &q, err, sizeof(err)), 0) << err;
	EXPECT_TRUE(q.udp && q.reverse);
	EXPECT_EQ(q.time_s, 7u);
	EXPECT_EQ(q.parallel, 3u);
	EXPECT_EQ(q.len, 1000u);
	EXPECT_EQ(q.bandwidth, 123456789u);
	free(s);
}

// ---- results ----

TEST(IperfResults, StockServerResultsParse)
{
	// the server's results of a -u test (captured): sender_has_retransmits and
	// retransmits are -1 as iperf3 prints it, 2^64 - 1
	const char *j =
		"{\"cpu_util_total\":0.81757899830825032,\"cpu_util_user\":0.0075988753664457658,"
		"\"cpu_util_system\":0.809280226526474,\"sender_has_retransmits\":"
		"18446744073709551615,\"streams\":[{\"id\":1,\"bytes\":124928,\"retransmits\":"
		"18446744073709551615,\"jitter\":1.0709241632581249e-05,\"errors\":0,\"packets\":"
		"1952,\"start_time\":0,\"end_time\":1.000131}]}";
	struct iperf_results r;
	char err[100];
	ASSERT_EQ(iperf_results_parse(j, strlen(j), &r, err, sizeof(err)), 0) << err;
	EXPECT_EQ(r.sender_has_retransmits, -1);
	ASSERT_EQ(r.nb_streams, 1u);
	EXPECT_EQ(r.streams[0].id, 1);
	EXPECT_EQ(r.streams[0].bytes, 124928u);
	EXPECT_EQ(r.streams[0].retransmits, -1);
	EXPECT_EQ(r.streams[0].packets, 1952);
	EXPECT_NEAR(r.streams[0].jitter, 1.07e-5, 1e-7);
	EXPECT_NEAR(r.streams[0].end_time, 1.000131, 1e-9);
}

TEST(IperfResults, BadResultsAreErrors)
{
	struct iperf_results r;
	char err[100];
	struct {
		const char *json, *err;
	} cases[] = {
		{"{}", "\"streams\": missing or not an array"},
		{"{\"streams\":[{\"bytes\":1}]}", "\"streams\"[0]: missing \"id\""},
		{"{\"streams\":[{\"id\":1}]}", "\"streams\"[0]: missing \"bytes\""},
		{"{\"streams\":[{\"id\":1,\"bytes\":\"x\"}]}", "\"bytes\": expected a number"},
		{"{\"streams\":[3]}", "\"streams\"[0]: not an object"},
		{"nope", "results are not a JSON object"},
	};
	for (const auto &c : cases) {
		EXPECT_EQ(iperf_results_parse(c.json, strlen(c.json), &r, err, sizeof(err)),
			  -EINVAL)
			<< c.json;
		EXPECT_STREQ(err, c.err) << c.json;
	}
}

TEST(IperfResults, BuildParsesBack)
{
	static struct iperf_results r, q;
	r.cpu_total = 12.5;
	r.sender_has_retransmits = -1;
	snprintf(r.congestion, sizeof(r.congestion), "newreno");
	r.nb_streams = 2;
	r.streams[0] = {1, 5000000000ull, -1, 0.25, 3, 1000, 0, 5.0};
	r.streams[1] = {3, 42, 0, 0, 0, 0, 0, 5.0};
	char *s = iperf_results_build(&r);
	ASSERT_NE(s, nullptr);
	char err[100];
	ASSERT_EQ(iperf_results_parse(s, strlen(s), &q, err, sizeof(err)), 0) << err;
	EXPECT_STREQ(q.congestion, "newreno");
	ASSERT_EQ(q.nb_streams, 2u);
	EXPECT_EQ(q.streams[0].bytes, 5000000000ull);
	EXPECT_EQ(q.streams[0].retransmits, -1);
	EXPECT_EQ(q.streams[0].errors, 3);
	EXPECT_EQ(q.streams[1].id, 3);
	free(s);
}

// ---- UDP ----

TEST(IperfUdp, HeaderMatchesCapture)
{
	// first datagram of `iperf3 -u -l 64` on loopback (tshark): 00000edb 00017998 00000001
	const uint8_t cap[12] = {0x00, 0x00, 0x0e, 0xdb, 0x00, 0x01, 0x79, 0x98, 0, 0, 0, 1};
	struct iperf_udp_hdr h;
	ASSERT_EQ(iperf_udp_hdr_decode(cap, sizeof(cap), false, &h), 0);
	EXPECT_EQ(h.sec, 0xedbu);
	EXPECT_EQ(h.usec, 0x17998u);
	EXPECT_EQ(h.count, 1u);
	uint8_t out[12];
	ASSERT_EQ(iperf_udp_hdr_encode(out, sizeof(out), &h, false), 12u);
	EXPECT_EQ(memcmp(out, cap, 12), 0);
	EXPECT_EQ(iperf_udp_hdr_decode(cap, 11, false, &h), -EINVAL);
	EXPECT_EQ(iperf_udp_hdr_encode(out, 11, &h, false), 0u);
}

TEST(IperfUdp, Counter64)
{
	struct iperf_udp_hdr h = {1, 2, 0x123456789aull}, g;
	uint8_t b[16];
	ASSERT_EQ(iperf_udp_hdr_encode(b, sizeof(b), &h, true), 16u);
	EXPECT_EQ(b[8], 0);
	EXPECT_EQ(b[11], 0x12);
	EXPECT_EQ(b[15], 0x9a);
	ASSERT_EQ(iperf_udp_hdr_decode(b, 16, true, &g), 0);
	EXPECT_EQ(g.count, h.count);
	EXPECT_EQ(iperf_udp_hdr_decode(b, 15, true, &g), -EINVAL);
}

TEST(IperfUdp, LossOutOfOrderAndJitter)
{
	struct iperf_udp_rx r = {};
	auto dg = [&](uint64_t n, double sent, double arrive) {
		struct iperf_udp_hdr h = {(uint32_t)sent,
					  (uint32_t)std::lround((sent - (uint32_t)sent) * 1e6), n};
		iperf_udp_rx_update(&r, &h, arrive, 100);
	};
	dg(1, 10.0, 110.0); // transit 100
	dg(2, 10.1, 110.1); // same transit: jitter stays 0
	EXPECT_NEAR(r.jitter, 0, 1e-9);
	dg(5, 10.2, 110.216); // 3 and 4 missing; transit +16 ms
	EXPECT_EQ(r.errors, 2);
	EXPECT_EQ(r.packets, 5);
	EXPECT_NEAR(r.jitter, 0.016 / 16, 1e-6);
	dg(3, 10.15, 110.3); // late: one back from lost
	EXPECT_EQ(r.errors, 1);
	EXPECT_EQ(r.outoforder, 1u);
	EXPECT_EQ(r.packets, 5);
	EXPECT_EQ(r.bytes, 400u);
	EXPECT_EQ(r.datagrams, 4u);
}

} // namespace
