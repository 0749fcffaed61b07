/* The record encoder: layout, limits and misuse. */
#include <check.h>
#include <string.h>
#include <udig/encode.h>

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* The worked example of specs/udig-ring.md §7.2, byte for byte. */
START_TEST(open_enter_layout)
{
	uint8_t b[128];
	struct udig_enc e;
	udig_enc_begin(&e, b, sizeof b, UEV_SYSCALL_OPEN_E, 0x18ea93ea45825a3eull, 10956);
	udig_enc_str(&e, "/etc/hostname", 0);
	udig_enc_u32(&e, UDIG_O_RDONLY);
	udig_enc_u32(&e, 0);
	ck_assert_uint_eq(udig_enc_end(&e), 54);
	ck_assert_uint_eq(le(b, 8), 0x18ea93ea45825a3eull);
	ck_assert_uint_eq(le(b + 8, 8), 10956);
	ck_assert_uint_eq(le(b + 16, 4), 54);
	ck_assert_uint_eq(le(b + 20, 2), 2);
	ck_assert_uint_eq(le(b + 22, 4), 3);
	ck_assert_uint_eq(le(b + 26, 2), 14);
	ck_assert_uint_eq(le(b + 28, 2), 4);
	ck_assert_uint_eq(le(b + 30, 2), 4);
	ck_assert_mem_eq(b + 32, "/etc/hostname", 14);
	ck_assert_uint_eq(le(b + 46, 4), 1);
	ck_assert_uint_eq(le(b + 50, 4), 0);
}
END_TEST

START_TEST(null_string_and_empty_buffer)
{
	uint8_t b[128];
	struct udig_enc e;
	udig_enc_begin(&e, b, sizeof b, UEV_SYSCALL_READ_X, 1, 2);
	udig_enc_s64(&e, -14);
	udig_enc_buf(&e, NULL, 100, 80);
	ck_assert_uint_eq(udig_enc_end(&e), 26 + 4 + 8);
	ck_assert_uint_eq(le(b + 28, 2), 0);
	ck_assert_uint_eq(le(b + 30, 8), (uint64_t)-14);

	udig_enc_begin(&e, b, sizeof b, UEV_SYSCALL_EXECVE_19_E, 1, 2);
	udig_enc_str(&e, NULL, 0);
	ck_assert_uint_ne(udig_enc_end(&e), 0);
	ck_assert_uint_eq(le(b + 26, 2), 7);
	ck_assert_mem_eq(b + 28, "(NULL)", 7);
}
END_TEST

START_TEST(snaplen_and_path_limits)
{
	uint8_t b[512], data[200];
	char path[400];
	struct udig_enc e;
	memset(data, 'x', sizeof data);
	udig_enc_begin(&e, b, sizeof b, UEV_SYSCALL_WRITE_X, 1, 2);
	udig_enc_s64(&e, 200);
	udig_enc_buf(&e, data, sizeof data, 80);
	ck_assert_uint_eq(udig_enc_end(&e), 26 + 4 + 8 + 80);

	memset(path, 'p', sizeof path - 1);
	path[sizeof path - 1] = 0;
	udig_enc_begin(&e, b, sizeof b, UEV_SYSCALL_OPENAT_2_E, 1, 2);
	udig_enc_s64(&e, UDIG_AT_FDCWD);
	udig_enc_str(&e, path, UDIG_MAX_PATH_SIZE);
	udig_enc_u32(&e, 0);
	udig_enc_u32(&e, 0);
	ck_assert_uint_ne(udig_enc_end(&e), 0);
	ck_assert_uint_eq(le(b + 26 + 2, 2), UDIG_MAX_PATH_SIZE);
	ck_assert_uint_eq(b[26 + 8 + 8 + UDIG_MAX_PATH_SIZE - 1], 0);
}
END_TEST

START_TEST(never_writes_past_the_buffer)
{
	uint8_t b[64 + 16];
	struct udig_enc e;
	char big[100];
	memset(big, 'a', sizeof big - 1);
	big[99] = 0;
	for (size_t cap = 0; cap <= 64; cap++) {
		memset(b, 0xAA, sizeof b);
		udig_enc_begin(&e, b, cap, UEV_SYSCALL_OPEN_E, 1, 2);
		udig_enc_str(&e, big, 0);
		udig_enc_u32(&e, 1);
		udig_enc_u32(&e, 0);
		ck_assert_uint_eq(udig_enc_end(&e), 0);
		ck_assert_int_eq(e.status, UDIG_ENC_NOSPACE);
		for (size_t i = cap; i < sizeof b; i++)
			ck_assert_uint_eq(b[i], 0xAA);
	}
}
END_TEST

START_TEST(parameter_count_is_enforced)
{
	uint8_t b[256];
	struct udig_enc e;
	udig_enc_begin(&e, b, sizeof b, UEV_SYSCALL_CLOSE_E, 1, 2);
	ck_assert_uint_eq(udig_enc_end(&e), 0);
	ck_assert_int_eq(e.status, UDIG_ENC_TOOFEW);

	udig_enc_begin(&e, b, sizeof b, UEV_SYSCALL_CLOSE_E, 1, 2);
	udig_enc_s64(&e, 3);
	udig_enc_s64(&e, 4);
	ck_assert_uint_eq(udig_enc_end(&e), 0);
	ck_assert_int_eq(e.status, UDIG_ENC_TOOMANY);

	udig_enc_begin(&e, b, sizeof b, 999, 1, 2);
	ck_assert_uint_eq(udig_enc_end(&e), 0);
	ck_assert_int_eq(e.status, UDIG_ENC_BADTYPE);
	ck_assert_str_eq(udig_enc_strerror(UDIG_ENC_BADTYPE), "unknown event type");
}
END_TEST

START_TEST(large_payload_uses_u32_lengths)
{
	uint8_t b[256];
	struct udig_enc e;
	udig_enc_begin(&e, b, sizeof b, UEV_CONTAINER_JSON_2_E, 1, (uint64_t)-1);
	udig_enc_str(&e, "{}", 0);
	ck_assert_uint_eq(udig_enc_end(&e), 26 + 4 + 3);
	ck_assert_uint_eq(le(b + 26, 4), 3);
}
END_TEST

START_TEST(reserve_and_commit)
{
	uint8_t b[128];
	size_t max;
	struct udig_enc e;
	udig_enc_begin(&e, b, sizeof b, UEV_SYSCALL_READ_X, 1, 2);
	udig_enc_s64(&e, 5);
	uint8_t *p = udig_enc_reserve(&e, &max);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(max, sizeof b - 26 - 4 - 8);
	memcpy(p, "hello", 5);
	udig_enc_commit(&e, 5);
	ck_assert_uint_eq(udig_enc_end(&e), 26 + 4 + 8 + 5);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("encode");
	TCase *tc = tcase_create("encoder");
	tcase_add_test(tc, open_enter_layout);
	tcase_add_test(tc, null_string_and_empty_buffer);
	tcase_add_test(tc, snaplen_and_path_limits);
	tcase_add_test(tc, never_writes_past_the_buffer);
	tcase_add_test(tc, parameter_count_is_enforced);
	tcase_add_test(tc, large_payload_uses_u32_lengths);
	tcase_add_test(tc, reserve_and_commit);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
