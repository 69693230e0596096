/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The applications of every worker, from the plan (plan.h): the TCP and
 * UDP contexts they need, then each server and the load model. Each
 * creator registers its application on the worker (struct app_class);
 * from there on the life cycle is generic (run.c, report.c, teardown).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>

#include "app/synack/synack.h"
#include "lib/bulk/bulk.h"
#include "lib/http/http.h"
#include "lib/iperf/iperf.h"
#include "lib/net/net.h"
#include "lib/tcp/tcp.h"
#include "lib/udp/udp.h"

/* A creator: 0, or an exit code after printing what is wrong. */
typedef int (*app_create_fn)(struct synack *s, struct slot *sl, const struct plan_worker *pw);

static int
nomem(const char *what, unsigned int w)
{
	fprintf(stderr, "synack: out of memory for the %s of worker %u\n", what, w);
	return EXIT_USAGE;
}

/* An application refused its port: the plan should have caught it. */
static int
port_busy(const struct cfg *cfg, const char *key, unsigned int port, int err)
{
	fprintf(stderr, "synack: %s:%s: port %u: %s\n", cfg->file, key, port, strerror(err));
	return EXIT_USAGE;
}

static struct worker_port *
client_port(struct worker *w)
{
	for (unsigned int i = 0; i < w->nb_ports; i++)
		if (w->port[i].role & WORKER_ROLE_CLIENT)
			return &w->port[i];
	return NULL;
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
	tc.cc = cfg->tcp.cc == CFG_CC_NEWRENO ? TCP_CC_NEWRENO : TCP_CC_CUBIC;
	tc.ooo_max = cfg->tcp.ooo_max;
	tc.zero_copy_min = cfg->tcp.zero_copy_min;
	tc.syncookies = cfg->tcp.syncookies;
	tc.wscale = cfg->tcp.wscale;
	tc.sack = cfg->tcp.sack;
	tc.timestamps = cfg->tcp.timestamps;
	return tc;
}

/* The transports a worker's applications need. */
static int
attach_transports(struct synack *s, struct slot *sl, const struct plan_worker *pw)
{
	const struct cfg *cfg = s->cfg;
	bool model = (pw->apps & PLAN_MODEL) != 0;
	bool udp = (pw->role & WORKER_ROLE_SERVER) ||
		   (model && (s->pl.udp_model || s->pl.iperf_model));
	bool tcp = (pw->apps & (PLAN_HTTP_SERVER | PLAN_BULK_SERVER | PLAN_IPERF_SERVER)) ||
		   (model && (s->pl.http_model || s->pl.bulk_model || s->pl.iperf_model));

	if (udp) {
		struct udp_conf uc = {.unreach_rate = cfg->udp.unreach_rate};

		sl->udp = udp_attach(sl->w, &uc);
		if (sl->udp == NULL)
			return nomem("UDP context", sl->w->id);
	}
	if (!tcp)
		return 0;
	struct tcp_conf tc = tcp_conf_from(cfg);
	sl->tcp = tcp_attach(sl->w, &tc, NULL);
	if (sl->tcp == NULL) {
		fprintf(stderr,
			"synack: %s:tcp:max_conns: cannot allocate %u connections for worker %u: "
			"lower tcp.max_conns or reserve hugepages\n",
			cfg->file, cfg->tcp.max_conns, sl->w->id);
		return EXIT_USAGE;
	}
	/* zero-copy sending (tcp.zero_copy_min): the bulk pattern; the HTTP
	 * bodies are registered by the HTTP server; iperf registers its own */
	(void)tcp_zc_register(sl->tcp, bulk_pattern(), BULK_PATTERN_LEN);
	if (s->est_per_conn == 0) {
		s->est_per_conn = tcp_bytes_per_conn(sl->tcp);
		printf("tcp: %u connections per worker, %zu bytes per connection "
		       "(TCB %zu + flow table and send queue share)\n",
		       cfg->tcp.max_conns, s->est_per_conn, tcp_tcb_size());
	}
	return 0;
}

/* The prebuilt responses (shared by the server workers) and the access log, once. */
static int
make_responses(struct synack *s)
{
	const struct cfg *cfg = s->cfg;
	char header[CFG_PATH_LEN + 2] = "", err[CFG_ERR_LEN];

	if (s->srv != NULL)
		return 0;
	if (cfg->server.header[0] != '\0')
		snprintf(header, sizeof(header), "%s\r\n", cfg->server.header);
	struct http_route_conf routes[CFG_MAX_ROUTES];

	for (unsigned int i = 0; i < cfg->server.nb_routes; i++) {
		const struct cfg_route *r = &cfg->server.routes[i];

		routes[i] = (struct http_route_conf){
			.path = r->path,
			.content_type = r->ctype[0] != '\0' ? r->ctype : NULL,
			.status = r->status,
			.nb_sizes = r->nb_sizes,
			.size = r->size,
			.weight = r->weight,
		};
	}
	struct http_server_conf hc = {
		.body_size = cfg->server.body_size,
		.body_file = cfg->server.body_file[0] ? cfg->server.body_file : NULL,
		.gzip = cfg->server.gzip,
		.extra_headers = header[0] ? header : NULL,
		.max_body = cfg->server.max_body,
		.routes = routes,
		.nb_routes = cfg->server.nb_routes,
	};
	s->srv = http_server_create(&hc, err, sizeof(err));
	if (s->srv == NULL) {
		fprintf(stderr, "synack: %s:server:%s: %s\n", cfg->file,
			cfg->server.body_file[0] ? "body_file" : "body_size", err);
		return EXIT_USAGE;
	}
	http_server_tick(s->srv, time(NULL));
	if (cfg->server.access_log[0] != '\0') {
		s->access = http_log_open(cfg->server.access_log,
					  (enum http_log_format)cfg->server.access_log_format);
		if (s->access == NULL) {
			fprintf(stderr, "synack: %s:server:access_log: cannot open \"%s\": %s\n",
				cfg->file, cfg->server.access_log, strerror(errno));
			return EXIT_USAGE;
		}
	}
	return 0;
}

