/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP/1.1 request parser (server side) and response parser (client side).
 *
 * Both are resumable state machines in the manner of nginx's
 * ngx_http_parse.c, written afresh: every byte is looked at once, the whole
 * state is the caller's struct http_req / struct http_resp (no pointer into
 * an earlier buffer survives a call), and a message may be split at any byte.
 * Runs that need no decision (the request target, values of headers we do not
 * interpret, bodies) are walked in tight inner loops.
 *
 * The header block is shared: both parsers load their fields into a local
 * struct http_ps, run http_hdrs() over it and store it back. Only the
 * headers that change framing or the answer are interpreted: Connection,
 * Content-Length, Transfer-Encoding, and for requests Accept-Encoding and
 * Host. Line ends are CRLF or a bare LF (RFC 9112 2.2 allows it, nginx does
 * it); whitespace before a colon and obs-fold are refused (RFC 9112 5.1, 5.2).
 */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "lib/http/http.h"

enum http_state {
	/* request line */
	ST_RQ_START = 0, /* before the method; empty lines are skipped */
	ST_RQ_START_LF,	 /* CR of an empty line seen */
	ST_RQ_METHOD,
	ST_RQ_TARGET0, /* SP after the method seen */
	ST_RQ_TARGET,
	ST_RQ_VERSION, /* "HTTP/", pos = bytes matched */
	ST_RQ_MAJOR,
	ST_RQ_DOT,   /* pos = major */
	ST_RQ_MINOR, /* pos = major */
	ST_RQ_EOL,
	ST_RQ_LF,
	/* status line */
	ST_RS_START,
	ST_RS_START_LF,
	ST_RS_VERSION,
	ST_RS_MAJOR,
	ST_RS_DOT,
	ST_RS_MINOR,
	ST_RS_SP,
	ST_RS_STATUS, /* pos = digits seen */
	ST_RS_AFTER_STATUS,
	ST_RS_REASON,
	ST_RS_LF,
	/* header block, both */
	ST_HDR_START,
	ST_HDR_NAME, /* hdr = candidate mask, pos = bytes of the name */
	ST_HDR_OWS,  /* hdr = header id */
	ST_HDR_VALUE,
	ST_HDR_LF,
	ST_HDR_END_LF,
	/* bodies */
	ST_BODY,
	ST_CHUNK_SIZE, /* pos = hex digits seen */
	ST_CHUNK_EXT,
	ST_CHUNK_SIZE_LF,
	ST_CHUNK_DATA,
	ST_CHUNK_DATA_CR,
	ST_CHUNK_DATA_LF,
	ST_TRAILER_START,
	ST_TRAILER_LINE,
	ST_TRAILER_LF,
	ST_TRAILER_END_LF,
	ST_UNTIL_CLOSE,
	ST_DONE,
	ST_ERROR
};

/* Character classes. */
#define CT 0x01 /* tchar (RFC 9110 5.6.2) */
#define CV 0x02 /* field-vchar, SP, HTAB (RFC 9110 5.5): allowed in a field value */
#define CU 0x04 /* allowed in a request target: VCHAR and obs-text */

static const uint8_t http_cc[256] = {
	['\t'] = CV,
	[' '] = CV,
	['!'] = CT | CV | CU,
	['"'] = CV | CU,
	['#' ... '\''] = CT | CV | CU,
	['(' ... ')'] = CV | CU,
	['*' ... '+'] = CT | CV | CU,
	[','] = CV | CU,
	['-' ... '.'] = CT | CV | CU,
	['/'] = CV | CU,
	['0' ... '9'] = CT | CV | CU,
	[':' ... '@'] = CV | CU,
	['A' ... 'Z'] = CT | CV | CU,
	['[' ... ']'] = CV | CU,
	['^' ... '`'] = CT | CV | CU,
	['a' ... 'z'] = CT | CV | CU,
	['{'] = CV | CU,
	['|'] = CT | CV | CU,
	['}'] = CV | CU,
	['~'] = CT | CV | CU,
	[0x80 ... 0xff] = CV | CU,
};

/*
 * First index >= i (or len) whose byte is not in class CV (field value:
 * HTAB, 0x20..0x7e, obs-text) or, with target, not in CU (0x21..0x7e,
 * obs-text). 16 bytes per step with SSE2 where the byte-at-a-time table walk
 * costs ~3 instructions per byte: a response's Date, Server and
 * Content-Type values are most of its header bytes (bench insns, client
 * side). tests/unit/test_http.cc puts every byte value at every position of
 * a value and a target, through the parsers.
 */
static inline uint32_t
http_run(const uint8_t *buf, uint32_t i, uint32_t len, bool target)
{
	const uint8_t cls = target ? CU : CV;
#ifdef __SSE2__
	const __m128i lo = _mm_set1_epi8(target ? 0x21 : 0x20);
	const __m128i tab = _mm_set1_epi8(target ? 0x7f : '\t'); /* 0x7f: never ok below */
	const __m128i del = _mm_set1_epi8(0x7f);

	while (i + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + i));
		__m128i ge = _mm_cmpeq_epi8(_mm_max_epu8(v, lo), v); /* v >= lo, unsigned */
		__m128i ok = _mm_andnot_si128(_mm_cmpeq_epi8(v, del),
					      _mm_or_si128(ge, _mm_cmpeq_epi8(v, tab)));
		unsigned int m = ~(unsigned int)_mm_movemask_epi8(ok) & 0xffffu;

		if (m != 0)
			return i + (uint32_t)__builtin_ctz(m);
		i += 16;
	}
#endif
	while (i < len && (http_cc[buf[i]] & cls))
		i++;
	return i;
}

