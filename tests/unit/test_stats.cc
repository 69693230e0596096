// SPDX-License-Identifier: BSD-3-Clause
// Counter names, lookup, and the report's JSON lines (interval + summary).
#include <gtest/gtest.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <string>

#include <jansson.h>

#include "lib/stats/stats.h"

namespace {

TEST(Stats, NamesAreUniqueAndLookupRoundTrips)
{
	for (int i = 0; i < STAT_MAX; i++) {
		const char *n = stats_name((enum stats_id)i);
		ASSERT_NE(n, nullptr);
		EXPECT_EQ(stats_lookup(n), i) << n;
		EXPECT_NE(stats_help((enum stats_id)i), nullptr);
		EXPECT_GT(strlen(stats_help((enum stats_id)i)), 5u) << n;
	}
	EXPECT_EQ(stats_lookup("no_such_counter"), -1);
	EXPECT_EQ(stats_name(STAT_MAX), nullptr);
	EXPECT_STREQ(stats_name(STAT_drop_ip_csum), "drop_ip_csum");
}

std::string
slurp(const char *path)
{
	std::string s;
	FILE *f = fopen(path, "r");
	if (f == nullptr)
		return s;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		s.append(buf, n);
	fclose(f);
	return s;
}

TEST(Stats, JsonHasOneIntervalLinePerCallAndASummaryWithWorkers)
{
	char path[] = "/tmp/synack_stats_XXXXXX";
	int fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	close(fd);
	static struct stats_worker a, b;
	struct stats_worker *ws[2] = {&a, &b};
	struct stats_report *r = stats_report_create(ws, 2, nullptr, path);
	ASSERT_NE(r, nullptr);
	stats_report_set_label(r, 0, "w0 c0/0");
	stats_report_set_label(r, 1, "w1 s1/0");
	stats_add(&a, STAT_rx_pkts, 1000);
	stats_add(&b, STAT_rx_pkts, 500);
	stats_inc(&b, STAT_drop_ip_csum);
	stats_report_interval(r, 1000);
	stats_add(&a, STAT_rx_pkts, 1000);
	stats_report_interval(r, 2000);
	uint64_t tot[STAT_MAX];
	stats_report_total(r, tot);
	EXPECT_EQ(tot[STAT_rx_pkts], 2500u);
	EXPECT_EQ(tot[STAT_drop_ip_csum], 1u);
	stats_report_summary(r, 2000, "done");
	stats_report_free(r);

	std::string s = slurp(path);
	unlink(path);
	size_t lines = 0;
	for (char ch : s)
		lines += ch == '\n';
	EXPECT_EQ(lines, 3u);
	size_t first = s.find('\n');
	std::string l1 = s.substr(0, first);
	EXPECT_NE(l1.find("\"type\":\"interval\""), std::string::npos);
	EXPECT_NE(l1.find("\"rx_pps\":1500"), std::string::npos) << l1;
	EXPECT_NE(l1.find("\"drops\":1"), std::string::npos) << l1;
	std::string l2 = s.substr(first + 1, s.find('\n', first + 1) - first - 1);
	EXPECT_NE(l2.find("\"rx_pps\":1000"), std::string::npos) << l2;
	EXPECT_NE(l2.find("\"rx_pkts\":2500"), std::string::npos) << l2;
	EXPECT_NE(s.find("\"type\":\"summary\""), std::string::npos);
	EXPECT_NE(s.find("\"status\":\"done\""), std::string::npos);
	EXPECT_NE(s.find("\"label\":\"w1 s1/0\""), std::string::npos);
	EXPECT_NE(s.find("{\"id\":0,\"label\":\"w0 c0/0\",\"counters\":{\"rx_pkts\":2000"),
		  std::string::npos)
		<< s;
}

/* Histograms go out as bucket counts (summary and per-interval gains) and
 * come back exactly: the intervals' gains merged equal the summary, bucket
 * by bucket, and equal the workers' own histograms. */
TEST(Stats, HistogramsRoundTripThroughJsonExactly)
{
	char path[] = "/tmp/synack_hist_XXXXXX";
	int fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	close(fd);
	static struct stats_worker a, b;
	static struct stats_hist ha, hb, want;
	memset(&ha, 0, sizeof(ha));
	memset(&hb, 0, sizeof(hb));
	a.h[HIST_handshake] = &ha;
	b.h[HIST_handshake] = &hb;
	struct stats_worker *ws[2] = {&a, &b};
	struct stats_report *r = stats_report_create(ws, 2, nullptr, path);
	ASSERT_NE(r, nullptr);
	stats_report_set_hz(r, 2500000000ULL);
	uint64_t x = 12345;
	for (int iv = 1; iv <= 3; iv++) {
		for (int i = 0; i < 5000 * iv; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			uint64_t v = (x >> 33) % (iv == 2 ? 100000000ULL : 3000ULL);
			stats_hist_add(i & 1 ? &ha : &hb, v);
		}
		stats_report_interval(r, 1000u * iv);
	}
	stats_report_summary(r, 3000, "done");
	stats_report_free(r);
	a.h[HIST_handshake] = nullptr;
	b.h[HIST_handshake] = nullptr;
	memset(&want, 0, sizeof(want));
	stats_hist_merge(&want, &ha);
	stats_hist_merge(&want, &hb);

	struct stats_run run;
	char err[256];
	ASSERT_EQ(stats_run_load(path, &run, err, sizeof(err)), 0) << err;
	unlink(path);
	ASSERT_EQ(json_array_size(run.intervals), 3u);
	ASSERT_NE(run.summary, nullptr);
	static struct stats_hist sum, one, iv;
	uint64_t hz = 0;
	ASSERT_EQ(stats_hist_from_json(json_object_get(run.summary, "hist"), "handshake", &sum, &hz,
				       err, sizeof(err)),
		  1)
		<< err;
	EXPECT_EQ(hz, 2500000000ULL);
	EXPECT_EQ(sum.count, want.count);
	EXPECT_EQ(sum.sum, want.sum);
	EXPECT_EQ(sum.min, want.min);
	EXPECT_EQ(sum.max, want.max);
	EXPECT_EQ(memcmp(sum.b, want.b, sizeof(sum.b)), 0);
	EXPECT_EQ(stats_hist_from_json(json_object_get(run.summary, "hist"), "ttfb", &one, &hz, err,
				       sizeof(err)),
		  0);
	memset(&iv, 0, sizeof(iv));
	size_t i;
	json_t *o;
	json_array_foreach(run.intervals, i, o)
	{
		ASSERT_EQ(stats_hist_from_json(json_object_get(o, "hist"), "handshake", &one, &hz,
					       err, sizeof(err)),
			  1)
			<< err;
		EXPECT_EQ(one.count, 5000u * (i + 1));
		stats_hist_merge(&iv, &one);
	}
	EXPECT_EQ(iv.count, want.count);
	EXPECT_EQ(iv.sum, want.sum);
	EXPECT_EQ(memcmp(iv.b, want.b, sizeof(iv.b)), 0);
	EXPECT_EQ(stats_hist_quantile(&iv, 0.99), stats_hist_quantile(&want, 0.99));
	stats_run_free(&run);
}

TEST(Stats, RunLoadNamesTheBadLine)
{
	char path[] = "/tmp/synack_bad_XXXXXX";
	int fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	const char text[] = "{\"type\":\"interval\",\"t\":1}\n{oops\n";
	ASSERT_EQ(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	struct stats_run run;
	char err[256];
	EXPECT_EQ(stats_run_load(path, &run, err, sizeof(err)), -1);
	EXPECT_NE(strstr(err, ":2: not a JSON object"), nullptr) << err;
	unlink(path);
}

TEST(Stats, UnwritableJsonPathFailsWithErrno)
{
	static struct stats_worker a;
	struct stats_worker *ws[1] = {&a};
	errno = 0;
	EXPECT_EQ(stats_report_create(ws, 1, nullptr, "/nonexistent/dir/x.jsonl"), nullptr);
	EXPECT_EQ(errno, ENOENT);
}

} // namespace

namespace {

struct stats_iv_rate
iv_at(uint64_t t_ms, uint64_t conns)
{
	struct stats_iv_rate v = {t_ms, 1000, conns, conns, conns * 500, conns * 400};
	return v;
}

TEST(Rates, SteadyPartLeavesOutTheRampUpAndTheDrain)
{
	// ramp 1000, 5000, then 10000 x 6 (one at 9500), then a drain of 2000
	const uint64_t c[] = {1000, 5000, 10000, 10000, 9500, 10000, 10000, 10000, 2000};
	struct stats_iv_rate iv[9];
	for (unsigned int i = 0; i < 9; i++)
		iv[i] = iv_at(1000 * (i + 1), c[i]);
	struct stats_rates r;
	ASSERT_EQ(stats_rates_compute(iv, 9, &r), 0);
	EXPECT_EQ(r.basis, STATS_BASIS_RPS);
	EXPECT_DOUBLE_EQ(r.median, 10000);
	EXPECT_EQ(r.measured.intervals, 9u);
	EXPECT_DOUBLE_EQ(r.measured.secs, 9);
	EXPECT_NEAR(r.measured.cps, 67500.0 / 9, 1e-9);
	ASSERT_TRUE(r.has_steady);
	EXPECT_EQ(r.steady.intervals, 6u); // 10000 .. 10000, the 9500 (>= 90%) inside
	EXPECT_DOUBLE_EQ(r.steady.t_from, 2);
	EXPECT_DOUBLE_EQ(r.steady.t_to, 8);
	EXPECT_NEAR(r.steady.cps, 59500.0 / 6, 1e-9);
	EXPECT_NEAR(r.steady.rx_gbps, 59500.0 * 500 * 8 / 6 / 1e9, 1e-12);
	EXPECT_NEAR(r.steady.tx_gbps, 59500.0 * 400 * 8 / 6 / 1e9, 1e-12);
}

TEST(Rates, BasisFallsBackToConnectionsThenBytes)
{
	struct stats_iv_rate iv[3] = {
		{1000, 1000, 5, 0, 0, 0}, {2000, 1000, 5, 0, 0, 0}, {3000, 1000, 5, 0, 0, 0}};
	struct stats_rates r;
	ASSERT_EQ(stats_rates_compute(iv, 3, &r), 0);
	EXPECT_EQ(r.basis, STATS_BASIS_CPS);
	for (auto &v : iv) {
		v.conns = 0;
		v.rx_bytes = 125000000; // 1 Gbit
	}
	ASSERT_EQ(stats_rates_compute(iv, 3, &r), 0);
	EXPECT_EQ(r.basis, STATS_BASIS_GBPS);
	EXPECT_NEAR(r.steady.rx_gbps, 1.0, 1e-12);
	for (auto &v : iv)
		v.rx_bytes = 0;
	EXPECT_EQ(stats_rates_compute(iv, 3, &r), -1); // nothing ran: no steady part
	EXPECT_FALSE(r.has_steady);
	EXPECT_EQ(r.measured.intervals, 3u);
	EXPECT_EQ(stats_rates_compute(iv, 0, &r), -1);
}

TEST(Rates, SummaryCarriesThemAndJsonHistOffLeavesHistogramsOut)
{
	char path[] = "/tmp/synack_rates_XXXXXX";
	int fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	close(fd);
	static struct stats_worker a;
	memset(&a, 0, sizeof(a));
	static struct stats_hist h;
	memset(&h, 0, sizeof(h));
	a.h[HIST_response] = &h;
	struct stats_worker *ws[1] = {&a};
	struct stats_report *r = stats_report_create(ws, 1, nullptr, path);
	ASSERT_NE(r, nullptr);
	stats_report_set_json_hist(r, STATS_JSON_HIST_SUMMARY);
	stats_report_start(r, "\"wall_start\":1.5");
	for (int s = 1; s <= 4; s++) {
		a.c[STAT_gen_conn_tx] += 100;
		a.c[STAT_gen_conn_ok] += 100;
		a.c[STAT_gen_resp_rx] += s == 1 ? 10 : 100;
		stats_hist_add(&h, 1000);
		stats_report_interval(r, 1000u * s);
	}
	stats_report_summary(r, 4000, "done");
	stats_report_free(r);
	a.h[HIST_response] = nullptr;
	struct stats_run run;
	char err[256];
	ASSERT_EQ(stats_run_load(path, &run, err, sizeof(err)), 0) << err;
	unlink(path);
	ASSERT_EQ(json_array_size(run.other), 1u);
	EXPECT_DOUBLE_EQ(
		json_number_value(json_object_get(json_array_get(run.other, 0), "wall_start")),
		1.5);
	EXPECT_EQ(json_object_get(json_array_get(run.intervals, 0), "hist"), nullptr);
	EXPECT_NE(json_object_get(run.summary, "hist"), nullptr);
	json_t *rates = json_object_get(run.summary, "rates");
	ASSERT_NE(rates, nullptr);
	EXPECT_NEAR(json_number_value(json_object_get(json_object_get(rates, "measured"), "rps")),
		    310.0 / 4, 0.1);
	EXPECT_NEAR(json_number_value(json_object_get(json_object_get(rates, "steady"), "rps")),
		    100, 0.1);
	EXPECT_STREQ(json_string_value(json_object_get(rates, "steady_basis")), "rps");
	stats_run_free(&run);
}

TEST(Html, NiceStepsAndEscaping)
{
	EXPECT_DOUBLE_EQ(stats_nice_step(100, 5), 20);
	EXPECT_DOUBLE_EQ(stats_nice_step(1, 4), 0.25);
	EXPECT_DOUBLE_EQ(stats_nice_step(37000, 5), 10000);
	EXPECT_DOUBLE_EQ(stats_nice_step(0, 5), 1);
	char *buf = nullptr;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	stats_html_escape(f, "<a href=\"x\">&'</a>");
	fclose(f);
	EXPECT_STREQ(buf, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
	free(buf);
}

TEST(Html, CdfEndsAtOneAndRises)
{
	static struct stats_hist h;
	memset(&h, 0, sizeof(h));
	for (uint64_t v = 1; v <= 100000; v += 7)
		stats_hist_add(&h, v);
	static double x[HIST_BUCKETS], y[HIST_BUCKETS];
	unsigned int n = stats_hist_cdf(&h, 1000000, x, y, HIST_BUCKETS); // 1 tick = 1 us
	ASSERT_GT(n, 100u);
	EXPECT_DOUBLE_EQ(y[n - 1], 1.0);
	for (unsigned int i = 1; i < n; i++) {
		EXPECT_GT(x[i], x[i - 1]);
		EXPECT_GT(y[i], y[i - 1]);
	}
	EXPECT_GE(x[n - 1], 100000.0 - 7); // the top bucket's upper edge
	EXPECT_LE(x[n - 1], 100000.0 * 1.01);
}

TEST(Html, LatencySeriesIsEachIntervalsOwnPercentile)
{
	// three intervals: 1 ms, (none), 3 ms -- the empty one is a gap
	const char *lines =
		"[{\"t\":1,\"hist\":{\"hz\":1000000,\"sub_bits\":7,\"series\":{\"response\":"
		"{\"b\":[[%u,10]],\"count\":10,\"sum\":10000}}}},"
		"{\"t\":2,\"hist\":{\"hz\":1000000,\"sub_bits\":7,\"series\":{}}},"
		"{\"t\":3,\"hist\":{\"hz\":1000000,\"sub_bits\":7,\"series\":{\"response\":"
		"{\"b\":[[%u,10]],\"count\":10,\"sum\":30000}}}}]";
	char text[1024];
	snprintf(text, sizeof(text), lines, stats_hist_index(1000), stats_hist_index(3000));
	json_error_t je;
	json_t *iv = json_loads(text, 0, &je);
	ASSERT_NE(iv, nullptr) << je.text;
	double x[3], y[3];
	ASSERT_EQ(stats_lat_series(iv, "response", 0.5, x, y, 3), 2u);
	EXPECT_DOUBLE_EQ(x[0], 1);
	EXPECT_DOUBLE_EQ(x[1], 3);
	EXPECT_NEAR(y[0], 1000, 1000 * 0.008);
	EXPECT_NEAR(y[1], 3000, 3000 * 0.008);
	json_decref(iv);
}

} // namespace
