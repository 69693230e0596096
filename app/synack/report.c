/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The report and the verdict: the per-interval lines and JSON (lib/stats),
 * the stop conditions checked once per interval, and at the end every
 * application's result, the checks on the totals, the ports' own counters,
 * the memory per connection and the summary.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>

#include "app/synack/synack.h"
#include "lib/net/net.h"

uint64_t
rss_bytes(void)
{
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

/*
 * What synack merge compares between the files of one run: the segment,
 * the sources it used (the client ports' addresses and client.ports) and
 * the keys that must be the same in every segment.
 */
static void
report_segment(struct synack *s)
{
	const struct cfg *cfg = s->cfg;
	const struct plan *pl = &s->pl;
	char seg[48], js[768], lo[16], hi[16], tg[16];
	unsigned int p = 0;

	segment_str(&pl->seg, seg, sizeof(seg));
	snprintf(js, sizeof(js),
		 "{\"index\":%u,\"count\":%u,\"from\":\"%" PRIu64 "/%" PRIu64 "\",\"to\":\"%" PRIu64
		 "/%" PRIu64 "\",\"spec\":\"%s\",\"idle\":%s,\"rate\":%" PRIu64
		 ",\"concurrency\":%u,\"count_share\":%" PRIu64 ",\"flows\":%u}",
		 pl->seg.index, pl->seg.count, pl->seg.f.from_num, pl->seg.f.from_den,
		 pl->seg.f.to_num, pl->seg.f.to_den, seg, pl->seg_idle ? "true" : "false",
		 pl->ss.rate, pl->ss.conc, pl->ss.count, pl->ss.flows);
	stats_report_add_json(s->rep, "segment", js);
	if (cfg->run.mode == CFG_MODE_SERVER)
		return;
	net_ip_str(cfg->port[p].ip + pl->ss.ip_off[p], lo);
	net_ip_str(cfg->port[p].ip + pl->ss.ip_off[p] + pl->ss.ip_n[p] - 1, hi);
	snprintf(js, sizeof(js),
		 "{\"ip_lo\":\"%s\",\"ip_hi\":\"%s\",\"port_lo\":%u,\"port_hi\":%u,"
		 "\"by\":\"%s\"}",
		 lo, hi, pl->ss.port_lo, pl->ss.port_hi, pl->ss.by_address ? "address" : "port");
	stats_report_add_json(s->rep, "source", js);
	net_ip_str(cfg->client.target[0].ip, tg);
	snprintf(js, sizeof(js),
		 "{\"mode\":\"%s\",\"model\":\"%s\",\"target\":\"%s:%u\",\"targets\":%u,"
		 "\"rate\":%" PRIu64 ",\"concurrency\":%u,\"count\":%" PRIu64
		 ",\"duration_ms\":%" PRIu64 ",\"flows\":%u,\"ports\":\"%u-%u\","
		 "\"ip_count\":%u,\"lcores\":%u,\"start_at_ns\":%" PRIu64 "}",
		 cfg_mode_name(cfg->run.mode), cfg_model_name(cfg->client.model), tg,
		 cfg->client.target[0].port, cfg->client.nb_target, cfg->client.rate,
		 cfg->client.concurrency, cfg->client.count, cfg->run.duration_ms,
		 cfg->client.flows, cfg->client.port_lo, cfg->client.port_hi, cfg->port[p].ip_count,
		 cfg->run.lcores, cfg->run.start_at_ns);
	stats_report_add_json(s->rep, "config", js);
}

int
report_open(struct synack *s)
{
	const struct cfg *cfg = s->cfg;

	for (unsigned int w = 0; w < s->pl.nb_workers; w++)
		s->blocks[w] = &s->slot[w].w->stats;
	s->rep = stats_report_create(s->blocks, s->pl.nb_workers, cfg->run.quiet ? NULL : stdout,
				     cfg->run.json);
	if (s->rep == NULL) {
		fprintf(stderr, "synack: %s:run:json: cannot open \"%s\": %s\n", cfg->file,
			cfg->run.json, strerror(errno));
		return EXIT_USAGE;
	}
	stats_report_set_hz(s->rep, rte_get_tsc_hz());
	stats_report_set_json_hist(s->rep, (enum stats_json_hist)cfg->run.json_hist);
	for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
		const struct worker *wk = s->slot[w].w;
		char label[64];
		int off = snprintf(label, sizeof(label), "w%u", w);

		for (unsigned int i = 0; i < wk->nb_ports && off < (int)sizeof(label); i++)
			off += snprintf(label + off, sizeof(label) - (size_t)off, " %s%u/%u",
					wk->port[i].role & WORKER_ROLE_CLIENT ? "c" : "s",
					wk->port[i].index, wk->port[i].queue);
		stats_report_set_label(s->rep, w, label);
	}
	report_segment(s);
	return 0;
}