static inline uint8_t
http_lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

/* Interpreted headers: ids 1..HH_N, candidate mask bit (1 << (id - 1)). */
enum {
	HH_NONE = 0,
	HH_CONNECTION,
	HH_ACCEPT_ENCODING,
	HH_CONTENT_LENGTH,
	HH_TRANSFER_ENCODING,
	HH_HOST,
	HH_EXPECT,
	HH_N = HH_EXPECT
};

static const struct {
	const char *name;
	uint8_t len;
} http_hnames[HH_N + 1] = {
	[HH_CONNECTION] = {"connection", 10},
	[HH_ACCEPT_ENCODING] = {"accept-encoding", 15},
	[HH_CONTENT_LENGTH] = {"content-length", 14},
	[HH_TRANSFER_ENCODING] = {"transfer-encoding", 17},
	[HH_HOST] = {"host", 4},
	[HH_EXPECT] = {"expect", 6},
};

#define HM(id) (1u << ((id)-1))
#define HM_REQ \
	(HM(HH_CONNECTION) | HM(HH_ACCEPT_ENCODING) | HM(HH_CONTENT_LENGTH) | \
	 HM(HH_TRANSFER_ENCODING) | HM(HH_HOST) | HM(HH_EXPECT))
#define HM_RESP (HM(HH_CONNECTION) | HM(HH_CONTENT_LENGTH) | HM(HH_TRANSFER_ENCODING))

/*
 * Comma-separated token lists (Connection, Accept-Encoding,
 * Transfer-Encoding): at most two tokens of interest per header. The value
 * sub-state lives in aux:
 *   bits 0-1 candidate tokens still matching, bits 2-4 phase,
 *   bit 5 the element's coding is gzip, bit 6 its q parameter is zero.
 * Quoted strings in parameters are not parsed: a comma inside one ends the
 * element early, which at worst misreads a parameter of an element we ignore.
 */
enum { L_BETWEEN, L_TOKEN, L_SKIP, L_PSTART, L_PQ, L_QSTART, L_QVAL };
#define L_CAND	      0x0003u
#define L_PHASE_SHIFT 2
#define L_PHASE	      (0x7u << L_PHASE_SHIFT)
#define L_GZIP	      0x0020u
#define L_QZERO	      0x0040u

static const struct {
	const char *tok[2];
	uint8_t len[2];
} http_lists[HH_N + 1] = {
	[HH_CONNECTION] = {{"close", "keep-alive"}, {5, 10}},
	/* RFC 9110 8.4.1.3: recipients SHOULD treat x-gzip as gzip. "*" is not
	 * taken as gzip: we compress only for clients that name it. */
	[HH_ACCEPT_ENCODING] = {{"gzip", "x-gzip"}, {4, 6}},
	[HH_TRANSFER_ENCODING] = {{"chunked", NULL}, {7, 0}},
	/* RFC 9110 10.1.1: the only expectation defined; case-insensitive. */
	[HH_EXPECT] = {{"100-continue", NULL}, {12, 0}},
};

/* Parser fields shared by requests and responses, loaded into a local. */
struct http_ps {
	uint64_t clen;	   /* Content-Length being accumulated */
	uint64_t clen_max; /* largest Content-Length representable */
	uint16_t aux;
	uint16_t flags;
	uint8_t state;
	uint8_t hdr;
	uint8_t pos;
	bool request;
};

enum { HS_MORE, HS_DONE, HS_ERROR };

static inline unsigned
http_lphase(const struct http_ps *ps)
{
	return (ps->aux & L_PHASE) >> L_PHASE_SHIFT;
}

static inline void
http_lset(struct http_ps *ps, unsigned phase)
{
	ps->aux = (uint16_t)((ps->aux & ~L_PHASE) | (phase << L_PHASE_SHIFT));
}

/* A token of a list ended: act on it if it is one we know. */
static void
http_list_token_end(struct http_ps *ps)
{
	unsigned hid = ps->hdr, m = -1u;

	for (unsigned t = 0; t < 2; t++)
		if ((ps->aux & (1u << t)) && http_lists[hid].len[t] == ps->pos)
			m = t;
	switch (hid) {
	case HH_CONNECTION:
		if (m == 0)
			ps->flags |= HTTP_F_CLOSE;
		else if (m == 1)
			ps->flags |= HTTP_F_KEEPALIVE;
		break;
	case HH_TRANSFER_ENCODING:
		/* RFC 9112 6.3: only a final "chunked" frames the body; a
		 * coding after it (or chunked twice, 6.1) is remembered so
		 * that a request can be refused. */
		if (ps->flags & HTTP_F_CHUNKED)
			ps->flags |= HTTP_F_TE_BAD;
		if (m == 0) {
			ps->flags |= HTTP_F_CHUNKED;
		} else {
			ps->flags &= ~HTTP_F_CHUNKED;
			ps->flags |= HTTP_F_TE_OTHER;
		}
		break;
	case HH_EXPECT:
		if (m == 0)
			ps->flags |= HTTP_F_EXPECT;
		break;
	case HH_ACCEPT_ENCODING:
		ps->aux &= ~(L_GZIP | L_QZERO);
		if (m != -1u)
			ps->aux |= L_GZIP;
		break;
	}
}

/* An element of a list ended (comma or end of the value). */
static void
http_list_elem_end(struct http_ps *ps)
{
	if (http_lphase(ps) == L_TOKEN)
		http_list_token_end(ps);
	if (ps->hdr == HH_ACCEPT_ENCODING && (ps->aux & (L_GZIP | L_QZERO)) == L_GZIP)
		ps->flags |= HTTP_F_GZIP;
	ps->aux = 0;
}

