/* `udig run -c`: calls, errors and time per syscall, laid out as `strace -c`. */
#ifndef UDIG_SYSCALL_SUMMARY_H
#define UDIG_SYSCALL_SUMMARY_H
#include <stdio.h>
#include <udig/capture.h>

struct syscall_summary;
/* NULL when out of memory. */
struct syscall_summary *syscall_summary_new(void);
/* Tallies one event: a call at each syscall enter event, an error and the
 * time since the enter (evt.latency) at its exit.  Other events are ignored. */
void syscall_summary_add(struct syscall_summary *s, udig_capture *c, const struct udig_evt *ev);
/* The table, sorted by time then calls as strace sorts it; returns 0 or -1
 * when the output failed. */
int syscall_summary_print(struct syscall_summary *s, FILE *out);
void syscall_summary_free(struct syscall_summary *s);

#endif
