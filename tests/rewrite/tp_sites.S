/*
 * Syscall sites of known shapes for tests/rewrite (a library the test
 * program dlopens after start).  Each function has CFI, so .eh_frame gives
 * the rewriter its bounds, as for any compiled function.
 */
	.text

/* long site_getppid(void): `mov $110,%eax` (5 bytes) right before the
 * syscall: the common libc shape, rewritten. */
	.globl site_getppid
	.type site_getppid, @function
site_getppid:
	.cfi_startproc
	mov $110, %eax
	syscall
	ret
	.cfi_endproc
	.size site_getppid, .-site_getppid

/* long site_race(void): the same, for threads that all arrive at once. */
	.globl site_race
	.type site_race, @function
site_race:
	.cfi_startproc
	mov $110, %eax
	syscall
	ret
	.cfi_endproc
	.size site_race, .-site_race

/* long site_riprel(void): the number comes through a RIP-relative load,
 * which the trampoline must fix up. */
	.globl site_riprel
	.type site_riprel, @function
site_riprel:
	.cfi_startproc
	mov nr_getppid(%rip), %eax
	syscall
	ret
	.cfi_endproc
	.size site_riprel, .-site_riprel

/* long site_jcc(int fd, void *buf, size_t n): read(2) unless `skip` is
 * set (then -1): the window holds a RIP-relative compare and a
 * conditional jump, as libc's read does. */
	.globl site_jcc
	.type site_jcc, @function
site_jcc:
	.cfi_startproc
	cmpl $0, .Lskip(%rip)
	jne 1f
	xor %eax, %eax
	syscall
	ret
1:	mov $-1, %rax
	ret
	.cfi_endproc
	.size site_jcc, .-site_jcc

/* long site_short(long nr): only 1- and 2-byte instructions before the
 * syscall: refused ("short"), stays on the trap path. */
	.globl site_short
	.type site_short, @function
site_short:
	.cfi_startproc
	push %rbx
	.cfi_adjust_cfa_offset 8
	pop %rbx
	.cfi_adjust_cfa_offset -8
	mov %edi, %eax
	syscall
	ret
	.cfi_endproc
	.size site_short, .-site_short

/* void site_regs(uint64_t *io): loads r10 rbx rbp r12-r15 rdi rsi rdx r8
 * r9 from io[0..11]; io[12] picks the vector registers: 0 xmm0-15 from
 * io[16..47], 1 ymm0-15 from io[48..111], 2 also ymm16, 17, 24, 31 from
 * io[112..127].  Sets DF, calls getppid through a 5-byte-window site and
 * stores everything back, with the result in io[13], the flags after the
 * call in io[14], rcx in io[15] and the address rcx must hold (the
 * instruction after the syscall) in io[128]. */
	.globl site_regs
	.type site_regs, @function
site_regs:
	.cfi_startproc
	push %rbx
	.cfi_adjust_cfa_offset 8
	push %rbp
	.cfi_adjust_cfa_offset 8
	push %r12
	.cfi_adjust_cfa_offset 8
	push %r13
	.cfi_adjust_cfa_offset 8
	push %r14
	.cfi_adjust_cfa_offset 8
	push %r15
	.cfi_adjust_cfa_offset 8
	push %rdi
	.cfi_adjust_cfa_offset 8
	mov %rdi, %rax
	cmpq $1, 96(%rax)
	jb 2f
	vmovdqu 384(%rax), %ymm0
	vmovdqu 416(%rax), %ymm1
	vmovdqu 448(%rax), %ymm2
	vmovdqu 480(%rax), %ymm3
	vmovdqu 512(%rax), %ymm4
	vmovdqu 544(%rax), %ymm5
	vmovdqu 576(%rax), %ymm6
	vmovdqu 608(%rax), %ymm7
	vmovdqu 640(%rax), %ymm8
	vmovdqu 672(%rax), %ymm9
	vmovdqu 704(%rax), %ymm10
	vmovdqu 736(%rax), %ymm11
	vmovdqu 768(%rax), %ymm12
	vmovdqu 800(%rax), %ymm13
	vmovdqu 832(%rax), %ymm14
	vmovdqu 864(%rax), %ymm15
	cmpq $2, 96(%rax)
	jb 3f
	vmovdqu64 896(%rax), %ymm16
	vmovdqu64 928(%rax), %ymm17
	vmovdqu64 960(%rax), %ymm24
	vmovdqu64 992(%rax), %ymm31
	jmp 3f
