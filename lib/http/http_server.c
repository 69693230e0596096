/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Prebuilt HTTP responses of the server.
 *
 * http_server_create() builds every response the server can send, once:
 * 200 OK for HTTP/1.1 keep-alive (no Connection header), HTTP/1.0
 * keep-alive (Connection: keep-alive) and close (Connection: close), each
 * with the identity body and, when gzip is on, with the body gzipped once by
 * zlib; and the errors 400, 405, 413, 414, 431, 501 and 505, which all close. Each response
 * is one contiguous buffer, headers then body, so a HEAD answer is the
 * header prefix of the GET answer; its Date value is left blank there.
 *
 * The dated bytes a worker sends come from a generation: a copy of every
 * response's headers, followed by the body where it is short
 * (HTTP_GEN_BODY_INLINE), with one Date value (http_server_gen_fill). TCP
 * references queued bytes and reads them again to retransmit, so a
 * generation must not change while a response from it is queued: the
 * worker keeps several and fills a free one when the second changes
 * (http_app.c) instead of rewriting the one in use. A long body is sent
 * from the shared buffer here as a second chunk; it never changes.
 * Per request, http_server_response() only picks offsets.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "lib/http/http.h"

#define HTTP_DATE_LEN 29
/* Largest header block we build (the extra headers come on top). */
#define HTTP_HDR_MAX 1024
/* Bodies up to this long are copied into every generation, after their
 * headers, so that the response stays one chunk; longer ones are sent from
 * the template as a second one. */
#define HTTP_GEN_BODY_INLINE 512

enum { HTTP_V_KEEP11, HTTP_V_KEEP10, HTTP_V_CLOSE, HTTP_V_N };

static const struct {
	uint16_t code;
	const char *reason;
} http_errors[] = {
	{400, "Bad Request"},
	{405, "Method Not Allowed"},
	{431, "Request Header Fields Too Large"},
	{505, "HTTP Version Not Supported"},
	{413, "Content Too Large"},
	{414, "URI Too Long"},
	{501, "Not Implemented"},
};
#define HTTP_N_ERRORS (sizeof(http_errors) / sizeof(http_errors[0]))

struct http_tmpl {
	uint8_t *buf;	   /* headers + body */
	uint32_t len;	   /* headers + body */
	uint32_t hdr_len;  /* headers, up to and including the empty line */
	uint32_t date_off; /* offset of the Date value, 0 = none */
	uint32_t gen_off;  /* offset of this response in a generation */
	uint32_t gen_len;  /* bytes of it there: len (short body) or hdr_len */
};

/* The responses of one body: [gzip][connection variant]. */
struct http_var {
	struct http_tmpl t[2][HTTP_V_N];
	uint16_t status;
};

/* A route: exact path (hash of the bytes before any '?') -> a size mix. */
struct http_route {
	uint32_t hash;
	uint16_t first;			    /* its first variant */
	uint8_t nb;			    /* variants (sizes) */
	uint32_t cum[HTTP_ROUTE_MAX_SIZES]; /* cumulative weights */
};

struct http_server {
	struct http_var *var; /* [0]: the default body, then each route's sizes */
	unsigned int nb_var;
	struct http_route routes[HTTP_MAX_ROUTES];
	unsigned int nb_routes;
	struct http_tmpl err[HTTP_N_ERRORS];
	bool gzip;
	uint32_t max_body;   /* request bodies over this: 413 */
	uint32_t gen_size;   /* bytes of one generation */
	volatile time_t now; /* second published by http_server_tick() */
};

/* Every template, HTTP_TMPL(s, i) for i < HTTP_N_TMPL(s): the bodies' responses, then the
 * errors. */
#define HTTP_VT	       (2 * HTTP_V_N)
#define HTTP_N_TMPL(s) ((s)->nb_var * HTTP_VT + HTTP_N_ERRORS)
#define HTTP_TMPL(s, i) \
	((i) < (s)->nb_var * HTTP_VT \
		 ? &(s)->var[(i) / HTTP_VT].t[(i) % HTTP_VT / HTTP_V_N][(i) % HTTP_V_N] \
		 : &(s)->err[(i) - (s)->nb_var * HTTP_VT])

