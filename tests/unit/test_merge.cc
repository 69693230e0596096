/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * app/synack/merge.c (synack merge): files written by stats_report, one per
 * segment, merged into one; the merged histogram equals the histogram of
 * all the samples, bucket by bucket; counters add up; intervals line up by
 * wall-clock second; overlapping segments and sources and differing
 * configs are warned about.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <jansson.h>

#include "app/synack/merge.h"
#include "lib/stats/stats.h"

namespace {

std::string
TempPath(const char *tag)
{
	char p[64];
	snprintf(p, sizeof(p), "/tmp/synack_merge_%s_XXXXXX", tag);
	int fd = mkstemp(p);
	EXPECT_GE(fd, 0);
	close(fd);
	return p;
}

void
WriteFile(const std::string &path, const std::string &text)
{
	FILE *f = fopen(path.c_str(), "w");
	ASSERT_NE(f, nullptr);
	fputs(text.c_str(), f);
	fclose(f);
}

/* Merge paths; the warnings (stderr side) into *warn. */
int
Merge(const std::vector<std::string> &paths, const std::string &out, std::string *warn)
{
	std::vector<const char *> v;
	for (const std::string &p : paths)
		v.push_back(p.c_str());
	char *buf = NULL;
	size_t len = 0;
	FILE *e = open_memstream(&buf, &len);
	int rc = merge_files(v.data(), (unsigned int)v.size(), out.c_str(), NULL, e);
	fclose(e);
	*warn = std::string(buf, len);
	free(buf);
	return rc;
}

struct Lcg {
	uint64_t x;
	uint64_t Next(uint64_t mod)
	{
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		return (x >> 33) % mod;
	}
};

} // namespace

TEST(Merge, HistogramsOfTheSegmentsMergeToTheHistogramOfAllSamples)
{
	static struct stats_hist all[2], seg[3][2];
	std::vector<std::string> files;
	Lcg rng = {42};
	const int ids[2] = {HIST_handshake, HIST_response};

	memset(all, 0, sizeof(all));
	for (int s = 0; s < 3; s++) {
		static struct stats_worker w;
		memset(&w, 0, sizeof(w));
		memset(seg[s], 0, sizeof(seg[s]));
		w.h[ids[0]] = &seg[s][0];
		w.h[ids[1]] = &seg[s][1];
		struct stats_worker *ws[1] = {&w};
		files.push_back(TempPath("seg"));
		struct stats_report *r = stats_report_create(ws, 1, nullptr, files.back().c_str());
		ASSERT_NE(r, nullptr);
		stats_report_set_hz(r, 2100000000ULL);
		char js[160];
		snprintf(js, sizeof(js),
			 "{\"index\":%d,\"count\":3,\"from\":\"%d/3\",\"to\":\"%d/3\"}", s, s,
			 s + 1);
		stats_report_add_json(r, "segment", js);
		snprintf(js, sizeof(js),
			 "{\"ip_lo\":\"198.18.0.%d\",\"ip_hi\":\"198.18.0.%d\",\"port_lo\":1024,"
			 "\"port_hi\":65535}",
			 10 + s, 10 + s);
		stats_report_add_json(r, "source", js);
		stats_report_add_json(r, "config", "{\"rate\":7,\"target\":\"198.18.0.2:80\"}");
		/* each segment its own spread of values, sample counts that differ */
		for (int i = 0; i < 7001 * (s + 1); i++) {
			uint64_t v = rng.Next(s == 1 ? 500000000ULL : 40000ULL);
			stats_hist_add(&seg[s][i & 1], v);
			stats_hist_add(&all[i & 1], v);
		}
		w.c[STAT_gen_conn_ok] = 1000u + s;
		w.c[STAT_http_resp_200] = 100000000000ULL + s; /* beyond 2^32: exact */
		stats_report_interval(r, 1000);
		stats_report_summary(r, 1000, "done");
		stats_report_free(r);
	}
	std::string out = TempPath("out"), warn;
	ASSERT_EQ(Merge(files, out, &warn), 0) << warn;
	EXPECT_EQ(warn, "");

	struct stats_run run;
	char err[256];
	ASSERT_EQ(stats_run_load(out.c_str(), &run, err, sizeof(err)), 0) << err;
	ASSERT_NE(run.summary, nullptr);
	for (int k = 0; k < 2; k++) {
		static struct stats_hist got;
		uint64_t hz = 0;
		ASSERT_EQ(stats_hist_from_json(json_object_get(run.summary, "hist"),
					       stats_hist_name((enum stats_hist_id)ids[k]), &got,
					       &hz, err, sizeof(err)),
			  1)
			<< err;
		EXPECT_EQ(hz, 2100000000ULL);
		EXPECT_EQ(got.count, all[k].count);
		EXPECT_EQ(got.sum, all[k].sum);
		EXPECT_EQ(got.min, all[k].min);
		EXPECT_EQ(got.max, all[k].max);
		for (unsigned int b = 0; b < HIST_BUCKETS; b++)
			ASSERT_EQ(got.b[b], all[k].b[b]) << "bucket " << b;
		/* the percentiles come from the merged histogram */
		json_t *lat = json_object_get(json_object_get(run.summary, "latency_us"),
					      stats_hist_name((enum stats_hist_id)ids[k]));
		ASSERT_NE(lat, nullptr);
		double us = 1e6 / 2100000000.0;
		EXPECT_NEAR(json_number_value(json_object_get(lat, "p99")),
			    (double)stats_hist_quantile(&all[k], 0.99) * us, 0.001);
		EXPECT_NEAR(json_number_value(json_object_get(lat, "p50")),
			    (double)stats_hist_quantile(&all[k], 0.5) * us, 0.001);
	}
	json_t *c = json_object_get(run.summary, "counters");
	EXPECT_EQ(json_integer_value(json_object_get(c, "gen_conn_ok")), 3003);
	EXPECT_EQ(json_integer_value(json_object_get(c, "http_resp_200")), 300000000003LL);
	EXPECT_EQ(json_array_size(json_object_get(run.summary, "segments")), 3u);
	EXPECT_STREQ(json_string_value(json_object_get(run.summary, "status")), "done");
	stats_run_free(&run);
	for (const std::string &f : files)
		unlink(f.c_str());
	unlink(out.c_str());
}

