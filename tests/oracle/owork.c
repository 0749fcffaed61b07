/*
 * The oracle's own workload (tests/oracle/oracle.sh): one program, built
 * twice — dynamically linked (owork) and -all-static (owork_static) — whose
 * open/openat/execve/connect calls are known and deterministic, so that the
 * calls strace sees and the calls udig captures can be compared one for one.
 *
 *   owork threads      4 threads, each: openat ok/fail, raw open(2) ok/fail,
 *                      openat relative to a directory fd
 *   owork fork         fork; the child execs a chain of 3 images of itself
 *                      (self -> self -> self), the last one opens a file
 *   owork vfork        vfork + execve (ok), vfork + execve of a missing file
 *   owork spawn        posix_spawn (ok), posix_spawnp through a PATH whose
 *                      first entries do not exist (failed execves, then ok)
 *   owork tcp PORT     loopback TCP: a client thread connects to our listener
 *                      on 127.0.0.1:PORT, ping/pong; connect after the
 *                      listener is closed (refused); AF_UNIX connect to a
 *                      missing path (ENOENT)
 *   owork all PORT     all of the above in one process
 *   owork envi         execs `env -i SELF leaf /etc/hostname` (an exec chain
 *                      that strips the environment, preload included)
 *   owork leaf FILE    opens FILE, prints whether it could, exits 0
 *   owork chain N F    execs itself (chain N-1 F) until N is 0, then leaf F
 *
 * Every line printed is deterministic; the exit status is 0 unless noted
 * (tcp exits 75 when PORT cannot be bound: the caller picks another port).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static char self[4096];

static int ok_fd(int fd)
{
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static int do_openat(const char *path) { return ok_fd(openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC)); }
static int do_rawopen(const char *path) { return ok_fd((int)syscall(SYS_open, path, O_RDONLY | O_CLOEXEC, 0)); }

static int wait_code(pid_t p)
{
	int st;
	while (waitpid(p, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ------------------------------------------------------------- threads */

struct tres {
	int n;
	int r[5];
};

static void *thread_main(void *arg)
{
	struct tres *t = arg;
	int dfd = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	t->r[0] = do_openat("/etc/hostname");
	t->r[1] = do_openat("/nonexistent/udig-oracle-thread");
	t->r[2] = do_rawopen("/etc/passwd");
	t->r[3] = do_rawopen("/nonexistent/udig-oracle-raw");
	t->r[4] = ok_fd(openat(dfd, "group", O_RDONLY | O_CLOEXEC));
	if (dfd >= 0)
		close(dfd);
	return NULL;
}