static void
http_list_byte(struct http_ps *ps, uint8_t c)
{
	bool ws = c == ' ' || c == '\t';

	switch (http_lphase(ps)) {
	case L_BETWEEN:
		if (ws || c == ',')
			return;
		if (http_cc[c] & CT) {
			ps->aux = L_CAND | (L_TOKEN << L_PHASE_SHIFT);
			ps->pos = 0;
			break; /* match c below */
		}
		http_lset(ps, c == ';' ? L_PSTART : L_SKIP);
		return;
	case L_TOKEN:
		if (http_cc[c] & CT)
			break;
		http_list_token_end(ps);
		http_lset(ps, c == ';' ? L_PSTART : L_SKIP);
		if (c == ',')
			http_list_elem_end(ps);
		return;
	case L_SKIP:
		if (c == ',')
			http_list_elem_end(ps);
		else if (c == ';')
			http_lset(ps, L_PSTART);
		return;
	case L_PSTART:
		if (c == ',')
			http_list_elem_end(ps);
		else if (c == 'q' || c == 'Q')
			http_lset(ps, L_PQ);
		else if (!ws && c != ';')
			http_lset(ps, L_SKIP);
		return;
	case L_PQ:
		if (c == ',')
			http_list_elem_end(ps);
		else
			http_lset(ps, c == '=' ? L_QSTART : L_SKIP);
		return;
	case L_QSTART:
	case L_QVAL:
		if (c == ',') {
			http_list_elem_end(ps);
		} else if (c == ';') {
			http_lset(ps, L_PSTART);
		} else if (c == '0' && http_lphase(ps) == L_QSTART) {
			ps->aux |= L_QZERO; /* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ... */
			http_lset(ps, L_QVAL);
		} else if (c == '.' || c == '0') {
			/* still zero */
		} else {
			ps->aux &= ~L_QZERO;
			http_lset(ps, L_SKIP);
		}
		return;
	}
	/* c continues the token: drop the candidates it does not match. */
	uint8_t lc = http_lower(c);

	for (unsigned t = 0; t < 2; t++) {
		if (!(ps->aux & (1u << t)))
			continue;
		if (ps->pos >= http_lists[ps->hdr].len[t] ||
		    http_lists[ps->hdr].tok[t][ps->pos] != lc)
			ps->aux &= ~(1u << t);
	}
	if (ps->pos < UINT8_MAX)
		ps->pos++;
}

/* Colon seen: resolve the name and start its value. */
static int
http_hdr_begin(struct http_ps *ps)
{
	unsigned hid = HH_NONE;

	for (unsigned h = 1; h <= HH_N; h++)
		if ((ps->hdr & HM(h)) && http_hnames[h].len == ps->pos)
			hid = h;
	ps->hdr = (uint8_t)hid;
	ps->aux = 0;
	ps->pos = 0;
	switch (hid) {
	case HH_CONTENT_LENGTH:
		/* A repeated Content-Length is refused rather than compared. */
		if (ps->flags & HTTP_F_HAS_LENGTH)
			return -1;
		ps->flags |= HTTP_F_HAS_LENGTH;
		ps->clen = 0;
		break;
	case HH_TRANSFER_ENCODING:
		/* Requests: checked once the block ends (http_req_framing). */
		ps->flags |= HTTP_F_TE;
		break;
	case HH_HOST:
		/* RFC 9112 3.2: more than one Host is a 400. */
		if (ps->flags & HTTP_F_HOST)
			return -1;
		ps->flags |= HTTP_F_HOST;
		break;
	}
	return 0;
}

/* Content-Length = 1*DIGIT, with OWS already skipped before it. */
static int
http_clen_byte(struct http_ps *ps, uint8_t c)
{
	if (c >= '0' && c <= '9') {
		uint64_t d = (uint64_t)(c - '0');

		if (ps->aux == 2)
			return -1;
		if (ps->clen > (ps->clen_max - d) / 10) {
			/* A request's length saturates: over any max_body, 413. */
			if (!ps->request)
				return -1;
			ps->clen = ps->clen_max;
			ps->aux = 1;
			return 0;
		}
		ps->clen = ps->clen * 10 + d;
		ps->aux = 1;
		return 0;
	}
	if ((c == ' ' || c == '\t') && ps->aux != 0) {
		ps->aux = 2; /* trailing OWS */
		return 0;
	}
	return -1;
}

static int
http_hdr_value_end(struct http_ps *ps)
{
	switch (ps->hdr) {
	case HH_CONTENT_LENGTH:
		if (ps->aux == 0)
			return -1;
		break;
	case HH_CONNECTION:
	case HH_ACCEPT_ENCODING:
	case HH_TRANSFER_ENCODING:
	case HH_EXPECT:
		http_list_elem_end(ps);
		break;
	}
	return 0;
}

/*
 * Fast path for a header name wholly inside buf: match it at once and leave
 * *pi on its colon with the state the byte-wise path would have reached.
 * False (nothing changed) when the name runs to the end of buf.
 */
static bool
http_hdr_name_run(struct http_ps *ps, const uint8_t *buf, uint32_t len, uint32_t *pi)
{
	uint32_t i = *pi, j = i, n;
	uint8_t m = 0;

	while (j < len && (http_cc[buf[j]] & CT))
		j++;
	if (j == len || buf[j] != ':')
		return false;
	n = j - i;
	for (unsigned h = 1; h <= HH_N; h++) {
		if (!(ps->hdr & HM(h)) || http_hnames[h].len != n)
			continue;
		uint32_t k = 0;

		while (k < n && http_lower(buf[i + k]) == (uint8_t)http_hnames[h].name[k])
			k++;
		if (k == n)
			m = (uint8_t)HM(h);
	}
	ps->hdr = m;
	ps->pos = n < UINT8_MAX ? (uint8_t)n : UINT8_MAX;
	*pi = j;
	return true;
}

