/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The value of [portN] impair_rx / impair_tx: space- or comma-separated
 * key=value pairs, e.g. "loss=2% reorder=5% delay=1ms jitter=200us seed=7",
 * or "off". Probabilities as a percentage ("0.5%") or a fraction ("0.005");
 * times with a unit (us, ms, s); rate in bits/s with k, m, g (x1000).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define IMPAIR_TOK_LEN 64

/* A non-negative decimal at v into *d; *end after it. -1 when there is none. */
static int
nonneg(const char *v, double *d, char **end)
{
	errno = 0;
	*d = strtod(v, end);
	return *end == v || errno != 0 || *d < 0 ? -1 : 0;
}

static int
prob(const char *v, uint32_t *out)
{
	char *end;
	double d;

	if (nonneg(v, &d, &end) != 0)
		return -1;
	if (*end == '%') {
		d /= 100.0;
		end++;
	}
	if (*end != '\0' || d > 1.0)
		return -1;
	*out = (uint32_t)(d * 1e6 + 0.5);
	return 0;
}

static int
duration_us(const char *v, uint32_t *out)
{
	char *end;
	double d;

	if (nonneg(v, &d, &end) != 0)
		return -1;
	if (strcmp(end, "us") == 0)
		;
	else if (strcmp(end, "ms") == 0)
		d *= 1e3;
	else if (strcmp(end, "s") == 0)
		d *= 1e6;
	else
		return -1;
	if (d > 60e6) /* a minute at most */
		return -1;
	*out = (uint32_t)(d + 0.5);
	return 0;
}

static int
number(const char *v, uint64_t mult, uint64_t *out)
{
	char *end;
	unsigned long long n;

	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoull(v, &end, 0);
	if (errno != 0)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case 'k':
		n *= mult;
		end++;
		break;
	case 'm':
		n *= mult * mult;
		end++;
		break;
	case 'g':
		n *= mult * mult * mult;
		end++;
		break;
	default:
		break;
	}
	if (*end != '\0')
		return -1;
	*out = n;
	return 0;
}

int
cfg_impair_parse(const char *val, struct cfg_impair *o, char *msg, size_t msglen)
{
	const char *p = val;

	memset(o, 0, sizeof(*o));
	o->reorder_us = 1000;
	o->burst_bytes = 15140;
	o->rate_queue_us = 50000;
	o->limit = 4096;
	o->seed = 1;
	if (*val == '\0' || strcmp(val, "off") == 0)
		return 0;
	while (*p != '\0') {
		char tok[IMPAIR_TOK_LEN];
		size_t n;
		uint64_t u;
		int rc = -1;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		n = strcspn(p, " ,\t");
		if (n >= sizeof(tok)) {
			snprintf(msg, msglen, "\"%.*s...\" is too long", 16, p);
			return -1;
		}
		memcpy(tok, p, n);
		tok[n] = '\0';
		p += n;
		char *eq = strchr(tok, '=');
		if (eq == NULL || eq == tok || eq[1] == '\0') {
			snprintf(msg, msglen, "\"%s\" is not key=value", tok);
			return -1;
		}
		*eq = '\0';
		const char *k = tok, *v = eq + 1;
		const char *what = "a probability (2%, 0.5%, 0.02)";
		if (strcmp(k, "loss") == 0)
			rc = prob(v, &o->loss);
		else if (strcmp(k, "ge_p") == 0)
			rc = prob(v, &o->ge_p);
		else if (strcmp(k, "ge_r") == 0)
			rc = prob(v, &o->ge_r);
		else if (strcmp(k, "ge_loss") == 0)
			rc = prob(v, &o->ge_loss);
		else if (strcmp(k, "reorder") == 0)
			rc = prob(v, &o->reorder);
		else if (strcmp(k, "dup") == 0)
			rc = prob(v, &o->dup);
		else if (strcmp(k, "corrupt") == 0)
			rc = prob(v, &o->corrupt);
		else if (strcmp(k, "delay") == 0 || strcmp(k, "jitter") == 0 ||
			 strcmp(k, "reorder_delay") == 0 || strcmp(k, "rate_queue") == 0) {
			what = "a time with a unit (200us, 1ms, 1s), at most 60s";
			uint32_t *f = strcmp(k, "delay") == 0	     ? &o->delay_us
				      : strcmp(k, "jitter") == 0     ? &o->jitter_us
				      : strcmp(k, "rate_queue") == 0 ? &o->rate_queue_us
								     : &o->reorder_us;
			rc = duration_us(v, f);
		} else if (strcmp(k, "rate") == 0) {
			what = "a rate in bits/s (100m, 1g), at least 1000";
			rc = number(v, 1000, &u);
			if (rc == 0 && u < 1000)
				rc = -1;
			o->rate_bps = u;
		} else if (strcmp(k, "burst") == 0) {
			what = "bytes (16k), 64..64m";
			rc = number(v, 1024, &u);
			if (rc == 0 && (u < 64 || u > (64u << 20)))
				rc = -1;
			o->burst_bytes = (uint32_t)u;
		} else if (strcmp(k, "limit") == 0) {
			what = "packets held, 1..1m";
			rc = number(v, 1024, &u);
			if (rc == 0 && (u < 1 || u > (1u << 20)))
				rc = -1;
			o->limit = (uint32_t)u;
		} else if (strcmp(k, "seed") == 0) {
			what = "an unsigned integer";
			rc = number(v, 1, &o->seed);
		} else {
			snprintf(
				msg, msglen,
				"unknown \"%s\" (loss, ge_p, ge_r, ge_loss, delay, jitter, reorder, "
				"reorder_delay, dup, corrupt, rate, burst, rate_queue, limit, seed)",
				k);
			return -1;
		}
		if (rc != 0) {
			snprintf(msg, msglen, "%s=\"%s\" is not %s", k, v, what);
			return -1;
		}
	}
	if (o->ge_p != 0 && o->ge_r == 0) {
		snprintf(msg, msglen,
			 "ge_p needs ge_r (the chance per packet to leave the bad "
			 "state), or bursts never end");
		return -1;
	}
	if (o->ge_p != 0 && o->ge_loss == 0)
		o->ge_loss = 1000000;
	if (o->reorder != 0 && o->reorder_us == 0) {
		snprintf(msg, msglen, "reorder needs reorder_delay > 0");
		return -1;
	}
	o->on = o->loss || o->ge_p || o->delay_us || o->jitter_us || o->reorder || o->dup ||
		o->corrupt || o->rate_bps;
	return 0;
}