/* A file of intervals at given wall-clock times, and a summary. */
std::string
Series(const std::string &seg, const std::string &src, double wall0, int n, int cps,
       const char *status = "done", const char *rate = "7")
{
	std::string s;
	char line[512];
	for (int i = 1; i <= n; i++) {
		snprintf(line, sizeof(line),
			 "{\"type\":\"interval\",\"t\":%d.000,\"wall\":%.3f,\"cps\":%d,"
			 "\"gauges\":{\"gen_active\":2},\"counters\":{\"gen_conn_ok\":%d}}\n",
			 i, wall0 + i, cps, cps * i);
		s += line;
	}
	snprintf(line, sizeof(line),
		 "{\"type\":\"summary\",\"t\":%d.0,\"status\":\"%s\",\"drops\":0,\"counters\":"
		 "{\"gen_conn_ok\":%d},\"segment\":%s,\"source\":%s,\"config\":{\"rate\":%s,"
		 "\"target\":\"198.18.0.2:80\"}}\n",
		 n, status, cps * n, seg.c_str(), src.c_str(), rate);
	return s + line;
}

TEST(Merge, IntervalsLineUpByWallClockSecondAndSum)
{
	std::string a = TempPath("a"), b = TempPath("b"), out = TempPath("o"), warn;
	/* b started 2 s after a, a few ms off the second */
	WriteFile(a, Series("{\"from\":\"0/1\",\"to\":\"1/2\"}",
			    "{\"ip_lo\":\"198.18.0.10\",\"ip_hi\":\"198.18.0.10\",\"port_lo\":1,"
			    "\"port_hi\":9}",
			    1796000000.002, 4, 10));
	WriteFile(b, Series("{\"from\":\"1/2\",\"to\":\"1/1\"}",
			    "{\"ip_lo\":\"198.18.0.11\",\"ip_hi\":\"198.18.0.11\",\"port_lo\":1,"
			    "\"port_hi\":9}",
			    1796000002.004, 4, 100));
	ASSERT_EQ(Merge({a, b}, out, &warn), 0) << warn;
	EXPECT_EQ(warn, "");
	struct stats_run run;
	char err[256];
	ASSERT_EQ(stats_run_load(out.c_str(), &run, err, sizeof(err)), 0) << err;
	ASSERT_EQ(json_array_size(run.intervals), 6u);
	const int want_cps[6] = {10, 10, 110, 110, 100, 100};
	const int want_n[6] = {1, 1, 2, 2, 1, 1};
	for (size_t i = 0; i < 6; i++) {
		json_t *iv = json_array_get(run.intervals, i);
		EXPECT_EQ(json_integer_value(json_object_get(iv, "cps")), want_cps[i]) << i;
		EXPECT_EQ(json_integer_value(json_object_get(iv, "segments")), want_n[i]) << i;
		EXPECT_DOUBLE_EQ(json_number_value(json_object_get(iv, "t")), (double)(i + 1));
	}
	EXPECT_EQ(
		json_integer_value(json_object_get(
			json_object_get(json_array_get(run.intervals, 2), "gauges"), "gen_active")),
		4);
	EXPECT_EQ(json_integer_value(
			  json_object_get(json_object_get(run.summary, "counters"), "gen_conn_ok")),
		  440);
	stats_run_free(&run);
	unlink(a.c_str());
	unlink(b.c_str());
	unlink(out.c_str());
}