/*
 * Walk header-block bytes from *pi: HS_DONE with *pi after the empty line
 * ending the block, HS_MORE with *pi == len, or HS_ERROR with *pi at the
 * offending byte.
 */
static int
http_hdrs(struct http_ps *ps, const uint8_t *buf, uint32_t len, uint32_t *pi, uint8_t all)
{
	uint32_t i = *pi;
	int rc = HS_MORE;

	for (; i < len; i++) {
		uint8_t c = buf[i];

		switch (ps->state) {
		case ST_HDR_START:
			if (c == '\r') {
				ps->state = ST_HDR_END_LF;
				break;
			}
			if (c == '\n') {
				i++;
				rc = HS_DONE;
				goto out;
			}
			/* SP/HTAB here is obs-fold (or space before the first
			 * field): refused, RFC 9112 5.2 and 2.2. */
			if (!(http_cc[c] & CT))
				goto err;
			ps->state = ST_HDR_NAME;
			ps->hdr = all;
			ps->pos = 0;
			if (http_hdr_name_run(ps, buf, len, &i))
				goto colon;
			/* fall through */
		case ST_HDR_NAME:
			if (http_cc[c] & CT) {
				uint8_t lc = http_lower(c);

				for (unsigned h = 1; h <= HH_N; h++) {
					if (!(ps->hdr & HM(h)))
						continue;
					if (ps->pos >= http_hnames[h].len ||
					    http_hnames[h].name[ps->pos] != lc)
						ps->hdr &= (uint8_t)~HM(h);
				}
				if (ps->pos < UINT8_MAX)
					ps->pos++;
				break;
			}
			if (c != ':')
				goto err;
colon:
			if (http_hdr_begin(ps) < 0)
				goto err;
			ps->state = ST_HDR_OWS;
			break;
		case ST_HDR_OWS:
			if (c == ' ' || c == '\t')
				break;
			ps->state = ST_HDR_VALUE;
			/* fall through */
		case ST_HDR_VALUE:
			if (c == '\r' || c == '\n') {
				if (http_hdr_value_end(ps) < 0)
					goto err;
				ps->state = c == '\r' ? ST_HDR_LF : ST_HDR_START;
				break;
			}
			if (!(http_cc[c] & CV))
				goto err;
			switch (ps->hdr) {
			case HH_CONTENT_LENGTH:
				if (http_clen_byte(ps, c) < 0)
					goto err;
				break;
			case HH_CONNECTION:
			case HH_ACCEPT_ENCODING:
			case HH_TRANSFER_ENCODING:
			case HH_EXPECT:
				http_list_byte(ps, c);
				break;
			default:
				/* Uninterpreted value: skip the run. */
				i = http_run(buf, i + 1, len, false) - 1;
				break;
			}
			break;
		case ST_HDR_LF:
			if (c != '\n')
				goto err;
			ps->state = ST_HDR_START;
			break;
		case ST_HDR_END_LF:
			if (c != '\n')
				goto err;
			i++;
			rc = HS_DONE;
			goto out;
		default:
			goto err;
		}
	}
out:
	*pi = i;
	return rc;
err:
	*pi = i;
	return HS_ERROR;
}

/* ---- bodies, both ---- */

/* Where a body decoder counts and what it allows (RFC 9112 6, 7.1). */
struct http_bctx {
	uint64_t bytes;	   /* body bytes so far (chunk framing not counted) */
	uint64_t max;	   /* more body bytes than this: 413 (requests) */
	uint32_t tr_bytes; /* trailer bytes so far */
	uint32_t tr_max;   /* more trailer bytes: an error (431 for a request) */
	uint16_t status;   /* after HTTP_ERROR: the status a request gets */
};

/* Longest chunk extension a request may carry (nginx has none; 4 KiB is ample). */
#define HTTP_CHUNK_EXT_MAX 4096

static inline int
http_hex(uint8_t c)
{
	return c >= '0' && c <= '9'			? c - '0'
	       : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
							: -1;
}

/*
 * Body bytes in the states after the header block: HTTP_OK (the body and
 * any trailers ended), HTTP_AGAIN, HTTP_ERROR (b->status says why). A request
 * (ps->request) is held to the grammar strictly, because a lenient reading
 * that another hop reads differently is how requests are smuggled: every
 * line of the chunked framing ends in CRLF, a chunk size is 1*HEXDIG, an
 * extension is at most HTTP_CHUNK_EXT_MAX bytes, and a chunk that would take
 * the body over b->max is refused (413) as soon as its size is read.
 * Responses accept a bare LF (RFC 9112 2.2 allows a recipient to).
 */
