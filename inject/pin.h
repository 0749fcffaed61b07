/*
 * CPU pinning.  A tracer/tracee hand-off costs ~17 us when both share a CPU
 * and 60-135 us when the scheduler puts them on different vCPUs (waking an
 * idle vCPU is the cost), so the ptrace engine runs tracer and tracees on one
 * CPU that the tracee is allowed to use.
 */
#ifndef INJECT_PIN_H
#define INJECT_PIN_H

#include <sched.h>
#include <sys/types.h>

/* Chooses the CPU for tracee `pid` (0: a child still to be launched, which
 * will inherit our mask): `want` if >= 0 (must be allowed to both), else the
 * CPU the tracee last ran on, else ours, else the lowest common one.
 * Returns the CPU or -1 with err. */
int inj_pin_pick(pid_t pid, int want, char *err);

/* sched_setaffinity(tid, {cpu}); 0 or -errno. */
int inj_pin_task(pid_t tid, int cpu);

/* The tracee's mask, to put back on detach. */
int inj_affinity_get(pid_t tid, cpu_set_t *set);
int inj_affinity_set(pid_t tid, const cpu_set_t *set);

#endif
