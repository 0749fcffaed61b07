/*
 * The /proc scanner on this test process: every field of its own thread
 * entry against what the test knows from other sources (syscalls, its own
 * bookkeeping), a second thread sharing the fd table, and each fd type the
 * test opens itself.
 */
#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/netlink.h>
#include <unistd.h>
#include "capture-int.h"

static int scan(struct udig_tables *t)
{
	char err[UDIG_ERRBUF_SIZE];
	tables_init(t);
	int rc = procscan_threads(t, err);
	ck_assert_msg(rc == UDIG_OK, "procscan_threads: %s", err);
	return rc;
}

START_TEST(machine)
{
	struct udig_machine_info mi;
	char err[UDIG_ERRBUF_SIZE], host[128] = "";
	ck_assert_int_eq(procscan_machine(&mi, err), UDIG_OK);
	ck_assert_uint_eq(mi.num_cpus, (uint32_t)sysconf(_SC_NPROCESSORS_ONLN));
	ck_assert_uint_eq(mi.memory_size_bytes, (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE));
	gethostname(host, sizeof host - 1);
	ck_assert_str_eq(mi.hostname, host);
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	unsigned long long pm = 0;
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%llu", &pm), 1);
	fclose(f);
	ck_assert_uint_eq(mi.max_pid, pm);
}
END_TEST

START_TEST(self_thread_fields)
{
	struct udig_tables t;
	char comm[17] = "", cwd[PATH_MAX], exe[PATH_MAX];
	struct rlimit rl;
	scan(&t);
	struct thread_entry *te = tables_thread_get(&t, getpid());
	ck_assert_ptr_nonnull(te);
	const struct udig_threadinfo *ti = &te->ti;

	prctl(PR_GET_NAME, comm, 0, 0, 0);
	ck_assert_str_eq(ti->comm, comm);
	ck_assert_int_eq(ti->pid, getpid());
	ck_assert_int_eq(ti->ptid, getppid());
	ck_assert_int_eq(ti->sid, getsid(0));
	ck_assert_int_eq(ti->vpgid, getpgrp());
	ck_assert_uint_eq(ti->uid, geteuid());
	ck_assert_uint_eq(ti->gid, getegid());
	ck_assert_int_eq(ti->vtid, getpid()); /* no nested pid namespace here */
	ck_assert_int_eq(ti->vpid, getpid());
	ck_assert_uint_eq(ti->flags, 0);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_str_eq(ti->cwd, cwd); /* stored as readlink gives it: no trailing '/' */
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = 0;
	ck_assert_str_eq(ti->exepath, exe);
	ck_assert_str_eq(ti->root, "/");
	getrlimit(RLIMIT_NOFILE, &rl);
	ck_assert_int_eq(ti->fdlimit, rl.rlim_cur == RLIM_INFINITY ? -1 : (int64_t)rl.rlim_cur);
	ck_assert_uint_gt(ti->vmsize_kb, 0);
	ck_assert_uint_gt(ti->vmrss_kb, 0);
	ck_assert_uint_gt(ti->pfminor, 0);
	ck_assert_uint_gt(ti->nfds, 2);

	/* env: our own environment, NUL-separated, starting with environ[0] */
	extern char **environ;
	if (environ[0]) {
		ck_assert_uint_gt(ti->env.len, 0);
		ck_assert_str_eq(ti->env.data, environ[0]);
	}
	/* cgroups: subsys=path entries; the v2 line as cpu/memory/cpuset */
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[1024];
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (strncmp(line, "0::", 3) == 0) {
			char want[1100];
			/* the reference keeps the newline of that line */
			snprintf(want, sizeof want, "memory=%s\n", line + 3);
			int found = 0;
			for (uint32_t off = 0; off < ti->cgroups.len; off += (uint32_t)strlen(ti->cgroups.data + off) + 1)
				found |= strcmp(ti->cgroups.data + off, want) == 0;
			ck_assert_msg(found, "no %s in the cgroups", want);
		}
	}
	if (f)
		fclose(f);
	tables_free(&t);
}
END_TEST

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static void *idle_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	pthread_mutex_unlock(&mu);
	return NULL;
}