static int
http_body(struct http_ps *ps, const uint8_t *buf, uint32_t len, uint32_t *pi, struct http_bctx *b)
{
	uint32_t i = *pi;
	bool strict = ps->request;

	while (i < len) {
		uint8_t c = buf[i];

		switch (ps->state) {
		case ST_BODY:
		case ST_CHUNK_DATA: {
			uint64_t n = len - i < ps->clen ? len - i : ps->clen;

			i += (uint32_t)n;
			ps->clen -= n;
			b->bytes += n;
			if (ps->clen == 0)
				ps->state = ps->state == ST_BODY ? ST_DONE : ST_CHUNK_DATA_CR;
			if (ps->state == ST_DONE)
				goto done;
			continue;
		}
		case ST_UNTIL_CLOSE:
			b->bytes += len - i;
			i = len;
			continue;
		case ST_CHUNK_SIZE: {
			int d = http_hex(c);

			if (d >= 0) {
				if (ps->clen >> 60)
					goto err;
				ps->clen = ps->clen << 4 | (uint64_t)d;
				ps->pos = 1;
				if (ps->clen > b->max - b->bytes) {
					b->status = 413;
					goto fail;
				}
				break;
			}
			if (ps->pos == 0)
				goto err;
			if (c == ';' || c == ' ' || c == '\t') {
				ps->state = ST_CHUNK_EXT; /* extensions are ignored */
				ps->aux = 0;
				break;
			}
			if (c == '\r') {
				ps->state = ST_CHUNK_SIZE_LF;
				break;
			}
			if (c != '\n' || strict)
				goto err;
			goto size_done;
		}
		case ST_CHUNK_EXT:
			if (c == '\r') {
				ps->state = ST_CHUNK_SIZE_LF;
				break;
			}
			if (c == '\n' && !strict)
				goto size_done;
			if (!(http_cc[c] & CV))
				goto err;
			if (strict && ++ps->aux > HTTP_CHUNK_EXT_MAX)
				goto err;
			break;
		case ST_CHUNK_SIZE_LF:
			if (c != '\n')
				goto err;
size_done:
			if (ps->clen == 0) {
				ps->state = ST_TRAILER_START;
				b->tr_bytes = 0;
			} else {
				ps->state = ST_CHUNK_DATA;
			}
			break;
		case ST_CHUNK_DATA_CR:
			if (c == '\n' && !strict) {
				ps->state = ST_CHUNK_SIZE;
				ps->pos = 0;
				break;
			}
			if (c != '\r')
				goto err;
			ps->state = ST_CHUNK_DATA_LF;
			break;
		case ST_CHUNK_DATA_LF:
			if (c != '\n')
				goto err;
			ps->state = ST_CHUNK_SIZE;
			ps->pos = 0;
			break;
		case ST_TRAILER_START:
		case ST_TRAILER_LINE:
			/* Trailer fields are skipped, within their size limit. */
			if (++b->tr_bytes > b->tr_max) {
				b->status = 431;
				goto fail;
			}
			if (c == '\r') {
				ps->state = ps->state == ST_TRAILER_START ? ST_TRAILER_END_LF
									  : ST_TRAILER_LF;
				break;
			}
			if (c == '\n' && !strict) {
				if (ps->state == ST_TRAILER_START) {
					i++;
					ps->state = ST_DONE;
					goto done;
				}
				ps->state = ST_TRAILER_START;
				break;
			}
			if (!(http_cc[c] & CV) ||
			    (ps->state == ST_TRAILER_START && !(http_cc[c] & CT)))
				goto err;
			ps->state = ST_TRAILER_LINE;
			break;
		case ST_TRAILER_LF:
			if (c != '\n')
				goto err;
			ps->state = ST_TRAILER_START;
			break;
		case ST_TRAILER_END_LF:
			if (c != '\n')
				goto err;
			i++;
			ps->state = ST_DONE;
			goto done;
		default:
			goto err;
		}
		i++;
	}
	*pi = i;
	return HTTP_AGAIN;
done:
	*pi = i;
	return HTTP_OK;
err:
	b->status = 400;
fail:
	*pi = i;
	return HTTP_ERROR;
}

/* ---- requests ---- */

static const struct {
	const char *name;
	uint8_t len;
} http_methods[HTTP_M_N] = {
	[HTTP_M_GET] = {"GET", 3},	 [HTTP_M_HEAD] = {"HEAD", 4},
	[HTTP_M_POST] = {"POST", 4},	 [HTTP_M_PUT] = {"PUT", 3},
	[HTTP_M_DELETE] = {"DELETE", 6}, [HTTP_M_OPTIONS] = {"OPTIONS", 7},
};

/* Method candidates while the method is read: bit m for http_methods[m]. */
#define HTTP_M_ALL \
	(1u << HTTP_M_GET | 1u << HTTP_M_HEAD | 1u << HTTP_M_POST | 1u << HTTP_M_PUT | \
	 1u << HTTP_M_DELETE | 1u << HTTP_M_OPTIONS)

const char *
http_method_name(unsigned int m)
{
	return m < HTTP_M_N && http_methods[m].name != NULL ? http_methods[m].name : "-";
}

void
http_req_init(struct http_req *r)
{
	http_req_init_limit(r, HTTP_MAX_BODY_LIMIT);
}

void
http_req_init_limit(struct http_req *r, uint32_t max_body)
{
	memset(r, 0, sizeof(*r));
	r->state = ST_RQ_START;
	r->max_body = max_body < HTTP_MAX_BODY_LIMIT ? max_body : HTTP_MAX_BODY_LIMIT;
	r->path_hash = HTTP_PATH_HASH_INIT;
}

bool
http_req_wants_continue(const struct http_req *r)
{
	return (r->flags & HTTP_F_EXPECT) && r->minor == 1 && r->state >= ST_BODY &&
	       r->state < ST_DONE && r->body_bytes == 0;
}

bool
http_req_keepalive(const struct http_req *r)
{
	if (r->flags & HTTP_F_CLOSE)
		return false;
	if (r->minor >= 1)
		return true;
	return (r->flags & HTTP_F_KEEPALIVE) != 0;
}

/*
 * Request-line bytes from *pi until the line ends (state ST_HDR_START),
 * the bytes run out (0), or an error (-1 with r->status).
 */
