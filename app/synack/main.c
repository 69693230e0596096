/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * synack: the one binary.
 *
 *   synack -c FILE.ini [--set section.key=value ...] [--json FILE] [-- EAL args]
 *
 * Order of work, so that nothing bad reaches a port: parse the command line,
 * load and validate the config (exit 2 on any error), derive the EAL
 * arguments when none were given, init EAL, check lcores, create pools,
 * bring up every port (one line each), place workers on (port, queue)
 * pairs, attach the load model, launch, report once per interval, stop on
 * duration / bounded work done / SIGINT / SIGTERM, print the summary.
 *
 * Exit codes: 0 done, 1 the run failed, 2 usage / config / environment.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_version.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "drivers/port.h"
#include "lib/config/config.h"
#include "lib/gen/gen.h"
#include "lib/http/http.h"
#include "lib/iperf/iperf.h"
#include "lib/net/net.h"
#include "lib/stack/stack.h"
#include "lib/stats/stats.h"
#include "lib/tcp/tcp.h"
#include "lib/udp/udp.h"

#define EXIT_DONE   0
#define EXIT_FAILED 1
#define EXIT_USAGE  2

#define MAX_SETS 128

static volatile sig_atomic_t got_signal;
static volatile bool stop_workers;

static void
on_signal(int sig)
{
	got_signal = sig;
}

static void
usage(FILE *o, const char *prog)
{
	fprintf(o,
		"usage: %s -c FILE.ini [options] [-- EAL args]\n"
		"\n"
		"  -c, --config FILE        configuration (INI); see --help-config\n"
		"  -s, --set SEC.KEY=VALUE  override one key (repeatable)\n"
		"  -j, --json FILE          JSON lines: one object per interval, one summary\n"
		"  -q, --quiet              no per-interval lines, only the summary\n"
		"      --help-config        every key with its default and help\n"
		"      --markdown           with --help-config: write docs/config.md format\n"
		"  -V, --version            print the version\n"
		"  -h, --help               this text\n"
		"\n"
		"Without EAL args synack derives them from the config (vdevs, lcores,\n"
		"--no-huge when no hugepages are reserved).\n"
		"Exit codes: 0 done, 1 run failed, 2 usage/config/environment error.\n",
		prog);
}

/* One worker's place: which (port, queue) pairs it owns. */
struct placement {
	unsigned int nb_workers;
	uint16_t nb_queues[CFG_MAX_PORTS];	/* queues per port */
	/* owner[p][q] = worker index */
	uint16_t owner[CFG_MAX_PORTS][PORT_MAX_QUEUES];
	uint8_t role[CFG_MAX_PORTS];
	/* software dispatch: one queue; the nb_owners[p] workers owner[p][0..]
	 * share it, owner[p][0] polls it (struct worker_disp) */
	bool disp[CFG_MAX_PORTS];
	uint16_t nb_owners[CFG_MAX_PORTS];
};

/* Port p shared by its nb_owners workers through one queue (software dispatch). */
static void
place_dispatch(struct placement *pl, unsigned int p)
{
	pl->disp[p] = pl->nb_owners[p] > 1;
	if (pl->disp[p])
		pl->nb_queues[p] = 1;
}

/*
 * server/client: every worker owns queue i of every port.
 * both: port0 is the client side, port1 the server side; one worker polls
 * both, or the workers split in halves.
 */
static int
place_workers(const struct cfg *cfg, struct placement *pl, char *err, size_t errlen)
{
	unsigned int n = cfg->run.lcores;

	memset(pl, 0, sizeof(*pl));
	pl->nb_workers = n;
	if (cfg->run.mode == CFG_MODE_BOTH) {
		pl->role[0] = WORKER_ROLE_CLIENT;
		pl->role[1] = WORKER_ROLE_SERVER;
		for (unsigned int p = 2; p < cfg->nb_ports; p++)
			pl->role[p] = WORKER_ROLE_SERVER;
		if (n == 1) {
			for (unsigned int p = 0; p < cfg->nb_ports; p++) {
				pl->nb_queues[p] = 1;
				pl->nb_owners[p] = 1;
				pl->owner[p][0] = 0;
			}
			return 0;
		}
		if (n % 2 != 0 || cfg->nb_ports != 2) {
			snprintf(err, errlen,
				 "%s:run:lcores: mode both splits workers between port0 and port1: "
				 "use 1 or an even number, and exactly two ports",
				 cfg->file);
			return -1;
		}
		for (unsigned int p = 0; p < 2; p++) {
			pl->nb_queues[p] = n / 2;
			pl->nb_owners[p] = n / 2;
			for (unsigned int q = 0; q < n / 2; q++)
				pl->owner[p][q] = p * (n / 2) + q;
			if (cfg->port[p].dispatch == CFG_DISPATCH_SOFTWARE ||
			    (cfg->port[p].queues == 1 && cfg->port[p].dispatch != CFG_DISPATCH_RSS))
				place_dispatch(pl, p);
			else if (cfg->port[p].queues != 0 && cfg->port[p].queues != n / 2) {
				snprintf(err, errlen,
					 "%s:port%u:queues: %u queues for %u workers on the port: "
					 "each owns one queue (leave queues = 0), or all share one "
					 "(queues = 1 or dispatch = software)",
					 cfg->file, p, cfg->port[p].queues, n / 2);
				return -1;
			}
		}
		return 0;
	}
	for (unsigned int p = 0; p < cfg->nb_ports; p++) {
		uint16_t want = cfg->port[p].queues ? cfg->port[p].queues : n;

		pl->nb_owners[p] = (uint16_t)n;
		for (unsigned int q = 0; q < n; q++)
			pl->owner[p][q] = q;
		pl->role[p] =
			cfg->run.mode == CFG_MODE_CLIENT ? WORKER_ROLE_CLIENT : WORKER_ROLE_SERVER;
		if (n > 1 && (cfg->port[p].dispatch == CFG_DISPATCH_SOFTWARE ||
			      (want == 1 && cfg->port[p].dispatch != CFG_DISPATCH_RSS))) {
			place_dispatch(pl, p);
			continue;
		}
		if (want != n) {
			snprintf(err, errlen,
				 "%s:port%u:queues: %u queues for %u workers: each worker owns one "
				 "queue of every port (leave queues = 0), or all share one "
				 "(queues = 1 or dispatch = software)",
				 cfg->file, p, want, n);
			return -1;
		}
		pl->nb_queues[p] = want;
		pl->role[p] =
			cfg->run.mode == CFG_MODE_CLIENT ? WORKER_ROLE_CLIENT : WORKER_ROLE_SERVER;
		for (unsigned int q = 0; q < want; q++)
			pl->owner[p][q] = q;
	}
	return 0;
}

/* Resident set of the process in bytes (/proc/self/statm), 0 when unknown. */
static uint64_t
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
 * Memory per connection, measured: what the resident set grew by since
 * before the flow tables were allocated, over the peak number of TCBs in
 * the tables. Pages of hugepage memory are not in the RSS: with hugepages
 * the figure is not measured.
 */
