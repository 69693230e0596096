/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * synack ss: the connection table and the listeners of a running synack,
 * printed like `ss -tan` and `ss -ltn` (the kernel tools cannot see a
 * userspace stack). A client of the process's DPDK telemetry socket
 * (/synack/conns, /synack/listen; telemetry.c); no EAL here.
 *
 *   synack ss [-t|-l|-a] [-u] [-i] [-H] [-s SOCKET | -f PREFIX | -p PID]
 *             [--state S] [--port P] [--addr A] [--count N]
 *
 * The table comes in pages of at most the server's max_per_call entries,
 * each a fresh snapshot (a connection that moves between pages may show
 * twice or not at all, as with ss on a busy kernel).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "app/synack/synack.h"

#define SS_BUF	    (64 * 1024)
#define SOCKET_NAME "dpdk_telemetry.v2"

struct ss_opts {
	bool tcp, listen, conns, udp, info, header;
	const char *sock, *prefix, *state, *port, *addr;
	long count; /**< -1 = all */
};

/* DPDK's runtime directory for prefix (as EAL and dpdk-telemetry.py name it). */
static void
runtime_dir(char *buf, size_t len, const char *prefix)
{
	const char *x = getenv("XDG_RUNTIME_DIR");
	int n;

	if (getuid() == 0)
		n = snprintf(buf, len, "/var/run/dpdk/%s", prefix);
	else
		n = snprintf(buf, len, "%s/dpdk/%s", x != NULL ? x : "/tmp", prefix);
	if (n < 0 || (size_t)n >= len)
		buf[0] = '\0';
}

static int
tel_connect(const char *path, char *buf, size_t len)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	ssize_t n;

	if (fd < 0)
		return -1;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		close(fd);
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		close(fd);
		return -1;
	}
	n = recv(fd, buf, len - 1, 0); /* the server's greeting */
	if (n <= 0) {
		close(fd);
		return -1;
	}
	buf[n] = '\0';
	return fd;
}

/* The socket: given, from a prefix or pid, or the one synack-* there is. */
static int
find_socket(const struct ss_opts *o, char *path, size_t len)
{
	char dir[PATH_MAX], base[PATH_MAX], found[8][PATH_MAX];
	unsigned int nf = 0;
	struct dirent *e;
	DIR *d;

	if (o->sock != NULL) {
		snprintf(path, len, "%s", o->sock);
		return 0;
	}
	if (o->prefix != NULL) {
		runtime_dir(dir, sizeof(dir), o->prefix);
		if (snprintf(path, len, "%s/%s", dir, SOCKET_NAME) >= (int)len)
			return -1;
		return 0;
	}
	runtime_dir(base, sizeof(base), "");
	d = opendir(base);
	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			struct stat st;
			char p[PATH_MAX * 2];

			if (strncmp(e->d_name, "synack-", 7) != 0)
				continue;
			if (snprintf(p, sizeof(p), "%s%s/%s", base, e->d_name, SOCKET_NAME) >=
			    (int)sizeof(p))
				continue;
			if (stat(p, &st) != 0 || !S_ISSOCK(st.st_mode))
				continue;
			if (nf < RTE_DIM(found))
				snprintf(found[nf], sizeof(found[nf]), "%.*s", PATH_MAX - 1, p);
			nf++;
		}
		closedir(d);
	}
	if (nf == 1) {
		snprintf(path, len, "%s", found[0]);
		return 0;
	}
	if (nf == 0)
		fprintf(stderr,
			"synack ss: no running synack found under %s (give -s SOCKET, "
			"-f PREFIX or -p PID)\n",
			base);
	else {
		fprintf(stderr, "synack ss: %u synack processes, choose one with -s:\n", nf);
		for (unsigned int i = 0; i < nf && i < RTE_DIM(found); i++)
			fprintf(stderr, "  %s\n", found[i]);
	}
	return -1;
}

