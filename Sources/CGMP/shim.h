// GMP for Swift: gmp.h defines its functions as macros (`#define mpz_mul __gmpz_mul`) and some
// as macro expressions (`mpz_sgn`), which the Swift importer cannot call. Each wrapper below is
// the one mpz function it names, as a real (static inline) function.
#ifndef CGMP_SHIM_H
#define CGMP_SHIM_H

#include <stddef.h>
#include <gmp.h>

// Life cycle and assignment
static inline void cgmp_init(mpz_ptr x) { mpz_init(x); }
static inline void cgmp_init_set_si(mpz_ptr x, long value) { mpz_init_set_si(x, value); }
static inline void cgmp_clear(mpz_ptr x) { mpz_clear(x); }
static inline void cgmp_set_si(mpz_ptr x, long value) { mpz_set_si(x, value); }
static inline int cgmp_set_str(mpz_ptr x, const char *text, int base) { return mpz_set_str(x, text, base); }

// Arithmetic
static inline void cgmp_add(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_add(r, a, b); }
static inline void cgmp_add_ui(mpz_ptr r, mpz_srcptr a, unsigned long b) { mpz_add_ui(r, a, b); }
static inline void cgmp_sub(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_sub(r, a, b); }
static inline void cgmp_mul(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_mul(r, a, b); }
static inline void cgmp_mul_ui(mpz_ptr r, mpz_srcptr a, unsigned long b) { mpz_mul_ui(r, a, b); }
static inline void cgmp_mul_2exp(mpz_ptr r, mpz_srcptr a, mp_bitcnt_t bits) { mpz_mul_2exp(r, a, bits); }
static inline void cgmp_tdiv_q_2exp(mpz_ptr r, mpz_srcptr a, mp_bitcnt_t bits) { mpz_tdiv_q_2exp(r, a, bits); }
static inline void cgmp_tdiv_r_2exp(mpz_ptr r, mpz_srcptr a, mp_bitcnt_t bits) { mpz_tdiv_r_2exp(r, a, bits); }
static inline void cgmp_neg(mpz_ptr r, mpz_srcptr a) { mpz_neg(r, a); }
static inline void cgmp_ui_pow_ui(mpz_ptr r, unsigned long base, unsigned long exponent) { mpz_ui_pow_ui(r, base, exponent); }
static inline void cgmp_tdiv_q(mpz_ptr q, mpz_srcptr n, mpz_srcptr d) { mpz_tdiv_q(q, n, d); }
static inline void cgmp_tdiv_qr(mpz_ptr q, mpz_ptr r, mpz_srcptr n, mpz_srcptr d) { mpz_tdiv_qr(q, r, n, d); }

// Comparison and size
static inline int cgmp_cmp(mpz_srcptr a, mpz_srcptr b) { return mpz_cmp(a, b); }
static inline int cgmp_sgn(mpz_srcptr a) { return mpz_sgn(a); }
static inline size_t cgmp_sizeinbase(mpz_srcptr a, int base) { return mpz_sizeinbase(a, base); }
static inline int cgmp_fits_slong_p(mpz_srcptr a) { return mpz_fits_slong_p(a); }
static inline long cgmp_get_si(mpz_srcptr a) { return mpz_get_si(a); }

// Conversion: digits and bytes
static inline char *cgmp_get_str(char *buffer, int base, mpz_srcptr a) { return mpz_get_str(buffer, base, a); }
static inline void *cgmp_export(void *buffer, size_t *count, int order, size_t size, int endian, size_t nails,
                                mpz_srcptr a) {
    return mpz_export(buffer, count, order, size, endian, nails, a);
}
static inline void cgmp_import(mpz_ptr r, size_t count, int order, size_t size, int endian, size_t nails,
                               const void *buffer) {
    mpz_import(r, count, order, size, endian, nails, buffer);
}

// The library's version, as "6.2.1".
static inline const char *cgmp_version(void) { return gmp_version; }

#endif
