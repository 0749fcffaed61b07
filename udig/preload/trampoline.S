/*
 * The preload engine's own `syscall` instructions besides udig_syscall6's.
 * Each is followed by a *_end label: the seccomp fallback allows exactly
 * these instruction addresses (the filter sees the address after the
 * instruction).  They need assembly because they run with a stack pointer
 * that is not ours to use as a C frame: a signal frame, or a new task's.
 *
 * struct up_child: regs[18] (gregs order R8 R9 R10 R11 R12 R13 R14 R15 RDI
 * RSI RBP RBX RDX RAX RCX RSP RIP EFL) at offset 0.
 * struct up_vfork: offsets below, checked by _Static_assert in clone.c.
 */
#define V_NR    208
#define V_A     216
#define V_APPSP 256
#define V_SAVE  264
#define V_CAP   272
#define V_LEN   280

	.text

/* Restorer of our SIGSYS handler: rt_sigreturn on the frame the kernel built. */
	.globl up_restorer
	.hidden up_restorer
	.globl up_restorer_end
	.hidden up_restorer_end
	.type up_restorer, @function
up_restorer:
	movq $15, %rax
	syscall
up_restorer_end:
	hlt
	.size up_restorer, .-up_restorer

/* void up_app_sigreturn(uint64_t sp): the program's own rt_sigreturn,
 * performed on its stack (its frame sits at sp) from our code. */
	.globl up_app_sigreturn
	.hidden up_app_sigreturn
	.globl up_app_sigreturn_end
	.hidden up_app_sigreturn_end
	.type up_app_sigreturn, @function
up_app_sigreturn:
	movq %rdi, %rsp
	movq $15, %rax
	syscall
up_app_sigreturn_end:
	hlt
	.size up_app_sigreturn, .-up_app_sigreturn

/* Resume the program in a new task.  r12 = struct up_child.  The program's
 * registers are loaded as its `syscall` left them in the parent (rcx = rip,
 * r11 = rflags), rax = 0, rsp = the child's stack, then jump to the
 * instruction after its syscall.  Nothing is written to the stack but the
 * return address slot just below the child's stack pointer. */
	.type up_resume, @function
up_resume:
	movq 15*8(%r12), %r11
	subq $8, %r11
	movq 16*8(%r12), %rcx
	movq %rcx, (%r11)
	movq %r11, %rsp
	movq 0*8(%r12), %r8
	movq 1*8(%r12), %r9
	movq 2*8(%r12), %r10
	movq 5*8(%r12), %r13
	movq 6*8(%r12), %r14
	movq 7*8(%r12), %r15
	movq 8*8(%r12), %rdi
	movq 9*8(%r12), %rsi
	movq 10*8(%r12), %rbp
	movq 11*8(%r12), %rbx
	movq 12*8(%r12), %rdx
	movq 17*8(%r12), %r11
	movq 4*8(%r12), %r12
	xorl %eax, %eax
	ret
	.size up_resume, .-up_resume

/* long up_clone_thread(long nr, long a0, long a1, long a2, long a3, long a4,
 *                      struct up_child *ch)
 * clone/clone3 with a new stack and CLONE_VM.  The parent returns the
 * result.  The child starts here on its new stack (ch lies just below the
 * stack pointer it was given), announces itself in C below ch, and resumes
 * the program with up_resume: it never returns into the handler, whose
 * frame belongs to the parent. */
	.globl up_clone_thread
	.hidden up_clone_thread
	.globl up_clone_thread_end
	.hidden up_clone_thread_end
	.type up_clone_thread, @function
up_clone_thread:
	pushq %r12
	movq 16(%rsp), %r12
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	movq %r8, %r10
	movq %r9, %r8
	syscall
up_clone_thread_end:
	testq %rax, %rax
	jz 1f
	popq %r12
	ret
1:	movq %r12, %rsp
	andq $-16, %rsp
	movq %r12, %rdi
	call up_child_entry
	jmp up_resume
	.size up_clone_thread, .-up_clone_thread

