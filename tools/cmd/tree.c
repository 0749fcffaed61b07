/*
 * `udig tree [-j] FILE`: the processes a capture shows, as a tree — each
 * with its execs (argv, cwd), exit status or signal and duration.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include "../cli.h"
#include "../proc_tree.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: udig tree [-j] FILE\n"
		   "  the process tree of a capture (FILE - : stdin): each process with its execs\n"
		   "  (argv, cwd), exit status or signal, and how long it lived\n"
		   "  -j   one JSON document instead of text\n");
}

int cmd_tree(int argc, char **argv)
{
	static const struct option longopts[] = { { "json", no_argument, 0, 'j' }, { "help", no_argument, 0, 'h' },
						   { 0, 0, 0, 0 } };
	char err[UDIG_ERRBUF_SIZE];
	int json = 0, opt, status = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j': json = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind + 1 != argc) {
		cli_error("tree: expected one capture file");
		usage(stderr);
		return 2;
	}
	udig_capture *c = cli_open_capture(argv[optind], err);
	if (!c) {
		cli_error("%s", err);
		return 1;
	}
	struct proc_tree *t = proc_tree_new();
	struct udig_evt ev;
	int rc = UDIG_EOF;
	while (t && (rc = udig_next(c, &ev)) == UDIG_OK)
		if (proc_tree_add(t, c, &ev) < 0)
			break;
	if (!t || rc == UDIG_OK) {
		cli_error("out of memory");
		status = 1;
	} else if (rc != UDIG_EOF) {
		cli_error("%s: %s (the tree covers the events before it)", argv[optind], udig_geterr(c));
		status = 1;
	}
	if (t && proc_tree_print(t, stdout, json) < 0) {
		cli_error("writing output: %s", strerror(errno));
		status = 1;
	}
	proc_tree_free(t);
	udig_close(c);
	return status;
}
