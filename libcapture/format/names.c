/* Names sysdig gives errno values, signals and fd types. */
#include <string.h>
#include "format-int.h"

const char *format_errno_name(int64_t res)
{
	/* Only -4095..-1 can be an errno; and negating INT64_MIN, which a
	 * forged record may hold, would overflow (the ring fuzzer's find). */
	if (res >= 0 || res < -4095)
		return NULL;
	int64_t err = -res;
	/* kernel-internal restart codes that can leak out of a syscall */
	switch (err) {
	case 512: return "ERESTARTSYS";
	case 513: return "ERESTARTNOINTR";
	case 514: return "ERESTARTNOHAND";
	case 515: return "ENOIOCTLCMD";
	case 516: return "ERESTART_RESTARTBLOCK";
	}
	return strerrorname_np((int)err);
}

static const char *const signal_names[32] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
	"SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
	"SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",
	"SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
};

const char *format_signal_name(unsigned sig)
{
	return sig < 32 ? signal_names[sig] : NULL;
}

static const char fd_chars[] = {
	[UDIG_FD_UNKNOWN] = 'o',     [UDIG_FD_FILE] = 'f',        [UDIG_FD_DIRECTORY] = 'd',
	[UDIG_FD_IPV4_SOCK] = '4',   [UDIG_FD_IPV6_SOCK] = '6',   [UDIG_FD_IPV4_SERVSOCK] = '4',
	[UDIG_FD_IPV6_SERVSOCK] = '6', [UDIG_FD_FIFO] = 'p',      [UDIG_FD_UNIX_SOCK] = 'u',
	[UDIG_FD_EVENT] = 'e',       [UDIG_FD_UNSUPPORTED] = 'X', [UDIG_FD_SIGNALFD] = 's',
	[UDIG_FD_EVENTPOLL] = 'l',   [UDIG_FD_INOTIFY] = 'i',     [UDIG_FD_TIMERFD] = 't',
	[UDIG_FD_NETLINK] = 'n',     [UDIG_FD_FILE_V2] = 'f',
};

char fd_typechar(const struct udig_fdinfo *fi)
{
	if (fi->type < 0 || (size_t)fi->type >= sizeof fd_chars)
		return 'o';
	return fd_chars[fi->type];
}

char fd_l4char(const struct udig_fdinfo *fi)
{
	uint8_t l4;
	switch (fi->type) {
	case UDIG_FD_IPV4_SOCK: l4 = fi->sock.v4.l4proto; break;
	case UDIG_FD_IPV6_SOCK: l4 = fi->sock.v6.l4proto; break;
	case UDIG_FD_IPV4_SERVSOCK: l4 = fi->sock.v4serv.l4proto; break;
	case UDIG_FD_IPV6_SERVSOCK: l4 = fi->sock.v6serv.l4proto; break;
	default: return 0;
	}
	/* libsinsp reports no protocol for a tuple socket without a role
	 * (neither connected, accepted nor guessed from a datagram; of the
	 * initial tables' entries only IPv4 tuples get one), except for raw
	 * sockets; a server socket always shows its protocol */
	int role = fi->role == UDIG_ROLE_CLIENT || fi->role == UDIG_ROLE_SERVER ||
		   (fi->role == UDIG_ROLE_UNKNOWN && fi->type == UDIG_FD_IPV4_SOCK && fi->name[0]);
	if ((fi->type == UDIG_FD_IPV4_SOCK || fi->type == UDIG_FD_IPV6_SOCK) && !role && l4 != UDIG_L4_RAW)
		return 0;
	switch (l4) {
	case UDIG_L4_TCP: return 't';
	case UDIG_L4_UDP: return 'u';
	case UDIG_L4_ICMP: return 'i';
	case UDIG_L4_RAW: return 'r';
	}
	return 0;
}