static void run_threads(void)
{
	pthread_t th[4];
	struct tres res[4];
	for (int i = 0; i < 4; i++) {
		res[i].n = i;
		pthread_create(&th[i], NULL, thread_main, &res[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		printf("thread %d: %d %d %d %d %d\n", i, res[i].r[0], res[i].r[1], res[i].r[2], res[i].r[3],
		       res[i].r[4]);
	}
	fflush(stdout);
}

/* ------------------------------------------------------ fork, vfork, spawn */

static void run_fork(void)
{
	pid_t p = fork();
	if (p == 0) {
		char *av[] = { (char *)"owork", (char *)"chain", (char *)"2", (char *)"/etc/hosts", NULL };
		execve(self, av, environ);
		_exit(99);
	}
	printf("fork chain child %d\n", wait_code(p));
	/* A plain forked child that opens and exits without exec. */
	p = fork();
	if (p == 0) {
		do_openat("/etc/group");
		_exit(3);
	}
	printf("fork child %d\n", wait_code(p));
	fflush(stdout);
}

static void run_vfork(void)
{
	char *av[] = { (char *)"owork", (char *)"leaf", (char *)"/etc/shells", NULL };
	pid_t p = vfork();
	if (p == 0) {
		execve(self, av, environ);
		_exit(99);
	}
	printf("vfork exec child %d\n", wait_code(p));
	p = vfork();
	if (p == 0) {
		execve("/nonexistent/udig-oracle-prog", av, environ);
		_exit(5);
	}
	printf("vfork failed exec child %d\n", wait_code(p));
	fflush(stdout);
}

static void run_spawn(void)
{
	char *av[] = { (char *)"owork", (char *)"leaf", (char *)"/etc/passwd", NULL };
	char dir[4096], path[8192], *slash, *base;
	pid_t p;
	int rc;

	rc = posix_spawn(&p, self, NULL, NULL, av, environ);
	printf("spawn %d child %d\n", rc, rc ? -1 : wait_code(p));

	/* posix_spawnp walks PATH: two missing directories, then ours. */
	snprintf(dir, sizeof dir, "%s", self);
	slash = strrchr(dir, '/');
	base = slash ? slash + 1 : dir;
	if (slash)
		*slash = 0;
	snprintf(path, sizeof path, "/nonexistent/udig-a:/nonexistent/udig-b:%s", slash ? dir : ".");
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	setenv("PATH", path, 1);
	char *avp[] = { base, (char *)"leaf", (char *)"/etc/group", NULL };
	rc = posix_spawnp(&p, base, NULL, NULL, avp, environ);
	printf("spawnp %d child %d\n", rc, rc ? -1 : wait_code(p));
	if (old) {
		setenv("PATH", old, 1);
		free(old);
	} else {
		unsetenv("PATH");
	}
	fflush(stdout);
}

/* ------------------------------------------------------------------ tcp */

static struct sockaddr_in srv;

static void *client_main(void *arg)
{
	char buf[16] = { 0 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int *ok = arg;
	*ok = 0;
	if (connect(fd, (struct sockaddr *)&srv, sizeof srv) == 0 && write(fd, "ping", 4) == 4 &&
	    read(fd, buf, 4) == 4 && !strcmp(buf, "pong"))
		*ok = 1;
	close(fd);
	return NULL;
}

static int run_tcp(const char *port)
{
	int one = 1, ok = 0, c, fd;
	char buf[16] = { 0 };
	pthread_t th;

	memset(&srv, 0, sizeof srv);
	srv.sin_family = AF_INET;
	srv.sin_port = htons((uint16_t)atoi(port));
	srv.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(l, (struct sockaddr *)&srv, sizeof srv) || listen(l, 4)) {
		fprintf(stderr, "owork: bind 127.0.0.1:%s: %s\n", port, strerror(errno));
		return 75;
	}
	pthread_create(&th, NULL, client_main, &ok);
	c = accept(l, NULL, NULL);
	if (c >= 0 && read(c, buf, 4) == 4 && write(c, "pong", 4) == 4)
		printf("server got %s\n", buf);
	pthread_join(th, NULL);
	printf("client ok %d\n", ok);
	close(c);
	close(l);

	/* Nobody listens any more: refused. */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	printf("connect closed port %s\n", connect(fd, (struct sockaddr *)&srv, sizeof srv) ? "refused" : "accepted");
	close(fd);

	struct sockaddr_un un = { .sun_family = AF_UNIX };
	snprintf(un.sun_path, sizeof un.sun_path, "/nonexistent/udig-oracle.sock");
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	printf("connect unix %s\n", connect(fd, (struct sockaddr *)&un, sizeof un) ? "failed" : "connected");
	close(fd);
	fflush(stdout);
	return 0;
}

/* ----------------------------------------------------------------- main */

static int usage(void)
{
	fprintf(stderr, "usage: owork threads|fork|vfork|spawn|envi|tcp PORT|all PORT|leaf FILE|chain N FILE\n");
	return 2;
}

int main(int argc, char **argv)
{
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return 1;
	self[n] = 0;
	if (argc < 2)
		return usage();
	const char *m = argv[1];
	if (!strcmp(m, "leaf") && argc == 3) {
		printf("leaf %s %d\n", argv[2], do_openat(argv[2]));
		return 0;
	}
	if (!strcmp(m, "chain") && argc == 4) {
		int k = atoi(argv[2]);
		char num[16];
		snprintf(num, sizeof num, "%d", k - 1);
		char *chain[] = { (char *)"owork", (char *)"chain", num, argv[3], NULL };
		char *leaf[] = { (char *)"owork", (char *)"leaf", argv[3], NULL };
		printf("chain %d\n", k);
		fflush(stdout);
		execve(self, k > 0 ? chain : leaf, environ);
		return 98;
	}
	if (!strcmp(m, "threads"))
		run_threads();
	else if (!strcmp(m, "fork"))
		run_fork();
	else if (!strcmp(m, "vfork"))
		run_vfork();
	else if (!strcmp(m, "spawn"))
		run_spawn();
	else if (!strcmp(m, "tcp") && argc == 3)
		return run_tcp(argv[2]);
	else if (!strcmp(m, "envi")) {
		char *av[] = { (char *)"env", (char *)"-i", self, (char *)"leaf", (char *)"/etc/hostname", NULL };
		fflush(stdout);
		execve("/usr/bin/env", av, environ);
		return 98;
	} else if (!strcmp(m, "all") && argc == 3) {
		run_threads();
		run_fork();
		run_vfork();
		run_spawn();
		return run_tcp(argv[2]);
	} else
		return usage();
	return 0;
}