START_TEST(second_thread_shares_fds)
{
	struct udig_tables t;
	pthread_t th;
	int found = 0;
	pthread_mutex_lock(&mu);
	ck_assert_int_eq(pthread_create(&th, NULL, idle_thread, NULL), 0);
	scan(&t);
	pthread_mutex_unlock(&mu);
	pthread_join(th, NULL);
	struct thread_entry *te, *tmp;
	HASH_ITER(hh, t.threads, te, tmp) {
		if (te->ti.pid != getpid() || te->ti.tid == getpid())
			continue;
		found++;
		ck_assert_uint_eq(te->ti.flags, UDIG_CLONE_THREAD | UDIG_CLONE_FILES);
		ck_assert_ptr_null(te->fds); /* fds live in the main thread's table */
		ck_assert_ptr_nonnull(tables_fd_get(&t, te->ti.tid, 0));
	}
	ck_assert_int_eq(found, 1);
	tables_free(&t);
}
END_TEST

static const struct udig_fdinfo *fd_of(struct udig_tables *t, int fd)
{
	struct fd_entry *fe = tables_fd_get(t, getpid(), fd);
	ck_assert_msg(fe != NULL, "fd %d not scanned", fd);
	return &fe->fi;
}

/* A child (with a thread) and its child, waiting on a pipe until we close
 * it: the descendants udig_live_opts.proc_scan_late leaves out. */
static void *idle_forever(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

START_TEST(descendants_are_dropped)
{
	int p[2], ready[2];
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pipe(ready), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		char b;
		pthread_t th;
		close(p[1]);
		pid_t grand = fork();
		if (grand == 0) {
			/* In /proc from fork's return on: nothing to wait for. */
			if (read(p[0], &b, 1) < 0)
				_exit(1);
			_exit(0);
		}
		if (pthread_create(&th, NULL, idle_forever, NULL) || write(ready[1], &grand, sizeof grand) != sizeof grand)
			_exit(1);
		if (read(p[0], &b, 1) < 0)
			_exit(1);
		waitpid(grand, NULL, 0);
		_exit(0);
	}
	close(p[0]);
	pid_t grand = 0;
	ck_assert_int_eq(read(ready[0], &grand, sizeof grand), (ssize_t)sizeof grand);

	struct udig_tables t;
	scan(&t);
	struct thread_entry *te, *tmp;
	int child_threads = 0;
	HASH_ITER(hh, t.threads, te, tmp)
		child_threads += te->ti.pid == child;
	ck_assert_int_eq(child_threads, 2);
	ck_assert_ptr_nonnull(tables_thread_get(&t, grand));
	ck_assert_int_eq(tables_thread_get(&t, grand)->ti.ptid, child);
	int64_t parent = getppid();
	int had_parent = tables_thread_get(&t, parent) != NULL;

	procscan_drop_descendants(&t, getpid());
	HASH_ITER(hh, t.threads, te, tmp) {
		ck_assert_msg(te->ti.pid != child && te->ti.pid != grand, "thread %lld of a descendant kept",
			      (long long)te->ti.tid);
	}
	/* We, our ancestors and everyone else stay. */
	ck_assert_ptr_nonnull(tables_thread_get(&t, getpid()));
	ck_assert_int_eq(tables_thread_get(&t, parent) != NULL, had_parent);
	ck_assert_ptr_nonnull(tables_thread_get(&t, 1));
	tables_free(&t);

	close(p[1]);
	int st;
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(ready[0]);
	close(ready[1]);
}
END_TEST

/* udig run's scan: this process whole, then one entry per ancestor up to
 * init (or the edge of our pid namespace), and no one else — not a child,
 * not a process outside the line. */
