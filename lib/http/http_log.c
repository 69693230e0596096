/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The server's access log, written while the run goes.
 *
 * A worker never writes the file: it copies one fixed-size record per
 * logged request (addresses, method, target, status, bytes, its TSC) into
 * its own single-producer/single-consumer rte_ring; when the ring is full
 * the record is dropped and counted (http_log_dropped). The main lcore
 * drains every ring from http_log_flush(), formats the records into whole
 * lines in a buffer and write()s only whole lines, so a reader of the file
 * mid-run never sees half a line. Formats: synack (the original one), seeds
 * ([MM/DD/YYYY HH:MM:SS] - ip:port - METHOD PATH), combined (nginx/Apache)
 * and json (one object per line).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "lib/net/net.h"
#include "http.h"

/* Records per worker ring (184 bytes each, 1.5 MiB): bursts of a few thousand
 * requests within the main lcore's 1 ms between drains. */
#define HTTP_LOG_RING 8192
/* Lines are formatted here and written when it is this full. */
#define HTTP_LOG_BUF	   (256 * 1024)
#define HTTP_LOG_LINE_MAX  1024
#define HTTP_LOG_MAX_RINGS 256

struct http_log {
	int fd;
	enum http_log_format fmt;
	unsigned int nb_rings;
	struct rte_ring *rings[HTTP_LOG_MAX_RINGS];
	uint64_t tsc0;	    /* TSC at open */
	uint64_t hz;	    /* TSC ticks per second */
	struct timeval tv0; /* wall clock at open */
	uint64_t lines;	    /* lines written */
	uint32_t used;	    /* bytes in buf */
	char buf[HTTP_LOG_BUF];
};

_Static_assert(sizeof(struct http_log_rec) % 4 == 0, "rte_ring elements are multiples of 4");

int
http_log_format_parse(const char *s, enum http_log_format *out)
{
	static const char *const names[] = {
		[HTTP_LOG_SYNACK] = "synack",
		[HTTP_LOG_SEEDS] = "seeds",
		[HTTP_LOG_COMBINED] = "combined",
		[HTTP_LOG_JSON] = "json",
	};

	for (unsigned int i = 0; i < RTE_DIM(names); i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum http_log_format)i;
			return 0;
		}
	return -EINVAL;
}

struct http_log *
http_log_open(const char *path, enum http_log_format fmt)
{
	struct http_log *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (l->fd < 0) {
		int e = errno;

		free(l);
		errno = e;
		return NULL;
	}
	l->fmt = fmt;
	l->hz = rte_get_tsc_hz();
	l->tsc0 = rte_get_tsc_cycles();
	gettimeofday(&l->tv0, NULL);
	return l;
}

struct rte_ring *
http_log_ring_new(struct http_log *l)
{
	size_t sz = rte_ring_get_memsize_elem(sizeof(struct http_log_rec), HTTP_LOG_RING);
	struct rte_ring *r;
	char name[RTE_RING_NAMESIZE];

	if (l->nb_rings == HTTP_LOG_MAX_RINGS) {
		errno = ENOSPC;
		return NULL;
	}
	r = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL(sz, RTE_CACHE_LINE_SIZE));
	if (r == NULL)
		return NULL;
	snprintf(name, sizeof(name), "httplog%u", l->nb_rings);
	/* not in a memzone: the ring is private to this log */
	if (rte_ring_init(r, name, HTTP_LOG_RING, RING_F_SP_ENQ | RING_F_SC_DEQ) != 0) {
		free(r);
		errno = EINVAL;
		return NULL;
	}
	l->rings[l->nb_rings++] = r;
	return r;
}

/* Characters of a target or method that a quoted log field cannot carry as is. */
static size_t
http_log_escape(char *o, size_t room, const char *s, bool json)
{
	size_t n = 0;

	for (; *s != '\0' && n + 7 < room; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f)
			n += (size_t)snprintf(o + n, room - n, json ? "\\u%04x" : "\\x%02X", c);
		else
			o[n++] = (char)c;
	}
	o[n] = '\0';
	return n;
}

