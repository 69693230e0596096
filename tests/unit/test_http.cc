/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/http: the request parser (whole, split at every byte, pipelined, each
 * malformed case with the status it must answer, keep-alive and gzip
 * negotiation), the response parser (Content-Length, chunked split at every
 * byte, 1xx, 204, HEAD, close-delimited), the prebuilt server responses
 * (exact header text, HEAD, gzip round trip through zlib, body_file, a
 * 64 MiB body) and the client request template (exact bytes).
 */
#include <gtest/gtest.h>

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <regex>
#include <string>
#include <vector>

#include "lib/http/http.h"

namespace {

std::string
rc_name(int rc)
{
	switch (rc) {
	case HTTP_OK:
		return "HTTP_OK";
	case HTTP_AGAIN:
		return "HTTP_AGAIN";
	case HTTP_ERROR:
		return "HTTP_ERROR";
	}
	return "rc " + std::to_string(rc);
}

#define EXPECT_RC(expected, got) EXPECT_EQ(rc_name(expected), rc_name(got))
#define ASSERT_RC(expected, got) ASSERT_EQ(rc_name(expected), rc_name(got))

const uint8_t *
bytes(const std::string &s)
{
	return reinterpret_cast<const uint8_t *>(s.data());
}

/* What a request parse ended with, for comparing whole and split parses. */
struct ReqResult {
	int rc;
	uint32_t used;
	http_req r;

