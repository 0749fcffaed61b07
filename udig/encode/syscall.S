/* long udig_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
 * System V: nr=rdi a1=rsi a2=rdx a3=rcx a4=r8 a5=r9 a6=8(%rsp)
 * kernel:   nr=rax a1=rdi a2=rsi a3=rdx a4=r10 a5=r8 a6=r9 */
	.text
	.globl udig_syscall6
	.hidden udig_syscall6
	.globl udig_syscall_insn
	.hidden udig_syscall_insn
	.globl udig_syscall_insn_end
	.hidden udig_syscall_insn_end
	.type udig_syscall6, @function
udig_syscall6:
	.cfi_startproc
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	movq %r8, %r10
	movq %r9, %r8
	movq 8(%rsp), %r9
udig_syscall_insn:
	syscall
udig_syscall_insn_end:
	ret
	.cfi_endproc
	.size udig_syscall6, .-udig_syscall6
	.section .note.GNU-stack,"",@progbits
