/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * [portN] impair_rx / impair_tx -> drivers/impair on every queue of the
 * port: one struct impair_q per queue and direction, its counters pointed
 * at the statistics of the worker that polls the queue, the TX side's
 * flush hook and "taken" count handed to that worker's worker_port.
 * Attached after the ports are up and before the workers start; detached
 * (held frames freed) after they stopped, before the pools go.
 */
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "app/synack/synack.h"
#include "drivers/impair.h"

_Static_assert(STAT_impair_nombuf - STAT_impair_dropped == IMPAIR_CTR_NOMBUF,
	       "stats.h impair_* counters follow enum impair_ctr");

static struct impair_q *impq[CFG_MAX_PORTS][PORT_MAX_QUEUES][2];

static void
conf_of(const struct cfg_impair *ci, struct impair_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->loss = ci->loss;
	c->ge_p = ci->ge_p;
	c->ge_r = ci->ge_r;
	c->ge_loss = ci->ge_loss;
	c->delay_us = ci->delay_us;
	c->jitter_us = ci->jitter_us;
	c->reorder = ci->reorder;
	c->reorder_us = ci->reorder_us;
	c->dup = ci->dup;
	c->corrupt = ci->corrupt;
	c->rate_bps = ci->rate_bps;
	c->burst_bytes = ci->burst_bytes;
	c->rate_queue_us = ci->rate_queue_us;
	c->limit = ci->limit;
	c->seed = ci->seed;
}

/* the worker_port that rx/tx_bursts (port p, queue q) itself */
static struct worker_port *
queue_owner(struct synack *s, unsigned int p, unsigned int q)
{
	struct worker *w = s->slot[s->pl.owner[p][q]].w;

	for (unsigned int i = 0; i < w->nb_ports; i++) {
		struct worker_port *wp = &w->port[i];
		if (wp->index == p && wp->queue == q && wp->rx_ring == NULL)
			return wp;
	}
	return NULL;
}

static void
tx_hook(void *arg, uint64_t now)
{
	RTE_SET_USED(now); /* the callbacks run on the TSC, not a test clock */
	impair_tx_flush(arg, rte_rdtsc());
}

int
setup_impair(struct synack *s)
{
	const struct cfg *cfg = s->cfg;

	for (unsigned int p = 0; p < cfg->nb_ports; p++) {
		const struct cfg_impair *ci[2] = {&cfg->port[p].impair_rx, &cfg->port[p].impair_tx};
		for (unsigned int d = 0; d < 2; d++) {
			if (!ci[d]->on)
				continue;
			struct impair_conf c;
			conf_of(ci[d], &c);
			for (unsigned int q = 0; q < s->pl.nb_queues[p]; q++) {
				struct worker_port *wp = queue_owner(s, p, q);
				struct impair_q *iq = rte_zmalloc("impair_q", sizeof(*iq), 0);
				if (wp == NULL || iq == NULL ||
				    impair_q_init(iq, &c, d == 1, s->ports[p].port_id, (uint16_t)q,
						  rte_get_tsc_hz(),
						  (uint64_t)p << 16 | q << 1 | d) != 0) {
					fprintf(stderr, "synack: port%u: impairment: no memory\n",
						p);
					rte_free(iq);
					return EXIT_USAGE;
				}
				struct worker *w = s->slot[s->pl.owner[p][q]].w;
				iq->ctr = &w->stats.c[STAT_impair_dropped];
				impq[p][q][d] = iq;
				int rc = impair_attach(iq);
				if (rc != 0) {
					fprintf(stderr,
						"synack: %s:port%u:impair_%s: the port takes no %s "
						"callbacks: %s\n",
						cfg->file, p, d ? "tx" : "rx", d ? "TX" : "RX",
						rte_strerror(-rc));
					return EXIT_USAGE;
				}
				if (d == 1) {
					wp->tx_taken = &iq->taken;
					wp->tx_hook = tx_hook;
					wp->tx_hook_arg = iq;
				}
			}
			printf("port%u: impairment on %s (%u queue%s)\n", s->ports[p].port_id,
			       d ? "TX" : "RX", s->pl.nb_queues[p],
			       s->pl.nb_queues[p] > 1 ? "s" : "");
		}
	}
	return 0;
}

void
teardown_impair(struct synack *s)
{
	for (unsigned int p = 0; p < CFG_MAX_PORTS; p++)
		for (unsigned int q = 0; q < PORT_MAX_QUEUES; q++)
			for (unsigned int d = 0; d < 2; d++) {
				struct impair_q *iq = impq[p][q][d];
				if (iq == NULL)
					continue;
				impair_detach(iq);
				rte_free(iq);
				impq[p][q][d] = NULL;
			}
	RTE_SET_USED(s);
}
