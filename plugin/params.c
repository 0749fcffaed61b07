/* Open parameters (see params.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "params.h"

const char open_params_list[] =
	"[{\"value\":\"ring\",\"desc\":\"the default udig ring, fed by programs started with "
	"LD_PRELOAD=libudig.so\"},"
	"{\"value\":\"ring=udig_buf,udig_descs\",\"desc\":\"a named udig ring (BUF[,DESCS])\"},"
	"{\"value\":\"run=sh -c 'make'\",\"desc\":\"launch a command under capture; the capture ends when it "
	"exits\"},"
	"{\"value\":\"attach=1234\",\"desc\":\"capture a running process until the capture is closed, "
	"then detach (it runs on)\"},"
	"{\"value\":\"file=capture.scap\",\"desc\":\"a udig or sysdig capture file\"}]";

/* Shell-like words: blanks separate, '...' is literal, "..." takes \" and
 * \\, a backslash outside quotes escapes the next character.  All words
 * live in one block after the pointer array. */
static char **split_words(const char *s, char *err, size_t errlen)
{
	size_t len = strlen(s), maxw = len / 2 + 2;
	char **argv = malloc(maxw * sizeof *argv + len + 1 + maxw);
	if (!argv) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	char *out = (char *)(argv + maxw);
	size_t n = 0;
	const char *p = s;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		argv[n++] = out;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
			if (*p == '\'') {
				const char *e = strchr(p + 1, '\'');
				if (!e)
					goto unterminated;
				memcpy(out, p + 1, (size_t)(e - p - 1));
				out += e - p - 1;
				p = e + 1;
			} else if (*p == '"') {
				for (p++; *p != '"'; p++) {
					if (!*p)
						goto unterminated;
					if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
						p++;
					*out++ = *p;
				}
				p++;
			} else if (*p == '\\' && p[1]) {
				*out++ = p[1];
				p += 2;
			} else {
				*out++ = *p++;
			}
		}
		*out++ = 0;
	}
	argv[n] = NULL;
	if (!n) {
		snprintf(err, errlen, "run=: no command given (e.g. run=sh -c 'make')");
		free(argv);
		return NULL;
	}
	return argv;
unterminated:
	snprintf(err, errlen, "run=: unterminated quote in '%s'", s);
	free(argv);
	return NULL;
}

static int ring_names(const char *arg, struct open_params *op, char *err, size_t errlen)
{
	const char *comma = strchr(arg, ',');
	size_t bl = comma ? (size_t)(comma - arg) : strlen(arg);
	if (!bl || bl >= sizeof op->ring || strchr(arg, '/'))
		goto bad;
	memcpy(op->ring, arg, bl);
	op->ring[bl] = 0;
	if (comma) {
		if (!comma[1] || strlen(comma + 1) >= sizeof op->descs || strchr(comma + 1, ','))
			goto bad;
		strcpy(op->descs, comma + 1);
		return 0;
	}
	if (bl < 3 || strcmp(op->ring + bl - 3, "buf"))
		goto bad;
	snprintf(op->descs, sizeof op->descs, "%.*sdescs", (int)(bl - 3), op->ring);
	return 0;
bad:
	snprintf(err, errlen, "ring=: expected BUF or BUF,DESCS (shm object names without '/'; DESCS is "
		 "derived only from a BUF ending in \"buf\"), not '%s'", arg);
	return -1;
}

int open_params_parse(const char *s, struct open_params *op, char *err, size_t errlen)
{
	memset(op, 0, sizeof *op);
	if (!s)
		s = "";
	while (*s == ' ')
		s++;
	if (!*s || !strcmp(s, "ring")) {
		op->kind = SRC_RING;
		return 0;
	}
	if (!strncmp(s, "ring=", 5)) {
		op->kind = SRC_RING;
		return ring_names(s + 5, op, err, errlen);
	}
	if (!strncmp(s, "run=", 4)) {
		op->kind = SRC_RUN;
		return (op->argv = split_words(s + 4, err, errlen)) ? 0 : -1;
	}
	if (!strncmp(s, "file=", 5)) {
		if (!s[5]) {
			snprintf(err, errlen, "file=: no path given");
			return -1;
		}
		op->kind = SRC_FILE;
		op->argv = malloc(2 * sizeof *op->argv + strlen(s + 5) + 1);
		if (!op->argv) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		op->argv[0] = strcpy((char *)(op->argv + 2), s + 5);
		op->argv[1] = NULL;
		return 0;
	}
	if (!strncmp(s, "attach=", 7)) {
		char *end;
		errno = 0;
		long v = strtol(s + 7, &end, 10);
		if (errno || end == s + 7 || *end || v <= 0 || v > 0x3fffffff) {
			snprintf(err, errlen, "attach=: expected a process id, not '%s'", s + 7);
			return -1;
		}
		op->kind = SRC_ATTACH;
		op->pid = (pid_t)v;
		return 0;
	}
	snprintf(err, errlen, "unknown open parameter '%s' (expected ring, ring=BUF[,DESCS], run=CMD..., "
		 "attach=PID or file=PATH)", s);
	return -1;
}

void open_params_free(struct open_params *op)
{
	free(op->argv);
	op->argv = NULL;
}