/*
 * The HTTP models' stop conditions, once per report interval: the error rate
 * over the last interval and the p99 response latency so far. true (with
 * the reason as the status) when the run must stop and fail.
 */
bool
report_check_stop(struct synack *s, uint64_t t_ms)
{
	static uint64_t prev_err, prev_ok;
	static struct stats_hist merged;
	const struct cfg_client *cc = &s->cfg->client;
	uint64_t tot[STAT_MAX], err = 0, ok;

	if (s->pl.nb_clients == 0 || !s->pl.http_model)
		return false;
	stats_report_total(s->rep, tot);
	for (int i = 0; i < STAT_MAX; i++)
		if (strncmp(stats_name((enum stats_id)i), "gen_err_", 8) == 0)
			err += tot[i];
	ok = tot[STAT_gen_resp_rx] + (cc->request_none ? tot[STAT_gen_done] : 0);
	uint64_t d_err = err - prev_err, d_ok = ok - prev_ok;
	prev_err = err;
	prev_ok = ok;
	if (cc->max_error_rate < 100 && d_err + d_ok > 0 &&
	    d_err * 100 > (uint64_t)cc->max_error_rate * (d_err + d_ok)) {
		snprintf(s->why, sizeof(s->why),
			 "failed: error rate %.1f%% > max_error_rate %u%% at %.1fs",
			 100.0 * (double)d_err / (double)(d_err + d_ok), cc->max_error_rate,
			 (double)t_ms / 1000.0);
		s->status = s->why;
		return true;
	}
	if (cc->max_p99_ms == 0)
		return false;
	memset(&merged, 0, sizeof(merged));
	for (unsigned int w = 0; w < s->pl.nb_workers; w++)
		if (s->slot[w].w->stats.h[HIST_response] != NULL)
			stats_hist_merge(&merged, s->slot[w].w->stats.h[HIST_response]);
	double p99_ms = (double)stats_hist_quantile(&merged, 0.99) * 1000.0 /
			(double)rte_get_tsc_hz();
	if (merged.count > 0 && p99_ms > (double)cc->max_p99_ms) {
		snprintf(s->why, sizeof(s->why),
			 "failed: p99 response latency %.2f ms > max_p99 %" PRIu64 " ms at %.1fs",
			 p99_ms, cc->max_p99_ms, (double)t_ms / 1000.0);
		s->status = s->why;
		return true;
	}
	return false;
}

/* Every application's result (each prints its own); the first failure's sentence. */
static void
app_results(struct synack *s, char *why, size_t whylen)
{
	for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
		const struct worker *wk = s->slot[w].w;

		for (unsigned int i = 0; i < wk->nb_apps; i++) {
			const struct worker_app *a = &wk->apps[i];
			char one[160] = "";

			if (a->cls->result != NULL &&
			    a->cls->result(a->obj, stdout, one, sizeof(one)) != 0 && why[0] == '\0')
				snprintf(why, whylen, "%s",
					 one[0] ? one : "failed: an application failed");
		}
	}
}

