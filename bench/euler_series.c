/*
 * euler_series.c - the C reference of the series method of Sources/euler: e = sum of 1/k! to D
 * decimals by binary splitting with GMP. N is the least number of terms with N! > 10^(D + 20);
 * the terms k = 1..N are block-split over ranks (rank r sums the terms start+1 .. end of its
 * block [start, end) of 0..N), each rank splits its block down to runs of 64 terms built in
 * machine words, the ranks' parts (P, Q) are combined up a binary tree (rank r receives from
 * r + step and combines, step doubling; numbers travel as mpz_export bytes), and rank 0
 * divides: digits = floor((P + Q) * 10^D / Q), proved exact when remainder + 10^D <= Q (the tail
 * of the series is below 1/Q), and turns them into the string "2.718...".
 * Usage: euler-series-c [--digits D]
 * Timed: from the split to the digit string on rank 0 (every rank: from the barrier until its
 * part has been sent, or on rank 0 until the string is made); reported: the slowest rank.
 * Result: the last 10 decimals, as an integer.
 * Build: mpicc -O3 -Wall -Wextra -std=c11 bench/euler_series.c -o euler-series-c -lgmp -lm
 */
#include <gmp.h>
#include <math.h>
#include <stdint.h>
#include "common.h"

enum { guard_digits = 20, leaf_terms = 64 };
static const double ln10 = 2.30258509299404568402;

/* The least N with log10 N! > digits + guard + a margin (as eSeriesTerms in Sources/Bignum). */
static long series_terms(long digits)
{
    double target = (double)(digits + guard_digits), margin = 1e-6 + 1e-12 * target;
    long low, high = 2;
    while (!(lgamma((double)high + 1) / ln10 > target + margin)) high *= 2;
    low = high / 2;
    while (high - low > 1) {
        long middle = low + (high - low) / 2;
        if (lgamma((double)middle + 1) / ln10 > target + margin) high = middle; else low = middle;
    }
    return high;
}

/* p = p * q_word + p_word, q = q * q_word: a run of terms folded into the big P and Q. */
static void fold(mpz_t p, mpz_t q, unsigned long p_word, unsigned long q_word)
{
    mpz_mul_ui(p, p, q_word);
    mpz_add_ui(p, p, p_word);
    mpz_mul_ui(q, q, q_word);
}

/* P and Q of the terms a+1 .. b: P/Q = sum_{k=a+1}^{b} 1/((a+1)...k), Q = (a+1)...b. */
static void split(mpz_t p, mpz_t q, long a, long b)
{
    if (b - a <= leaf_terms) {
        mpz_set_ui(p, 0);
        mpz_set_ui(q, 1);
        unsigned long p_word = 0, q_word = 1;
        for (long k = a + 1; k <= b;) {
            unsigned long q_next, p_times, p_next;
            if (__builtin_umull_overflow(q_word, (unsigned long)k, &q_next) ||
                __builtin_umull_overflow(p_word, (unsigned long)k, &p_times) ||
                __builtin_uaddl_overflow(p_times, 1, &p_next)) {
                fold(p, q, p_word, q_word);
                p_word = 0;
                q_word = 1;
                continue;
            }
            p_word = p_next;
            q_word = q_next;
            k++;
        }
        fold(p, q, p_word, q_word);
        return;
    }
    long middle = a + (b - a) / 2;
    mpz_t p_right, q_right;
    mpz_init(p_right);
    mpz_init(q_right);
    split(p, q, a, middle);
    split(p_right, q_right, middle, b);
    mpz_mul(p, p, q_right);
    mpz_add(p, p, p_right);
    mpz_mul(q, q, q_right);
    mpz_clear(p_right);
    mpz_clear(q_right);
}

