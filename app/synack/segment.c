/* SPDX-License-Identifier: BSD-3-Clause */
/* Execution segments: a process's share of the whole load (segment.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/synack/segment.h"

static uint64_t
gcd(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static void
fill(struct segment *sg, const struct cfg_segment *f)
{
	static const struct cfg_segment whole = {0, 1, 1, 1};
	uint64_t n;

	if (f->from_den == 0 || f->to_den == 0) /* not parsed: the whole */
		f = &whole;
	n = f->from_den / gcd(f->from_den, f->to_den) * f->to_den;

	sg->f = *f;
	sg->count = (uint32_t)n;
	sg->index = (uint32_t)(f->from_num * (n / f->from_den));
	sg->whole = f->from_num == 0 && f->to_num == f->to_den;
}

int
segment_resolve(const struct cfg *cfg, const char *env_value, struct segment *sg, char *err,
		size_t errlen)
{
	const struct cfg_run *r = &cfg->run;
	char msg[160], spec[48];
	struct cfg_segment f;
	unsigned long long i;
	char *end;

	if (r->segment_env[0] == '\0') {
		fill(sg, &r->segment);
		return 0;
	}
	if (env_value == NULL) {
		snprintf(err, errlen,
			 "%s:run:segment_from_env: %s is not set in the environment (a Kubernetes "
			 "Indexed Job sets JOB_COMPLETION_INDEX)",
			 cfg->file, r->segment_env);
		return -1;
	}
	errno = 0;
	i = strtoull(env_value, &end, 10);
	if (env_value[0] < '0' || env_value[0] > '9' || *end != '\0' || errno != 0 ||
	    i >= r->segments) {
		snprintf(err, errlen,
			 "%s:run:segment_from_env: %s = \"%.32s\" is not an index 0..%u "
			 "(run.segments = %u)",
			 cfg->file, r->segment_env, env_value, r->segments - 1, r->segments);
		return -1;
	}
	snprintf(spec, sizeof(spec), "%llu/%u", i, r->segments);
	if (cfg_segment_parse(spec, &f, msg, sizeof(msg)) != 0) {
		snprintf(err, errlen, "%s:run:segment_from_env: %s", cfg->file, msg);
		return -1;
	}
	fill(sg, &f);
	return 0;
}

/* floor(total * num / den), exact: den <= 2^16 and the product fits 128 bits. */
static uint64_t
floor_mul(uint64_t total, uint64_t num, uint64_t den)
{
	return (uint64_t)((unsigned __int128)total * num / den);
}

uint64_t
segment_offset(const struct segment *sg, uint64_t total)
{
	return floor_mul(total, sg->f.from_num, sg->f.from_den);
}

uint64_t
segment_scale(const struct segment *sg, uint64_t total)
{
	return floor_mul(total, sg->f.to_num, sg->f.to_den) - segment_offset(sg, total);
}

static bool
client_port(const struct cfg *cfg, unsigned int p)
{
	return cfg->run.mode == CFG_MODE_CLIENT || (cfg->run.mode == CFG_MODE_BOTH && p == 0);
}

void
segment_share_of(const struct segment *sg, const struct cfg *cfg, struct segment_share *sh)
{
	const struct cfg_client *cc = &cfg->client;
	uint32_t nports = (uint32_t)cc->port_hi - cc->port_lo + 1;

	memset(sh, 0, sizeof(*sh));
	sh->rate = segment_scale(sg, cc->rate);
	sh->count = segment_scale(sg, cc->count);
	sh->conc = (uint32_t)segment_scale(sg, cc->concurrency);
	sh->flows = (uint32_t)segment_scale(sg, cc->flows);
	if (cc->rate != 0 && sh->rate == 0)
		sh->zero |= SEGMENT_ZERO_RATE;
	if (cc->count != 0 && sh->count == 0)
		sh->zero |= SEGMENT_ZERO_COUNT;
	if (sh->conc == 0)
		sh->zero |= SEGMENT_ZERO_CONC;
	if (cc->model == CFG_MODEL_UDP && sh->flows == 0)
		sh->zero |= SEGMENT_ZERO_FLOWS;

	/* addresses when every client port has at least N of them, else ports */
	sh->by_address = true;
	for (unsigned int p = 0; p < cfg->nb_ports; p++)
		if (client_port(cfg, p) && cfg->port[p].ip_count < sg->count)
			sh->by_address = false;
	for (unsigned int p = 0; p < cfg->nb_ports; p++) {
		uint32_t n = cfg->port[p].ip_count ? cfg->port[p].ip_count : 1;

		sh->ip_n[p] = n;
		if (sh->by_address && client_port(cfg, p)) {
			sh->ip_off[p] = (uint32_t)segment_offset(sg, n);
			sh->ip_n[p] = (uint32_t)segment_scale(sg, n);
		}
	}
	if (sh->by_address) {
		sh->port_lo = cc->port_lo;
		sh->port_hi = cc->port_hi;
	} else {
		uint32_t np = (uint32_t)segment_scale(sg, nports);

		sh->port_lo = (uint16_t)(cc->port_lo + segment_offset(sg, nports));
		sh->port_hi = (uint16_t)(sh->port_lo + np - 1); /* lo > hi when np = 0 */
		if (np == 0) {
			sh->port_hi = (uint16_t)(sh->port_lo - 1);
			sh->zero |= SEGMENT_ZERO_PORTS;
		}
	}
}

void
segment_str(const struct segment *sg, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 "/%" PRIu64 ":%" PRIu64 "/%" PRIu64, sg->f.from_num,
		 sg->f.from_den, sg->f.to_num, sg->f.to_den);
}

int
segment_zero_str(const struct segment *sg, const struct segment_share *sh, const struct cfg *cfg,
		 char *buf, size_t len)
{
	const struct cfg_client *cc = &cfg->client;
	const struct {
		uint32_t bit;
		const char *key;
		uint64_t total;
	} what[] = {
		{SEGMENT_ZERO_RATE, "client.rate", cc->rate},
		{SEGMENT_ZERO_CONC, "client.concurrency", cc->concurrency},
		{SEGMENT_ZERO_COUNT, "client.count", cc->count},
		{SEGMENT_ZERO_FLOWS, "client.flows", cc->flows},
		{SEGMENT_ZERO_PORTS, "client.ports", (uint64_t)cc->port_hi - cc->port_lo + 1},
	};
	char seg[48];
	int n;

	if (sh->zero == 0) {
		if (len > 0)
			buf[0] = '\0';
		return 0;
	}
	segment_str(sg, seg, sizeof(seg));
	n = snprintf(buf, len, "segment %s (%u of %u) gets no share of", seg, sg->index, sg->count);
	for (size_t i = 0, k = 0; i < sizeof(what) / sizeof(what[0]); i++) {
		if (!(sh->zero & what[i].bit) || n < 0 || (size_t)n >= len)
			continue;
		n += snprintf(buf + n, len - (size_t)n, "%s %s (%" PRIu64 " split %u ways)",
			      k++ ? "," : "", what[i].key, what[i].total, sg->count);
	}
	if (n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ": it runs no load");
	return n;
}