/* One record as one line into o (at least HTTP_LOG_LINE_MAX bytes); its length. */
static int
http_log_line(const struct http_log *l, const struct http_log_rec *r, char *o)
{
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	uint64_t dt = r->tsc > l->tsc0 ? r->tsc - l->tsc0 : 0;
	uint64_t us = (uint64_t)l->tv0.tv_usec + dt / l->hz * 1000000u +
		      dt % l->hz * 1000000u / l->hz;
	time_t sec = l->tv0.tv_sec + (time_t)(us / 1000000u);
	unsigned int ms = (unsigned int)(us % 1000000u / 1000u);
	char rip[16], lip[16], target[400], method[64];
	const char *m = r->method_tok[0] != '\0' ? r->method_tok : http_method_name(r->method);
	struct tm tm;

	gmtime_r(&sec, &tm);
	net_ip_str(r->rip, rip);
	net_ip_str(r->lip, lip);
	switch (l->fmt) {
	case HTTP_LOG_SYNACK:
		return snprintf(o, HTTP_LOG_LINE_MAX, "%ld.%03u %s:%u %s:%u %s %s %u %u w%u\n",
				(long)sec, ms, rip, r->rport, lip, r->lport,
				r->method == HTTP_M_NONE || r->method == HTTP_M_OTHER
					? "-"
					: http_method_name(r->method),
				r->path[0] ? r->path : "-", r->status, r->bytes, r->worker);
	case HTTP_LOG_SEEDS:
		return snprintf(o, HTTP_LOG_LINE_MAX,
				"[%02d/%02d/%04d %02d:%02d:%02d] - %s:%u - %s %s\n", tm.tm_mon + 1,
				tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
				rip, r->rport, m, r->path[0] ? r->path : "-");
	case HTTP_LOG_COMBINED:
		http_log_escape(target, sizeof(target), r->path, false);
		http_log_escape(method, sizeof(method), m, false);
		/* $remote_addr - $remote_user [$time_local] "$request" $status
		 * $body_bytes_sent "$http_referer" "$http_user_agent"; a request
		 * refused before its line was read logs "-" as nginx does. */
		if (r->method == HTTP_M_NONE && target[0] == '\0')
			snprintf(target, sizeof(target), "-");
		return snprintf(
			o, HTTP_LOG_LINE_MAX,
			"%s - - [%02d/%s/%04d:%02d:%02d:%02d +0000] \"%s%s%s%s%s\" %u %u "
			"\"-\" \"-\"\n",
			rip, tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour,
			tm.tm_min, tm.tm_sec, r->method == HTTP_M_NONE ? "" : method,
			r->method == HTTP_M_NONE ? "" : " ", target,
			r->minor == 0xff ? "" : " HTTP/1.",
			r->minor == 0xff ? "" : (r->minor ? "1" : "0"), r->status, r->body_out);
	case HTTP_LOG_JSON:
		http_log_escape(target, sizeof(target), r->path, true);
		http_log_escape(method, sizeof(method), m, true);
		return snprintf(
			o, HTTP_LOG_LINE_MAX,
			"{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03uZ\",\"client\":\"%s:%u\","
			"\"server\":\"%s:%u\",\"method\":\"%s\",\"target\":\"%s\","
			"\"status\":%u,\"bytes\":%u,\"body_bytes_sent\":%u,"
			"\"request_body_bytes\":%u,\"worker\":%u}\n",
			tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			tm.tm_sec, ms, rip, r->rport, lip, r->lport, method, target, r->status,
			r->bytes, r->body_out, r->body_in, r->worker);
	}
	return 0;
}

/* Write the whole lines in the buffer; on a write error they are dropped. */
static void
http_log_write(struct http_log *l)
{
	uint32_t off = 0;

	while (off < l->used) {
		ssize_t n = write(l->fd, l->buf + off, l->used - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (uint32_t)n;
	}
	l->used = 0;
}

uint64_t
http_log_flush(struct http_log *l)
{
	struct http_log_rec recs[32];

	if (l == NULL)
		return 0;
	for (unsigned int i = 0; i < l->nb_rings; i++) {
		unsigned int n;

		while ((n = rte_ring_sc_dequeue_burst_elem(l->rings[i], recs, sizeof(recs[0]),
							   RTE_DIM(recs), NULL)) > 0) {
			for (unsigned int k = 0; k < n; k++) {
				int len;

				if (HTTP_LOG_BUF - l->used < HTTP_LOG_LINE_MAX)
					http_log_write(l);
				len = http_log_line(l, &recs[k], l->buf + l->used);
				if (len <= 0)
					continue;
				if (len >= HTTP_LOG_LINE_MAX) { /* cut: still one line */
					len = HTTP_LOG_LINE_MAX;
					l->buf[l->used + len - 1] = '\n';
				}
				l->used += (uint32_t)len;
				l->lines++;
			}
		}
	}
	if (l->used > 0)
		http_log_write(l);
	return l->lines;
}

void
http_log_close(struct http_log *l)
{
	if (l == NULL)
		return;
	http_log_flush(l);
	for (unsigned int i = 0; i < l->nb_rings; i++)
		free(l->rings[i]);
	close(l->fd);
	free(l);
}