START_TEST(ancestry_is_us_and_our_line_only)
{
	char err[UDIG_ERRBUF_SIZE];
	pthread_t th;
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		char b;
		close(p[1]);
		_exit(read(p[0], &b, 1) < 0);
	}
	close(p[0]);
	ck_assert_int_eq(pthread_create(&th, NULL, idle_forever, NULL), 0);

	struct udig_tables t;
	tables_init(&t);
	ck_assert_msg(procscan_ancestry(&t, getpid(), err) == UDIG_OK, "procscan_ancestry: %s", err);

	/* Ours: both threads, and our fds (the pipe's write end among them). */
	struct thread_entry *te, *tmp;
	int ours = 0;
	HASH_ITER(hh, t.threads, te, tmp)
		ours += te->ti.pid == getpid();
	ck_assert_int_eq(ours, 2);
	ck_assert_ptr_nonnull(tables_fd_get(&t, getpid(), p[1]));
	ck_assert_ptr_null(tables_thread_get(&t, child));

	/* The rest is exactly our line: following ptid from us meets every
	 * other entry once, each a main thread without fds, and ends at a
	 * process whose parent is not visible. */
	unsigned n = HASH_COUNT(t.threads), line = 0;
	int64_t pid = getppid();
	ck_assert_ptr_nonnull(tables_thread_get(&t, pid));
	while (pid > 0 && (te = tables_thread_get(&t, pid)) != NULL) {
		ck_assert_int_eq(te->ti.tid, te->ti.pid);
		ck_assert_ptr_null(te->fds);
		line++;
		pid = te->ti.ptid;
	}
	ck_assert_int_eq(pid, 0);
	ck_assert_uint_eq(n, (unsigned)ours + line);
	tables_free(&t);

	/* Asked for by another thread's id: the same line, its process's. */
	int64_t other = 0;
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (atoll(de->d_name) > 0 && atoll(de->d_name) != getpid())
			other = atoll(de->d_name);
	closedir(d);
	ck_assert_int_gt(other, 0);
	tables_init(&t);
	ck_assert_int_eq(procscan_ancestry(&t, other, err), UDIG_OK);
	ck_assert_uint_eq(HASH_COUNT(t.threads), n);
	ck_assert_ptr_nonnull(tables_fd_get(&t, getpid(), p[1]));
	tables_free(&t);

	/* A line that is gone reads as nothing, not as an error. */
	tables_init(&t);
	close(p[1]);
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	ck_assert_int_eq(procscan_ancestry(&t, child, err), UDIG_OK);
	ck_assert_uint_eq(HASH_COUNT(t.threads), 0);
	tables_free(&t);
}
END_TEST