/* What the totals say about a client run that no application saw. */
static void
total_checks(struct synack *s, const uint64_t *tot, char *why, size_t whylen)
{
	const struct cfg *cfg = s->cfg;
	char ip[16];

	if (why[0] != '\0' || s->pl.nb_clients == 0)
		return;
	if (tot[STAT_icmp_echo_tx] > 0 && tot[STAT_icmp_reply_rx] == 0)
		snprintf(why, whylen, "failed: no echo replies");
	else if (s->pl.udp_model && cfg->client.echo && tot[STAT_udp_gen_tx] > 0 &&
		 tot[STAT_udp_gen_rx] == 0)
		snprintf(why, whylen, "failed: no UDP echoes");
	else if ((s->pl.http_model || s->pl.bulk_model) && tot[STAT_gen_conn_tx] > 0 &&
		 tot[STAT_gen_conn_ok] == 0)
		snprintf(why, whylen, "failed: no connection to %s:%u was established",
			 net_ip_str(cfg->client.target[0].ip, ip), cfg->client.target[0].port);
}

/*
 * A paced HTTP run (client.rate): the rate it achieved (connections
 * completed for cps, requests sent for rps/cc) against its target over the
 * run time (half a ramp-up counted as lost), and what held it back: the
 * launch caps as counted by gen_limit_* (concurrency cap, SYN backlog =
 * max_syn_inflight, pool = source ports or TCBs), else the link (launches
 * went out on time; the path did not carry them: SYN retransmissions, drops).
 * Below 90% a warning; below run.min_rate_ratio a failure.
 */
static void
rate_check(struct synack *s, const uint64_t *tot, char *why, size_t whylen)
{
	const struct cfg *cfg = s->cfg;
	const struct cfg_client *cc = &cfg->client;
	static const struct {
		enum stats_id id;
		const char *name;
	} lim[] = {{STAT_gen_limit_concurrency, "concurrency cap"},
		   {STAT_gen_limit_syn, "SYN backlog"},
		   {STAT_gen_limit_pool, "pool"}};
	const char *by = "link";
	uint64_t most = 0;
	char js[256];

	if (s->pl.nb_clients == 0 || !s->pl.http_model || cc->rate == 0 ||
	    cc->model == CFG_MODEL_CC)
		return;
	double t = ((double)s->t_ms - (double)cc->ramp_up_ms / 2) / 1000.0;
	if (t < 1.0)
		return; /* too short to say */
	bool cps = cc->model == CFG_MODEL_CPS;
	double done = (double)(cps ? tot[STAT_gen_done] : tot[STAT_gen_req_tx]);
	double target = (double)cc->rate;
	if (cc->count != 0 && done >= (double)cc->count)
		return; /* bounded by its count, and it got there */
	double got = done / t, ratio = got / target;
	for (unsigned int i = 0; i < RTE_DIM(lim); i++)
		if (tot[lim[i].id] > most) {
			most = tot[lim[i].id];
			by = lim[i].name;
		}
	snprintf(js, sizeof(js),
		 "{\"target\":%.0f,\"achieved\":%.1f,\"ratio\":%.3f,\"limited_by\":\"%s\"}", target,
		 got, ratio, by);
	stats_report_add_json(s->rep, "rate", js);
	if (ratio >= 0.9)
		return;
	printf("warning: achieved %.0f %s/s of the target %.0f/s (%.0f%%), limited by: %s "
	       "(tcp_retrans %" PRIu64 ", gen_limit_concurrency %" PRIu64 ", gen_limit_syn %" PRIu64
	       ", gen_limit_pool %" PRIu64 ")\n",
	       got, cps ? "connections" : "requests", target, 100.0 * ratio, by,
	       tot[STAT_tcp_retrans], tot[STAT_gen_limit_concurrency], tot[STAT_gen_limit_syn],
	       tot[STAT_gen_limit_pool]);
	if (why[0] == '\0' && cfg->run.min_rate_ratio != 0 &&
	    100.0 * ratio < (double)cfg->run.min_rate_ratio)
		snprintf(why, whylen,
			 "failed: achieved %.0f/s, %.0f%% of the target %.0f/s < min_rate_ratio "
			 "%u%%, limited by: %s",
			 got, 100.0 * ratio, target, cfg->run.min_rate_ratio, by);
}

/*
 * The ports' own counters: frames the NIC or the kernel dropped before
 * synack saw them (imissed, rx_nombuf) are counted nowhere else.
 */
