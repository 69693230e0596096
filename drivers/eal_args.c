/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL arguments derived from the port list when the user gave none after
 * "--": which devices EAL may probe (-a per PCI port, --vdev per vdev port,
 * --no-pci when there is no PCI port so EAL leaves the VM's own NIC alone),
 * how lcores map onto the CPUs this process may run on, and the memory mode
 * (hugepages when some are free, else --no-huge). net_ring links need no
 * argument: port_resolve() creates them in-process.
 *
 * Runs before EAL init: no DPDK calls here beyond constants.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_config.h>

#include "drivers/port.h"

#define HUGEPAGES_FREE_PATH "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"
#define NOHUGE_DEFAULT_MB   512
#define EAL_ARGS_MAX	    (18 + 2 * PORT_MAX * 2)

struct argv_buf {
	char **v;
	int n;
	int cap;
	bool oom;
};

static void
argv_add(struct argv_buf *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (a->oom)
		return;
	if (a->n + 1 >= a->cap) {
		a->oom = true;
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		a->oom = true;
		s = NULL;
	}
	va_end(ap);
	if (s == NULL)
		return;
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

unsigned long
port_hugepages_free(void)
{
	unsigned long n = 0;
	FILE *f;

	f = fopen(HUGEPAGES_FREE_PATH, "r");
	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu", &n) != 1)
		n = 0;
	fclose(f);
	return n;
}

/* The CPUs this process may run on, in ascending order; at least one. */
static unsigned int
affinity_cpus(int *cpus, unsigned int max)
{
	cpu_set_t set;
	unsigned int n = 0;
	int c;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		for (c = 0; c < CPU_SETSIZE && n < max; c++)
			if (CPU_ISSET(c, &set))
				cpus[n++] = c;
	}
	if (n == 0)
		cpus[n++] = 0;
	return n;
}

/* virtio_user and vhost share guest memory by fd: one file per segment list. */
static bool
dev_shares_memory(const char *dev)
{
	static const char *const prefixes[] = {
		"net_virtio_user", "virtio_user", "eth_virtio_user", "net_vhost", "eth_vhost",
	};
	unsigned int i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(dev, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static bool
seen_before(const struct port_eal_req *req, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i; j++)
		if (strcmp(req->devs[j], req->devs[i]) == 0)
			return true;
	return false;
}

int
port_eal_args(const struct port_eal_req *req, char ***argv, char *note, size_t notelen, char *err,
	      size_t errlen)
{
	int cpus_buf[CPU_SETSIZE];
	const int *cpus;
	unsigned int nb_cpus, i, nb_pci = 0;
	bool shared_mem = false, huge;
	struct argv_buf a;
	char lcores[RTE_MAX_LCORE * 12];
	size_t off;

	if (note != NULL && notelen > 0)
		note[0] = '\0';
	*argv = NULL;
	if (req->nb_workers == 0) {
		snprintf(err, errlen, "no worker lcores: set lcores = 1 or more");
		return -1;
	}
	if (req->nb_workers + 1 > RTE_MAX_LCORE) {
		snprintf(err, errlen,
			 "%u worker lcores: this DPDK has at most %u lcores, "
			 "set lcores = %u or fewer",
			 req->nb_workers, RTE_MAX_LCORE, RTE_MAX_LCORE - 1);
		return -1;
	}
	if (req->nb_devs > 0 && req->devs == NULL) {
		snprintf(err, errlen, "no dev strings given for %u ports", req->nb_devs);
		return -1;
	}
	for (i = 0; i < req->nb_devs; i++) {
		switch (port_dev_kind(req->devs[i])) {
		case PORT_DEV_PCI:
			nb_pci++;
			break;
		case PORT_DEV_VDEV:
			if (dev_shares_memory(req->devs[i]))
				shared_mem = true;
			break;
		case PORT_DEV_RING:
			break;
		default:
			snprintf(err, errlen,
				 "port dev '%s': not a PCI address (0000:03:00.0), "
				 "a vdev (net_af_xdp0,iface=veth0) or net_ring:NAME",
				 req->devs[i] == NULL ? "(null)" : req->devs[i]);
			return -1;
		}
	}

	if (req->cpus != NULL && req->nb_cpus > 0) {
		cpus = req->cpus;
		nb_cpus = req->nb_cpus;
	} else {
		nb_cpus = affinity_cpus(cpus_buf, CPU_SETSIZE);
		cpus = cpus_buf;
	}
	/* lcore 0 (main) on the first CPU, worker i on cpus[i mod n]. */
	off = 0;
	for (i = 0; i <= req->nb_workers; i++)
		off += snprintf(lcores + off, sizeof(lcores) - off, "%s%u@%d", i ? "," : "", i,
				cpus[i % nb_cpus]);

	huge = (req->fake_hugepages ? req->hugepages_free : port_hugepages_free()) > 0;

	a.cap = EAL_ARGS_MAX + (int)req->nb_devs * 2;
	a.v = calloc(a.cap, sizeof(*a.v));
	a.n = 0;
	a.oom = a.v == NULL;
	argv_add(&a, "%s", req->prog != NULL ? req->prog : "synack");
	for (i = 0; i < req->nb_devs; i++) {
		if (seen_before(req, i))
			continue;
		if (port_dev_kind(req->devs[i]) == PORT_DEV_PCI) {
			argv_add(&a, "-a");
			argv_add(&a, "%s", req->devs[i]);
		} else if (port_dev_kind(req->devs[i]) == PORT_DEV_VDEV) {
			char dev[PORT_DEV_LEN];

			if (port_vdev_with_defaults(req->devs[i], dev, sizeof(dev)) >=
			    (int)sizeof(dev)) {
				snprintf(err, errlen, "port dev '%s': longer than %d characters",
					 req->devs[i], PORT_DEV_LEN - 1);
				port_eal_args_free(a.n, a.v);
				return -1;
			}
			argv_add(&a, "--vdev=%s", dev);
		}
	}
	if (nb_pci == 0)
		argv_add(&a, "--no-pci");
	argv_add(&a, "--lcores=%s", lcores);
	if (huge) {
		argv_add(&a, "--in-memory");
		if (shared_mem)
			argv_add(&a, "--single-file-segments");
	} else {
		/* --no-huge means legacy memory, which EAL refuses with --in-memory */
		argv_add(&a, "--no-huge");
		argv_add(&a, "-m");
		argv_add(&a, "%u", req->mem_mb ? req->mem_mb : NOHUGE_DEFAULT_MB);
		argv_add(&a, "--no-shconf");
		if (note != NULL)
			snprintf(note, notelen,
				 "no hugepages reserved: running with --no-huge "
				 "(smaller pools); reserve some with: "
				 "echo 512 > /proc/sys/vm/nr_hugepages");
	}
	/* the telemetry socket lives in the runtime directory, which exists
	 * with --in-memory and --no-shconf too: one prefix per process keeps
	 * several processes' sockets apart */
	if (req->file_prefix != NULL && req->file_prefix[0] != '\0')
		argv_add(&a, "--file-prefix=%s", req->file_prefix);
	if (req->no_telemetry)
		argv_add(&a, "--no-telemetry");
	argv_add(&a, "--log-level=lib.eal:error");
	if (a.oom) {
		port_eal_args_free(a.n, a.v);
		snprintf(err, errlen, "EAL arguments: %s", strerror(ENOMEM));
		return -1;
	}
	*argv = a.v;
	return a.n;
}

void
port_eal_args_free(int argc, char **argv)
{
	int i;

	if (argv == NULL)
		return;
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}
