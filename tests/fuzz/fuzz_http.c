/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for lib/http's two parsers. The input is a byte stream
 * on one connection, parsed the way a worker parses it: requests (or
 * responses) one after another, http_req_init()/http_resp_init() after each
 * HTTP_OK, stop at HTTP_ERROR; for responses http_resp_eof() at the end.
 * The stream is fed whole, then split in two at every byte position (inputs
 * up to FUZZ_SPLIT_MAX bytes; longer ones at a stride), and each feeding must
 * produce the same trace of results and leave the same parser state: a
 * message split anywhere parses as if it came in one piece. Per call:
 *   - rc is OK, AGAIN or ERROR; *used <= len; AGAIN uses every byte;
 *   - an OK consumes at least one byte;
 *   - a request error carries 400, 405, 413, 414, 431, 501 or 505;
 *   - request body_bytes never exceed the bytes fed nor max_body;
 *   - the captured path is NUL-terminated within its buffer;
 *   - response body_bytes never exceed the bytes fed.
 * The first input byte chooses whether the responses answer HEAD and the
 * request body limit (64 bytes or 8 KiB). Request bodies go through the
 * Content-Length and chunked decoders (tests/fuzz/corpus has both).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/http/http.h"

#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, \
				#cond); \
			abort(); \
		} \
	} while (0)

#define FUZZ_SPLIT_MAX 1024

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FNV-1a over the results seen. */
static void
fuzz_mix(uint64_t *h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		*h ^= (v >> (8 * i)) & 0xff;
		*h *= 1099511628211ull;
	}
}

struct fuzz_req_conn {
	struct http_req r;
	char path[17];
	uint64_t off; /* stream offset reached (of the error, once dead) */
	uint64_t trace;
	uint32_t nreq;
	uint32_t max_body;
	bool dead;
};

static void
fuzz_req_feed(struct fuzz_req_conn *c, const uint8_t *p, uint32_t len)
{
	while (len > 0 && !c->dead) {
		uint32_t used = UINT32_MAX, body0 = c->r.body_bytes;
		int rc = http_req_parse(&c->r, p, len, &used, c->path, sizeof(c->path));

		FUZZ_ASSERT(c->r.body_bytes >= body0 && c->r.body_bytes - body0 <= used);
		FUZZ_ASSERT(c->r.body_bytes <= c->max_body);
		(void)http_req_wants_continue(&c->r);

		FUZZ_ASSERT(rc == HTTP_OK || rc == HTTP_AGAIN || rc == HTTP_ERROR);
		FUZZ_ASSERT(used <= len);
		FUZZ_ASSERT(memchr(c->path, '\0', sizeof(c->path)) != NULL);
		if (rc == HTTP_AGAIN) {
			FUZZ_ASSERT(used == len);
			c->off += used;
			return;
		}
		fuzz_mix(&c->trace, (uint64_t)(rc + 1) << 32 | c->r.status);
		fuzz_mix(&c->trace, c->off + used);
		fuzz_mix(&c->trace, (uint64_t)c->r.method << 16 | c->r.minor << 8 | c->r.flags);
		fuzz_mix(&c->trace, c->r.body_bytes);
		for (const char *s = c->path; *s != '\0'; s++)
			fuzz_mix(&c->trace, (uint8_t)*s);
		if (rc == HTTP_ERROR) {
			FUZZ_ASSERT(c->r.status == 400 || c->r.status == 405 ||
				    c->r.status == 413 || c->r.status == 414 ||
				    c->r.status == 431 || c->r.status == 501 || c->r.status == 505);
			c->off += used;
			c->dead = true;
			return;
		}
		FUZZ_ASSERT(c->r.status == 0);
		FUZZ_ASSERT(c->r.method != HTTP_M_NONE && c->r.method != HTTP_M_OTHER &&
			    c->r.method < HTTP_M_N);
		FUZZ_ASSERT(c->r.minor <= 1);
		FUZZ_ASSERT(used > 0);
		(void)http_req_keepalive(&c->r);
		c->off += used;
		p += used;
		len -= used;
		c->nreq++;
		http_req_init_limit(&c->r, c->max_body);
		c->path[0] = '\0';
	}
}

