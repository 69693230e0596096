/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The client's request template: built once at start into a caller buffer
 * and sent as is on every connection. Fields are checked so that a config
 * value cannot split the request (no CR/LF, no spaces where the grammar has
 * none).
 */
#include <stdio.h>
#include <string.h>

#include "lib/http/http.h"

/* RFC 9110 5.6.2 tchar. */
static bool
http_is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Appends n bytes at *o if they fit; false once buf is full. */
static bool
http_put(uint8_t *buf, uint32_t buflen, uint32_t *o, const void *p, size_t n)
{
	if (n > buflen - *o)
		return false;
	memcpy(buf + *o, p, n);
	*o += (uint32_t)n;
	return true;
}

static bool
http_puts(uint8_t *buf, uint32_t buflen, uint32_t *o, const char *s)
{
	return http_put(buf, buflen, o, s, strlen(s));
}

int
http_client_request_build(const struct http_client_conf *c, uint8_t *buf, uint32_t buflen)
{
	const char *method = c->method == NULL ? "GET" : c->method;
	const char *path = c->path == NULL ? "/" : c->path;
	const char *extra = c->extra_headers == NULL ? "" : c->extra_headers;
	uint32_t o = 0;
	size_t el = strlen(extra);
	char num[32];
	bool ok;

	if (c->host == NULL || method[0] == '\0' || path[0] == '\0' ||
	    strpbrk(c->host, "\r\n") != NULL || (c->body == NULL && c->body_len > 0) ||
	    buflen > INT32_MAX)
		return -1;
	for (const char *p = method; *p != '\0'; p++)
		if (!http_is_tchar((unsigned char)*p))
			return -1;
	for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			return -1;
	/* Extra headers must be complete lines ending in CRLF. */
	if (el > 0 && (el < 2 || extra[el - 2] != '\r' || extra[el - 1] != '\n'))
		return -1;

	ok = http_puts(buf, buflen, &o, method) && http_puts(buf, buflen, &o, " ") &&
	     http_puts(buf, buflen, &o, path) &&
	     http_puts(buf, buflen, &o, " HTTP/1.1\r\nHost: ") &&
	     http_puts(buf, buflen, &o, c->host) && http_puts(buf, buflen, &o, "\r\n");
	if (ok && !c->keepalive)
		ok = http_puts(buf, buflen, &o, "Connection: close\r\n");
	if (ok && c->body != NULL) {
		snprintf(num, sizeof(num), "Content-Length: %u\r\n", c->body_len);
		ok = http_puts(buf, buflen, &o, num);
	}
	ok = ok && http_put(buf, buflen, &o, extra, el) && http_puts(buf, buflen, &o, "\r\n");
	if (ok && c->body != NULL)
		ok = http_put(buf, buflen, &o, c->body, c->body_len);
	return ok ? (int)o : -1;
}
