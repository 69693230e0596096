/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The load model on each client worker (client.model): its configuration
 * from the plan's share, then the model registers itself on the worker.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app/synack/synack.h"
#include "lib/http/http.h"
#include "lib/iperf/iperf.h"
#include "lib/net/net.h"
#include "lib/tcp/tcp.h"
#include "lib/udp/udp.h"

/* The HTTP models' request, once. */
static int
build_request(struct synack *s)
{
	const struct cfg *cfg = s->cfg;
	char host[CFG_PATH_LEN], hdr[3 * CFG_PATH_LEN] = "";
	uint8_t *body = NULL;

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
	size_t ho = 0;

	if (cfg->client.header[0] != '\0')
		ho += (size_t)snprintf(hdr, sizeof(hdr), "%s\r\n", cfg->client.header);
	/* client.headers: "A: 1 | B: 2", each trimmed, each a CRLF line */
	for (const char *p = cfg->client.headers; *p != '\0';) {
		const char *e = strchr(p, '|');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);

		while (n > 0 && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n > 0 && ho + n + 3 < sizeof(hdr))
			ho += (size_t)snprintf(hdr + ho, sizeof(hdr) - ho, "%.*s\r\n", (int)n, p);
		p = e != NULL ? e + 1 : p + n;
		if (e == NULL)
			break;
	}
	if (cfg->client.body_size > 0) {
		static const char pattern[] = "abcdefghijklmnopqrstuvwxyz0123456789\n";

		body = malloc(cfg->client.body_size);
		s->request_big = malloc(sizeof(s->request) + cfg->client.body_size);
		if (body == NULL || s->request_big == NULL) {
			free(body);
			fprintf(stderr, "synack: %s:client:body_size: out of memory\n", cfg->file);
			return EXIT_USAGE;
		}
		for (uint32_t i = 0; i < cfg->client.body_size; i++)
			body[i] = (uint8_t)pattern[i % (sizeof(pattern) - 1)];
	}
	struct http_client_conf hc = {
		.method = cfg->client.method,
		.path = cfg->client.path,
		.host = host,
		.extra_headers = hdr[0] ? hdr : NULL,
		.keepalive = true,
		.body = body,
		.body_len = cfg->client.body_size,
	};
	if (s->request_big != NULL)
		s->request_len = http_client_request_build(
			&hc, s->request_big,
			(uint32_t)(sizeof(s->request) + cfg->client.body_size));
	else
		s->request_len = http_client_request_build(&hc, s->request, sizeof(s->request));
	free(body);
	if (s->request_len < 0) {
		fprintf(stderr,
			"synack: %s:client:path: cannot build the request (path, host or "
			"header invalid or too long)\n",
			cfg->file);
		return EXIT_USAGE;
	}
	return 0;
}

int
apps_model_prepare(struct synack *s)
{
	const struct cfg *cfg = s->cfg;

	for (unsigned int i = 0; i < cfg->client.nb_target; i++) {
		s->targets[i].ip = rte_cpu_to_be_32(cfg->client.target[i].ip);
		s->targets[i].port = rte_cpu_to_be_16(cfg->client.target[i].port);
	}
	return s->pl.http_model ? build_request(s) : 0;
}

/*
 * Software dispatch or RSS steering: every worker picks from the whole range
 * the ports whose replies come back to it (gen_port_is_ours, disjoint per
 * worker by construction); otherwise each takes its own slice.
 */
static bool
filtered(const struct worker_port *cwp)
{
	return cwp->disp_nb > 1 || cwp->rss != NULL;
}

static int
start_failed(const struct cfg *cfg, unsigned int w, int r)
{
	fprintf(stderr, "synack: %s:client:model: worker %u: cannot start the model: %s\n",
		cfg->file, w, strerror(-r));
	return EXIT_USAGE;
}