static void
http_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void
http_date_format(time_t t, char out[29])
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	char tmp[128];
	struct tm tm;
	int year;

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	year = tm.tm_year + 1900;
	if (year < 0 || year > 9999)
		year = year < 0 ? 0 : 9999;
	/* IMF-fixdate, RFC 9110 5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT". */
	snprintf(tmp, sizeof(tmp), "%s, %02d %s %04d %02d:%02d:%02d GMT",
		 days[(unsigned)tm.tm_wday % 7], tm.tm_mday % 100, months[(unsigned)tm.tm_mon % 12],
		 year, tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100);
	memcpy(out, tmp, HTTP_DATE_LEN);
}

/*
 * Check "Name: value" lines separated by LF or CRLF and return them as a
 * malloc'd string with every line ended by CRLF ("" for NULL). NULL on error.
 */
static char *
http_extra_normalize(const char *extra, char *err, size_t errlen)
{
	size_t n = extra == NULL ? 0 : strlen(extra), o = 0;
	char *out = malloc(2 * n + 1);

	if (out == NULL) {
		http_err(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n;) {
		size_t e = i, end;

		while (e < n && extra[e] != '\n')
			e++;
		end = e;
		if (end > i && extra[end - 1] == '\r')
			end--;
		size_t k = i;

		while (k < end && extra[k] != ':' && extra[k] > ' ' && extra[k] < 0x7f)
			k++;
		if (k == i || k == end || extra[k] != ':') {
			http_err(err, errlen, "extra header '%.*s' is not 'Name: value'",
				 (int)(end - i), extra + i);
			free(out);
			return NULL;
		}
		for (; k < end; k++) {
			unsigned char c = (unsigned char)extra[k];

			if ((c < ' ' && c != '\t') || c == 0x7f) {
				http_err(err, errlen, "extra header '%.*s' has a control character",
					 (int)(end - i), extra + i);
				free(out);
				return NULL;
			}
		}
		memcpy(out + o, extra + i, end - i);
		o += end - i;
		out[o++] = '\r';
		out[o++] = '\n';
		i = e < n ? e + 1 : e;
	}
	out[o] = '\0';
	return out;
}

/* Read a whole file; *len its size. NULL with errno on failure. */
static uint8_t *
http_read_file(const char *path, uint32_t *len, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		goto fail;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)(UINT32_MAX - 2 * HTTP_HDR_MAX)) {
		errno = EINVAL;
		http_err(err, errlen, "body_file %s: not a regular file under 4 GiB", path);
		goto fail_msg;
	}
	buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (buf == NULL)
		goto fail;
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO; /* the file shrank */
			goto fail;
		}
		got += (size_t)r;
	}
	close(fd);
	*len = (uint32_t)got;
	return buf;
fail:
	http_err(err, errlen, "body_file %s: %s", path, strerror(errno));
fail_msg:;
	int e = errno;

	free(buf);
	if (fd >= 0)
		close(fd);
	errno = e;
	return NULL;
}

/* gzip (RFC 1952) of in, through zlib with windowBits 31. */
static uint8_t *
http_gzip(const uint8_t *in, uint32_t len, uint32_t *out_len)
{
	z_stream zs;
	uint8_t *out;
	uLong bound;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	bound = deflateBound(&zs, len) + 32;
	out = bound <= UINT32_MAX ? malloc(bound) : NULL;
	if (out == NULL) {
		deflateEnd(&zs);
		return NULL;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = len;
	zs.next_out = out;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&zs);
		free(out);
		return NULL;
	}
	*out_len = (uint32_t)zs.total_out;
	deflateEnd(&zs);
	return out;
}

/*
 * One response: the header text (with a Date placeholder of 29 bytes right
 * after "Date: ") followed by body. Returns 0 or -1 (errno set).
 */
