# inject: the out-of-process engines (ptrace, unotify).