static void
report_memory(struct stats_report *rep, uint64_t peak, uint64_t t_peak, size_t est, uint64_t rss0,
	      uint64_t rss1)
{
	char js[256];
	bool ok = rss0 != 0 && rss1 >= rss0 && rte_eal_has_hugepages() == 0;
	uint64_t per = ok ? (rss1 - rss0) / peak : 0;

	if (ok) {
		printf("memory: peak %" PRIu64 " connections (at %.1fs), RSS %.1f MiB -> %.1f MiB: "
		       "%" PRIu64 " bytes per connection measured (%zu estimated)\n",
		       peak, (double)t_peak / 1000.0, (double)rss0 / 1048576.0,
		       (double)rss1 / 1048576.0, per, est);
		snprintf(js, sizeof(js),
			 "{\"peak_conns\":%" PRIu64 ",\"peak_t\":%.3f,\"est_bytes_per_conn\":%zu,"
			 "\"rss_before\":%" PRIu64 ",\"rss_end\":%" PRIu64
			 ",\"rss_bytes_per_conn\":%" PRIu64 "}",
			 peak, (double)t_peak / 1000.0, est, rss0, rss1, per);
	} else {
		printf("memory: peak %" PRIu64 " connections (at %.1fs), %zu bytes per connection "
		       "estimated (not measured: %s)\n",
		       peak, (double)t_peak / 1000.0, est,
		       rte_eal_has_hugepages() ? "hugepage memory is not in the RSS"
					       : "no RSS from /proc/self/statm");
		snprintf(js, sizeof(js),
			 "{\"peak_conns\":%" PRIu64 ",\"peak_t\":%.3f,\"est_bytes_per_conn\":%zu,"
			 "\"rss_bytes_per_conn\":null}",
			 peak, (double)t_peak / 1000.0, est);
	}
	stats_report_add_json(rep, "memory", js);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned int
mbuf_buf_size(const struct cfg *cfg)
{
	unsigned int need = RTE_MBUF_DEFAULT_BUF_SIZE;

	for (unsigned int p = 0; p < cfg->nb_ports; p++) {
		unsigned int b = cfg->port[p].mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN +
				 RTE_PKTMBUF_HEADROOM;
		if (b > need)
			need = b;
	}
	return need;
}

/*
 * The run's stop conditions, checked once per report interval: the error
 * rate over the last interval and the p99 response latency so far.
 * Returns true (with the reason in why) when the run must stop and fail.
 */
static bool
check_stop(const struct cfg *cfg, struct stats_report *rep, struct stats_worker *const *blocks,
	   unsigned int nb_workers, uint64_t t_ms, char *why, size_t whylen)
{
	static uint64_t prev_err, prev_ok;
	static struct stats_hist merged;
	uint64_t tot[STAT_MAX], err = 0, ok;

	stats_report_total(rep, tot);
	for (int i = 0; i < STAT_MAX; i++)
		if (strncmp(stats_name((enum stats_id)i), "gen_err_", 8) == 0)
			err += tot[i];
	ok = tot[STAT_gen_resp_rx] + (cfg->client.request_none ? tot[STAT_gen_done] : 0);
	uint64_t d_err = err - prev_err, d_ok = ok - prev_ok;
	prev_err = err;
	prev_ok = ok;
	if (cfg->client.max_error_rate < 100 && d_err + d_ok > 0 &&
	    d_err * 100 > (uint64_t)cfg->client.max_error_rate * (d_err + d_ok)) {
		snprintf(why, whylen,
			 "failed: error rate %.1f%% > max_error_rate %u%% at %.1fs",
			 100.0 * (double)d_err / (double)(d_err + d_ok), cfg->client.max_error_rate,
			 (double)t_ms / 1000.0);
		return true;
	}
	if (cfg->client.max_p99_ms != 0) {
		memset(&merged, 0, sizeof(merged));
		for (unsigned int w = 0; w < nb_workers; w++)
			if (blocks[w]->h[HIST_response] != NULL)
				stats_hist_merge(&merged, blocks[w]->h[HIST_response]);
		double p99_ms = (double)stats_hist_quantile(&merged, 0.99) * 1000.0 /
				(double)rte_get_tsc_hz();
		if (merged.count > 0 && p99_ms > (double)cfg->client.max_p99_ms) {
			snprintf(why, whylen, "failed: p99 response latency %.2f ms > max_p99 %" PRIu64
				 " ms at %.1fs", p99_ms, cfg->client.max_p99_ms, (double)t_ms / 1000.0);
			return true;
		}
	}
	return false;
}

static struct worker_port *
client_port(struct worker *w)
{
	for (unsigned int i = 0; i < w->nb_ports; i++)
		if (w->port[i].role & WORKER_ROLE_CLIENT)
			return &w->port[i];
	return NULL;
}

static bool
server_port(struct worker *w)
{
	for (unsigned int i = 0; i < w->nb_ports; i++)
		if (w->port[i].role & WORKER_ROLE_SERVER)
			return true;
	return false;
}

static struct tcp_conf
tcp_conf_from(const struct cfg *cfg)
{
	struct tcp_conf tc;

	tcp_conf_defaults(&tc);
	tc.max_conns = cfg->tcp.max_conns;
	tc.rcv_wnd = cfg->tcp.rcv_wnd;
	tc.time_wait_ms = cfg->tcp.time_wait_ms;
	tc.delack_ms = cfg->tcp.delack_ms;
	tc.rto_min_ms = cfg->tcp.rto_min_ms;
	tc.rto_max_ms = cfg->tcp.rto_max_ms;
	tc.syn_retries = cfg->tcp.syn_retries;
	tc.max_retries = cfg->tcp.max_retries;
	tc.syn_backlog = cfg->tcp.syn_backlog;
	tc.init_cwnd = cfg->tcp.init_cwnd;
	tc.ooo_max = cfg->tcp.ooo_max;
	tc.zero_copy_min = cfg->tcp.zero_copy_min;
	tc.syncookies = cfg->tcp.syncookies;
	tc.wscale = cfg->tcp.wscale;
	tc.sack = cfg->tcp.sack;
	tc.timestamps = cfg->tcp.timestamps;
	return tc;
}

/*
 * Zero-copy sending (tcp.zero_copy_min): the long-lived payloads a worker's
 * TCP may attach instead of copying -- the bulk pattern and the bodies of the
 * prebuilt HTTP responses (iperf registers its own blocks).
 */
static void
zc_setup(struct tcp_ctx *tcp, const struct http_server *srv)
{
	struct http_iov b[2 * 3];
	unsigned int n;

	(void)tcp_zc_register(tcp, gen_bulk_pattern(), GEN_BULK_PATTERN_LEN);
	n = srv != NULL ? http_server_bodies(srv, b, RTE_DIM(b)) : 0;
	for (unsigned int i = 0; i < n; i++)
		(void)tcp_zc_register(tcp, b[i].base, b[i].len);
}

/* The prebuilt responses (shared by the server workers) and the access log. */
static int
make_server(const struct cfg *cfg, struct http_server **srv, FILE **access)
{
	char header[CFG_PATH_LEN + 2] = "", err[CFG_ERR_LEN];

	if (cfg->server.header[0] != '\0')
		snprintf(header, sizeof(header), "%s\r\n", cfg->server.header);
	struct http_server_conf hc = {
		.body_size = cfg->server.body_size,
		.body_file = cfg->server.body_file[0] ? cfg->server.body_file : NULL,
		.gzip = cfg->server.gzip,
		.extra_headers = header[0] ? header : NULL,
	};
	*srv = http_server_create(&hc, err, sizeof(err));
	if (*srv == NULL) {
		fprintf(stderr, "synack: %s:server:%s: %s\n", cfg->file,
			cfg->server.body_file[0] ? "body_file" : "body_size", err);
		return -1;
	}
	http_server_tick(*srv, time(NULL));
	if (cfg->server.access_log[0] != '\0') {
		*access = fopen(cfg->server.access_log, "a");
		if (*access == NULL) {
			fprintf(stderr, "synack: %s:server:access_log: cannot open \"%s\": %s\n",
				cfg->file, cfg->server.access_log, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* The client's request template, once. */
static int
build_request(const struct cfg *cfg, uint8_t *buf, uint32_t len, char *err, size_t errlen)
{
	char host[CFG_PATH_LEN], hdr[CFG_PATH_LEN + 2] = "";

	if (cfg->client.host[0] != '\0') {
		snprintf(host, sizeof(host), "%s", cfg->client.host);
	} else {
		char ip[16];
		net_ip_str(cfg->client.target[0].ip, ip);
		if (cfg->client.target[0].port == 80)
			snprintf(host, sizeof(host), "%s", ip);
		else
			snprintf(host, sizeof(host), "%s:%u", ip, cfg->client.target[0].port);
	}
	if (cfg->client.header[0] != '\0')
		snprintf(hdr, sizeof(hdr), "%s\r\n", cfg->client.header);
	struct http_client_conf hc = {
		.method = cfg->client.method,
		.path = cfg->client.path,
		.host = host,
		.extra_headers = hdr[0] ? hdr : NULL,
		.keepalive = true,
	};
	int n = http_client_request_build(&hc, buf, len);
	if (n < 0)
		snprintf(err, errlen, "%s:client:path: cannot build the request (path, host or "
			 "header invalid or too long)", cfg->file);
	return n;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"set", required_argument, NULL, 's'},
		{"json", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help-config", no_argument, NULL, 'H'},
		{"markdown", no_argument, NULL, 'M'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static struct cfg cfg;
	const char *cfg_file = NULL, *json = NULL;
	const char *sets[MAX_SETS];
	unsigned int nb_sets = 0;
	bool help_config = false, markdown = false, quiet = false;
	char err[CFG_ERR_LEN];
	int opt, eal_argc = 0, rc = EXIT_DONE;
	char **eal_argv = NULL;
	bool derived = false;
	bool ran = false;		/* the workers were launched */
	struct http_server *srv = NULL;	/* shared by the server workers */
	FILE *access = NULL;		/* access log */

	/* Options end at "--": what follows is for EAL. */
	int app_argc = argc;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			app_argc = i;
			break;
		}
	}
	while ((opt = getopt_long(app_argc, argv, "c:s:j:qVh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			cfg_file = optarg;
			break;
		case 's':
			if (nb_sets == MAX_SETS) {
				fprintf(stderr, "synack: too many --set (at most %d)\n", MAX_SETS);
				return EXIT_USAGE;
			}
			sets[nb_sets++] = optarg;
			break;
		case 'j':
			json = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'H':
			help_config = true;
			break;
		case 'M':
			markdown = true;
			break;
		case 'V':
			printf("synack 0.1.0 (DPDK %s)\n", rte_version());
			return EXIT_DONE;
		case 'h':
			usage(stdout, argv[0]);
			return EXIT_DONE;
		default:
			usage(stderr, argv[0]);
			return EXIT_USAGE;
		}
	}
	if (help_config) {
		cfg_print_help(stdout, markdown);
		return EXIT_DONE;
	}
	if (optind < app_argc) {
		fprintf(stderr, "synack: unexpected argument \"%s\" (EAL args go after --)\n",
			argv[optind]);
		usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	if (cfg_file == NULL) {
		fprintf(stderr, "synack: -c FILE.ini is required (try config/demo.ini)\n");
		usage(stderr, argv[0]);
		return EXIT_USAGE;
	}

	/* ---- config: every error stops here, before EAL ---- */
	if (cfg_load(&cfg, cfg_file, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	for (unsigned int i = 0; i < nb_sets; i++) {
		if (cfg_set_novalidate(&cfg, sets[i], err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			return EXIT_USAGE;
		}
	}
	if (nb_sets > 0 && cfg_validate(&cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	if (json != NULL)
		snprintf(cfg.run.json, sizeof(cfg.run.json), "%s", json);
	if (quiet)
		cfg.run.quiet = true;

	struct placement pl;
	if (place_workers(&cfg, &pl, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}

	/* ---- EAL ---- */
	if (app_argc < argc) {
		eal_argc = argc - app_argc;
		eal_argv = calloc(eal_argc + 1, sizeof(char *));
		if (eal_argv == NULL)
			return EXIT_USAGE;
		eal_argv[0] = argv[0];
		for (int i = app_argc + 1; i < argc; i++)
			eal_argv[i - app_argc] = argv[i];
	} else {
		const char *devs[CFG_MAX_PORTS];
		char note[256] = "";
		uint64_t pool_bytes = (uint64_t)cfg.run.lcores * cfg.pool.mbufs *
				      (mbuf_buf_size(&cfg) + sizeof(struct rte_mbuf) + 64);
		/* TCB + flow table + send queue, with room for rte_hash's rounding */
		pool_bytes += (uint64_t)cfg.run.lcores * cfg.tcp.max_conns * 2 * 320;
		struct port_eal_req req = {
			.devs = devs,
			.nb_devs = cfg.nb_ports,
			.nb_workers = cfg.run.lcores,
			.mem_mb = (unsigned int)(pool_bytes >> 20) + 256,
			.prog = argv[0],
		};

		for (unsigned int p = 0; p < cfg.nb_ports; p++)
			devs[p] = cfg.port[p].dev;
		eal_argc = port_eal_args(&req, &eal_argv, note, sizeof(note), err, sizeof(err));
		if (eal_argc < 0) {
			fprintf(stderr, "synack: %s\n", err);
			return EXIT_USAGE;
		}
		derived = true;
		if (note[0] != '\0')
			printf("synack: %s\n", note);
		printf("synack: EAL args:");
		for (int i = 1; i < eal_argc; i++)
			printf(" %s", eal_argv[i]);
		printf("\n");
	}
	/* rte_eal_init may permute argv: give it a copy. */
	char **eal_copy = calloc(eal_argc + 1, sizeof(char *));
	if (eal_copy == NULL)
		return EXIT_USAGE;
	memcpy(eal_copy, eal_argv, sizeof(char *) * eal_argc);
	optind = 0; /* EAL parses with getopt too: start it afresh */
	if (rte_eal_init(eal_argc, eal_copy) < 0) {
		fprintf(stderr,
			"synack: EAL init failed: %s (check the EAL arguments; with no hugepages "
			"EAL needs --no-huge)\n",
			rte_strerror(rte_errno));
		return EXIT_USAGE;
	}
	if (gen_bulk_pattern_dpdk() != 0)
		fprintf(stderr, "synack: no DPDK memory for the bulk payload: it is copied per "
				"segment on DMA ports (virtio, PCI)\n");
	if (derived)
		port_eal_args_free(eal_argc, eal_argv);
	else
		free(eal_argv);
	free(eal_copy);

	unsigned int nb_workers = pl.nb_workers;
	unsigned int lcore_of[CFG_MAX_LCORES];
	unsigned int k = 0, lc;
	RTE_LCORE_FOREACH_WORKER(lc) {
		if (k < nb_workers)
			lcore_of[k++] = lc;
	}
	if (k < nb_workers) {
		fprintf(stderr,
			"synack: %u worker lcores needed, EAL gave %u: pass more with -l/--lcores "
			"(main lcore + workers) or lower run.lcores\n",
			nb_workers, k);
		rte_eal_cleanup();
		return EXIT_USAGE;
	}

	/* ---- pools, ports ---- */
	static struct worker *workers[CFG_MAX_LCORES];
	struct rte_mempool *pools[CFG_MAX_LCORES];
	static struct port ports[CFG_MAX_PORTS];
	unsigned int nb_up = 0;
	int port_ids[CFG_MAX_PORTS];

	for (unsigned int w = 0; w < nb_workers; w++) {
		char name[RTE_MEMPOOL_NAMESIZE];

		snprintf(name, sizeof(name), "mb_w%u", w);
		pools[w] = rte_pktmbuf_pool_create(name, cfg.pool.mbufs, cfg.pool.mbuf_cache, 0,
						   mbuf_buf_size(&cfg),
						   (int)rte_lcore_to_socket_id(lcore_of[w]));
		if (pools[w] == NULL) {
			fprintf(stderr,
				"synack: %s:pool:mbufs: cannot allocate %u mbufs for worker %u (%s): "
				"reserve hugepages or lower pool.mbufs\n",
				cfg.file, cfg.pool.mbufs, w, rte_strerror(rte_errno));
			rc = EXIT_USAGE;
			goto out_eal;
		}
		workers[w] = rte_zmalloc_socket("worker", sizeof(struct worker),
						RTE_CACHE_LINE_SIZE,
						(int)rte_lcore_to_socket_id(lcore_of[w]));
		if (workers[w] == NULL) {
			fprintf(stderr, "synack: out of memory for worker %u\n", w);
			rc = EXIT_USAGE;
			goto out_eal;
		}
		worker_init(workers[w], w, pools[w], &stop_workers, cfg.pool.arp_retries,
			    cfg.pool.arp_timeout_ms);
	}
	/* dispatch = auto: a queue per worker when the driver spreads by RSS
	 * (or is net_ring, whose queue q feeds the peer's queue q), else one
	 * queue and software dispatch */
	for (unsigned int p = 0; p < cfg.nb_ports; p++) {
		struct rte_eth_dev_info di;
		int id;

		if (pl.disp[p] || pl.nb_owners[p] <= 1 || cfg.port[p].dispatch != CFG_DISPATCH_AUTO ||
		    port_dev_kind(cfg.port[p].dev) == PORT_DEV_RING)
			continue;
		id = port_resolve(cfg.port[p].dev, err, sizeof(err));
		if (id < 0 || rte_eth_dev_info_get((uint16_t)id, &di) != 0)
			continue; /* the resolve loop below reports it */
		const struct port_caps *caps = port_caps_lookup(di.driver_name);
		bool rss = caps->rss || (caps->rss_probe && di.flow_type_rss_offloads != 0);
		if (!rss || di.max_rx_queues < pl.nb_owners[p] || di.max_tx_queues < pl.nb_owners[p])
			place_dispatch(&pl, p);
	}
	for (unsigned int p = 0; p < cfg.nb_ports; p++) {
		port_ids[p] = port_resolve_q(cfg.port[p].dev, pl.nb_queues[p], err, sizeof(err));
		if (port_ids[p] < 0) {
			fprintf(stderr, "synack: %s:port%u:dev: %s\n", cfg.file, p, err);
			rc = EXIT_USAGE;
			goto out_eal;
		}
	}
	for (unsigned int p = 0; p < cfg.nb_ports; p++) {
		struct rte_mempool *qpools[PORT_MAX_QUEUES];
		struct port_conf pc = {
			.dev = cfg.port[p].dev,
			.nb_queues = pl.nb_queues[p],
			.mtu = cfg.port[p].mtu,
			.nb_rxd = cfg.port[p].rxd,
			.nb_txd = cfg.port[p].txd,
			/* dispatch: slot 0 sends every worker's mbufs (several pools);
			 * zero-copy: chains and external buffers */
			.no_fast_free = pl.disp[p] || cfg.tcp.zero_copy_min != 0,
		};

		for (unsigned int q = 0; q < pl.nb_queues[p]; q++)
			qpools[q] = pools[pl.owner[p][q]];
		if (port_setup((uint16_t)port_ids[p], &pc, qpools, &ports[p], err, sizeof(err)) !=
		    0) {
			fprintf(stderr, "synack: %s:port%u: %s\n", cfg.file, p, err);
			rc = EXIT_USAGE;
			goto out_ports;
		}
		nb_up++;
		port_print(stdout, &ports[p]);
		if (cfg.port[p].ip_count > 1) {
			char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
			printf("port%u: %u addresses %s-%s\n", ports[p].port_id,
			       cfg.port[p].ip_count, net_ip_str(cfg.port[p].ip, a),
			       net_ip_str(cfg.port[p].ip + cfg.port[p].ip_count - 1, b));
		}
		if (pl.nb_owners[p] > 1)
			printf("port%u: dispatch %s (%u workers)\n", ports[p].port_id,
			       pl.disp[p] ? "software" : ports[p].rss ? "rss" : "queue pairs",
			       pl.nb_owners[p]);
	}

	/* ---- workers on (port, queue) ---- */
	for (unsigned int p = 0; p < cfg.nb_ports; p++) {
		static struct worker_disp disps[CFG_MAX_PORTS];
		/* RSS mode: the port's key and RETA, for the client's source-port choice */
		static struct worker_rss rsss[CFG_MAX_PORTS];
		/* the 4-tuple the client's flows are steered by must be one the
		 * port hashes: TCP for the HTTP and bulk models, UDP for udp */
		uint64_t need = cfg.client.model == CFG_MODEL_UDP ? RTE_ETH_RSS_NONFRAG_IPV4_UDP
								  : RTE_ETH_RSS_NONFRAG_IPV4_TCP;
		bool rss_sel = !pl.disp[p] && pl.nb_owners[p] > 1 && ports[p].rss &&
			       (ports[p].rss_hf & need) != 0 &&
			       worker_rss_init(&rsss[p], ports[p].rss_key, ports[p].rss_key_len,
					       ports[p].reta, ports[p].reta_size) == 0;
		if (!pl.disp[p] && pl.nb_owners[p] > 1 && ports[p].rss && !rss_sel &&
		    (pl.role[p] & WORKER_ROLE_CLIENT))
			printf("port%u: client flows are not steered to their worker (the port %s): "
			       "replies may reach another worker and be dropped\n",
			       ports[p].port_id,
			       (ports[p].rss_hf & need) == 0 ? "does not hash the IPv4 4-tuple"
							     : "cannot tell its RSS key or RETA");

		for (unsigned int q = 0; q < pl.nb_owners[p]; q++) {
			struct worker *w = workers[pl.owner[p][q]];
			struct worker_port *wp = worker_add_port(
				w, (uint16_t)port_ids[p], pl.disp[p] ? 0 : (uint16_t)q, (uint8_t)p,
				pl.role[p], &ports[p].mac, cfg.port[p].ip, cfg.port[p].prefix,
				cfg.port[p].gateway, ports[p].mtu, ports[p].offloads,
				cfg.pool.neigh_max);
			if (wp == NULL) {
				fprintf(stderr, "synack: worker %u: cannot add port%u: %s\n", w->id,
					p, strerror(errno));
				rc = EXIT_USAGE;
				goto out_workers;
			}
			wp->ip_n = cfg.port[p].ip_count ? cfg.port[p].ip_count : 1;
			wp->garp = q == 0 && cfg.port[p].ip != 0;
			if (rss_sel)
				wp->rss = &rsss[p];
			if (!pl.disp[p])
				continue;
			wp->disp_nb = pl.nb_owners[p];
			wp->disp_slot = (uint16_t)q;
			if (q == 0) {
				disps[p].nb = pl.nb_owners[p];
				wp->disp = &disps[p];
				continue;
			}
			char rn[RTE_RING_NAMESIZE];
			int sock = (int)rte_lcore_to_socket_id(lcore_of[pl.owner[p][q]]);
			snprintf(rn, sizeof(rn), "disp_rx_p%u_%u", p, q);
			wp->rx_ring = rte_ring_create(rn, 4096, sock, RING_F_SP_ENQ | RING_F_SC_DEQ);
			snprintf(rn, sizeof(rn), "disp_tx_p%u_%u", p, q);
			wp->tx_ring = rte_ring_create(rn, 4096, sock, RING_F_SP_ENQ | RING_F_SC_DEQ);
			if (wp->rx_ring == NULL || wp->tx_ring == NULL) {
				fprintf(stderr, "synack: port%u: cannot create dispatch rings: %s\n",
					p, rte_strerror(rte_errno));
				rc = EXIT_USAGE;
				goto out_workers;
			}
			wp->arp_quiet = true;
			disps[p].rx[q] = wp->rx_ring;
			disps[p].tx[q] = wp->tx_ring;
		}
	}

	/* ---- transports and applications ---- */
	/* the resident set before the flow tables, TCBs, send queues and source
	 * pools: what grows from here on is the per-connection memory */
	uint64_t rss0 = rss_bytes();
	size_t est_per_conn = 0;
	static struct tcp_ctx *tcps[CFG_MAX_LCORES];
	static struct http_app *apps[CFG_MAX_LCORES];
	static struct gen_ping *pings[CFG_MAX_LCORES];
	static struct gen_http *gens[CFG_MAX_LCORES];
	static struct udp_ctx *udps[CFG_MAX_LCORES];
	static struct gen_udp *ugens[CFG_MAX_LCORES];
	static struct gen_bulk *bulks[CFG_MAX_LCORES];		/* model throughput */
	static struct gen_bulk_server *bsrvs[CFG_MAX_LCORES];	/* [server] bulk */
	static struct gen_target targets[CFG_MAX_TARGETS];
	static uint8_t request[2048];
	bool http_model = cfg.client.model == CFG_MODEL_CPS || cfg.client.model == CFG_MODEL_CC ||
			  cfg.client.model == CFG_MODEL_RPS;
	bool udp_model = cfg.client.model == CFG_MODEL_UDP;
	bool bulk_model = cfg.client.model == CFG_MODEL_THROUGHPUT;
	unsigned int nb_clients = 0, c = 0;
	int request_len = 0;

	for (unsigned int w = 0; w < nb_workers; w++)
		if (client_port(workers[w]) != NULL)
			nb_clients++;
	if (nb_clients > 0 && cfg.client.model != CFG_MODEL_PING &&
	    cfg.client.model != CFG_MODEL_IPERF && !http_model && !udp_model &&
	    !bulk_model) {
		fprintf(stderr,
			"synack: %s:client:model: \"%s\" is not available yet in this build "
			"(ping, cps, cc, rps, throughput and udp are)\n",
			cfg.file, cfg_model_name(cfg.client.model));
		rc = EXIT_USAGE;
		goto out_workers;
	}
	if (nb_clients > 0 && udp_model) {
		/* worker c sends from port_lo + c*flows .. + flows - 1 (on a shared port: the
		 * first flows ports of the range whose echoes reach it): disjoint per worker */
		for (unsigned int i = 0; i < cfg.client.nb_target; i++) {
			targets[i].ip = rte_cpu_to_be_32(cfg.client.target[i].ip);
			targets[i].port = rte_cpu_to_be_16(cfg.client.target[i].port);
		}
		if ((uint64_t)cfg.client.flows * nb_clients >
		    (uint64_t)cfg.client.port_hi - cfg.client.port_lo + 1) {
			fprintf(stderr,
				"synack: %s:client:flows: %u flows x %u client workers do not fit "
				"client.ports %u-%u\n",
				cfg.file, cfg.client.flows, nb_clients, cfg.client.port_lo,
				cfg.client.port_hi);
			rc = EXIT_USAGE;
			goto out_workers;
		}
	}
	if (nb_clients > 0 && (http_model || bulk_model)) {
		for (unsigned int i = 0; i < cfg.client.nb_target; i++) {
			targets[i].ip = rte_cpu_to_be_32(cfg.client.target[i].ip);
			targets[i].port = rte_cpu_to_be_16(cfg.client.target[i].port);
		}
		if (http_model)
			request_len = build_request(&cfg, request, sizeof(request), err,
						    sizeof(err));
		if (request_len < 0) {
			fprintf(stderr, "synack: %s\n", err);
			rc = EXIT_USAGE;
			goto out_workers;
		}
		if ((uint32_t)(cfg.client.port_hi - cfg.client.port_lo + 1) < nb_clients) {
			fprintf(stderr, "synack: %s:client:ports: fewer ports than client workers\n",
				cfg.file);
			rc = EXIT_USAGE;
			goto out_workers;
		}
	}
	for (unsigned int w = 0; w < nb_workers; w++) {
		struct worker *wk = workers[w];
		struct worker_port *cwp = client_port(wk);
		bool serve = server_port(wk) && cfg.server.nb_listen > 0;
		bool gen = cwp != NULL && http_model;
		struct tcp_app sops = {0}, cops = {0};

		if (serve) {
			if (srv == NULL && make_server(&cfg, &srv, &access) != 0) {
				rc = EXIT_USAGE;
				goto out_workers;
			}
			apps[w] = http_app_create(wk, srv, access, cfg.server.access_log_sample,
						  &sops);
			if (apps[w] == NULL)
				goto nomem;
		}
		if (cwp != NULL && cfg.client.model != CFG_MODEL_IPERF) {
			/* software dispatch or RSS steering: every worker picks from
			 * the whole range the ports whose replies come back to it
			 * (gen_port_is_ours, disjoint per worker by construction);
			 * otherwise each takes its own slice */
			bool filtered = cwp->disp_nb > 1 || cwp->rss != NULL;
			/* this worker's share of the load, of the ports */
			uint64_t share = cfg.client.count / nb_clients +
					 (c < cfg.client.count % nb_clients ? 1 : 0);
			uint64_t rate = cfg.client.rate / nb_clients;
			uint32_t conc = cfg.client.concurrency / nb_clients;
			uint32_t span = (uint32_t)(cfg.client.port_hi - cfg.client.port_lo + 1) /
					nb_clients;
			if (cfg.client.rate != 0 && rate == 0)
				rate = 1;
			if (conc == 0)
				conc = 1;
			if (cfg.client.count != 0 && share == 0)
				share = 1;
			if (gen) {
				struct gen_http_conf gc = {
					.model = cfg.client.model == CFG_MODEL_CPS  ? GEN_CPS
						 : cfg.client.model == CFG_MODEL_CC ? GEN_CC
										    : GEN_RPS,
					.targets = targets,
					.nb_targets = cfg.client.nb_target,
					.rate = rate,
					.concurrency = conc,
					.burst = cfg.client.burst,
					.count = share,
					.ramp_up_ms = cfg.client.ramp_up_ms,
					.interval_ms = cfg.client.interval_ms,
					.pipeline = cfg.client.pipeline,
					.timeout_ms = cfg.client.timeout_ms,
					.close_rst = cfg.client.close_rst,
					.request = cfg.client.request_none ? NULL : request,
					.request_len = (uint32_t)request_len,
					.head = strcmp(cfg.client.method, "HEAD") == 0,
					.port_lo = (uint16_t)(cfg.client.port_lo + c * span),
					.port_hi = (uint16_t)(cfg.client.port_lo + (c + 1) * span - 1),
				};
				if (filtered) {
					gc.port_lo = cfg.client.port_lo;
					gc.port_hi = cfg.client.port_hi;
				}
				gens[w] = gen_http_create(wk, cwp, &gc, &cops);
				if (gens[w] == NULL && errno == ERANGE) {
					fprintf(stderr,
						"synack: %s:client:ports: no port of %u-%u sends "
						"replies to worker %u (on an RSS port: does the RETA "
						"give its queue no entry?)\n",
						cfg.file, gc.port_lo, gc.port_hi, w);
					rc = EXIT_USAGE;
					goto out_workers;
				}
				if (gens[w] == NULL)
					goto nomem;
			} else if (bulk_model) {
				/* bulk: this worker's share of the connections, one
				 * source port each */
				struct gen_bulk_conf bc = {
					.targets = targets,
					.nb_targets = cfg.client.nb_target,
					.connections = conc,
					.dir = cfg.client.direction == CFG_DIR_RECEIVE ? GEN_BULK_RECV
					       : cfg.client.direction == CFG_DIR_BOTH  ? GEN_BULK_BOTH
										: GEN_BULK_SEND,
					.write_size = cfg.client.write_size,
					.duration_ms = cfg.run.duration_ms,
					.burst = cfg.client.burst,
					.port_lo = (uint16_t)(cfg.client.port_lo + c * span),
					.port_hi = (uint16_t)(cfg.client.port_lo + (c + 1) * span - 1),
				};
				if (filtered) {
					bc.port_lo = cfg.client.port_lo;
					bc.port_hi = cfg.client.port_hi;
				}
				bulks[w] = gen_bulk_create(wk, cwp, &bc, &cops);
				if (bulks[w] == NULL) {
					fprintf(stderr,
						"synack: %s:client:concurrency: %u connections for "
						"worker %u do not fit %s%u source ports of client.ports "
						"(%s)\n",
						cfg.file, conc, w,
						filtered ? "the ports whose replies reach it, about "
							 : "its ",
						span, strerror(errno));
					rc = EXIT_USAGE;
					goto out_workers;
				}
			} else if (udp_model) {
				struct gen_udp_conf uc = {
					.targets = targets,
					.nb_targets = cfg.client.nb_target,
					.payload = cfg.client.payload,
					.rate = rate,
					.burst = cfg.client.burst,
					.count = share,
					.duration_ms = cfg.run.duration_ms,
					.flows = cfg.client.flows,
					.port_lo = (uint16_t)(cfg.client.port_lo +
							      c * cfg.client.flows),
					.echo = cfg.client.echo,
					.window = conc,
				};
				if (filtered) {
					uc.port_lo = cfg.client.port_lo;
					uc.port_hi = cfg.client.port_hi;
				}
				ugens[w] = gen_udp_create(wk, cwp, &uc);
				if (ugens[w] == NULL && errno == ERANGE) {
					fprintf(stderr,
						"synack: %s:client:flows: %u flows for worker %u: fewer "
						"ports of client.ports %u-%u send replies to it (about "
						"%u): lower flows or widen ports\n",
						cfg.file, cfg.client.flows, w, cfg.client.port_lo,
						cfg.client.port_hi, span);
					rc = EXIT_USAGE;
					goto out_workers;
				}
				if (ugens[w] == NULL) {
					fprintf(stderr,
						"synack: %s:client:payload: %u bytes do not fit port%u "
						"(MTU %u): %s\n",
						cfg.file, cfg.client.payload, cwp->index, cwp->mtu,
						strerror(errno));
					rc = EXIT_USAGE;
					goto out_workers;
				}
			} else {
				struct gen_ping_conf gc = {
					.target = cfg.client.target[c % cfg.client.nb_target].ip,
					.payload = cfg.client.payload,
					.window = cfg.client.concurrency,
					.rate = rate,
					.burst = cfg.client.burst,
					.count = share,
				};
				pings[w] = gen_ping_create(wk, cwp, &gc);
				if (pings[w] == NULL) {
					fprintf(stderr,
						"synack: %s:client:payload: %u bytes do not fit port%u "
						"(MTU %u): %s\n",
						cfg.file, cfg.client.payload, cwp->index, cwp->mtu,
						strerror(errno));
					rc = EXIT_USAGE;
					goto out_workers;
				}
			}
			c++;
		}
		/* UDP: server workers (echo, sink, port unreachable), udp model clients */
		if (server_port(wk) || ugens[w] != NULL) {
			struct udp_conf uc = {.unreach_rate = cfg.udp.unreach_rate};

			udps[w] = udp_attach(wk, &uc);
			if (udps[w] == NULL)
				goto nomem;
			if (server_port(wk)) {
				for (unsigned int l = 0; l < cfg.udp.nb_echo; l++)
					udp_bind(udps[w], cfg.udp.echo[l], UDP_PORT_ECHO);
				for (unsigned int l = 0; l < cfg.udp.nb_sink; l++)
					udp_bind(udps[w], cfg.udp.sink[l], UDP_PORT_SINK);
			}
			if (ugens[w] != NULL)
				gen_udp_start(ugens[w], udps[w]);
		}
		bool bserve = server_port(wk) && cfg.server.bulk != 0;
		if (!serve && !gen && !bserve && bulks[w] == NULL)
			continue;
		struct tcp_conf tc = tcp_conf_from(&cfg);
		tcps[w] = tcp_attach(wk, &tc, &sops);
		if (tcps[w] == NULL) {
			fprintf(stderr,
				"synack: %s:tcp:max_conns: cannot allocate %u connections for "
				"worker %u: lower tcp.max_conns or reserve hugepages\n",
				cfg.file, cfg.tcp.max_conns, w);
			rc = EXIT_USAGE;
			goto out_workers;
		}
		zc_setup(tcps[w], srv);
		if (serve)
			for (unsigned int l = 0; l < cfg.server.nb_listen; l++)
				tcp_listen(tcps[w], cfg.server.listen[l]);
		if (gen) {
			tcp_set_client_app(tcps[w], &cops);
			gen_http_start(gens[w], tcps[w]);
		}
		/* bulk TCP: the sink/source server on [server] bulk, the throughput model */
		if (bserve) {
			struct gen_bulk_server_conf bsc = {.write_size = cfg.client.write_size};
			struct tcp_app bops;

			bsrvs[w] = gen_bulk_server_create(wk, &bsc, &bops);
			if (bsrvs[w] == NULL || tcp_listen_app(tcps[w], cfg.server.bulk, &bops) != 0)
				goto nomem;
		}
		if (bulks[w] != NULL) {
			tcp_set_client_app(tcps[w], &cops);
			gen_bulk_start(bulks[w], tcps[w]);
		}
		if (est_per_conn == 0) {
			est_per_conn = tcp_bytes_per_conn(tcps[w]);
			printf("tcp: %u connections per worker, %zu bytes per connection "
			       "(TCB %zu + flow table and send queue share)\n",
			       cfg.tcp.max_conns, est_per_conn, tcp_tcb_size());
		}
	}
	if (0) {
nomem:
		fprintf(stderr, "synack: out of memory setting up the workers\n");
		rc = EXIT_USAGE;
		goto out_workers;
	}

	/* ---- iperf3 (lib/iperf): the server on [iperf] listen, the client model iperf ---- */
	static struct iperf_server *iperf_srvs[CFG_MAX_LCORES];
	static struct iperf_client *iperf_clis[CFG_MAX_LCORES];
	unsigned int nb_iperf_clis = 0, nb_srv_workers = 0;
	for (unsigned int w = 0; w < nb_workers; w++)
		nb_srv_workers += server_port(workers[w]) ? 1 : 0;
	if ((cfg.iperf.listen != 0 && nb_srv_workers > 1) ||
	    (cfg.client.model == CFG_MODEL_IPERF && nb_clients > 1)) {
		fprintf(stderr, "synack: %s:%s: an iperf3 test runs on one worker: use run.lcores = 1 "
			"(2 in mode both)\n", cfg.file,
			cfg.iperf.listen != 0 && nb_srv_workers > 1 ? "iperf:listen" : "run:lcores");
		rc = EXIT_USAGE;
		goto out_workers;
	}
	for (unsigned int w = 0; w < nb_workers; w++) {
		struct worker *wk = workers[w];
		struct worker_port *cwp = client_port(wk);
		bool isrv = server_port(wk) && cfg.iperf.listen != 0;
		bool icli = cwp != NULL && cfg.client.model == CFG_MODEL_IPERF;
		struct tcp_conf tc = tcp_conf_from(&cfg);
		struct tcp_app none = {0};
		struct udp_conf uc = {.unreach_rate = cfg.udp.unreach_rate};

		if (!isrv && !icli)
			continue;
		if (udps[w] == NULL && (udps[w] = udp_attach(wk, &uc)) == NULL)
			goto nomem;
		if (tcps[w] == NULL && (tcps[w] = tcp_attach(wk, &tc, &none)) == NULL) {
			fprintf(stderr, "synack: %s:tcp:max_conns: cannot allocate %u connections for "
				"worker %u\n", cfg.file, cfg.tcp.max_conns, w);
			rc = EXIT_USAGE;
			goto out_workers;
		}
		if (isrv) {
			struct iperf_server_conf ic = {.port = cfg.iperf.listen,
						       .idle_ms = cfg.iperf.idle_ms};
			iperf_srvs[w] = iperf_server_create(wk, tcps[w], udps[w], &ic);
			if (iperf_srvs[w] == NULL)
				goto nomem;
			printf("iperf: server on port %u (worker %u)\n", ic.port, w);
		}
		if (icli) {
			struct iperf_client_conf ic = {
				.ip = cfg.client.target[0].ip,
				.port = cfg.client.target[0].port,
				.lport_lo = cfg.client.port_lo,
				.json_path = cfg.client.iperf_json[0] ? cfg.client.iperf_json : NULL,
				.params = {
					.udp = cfg.client.iperf_udp,
					.reverse = cfg.client.iperf_reverse,
					.time_s = (uint32_t)((cfg.run.duration_ms + 999) / 1000),
					.parallel = cfg.client.iperf_parallel,
					.len = cfg.client.iperf_len ? cfg.client.iperf_len
						: cfg.client.iperf_udp ? 1460 : 128 * 1024,
					.bandwidth = cfg.client.iperf_bitrate ? cfg.client.iperf_bitrate
						     : cfg.client.iperf_udp ? 1000 * 1000 : 0,
				},
			};
			iperf_clis[w] = iperf_client_create(wk, cwp, tcps[w], udps[w], &ic);
			if (iperf_clis[w] == NULL) {
				fprintf(stderr, "synack: %s:client:model: iperf: %s\n", cfg.file,
					strerror(errno));
				rc = EXIT_USAGE;
				goto out_workers;
			}
			iperf_client_start(iperf_clis[w]);
			nb_iperf_clis++;
		}
	}

	/* ---- report ---- */
	struct stats_worker *blocks[CFG_MAX_LCORES];
	for (unsigned int w = 0; w < nb_workers; w++)
		blocks[w] = &workers[w]->stats;
	struct stats_report *rep = stats_report_create(
		blocks, nb_workers, cfg.run.quiet ? NULL : stdout, cfg.run.json);
	if (rep != NULL)
		stats_report_set_hz(rep, rte_get_tsc_hz());
	if (rep == NULL) {
		fprintf(stderr, "synack: %s:run:json: cannot open \"%s\": %s\n", cfg.file,
			cfg.run.json, strerror(errno));
		rc = EXIT_USAGE;
		goto out_workers;
	}
	for (unsigned int w = 0; w < nb_workers; w++) {
		char label[64];
		int off = snprintf(label, sizeof(label), "w%u", w);
		for (unsigned int i = 0; i < workers[w]->nb_ports && off < (int)sizeof(label); i++)
			off += snprintf(label + off, sizeof(label) - off, " %s%u/%u",
					workers[w]->port[i].role & WORKER_ROLE_CLIENT ? "c" : "s",
					workers[w]->port[i].index, workers[w]->port[i].queue);
		stats_report_set_label(rep, w, label);
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("synack: mode %s, %u worker%s, duration %s, model %s\n",
	       cfg_mode_name(cfg.run.mode), nb_workers, nb_workers > 1 ? "s" : "",
	       cfg.run.duration_ms ? "bounded" : "until SIGINT",
	       nb_clients ? cfg_model_name(cfg.client.model) : "none (server)");
	fflush(stdout);

	for (unsigned int w = 0; w < nb_workers; w++) {
		int r = rte_eal_remote_launch(worker_main, workers[w], lcore_of[w]);
		if (r != 0) {
			fprintf(stderr, "synack: cannot launch worker %u on lcore %u: %s\n", w,
				lcore_of[w], rte_strerror(-r));
			stop_workers = true;
			rte_eal_mp_wait_lcore();
			rc = EXIT_USAGE;
			goto out_report;
		}
	}

	ran = true;
	uint64_t t0 = now_ms(), t = 0, next_report = cfg.run.report_ms;
	uint64_t peak_conns = 0, t_peak = 0;	/* TCBs in the tables, all workers */
	const char *status = "done";
	char stop_why[160];
	bool server_in_process = false;
	for (unsigned int w = 0; w < nb_workers; w++)
		server_in_process |= server_port(workers[w]);
	for (;;) {
		usleep(1000);
		t = now_ms() - t0;
		if (got_signal) {
			status = "interrupted";
			break;
		}
		if (srv != NULL)
			http_server_tick(srv, time(NULL));
		uint64_t open = 0;
		for (unsigned int w = 0; w < nb_workers; w++)
			if (tcps[w] != NULL)
				open += tcp_nb_conns(tcps[w]); /* a gauge: one word read */
		if (open > peak_conns) {
			peak_conns = open;
			t_peak = t;
		}
		if (t >= next_report) {
			stats_report_interval(rep, t);
			next_report += cfg.run.report_ms;
			if (nb_clients > 0 && http_model &&
			    check_stop(&cfg, rep, blocks, nb_workers, t, stop_why, sizeof(stop_why))) {
				status = stop_why;
				rc = EXIT_FAILED;
				break;
			}
		}
		/* model iperf ends by itself: the results exchange follows the test time */
		if (nb_iperf_clis > 0) {
			bool all = true;
			for (unsigned int w = 0; w < nb_workers; w++)
				if (iperf_clis[w] != NULL && !workers[w]->done)
					all = false;
			if (all || (cfg.run.duration_ms != 0 && t >= cfg.run.duration_ms + 10000))
				break;
			continue;
		}
		/* model udp with echo ends by itself after duration: it waits for the last echoes */
		if (cfg.run.duration_ms != 0 &&
		    t >= cfg.run.duration_ms +
				 (nb_clients > 0 && udp_model && cfg.client.echo ? GEN_UDP_GRACE_MS + 500
				  : nb_clients > 0 && bulk_model		 ? GEN_BULK_GRACE_MS + 500
										 : 0))
			break;
		if (nb_clients > 0) {
			bool all = true;
			for (unsigned int w = 0; w < nb_workers; w++)
				if ((pings[w] != NULL || gens[w] != NULL || ugens[w] != NULL ||
				     bulks[w] != NULL) &&
				    !workers[w]->done)
					all = false;
			if (all) {
				/* the bounded work is done: let the server side (mode
				 * both) take the last segments in flight */
				if (server_in_process)
					usleep(100 * 1000);
				break;
			}
		}
	}
	stop_workers = true;
	rte_eal_mp_wait_lcore();
	uint64_t rss1 = rss_bytes();
	/* Leave no peer holding a connection: RST what is still open (the
	 * workers are stopped, so their queues are free to use from here). */
	for (unsigned int w = 0; w < nb_workers; w++) {
		if (tcps[w] == NULL)
			continue;
		workers[w]->now = rte_rdtsc();
		tcp_abort_all(tcps[w]);
		for (unsigned int p = 0; p < workers[w]->nb_ports; p++)
			if (workers[w]->port[p].tx_n != 0)
				worker_flush(workers[w], &workers[w]->port[p]);
	}
	t = now_ms() - t0;
	for (unsigned int w = 0; w < nb_workers; w++)
		if (ugens[w] != NULL)
			gen_udp_stop(ugens[w]); /* stopped early: unanswered datagrams are lost */

	/* ---- verdict ---- */
	char why[160] = "";
	uint64_t tot[STAT_MAX];
	stats_report_total(rep, tot);
	for (unsigned int w = 0; w < nb_workers; w++) {
		if ((pings[w] != NULL && gen_ping_failed(pings[w])) ||
		    (gens[w] != NULL && gen_http_failed(gens[w])) ||
		    (ugens[w] != NULL && gen_udp_failed(ugens[w])) ||
		    (bulks[w] != NULL && gen_bulk_failed(bulks[w]))) {
			char ip[16];
			snprintf(why, sizeof(why),
				 tot[STAT_drop_no_route] != 0
					 ? "failed: target %s is off-link and the port has no gateway"
					 : "failed: target %s did not answer ARP",
				 net_ip_str(cfg.client.target[0].ip, ip));
		}
	}
	if (why[0] == '\0' && nb_clients > 0 && tot[STAT_icmp_echo_tx] > 0 &&
	    tot[STAT_icmp_reply_rx] == 0)
		snprintf(why, sizeof(why), "failed: no echo replies");
	if (why[0] == '\0' && nb_clients > 0 && udp_model && cfg.client.echo &&
	    tot[STAT_udp_gen_tx] > 0 && tot[STAT_udp_gen_rx] == 0)
		snprintf(why, sizeof(why), "failed: no UDP echoes");
	if (why[0] == '\0' && nb_clients > 0 && (http_model || bulk_model) &&
	    tot[STAT_gen_conn_tx] > 0 &&
	    tot[STAT_gen_conn_ok] == 0) {
		char ip[16];
		snprintf(why, sizeof(why), "failed: no connection to %s:%u was established",
			 net_ip_str(cfg.client.target[0].ip, ip), cfg.client.target[0].port);
	}
	for (unsigned int w = 0; w < nb_workers; w++)
		if (iperf_clis[w] != NULL &&
		    iperf_client_finish(iperf_clis[w], stdout, why, sizeof(why)) != 0 &&
		    why[0] == '\0')
			snprintf(why, sizeof(why), "failed: the iperf3 test did not complete");
	if (why[0] != '\0') {
		status = why;
		rc = EXIT_FAILED;
	}
	/* the ports' own counters: frames the NIC or the kernel dropped before
	 * synack saw them (imissed, rx_nombuf) are counted nowhere else */
	char pj[1024];
	int pn = snprintf(pj, sizeof(pj), "[");
	for (unsigned int p = 0; p < nb_up && pn < (int)sizeof(pj); p++) {
		struct rte_eth_stats es;
		if (rte_eth_stats_get(ports[p].port_id, &es) != 0)
			memset(&es, 0, sizeof(es));
		pn += snprintf(pj + pn, sizeof(pj) - pn,
			       "%s{\"port\":%u,\"ipackets\":%" PRIu64 ",\"opackets\":%" PRIu64
			       ",\"imissed\":%" PRIu64 ",\"ierrors\":%" PRIu64 ",\"oerrors\":%" PRIu64
			       ",\"rx_nombuf\":%" PRIu64 "}",
			       p ? "," : "", p, es.ipackets, es.opackets, es.imissed, es.ierrors,
			       es.oerrors, es.rx_nombuf);
		if (es.imissed || es.ierrors || es.oerrors || es.rx_nombuf)
			printf("port%u: imissed %" PRIu64 " ierrors %" PRIu64 " oerrors %" PRIu64
			       " rx_nombuf %" PRIu64 " (dropped before synack saw them)\n",
			       p, es.imissed, es.ierrors, es.oerrors, es.rx_nombuf);
	}
	if (pn < (int)sizeof(pj) - 1) {
		snprintf(pj + pn, sizeof(pj) - pn, "]");
		stats_report_add_json(rep, "ports", pj);
	}
	if (peak_conns > 0)
		report_memory(rep, peak_conns, t_peak, est_per_conn, rss0, rss1);
	stats_report_summary(rep, t, status);

out_report:
	stats_report_free(rep);
out_workers:
	for (unsigned int w = 0; w < nb_workers; w++) {
		if (tcps[w] != NULL)
			tcp_detach(tcps[w]);
		if (apps[w] != NULL)
			http_app_free(apps[w]);
		if (pings[w] != NULL)
			gen_ping_free(pings[w]);
		if (gens[w] != NULL)
			gen_http_free(gens[w]);
		if (ugens[w] != NULL)
			gen_udp_free(ugens[w]);
		if (bulks[w] != NULL)
			gen_bulk_free(bulks[w]);
		if (bsrvs[w] != NULL)
			gen_bulk_server_free(bsrvs[w]);
		if (iperf_srvs[w] != NULL)
			iperf_server_free(iperf_srvs[w]);
		if (iperf_clis[w] != NULL)
			iperf_client_free(iperf_clis[w]);
		if (udps[w] != NULL)
			udp_detach(udps[w]);
		if (workers[w] != NULL)
			worker_free(workers[w]);
	}
	if (srv != NULL)
		http_server_free(srv);
	if (access != NULL)
		fclose(access);
	/* run.linger: the workers are stopped; keep the ports up until the peer
	 * leaves, so that on a shared-memory link (memif) the peer's teardown
	 * finds nobody polling here (the 22.11 PMD unmaps the rings under a
	 * polling lcore) and the peer is the side that closes first */
	if (ran && cfg.run.linger_ms != 0 && !got_signal && nb_up > 0) {
		uint64_t l0 = now_ms(), waited = 0;
		bool up = true;

		printf("synack: linger: ports up, workers stopped, until the peer leaves "
		       "(%.1fs at most)\n", (double)cfg.run.linger_ms / 1000.0);
		fflush(stdout);
		while (up && !got_signal && (waited = now_ms() - l0) < cfg.run.linger_ms) {
			usleep(10 * 1000);
			up = false;
			for (unsigned int p = 0; p < nb_up; p++) {
				struct rte_eth_link link;

				memset(&link, 0, sizeof(link));
				if (rte_eth_link_get_nowait(ports[p].port_id, &link) == 0 &&
				    link.link_status == RTE_ETH_LINK_UP)
					up = true;
			}
		}
		/* memif marks the link down first, then tears the rings down in
		 * its interrupt thread: let that finish before our own close */
		if (!up)
			usleep(200 * 1000);
		printf("synack: linger: %s after %.1fs\n",
		       !up ? "every link is down (the peer left)"
		       : got_signal ? "stopped by a signal" : "time is up",
		       (double)waited / 1000.0);
		fflush(stdout);
	}
out_ports:
	for (unsigned int p = 0; p < nb_up; p++)
		port_close(&ports[p]);
out_eal:
	rte_eal_cleanup();
	return rc;
}
