/* CPU choice and affinity changes for the ptrace engine. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inject/engine.h"
#include "inject/pin.h"
#include "inject/procfs.h"

int inj_affinity_get(pid_t tid, cpu_set_t *set)
{
	CPU_ZERO(set);
	return sched_getaffinity(tid, sizeof *set, set) < 0 ? -errno : 0;
}

int inj_affinity_set(pid_t tid, const cpu_set_t *set)
{
	return sched_setaffinity(tid, sizeof *set, set) < 0 ? -errno : 0;
}

int inj_pin_task(pid_t tid, int cpu)
{
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return inj_affinity_set(tid, &one);
}

/* Field 39 of /proc/<pid>/stat: the CPU the task last ran on. */
static int last_cpu(pid_t pid)
{
	char path[48], buf[1024], *p;
	int field;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (inj_read_text(path, buf, sizeof buf) < 0)
		return -1;
	p = strrchr(buf, ')');   /* comm may contain spaces and parentheses */
	if (!p)
		return -1;
	for (field = 2; field < 39 && p; field++)
		p = strchr(p + 1, ' ');
	return p ? (int)strtol(p + 1, NULL, 10) : -1;
}

int inj_pin_pick(pid_t pid, int want, char *err)
{
	cpu_set_t ours, theirs, both;
	int cpu, r;

	if ((r = inj_affinity_get(0, &ours)) < 0) {
		inj_err(err, "sched_getaffinity: %s", strerror(-r));
		return -1;
	}
	theirs = ours;
	if (pid > 0 && (r = inj_affinity_get(pid, &theirs)) < 0) {
		inj_err(err, "sched_getaffinity(%d): %s", (int)pid, strerror(-r));
		return -1;
	}
	CPU_AND(&both, &ours, &theirs);
	if (want >= 0) {
		if (want >= CPU_SETSIZE || !CPU_ISSET(want, &both)) {
			inj_err(err, "CPU %d is not allowed to both tracer and tracee", want);
			return -1;
		}
		return want;
	}
	if (CPU_COUNT(&both) == 0) {
		/* Disjoint masks: leaving them apart is the tracee's choice. */
		inj_err(err, "tracer and tracee share no CPU");
		return -1;
	}
	cpu = pid > 0 ? last_cpu(pid) : sched_getcpu();
	if (cpu >= 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, &both))
		return cpu;
	cpu = sched_getcpu();
	if (cpu >= 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, &both))
		return cpu;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &both))
			return cpu;
	return -1;
}