static int
model_http(struct synack *s, struct slot *sl, const struct plan_share *sh, struct worker_port *cwp)
{
	const struct cfg *cfg = s->cfg;
	const struct cfg_client *cc = &cfg->client;
	struct tcp_app ops;
	struct gen_http_conf gc = {
		.model = cc->model == CFG_MODEL_CPS  ? GEN_CPS
			 : cc->model == CFG_MODEL_CC ? GEN_CC
						     : GEN_RPS,
		.targets = s->targets,
		.nb_targets = cc->nb_target,
		.rate = sh->rate,
		.concurrency = sh->conc,
		.burst = cc->burst,
		.count = sh->count,
		.ramp_up_ms = cc->ramp_up_ms,
		.interval_ms = cc->interval_ms,
		.pipeline = cc->pipeline,
		.timeout_ms = cc->timeout_ms,
		/* this worker's share, as its share of the concurrency */
		.max_syn = cc->max_syn_inflight == 0
				   ? 0
				   : RTE_MAX(1u, (uint32_t)((uint64_t)cc->max_syn_inflight *
							    sh->conc / cc->concurrency)),
		.close_rst = cc->close_rst,
		.request = cc->request_none	    ? NULL
			   : s->request_big != NULL ? s->request_big
						    : s->request,
		.request_len = (uint32_t)s->request_len,
		.head = strcmp(cc->method, "HEAD") == 0,
		.port_lo = filtered(cwp) ? s->pl.ss.port_lo : sh->port_lo,
		.port_hi = filtered(cwp) ? s->pl.ss.port_hi : sh->port_hi,
	};
	struct gen_http *g = gen_http_create(sl->w, cwp, &gc, &ops);
	int r;

	if (g == NULL && errno == ERANGE) {
		fprintf(stderr,
			"synack: %s:client:ports: no port of %u-%u sends replies to worker %u (on "
			"an RSS port: does the RETA give its queue no entry?)\n",
			cfg->file, gc.port_lo, gc.port_hi, sl->w->id);
		return EXIT_USAGE;
	}
	if (g == NULL) {
		fprintf(stderr, "synack: out of memory for the model of worker %u\n", sl->w->id);
		return EXIT_USAGE;
	}
	if ((r = gen_http_start(g, sl->tcp)) != 0) {
		gen_http_free(g);
		return start_failed(cfg, sl->w->id, r);
	}
	return 0;
}

static int
model_bulk(struct synack *s, struct slot *sl, const struct plan_share *sh, struct worker_port *cwp)
{
	const struct cfg *cfg = s->cfg;
	const struct cfg_client *cc = &cfg->client;
	struct tcp_app ops;
	struct gen_bulk_conf bc = {
		.targets = s->targets,
		.nb_targets = cc->nb_target,
		.connections = sh->conc,
		.dir = cc->direction == CFG_DIR_RECEIVE ? BULK_RECV
		       : cc->direction == CFG_DIR_BOTH	? BULK_BOTH
							: BULK_SEND,
		.write_size = cc->write_size,
		.duration_ms = cfg->run.duration_ms,
		.burst = cc->burst,
		.port_lo = filtered(cwp) ? s->pl.ss.port_lo : sh->port_lo,
		.port_hi = filtered(cwp) ? s->pl.ss.port_hi : sh->port_hi,
	};
	struct gen_bulk *g = gen_bulk_create(sl->w, cwp, &bc, &ops);
	int r;

	if (g == NULL) {
		fprintf(stderr,
			"synack: %s:client:concurrency: %u connections for worker %u do not fit "
			"%s%u source ports of client.ports (%s)\n",
			cfg->file, sh->conc, sl->w->id,
			filtered(cwp) ? "the ports whose replies reach it, about " : "its ",
			sh->span, strerror(errno));
		return EXIT_USAGE;
	}
	if ((r = gen_bulk_start(g, sl->tcp)) != 0) {
		gen_bulk_free(g);
		return start_failed(cfg, sl->w->id, r);
	}
	return 0;
}