struct fuzz_resp_conn {
	struct http_resp r;
	bool head;
	uint64_t off;
	uint64_t trace;
	bool dead;
};

static void
fuzz_resp_feed(struct fuzz_resp_conn *c, const uint8_t *p, uint32_t len)
{
	while (len > 0 && !c->dead) {
		uint64_t before = c->r.body_bytes;
		uint32_t used = UINT32_MAX;
		int rc = http_resp_parse(&c->r, p, len, &used);

		FUZZ_ASSERT(rc == HTTP_OK || rc == HTTP_AGAIN || rc == HTTP_ERROR);
		FUZZ_ASSERT(used <= len);
		FUZZ_ASSERT(c->r.body_bytes >= before && c->r.body_bytes - before <= used);
		if (rc == HTTP_AGAIN) {
			FUZZ_ASSERT(used == len);
			c->off += used;
			return;
		}
		fuzz_mix(&c->trace, (uint64_t)(rc + 1) << 32 | c->r.status);
		fuzz_mix(&c->trace, c->off + used);
		fuzz_mix(&c->trace, (uint64_t)c->r.minor << 8 | c->r.flags);
		fuzz_mix(&c->trace, c->r.body_bytes);
		if (rc == HTTP_ERROR) {
			c->off += used;
			c->dead = true;
			return;
		}
		FUZZ_ASSERT(used > 0);
		FUZZ_ASSERT(c->r.status >= 200 && c->r.status <= 999);
		(void)http_resp_keepalive(&c->r);
		c->off += used;
		p += used;
		len -= used;
		http_resp_init(&c->r, c->head);
	}
}

static void
fuzz_resp_end(struct fuzz_resp_conn *c)
{
	if (!c->dead)
		fuzz_mix(&c->trace, (uint64_t)(http_resp_eof(&c->r) + 1));
}

/* Feed data as [0, k) then [k, size). */
static void
fuzz_run(const uint8_t *data, uint32_t size, uint32_t k, bool head, struct fuzz_req_conn *rq,
	 struct fuzz_resp_conn *rs)
{
	memset(rq, 0, sizeof(*rq));
	/* bodies up to 8 KiB or 64 bytes: both sides of max_body reached */
	rq->max_body = head ? 64 : 8192;
	http_req_init_limit(&rq->r, rq->max_body);
	fuzz_req_feed(rq, data, k);
	fuzz_req_feed(rq, data + k, size - k);

	memset(rs, 0, sizeof(*rs));
	rs->head = head;
	http_resp_init(&rs->r, head);
	fuzz_resp_feed(rs, data, k);
	fuzz_resp_feed(rs, data + k, size - k);
	fuzz_resp_end(rs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_req_conn whole_rq, rq;
	struct fuzz_resp_conn whole_rs, rs;
	bool head = size > 0 && (data[0] & 1);
	uint32_t n = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
	uint32_t stride = n <= FUZZ_SPLIT_MAX ? 1 : n / 64;

	/* Each byte in its own heap copy, so ASan sees any read past it. */
	uint8_t *copy = malloc(n > 0 ? n : 1);

	FUZZ_ASSERT(copy != NULL);
	if (n > 0)
		memcpy(copy, data, n);
	fuzz_run(copy, n, n, head, &whole_rq, &whole_rs);
	for (uint32_t k = 0; k < n; k += stride) {
		fuzz_run(copy, n, k, head, &rq, &rs);
		FUZZ_ASSERT(rq.trace == whole_rq.trace && rq.off == whole_rq.off);
		FUZZ_ASSERT(rq.nreq == whole_rq.nreq && rq.dead == whole_rq.dead);
		FUZZ_ASSERT(memcmp(&rq.r, &whole_rq.r, sizeof(rq.r)) == 0);
		FUZZ_ASSERT(strcmp(rq.path, whole_rq.path) == 0);
		FUZZ_ASSERT(rs.trace == whole_rs.trace && rs.off == whole_rs.off);
		FUZZ_ASSERT(rs.dead == whole_rs.dead);
		FUZZ_ASSERT(memcmp(&rs.r, &whole_rs.r, sizeof(rs.r)) == 0);
	}
	free(copy);
	return 0;
}