START_TEST(fd_types)
{
	char dir[] = "/tmp/udigps.XXXXXX", path[256];
	struct sockaddr_in a;
	socklen_t al = sizeof a;
	struct stat st;
	int p[2];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/f", dir);
	int ffile = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	int fdir = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(pipe(p), 0);
	int fev = eventfd(0, 0);
	int fep = epoll_create1(0);
	int fino = inotify_init();
	int ftim = timerfd_create(CLOCK_MONOTONIC, 0);
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR1);
	int fsig = signalfd(-1, &ss, 0);
	int fnl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	/* only bound netlink sockets are listed in /proc/net/netlink */
	struct sockaddr_nl nl;
	memset(&nl, 0, sizeof nl);
	nl.nl_family = AF_NETLINK;
	ck_assert_int_eq(bind(fnl, (struct sockaddr *)&nl, sizeof nl), 0);

	int flis = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(flis, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(flis, 1), 0);
	getsockname(flis, (struct sockaddr *)&a, &al);
	uint16_t lport = ntohs(a.sin_port);
	int fcli = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(fcli, (struct sockaddr *)&a, sizeof a), 0);
	struct sockaddr_in c;
	socklen_t cl = sizeof c;
	getsockname(fcli, (struct sockaddr *)&c, &cl);
	int fudp = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_port = 0;
	ck_assert_int_eq(bind(fudp, (struct sockaddr *)&a, sizeof a), 0);
	struct sockaddr_in u;
	socklen_t ul = sizeof u;
	getsockname(fudp, (struct sockaddr *)&u, &ul);

	struct sockaddr_un un;
	memset(&un, 0, sizeof un);
	un.sun_family = AF_UNIX;
	snprintf(un.sun_path, sizeof un.sun_path, "%s/sock", dir);
	int funix = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(funix, (struct sockaddr *)&un, sizeof un), 0);

	struct udig_tables t;
	scan(&t);
	const struct udig_fdinfo *fi;

	fi = fd_of(&t, ffile);
	ck_assert_int_eq(fi->type, UDIG_FD_FILE_V2);
	ck_assert_str_eq(fi->name, path);
	ck_assert_uint_eq(fi->open_flags, UDIG_O_WRONLY | UDIG_O_APPEND | UDIG_O_CLOEXEC);
	fstat(ffile, &st);
	ck_assert_uint_eq(fi->ino, st.st_ino);
	ck_assert_uint_eq(fi->dev, (uint32_t)st.st_dev);

	fi = fd_of(&t, fdir);
	ck_assert_int_eq(fi->type, UDIG_FD_DIRECTORY);
	ck_assert_str_eq(fi->name, dir);

	fi = fd_of(&t, p[0]);
	ck_assert_int_eq(fi->type, UDIG_FD_FIFO);
	fstat(p[0], &st);
	char pn[64];
	snprintf(pn, sizeof pn, "pipe:[%lu]", (unsigned long)st.st_ino);
	ck_assert_str_eq(fi->name, pn);

	ck_assert_int_eq(fd_of(&t, fev)->type, UDIG_FD_EVENT);
	ck_assert_int_eq(fd_of(&t, fep)->type, UDIG_FD_EVENTPOLL);
	ck_assert_int_eq(fd_of(&t, fino)->type, UDIG_FD_INOTIFY);
	ck_assert_int_eq(fd_of(&t, ftim)->type, UDIG_FD_TIMERFD);
	ck_assert_int_eq(fd_of(&t, fsig)->type, UDIG_FD_SIGNALFD);
	ck_assert_int_eq(fd_of(&t, fnl)->type, UDIG_FD_NETLINK);

	fi = fd_of(&t, flis);
	ck_assert_int_eq(fi->type, UDIG_FD_IPV4_SERVSOCK);
	ck_assert_uint_eq(fi->sock.v4serv.port, lport);
	ck_assert_uint_eq(fi->sock.v4serv.l4proto, UDIG_L4_TCP);
	ck_assert_mem_eq(fi->sock.v4serv.ip, "\x7f\0\0\1", 4);

	fi = fd_of(&t, fcli);
	ck_assert_int_eq(fi->type, UDIG_FD_IPV4_SOCK);
	ck_assert_uint_eq(fi->sock.v4.sport, ntohs(c.sin_port));
	ck_assert_uint_eq(fi->sock.v4.dport, lport);
	ck_assert_uint_eq(fi->sock.v4.l4proto, UDIG_L4_TCP);
	ck_assert_mem_eq(fi->sock.v4.dip, "\x7f\0\0\1", 4);

	fi = fd_of(&t, fudp);
	ck_assert_int_eq(fi->type, UDIG_FD_IPV4_SERVSOCK);
	ck_assert_uint_eq(fi->sock.v4serv.port, ntohs(u.sin_port));
	ck_assert_uint_eq(fi->sock.v4serv.l4proto, UDIG_L4_UDP);

	fi = fd_of(&t, funix);
	ck_assert_int_eq(fi->type, UDIG_FD_UNIX_SOCK);
	ck_assert_str_eq(fi->name, un.sun_path);
	ck_assert_uint_ne(fi->sock.unix_sock.source, 0);

	tables_free(&t);
	unlink(un.sun_path);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(users_and_ifaces)
{
	struct udig_tables t;
	char err[UDIG_ERRBUF_SIZE];
	struct user_entry *ue = NULL;
	struct group_entry *ge = NULL;
	uint32_t uid = geteuid(), gid0 = 0;
	size_t i;
	int lo = 0;
	tables_init(&t);
	ck_assert_int_eq(procscan_users(&t, err), UDIG_OK);
	ck_assert_int_eq(procscan_ifaces(&t, err), UDIG_OK);
	struct passwd *pw = getpwuid(uid);
	HASH_FIND(hh, t.users, &uid, sizeof uid, ue);
	if (pw) {
		ck_assert_ptr_nonnull(ue);
		ck_assert_str_eq(ue->u.name, pw->pw_name);
		ck_assert_str_eq(ue->u.homedir, pw->pw_dir);
		ck_assert_str_eq(ue->u.shell, pw->pw_shell);
		ck_assert_uint_eq(ue->u.gid, pw->pw_gid);
	}
	HASH_FIND(hh, t.groups, &gid0, sizeof gid0, ge);
	ck_assert_ptr_nonnull(ge);
	ck_assert_str_eq(ge->g.name, "root");
	for (i = 0; i < t.n_if4; i++)
		if (strcmp(t.if4[i].name, "lo") == 0) {
			lo = 1;
			ck_assert_mem_eq(t.if4[i].addr, "\x7f\0\0\1", 4);
			ck_assert_mem_eq(t.if4[i].netmask, "\xff\0\0\0", 4);
		}
	ck_assert_int_eq(lo, 1);
	tables_free(&t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("procscan");
	TCase *tc = tcase_create("scan");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, machine);
	tcase_add_test(tc, self_thread_fields);
	tcase_add_test(tc, second_thread_shares_fds);
	tcase_add_test(tc, descendants_are_dropped);
	tcase_add_test(tc, ancestry_is_us_and_our_line_only);
	tcase_add_test(tc, fd_types);
	tcase_add_test(tc, users_and_ifaces);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