static int
http_req_line(struct http_req *r, struct http_ps *ps, const uint8_t *buf, uint32_t len,
	      uint32_t *pi, char *path, uint32_t path_max)
{
	uint32_t i = *pi;

	for (; i < len && ps->state < ST_HDR_START; i++) {
		uint8_t c = buf[i];

		switch (ps->state) {
		case ST_RQ_START:
			/* RFC 9112 2.2: ignore empty lines before the request line. */
			if (c == '\r') {
				ps->state = ST_RQ_START_LF;
				break;
			}
			if (c == '\n')
				break;
			if (!(http_cc[c] & CT))
				goto bad;
			ps->hdr = (uint8_t)(HTTP_M_ALL >> 1);
			ps->pos = 0;
			ps->state = ST_RQ_METHOD;
			goto method;
		case ST_RQ_START_LF:
			if (c != '\n')
				goto bad;
			ps->state = ST_RQ_START;
			break;
		case ST_RQ_METHOD:
method:
			/* ps->hdr: candidates, bit m - 1 for method m. */
			if (http_cc[c] & CT) {
				/* Methods are case-sensitive (RFC 9110 9.1). */
				for (unsigned m = HTTP_M_GET; m < HTTP_M_N; m++) {
					if (!(ps->hdr & (1u << (m - 1))))
						continue;
					if (ps->pos >= http_methods[m].len ||
					    (uint8_t)http_methods[m].name[ps->pos] != c)
						ps->hdr &= (uint8_t) ~(1u << (m - 1));
				}
				if (ps->pos < UINT8_MAX)
					ps->pos++;
				break;
			}
			if (c != ' ')
				goto bad;
			r->method = HTTP_M_OTHER;
			for (unsigned m = HTTP_M_GET; m < HTTP_M_N; m++)
				if ((ps->hdr & (1u << (m - 1))) && http_methods[m].len == ps->pos)
					r->method = (uint8_t)m;
			/* Another token: 405 once the request line is read, so
			 * that the log shows its target. */
			if (r->method == HTTP_M_OTHER)
				r->status = 405;
			ps->state = ST_RQ_TARGET0;
			break;
		case ST_RQ_TARGET0:
		case ST_RQ_TARGET:
			if (!(http_cc[c] & CU)) {
				if (c != ' ' || ps->state == ST_RQ_TARGET0)
					goto bad;
				ps->state = ST_RQ_VERSION;
				ps->pos = 0;
				break;
			}
			ps->state = ST_RQ_TARGET;
			/* The path is hashed for the routes as it goes by. */
			for (;;) {
				uint8_t t = buf[i];

				if (t == '?')
					ps->flags |= HTTP_F_QUERY;
				if (!(ps->flags & HTTP_F_QUERY))
					r->path_hash = HTTP_PATH_HASH_STEP(r->path_hash, t);
				if (path != NULL && ps->aux < path_max) {
					path[ps->aux++] = (char)t;
					path[ps->aux] = '\0';
				}
				if (i + 1 >= len || !(http_cc[buf[i + 1]] & CU))
					break;
				i++;
			}
			break;
		case ST_RQ_VERSION:
			if (c != (uint8_t) "HTTP/"[ps->pos])
				goto bad;
			if (++ps->pos == 5)
				ps->state = ST_RQ_MAJOR;
			break;
		case ST_RQ_MAJOR:
			if (c < '0' || c > '9')
				goto bad;
			ps->pos = (uint8_t)(c - '0');
			ps->state = ST_RQ_DOT;
			break;
		case ST_RQ_DOT:
			if (c != '.')
				goto bad;
			ps->state = ST_RQ_MINOR;
			break;
		case ST_RQ_MINOR:
			if (c < '0' || c > '9')
				goto bad;
			if (ps->pos != 1 || c > '1')
				r->status = 505; /* reported once the line is well-formed */
			else
				r->minor = (uint8_t)(c - '0');
			ps->state = ST_RQ_EOL;
			break;
		case ST_RQ_EOL:
		case ST_RQ_LF:
			if (c == '\r' && ps->state == ST_RQ_EOL) {
				ps->state = ST_RQ_LF;
				break;
			}
			if (c != '\n')
				goto bad;
			ps->flags |= HTTP_F_LINE;
			if (r->status != 0)
				goto fail;
			ps->state = ST_HDR_START;
			ps->aux = 0;
			break;
		default:
			goto bad;
		}
	}
	*pi = i;
	return 0;
bad:
	r->status = 400;
fail:
	*pi = i;
	return -1;
}

/*
 * The request's header block ended: check its framing (RFC 9112 6.1, 6.3)
 * and choose the body state. 0, or -1 with r->status.
 */
static int
http_req_framing(struct http_req *r, struct http_ps *ps)
{
	/* RFC 9112 3.2: an HTTP/1.1 request without Host is a 400. */
	if (r->minor == 1 && !(ps->flags & HTTP_F_HOST))
		goto bad;
	if (ps->flags & HTTP_F_TE) {
		/* 6.1: Transfer-Encoding is HTTP/1.1's; 6.3: with
		 * Content-Length too, or with chunked not the final coding,
		 * the length cannot be known: 400 and close (6.3 items 3, 4).
		 * A coding we do not implement under a final chunked: 501. */
		if (r->minor == 0 || (ps->flags & HTTP_F_HAS_LENGTH) ||
		    !(ps->flags & HTTP_F_CHUNKED) || (ps->flags & HTTP_F_TE_BAD))
			goto bad;
		if (ps->flags & HTTP_F_TE_OTHER) {
			r->status = 501;
			return -1;
		}
		ps->state = ST_CHUNK_SIZE;
		ps->pos = 0;
		ps->clen = 0;
		return 0;
	}
	if (ps->clen > r->max_body) {
		r->status = 413;
		return -1;
	}
	ps->state = ps->clen > 0 ? ST_BODY : ST_DONE;
	return 0;
bad:
	r->status = 400;
	return -1;
}