static void
port_counters(struct synack *s)
{
	char pj[1024];
	int pn = snprintf(pj, sizeof(pj), "[");

	for (unsigned int p = 0; p < s->nb_up && pn < (int)sizeof(pj); p++) {
		struct rte_eth_stats es;

		if (rte_eth_stats_get(s->ports[p].port_id, &es) != 0)
			memset(&es, 0, sizeof(es));
		pn += snprintf(pj + pn, sizeof(pj) - (size_t)pn,
			       "%s{\"port\":%u,\"ipackets\":%" PRIu64 ",\"opackets\":%" PRIu64
			       ",\"imissed\":%" PRIu64 ",\"ierrors\":%" PRIu64
			       ",\"oerrors\":%" PRIu64 ",\"rx_nombuf\":%" PRIu64 "}",
			       p ? "," : "", p, es.ipackets, es.opackets, es.imissed, es.ierrors,
			       es.oerrors, es.rx_nombuf);
		if (es.imissed || es.ierrors || es.oerrors || es.rx_nombuf)
			printf("port%u: imissed %" PRIu64 " ierrors %" PRIu64 " oerrors %" PRIu64
			       " rx_nombuf %" PRIu64 " (dropped before synack saw them)\n",
			       p, es.imissed, es.ierrors, es.oerrors, es.rx_nombuf);
	}
	if (pn < (int)sizeof(pj) - 1) {
		snprintf(pj + pn, sizeof(pj) - (size_t)pn, "]");
		stats_report_add_json(s->rep, "ports", pj);
	}
}

/*
 * Memory per connection, measured: what the resident set grew by since
 * before the flow tables were allocated, over the peak number of TCBs in
 * the tables. Pages of hugepage memory are not in the RSS: with hugepages
 * the figure is not measured.
 */
static void
report_memory(struct synack *s)
{
	uint64_t rss0 = s->rss0, rss1 = s->peak_rss, peak = s->peak_conns;
	double t = (double)s->t_peak / 1000.0;
	bool ok = rss0 != 0 && rss1 >= rss0 && rte_eal_has_hugepages() == 0;
	uint64_t per = ok ? (rss1 - rss0) / peak : 0;
	char js[256];

	if (ok) {
		printf("memory: peak %" PRIu64 " connections (at %.1fs), RSS %.1f MiB -> %.1f MiB: "
		       "%" PRIu64 " bytes per connection measured (%zu estimated)\n",
		       peak, t, (double)rss0 / 1048576.0, (double)rss1 / 1048576.0, per,
		       s->est_per_conn);
		snprintf(js, sizeof(js),
			 "{\"peak_conns\":%" PRIu64 ",\"peak_t\":%.3f,\"est_bytes_per_conn\":%zu,"
			 "\"rss_before\":%" PRIu64 ",\"rss_end\":%" PRIu64
			 ",\"rss_bytes_per_conn\":%" PRIu64 "}",
			 peak, t, s->est_per_conn, rss0, rss1, per);
	} else {
		printf("memory: peak %" PRIu64 " connections (at %.1fs), %zu bytes per connection "
		       "estimated (not measured: %s)\n",
		       peak, t, s->est_per_conn,
		       rte_eal_has_hugepages() ? "hugepage memory is not in the RSS"
					       : "no RSS from /proc/self/statm");
		snprintf(js, sizeof(js),
			 "{\"peak_conns\":%" PRIu64 ",\"peak_t\":%.3f,\"est_bytes_per_conn\":%zu,"
			 "\"rss_bytes_per_conn\":null}",
			 peak, t, s->est_per_conn);
	}
	stats_report_add_json(s->rep, "memory", js);
}

int
verdict(struct synack *s)
{
	static char why[160];
	uint64_t tot[STAT_MAX];

	why[0] = '\0';
	stats_report_total(s->rep, tot);
	app_results(s, why, sizeof(why));
	total_checks(s, tot, why, sizeof(why));
	rate_check(s, tot, why, sizeof(why));
	if (why[0] != '\0')
		s->status = why;
	port_counters(s);
	if (s->peak_conns > 0)
		report_memory(s);
	stats_report_summary(s->rep, s->t_ms, s->status);
	return why[0] != '\0' ? EXIT_FAILED : EXIT_DONE;
}
