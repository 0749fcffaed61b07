/* A path that disappears under the syscall: one thread maps a page, writes a
 * path into it and unmaps it again, over and over, while others open() that
 * page's path.  Natively an open fails with EFAULT at worst; under capture
 * the fillers read the same page before and after the call, and a read that
 * faults must cost a string, never the process. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#define ROUNDS 1000
#define READERS 3

static char *volatile shared;
static volatile int done;

static void *unmapper(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			break;
		strcpy(p, "/etc/hostname");
		shared = p;
		sched_yield();
		shared = NULL;
		munmap(p, 4096);
	}
	done = 1;
	return NULL;
}

static void *opener(void *arg)
{
	long *bad = arg;

	while (!done) {
		char *p = shared;
		int fd;

		if (!p)
			continue;
		fd = open(p, O_RDONLY);
		if (fd >= 0)
			close(fd);
		else if (errno != EFAULT && errno != ENOENT)
			(*bad)++;
	}
	return NULL;
}

int main(void)
{
	pthread_t u, o[READERS];
	long bad[READERS] = { 0 }, total = 0;

	for (int i = 0; i < READERS; i++)
		pthread_create(&o[i], NULL, opener, &bad[i]);
	pthread_create(&u, NULL, unmapper, NULL);
	pthread_join(u, NULL);
	for (int i = 0; i < READERS; i++) {
		pthread_join(o[i], NULL);
		total += bad[i];
	}
	printf("unexpected errors: %ld\n", total);
	return 0;
}