int
http_req_parse(struct http_req *r, const uint8_t *buf, uint32_t len, uint32_t *used, char *path,
	       uint32_t path_len)
{
	struct http_ps ps = {
		.clen = r->body_left,
		.clen_max = UINT32_MAX,
		.aux = r->aux,
		.state = r->state,
		.hdr = r->hdr,
		.pos = r->pos,
		.flags = r->flags,
		.request = true,
	};
	uint32_t path_max = 0, i = 0;
	int rc = HTTP_AGAIN;

	if (path != NULL && path_len > 0) {
		path_max = path_len - 1 > UINT16_MAX ? UINT16_MAX : path_len - 1;
		if (ps.state <= ST_RQ_TARGET)
			path[ps.aux < path_max ? ps.aux : path_max] = '\0';
	} else {
		path = NULL;
	}

	if (ps.state < ST_BODY) {
		/* Never look at more header bytes than the limit leaves. */
		uint32_t room = HTTP_MAX_HEADER_BYTES - r->hdr_bytes;
		uint32_t hlen = len < room ? len : room;
		int hs = HS_MORE;

		while (i < hlen) {
			if (ps.state < ST_HDR_START) {
				if (http_req_line(r, &ps, buf, hlen, &i, path, path_max) < 0) {
					hs = HS_ERROR; /* r->status set */
					break;
				}
				continue;
			}
			hs = http_hdrs(&ps, buf, hlen, &i, HM_REQ);
			if (hs == HS_ERROR)
				r->status = 400;
			if (hs != HS_MORE)
				break;
		}
		r->hdr_bytes = (uint16_t)(r->hdr_bytes + i);
		if (hs == HS_ERROR)
			goto fail;
		if (hs != HS_DONE) {
			if (hlen < len) {
				/* RFC 9110 15.5.15: a target longer than we
				 * interpret is a 414; a long header block 431. */
				r->status = ps.state < ST_HDR_START ? 414 : 431;
				goto fail;
			}
			goto out;
		}
		if (http_req_framing(r, &ps) < 0)
			goto fail;
		r->hdr_bytes = 0; /* now the trailers' budget */
	}
	if (ps.state >= ST_BODY && ps.state < ST_DONE) {
		struct http_bctx b = {
			.bytes = r->body_bytes,
			.max = r->max_body,
			.tr_bytes = r->hdr_bytes,
			.tr_max = HTTP_MAX_HEADER_BYTES,
		};
		int brc = http_body(&ps, buf, len, &i, &b);

		r->body_bytes = (uint32_t)b.bytes;
		r->hdr_bytes = (uint16_t)b.tr_bytes;
		if (brc == HTTP_ERROR) {
			r->status = b.status;
			goto fail;
		}
	}
	if (ps.state == ST_DONE)
		rc = HTTP_OK;
	else if (ps.state == ST_ERROR)
		rc = HTTP_ERROR;
	goto out;
fail:
	ps.state = ST_ERROR;
	rc = HTTP_ERROR;
out:
	r->body_left = (uint32_t)ps.clen;
	r->aux = ps.aux;
	r->state = ps.state;
	r->hdr = ps.hdr;
	r->pos = ps.pos;
	r->flags = ps.flags;
	*used = i;
	return rc;
}

/* ---- responses ---- */

void
http_resp_init(struct http_resp *r, bool head_request)
{
	memset(r, 0, sizeof(*r));
	r->state = ST_RS_START;
	r->head = head_request;
}

bool
http_resp_keepalive(const struct http_resp *r)
{
	if (r->flags & (HTTP_F_CLOSE | HTTP_F_UNTIL_CLOSE))
		return false;
	if (r->minor >= 1)
		return true;
	return (r->flags & HTTP_F_KEEPALIVE) != 0;
}

int
http_resp_eof(struct http_resp *r)
{
	if (r->state == ST_UNTIL_CLOSE || r->state == ST_DONE) {
		r->state = ST_DONE;
		return HTTP_OK;
	}
	r->state = ST_ERROR;
	return HTTP_ERROR;
}

