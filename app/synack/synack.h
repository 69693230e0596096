/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One run of synack, as main() walks it:
 *
 *   cli_parse, cli_config   the command line and the config (cli.c)
 *   plan_build              config -> workers, queues, applications (plan.c)
 *   setup_eal               EAL arguments derived or given, EAL init (setup.c)
 *   setup_ports             pools, workers, ports, (port, queue) placement (setup.c)
 *   setup_apps              TCP/UDP per worker, every application (apps.c)
 *   run                     launch, one report per interval, stop, linger (run.c)
 *   verdict                 every application's result, the summary (report.c)
 *   teardown                free in reverse order (setup.c)
 *
 * Every step returns 0 or an exit code (cli.h); teardown undoes whatever
 * was done, so a failing step needs no unwinding of its own.
 */
#ifndef SYNACK_SYNACK_H
#define SYNACK_SYNACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app/synack/cli.h"
#include "app/synack/plan.h"
#include "drivers/port.h"
#include "lib/config/config.h"
#include "lib/gen/gen.h"
#include "lib/stack/stack.h"
#include "lib/stats/stats.h"

#define SYNACK_VERSION "0.1.0"

struct capture;
struct http_server;
struct tcp_ctx;
struct udp_ctx;

/** One worker and what it owns. */
struct slot {
	struct worker *w;
	struct rte_mempool *pool;
	unsigned int lcore;
	struct tcp_ctx *tcp; /**< NULL when no application needs TCP */
	struct udp_ctx *udp; /**< NULL when no application needs UDP */
};

struct synack {
	const struct cfg *cfg;
	struct plan pl;
	bool eal; /**< EAL is up */
	struct slot slot[CFG_MAX_LCORES];
	struct port ports[CFG_MAX_PORTS];
	unsigned int nb_up; /**< ports brought up, ports[0..nb_up) */
	int port_ids[CFG_MAX_PORTS];
	struct worker_disp disps[CFG_MAX_PORTS];
	struct worker_rss rss[CFG_MAX_PORTS];
	/* shared by the applications of every worker */
	struct http_server *srv; /**< the prebuilt responses */
	struct http_log *access; /**< the access log */
	struct gen_target targets[CFG_MAX_TARGETS];
	uint8_t request[2048]; /**< the HTTP models' request */
	uint8_t *request_big;  /**< the request with its body (client.body_size), or NULL */
	int request_len;
	/* memory per connection (report.c) */
	uint64_t rss0;	   /**< resident set before the flow tables */
	uint64_t peak_rss; /**< resident set at the stop */
	size_t est_per_conn;
	uint64_t peak_conns, t_peak;
	/* the run */
	struct capture *cap; /**< [capture] file; NULL = off */
	struct stats_report *rep;
	struct stats_worker *blocks[CFG_MAX_LCORES]; /**< the report reads these */
	bool ran;				     /**< the workers were launched */
	uint64_t t_ms;				     /**< run time at the stop */
	const char *status; /**< "done", "interrupted", a "failed: ..." sentence */
	char why[160];
	char file_prefix[64]; /**< the EAL --file-prefix synack derived, "" = none */
};

int setup_eal(struct synack *s, const struct cli *o);
int setup_ports(struct synack *s);
int setup_apps(struct synack *s);
void teardown(struct synack *s);
/* impair_setup.c: [portN] impair_rx / impair_tx */
int setup_impair(struct synack *s);
void teardown_impair(struct synack *s);
/** The flag the workers stop on (set by run.c). */
volatile bool *setup_stop_flag(void);

/* models.c: the client workers' load model */
int apps_model_prepare(struct synack *s);
int apps_create_model(struct synack *s, struct slot *sl, const struct plan_worker *pw,
		      struct worker_port *cwp);

int run(struct synack *s);
/* merge.c: synack merge (merge.h) */
int merge_main(int argc, char **argv);
int report_open(struct synack *s);
bool report_check_stop(struct synack *s, uint64_t t_ms);
int verdict(struct synack *s);

/* telemetry.c: the /synack/ telemetry commands (from before the launch to teardown) */
int telemetry_start(struct synack *s);
void telemetry_stop(struct synack *s);
/** A state name (ESTABLISHED, ESTAB, SYN-RECV, time_wait ...) -> enum tcp_state, -1 = none. */
int telemetry_parse_state(const char *v);

/* metrics.c: the Prometheus endpoint, polled by the main lcore's loops */
int metrics_open(struct synack *s);
void metrics_poll(struct synack *s);
void metrics_close(void);

/* ss.c: `synack ss`, a telemetry client (no EAL) */
int ss_main(int argc, char **argv);
/* htmlreport.c: the JSON start line, `synack report`, [run] report */
void htmlreport_start_line(struct synack *s, const struct cli *o);
int htmlreport_main(int argc, char **argv);
int htmlreport_after_run(const struct synack *s);
/* capture.c: [capture] */
int capture_setup(struct synack *s);

/** Resident set of the process in bytes (/proc/self/statm), 0 when unknown. */
uint64_t rss_bytes(void);

#endif /* SYNACK_SYNACK_H */
