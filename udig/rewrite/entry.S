/*
 * urw_entry: the trampolines' way into the recorder (tramp.c calls it from
 * T with the red zone skipped, so [rsp] is T_done).
 *
 * A `syscall` preserves every register but rax, rcx and r11, vector state
 * included, so this saves the caller-saved registers, the flags and the
 * extended state our C code and libc's string functions may clobber (x87,
 * SSE, AVX, AVX-512: the mask is computed in site.c), then calls
 * urw_fast(frame).  It returns 1 when it performed and recorded the call
 * (frame rax = result, rcx = S+2, r11 = flags, as the instruction leaves
 * them); 0 sends the thread to T_trap (= T_done + 13) with every register
 * as it came, to take the trap path.
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
	cmpb $0, urw_has_xsave(%rip)
	je .Lfx
	sub urw_xsave_size(%rip), %rsp
	and $-64, %rsp
	/* XRSTOR faults on a header with reserved bits set: XSAVE leaves
	 * them as they were on this stack. */
	xor %eax, %eax
	mov %rax, 512(%rsp)
	mov %rax, 520(%rsp)
	mov %rax, 528(%rsp)
	mov %rax, 536(%rsp)
	mov %rax, 544(%rsp)
	mov %rax, 552(%rsp)
	mov %rax, 560(%rsp)
	mov %rax, 568(%rsp)
	mov urw_xmask(%rip), %rax
	mov %rax, %rdx
	shr $32, %rdx
	cmpb $2, urw_has_xsave(%rip)
	jne 2f
	/* Compacted, and components still in their initial state (the
	 * upper halves after vzeroupper, AVX-512 unused) are not written. */
	xsavec64 (%rsp)
	jmp 3f
2:	xsave64 (%rsp)
3:	mov %rbx, %rdi
	call urw_fast
	mov %eax, %r12d
	mov urw_xmask(%rip), %rax
	mov %rax, %rdx
	shr $32, %rdx
	xrstor64 (%rsp)
	jmp .Lout
.Lfx:
	sub $512, %rsp
	and $-64, %rsp
	fxsave64 (%rsp)
	mov %rbx, %rdi
	call urw_fast
	mov %eax, %r12d
	fxrstor64 (%rsp)
.Lout:
	mov %rbx, %rsp
	test %r12d, %r12d
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