/* Status-line bytes until the line ends; 0, or -1 when malformed. */
static int
http_resp_line(struct http_resp *r, struct http_ps *ps, const uint8_t *buf, uint32_t len,
	       uint32_t *pi)
{
	uint32_t i = *pi;

	for (; i < len && ps->state < ST_HDR_START; i++) {
		uint8_t c = buf[i];

		switch (ps->state) {
		case ST_RS_START:
			if (c == '\r') {
				ps->state = ST_RS_START_LF;
				break;
			}
			if (c == '\n')
				break;
			ps->state = ST_RS_VERSION;
			ps->pos = 0;
			/* fall through */
		case ST_RS_VERSION:
			if (c != (uint8_t) "HTTP/"[ps->pos])
				goto bad;
			if (++ps->pos == 5)
				ps->state = ST_RS_MAJOR;
			break;
		case ST_RS_START_LF:
			if (c != '\n')
				goto bad;
			ps->state = ST_RS_START;
			break;
		case ST_RS_MAJOR:
			if (c != '1')
				goto bad;
			ps->state = ST_RS_DOT;
			break;
		case ST_RS_DOT:
			if (c != '.')
				goto bad;
			ps->state = ST_RS_MINOR;
			break;
		case ST_RS_MINOR:
			if (c < '0' || c > '9')
				goto bad;
			r->minor = (uint8_t)(c - '0');
			ps->state = ST_RS_SP;
			break;
		case ST_RS_SP:
			if (c != ' ')
				goto bad;
			ps->state = ST_RS_STATUS;
			ps->pos = 0;
			r->status = 0;
			break;
		case ST_RS_STATUS:
			if (c < '0' || c > '9')
				goto bad;
			r->status = (uint16_t)(r->status * 10 + (c - '0'));
			if (++ps->pos == 3)
				ps->state = ST_RS_AFTER_STATUS;
			break;
		case ST_RS_AFTER_STATUS:
			/* The reason phrase may be empty; some servers drop the SP. */
			if (r->status < 100)
				goto bad;
			if (c == ' ') {
				ps->state = ST_RS_REASON;
				break;
			}
			/* fall through */
		case ST_RS_REASON:
			if (c == '\r') {
				ps->state = ST_RS_LF;
				break;
			}
			if (c == '\n') {
				ps->state = ST_HDR_START;
				ps->aux = 0;
				break;
			}
			if (ps->state != ST_RS_REASON || !(http_cc[c] & CV))
				goto bad;
			i = http_run(buf, i + 1, len, false) - 1;
			break;
		case ST_RS_LF:
			if (c != '\n')
				goto bad;
			ps->state = ST_HDR_START;
			ps->aux = 0;
			break;
		default:
			goto bad;
		}
	}
	*pi = i;
	return 0;
bad:
	*pi = i;
	return -1;
}

/* The header block ended: choose how the body is framed (RFC 9112 6.3). */
static void
http_resp_framing(struct http_resp *r, struct http_ps *ps)
{
	if (r->head || r->status == 204 || r->status == 304) {
		ps->state = ST_DONE;
	} else if (ps->flags & HTTP_F_TE) {
		/* Transfer-Encoding overrides Content-Length; a final coding
		 * other than chunked means the body runs until close. */
		if (ps->flags & HTTP_F_CHUNKED) {
			ps->state = ST_CHUNK_SIZE;
			ps->pos = 0;
			ps->clen = 0;
		} else {
			ps->flags |= HTTP_F_UNTIL_CLOSE;
			ps->state = ST_UNTIL_CLOSE;
		}
	} else if (ps->flags & HTTP_F_HAS_LENGTH) {
		ps->state = ps->clen > 0 ? ST_BODY : ST_DONE;
	} else {
		ps->flags |= HTTP_F_UNTIL_CLOSE;
		ps->state = ST_UNTIL_CLOSE;
	}
}

int
http_resp_parse(struct http_resp *r, const uint8_t *buf, uint32_t len, uint32_t *used)
{
	struct http_ps ps = {
		.clen = r->body_left,
		.clen_max = UINT64_MAX,
		.aux = r->aux,
		.state = r->state,
		.hdr = r->hdr,
		.pos = r->pos,
		.flags = r->flags,
		.request = false,
	};
	uint32_t i = 0;
	int rc = HTTP_AGAIN;

	while (rc == HTTP_AGAIN && (i < len || ps.state == ST_DONE || ps.state == ST_ERROR)) {
		if (ps.state == ST_DONE) {
			rc = HTTP_OK;
			break;
		}
		if (ps.state == ST_ERROR) {
			rc = HTTP_ERROR;
			break;
		}
		if (ps.state >= ST_BODY) {
			struct http_bctx b = {
				.bytes = r->body_bytes,
				.max = UINT64_MAX,
				.tr_bytes = r->hdr_bytes,
				.tr_max = HTTP_MAX_RESP_HEADER_BYTES,
			};

			rc = http_body(&ps, buf, len, &i, &b);
			r->body_bytes = b.bytes;
			r->hdr_bytes = b.tr_bytes;
			break;
		}
		/* Status line and header block, within the size limit. */
		uint32_t start = i, room = HTTP_MAX_RESP_HEADER_BYTES - r->hdr_bytes;
		uint32_t hlen = len - i < room ? len : i + room;
		int hs = HS_MORE;

		while (i < hlen) {
			if (ps.state < ST_HDR_START) {
				if (http_resp_line(r, &ps, buf, hlen, &i) < 0) {
					rc = HTTP_ERROR;
					break;
				}
				continue;
			}
			hs = http_hdrs(&ps, buf, hlen, &i, HM_RESP);
			if (hs != HS_MORE)
				break;
		}
		r->hdr_bytes += i - start;
		if (rc == HTTP_ERROR || hs == HS_ERROR || (hs == HS_MORE && hlen < len)) {
			rc = HTTP_ERROR;
			break;
		}
		if (hs == HS_MORE)
			break;
		if (r->status < 200) {
			/* 1xx: interim, the final response follows (RFC 9110 15.2);
			 * 101 would switch protocols, which we never ask for. */
			if (r->status == 101) {
				rc = HTTP_ERROR;
				break;
			}
			bool head = r->head;

			http_resp_init(r, head);
			ps.clen = 0;
			ps.aux = 0;
			ps.state = ST_RS_START;
			ps.flags = 0;
			continue;
		}
		http_resp_framing(r, &ps);
	}
	if (rc == HTTP_ERROR)
		ps.state = ST_ERROR;
	r->body_left = ps.clen;
	r->aux = ps.aux;
	r->state = ps.state;
	r->hdr = ps.hdr;
	r->pos = ps.pos;
	r->flags = ps.flags;
	*used = i;
	return rc;
}