2:	movdqu 128(%rax), %xmm0
	movdqu 144(%rax), %xmm1
	movdqu 160(%rax), %xmm2
	movdqu 176(%rax), %xmm3
	movdqu 192(%rax), %xmm4
	movdqu 208(%rax), %xmm5
	movdqu 224(%rax), %xmm6
	movdqu 240(%rax), %xmm7
	movdqu 256(%rax), %xmm8
	movdqu 272(%rax), %xmm9
	movdqu 288(%rax), %xmm10
	movdqu 304(%rax), %xmm11
	movdqu 320(%rax), %xmm12
	movdqu 336(%rax), %xmm13
	movdqu 352(%rax), %xmm14
	movdqu 368(%rax), %xmm15
3:	mov 8(%rax), %rbx
	mov 16(%rax), %rbp
	mov 24(%rax), %r12
	mov 32(%rax), %r13
	mov 40(%rax), %r14
	mov 48(%rax), %r15
	mov 56(%rax), %rdi
	mov 64(%rax), %rsi
	mov 72(%rax), %rdx
	mov 80(%rax), %r8
	mov 88(%rax), %r9
	mov 0(%rax), %r10
	std
	mov $110, %eax
	syscall
.Lafter:
	pushfq
	cld
	push %rax
	mov 16(%rsp), %rax      /* io */
	pop 104(%rax)           /* getppid's result over io[13]... */
	pop 112(%rax)           /* flags after the call: io[14] */
	mov %rcx, 120(%rax)     /* io[15] */
	mov %r10, 0(%rax)
	mov %rbx, 8(%rax)
	mov %rbp, 16(%rax)
	mov %r12, 24(%rax)
	mov %r13, 32(%rax)
	mov %r14, 40(%rax)
	mov %r15, 48(%rax)
	mov %rdi, 56(%rax)
	mov %rsi, 64(%rax)
	mov %rdx, 72(%rax)
	mov %r8, 80(%rax)
	mov %r9, 88(%rax)
	lea .Lafter(%rip), %rcx
	mov %rcx, 1024(%rax)    /* io[128]: where rcx should point */
	cmpq $1, 96(%rax)
	jb 4f
	vmovdqu %ymm0, 384(%rax)
	vmovdqu %ymm1, 416(%rax)
	vmovdqu %ymm2, 448(%rax)
	vmovdqu %ymm3, 480(%rax)
	vmovdqu %ymm4, 512(%rax)
	vmovdqu %ymm5, 544(%rax)
	vmovdqu %ymm6, 576(%rax)
	vmovdqu %ymm7, 608(%rax)
	vmovdqu %ymm8, 640(%rax)
	vmovdqu %ymm9, 672(%rax)
	vmovdqu %ymm10, 704(%rax)
	vmovdqu %ymm11, 736(%rax)
	vmovdqu %ymm12, 768(%rax)
	vmovdqu %ymm13, 800(%rax)
	vmovdqu %ymm14, 832(%rax)
	vmovdqu %ymm15, 864(%rax)
	cmpq $2, 96(%rax)
	jb 5f
	vmovdqu64 %ymm16, 896(%rax)
	vmovdqu64 %ymm17, 928(%rax)
	vmovdqu64 %ymm24, 960(%rax)
	vmovdqu64 %ymm31, 992(%rax)
	jmp 5f
4:	movdqu %xmm0, 128(%rax)
	movdqu %xmm1, 144(%rax)
	movdqu %xmm2, 160(%rax)
	movdqu %xmm3, 176(%rax)
	movdqu %xmm4, 192(%rax)
	movdqu %xmm5, 208(%rax)
	movdqu %xmm6, 224(%rax)
	movdqu %xmm7, 240(%rax)
	movdqu %xmm8, 256(%rax)
	movdqu %xmm9, 272(%rax)
	movdqu %xmm10, 288(%rax)
	movdqu %xmm11, 304(%rax)
	movdqu %xmm12, 320(%rax)
	movdqu %xmm13, 336(%rax)
	movdqu %xmm14, 352(%rax)
	movdqu %xmm15, 368(%rax)
5:	cmpq $1, 96(%rax)
	jb 6f
	vzeroupper
6:	pop %rdi
	.cfi_adjust_cfa_offset -8
	pop %r15
	.cfi_adjust_cfa_offset -8
	pop %r14
	.cfi_adjust_cfa_offset -8
	pop %r13
	.cfi_adjust_cfa_offset -8
	pop %r12
	.cfi_adjust_cfa_offset -8
	pop %rbp
	.cfi_adjust_cfa_offset -8
	pop %rbx
	.cfi_adjust_cfa_offset -8
	ret
	.cfi_endproc
	.size site_regs, .-site_regs

	.data
	.globl skip
skip:
.Lskip:	.long 0
	.section .rodata
nr_getppid:
	.long 110
	.section .note.GNU-stack,"",@progbits
