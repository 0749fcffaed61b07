/*
 * Open parameters (plugin_open):
 *   ""  or  "ring"          the default udig ring ($UDIG_RING/$UDIG_DESCS, else
 *                           udig_buf/udig_descs), fed by preloaded programs
 *   "ring=BUF[,DESCS]"      that ring (DESCS derived from a BUF ending in "buf")
 *   "run=CMD ARGS..."       launch CMD (words split as a shell would, with
 *                           '...', "..." and \, but no expansion) under udig's
 *                           automatic engine choice; EOF when it has exited
 *   "attach=PID"            capture PID until the capture is closed, then detach
 *   "file=PATH"             a udig/sysdig .scap capture file (plain or gzip), read
 *                           through the same conversion; EOF at its end
 */
#ifndef UDIG_PLUGIN_PARAMS_H
#define UDIG_PLUGIN_PARAMS_H
#include <stddef.h>
#include <sys/types.h>

enum src_kind { SRC_RING, SRC_RUN, SRC_ATTACH, SRC_FILE };

struct open_params {
	enum src_kind kind;
	char ring[128], descs[128]; /* SRC_RING: "" = the defaults */
	char **argv;                /* SRC_RUN: NULL-terminated, one allocation;
	                             * SRC_FILE: argv[0] is the path */
	pid_t pid;                  /* SRC_ATTACH */
};

/* The JSON list for plugin_list_open_params. */
extern const char open_params_list[];

/* Returns 0, or -1 with the reason in err. */
int open_params_parse(const char *s, struct open_params *op, char *err, size_t errlen);
void open_params_free(struct open_params *op);

#endif