/* long up_vfork_run(struct up_vfork *v)
 * vfork (as clone with CLONE_VM|CLONE_VFORK and the program's stack pointer
 * as the child's stack).  The child runs on the parent's stack and will
 * overwrite everything below the program's stack pointer: our handler's
 * frames and the kernel's signal frame.  So the parent first copies
 * [its sp, program sp) into v->save and, once the kernel resumes it (the
 * child has exec'd or exited), copies it back before touching the stack.
 * Returns -ENOMEM with v->len = -1 (nothing done) when the region is larger
 * than v->cap. */
	.globl up_vfork_run
	.hidden up_vfork_run
	.globl up_vfork_run_end
	.hidden up_vfork_run_end
	.type up_vfork_run, @function
up_vfork_run:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rdi, %r12
	movq %rsp, %r13
	movq V_APPSP(%r12), %rcx
	subq %rsp, %rcx
	cmpq V_CAP(%r12), %rcx
	ja 8f
	movq %rcx, V_LEN(%r12)
	movq %rcx, %r14
	movq %rsp, %rsi
	movq V_SAVE(%r12), %rdi
	cld
	rep movsb
	movq V_NR(%r12), %rax
	movq V_A+0(%r12), %rdi
	movq V_A+8(%r12), %rsi
	movq V_A+16(%r12), %rdx
	movq V_A+24(%r12), %r10
	movq V_A+32(%r12), %r8
	syscall
up_vfork_run_end:
	testq %rax, %rax
	jz 2f
	movq %rax, %r15
	movq %r13, %rdi
	movq V_SAVE(%r12), %rsi
	movq %r14, %rcx
	cld
	rep movsb
	movq %r15, %rax
9:	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
8:	movq $-1, V_LEN(%r12)
	movq $-12, %rax
	jmp 9b
2:	/* child: below the program's red zone on its own stack */
	movq V_APPSP(%r12), %rsp
	subq $256, %rsp
	andq $-16, %rsp
	movq %r12, %rdi
	call up_child_entry
	jmp up_resume
	.size up_vfork_run, .-up_vfork_run

/* void up_onstack_run(const struct up_onstack_call *k, uint64_t sp)
 * Run a program handler on its alternate stack from sp, its kernel frame
 * having been moved to our stack (signals.c); then put the frame back where
 * the kernel built it, record the program's rt_sigreturn (up_onstack_return)
 * and perform it from there.  The stack pointer stays
 * on the alternate stack throughout, below everything live on it, as it
 * would natively: a signal arriving meanwhile nests below (the kernel only
 * nests on that stack when the interrupted stack pointer is on it), and our
 * stack is released only once the frame is back. */
#define K_HANDLER 0
#define K_SIG     8
#define K_SI      16
#define K_UC      24
#define K_MOVED   32
#define K_FRAME   40
#define K_LEN     48
#define K_FPSLOT  56
#define K_FP      64
#define K_POP     72
#define K_SLOT    80
	.globl up_onstack_run
	.hidden up_onstack_run
	.globl up_onstack_run_end
	.hidden up_onstack_run_end
	.type up_onstack_run, @function
up_onstack_run:
	movq %rdi, %rbx
	movq %rsi, %rsp
	movq K_SIG(%rbx), %rdi
	movq K_SI(%rbx), %rsi
	movq K_UC(%rbx), %rdx
	call *K_HANDLER(%rbx)
	movq K_FRAME(%rbx), %rdi
	leaq -8(%rdi), %rsp
	movq K_MOVED(%rbx), %rsi
	movq K_LEN(%rbx), %rcx
	cld
	rep movsb
	movq K_FPSLOT(%rbx), %rax
	testq %rax, %rax
	jz 1f
	movq K_FP(%rbx), %rcx
	movq %rcx, (%rax)
1:	call up_onstack_return
	movq K_POP(%rbx), %rax
	movq K_SLOT(%rbx), %rcx
	movq %rax, (%rcx)
	addq $16, %rsp
	movq $15, %rax
	syscall
up_onstack_run_end:
	hlt
	.size up_onstack_run, .-up_onstack_run

	.section .note.GNU-stack,"",@progbits
