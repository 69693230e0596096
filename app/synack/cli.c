/* SPDX-License-Identifier: BSD-3-Clause */
/* The command line (cli.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_version.h>

#include "app/synack/cli.h"
#include "lib/stack/capture.h"

static void
usage(FILE *o, const char *prog)
{
	fprintf(o,
		"usage: %s -c FILE.ini [options] [-- EAL args]\n"
		"       %s ss [-l|-a] [-i] ...   a running synack's connections (ss -h)\n"
		"       %s report FILE.jsonl [...] -o FILE.html   (the HTML report)\n"
		"       synack merge A.jsonl B.jsonl ... [--json OUT]  (segments' results as one)\n"
		"\n"
		"  -c, --config FILE        configuration (INI); see --help-config\n"
		"  -s, --set SEC.KEY=VALUE  override one key (repeatable)\n"
		"  -j, --json FILE          JSON lines: one object per interval, one summary\n"
		"  -q, --quiet              no per-interval lines, only the summary\n"
		"      --help-config        every key with its default and help\n"
		"      --markdown           with --help-config: write docs/config.md format\n"
		"  -V, --version            print the version\n"
		"  -h, --help               this text\n"
		"\n"
		"Without EAL args synack derives them from the config (vdevs, lcores,\n"
		"--no-huge when no hugepages are reserved).\n"
		"Exit codes: 0 done, 1 run failed, 2 usage/config/environment error.\n",
		prog, prog, prog);
}

/* Options end at "--": what follows is for EAL (argv[0] first). */
static int
split_eal(int argc, char **argv, struct cli *o)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") != 0)
			continue;
		o->eal_argc = argc - i;
		o->eal_argv = calloc((size_t)o->eal_argc + 1, sizeof(char *));
		if (o->eal_argv == NULL)
			return -1;
		o->eal_argv[0] = argv[0];
		for (int j = i + 1; j < argc; j++)
			o->eal_argv[j - i] = argv[j];
		return i;
	}
	return argc;
}

int
cli_parse(int argc, char **argv, struct cli *o)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"set", required_argument, NULL, 's'},
		{"json", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help-config", no_argument, NULL, 'H'},
		{"markdown", no_argument, NULL, 'M'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool help_config = false, markdown = false;
	int opt, app_argc;

	memset(o, 0, sizeof(*o));
	o->prog = argv[0];
	app_argc = split_eal(argc, argv, o);
	if (app_argc < 0)
		return EXIT_USAGE;
	while ((opt = getopt_long(app_argc, argv, "c:s:j:qVh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			o->cfg_file = optarg;
			break;
		case 's':
			if (o->nb_sets == CLI_MAX_SETS) {
				fprintf(stderr, "synack: too many --set (at most %d)\n",
					CLI_MAX_SETS);
				return EXIT_USAGE;
			}
			o->sets[o->nb_sets++] = optarg;
			break;
		case 'j':
			o->json = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'H':
			help_config = true;
			break;
		case 'M':
			markdown = true;
			break;
		case 'V':
			printf("synack 0.1.0 (DPDK %s)\n", rte_version());
			return EXIT_DONE;
		case 'h':
			usage(stdout, argv[0]);
			return EXIT_DONE;
		default:
			usage(stderr, argv[0]);
			return EXIT_USAGE;
		}
	}
	if (help_config) {
		cfg_print_help(stdout, markdown);
		return EXIT_DONE;
	}
	if (optind < app_argc) {
		fprintf(stderr, "synack: unexpected argument \"%s\" (EAL args go after --)\n",
			argv[optind]);
		usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	if (o->cfg_file == NULL) {
		fprintf(stderr, "synack: -c FILE.ini is required (try config/demo.ini)\n");
		usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	return -1;
}

int
cli_config(const struct cli *o, struct cfg *cfg)
{
	char err[CFG_ERR_LEN];

	if (cfg_load(cfg, o->cfg_file, err, sizeof(err)) != 0)
		goto bad;
	for (unsigned int i = 0; i < o->nb_sets; i++)
		if (cfg_set_novalidate(cfg, o->sets[i], err, sizeof(err)) != 0)
			goto bad;
	if (o->nb_sets > 0 && cfg_validate(cfg, err, sizeof(err)) != 0)
		goto bad;
	if (o->json != NULL)
		snprintf(cfg->run.json, sizeof(cfg->run.json), "%s", o->json);
	if (o->quiet)
		cfg->run.quiet = true;
	if (capture_filter_check(cfg->capture.filter, cfg->capture.snaplen, err, sizeof(err)) !=
	    0) {
		fprintf(stderr, "%s:capture:filter: %s\n", cfg->file, err);
		return EXIT_USAGE;
	}
	if (cfg->run.report[0] != '\0' && cfg->run.json[0] == '\0') {
		fprintf(stderr,
			"%s:run:report: needs run.json (or --json FILE): the report is made from "
			"the JSON lines\n",
			cfg->file);
		return EXIT_USAGE;
	}
	return 0;
bad:
	fprintf(stderr, "%s\n", err);
	return EXIT_USAGE;
}

void
cli_free(struct cli *o)
{
	free(o->eal_argv);
	o->eal_argv = NULL;
}