static int
http_tmpl_build(struct http_tmpl *t, const char *hdr, const uint8_t *body, uint32_t body_len)
{
	const char *d = strstr(hdr, "\r\nDate: ");
	size_t hl = strlen(hdr);

	if ((uint64_t)hl + body_len > UINT32_MAX) {
		errno = EFBIG;
		return -1;
	}
	t->buf = malloc(hl + body_len > 0 ? hl + body_len : 1);
	if (t->buf == NULL)
		return -1;
	memcpy(t->buf, hdr, hl);
	if (body_len > 0)
		memcpy(t->buf + hl, body, body_len);
	t->hdr_len = (uint32_t)hl;
	t->len = (uint32_t)(hl + body_len);
	t->date_off = d == NULL ? 0 : (uint32_t)(d - hdr + 8);
	return 0;
}

/* Place every template in a generation, 8-byte aligned, in array order. */
static void
http_gen_layout(struct http_server *s)
{
	uint32_t off = 0;

	for (unsigned int i = 0; i < HTTP_N_TMPL(s); i++) {
		struct http_tmpl *t = HTTP_TMPL(s, i);

		if (t->buf == NULL)
			continue;
		t->gen_off = off;
		t->gen_len = t->len - t->hdr_len <= HTTP_GEN_BODY_INLINE ? t->len : t->hdr_len;
		off += (t->gen_len + 7u) & ~7u;
	}
	s->gen_size = off;
}