/* A non-negative mpz as bytes, least significant first (none for zero). */
static void send_mpz(const mpz_t x, int to)
{
    size_t count = 0;
    void *bytes = mpz_export(NULL, &count, -1, 1, 0, 0, x);
    if (count > (size_t)INT32_MAX) { fprintf(stderr, "number too large to send\n"); MPI_Abort(MPI_COMM_WORLD, 1); }
    MPI_Send(bytes, (int)count, MPI_BYTE, to, 0, MPI_COMM_WORLD);
    free(bytes);
}

static void receive_mpz(mpz_t x, int from)
{
    MPI_Status status;
    int count;
    MPI_Probe(from, 0, MPI_COMM_WORLD, &status);
    MPI_Get_count(&status, MPI_BYTE, &count);
    unsigned char *bytes = malloc(count > 0 ? (size_t)count : 1);
    MPI_Recv(bytes, count, MPI_BYTE, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    mpz_import(x, (size_t)count, -1, 1, 0, 0, bytes);
    free(bytes);
}

/* "2." and exactly `digits` decimals of (P + Q)/Q, truncated; NULL if the tail leaves them in doubt. */
static char *digits_of_e(const mpz_t p, const mpz_t q, long digits)
{
    mpz_t five, scale, numerator, quotient, remainder;
    mpz_inits(five, scale, numerator, quotient, remainder, NULL);
    mpz_ui_pow_ui(five, 5, (unsigned long)digits);        /* 10^D = 5^D * 2^D */
    mpz_mul_2exp(scale, five, (mp_bitcnt_t)digits);
    mpz_add(numerator, p, q);
    mpz_mul(numerator, numerator, five);
    mpz_mul_2exp(numerator, numerator, (mp_bitcnt_t)digits);
    mpz_tdiv_qr(quotient, remainder, numerator, q);
    mpz_add(remainder, remainder, scale);
    char *text = NULL;
    if (mpz_cmp(remainder, q) <= 0) {
        text = malloc(mpz_sizeinbase(quotient, 10) + 3);
        mpz_get_str(text + 1, 10, quotient);
        if ((long)strlen(text + 1) != digits + 1) { fprintf(stderr, "wrong digit count\n"); MPI_Abort(MPI_COMM_WORLD, 1); }
        text[0] = text[1];
        text[1] = '.';
    }
    mpz_clears(five, scale, numerator, quotient, remainder, NULL);
    return text;
}

int main(int argc, char **argv)
{
    int rank, size;
    start_mpi(&argc, &argv, &rank, &size);
    long digits = (long)option(argc, argv, "--digits", 10000);
    if (digits < 1) {
        if (rank == 0) fprintf(stderr, "--digits: at least 1\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    long terms = series_terms(digits), first, last;
    block(terms, size, rank, &first, &last);

    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    mpz_t p, q, p_right, q_right;
    mpz_inits(p, q, p_right, q_right, NULL);
    if (first < last) split(p, q, first, last); else { mpz_set_ui(p, 0); mpz_set_ui(q, 1); }
    for (int step = 1; step < size; step *= 2) {
        if (rank % (2 * step) == step) {        /* send to the left neighbour, then done */
            send_mpz(p, rank - step);
            send_mpz(q, rank - step);
            break;
        }
        if (rank + step < size) {               /* rank % (2 * step) == 0: receive and combine */
            receive_mpz(p_right, rank + step);
            receive_mpz(q_right, rank + step);
            mpz_mul(p, p, q_right);
            mpz_add(p, p, p_right);
            mpz_mul(q, q, q_right);
        }
    }
    char *text = NULL;
    if (rank == 0) {
        text = digits_of_e(p, q, digits);
        if (!text) {
            fprintf(stderr, "rank 0: %d guard digits do not settle decimal %ld\n", guard_digits, digits);
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
    }
    double seconds = MPI_Wtime() - start;

    double result = 0;
    if (rank == 0) {
        size_t length = strlen(text);
        const char *tail = text + length - (digits >= 10 ? 10 : digits);
        result = strtod(tail, NULL);
    }
    report("euler-series", result, seconds);
    free(text);
    mpz_clears(p, q, p_right, q_right, NULL);
    MPI_Finalize();
    return 0;
}