static int
create_http_server(struct synack *s, struct slot *sl, const struct plan_worker *pw)
{
	const struct cfg *cfg = s->cfg;
	struct http_iov b[2 * 3 * (1 + CFG_MAX_ROUTES * CFG_MAX_ROUTE_SIZES)];
	struct tcp_app ops;
	struct http_app *a;
	int rc;

	(void)pw;
	if ((rc = make_responses(s)) != 0)
		return rc;
	a = http_app_create(sl->w, s->srv, s->access, cfg->server.access_log_sample, &ops);
	if (a == NULL)
		return nomem("HTTP server", sl->w->id);
	http_app_set_timeouts(a, cfg->server.header_timeout_ms, cfg->server.keepalive_timeout_ms);
	rc = http_app_start(a, sl->tcp, cfg->server.listen, cfg->server.nb_listen);
	if (rc != 0) {
		http_app_free(a);
		return port_busy(cfg, "server:listen", cfg->server.listen[0], -rc);
	}
	unsigned int n = http_server_bodies(s->srv, b, RTE_DIM(b));
	for (unsigned int i = 0; i < n; i++)
		(void)tcp_zc_register(sl->tcp, b[i].base, b[i].len);
	return 0;
}

static int
create_bulk_server(struct synack *s, struct slot *sl, const struct plan_worker *pw)
{
	const struct cfg *cfg = s->cfg;
	struct bulk_server_conf bc = {.port = cfg->server.bulk,
				      .write_size = cfg->client.write_size};

	(void)pw;
	if (bulk_server_create(sl->w, sl->tcp, &bc) == NULL)
		return errno == ENOMEM ? nomem("bulk server", sl->w->id)
				       : port_busy(cfg, "server:bulk", bc.port, errno);
	return 0;
}

static int
create_udp_services(struct synack *s, struct slot *sl, const struct plan_worker *pw)
{
	const struct cfg *cfg = s->cfg;
	uint16_t busy = 0;

	(void)pw;
	if (udp_services_create(sl->udp, cfg->udp.echo, cfg->udp.nb_echo, cfg->udp.sink,
				cfg->udp.nb_sink, &busy) == NULL)
		return errno == ENOMEM ? nomem("UDP services", sl->w->id)
				       : port_busy(cfg, "udp:echo", busy, errno);
	return 0;
}

static int
create_iperf_server(struct synack *s, struct slot *sl, const struct plan_worker *pw)
{
	const struct cfg *cfg = s->cfg;
	struct iperf_server_conf ic = {.port = cfg->iperf.listen, .idle_ms = cfg->iperf.idle_ms};

	(void)pw;
	if (iperf_server_create(sl->w, sl->tcp, sl->udp, &ic) == NULL)
		return errno == ENOMEM ? nomem("iperf3 server", sl->w->id)
				       : port_busy(cfg, "iperf:listen", ic.port, errno);
	printf("iperf: server on port %u (worker %u)\n", ic.port, sl->w->id);
	return 0;
}

static int
create_model(struct synack *s, struct slot *sl, const struct plan_worker *pw)
{
	struct worker_port *cwp = client_port(sl->w);

	return cwp == NULL ? 0 : apps_create_model(s, sl, pw, cwp);
}

/* In this order: the servers claim their ports before the model's flows. */
static const struct {
	uint32_t bit;
	app_create_fn create;
} creators[] = {
	{PLAN_HTTP_SERVER, create_http_server},
	{PLAN_BULK_SERVER, create_bulk_server},
	{PLAN_UDP_SERVICES, create_udp_services},
	{PLAN_IPERF_SERVER, create_iperf_server},
	{PLAN_MODEL, create_model},
};

int
setup_apps(struct synack *s)
{
	int rc;

	/* the resident set before the flow tables, TCBs, send queues and source
	 * pools: what grows from here on is the per-connection memory */
	s->rss0 = rss_bytes();
	if (s->pl.nb_clients > 0 && (rc = apps_model_prepare(s)) != 0)
		return rc;
	for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
		struct slot *sl = &s->slot[w];
		const struct plan_worker *pw = &s->pl.w[w];

		if ((rc = attach_transports(s, sl, pw)) != 0)
			return rc;
		for (unsigned int i = 0; i < RTE_DIM(creators); i++)
			if ((pw->apps & creators[i].bit) &&
			    (rc = creators[i].create(s, sl, pw)) != 0)
				return rc;
	}
	return 0;
}