/* Send cmd, receive the answer (one message) into buf. */
static int
tel_cmd(int fd, const char *cmd, char *buf, size_t len)
{
	ssize_t n;

	if (send(fd, cmd, strlen(cmd), 0) < 0)
		return -1;
	n = recv(fd, buf, len - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* The number after "key": in json; -1 when absent. */
static long long
json_num(const char *json, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	if (p == NULL)
		return -1;
	return strtoll(p + strlen(pat), NULL, 10);
}

/*
 * The strings of the array "key": [...] in json, each passed to fn. Our
 * strings hold no quotes or escapes (addresses, names, numbers).
 */
static int
json_strings(const char *json, const char *key, void (*fn)(const char *s, void *arg), void *arg)
{
	char pat[64], v[512];
	const char *p, *q;
	int n = 0;

	snprintf(pat, sizeof(pat), "\"%s\":[", key);
	p = strstr(json, pat);
	if (p == NULL)
		return -1;
	p += strlen(pat);
	while (*p == '"') {
		q = strchr(p + 1, '"');
		if (q == NULL || (size_t)(q - p - 1) >= sizeof(v))
			return -1;
		memcpy(v, p + 1, (size_t)(q - p - 1));
		v[q - p - 1] = '\0';
		fn(v, arg);
		n++;
		p = q + 1;
		if (*p == ',')
			p++;
	}
	return n;
}

static const char *
ss_state(const char *st)
{
	if (strcmp(st, "ESTABLISHED") == 0)
		return "ESTAB";
	if (strcmp(st, "SYN-RECEIVED") == 0)
		return "SYN-RECV";
	return st;
}

/* "state local remote worker port send_q flight srtt_us rto_ms cwnd retrans" */
static void
print_conn(const char *s, void *arg)
{
	const struct ss_opts *o = arg;
	char st[24], l[32], r[32];
	unsigned int w, port, rto, retrans;
	uint32_t sendq, flight, srtt, cwnd;

	if (sscanf(s, "%23s %31s %31s %u %u %" SCNu32 " %" SCNu32 " %" SCNu32 " %u %" SCNu32 " %u",
		   st, l, r, &w, &port, &sendq, &flight, &srtt, &rto, &cwnd, &retrans) != 11) {
		printf("?? %s\n", s);
		return;
	}
	/* Recv-Q is 0: in-order bytes go to the application at once */
	printf("%-10s %-6u %-6" PRIu32 " %-24s %-24s\n", ss_state(st), 0u, sendq, l, r);
	if (o->info)
		printf("\t worker:%u port:%u rtt:%.3f rto:%u cwnd:%" PRIu32 " unacked:%" PRIu32
		       " retrans:%u\n",
		       w, port, (double)srtt / 1000.0, rto, cwnd, flight, retrans);
}

/* "W IP:PORT [kind]" */
static void
print_listen(const char *s, void *arg)
{
	const char *proto = arg;
	char l[32], kind[16] = "";
	unsigned int w;

	if (sscanf(s, "%u %31s %15s", &w, l, kind) < 2) {
		printf("?? %s\n", s);
		return;
	}
	printf("%-5s %-10s %-6u %-6u %-24s %-24s worker:%u%s%s\n", proto,
	       proto[0] == 't' ? "LISTEN" : "UNCONN", 0u, 0u, l, "0.0.0.0:*", w, kind[0] ? " " : "",
	       kind);
}

static int
show_conns(int fd, const struct ss_opts *o, char *buf)
{
	char cmd[512];
	long long total = -1, got = 0;
	int off;

	if (o->header)
		printf("%-10s %-6s %-6s %-24s %-24s\n", "State", "Recv-Q", "Send-Q",
		       "Local Address:Port", "Peer Address:Port");
	for (;;) {
		long long shown;

		off = snprintf(cmd, sizeof(cmd), "/synack/conns,offset=%lld", got);
		if (o->state != NULL)
			off += snprintf(cmd + off, sizeof(cmd) - (size_t)off, ",state=%s",
					o->state);
		if (o->port != NULL)
			off += snprintf(cmd + off, sizeof(cmd) - (size_t)off, ",port=%s", o->port);
		if (o->addr != NULL)
			off += snprintf(cmd + off, sizeof(cmd) - (size_t)off, ",addr=%s", o->addr);
		if (o->count >= 0)
			snprintf(cmd + off, sizeof(cmd) - (size_t)off, ",count=%lld",
				 o->count - got);
		if (tel_cmd(fd, cmd, buf, SS_BUF) != 0) {
			fprintf(stderr, "synack ss: telemetry: %s\n", strerror(errno));
			return EXIT_FAILED;
		}
		total = json_num(buf, "total");
		shown = json_num(buf, "shown");
		if (total < 0 || shown < 0) {
			fprintf(stderr, "synack ss: %s: %s\n", cmd, buf);
			return EXIT_FAILED;
		}
		json_strings(buf, "conns", print_conn, (void *)o);
		got += shown;
		if (shown == 0 || got >= total || (o->count >= 0 && got >= o->count))
			break;
	}
	return EXIT_DONE;
}

static int
show_listen(int fd, const struct ss_opts *o, char *buf)
{
	if (tel_cmd(fd, "/synack/listen", buf, SS_BUF) != 0) {
		fprintf(stderr, "synack ss: telemetry: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	if (json_num(buf, "tcp_total") < 0) {
		fprintf(stderr, "synack ss: /synack/listen: %s\n", buf);
		return EXIT_FAILED;
	}
	if (o->header)
		printf("%-5s %-10s %-6s %-6s %-24s %-24s\n", "Netid", "State", "Recv-Q", "Send-Q",
		       "Local Address:Port", "Peer Address:Port");
	if (o->tcp)
		json_strings(buf, "tcp", print_listen, (void *)"tcp");
	if (o->udp)
		json_strings(buf, "udp", print_listen, (void *)"udp");
	return EXIT_DONE;
}

static void
ss_usage(FILE *f)
{
	fprintf(f,
		"usage: synack ss [-t|-l|-a] [-u] [-i] [-H] [-s SOCKET | -f PREFIX | -p PID]\n"
		"                 [--state S] [--port P] [--addr A] [--count N]\n"
		"\n"
		"  (default)         the TCP connection table, as ss -tan\n"
		"  -l, --listening   listening TCP ports, as ss -ltn (with -u: bound UDP ports)\n"
		"  -a, --all         both\n"
		"  -t, --tcp / -u, --udp  which protocols the listener list shows (default tcp)\n"
		"  -i, --info        per connection: worker, rtt (ms), rto, cwnd, unacked, retrans\n"
		"  -n, --numeric     accepted; addresses are always numeric\n"
		"  -H, --no-header   no header line\n"
		"  -s, --socket PATH the telemetry socket (synack prints it at start)\n"
		"  -f, --file-prefix PREFIX  the EAL file prefix ([run] file_prefix)\n"
		"  -p, --pid PID     the synack process PID (prefix synack-PID)\n"
		"      --state S     ESTAB, SYN-SENT, SYN-RECV, FIN-WAIT-1, ..., TIME-WAIT\n"
		"      --port P      local or remote port\n"
		"      --addr A      local or remote IPv4 address\n"
		"  -c, --count N     at most N connections\n"
		"Without -s/-f/-p: the one synack-* runtime directory with a socket.\n");
}

int
ss_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"listening", no_argument, NULL, 'l'},
		{"all", no_argument, NULL, 'a'},
		{"tcp", no_argument, NULL, 't'},
		{"udp", no_argument, NULL, 'u'},
		{"info", no_argument, NULL, 'i'},
		{"numeric", no_argument, NULL, 'n'},
		{"no-header", no_argument, NULL, 'H'},
		{"socket", required_argument, NULL, 's'},
		{"file-prefix", required_argument, NULL, 'f'},
		{"pid", required_argument, NULL, 'p'},
		{"state", required_argument, NULL, 'S'},
		{"port", required_argument, NULL, 'P'},
		{"addr", required_argument, NULL, 'A'},
		{"count", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct ss_opts o = {.conns = true, .header = true, .count = -1};
	char path[PATH_MAX], prefix[64], *buf;
	bool want_tcp = false;
	int c, fd, rc = EXIT_DONE;

	optind = 1;
	while ((c = getopt_long(argc, argv, "laTtuinHs:f:p:c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			o.listen = true;
			o.conns = false;
			break;
		case 'a':
			o.listen = o.conns = true;
			break;
		case 't':
			want_tcp = true;
			break;
		case 'u':
			o.udp = true;
			break;
		case 'i':
			o.info = true;
			break;
		case 'n':
			break;
		case 'H':
			o.header = false;
			break;
		case 's':
			o.sock = optarg;
			break;
		case 'f':
			o.prefix = optarg;
			break;
		case 'p':
			snprintf(prefix, sizeof(prefix), "synack-%s", optarg);
			o.prefix = prefix;
			break;
		case 'S':
			o.state = optarg;
			break;
		case 'P':
			o.port = optarg;
			break;
		case 'A':
			o.addr = optarg;
			break;
		case 'c':
			o.count = strtol(optarg, NULL, 10);
			if (o.count < 0) {
				fprintf(stderr, "synack ss: --count %s: not a count\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			ss_usage(stdout);
			return EXIT_DONE;
		default:
			ss_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "synack ss: unexpected '%s'\n", argv[optind]);
		ss_usage(stderr);
		return EXIT_USAGE;
	}
	o.tcp = want_tcp || !o.udp;
	if (find_socket(&o, path, sizeof(path)) != 0)
		return EXIT_USAGE;
	buf = malloc(SS_BUF);
	if (buf == NULL)
		return EXIT_USAGE;
	fd = tel_connect(path, buf, SS_BUF);
	if (fd < 0) {
		fprintf(stderr, "synack ss: cannot connect to %s: %s\n", path, strerror(errno));
		free(buf);
		return EXIT_USAGE;
	}
	if (o.listen)
		rc = show_listen(fd, &o, buf);
	if (rc == EXIT_DONE && o.conns && o.tcp) {
		if (o.listen)
			printf("\n");
		rc = show_conns(fd, &o, buf);
	}
	close(fd);
	free(buf);
	return rc;
}