TEST(Merge, OverlapsGapsAndDifferentConfigsAreWarnedAbout)
{
	std::string a = TempPath("a"), b = TempPath("b"), out = TempPath("o"), warn;
	std::string src = "{\"ip_lo\":\"198.18.0.10\",\"ip_hi\":\"198.18.0.12\",\"port_lo\":1024,"
			  "\"port_hi\":2047}";
	std::string src2 = "{\"ip_lo\":\"198.18.0.12\",\"ip_hi\":\"198.18.0.12\",\"port_lo\":2000,"
			   "\"port_hi\":3000}";
	WriteFile(a, Series("{\"from\":\"0/1\",\"to\":\"1/2\"}", src, 1796000000, 2, 1));
	WriteFile(b, Series("{\"from\":\"1/3\",\"to\":\"2/3\"}", src2, 1796000000, 2, 1,
			    "failed: target 198.18.0.2 did not answer ARP", "8"));
	EXPECT_EQ(Merge({a, b}, out, &warn), 1); /* a segment's run failed */
	EXPECT_NE(warn.find("overlaps another file's"), std::string::npos) << warn;
	EXPECT_NE(warn.find("no file has the segment 2/3:1"), std::string::npos) << warn;
	EXPECT_NE(warn.find("the source ranges overlap"), std::string::npos) << warn;
	EXPECT_NE(warn.find("the configs differ (rate)"), std::string::npos) << warn;
	struct stats_run run;
	char err[256];
	ASSERT_EQ(stats_run_load(out.c_str(), &run, err, sizeof(err)), 0) << err;
	EXPECT_EQ(json_array_size(json_object_get(run.summary, "warnings")), 4u);
	EXPECT_EQ(std::string(json_string_value(json_object_get(run.summary, "status")))
			  .rfind("failed: ", 0),
		  0u);
	stats_run_free(&run);
	unlink(a.c_str());
	unlink(b.c_str());
	unlink(out.c_str());
}

TEST(Merge, AFileThatIsNotARunIsRefused)
{
	std::string a = TempPath("a"), out = TempPath("o"), warn;
	WriteFile(a, "{\"type\":\"start\"}\n");
	EXPECT_EQ(Merge({a}, out, &warn), 2);
	EXPECT_NE(warn.find("not a synack --json file"), std::string::npos) << warn;
	EXPECT_EQ(Merge({"/nonexistent/x.jsonl"}, out, &warn), 2);
	unlink(a.c_str());
	unlink(out.c_str());
}