static int
model_udp(struct synack *s, struct slot *sl, const struct plan_share *sh, struct worker_port *cwp)
{
	const struct cfg *cfg = s->cfg;
	const struct cfg_client *cc = &cfg->client;
	struct gen_udp_conf uc = {
		.targets = s->targets,
		.nb_targets = cc->nb_target,
		.payload = cc->payload,
		.rate = sh->rate,
		.burst = cc->burst,
		.count = sh->count,
		.duration_ms = cfg->run.duration_ms,
		.flows = sh->flows,
		.port_lo = filtered(cwp) ? s->pl.ss.port_lo : sh->port_lo,
		.port_hi = filtered(cwp) ? s->pl.ss.port_hi : 0,
		.echo = cc->echo,
		.window = sh->conc,
	};
	struct gen_udp *g = gen_udp_create(sl->w, cwp, &uc);
	int r;

	if (g == NULL && errno == ERANGE) {
		fprintf(stderr,
			"synack: %s:client:flows: %u flows for worker %u: fewer ports of "
			"client.ports %u-%u send replies to it (about %u): lower flows or widen "
			"ports\n",
			cfg->file, sh->flows, sl->w->id, s->pl.ss.port_lo, s->pl.ss.port_hi,
			sh->span);
		return EXIT_USAGE;
	}
	if (g == NULL) {
		fprintf(stderr,
			"synack: %s:client:payload: %u bytes do not fit port%u (MTU %u): %s\n",
			cfg->file, cc->payload, cwp->index, cwp->mtu, strerror(errno));
		return EXIT_USAGE;
	}
	if ((r = gen_udp_start(g, sl->udp)) != 0) {
		uint16_t busy = gen_udp_busy_port(g);

		gen_udp_free(g);
		if (r == -EADDRINUSE) {
			fprintf(stderr,
				"synack: %s:client:ports: UDP port %u belongs to another "
				"application on worker %u\n",
				cfg->file, busy, sl->w->id);
			return EXIT_USAGE;
		}
		return start_failed(cfg, sl->w->id, r);
	}
	return 0;
}

static int
model_ping(struct synack *s, struct slot *sl, const struct plan_worker *pw, struct worker_port *cwp)
{
	const struct cfg *cfg = s->cfg;
	const struct cfg_client *cc = &cfg->client;
	struct gen_ping_conf gc = {
		.target = cc->target[pw->client % cc->nb_target].ip,
		.payload = cc->payload,
		.window = cc->concurrency,
		.rate = pw->share.rate,
		.burst = cc->burst,
		.count = pw->share.count,
	};

	if (gen_ping_create(sl->w, cwp, &gc) == NULL) {
		fprintf(stderr,
			"synack: %s:client:payload: %u bytes do not fit port%u (MTU %u): %s\n",
			cfg->file, cc->payload, cwp->index, cwp->mtu, strerror(errno));
		return EXIT_USAGE;
	}
	return 0;
}

static int
model_iperf(struct synack *s, struct slot *sl, struct worker_port *cwp)
{
	const struct cfg *cfg = s->cfg;
	const struct cfg_client *cc = &cfg->client;
	struct iperf_client_conf ic = {
		.ip = cc->target[0].ip,
		.port = cc->target[0].port,
		.lport_lo = cc->port_lo,
		.json_path = cc->iperf_json[0] ? cc->iperf_json : NULL,
		.params =
			{
				.udp = cc->iperf_udp,
				.reverse = cc->iperf_reverse,
				.time_s = (uint32_t)((cfg->run.duration_ms + 999) / 1000),
				.parallel = cc->iperf_parallel,
				.len = cc->iperf_len   ? cc->iperf_len
				       : cc->iperf_udp ? 1460
						       : 128 * 1024,
				.bandwidth = cc->iperf_bitrate ? cc->iperf_bitrate
					     : cc->iperf_udp   ? 1000 * 1000
							       : 0,
			},
	};
	struct iperf_client *c = iperf_client_create(sl->w, cwp, sl->tcp, sl->udp, &ic);
	int r;

	if (c == NULL) {
		fprintf(stderr, "synack: %s:client:model: iperf: %s\n", cfg->file, strerror(errno));
		return EXIT_USAGE;
	}
	if ((r = iperf_client_start(c)) != 0) {
		iperf_client_free(c);
		return start_failed(cfg, sl->w->id, r);
	}
	return 0;
}

int
apps_create_model(struct synack *s, struct slot *sl, const struct plan_worker *pw,
		  struct worker_port *cwp)
{
	if (s->pl.http_model)
		return model_http(s, sl, &pw->share, cwp);
	if (s->pl.bulk_model)
		return model_bulk(s, sl, &pw->share, cwp);
	if (s->pl.udp_model)
		return model_udp(s, sl, &pw->share, cwp);
	if (s->pl.iperf_model)
		return model_iperf(s, sl, cwp);
	return model_ping(s, sl, pw, cwp);
}
