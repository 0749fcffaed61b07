/*
 * size_t up_copy_checked(void *dst, const void *src, size_t len)
 *
 * Copies from the program's memory without a syscall, and without dying when
 * src is not readable: a SIGSEGV or SIGBUS raised by the one instruction at
 * up_copy_checked_insn is turned by faults.c into a jump to
 * up_copy_checked_fixup, as the kernel does with its exception tables.
 * Returns the bytes copied: len, or fewer when the copy faulted (the faulting
 * rep movsb leaves rcx = bytes not yet copied).  dst is always ours.
 */
	.text
	.globl up_copy_checked
	.hidden up_copy_checked
	.globl up_copy_checked_insn
	.hidden up_copy_checked_insn
	.globl up_copy_checked_fixup
	.hidden up_copy_checked_fixup
	.type up_copy_checked, @function
up_copy_checked:
	movq %rdx, %rcx
	movq %rdx, %rax
up_copy_checked_insn:
	rep movsb
	ret
up_copy_checked_fixup:
	subq %rcx, %rax
	ret
	.size up_copy_checked, .-up_copy_checked

	.section .note.GNU-stack,"",@progbits
