/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HTML report's side of the app (the page itself: lib/stats/stats_html.c):
 * the JSON file's "start" line (version, mode, model, wall-clock start and
 * the config as given: the file's keys with the --set overrides on top),
 * `synack report FILE.jsonl ... -o FILE.html`, and [run] report at the end
 * of a run. All on the main lcore.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <rte_cfgfile.h>
#include <rte_version.h>

#include "app/synack/synack.h"

/* section -> {key: value} of the INI file, then "section.key=value" overrides. */
static json_t *
config_json(const char *file, const struct cli *o)
{
	json_t *cfg = json_object();
	struct rte_cfgfile *cf = file != NULL ? rte_cfgfile_load(file, 0) : NULL;

	if (cfg == NULL)
		return NULL;
	if (cf != NULL) {
		int ns = rte_cfgfile_num_sections(cf, NULL, 0);

		for (int i = 0; i < ns; i++) {
			char sec[CFG_NAME_LEN];
			struct rte_cfgfile_entry e[64];

			int ne = rte_cfgfile_section_entries_by_index(cf, i, sec, e, 64);
			json_t *keys = json_object();
			for (int k = 0; k < ne && keys != NULL; k++)
				json_object_set_new(keys, e[k].name, json_string(e[k].value));
			if (keys != NULL)
				json_object_set_new(cfg, sec, keys);
		}
		rte_cfgfile_close(cf);
	}
	for (unsigned int i = 0; o != NULL && i < o->nb_sets; i++) {
		char sec[CFG_NAME_LEN];
		const char *dot = strchr(o->sets[i], '.'), *eq = strchr(o->sets[i], '=');

		if (dot == NULL || eq == NULL || dot > eq ||
		    (size_t)(dot - o->sets[i]) >= sizeof(sec))
			continue;
		snprintf(sec, sizeof(sec), "%.*s", (int)(dot - o->sets[i]), o->sets[i]);
		json_t *keys = json_object_get(cfg, sec);
		if (keys == NULL) {
			keys = json_object();
			json_object_set_new(cfg, sec, keys);
		}
		char key[CFG_NAME_LEN];
		snprintf(key, sizeof(key), "%.*s", (int)(eq - dot - 1), dot + 1);
		json_object_set_new(keys, key, json_string(eq + 1));
	}
	return cfg;
}

void
htmlreport_start_line(struct synack *s, const struct cli *o)
{
	const struct cfg *cfg = s->cfg;
	struct timespec ts;
	char ver[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	json_t *st = json_object();
	if (st == NULL)
		return;
	json_object_set_new(st, "version", json_string("0.1.0"));
	json_object_set_new(st, "dpdk", json_string(rte_version()));
	json_object_set_new(st, "wall_start", json_real((double)ts.tv_sec + ts.tv_nsec / 1e9));
	json_object_set_new(st, "config_file", json_string(cfg->file));
	json_object_set_new(st, "mode", json_string(cfg_mode_name(cfg->run.mode)));
	json_object_set_new(st, "model",
			    json_string(s->pl.nb_clients > 0 ? cfg_model_name(cfg->client.model)
							     : "none (server)"));
	snprintf(ver, sizeof(ver), "%.3fs", (double)cfg->run.duration_ms / 1000.0);
	json_object_set_new(st, "duration",
			    json_string(cfg->run.duration_ms ? ver : "0 (until SIGINT)"));
	json_object_set_new(st, "duration_ms", json_integer((json_int_t)cfg->run.duration_ms));
	json_object_set_new(st, "lcores", json_integer(s->pl.nb_workers));
	json_object_set_new(st, "interval_ms", json_integer(cfg->run.report_ms));
	json_t *c = config_json(cfg->file, o);
	if (c != NULL)
		json_object_set_new(st, "config", c);
	char *txt = json_dumps(st, JSON_COMPACT);
	/* the object's members without its braces */
	if (txt != NULL && strlen(txt) >= 2) {
		txt[strlen(txt) - 1] = '\0';
		stats_report_start(s->rep, txt + 1);
	}
	free(txt);
	json_decref(st);
}

/* Load paths, write the page to out. 0, or 1 (a file could not be read / written). */
static int
write_report(const char *const *paths, const char *const *names, unsigned int n, const char *out)
{
	struct stats_run runs[8];
	char err[512];
	unsigned int loaded = 0;
	int rc = 1;

	memset(runs, 0, sizeof(runs));
	for (; loaded < n; loaded++)
		if (stats_run_load(paths[loaded], &runs[loaded], err, sizeof(err)) != 0) {
			fprintf(stderr, "synack report: %s\n", err);
			goto out;
		}
	FILE *f = fopen(out, "w");
	if (f == NULL) {
		perror(out);
		goto out;
	}
	if (stats_html_write(f, runs, names, n, err, sizeof(err)) != 0)
		fprintf(stderr, "synack report: %s\n", err);
	else
		rc = 0;
	if (fclose(f) != 0 && rc == 0) {
		perror(out);
		rc = 1;
	}
out:
	for (unsigned int i = 0; i < loaded; i++)
		stats_run_free(&runs[i]);
	return rc;
}

int
htmlreport_after_run(const struct synack *s)
{
	const char *path = s->cfg->run.json;
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int rc = write_report(&path, &name, 1, s->cfg->run.report);

	if (rc == 0)
		printf("synack: report written to %s\n", s->cfg->run.report);
	return rc;
}

static void
report_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s report FILE.jsonl [FILE.jsonl ...] -o FILE.html [-n NAME ...]\n"
		"  one self-contained HTML page from runs' JSON lines (--json); two or more\n"
		"  files overlay (A vs B). -n names the runs in order (default: file names).\n",
		prog);
}

int
htmlreport_main(int argc, char **argv)
{
	const char *paths[8], *names[8], *out = NULL;
	unsigned int n = 0, nn = 0;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
			if (++i == argc)
				goto usage;
			out = argv[i];
		} else if (strcmp(argv[i], "-n") == 0 || strcmp(argv[i], "--name") == 0) {
			if (++i == argc || nn == 8)
				goto usage;
			names[nn++] = argv[i];
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			report_usage(stdout, argv[0]);
			return EXIT_DONE;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "synack report: unknown option %s\n", argv[i]);
			goto usage;
		} else if (n == 8) {
			fprintf(stderr, "synack report: at most 8 runs\n");
			return EXIT_USAGE;
		} else {
			paths[n++] = argv[i];
		}
	}
	if (n == 0 || out == NULL || nn > n)
		goto usage;
	for (unsigned int i = nn; i < n; i++)
		names[i] = strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1 : paths[i];
	return write_report(paths, names, n, out) == 0 ? EXIT_DONE : EXIT_FAILED;
usage:
	report_usage(stderr, argv[0]);
	return EXIT_USAGE;
}
