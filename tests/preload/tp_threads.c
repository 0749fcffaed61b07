/* Many threads doing syscalls at once; the results must not depend on the
 * interception.  Prints one deterministic line per thread. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>

#define NT 8
#define CALLS 500

static void *work(void *arg)
{
	long id = (long)arg, ok = 0, i;
	pid_t pp = getppid();
	char b;
	int fd = open("/dev/zero", O_RDONLY);

	for (i = 0; i < CALLS; i++) {
		ok += getppid() == pp;
		ok += read(fd, &b, 1) == 1 && b == 0;
	}
	close(fd);
	return (void *)(ok + id * 100000);
}

int main(void)
{
	pthread_t t[NT];
	long i;

	for (i = 0; i < NT; i++)
		if (pthread_create(&t[i], NULL, work, (void *)i) != 0)
			return 2;
	for (i = 0; i < NT; i++) {
		void *r;

		pthread_join(t[i], &r);
		printf("thread %ld ok=%ld\n", i, (long)r - i * 100000);
	}
	return 0;
}
