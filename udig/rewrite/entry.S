/*
 * urw_entry: the trampolines' way into the recorder (tramp.c calls it from
 * T with the red zone skipped, so [rsp] is T_done).
 *
 * A `syscall` preserves every register but rax, rcx and r11, vector state
 * included, so this saves the caller-saved general registers and the
 * flags, then calls urw_fast(frame) on a 16-byte aligned stack.  Vector
 * and x87 state need no saving: nothing the recorder runs touches it
 * (udig/preload/novec.c).  urw_fast returns 1 when it performed and
 * recorded the call (frame rax = result, rcx = S+2, r11 = flags, as the
 * instruction leaves them); 0 sends the thread to T_trap (= T_done + 13)
 * with every register as it came, to take the trap path.
 *
 * Frame, from rsp after the pushes: r12 rbx r11 r10 r9 r8 rdi rsi rdx rcx
 * rax rflags ret (struct urw_frame in fast.c).
 */
	.text
	.globl urw_entry
	.hidden urw_entry
	.type urw_entry, @function
urw_entry:
	pushfq
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	push %rbx
	push %r12
	mov %rsp, %rbx
	cld
	and $-16, %rsp
	mov %rbx, %rdi
	call urw_fast
	mov %rbx, %rsp
	test %eax, %eax
	jnz 1f
	addq $13, 96(%rsp)
1:	pop %r12
	pop %rbx
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	popfq
	ret
	.globl urw_entry_end
	.hidden urw_entry_end
urw_entry_end:
	.size urw_entry, .-urw_entry
	.section .note.GNU-stack,"",@progbits