	std::string str() const
	{
		char b[160];
		snprintf(b, sizeof(b), "%s used=%u status=%u method=%u minor=%u flags=%#x left=%u",
			 rc_name(rc).c_str(), used, r.status, r.method, r.minor, r.flags,
			 r.body_left);
		return b;
	}
};

ReqResult
parse_req(const std::string &s)
{
	ReqResult res;
	http_req_init(&res.r);
	res.rc = http_req_parse(&res.r, bytes(s), (uint32_t)s.size(), &res.used, nullptr, 0);
	return res;
}

/* Feed s[0..k) then s[k..n): the result must not depend on k. */
ReqResult
parse_req_split(const std::string &s, size_t k, std::string *path = nullptr)
{
	ReqResult res;
	char pbuf[64];
	uint32_t u1 = 0, u2 = 0;
	char *p = path != nullptr ? pbuf : nullptr;
	http_req_init(&res.r);
	res.rc = http_req_parse(&res.r, bytes(s), (uint32_t)k, &u1, p, sizeof(pbuf));
	res.used = u1;
	if (res.rc == HTTP_AGAIN) {
		EXPECT_EQ(u1, k);
		res.rc = http_req_parse(&res.r, bytes(s) + k, (uint32_t)(s.size() - k), &u2, p,
					sizeof(pbuf));
		res.used = u1 + u2;
	}
	if (path != nullptr)
		*path = pbuf;
	return res;
}

void
expect_split_invariant(const std::string &s)
{
	ReqResult whole = parse_req(s);
	for (size_t k = 0; k <= s.size(); k++)
		EXPECT_EQ(whole.str(), parse_req_split(s, k).str()) << "split at " << k;
}

int
req_status(const std::string &s)
{
	ReqResult res = parse_req(s);
	EXPECT_RC(HTTP_ERROR, res.rc) << s;
	return res.r.status;
}

/* ---- request parser ---- */

TEST(HttpReq, StateIsSmall)
{
	EXPECT_LE(sizeof(http_req), 32u);
}

TEST(HttpReq, SimpleGetWhole)
{
	std::string s = "GET /index.html HTTP/1.1\r\nHost: a\r\nUser-Agent: t\r\n\r\n";
	http_req r;
	uint32_t used = 0;
	char path[64] = "junk";
	http_req_init(&r);
	ASSERT_RC(HTTP_OK,
		  http_req_parse(&r, bytes(s), (uint32_t)s.size(), &used, path, sizeof(path)));
	EXPECT_EQ(s.size(), used);
	EXPECT_EQ(HTTP_M_GET, r.method);
	EXPECT_EQ(1, r.minor);
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("/index.html", path);
	EXPECT_TRUE(http_req_keepalive(&r));
}

TEST(HttpReq, HeadIsAccepted)
{
	ReqResult res = parse_req("HEAD / HTTP/1.0\r\n\r\n");
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_EQ(HTTP_M_HEAD, res.r.method);
	EXPECT_EQ(0, res.r.minor);
}

TEST(HttpReq, BareLfLineEndsAccepted)
{
	ReqResult res = parse_req("GET / HTTP/1.1\nHost: a\nConnection: close\n\n");
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_FALSE(http_req_keepalive(&res.r));
}

TEST(HttpReq, LeadingEmptyLinesIgnored)
{
	std::string s = "\r\n\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
	ReqResult res = parse_req(s);
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_EQ(s.size(), res.used);
}

TEST(HttpReq, IncompleteIsAgain)
{
	ReqResult res = parse_req("GET / HTTP/1.1\r\nHost: a\r\n");
	EXPECT_RC(HTTP_AGAIN, res.rc);
	EXPECT_EQ(25u, res.used);
}

TEST(HttpReq, SplitAtEveryByteGivesSameResult)
{
	const char *cases[] = {
		"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
		"GET /a/b?c=d HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\n"
		"Accept-Encoding: br, gzip;q=0.8\r\nX-Long: aaaaaaaaaaaaaaaaaaaa\r\n\r\n",
		"HEAD /x HTTP/1.0\nConnection: Keep-Alive\nAccept-Encoding: gzip;q=0\n\n",
		"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET",
		"\r\nGET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET / HTTP/2.0\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n",
		"GET / HTTP/1.1\r\nBad Name: v\r\n\r\n",
	};
	for (const char *c : cases)
		expect_split_invariant(c);
}

TEST(HttpReq, SplitPathCaptureIsComplete)
{
	std::string s = "GET /some/path?q=1 HTTP/1.1\r\nHost: h\r\n\r\n";
	for (size_t k = 0; k <= s.size(); k++) {
		std::string path;
		ReqResult res = parse_req_split(s, k, &path);
		ASSERT_RC(HTTP_OK, res.rc);
		EXPECT_EQ("/some/path?q=1", path) << "split at " << k;
	}
}

TEST(HttpReq, PathCaptureTruncates)
{
	std::string s = "GET /0123456789 HTTP/1.1\r\nHost: h\r\n\r\n";
	http_req r;
	uint32_t used;
	char path[6];
	http_req_init(&r);
	ASSERT_RC(HTTP_OK,
		  http_req_parse(&r, bytes(s), (uint32_t)s.size(), &used, path, sizeof(path)));
	EXPECT_STREQ("/0123", path);
}

TEST(HttpReq, PipelinedRequestsParseInTurn)
{
	std::string a = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n";
	std::string b = "HEAD /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz";
	std::string c = "GET /c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
	std::string all = a + b + c;
	const uint8_t *p = bytes(all);
	uint32_t left = (uint32_t)all.size(), used;
	http_req r;
	char path[32];

	http_req_init(&r);
	ASSERT_RC(HTTP_OK, http_req_parse(&r, p, left, &used, path, sizeof(path)));
	EXPECT_EQ(a.size(), used);
	EXPECT_STREQ("/a", path);
	p += used;
	left -= used;
	http_req_init(&r);
	ASSERT_RC(HTTP_OK, http_req_parse(&r, p, left, &used, path, sizeof(path)));
	EXPECT_EQ(b.size(), used);
	EXPECT_EQ(HTTP_M_HEAD, r.method);
	EXPECT_STREQ("/b", path);
	p += used;
	left -= used;
	http_req_init(&r);
	ASSERT_RC(HTTP_OK, http_req_parse(&r, p, left, &used, path, sizeof(path)));
	EXPECT_EQ(c.size(), used);
	EXPECT_STREQ("/c", path);
	EXPECT_FALSE(http_req_keepalive(&r));
}

TEST(HttpReq, ContentLengthBodyIsSkipped)
{
	std::string s = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789";
	ReqResult res = parse_req(s.substr(0, s.size() - 4));
	EXPECT_RC(HTTP_AGAIN, res.rc);
	EXPECT_EQ(4u, res.r.body_left);
	uint32_t used;
	ASSERT_RC(HTTP_OK, http_req_parse(&res.r, bytes("6789"), 4, &used, nullptr, 0));
	EXPECT_EQ(4u, used);
	expect_split_invariant(s);
}

TEST(HttpReq, BadRequestLineIs400)
{
	EXPECT_EQ(400, req_status("GET\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET  / HTTP/1.1\r\nHost: h\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTP/1.1 \r\nHost: h\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET /\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTQ/1.1\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTP/1\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\rX\n\r\n"));
	EXPECT_EQ(400, req_status("G(T / HTTP/1.1\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET /a\x01 HTTP/1.1\r\n\r\n"));
}

TEST(HttpReq, BadHeaderIs400)
{
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x01b\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: h\r\nX-A : a\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: h\r\n: a\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n"));
}

TEST(HttpReq, MissingColonIs400)
{
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n"));
}

TEST(HttpReq, ObsFoldIs400)
{
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n b\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n\tb\r\n\r\n"));
}

TEST(HttpReq, MissingHostIn11Is400)
{
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n"));
	EXPECT_RC(HTTP_OK, parse_req("GET / HTTP/1.0\r\n\r\n").rc);
}

TEST(HttpReq, OverLongHeaderBlockIs431)
{
	std::string s = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: ";
	s += std::string(HTTP_MAX_HEADER_BYTES, 'a');
	s += "\r\n\r\n";
	EXPECT_EQ(431, req_status(s));
	for (size_t k : {size_t(1), size_t(100), size_t(HTTP_MAX_HEADER_BYTES - 1),
			 size_t(HTTP_MAX_HEADER_BYTES), size_t(HTTP_MAX_HEADER_BYTES + 1)}) {
		ReqResult res = parse_req_split(s, k);
		EXPECT_RC(HTTP_ERROR, res.rc);
		EXPECT_EQ(431, res.r.status) << "split at " << k;
	}
}

TEST(HttpReq, HeaderBlockAtTheLimitIsAccepted)
{
	std::string head = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: ";
	std::string s = head + std::string(HTTP_MAX_HEADER_BYTES - head.size() - 4, 'a') +
			"\r\n\r\n";
	ASSERT_EQ((size_t)HTTP_MAX_HEADER_BYTES, s.size());
	EXPECT_RC(HTTP_OK, parse_req(s).rc);
	std::string over = head + std::string(HTTP_MAX_HEADER_BYTES - head.size() - 3, 'a') +
			   "\r\n\r\n";
	EXPECT_EQ(431, req_status(over));
}

TEST(HttpReq, WebMethodsAreAccepted)
{
	const struct {
		const char *name;
		int m;
	} ms[] = {{"GET", HTTP_M_GET}, {"HEAD", HTTP_M_HEAD},	  {"POST", HTTP_M_POST},
		  {"PUT", HTTP_M_PUT}, {"DELETE", HTTP_M_DELETE}, {"OPTIONS", HTTP_M_OPTIONS}};
	for (auto &m : ms) {
		std::string s = std::string(m.name) + " /x HTTP/1.1\r\nHost: h\r\n\r\n";
		ReqResult res = parse_req(s);
		EXPECT_RC(HTTP_OK, res.rc) << m.name;
		EXPECT_EQ(m.m, res.r.method) << m.name;
		EXPECT_STREQ(m.name, http_method_name(res.r.method));
		expect_split_invariant(s);
	}
}

TEST(HttpReq, OtherMethodsAreMethodNotAllowedAfterTheLine)
{
	for (const char *m : {"PATCH", "TRACE", "CONNECT", "GETX", "GE", "HEADER", "get", "BREW",
			      "POS", "PUTS", "DELET", "OPTION", "P"}) {
		std::string s = std::string(m) + " /t HTTP/1.1\r\nHost: h\r\n\r\n";
		EXPECT_EQ(405, req_status(s)) << m;
		ReqResult res = parse_req_split(s, 3);
		EXPECT_EQ(405, res.r.status) << m;
		EXPECT_EQ(HTTP_M_OTHER, res.r.method);
		EXPECT_TRUE(res.r.flags & HTTP_F_LINE) << "the line is read before the 405";
	}
}

/* A body in one piece, and split at every byte: the same result. */
ReqResult
parse_body_req(const std::string &s, uint32_t max_body = HTTP_MAX_BODY_LIMIT)
{
	ReqResult res;
	http_req_init_limit(&res.r, max_body);
	res.rc = http_req_parse(&res.r, bytes(s), (uint32_t)s.size(), &res.used, nullptr, 0);
	return res;
}

TEST(HttpReq, ContentLengthBodyIsReadAndCounted)
{
	std::string s = "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello worldGET";
	ReqResult res = parse_body_req(s);
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_EQ(s.size() - 3, res.used);
	EXPECT_EQ(11u, res.r.body_bytes);
	expect_split_invariant(s.substr(0, s.size() - 3));
}

TEST(HttpReq, ChunkedBodyIsDecoded)
{
	std::string s = "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
			"5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n"
			"X-Trailer: t\r\n\r\n";
	ReqResult res = parse_body_req(s + "GET");
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_EQ(s.size(), res.used);
	EXPECT_EQ(31u, res.r.body_bytes);
	EXPECT_TRUE(res.r.flags & HTTP_F_CHUNKED);
	expect_split_invariant(s);
	/* upper-case hex and no trailers */
	res = parse_body_req("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
			     "A\r\n0123456789\r\n0\r\n\r\n");
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_EQ(10u, res.r.body_bytes);
}

TEST(HttpReq, SmugglingShapesAre400)
{
	const char *h = "POST / HTTP/1.1\r\nHost: h\r\n";
	for (const char *bad : {
		     /* RFC 9112 6.3: both framings */
		     "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
		     "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
		     /* two lengths that differ (and even equal ones) */
		     "Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
		     /* chunked not the final coding, or twice */
		     "Transfer-Encoding: chunked, gzip\r\n\r\n",
		     "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n",
		     "Transfer-Encoding: chunked, chunked\r\n\r\n",
		     "Transfer-Encoding: gzip\r\n\r\n",
		     /* bad chunk syntax */
		     "Transfer-Encoding: chunked\r\n\r\nzz\r\n",
		     "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n",
		     "Transfer-Encoding: chunked\r\n\r\n-1\r\n",
		     "Transfer-Encoding: chunked\r\n\r\n\r\n",
		     "Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
		     "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n",
		     "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n",
		     "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\n",
	     }) {
		std::string s = std::string(h) + bad;
		ReqResult res = parse_body_req(s);
		EXPECT_RC(HTTP_ERROR, res.rc) << bad;
		EXPECT_EQ(400, res.r.status) << bad;
	}
	/* HTTP/1.0 with Transfer-Encoding: faulty framing (RFC 9112 6.1) */
	EXPECT_EQ(400, req_status("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"));
}

TEST(HttpReq, UnknownCodingUnderChunkedIs501)
{
	EXPECT_EQ(501, req_status("POST / HTTP/1.1\r\nHost: h\r\n"
				  "Transfer-Encoding: gzip, chunked\r\n\r\n"));
}

TEST(HttpReq, BodyOverMaxBodyIs413)
{
	std::string cl = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1025\r\n\r\n";
	ReqResult res = parse_body_req(cl, 1024);
	EXPECT_RC(HTTP_ERROR, res.rc);
	EXPECT_EQ(413, res.r.status);
	EXPECT_EQ(cl.size(), res.used) << "refused at the end of the header block, before the body";
	res = parse_body_req("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1024\r\n\r\n", 1024);
	EXPECT_RC(HTTP_AGAIN, res.rc);
	/* a huge length saturates instead of failing as malformed */
	res = parse_body_req(
		"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n");
	EXPECT_EQ(413, res.r.status);
	/* chunked: the chunk that crosses the limit is refused at its size line */
	std::string ch = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
			 "200\r\n" +
			 std::string(512, 'a') + "\r\n201\r\n";
	res = parse_body_req(ch, 1024);
	EXPECT_RC(HTTP_ERROR, res.rc);
	EXPECT_EQ(413, res.r.status);
	EXPECT_EQ(512u, res.r.body_bytes);
}

TEST(HttpReq, LongTargetIs414)
{
	std::string s = "GET /" + std::string(HTTP_MAX_HEADER_BYTES, 'a') +
			" HTTP/1.1\r\nHost: h\r\n\r\n";
	EXPECT_EQ(414, req_status(s));
	for (size_t k :
	     {size_t(10), size_t(HTTP_MAX_HEADER_BYTES - 1), size_t(HTTP_MAX_HEADER_BYTES + 1)})
		EXPECT_EQ(414, parse_req_split(s, k).r.status) << k;
}

TEST(HttpReq, ExpectContinue)
{
	std::string h =
		"POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\n";
	ReqResult res = parse_body_req(h);
	ASSERT_RC(HTTP_AGAIN, res.rc);
	EXPECT_TRUE(res.r.flags & HTTP_F_EXPECT);
	EXPECT_TRUE(http_req_wants_continue(&res.r));
	uint32_t used;
	ASSERT_RC(HTTP_AGAIN, http_req_parse(&res.r, bytes("ab"), 2, &used, nullptr, 0));
	EXPECT_FALSE(http_req_wants_continue(&res.r)) << "the body started";
	/* HTTP/1.0: ignored (RFC 9110 10.1.1); other expectations: not 100-continue */
	res = parse_body_req(
		"POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
	EXPECT_FALSE(http_req_wants_continue(&res.r));
	res = parse_body_req(
		"POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continuex\r\nContent-Length: 4\r\n\r\n");
	EXPECT_FALSE(http_req_wants_continue(&res.r));
	/* no body: nothing to continue */
	res = parse_body_req("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n");
	EXPECT_RC(HTTP_OK, res.rc);
	EXPECT_FALSE(http_req_wants_continue(&res.r));
}

TEST(HttpReq, Http20IsVersionNotSupported)
{
	EXPECT_EQ(505, req_status("GET / HTTP/2.0\r\nHost: h\r\n\r\n"));
	EXPECT_EQ(505, req_status("GET / HTTP/1.2\r\nHost: h\r\n\r\n"));
	EXPECT_EQ(505, req_status("GET / HTTP/0.9\r\n\r\n"));
}

TEST(HttpReq, BadContentLengthIs400)
{
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1 2\r\n\r\n"));
	EXPECT_EQ(413,
		  req_status("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 4294967296\r\n\r\n"));
	EXPECT_EQ(400, req_status("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
				  "Content-Length: 1\r\n\r\n"));
	ReqResult res = parse_req(
		"GET / HTTP/1.1\r\nHost: h\r\ncontent-length:  4294967294 \r\n\r\n");
	EXPECT_RC(HTTP_AGAIN, res.rc);
	EXPECT_EQ(4294967294u, res.r.body_left);
}

TEST(HttpReq, TransferEncodingChunkedWithoutBodyIsAgain)
{
	EXPECT_RC(HTTP_AGAIN,
		  parse_req("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n").rc);
}

TEST(HttpReq, KeepAlive11Default)
{
	ReqResult res = parse_req("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_TRUE(http_req_keepalive(&res.r));
}

TEST(HttpReq, KeepAlive11WithCloseCloses)
{
	ReqResult res = parse_req(
		"GET / HTTP/1.1\r\nHost: h\r\nconnection: Upgrade, CLOSE\r\n\r\n");
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_FALSE(http_req_keepalive(&res.r));
}

TEST(HttpReq, KeepAlive10DefaultCloses)
{
	ReqResult res = parse_req("GET / HTTP/1.0\r\n\r\n");
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_FALSE(http_req_keepalive(&res.r));
}

TEST(HttpReq, KeepAlive10WithKeepAliveStaysOpen)
{
	ReqResult res = parse_req("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_TRUE(http_req_keepalive(&res.r));
	res = parse_req("GET / HTTP/1.0\r\nConnection: keep-alives\r\n\r\n");
	EXPECT_FALSE(http_req_keepalive(&res.r));
}

bool
accepts_gzip(const std::string &ae)
{
	ReqResult res = parse_req("GET / HTTP/1.1\r\nHost: h\r\nAccept-Encoding: " + ae +
				  "\r\n\r\n");
	EXPECT_RC(HTTP_OK, res.rc) << ae;
	return (res.r.flags & HTTP_F_GZIP) != 0;
}

TEST(HttpReq, AcceptEncodingGzipDetected)
{
	EXPECT_TRUE(accepts_gzip("gzip"));
	EXPECT_TRUE(accepts_gzip("GZip"));
	EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
	EXPECT_TRUE(accepts_gzip("br,gzip"));
	EXPECT_TRUE(accepts_gzip("deflate, gzip;q=1.0, *;q=0.5"));
	EXPECT_TRUE(accepts_gzip("gzip ; q=0.001"));
	EXPECT_TRUE(accepts_gzip("gzip;level=1;q=0.5"));
	EXPECT_FALSE(accepts_gzip(""));
	EXPECT_FALSE(accepts_gzip("deflate, br"));
	EXPECT_FALSE(accepts_gzip("gzipx"));
	EXPECT_FALSE(accepts_gzip("xgzip"));
	EXPECT_FALSE(accepts_gzip("*"));
}

TEST(HttpReq, AcceptEncodingGzipQZeroIsNotAccepted)
{
	EXPECT_FALSE(accepts_gzip("gzip;q=0"));
	EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
	EXPECT_FALSE(accepts_gzip("br, gzip;q=0, deflate"));
	EXPECT_FALSE(accepts_gzip("gzip;Q=0.0"));
}

TEST(HttpReq, AcceptEncodingXGzipIsGzip)
{
	/* RFC 9110 8.4.1.3: x-gzip is to be treated as gzip. */
	EXPECT_TRUE(accepts_gzip("x-gzip"));
	EXPECT_FALSE(accepts_gzip("x-gzip;q=0"));
}

/* ---- response parser ---- */

struct RespResult {
	int rc;
	uint32_t used;
	http_resp r;

	std::string str() const
	{
		char b[160];
		snprintf(b, sizeof(b), "%s used=%u status=%u minor=%u flags=%#x body=%llu",
			 rc_name(rc).c_str(), used, r.status, r.minor, r.flags,
			 (unsigned long long)r.body_bytes);
		return b;
	}
};

RespResult
parse_resp(const std::string &s, bool head = false)
{
	RespResult res;
	http_resp_init(&res.r, head);
	res.rc = http_resp_parse(&res.r, bytes(s), (uint32_t)s.size(), &res.used);
	return res;
}

void
expect_resp_split_invariant(const std::string &s, bool head = false)
{
	RespResult whole = parse_resp(s, head);
	for (size_t k = 0; k <= s.size(); k++) {
		RespResult res;
		uint32_t u1 = 0, u2 = 0;
		http_resp_init(&res.r, head);
		res.rc = http_resp_parse(&res.r, bytes(s), (uint32_t)k, &u1);
		res.used = u1;
		if (res.rc == HTTP_AGAIN) {
			EXPECT_EQ(u1, k);
			res.rc = http_resp_parse(&res.r, bytes(s) + k, (uint32_t)(s.size() - k),
						 &u2);
			res.used += u2;
		}
		EXPECT_EQ(whole.str(), res.str()) << "split at " << k;
	}
}

TEST(HttpResp, ContentLengthBody)
{
	std::string s = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhelloHTTP";
	RespResult res = parse_resp(s);
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_EQ(s.size() - 4, res.used);
	EXPECT_EQ(200, res.r.status);
	EXPECT_EQ(5u, res.r.body_bytes);
	EXPECT_TRUE(http_resp_keepalive(&res.r));
	expect_resp_split_invariant(s);
}

TEST(HttpResp, ChunkedSplitAtEveryByte)
{
	std::string s = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
			"5\r\nhello\r\n1A;ext=\"v\"\r\nabcdefghijklmnopqrstuvwxyz\r\n"
			"0\r\nTrailer: x\r\n\r\n";
	RespResult res = parse_resp(s + "NEXT");
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_EQ(s.size(), res.used);
	EXPECT_EQ(31u, res.r.body_bytes);
	EXPECT_TRUE(res.r.flags & HTTP_F_CHUNKED);
	expect_resp_split_invariant(s);
}

TEST(HttpResp, ChunkedOverridesContentLength)
{
	std::string s =
		"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
		"3\r\nabc\r\n0\r\n\r\n";
	RespResult res = parse_resp(s);
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_EQ(3u, res.r.body_bytes);
}

TEST(HttpResp, BadChunkSizeIsError)
{
	EXPECT_RC(HTTP_ERROR,
		  parse_resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").rc);
	EXPECT_RC(HTTP_ERROR, parse_resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
					 "2\r\nabc\r\n")
				      .rc);
	EXPECT_RC(HTTP_ERROR, parse_resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
					 "10000000000000000\r\n")
				      .rc);
}

TEST(HttpResp, ContinueThen200)
{
	std::string s =
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	RespResult res = parse_resp(s);
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_EQ(200, res.r.status);
	EXPECT_EQ(2u, res.r.body_bytes);
	EXPECT_EQ(s.size(), res.used);
	expect_resp_split_invariant(s);
}

TEST(HttpResp, NoContentHasNoBody)
{
	std::string s = "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n";
	RespResult res = parse_resp(s + "HTTP/1.1");
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_EQ(s.size(), res.used);
	EXPECT_EQ(0u, res.r.body_bytes);
	res = parse_resp("HTTP/1.1 304 Not Modified\r\n\r\n");
	EXPECT_RC(HTTP_OK, res.rc);
}

TEST(HttpResp, HeadWithContentLengthHasNoBody)
{
	std::string s = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
	RespResult res = parse_resp(s, true);
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_EQ(s.size(), res.used);
	EXPECT_EQ(0u, res.r.body_bytes);
	expect_resp_split_invariant(s, true);
}

TEST(HttpResp, CloseDelimitedBodyEndsAtEof)
{
	std::string s = "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nsome body";
	RespResult res = parse_resp(s);
	ASSERT_RC(HTTP_AGAIN, res.rc);
	EXPECT_TRUE(res.r.flags & HTTP_F_UNTIL_CLOSE);
	uint32_t used;
	EXPECT_RC(HTTP_AGAIN, http_resp_parse(&res.r, bytes("more"), 4, &used));
	EXPECT_EQ(13u, res.r.body_bytes);
	EXPECT_FALSE(http_resp_keepalive(&res.r));
	EXPECT_RC(HTTP_OK, http_resp_eof(&res.r));
}

TEST(HttpResp, EofMidResponseIsError)
{
	RespResult res = parse_resp("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel");
	ASSERT_RC(HTTP_AGAIN, res.rc);
	EXPECT_RC(HTTP_ERROR, http_resp_eof(&res.r));
	res = parse_resp("HTTP/1.1 200 OK\r\nContent-");
	EXPECT_RC(HTTP_ERROR, http_resp_eof(&res.r));
}

TEST(HttpResp, KeepAliveRules)
{
	RespResult res = parse_resp("HTTP/1.1 200 OK\r\nConnection: close\r\n"
				    "Content-Length: 0\r\n\r\n");
	EXPECT_FALSE(http_resp_keepalive(&res.r));
	res = parse_resp("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
	EXPECT_FALSE(http_resp_keepalive(&res.r));
	res = parse_resp("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n");
	EXPECT_TRUE(http_resp_keepalive(&res.r));
	res = parse_resp("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
	EXPECT_TRUE(http_resp_keepalive(&res.r));
}

TEST(HttpResp, MalformedStatusLineIsError)
{
	EXPECT_RC(HTTP_ERROR, parse_resp("HTTP/2.0 200 OK\r\n\r\n").rc);
	EXPECT_RC(HTTP_ERROR, parse_resp("HTTP/1.1 20 OK\r\n\r\n").rc);
	EXPECT_RC(HTTP_ERROR, parse_resp("HTTP/1.1 200OK\r\n\r\n").rc);
	EXPECT_RC(HTTP_ERROR, parse_resp("http/1.1 200 OK\r\n\r\n").rc);
	EXPECT_RC(HTTP_ERROR, parse_resp("HTTP/1.1 101 Switching\r\n\r\n").rc);
	EXPECT_RC(HTTP_ERROR, parse_resp("HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n").rc);
	EXPECT_RC(HTTP_OK, parse_resp("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n").rc);
}

/* ---- server responses ---- */

struct ServerDeleter {
	void operator()(http_server *s) const { http_server_free(s); }
};
using ServerPtr = std::unique_ptr<http_server, ServerDeleter>;

ServerPtr
make_server(http_server_conf c)
{
	char err[256] = "";
	http_server *s = http_server_create(&c, err, sizeof(err));
	EXPECT_NE(nullptr, s) << err;
	return ServerPtr(s);
}

/* One generation of s's responses, its Date showing date. */
std::vector<uint8_t>
gen_of(const http_server *s, time_t date)
{
	std::vector<uint8_t> gen(http_server_gen_size(s));
	http_server_gen_fill(s, gen.data(), date);
	return gen;
}

/* Both chunks of the response to r from generation gen (iov, when given, gets them). */
std::string
respond_req(const http_server *s, const http_req &r, const std::vector<uint8_t> &gen,
	    int *rc = nullptr, http_iov *iov = nullptr)
{
	http_iov out[2];
	int x = http_server_response(s, &r, gen.data(), out);
	if (rc != nullptr)
		*rc = x;
	if (iov != nullptr)
		iov[0] = out[0], iov[1] = out[1];
	return std::string(reinterpret_cast<const char *>(out[0].base), out[0].len) +
	       std::string(reinterpret_cast<const char *>(out[1].base), out[1].len);
}

std::string
respond(const http_server *s, const std::string &req, int *rc = nullptr, time_t date = 784111777,
	http_iov *iov = nullptr)
{
	http_req r;
	uint32_t used;
	http_req_init(&r);
	http_req_parse(&r, bytes(req), (uint32_t)req.size(), &used, nullptr, 0);
	return respond_req(s, r, gen_of(s, date), rc, iov);
}

const std::regex imf_date("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] "
			  "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
			  "[0-2][0-9]:[0-5][0-9]:[0-6][0-9] GMT");

/* Replace the Date value by "<date>" after checking its format. */
std::string
strip_date(const std::string &resp)
{
	size_t d = resp.find("\r\nDate: ");
	EXPECT_NE(std::string::npos, d);
	if (d == std::string::npos)
		return resp;
	d += 8;
	size_t e = resp.find("\r\n", d);
	std::string date = resp.substr(d, e - d);
	EXPECT_EQ(29u, date.size()) << date;
	EXPECT_TRUE(std::regex_match(date, imf_date)) << date;
	return resp.substr(0, d) + "<date>" + resp.substr(e);
}

std::string
gunzip(const std::string &in)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	EXPECT_EQ(Z_OK, inflateInit2(&zs, 31));
	std::string out;
	std::vector<char> buf(1 << 20);
	zs.next_in = (Bytef *)in.data();
	zs.avail_in = (uInt)in.size();
	int ret;
	do {
		zs.next_out = (Bytef *)buf.data();
		zs.avail_out = (uInt)buf.size();
		ret = inflate(&zs, Z_NO_FLUSH);
		out.append(buf.data(), buf.size() - zs.avail_out);
	} while (ret == Z_OK);
	EXPECT_EQ(Z_STREAM_END, ret);
	inflateEnd(&zs);
	return out;
}

TEST(HttpDate, KnownVector)
{
	char d[29];
	http_date_format(784111777, d);
	EXPECT_EQ("Sun, 06 Nov 1994 08:49:37 GMT", std::string(d, 29));
	http_date_format(0, d);
	EXPECT_EQ("Thu, 01 Jan 1970 00:00:00 GMT", std::string(d, 29));
}

TEST(HttpServer, GetResponseExactHeaders)
{
	http_server_conf c = {};
	c.body_size = 40;
	ServerPtr s = make_server(c);
	ASSERT_NE(nullptr, s);
	int rc;
	std::string got = respond(s.get(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n", &rc);
	EXPECT_EQ("HTTP/1.1 200 OK\r\nServer: synack\r\nDate: <date>\r\n"
		  "Content-Type: text/plain\r\nContent-Length: 40\r\n\r\n"
		  "abcdefghijklmnopqrstuvwxyz0123456789\nabc",
		  strip_date(got));
	EXPECT_EQ(HTTP_SERVER_KEEP, rc);
}

TEST(HttpServer, EachGenerationShowsItsOwnDate)
{
	http_server_conf c = {};
	ServerPtr s = make_server(c);
	ASSERT_NE(nullptr, s);
	std::vector<uint8_t> g1 = gen_of(s.get(), 784111777), g2 = gen_of(s.get(), 784111778);
	http_req get, put;
	uint32_t used;
	std::string rq = "GET / HTTP/1.1\r\nHost: h\r\n\r\n", rp = "PUT / HTTP/1.1\r\n\r\n";
	http_req_init(&get);
	http_req_parse(&get, bytes(rq), (uint32_t)rq.size(), &used, nullptr, 0);
	http_req_init(&put);
	http_req_parse(&put, bytes(rp), (uint32_t)rp.size(), &used, nullptr, 0);
	const char *d1 = "\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n";
	const char *d2 = "\r\nDate: Sun, 06 Nov 1994 08:49:38 GMT\r\n";
	/* filling g2 left g1 as it was: answers from g1 still show its second */
	EXPECT_NE(std::string::npos, respond_req(s.get(), get, g1).find(d1));
	EXPECT_NE(std::string::npos, respond_req(s.get(), put, g1).find(d1));
	EXPECT_NE(std::string::npos, respond_req(s.get(), get, g2).find(d2));
	EXPECT_NE(std::string::npos, respond_req(s.get(), put, g2).find(d2));
	EXPECT_EQ(strip_date(respond_req(s.get(), get, g1)),
		  strip_date(respond_req(s.get(), get, g2)));
}

TEST(HttpServer, TickPublishesTheSecondOnTheClock)
{
	http_server_conf c = {};
	time_t before = time(nullptr);
	ServerPtr s = make_server(c);
	ASSERT_NE(nullptr, s);
	const volatile time_t *clk = http_server_clock(s.get());
	EXPECT_GE(*clk, before);
	EXPECT_LE(*clk, time(nullptr));
	http_server_tick(s.get(), 784111777);
	EXPECT_EQ(784111777, *clk);
}

TEST(HttpServer, ShortBodyIsOneChunkInTheGenerationLongBodyASecond)
{
	http_server_conf c = {};
	c.body_size = 64;
	ServerPtr s = make_server(c);
	ASSERT_NE(nullptr, s);
	http_iov iov[2];
	std::string got = respond(s.get(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n", nullptr, 784111777,
				  iov);
	EXPECT_EQ(0u, iov[1].len);
	EXPECT_EQ(64u, got.size() - (got.find("\r\n\r\n") + 4));

	c.body_size = 5000;
	s = make_server(c);
	ASSERT_NE(nullptr, s);
	got = respond(s.get(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n", nullptr, 784111777, iov);
	size_t hend = got.find("\r\n\r\n") + 4;
	EXPECT_EQ(hend, iov[0].len);
	EXPECT_EQ(5000u, iov[1].len);
	/* the second chunk is the shared body, the one registered for zero copy */
	http_iov b[6];
	ASSERT_EQ(3u, http_server_bodies(s.get(), b, 6)); /* one per connection variant */
	EXPECT_EQ(http_server_body(s.get(), false).base, iov[1].base);
	EXPECT_EQ(b[0].base, iov[1].base);
	EXPECT_EQ(b[0].len, iov[1].len);
	/* HEAD: the headers only, one chunk */
	std::string head = respond(s.get(), "HEAD / HTTP/1.1\r\nHost: h\r\n\r\n", nullptr,
				   784111777, iov);
	EXPECT_EQ(0u, iov[1].len);
	EXPECT_EQ(got.substr(0, hend), head);
}

TEST(HttpServer, ConnectionVariants)
{
	http_server_conf c = {};
	c.body_size = 3;
	c.server_name = "";
	c.content_type = "application/octet-stream";
	c.extra_headers = "X-A: 1\nX-B: 2";
	ServerPtr s = make_server(c);
	ASSERT_NE(nullptr, s);
	int rc;
	EXPECT_EQ("HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: application/octet-stream\r\n"
		  "Content-Length: 3\r\nConnection: close\r\nX-A: 1\r\nX-B: 2\r\n\r\nabc",
		  strip_date(respond(
			  s.get(), "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", &rc)));
	EXPECT_EQ(HTTP_SERVER_CLOSE, rc);
	EXPECT_EQ("HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: application/octet-stream\r\n"
		  "Content-Length: 3\r\nConnection: keep-alive\r\nX-A: 1\r\nX-B: 2\r\n\r\nabc",
		  strip_date(respond(s.get(), "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
				     &rc)));
	EXPECT_EQ(HTTP_SERVER_KEEP, rc);
	respond(s.get(), "GET / HTTP/1.0\r\n\r\n", &rc);
	EXPECT_EQ(HTTP_SERVER_CLOSE, rc);
}

TEST(HttpServer, ContentLengthMatchesBody)
{
	http_server_conf c = {};
	c.body_size = 12345;
	ServerPtr s = make_server(c);
	ASSERT_NE(nullptr, s);
	std::string got = respond(s.get(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
	size_t hend = got.find("\r\n\r\n") + 4;
	EXPECT_EQ(12345u, got.size() - hend);
	EXPECT_NE(std::string::npos, got.find("\r\nContent-Length: 12345\r\n"));
	/* And our own client parser agrees. */
	RespResult res = parse_resp(got);
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_EQ(12345u, res.r.body_bytes);
}

TEST(HttpServer, RoutesAnswerTheirStatusSizeAndType)
{
	const uint32_t one[] = {100}, mix[] = {10, 1000}, mixw[] = {3, 1}, zero[] = {0};
	const uint32_t w1[] = {1};
	http_route_conf routes[] = {
		{"/a", nullptr, 200, 1, one, w1},
		{"/mix", "text/html", 200, 2, mix, mixw},
		{"/gone", nullptr, 404, 1, zero, w1},
	};
	http_server_conf c = {};
	c.body_size = 7;
	c.routes = routes;
	c.nb_routes = 3;
	ServerPtr s = make_server(c);
	ASSERT_NE(nullptr, s);
	std::string a = respond(s.get(), "GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
	EXPECT_NE(std::string::npos, a.find("\r\nContent-Length: 100\r\n")) << a;
	a = respond(s.get(), "GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\n");
	EXPECT_NE(std::string::npos, a.find("\r\nContent-Length: 100\r\n")) << "query ignored";
	std::string g = respond(s.get(), "GET /gone HTTP/1.1\r\nHost: h\r\n\r\n");
	EXPECT_EQ(0u, g.find("HTTP/1.1 404 Not Found\r\n")) << g;
	EXPECT_NE(std::string::npos, g.find("\r\nContent-Length: 0\r\n"));
	std::string d = respond(s.get(), "GET /other HTTP/1.1\r\nHost: h\r\n\r\n");
	EXPECT_NE(std::string::npos, d.find("\r\nContent-Length: 7\r\n")) << "the default";
	/* the mix: weights 3:1 over rnd */
	http_req r;
	uint32_t used;
	std::string m = "GET /mix HTTP/1.1\r\nHost: h\r\n\r\n";
	http_req_init(&r);
	ASSERT_RC(HTTP_OK, http_req_parse(&r, bytes(m), (uint32_t)m.size(), &used, nullptr, 0));
	unsigned small = 0, big = 0;
	for (uint32_t rnd = 0; rnd < 4000; rnd++) {
		uint32_t n = http_server_body_len(s.get(), &r, rnd);
		small += n == 10;
		big += n == 1000;
		EXPECT_EQ(200, http_server_status(s.get(), &r, rnd));
	}
	EXPECT_EQ(3000u, small);
	EXPECT_EQ(1000u, big);
	std::vector<uint8_t> gen = gen_of(s.get(), 784111777);
	http_iov out[2];
	http_server_response_r(s.get(), &r, 3, gen.data(), out);
	std::string got = std::string(reinterpret_cast<const char *>(out[0].base), out[0].len) +
			  std::string(reinterpret_cast<const char *>(out[1].base), out[1].len);
	EXPECT_NE(std::string::npos, got.find("\r\nContent-Type: text/html\r\n")) << got;
	EXPECT_NE(std::string::npos, got.find("\r\nContent-Length: 1000\r\n")) << got;
	EXPECT_EQ(1000u, got.size() - (got.find("\r\n\r\n") + 4));
}

TEST(HttpServer, HeadHasNoBody)
{
	http_server_conf c = {};
	c.body_size = 100;
	ServerPtr s = make_server(c);
	ASSERT_NE(nullptr, s);
	std::string get = respond(s.get(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
	std::string head = respond(s.get(), "HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
	EXPECT_EQ(get.substr(0, get.size() - 100), head);
	EXPECT_EQ("\r\n\r\n", head.substr(head.size() - 4));
	EXPECT_RC(HTTP_OK, parse_resp(head, true).rc);
}

TEST(HttpServer, ErrorResponsesClose)
{
	http_server_conf c = {};
	ServerPtr s = make_server(c);
	ASSERT_NE(nullptr, s);
	int rc;
	EXPECT_EQ("HTTP/1.1 405 Method Not Allowed\r\nServer: synack\r\nDate: <date>\r\n"
		  "Content-Type: text/plain\r\nContent-Length: 23\r\n"
		  "Allow: GET, HEAD, POST, PUT, DELETE, OPTIONS\r\n"
		  "Connection: close\r\n\r\n405 Method Not Allowed\n",
		  strip_date(respond(s.get(), "PATCH / HTTP/1.1\r\n", &rc)));
	EXPECT_EQ(HTTP_SERVER_CLOSE, rc);
	struct {
		const char *req;
		const char *line;
	} cases[] = {
		{"GET / HTTP/1.1\r\nX\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"},
		{"GET / HTTP/3.0\r\n", "HTTP/1.1 505 HTTP Version Not Supported\r\n"},
		{"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
		 "HTTP/1.1 501 Not Implemented\r\n"},
	};
	for (auto &cs : cases) {
		std::string got = respond(s.get(), cs.req, &rc);
		EXPECT_EQ(0u, got.find(cs.line)) << got;
		EXPECT_NE(std::string::npos, got.find("\r\nConnection: close\r\n"));
		EXPECT_EQ(HTTP_SERVER_CLOSE, rc);
		RespResult res = parse_resp(got);
		EXPECT_RC(HTTP_OK, res.rc);
	}
	http_req r;
	http_req_init(&r);
	r.status = 431;
	std::string got = respond_req(s.get(), r, gen_of(s.get(), 784111777));
	EXPECT_EQ(0u, got.find("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
}

TEST(HttpServer, GzipBodyDecompressesToIdentity)
{
	http_server_conf c = {};
	c.body_size = 100000;
	c.gzip = true;
	ServerPtr s = make_server(c);
	ASSERT_NE(nullptr, s);
	http_iov id = http_server_body(s.get(), false);
	std::string ident((const char *)id.base, id.len);
	ASSERT_EQ(100000u, ident.size());

	std::string got = respond(s.get(), "GET / HTTP/1.1\r\nHost: h\r\n"
					   "Accept-Encoding: gzip, deflate\r\n\r\n");
	size_t hend = got.find("\r\n\r\n") + 4;
	std::string headers = got.substr(0, hend), body = got.substr(hend);
	EXPECT_NE(std::string::npos, headers.find("\r\nContent-Encoding: gzip\r\n"
						  "Vary: Accept-Encoding\r\n"));
	EXPECT_NE(std::string::npos,
		  headers.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n"));
	EXPECT_LT(body.size(), 2000u);
	EXPECT_EQ(ident, gunzip(body));

	/* Without gzip in Accept-Encoding, identity (which still varies). */
	got = respond(s.get(), "GET / HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip;q=0\r\n\r\n");
	EXPECT_EQ(std::string::npos, got.find("Content-Encoding"));
	EXPECT_NE(std::string::npos, got.find("\r\nVary: Accept-Encoding\r\n"));
	EXPECT_EQ(ident, got.substr(got.find("\r\n\r\n") + 4));
}

TEST(HttpServer, BodyFileIsServed)
{
	char path[] = "/tmp/synack_http_body_XXXXXX";
	int fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	std::string content = "<html>hello\x00world</html>\n";
	content += std::string(5000, 'z');
	ASSERT_EQ((ssize_t)content.size(), write(fd, content.data(), content.size()));
	close(fd);
	http_server_conf c = {};
	c.body_file = path;
	c.gzip = true;
	c.content_type = "text/html";
	ServerPtr s = make_server(c);
	unlink(path);
	ASSERT_NE(nullptr, s);
	std::string got = respond(s.get(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
	EXPECT_EQ(content, got.substr(got.find("\r\n\r\n") + 4));
	EXPECT_NE(std::string::npos, got.find("\r\nContent-Type: text/html\r\n"));
	http_iov gz = http_server_body(s.get(), true);
	EXPECT_EQ(content, gunzip(std::string((const char *)gz.base, gz.len)));
}

TEST(HttpServer, MissingBodyFileFails)
{
	http_server_conf c = {};
	c.body_file = "/nonexistent/synack/body";
	char err[256] = "";
	EXPECT_EQ(nullptr, http_server_create(&c, err, sizeof(err)));
	EXPECT_NE(std::string::npos, std::string(err).find("/nonexistent/synack/body")) << err;
}

TEST(HttpServer, BadExtraHeadersFail)
{
	http_server_conf c = {};
	c.extra_headers = "NoColonHere\r\n";
	char err[256] = "";
	EXPECT_EQ(nullptr, http_server_create(&c, err, sizeof(err)));
	EXPECT_NE(0u, strlen(err));
}

TEST(HttpServer, SixtyFourMiBBodyBuilds)
{
	http_server_conf c = {};
	c.body_size = 64u << 20;
	c.gzip = true;
	ServerPtr s = make_server(c);
	ASSERT_NE(nullptr, s);
	std::string head = respond(s.get(), "HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
	EXPECT_NE(std::string::npos, head.find("\r\nContent-Length: 67108864\r\n"));
	http_req r;
	uint32_t used;
	std::string req = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
	http_req_init(&r);
	ASSERT_RC(HTTP_OK, http_req_parse(&r, bytes(req), (uint32_t)req.size(), &used, nullptr, 0));
	std::string got = respond_req(s.get(), r, gen_of(s.get(), 784111777));
	EXPECT_EQ(head.size() + (64u << 20), got.size());
	EXPECT_EQ('\n', got[got.size() - 1 - ((64u << 20) % 37)]);
	http_iov gz = http_server_body(s.get(), true);
	EXPECT_EQ(64u << 20, gunzip(std::string((const char *)gz.base, gz.len)).size());
}

/* ---- client request template ---- */

std::string
build(const http_client_conf &c, uint32_t buflen = 1024)
{
	std::vector<uint8_t> buf(buflen);
	int n = http_client_request_build(&c, buf.data(), buflen);
	if (n < 0)
		return "<error>";
	return std::string((const char *)buf.data(), (size_t)n);
}

TEST(HttpClient, DefaultGetTemplateExactBytes)
{
	http_client_conf c = {};
	c.host = "198.18.0.2";
	c.keepalive = true;
	EXPECT_EQ("GET / HTTP/1.1\r\nHost: 198.18.0.2\r\n\r\n", build(c));
	c.keepalive = false;
	c.path = "/index.html";
	c.extra_headers = "User-Agent: synack\r\n";
	EXPECT_EQ("GET /index.html HTTP/1.1\r\nHost: 198.18.0.2\r\nConnection: close\r\n"
		  "User-Agent: synack\r\n\r\n",
		  build(c));
}

TEST(HttpClient, BodyGetsContentLength)
{
	http_client_conf c = {};
	c.method = "POST";
	c.host = "h:8080";
	c.body = (const uint8_t *)"hello";
	c.body_len = 5;
	c.keepalive = true;
	EXPECT_EQ("POST / HTTP/1.1\r\nHost: h:8080\r\nContent-Length: 5\r\n\r\nhello", build(c));
}

TEST(HttpClient, TemplateParsesOnServer)
{
	http_client_conf c = {};
	c.host = "h";
	c.path = "/p";
	c.keepalive = false;
	std::string s = build(c);
	ReqResult res = parse_req(s);
	ASSERT_RC(HTTP_OK, res.rc);
	EXPECT_FALSE(http_req_keepalive(&res.r));
}

TEST(HttpClient, InvalidFieldsOrShortBufferFail)
{
	http_client_conf c = {};
	EXPECT_EQ("<error>", build(c)); /* no host */
	c.host = "h\r\nX: y";
	EXPECT_EQ("<error>", build(c));
	c.host = "h";
	c.path = "/a b";
	EXPECT_EQ("<error>", build(c));
	c.path = "/";
	c.method = "G T";
	EXPECT_EQ("<error>", build(c));
	c.method = nullptr;
	c.extra_headers = "X: no crlf";
	EXPECT_EQ("<error>", build(c));
	c.extra_headers = nullptr;
	std::string full = build(c);
	EXPECT_EQ("<error>", build(c, (uint32_t)full.size() - 1));
	EXPECT_EQ(full, build(c, (uint32_t)full.size()));
}

} /* namespace */

/* The value, reason-phrase and request-target runs are skipped 16 bytes at a
 * time (SSE2) with a byte-at-a-time tail: every byte value at every position
 * of a 40-byte run (both paths, and the step between them) is accepted
 * exactly when RFC 9110/9112 allow it there. CR and LF end the run, so they
 * are left out. */
namespace {
bool
cv_byte(unsigned b)
{
	return b == '\t' || (b >= 0x20 && b != 0x7f);
}

bool
cu_byte(unsigned b)
{
	return b > 0x20 && b != 0x7f;
}
} // namespace

TEST(HttpRuns, EveryByteAtEveryPositionOfAValue)
{
	for (unsigned b = 0; b < 256; b++) {
		if (b == '\r' || b == '\n')
			continue;
		for (size_t pos = 0; pos < 40; pos++) {
			std::string v(40, 'v');
			v[pos] = (char)b;
			std::string resp = "HTTP/1.1 200 OK\r\nX-Run: " + v +
					   "\r\nContent-Length: 2\r\n\r\nok";
			/* a value's leading SP/HTAB is OWS, also fine */
			int want = cv_byte(b) ? HTTP_OK : HTTP_ERROR;
			EXPECT_RC(want, parse_resp(resp).rc) << "byte " << b << " at " << pos;
			std::string reason = "HTTP/1.1 200 " + v +
					     "\r\nContent-Length: 2\r\n\r\nok";
			EXPECT_RC(want, parse_resp(reason).rc)
				<< "reason byte " << b << " at " << pos;
			std::string req = "GET /" + v + " HTTP/1.1\r\nHost: h\r\n\r\n";
			EXPECT_RC(cu_byte(b) ? HTTP_OK : HTTP_ERROR, parse_req(req).rc)
				<< "target byte " << b << " at " << pos;
		}
	}
}
