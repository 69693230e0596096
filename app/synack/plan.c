/* SPDX-License-Identifier: BSD-3-Clause */
/* The plan: config -> workers, queues, applications, shares (plan.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "app/synack/plan.h"
#include "lib/gen/gen.h"
#include "lib/stack/stack.h"

void
plan_dispatch(struct plan *pl, unsigned int p)
{
	pl->disp[p] = pl->nb_owners[p] > 1;
	if (pl->disp[p])
		pl->nb_queues[p] = 1;
}

/* Whether port p is shared by software dispatch from the config alone. */
static bool
wants_dispatch(const struct cfg_port *cp, unsigned int nb_queues_wanted)
{
	return cp->dispatch == CFG_DISPATCH_SOFTWARE ||
	       (nb_queues_wanted == 1 && cp->dispatch != CFG_DISPATCH_RSS);
}

/*
 * server/client: every worker owns queue i of every port (or all share one
 * by software dispatch). both: port0 is the client side, port1 (and any
 * further port) the server side; one worker polls both, or the workers split
 * in halves.
 */
static int
place(const struct cfg *cfg, struct plan *pl, char *err, size_t errlen)
{
	unsigned int n = cfg->run.lcores;

	if (cfg->run.mode == CFG_MODE_BOTH) {
		pl->role[0] = WORKER_ROLE_CLIENT;
		for (unsigned int p = 1; p < cfg->nb_ports; p++)
			pl->role[p] = WORKER_ROLE_SERVER;
		if (n == 1) {
			for (unsigned int p = 0; p < cfg->nb_ports; p++) {
				pl->nb_queues[p] = 1;
				pl->nb_owners[p] = 1;
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
			const struct cfg_port *cp = &cfg->port[p];

			pl->nb_queues[p] = (uint16_t)(n / 2);
			pl->nb_owners[p] = (uint16_t)(n / 2);
			for (unsigned int q = 0; q < n / 2; q++)
				pl->owner[p][q] = (uint16_t)(p * (n / 2) + q);
			if (wants_dispatch(cp, cp->queues)) {
				plan_dispatch(pl, p);
			} else if (cp->queues != 0 && cp->queues != n / 2) {
				snprintf(err, errlen,
					 "%s:port%u:queues: %u queues for %u workers on the port: "
					 "each owns one queue (leave queues = 0), or all share one "
					 "(queues = 1 or dispatch = software)",
					 cfg->file, p, cp->queues, n / 2);
				return -1;
			}
		}
		return 0;
	}
	for (unsigned int p = 0; p < cfg->nb_ports; p++) {
		const struct cfg_port *cp = &cfg->port[p];
		unsigned int want = cp->queues ? cp->queues : n;

		pl->role[p] = cfg->run.mode == CFG_MODE_CLIENT ? WORKER_ROLE_CLIENT
							       : WORKER_ROLE_SERVER;
		pl->nb_owners[p] = (uint16_t)n;
		for (unsigned int q = 0; q < n; q++)
			pl->owner[p][q] = (uint16_t)q;
		if (n > 1 && wants_dispatch(cp, want)) {
			plan_dispatch(pl, p);
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
		pl->nb_queues[p] = (uint16_t)want;
	}
	return 0;
}

/* ---- ports claimed by the applications of one worker ---- */

#define PROTO_TCP  1
#define PROTO_UDP  2
#define MAX_CLAIMS (4 * CFG_MAX_LISTEN + 8)

struct claim {
	uint8_t proto;	 /**< PROTO_* bits */
	uint16_t lo, hi; /**< ports, host order, inclusive */
	const char *key; /**< "server:listen" */
};

struct claims {
	unsigned int n;
	struct claim c[MAX_CLAIMS];
};

static const char *
proto_name(uint8_t proto)
{
	return proto == PROTO_TCP ? "TCP" : proto == PROTO_UDP ? "UDP" : "TCP and UDP";
}

/* Add a claim; -1 with the error when it overlaps another application's. */
static int
claim(const struct cfg *cfg, struct claims *cl, uint8_t proto, uint16_t lo, uint16_t hi,
      const char *key, char *err, size_t errlen)
{
	for (unsigned int i = 0; i < cl->n; i++) {
		const struct claim *o = &cl->c[i];

		if ((o->proto & proto) == 0 || hi < o->lo || lo > o->hi)
			continue;
		uint16_t p = lo > o->lo ? lo : o->lo;
		char sec[32];
		const char *k = strchr(key, ':');

		snprintf(sec, sizeof(sec), "%.*s", (int)(k - key), key);
		snprintf(err, errlen,
			 "%s:%s:%s: %s port %u is also claimed by %s: two applications cannot "
			 "own one port",
			 cfg->file, sec, k + 1, proto_name(o->proto & proto), p, o->key);
		return -1;
	}
	if (cl->n < MAX_CLAIMS)
		cl->c[cl->n++] = (struct claim){.proto = proto, .lo = lo, .hi = hi, .key = key};
	return 0;
}

/*
 * Every (protocol, port) a worker's applications own, the server's in
 * config order, then the model's: two owners of one port are refused here,
 * before EAL, and TCP/UDP refuse them again at bind time (-EADDRINUSE).
 */
static int
check_claims(const struct cfg *cfg, const struct plan *pl, const struct plan_worker *pw, char *err,
	     size_t errlen)
{
	struct claims cl = {0};
	int r = 0;

	if (pw->apps & PLAN_HTTP_SERVER)
		for (unsigned int i = 0; i < cfg->server.nb_listen && r == 0; i++)
			r = claim(cfg, &cl, PROTO_TCP, cfg->server.listen[i], cfg->server.listen[i],
				  "server:listen", err, errlen);
	if (r == 0 && (pw->apps & PLAN_BULK_SERVER))
		r = claim(cfg, &cl, PROTO_TCP, cfg->server.bulk, cfg->server.bulk, "server:bulk",
			  err, errlen);
	if (r == 0 && (pw->apps & PLAN_IPERF_SERVER))
		r = claim(cfg, &cl, PROTO_TCP | PROTO_UDP, cfg->iperf.listen, cfg->iperf.listen,
			  "iperf:listen", err, errlen);
	if (pw->apps & PLAN_UDP_SERVICES) {
		for (unsigned int i = 0; i < cfg->udp.nb_echo && r == 0; i++)
			r = claim(cfg, &cl, PROTO_UDP, cfg->udp.echo[i], cfg->udp.echo[i],
				  "udp:echo", err, errlen);
		for (unsigned int i = 0; i < cfg->udp.nb_sink && r == 0; i++)
			r = claim(cfg, &cl, PROTO_UDP, cfg->udp.sink[i], cfg->udp.sink[i],
				  "udp:sink", err, errlen);
	}
	if (r != 0 || !(pw->apps & PLAN_MODEL))
		return r;
	/* the models that receive on their own source ports */
	if (pl->udp_model) {
		uint16_t lo = pw->share.port_lo;
		uint32_t hi = (uint32_t)lo + pw->share.flows - 1;

		r = claim(cfg, &cl, PROTO_UDP, lo, (uint16_t)(hi > 65535 ? 65535 : hi),
			  "client:ports", err, errlen);
	} else if (pl->iperf_model) {
		uint32_t hi = (uint32_t)cfg->client.port_lo + cfg->client.iperf_parallel;

		r = claim(cfg, &cl, PROTO_TCP | PROTO_UDP, cfg->client.port_lo,
			  (uint16_t)(hi > 65535 ? 65535 : hi), "client:ports", err, errlen);
	}
	return r;
}

/* This client worker's share of the process's share (pl->ss) of the load. */
static void
share_of(const struct cfg *cfg, const struct plan *pl, unsigned int c, struct plan_share *s)
{
	const struct segment_share *ss = &pl->ss;
	unsigned int n = pl->nb_clients;

	s->count = ss->count / n + (c < ss->count % n ? 1 : 0);
	s->rate = ss->rate / n;
	s->conc = ss->conc / n;
	s->flows = ss->flows;
	s->span = (uint32_t)(ss->port_hi - ss->port_lo + 1) / n;
	if (ss->rate != 0 && s->rate == 0)
		s->rate = 1;
	if (s->conc == 0)
		s->conc = 1;
	if (ss->count != 0 && s->count == 0)
		s->count = 1;
	(void)cfg;
	if (pl->udp_model) {
		s->port_lo = (uint16_t)(ss->port_lo + c * ss->flows);
		s->port_hi = 0;
	} else {
		s->port_lo = (uint16_t)(ss->port_lo + c * s->span);
		s->port_hi = (uint16_t)(ss->port_lo + (c + 1) * s->span - 1);
	}
}

/* Config-only checks of the model against the number of client workers. */
static int
check_model(const struct cfg *cfg, const struct plan *pl, char *err, size_t errlen)
{
	const struct segment_share *ss = &pl->ss;
	uint32_t ports = (uint32_t)ss->port_hi - ss->port_lo + 1;

	if (pl->nb_clients == 0 || pl->seg_idle)
		return 0;
	if (pl->udp_model && (uint64_t)ss->flows * pl->nb_clients > ports) {
		snprintf(err, errlen,
			 "%s:client:flows: %u flows x %u client workers do not fit client.ports "
			 "%u-%u%s",
			 cfg->file, ss->flows, pl->nb_clients, ss->port_lo, ss->port_hi,
			 pl->seg.whole ? "" : " (this segment's share)");
		return -1;
	}
	if ((pl->http_model || pl->bulk_model) && ports < pl->nb_clients) {
		snprintf(err, errlen,
			 "%s:client:ports: %u ports %u-%u for %u client workers: each needs at "
			 "least one%s",
			 cfg->file, ports, ss->port_lo, ss->port_hi, pl->nb_clients,
			 pl->seg.whole ? "" : " (this segment's share)");
		return -1;
	}
	if (pl->iperf_model && pl->nb_clients > 1) {
		snprintf(err, errlen,
			 "%s:run:lcores: an iperf3 test runs on one worker: use run.lcores = 1 "
			 "(2 in mode both)",
			 cfg->file);
		return -1;
	}
	return 0;
}

static unsigned int
mbuf_size(const struct cfg *cfg)
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

int
plan_build(const struct cfg *cfg, struct plan *pl, char *err, size_t errlen)
{
	enum cfg_model m = cfg->client.model;

	memset(pl, 0, sizeof(*pl));
	pl->nb_workers = cfg->run.lcores;
	if (segment_resolve(cfg, cfg->run.segment_env[0] ? getenv(cfg->run.segment_env) : NULL,
			    &pl->seg, err, errlen) != 0)
		return -1;
	segment_share_of(&pl->seg, cfg, &pl->ss);
	/* the ping and iperf models take no source ports; a zero share of
	 * anything else leaves the segment nothing to run */
	if (m == CFG_MODEL_PING || m == CFG_MODEL_IPERF)
		pl->ss.zero &= ~(uint32_t)SEGMENT_ZERO_PORTS;
	if (cfg->run.mode != CFG_MODE_SERVER && pl->ss.zero != 0) {
		pl->seg_idle = true;
		segment_zero_str(&pl->seg, &pl->ss, cfg, pl->seg_note, sizeof(pl->seg_note));
	}
	if (place(cfg, pl, err, errlen) != 0)
		return -1;
	for (unsigned int p = 0; p < cfg->nb_ports; p++)
		for (unsigned int q = 0; q < pl->nb_owners[p]; q++)
			pl->w[pl->owner[p][q]].role |= pl->role[p];
	pl->http_model = m == CFG_MODEL_CPS || m == CFG_MODEL_CC || m == CFG_MODEL_RPS;
	pl->udp_model = m == CFG_MODEL_UDP;
	pl->bulk_model = m == CFG_MODEL_THROUGHPUT;
	pl->iperf_model = m == CFG_MODEL_IPERF;
	for (unsigned int w = 0; w < pl->nb_workers; w++) {
		struct plan_worker *pw = &pl->w[w];

		if ((pw->role & WORKER_ROLE_CLIENT) && !pl->seg_idle) {
			pw->apps |= PLAN_MODEL;
			pw->client = pl->nb_clients++;
		}
		if (!(pw->role & WORKER_ROLE_SERVER))
			continue;
		pl->nb_servers++;
		if (cfg->server.nb_listen > 0)
			pw->apps |= PLAN_HTTP_SERVER;
		if (cfg->server.bulk != 0)
			pw->apps |= PLAN_BULK_SERVER;
		if (cfg->udp.nb_echo + cfg->udp.nb_sink > 0)
			pw->apps |= PLAN_UDP_SERVICES;
		if (cfg->iperf.listen != 0)
			pw->apps |= PLAN_IPERF_SERVER;
	}
	if (cfg->iperf.listen != 0 && pl->nb_servers > 1) {
		snprintf(err, errlen,
			 "%s:iperf:listen: an iperf3 test runs on one worker: use run.lcores = 1 "
			 "(2 in mode both)",
			 cfg->file);
		return -1;
	}
	if (check_model(cfg, pl, err, errlen) != 0)
		return -1;
	for (unsigned int w = 0; w < pl->nb_workers; w++) {
		struct plan_worker *pw = &pl->w[w];

		if (pw->apps & PLAN_MODEL)
			share_of(cfg, pl, pw->client, &pw->share);
		if (check_claims(cfg, pl, pw, err, errlen) != 0)
			return -1;
	}
	if (pl->nb_clients > 0 && pl->udp_model && cfg->client.echo)
		pl->grace_ms = GEN_UDP_GRACE_MS + 500;
	else if (pl->nb_clients > 0 && pl->bulk_model)
		pl->grace_ms = GEN_BULK_GRACE_MS + 500;
	else if (pl->nb_clients > 0 && pl->iperf_model)
		pl->grace_ms = 10000; /* the results exchange follows the test time */
	pl->mbuf_size = mbuf_size(cfg);
	/* pools, and TCB + flow table + send queue with room for rte_hash's rounding */
	uint64_t bytes = (uint64_t)cfg->run.lcores * cfg->pool.mbufs *
			 (pl->mbuf_size + sizeof(struct rte_mbuf) + 64);
	bytes += (uint64_t)cfg->run.lcores * cfg->tcp.max_conns * 2 * 320;
	pl->eal_mem_mb = (unsigned int)(bytes >> 20) + 256;
	return 0;
}