static const char *
http_reason(uint16_t code)
{
	static const struct {
		uint16_t code;
		const char *reason;
	} r[] = {
		{200, "OK"},
		{201, "Created"},
		{202, "Accepted"},
		{203, "Non-Authoritative Information"},
		{206, "Partial Content"},
		{301, "Moved Permanently"},
		{302, "Found"},
		{303, "See Other"},
		{307, "Temporary Redirect"},
		{308, "Permanent Redirect"},
		{400, "Bad Request"},
		{401, "Unauthorized"},
		{403, "Forbidden"},
		{404, "Not Found"},
		{410, "Gone"},
		{429, "Too Many Requests"},
		{500, "Internal Server Error"},
		{502, "Bad Gateway"},
		{503, "Service Unavailable"},
		{504, "Gateway Timeout"},
	};

	for (unsigned int i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (r[i].code == code)
			return r[i].reason;
	return code < 300   ? "OK"
	       : code < 400 ? "Redirect"
	       : code < 500 ? "Client Error"
			    : "Server Error";
}

uint32_t
http_path_hash(const char *p, size_t n)
{
	uint32_t h = HTTP_PATH_HASH_INIT;

	for (size_t i = 0; i < n && p[i] != '?'; i++)
		h = HTTP_PATH_HASH_STEP(h, (uint8_t)p[i]);
	return h;
}

/*
 * The responses of one body (and its gzip when gz is not NULL) with v->status:
 * every connection variant. 0 or -1.
 */
static int
http_var_build(struct http_var *v, const char *srv, const char *ctype, const char *extra,
	       const uint8_t *body, uint32_t body_len, const uint8_t *gz, uint32_t gz_len,
	       bool gzip, char *hdr, size_t hmax)
{
	static const char *const conn[HTTP_V_N] = {
		[HTTP_V_KEEP11] = "",
		[HTTP_V_KEEP10] = "Connection: keep-alive\r\n",
		[HTTP_V_CLOSE] = "Connection: close\r\n",
	};

	for (unsigned g = 0; g < (gzip ? 2u : 1u); g++) {
		for (unsigned k = 0; k < HTTP_V_N; k++) {
			/* With gzip on, the identity answer varies too. */
			snprintf(hdr, hmax,
				 "HTTP/1.1 %u %s\r\n%sDate: %*s\r\nContent-Type: %s\r\n"
				 "Content-Length: %u\r\n%s%s%s\r\n",
				 v->status, http_reason(v->status), srv, HTTP_DATE_LEN, "", ctype,
				 g ? gz_len : body_len,
				 g	? "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n"
				 : gzip ? "Vary: Accept-Encoding\r\n"
					: "",
				 conn[k], extra);
			if (http_tmpl_build(&v->t[g][k], hdr, g ? gz : body,
					    g ? gz_len : body_len) < 0)
				return -1;
		}
	}
	return 0;
}

void
http_server_free(struct http_server *s)
{
	if (s == NULL)
		return;
	for (unsigned i = 0; s->var != NULL && i < s->nb_var; i++)
		for (unsigned g = 0; g < 2; g++)
			for (unsigned v = 0; v < HTTP_V_N; v++)
				free(s->var[i].t[g][v].buf);
	free(s->var);
	for (unsigned e = 0; e < HTTP_N_ERRORS; e++)
		free(s->err[e].buf);
	free(s);
}

struct http_server *
http_server_create(const struct http_server_conf *c, char *err, size_t errlen)
{
	static const char pattern[] = "abcdefghijklmnopqrstuvwxyz0123456789\n";
	const char *server = c->server_name == NULL ? "synack" : c->server_name;
	const char *ctype = c->content_type == NULL ? "text/plain" : c->content_type;
	struct http_server *s = NULL;
	char *extra = NULL, *hdr = NULL, srv[128] = "";
	uint8_t *body = NULL, *gz = NULL;
	uint32_t body_len = 0, gz_len = 0;
	size_t hmax;
	int e;

	if (strlen(server) > 64 || strpbrk(server, "\r\n") != NULL || strlen(ctype) > 128 ||
	    strpbrk(ctype, "\r\n") != NULL) {
		errno = EINVAL;
		http_err(err, errlen, "server name or content type too long or has CR/LF");
		return NULL;
	}
	if (server[0] != '\0')
		snprintf(srv, sizeof(srv), "Server: %s\r\n", server);
	extra = http_extra_normalize(c->extra_headers, err, errlen);
	if (extra == NULL) {
		errno = EINVAL;
		return NULL;
	}
	hmax = HTTP_HDR_MAX + strlen(extra);
	hdr = malloc(hmax);
	s = calloc(1, sizeof(*s));
	if (hdr == NULL || s == NULL) {
		http_err(err, errlen, "out of memory");
		goto fail_errno;
	}

	if (c->body_file != NULL) {
		body = http_read_file(c->body_file, &body_len, err, errlen);
		if (body == NULL)
			goto fail;
	} else {
		if (c->body_size > UINT32_MAX - 2 * HTTP_HDR_MAX - strlen(extra)) {
			errno = EFBIG;
			http_err(err, errlen, "body_size %u too large", c->body_size);
			goto fail;
		}
		body_len = c->body_size;
		body = malloc(body_len > 0 ? body_len : 1);
		if (body == NULL) {
			http_err(err, errlen, "out of memory for a %u-byte body", body_len);
			goto fail_errno;
		}
		for (uint32_t i = 0; i < body_len; i++)
			body[i] = (uint8_t)pattern[i % (sizeof(pattern) - 1)];
	}
	s->gzip = c->gzip;
	s->max_body = c->max_body == 0 ? HTTP_MAX_BODY_LIMIT : c->max_body;
	if (c->gzip) {
		gz = http_gzip(body, body_len, &gz_len);
		if (gz == NULL) {
			errno = ENOMEM;
			http_err(err, errlen, "gzip of the %u-byte body failed", body_len);
			goto fail;
		}
	}

	unsigned int nv = 1;

	if (c->nb_routes > HTTP_MAX_ROUTES) {
		errno = EINVAL;
		http_err(err, errlen, "more than %d routes", HTTP_MAX_ROUTES);
		goto fail;
	}
	for (unsigned int r = 0; r < c->nb_routes; r++) {
		if (c->routes[r].nb_sizes == 0 || c->routes[r].nb_sizes > HTTP_ROUTE_MAX_SIZES ||
		    c->routes[r].path == NULL) {
			errno = EINVAL;
			http_err(err, errlen, "route %u: no path or 1..%d sizes", r,
				 HTTP_ROUTE_MAX_SIZES);
			goto fail;
		}
		nv += c->routes[r].nb_sizes;
	}
	s->var = calloc(nv, sizeof(*s->var));
	if (s->var == NULL)
		goto fail_errno;
	s->nb_var = nv;
	s->var[0].status = 200;
	if (http_var_build(&s->var[0], srv, ctype, extra, body, body_len, gz, gz_len, c->gzip, hdr,
			   hmax) < 0)
		goto fail_mem;
	for (unsigned int r = 0, v = 1; r < c->nb_routes; r++) {
		const struct http_route_conf *rc = &c->routes[r];
		struct http_route *rt = &s->routes[r];
		uint32_t cum = 0;

		rt->hash = http_path_hash(rc->path, strlen(rc->path));
		rt->first = (uint16_t)v;
		rt->nb = (uint8_t)rc->nb_sizes;
		for (unsigned int k = 0; k < rc->nb_sizes; k++, v++) {
			uint32_t n = rc->size[k], zl = 0;
			uint8_t *b = malloc(n > 0 ? n : 1), *z = NULL;
			int brc;

			if (b == NULL)
				goto fail_mem;
			for (uint32_t i = 0; i < n; i++)
				b[i] = (uint8_t)pattern[i % (sizeof(pattern) - 1)];
			if (c->gzip && (z = http_gzip(b, n, &zl)) == NULL) {
				free(b);
				goto fail_mem;
			}
			s->var[v].status = rc->status;
			brc = http_var_build(&s->var[v], srv,
					     rc->content_type != NULL ? rc->content_type : ctype,
					     extra, b, n, z, zl, c->gzip, hdr, hmax);
			free(b);
			free(z);
			if (brc < 0)
				goto fail_mem;
			cum += rc->weight[k] > 0 ? rc->weight[k] : 1;
			rt->cum[k] = cum;
		}
	}
	s->nb_routes = c->nb_routes;
	for (unsigned i = 0; i < HTTP_N_ERRORS; i++) {
		char msg[64];
		int ml = snprintf(msg, sizeof(msg), "%u %s\n", http_errors[i].code,
				  http_errors[i].reason);

		snprintf(hdr, hmax,
			 "HTTP/1.1 %u %s\r\n%sDate: %*s\r\nContent-Type: text/plain\r\n"
			 "Content-Length: %d\r\n%sConnection: close\r\n\r\n",
			 http_errors[i].code, http_errors[i].reason, srv, HTTP_DATE_LEN, "", ml,
			 http_errors[i].code == 405
				 ? "Allow: GET, HEAD, POST, PUT, DELETE, OPTIONS\r\n"
				 : "");
		if (http_tmpl_build(&s->err[i], hdr, (const uint8_t *)msg, (uint32_t)ml) < 0) {
			http_err(err, errlen, "out of memory for the responses");
			goto fail_errno;
		}
	}
	free(body);
	free(gz);
	free(hdr);
	free(extra);
	http_gen_layout(s);
	s->now = time(NULL);
	return s;

fail_mem:
	http_err(err, errlen, "out of memory for the responses");
fail_errno:
	if (errno == 0)
		errno = ENOMEM;
fail:
	e = errno;
	free(body);
	free(gz);
	free(hdr);
	free(extra);
	http_server_free(s);
	errno = e;
	return NULL;
}

void
http_server_tick(struct http_server *s, time_t now)
{
	if (s->now != now)
		s->now = now;
}

const volatile time_t *
http_server_clock(const struct http_server *s)
{
	return &s->now;
}

uint32_t
http_server_gen_size(const struct http_server *s)
{
	return s->gen_size;
}

void
http_server_gen_fill(const struct http_server *s, uint8_t *gen, time_t date)
{
	char d[HTTP_DATE_LEN];

	http_date_format(date, d);
	for (unsigned int i = 0; i < HTTP_N_TMPL(s); i++) {
		const struct http_tmpl *t = HTTP_TMPL(s, i);

		if (t->buf == NULL)
			continue;
		memcpy(gen + t->gen_off, t->buf, t->gen_len);
		if (t->date_off != 0)
			memcpy(gen + t->gen_off + t->date_off, d, HTTP_DATE_LEN);
	}
}

/* The template answering req; *rc: enum http_server_rc. */
static const struct http_tmpl *
http_pick(const struct http_server *s, const struct http_req *req, uint32_t rnd, int *rc)
{
	if (req->status != 0) {
		const struct http_tmpl *t = &s->err[0]; /* anything unknown is a 400 */

		for (unsigned e = 0; e < HTTP_N_ERRORS; e++)
			if (http_errors[e].code == req->status)
				t = &s->err[e];
		*rc = HTTP_SERVER_CLOSE;
		return t;
	}
	bool keep = http_req_keepalive(req);
	unsigned g = s->gzip && (req->flags & HTTP_F_GZIP) ? 1 : 0;
	unsigned v = !keep ? HTTP_V_CLOSE : req->minor == 0 ? HTTP_V_KEEP10 : HTTP_V_KEEP11;

	*rc = keep ? HTTP_SERVER_KEEP : HTTP_SERVER_CLOSE;
	return &s->var[http_server_variant(s, req, rnd)].t[g][v];
}

unsigned int
http_server_variant(const struct http_server *s, const struct http_req *req, uint32_t rnd)
{
	for (unsigned int i = 0; i < s->nb_routes; i++) {
		const struct http_route *rt = &s->routes[i];

		if (rt->hash != req->path_hash)
			continue;
		uint32_t x = rnd % rt->cum[rt->nb - 1];
		unsigned int k = 0;

		while (k + 1 < rt->nb && x >= rt->cum[k])
			k++;
		return rt->first + k;
	}
	return 0;
}

uint16_t
http_server_status(const struct http_server *s, const struct http_req *req, uint32_t rnd)
{
	return req->status != 0 ? req->status : s->var[http_server_variant(s, req, rnd)].status;
}

int
http_server_response(const struct http_server *s, const struct http_req *req, const uint8_t *gen,
		     struct http_iov out[2])
{
	return http_server_response_r(s, req, 0, gen, out);
}

int
http_server_response_r(const struct http_server *s, const struct http_req *req, uint32_t rnd,
		       const uint8_t *gen, struct http_iov out[2])
{
	int rc;
	const struct http_tmpl *t = http_pick(s, req, rnd, &rc);

	out[0].base = gen + t->gen_off;
	out[1].base = t->buf + t->hdr_len;
	if (req->method == HTTP_M_HEAD) {
		out[0].len = t->hdr_len;
		out[1].len = 0;
	} else {
		out[0].len = t->gen_len;
		out[1].len = t->len - t->gen_len;
	}
	return rc;
}

uint32_t
http_server_body_len(const struct http_server *s, const struct http_req *req, uint32_t rnd)
{
	int rc;
	const struct http_tmpl *t = http_pick(s, req, rnd, &rc);

	return req->method == HTTP_M_HEAD ? 0 : t->len - t->hdr_len;
}

unsigned int
http_server_bodies(const struct http_server *s, struct http_iov *out, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned i = 0; i < s->nb_var; i++)
		for (unsigned g = 0; g < (s->gzip ? 2u : 1u); g++)
			for (unsigned v = 0; v < HTTP_V_N; v++) {
				const struct http_tmpl *t = &s->var[i].t[g][v];

				if (n == max || t->buf == NULL || t->len == t->hdr_len)
					continue;
				out[n].base = t->buf + t->hdr_len;
				out[n].len = t->len - t->hdr_len;
				n++;
			}
	return n;
}

struct http_iov
http_server_body(const struct http_server *s, bool gzip)
{
	const struct http_tmpl *t = &s->var[0].t[gzip && s->gzip ? 1 : 0][HTTP_V_KEEP11];
	struct http_iov iov = {t->buf + t->hdr_len, t->len - t->hdr_len};

	return iov;
}

uint32_t
http_server_max_body(const struct http_server *s)
{
	return s->max_body;
}

struct http_iov
http_server_continue(void)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
	struct http_iov iov = {(const uint8_t *)cont, sizeof(cont) - 1};

	return iov;
}
