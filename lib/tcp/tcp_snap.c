/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connection table seen from the management plane: tcp_snapshot copies
 * matching connections out of a worker's table (run on that worker, as a
 * worker_req, so that nothing reads a TCB another lcore is writing), and
 * tcp_listeners lists the listening ports.
 */
#include "tcp_priv.h"

static bool
snap_match(const struct tcp_snap_filter *f, const struct tcb *t)
{
	if (f->state >= 0 && t->state != (uint8_t)f->state)
		return false;
	if (f->port != 0 && t->key.lport != rte_cpu_to_be_16(f->port) &&
	    t->key.rport != rte_cpu_to_be_16(f->port))
		return false;
	if (f->addr != 0 && t->key.lip != f->addr && t->key.rip != f->addr)
		return false;
	return true;
}

bool
tcp_snapshot(const struct tcp_ctx *c, struct tcp_snap *s, uint32_t budget)
{
	uint32_t end = s->cursor + budget;

	if (end > c->nb_slots || end < s->cursor)
		end = c->nb_slots;
	for (; s->cursor < end; s->cursor++) {
		const struct tcb *t = &c->tcbs[s->cursor];
		struct tcp_snap_entry *e;

		if (t->state == TCP_CLOSED || !snap_match(&s->f, t))
			continue;
		s->matched++;
		if (t->state <= TCP_TIME_WAIT)
			s->by_state[t->state]++;
		if (s->matched <= s->skip || s->n >= s->max)
			continue;
		e = &s->buf[s->n++];
		e->lip = t->key.lip;
		e->rip = t->key.rip;
		e->lport = t->key.lport;
		e->rport = t->key.rport;
		e->port = t->port;
		tcp_get_info(t, &e->info);
	}
	return s->cursor >= c->nb_slots;
}

uint32_t
tcp_listeners(const struct tcp_ctx *c, uint16_t *ports, uint32_t max)
{
	uint32_t n = 0;

	for (uint32_t p = 0; p < 65536; p++) {
		if (__atomic_load_n(&c->listen[p], __ATOMIC_RELAXED) == 0)
			continue;
		if (n < max)
			ports[n] = (uint16_t)p;
		n++;
	}
	return n;
}
