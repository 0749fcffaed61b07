/* Shared declarations of the udig command-line tool. */
#ifndef UDIG_CLI_H
#define UDIG_CLI_H
#include <stdio.h>

/* Each subcommand: argv[0] is the subcommand name; returns the exit status. */
int cmd_events(int argc, char **argv);

/* Prints "udig: <message>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
