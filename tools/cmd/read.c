/*
 * `udig read [-j|-p FORMAT] [-w OUT] [-n COUNT] FILE [FILTER]`: print a capture file's
 * events in sysdig's layout (or JSON lines), or rewrite the selected events
 * to another capture.  Errors mid-file keep everything printed before them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../cli.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: udig read [OPTIONS] FILE [FILTER...]     (also: udig -r FILE, as sysdig)\n"
		   "  FILE - reads stdin; options may come anywhere before --; the words after FILE\n"
		   "  are the filter\n"
		   "  -j          one JSON object per event, of the fields of the format (sysdig -j)\n"
		   "  -A          buffers as their printable text, newlines kept, whole (sysdig -A)\n"
		   "  -s N        show N bytes of each I/O data buffer, whole (default: sysdig's 80 columns)\n"
		   "  -p FORMAT   print fields as sysdig -p does, e.g. \"%%evt.num %%proc.name %%fd.name\"\n"
		   "  -q          read and track state, print nothing (as sysdig -q)\n"
		   "  -w OUT      write the selected events to a capture (gzip if OUT ends in .gz;\n"
		   "              -w -: to stdout)\n"
		   "  -n COUNT    stop after COUNT selected events\n"
		   "  FILTER      e.g. \"evt.type in (open,openat) and proc.name=cat\"\n");
}

int cmd_read(int argc, char **argv)
{
	int json = 0, quiet = 0, opt, status = 0;
	const char *out = NULL, *fmt = NULL;
	unsigned long long limit = 0, shown = 0;
	char err[UDIG_ERRBUF_SIZE];

	static const struct option longopts[] = {
		{ "json", no_argument, 0, 'j' },          { "print-ascii", no_argument, 0, 'A' },
		{ "snaplen", required_argument, 0, 's' }, { "numevents", required_argument, 0, 'n' },
		{ "print", required_argument, 0, 'p' },   { "write", required_argument, 0, 'w' },
		{ "quiet", no_argument, 0, 'q' },         { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int ascii = 0;
	uint32_t datalen = 0;
	optind = 1;
	/* Options anywhere (GNU permutation), as sysdig takes them: `udig read
	 * f -j`.  A filter word that starts with '-' goes after --. */
	while ((opt = getopt_long(argc, argv, "hjqw:n:p:As:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'A': ascii = 1; break;
		case 's': {
			char *end;
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || *optarg == '-' || v == 0 || v > UINT32_MAX) {
				cli_error("read: -s wants a positive byte count, not '%s'", optarg);
				return 2;
			}
			datalen = (uint32_t)v;
			break;
		}
		case 'p': {
			/* checked here, compiled once -j, -A and -s are known */
			udig_format *check = udig_format_compile(optarg, err);
			if (!check) {
				cli_error("read: %s", err);
				return 2;
			}
			udig_format_free(check);
			fmt = optarg;
			break;
		}
		case 'j': json = 1; break;
		case 'q': quiet = 1; break;
		case 'w': out = optarg; break;
		case 'n': {
			char *end;
			errno = 0;
			limit = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || limit == 0) {
				cli_error("read: -n wants a positive count, not '%s'", optarg);
				return 2;
			}
			break;
		}
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		cli_error("read: no capture file given");
		usage(stderr);
		return 2;
	}
	const char *path = argv[optind];
	int ok;
	/* sysdig's filters see buffers as its output shows them (-j, -A) */
	unsigned flags = (json ? UDIG_FORMAT_JSON : 0) | (ascii ? UDIG_FORMAT_ASCII : 0);
	udig_filter *flt = cli_filter(argc - optind - 1, argv + optind + 1, flags, &ok);
	if (!ok)
		return 2;
	struct cli_printer pr;
	cli_printer_init(&pr, stdout, json);
	pr.ascii = ascii;
	pr.datalen = datalen;
	if (cli_printer_format(&pr, "read", fmt) < 0) {
		cli_printer_free(&pr);
		udig_filter_free(flt);
		return 2;
	}
	udig_capture *c = cli_open_capture(path, err);
	if (!c) {
		cli_error("%s", err);
		cli_printer_free(&pr);
		udig_filter_free(flt);
		return 1;
	}
	udig_dumper *d = NULL;
	if (out && !(d = cli_dump_open(c, out, err))) {
		cli_error("%s", err);
		cli_printer_free(&pr);
		udig_close(c);
		udig_filter_free(flt);
		return 1;
	}

	struct udig_evt ev;
	int rc;
	while ((rc = udig_next(c, &ev)) == UDIG_OK) {
		if (flt && !udig_filter_match(flt, c, &ev))
			continue;
		if (d) {
			if (udig_dump(d, &ev) != UDIG_OK) {
				cli_error("%s: %s", out, udig_dump_geterr(d));
				status = 1;
				break;
			}
		} else if (!quiet && !(ev.dump_flags & UDIG_DF_STATE_ONLY)) {
			if (cli_print_event(&pr, c, &ev)) {
				status = errno == EPIPE ? 0 : 1;
				if (status)
					cli_error("writing output: %s", strerror(errno));
				break;
			}
		}
		if (limit && ++shown >= limit)
			break;
	}
	if (rc != UDIG_OK && rc != UDIG_EOF) {
		fflush(stdout);
		cli_error("%s: %s", path, udig_geterr(c));
		status = 1;
	}
	if (d && udig_dump_close(d, err) != UDIG_OK) {
		cli_error("%s", err);
		status = 1;
	}
	if (fflush(stdout) == EOF && errno != EPIPE && !status) {
		cli_error("writing output: %s", strerror(errno));
		status = 1;
	}
	cli_printer_free(&pr);
	udig_close(c);
	udig_filter_free(flt);
	return status;
}
