/*
 * euler_series.c - the C reference of the series method of Sources/euler: e = sum of 1/k! to D
 * decimals by binary splitting with GMP. N is the least number of terms with N! > 10^(D + 20);
 * the terms k = 1..N are block-split over ranks (rank r sums the terms start+1 .. end of its
 * block [start, end) of 0..N), each rank splits its block down to runs of 64 terms built in
 * machine words, the ranks' parts (P, Q) are combined up a binary tree (rank r receives from
 * r + step and combines, step doubling; numbers travel as mpz_export bytes), rank 0 divides
 * X = floor((P - Q) * 2^b / Q) (e - 2 to b bits; the tail of the series is below 1/Q), and the
 * decimals are cut into one block per rank down a tree of ranks, each converted by multiplication
 * with every step checked (as Sources/Bignum/DecimalFraction.swift).
 * Usage: euler-series-c [--digits D]
 * Timed: from the split to each rank's block of decimals (a rank without one: until its part is
 * sent); reported: the slowest rank.
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

/* The decimals of a fraction x in [X/2^b, (X + E)/2^b), as DecimalFraction in Sources/Bignum:
 * a split at h keeps x to fewer bits for the first h decimals and takes frac(x * 10^h) for the
 * rest, by 5^h on X mod 2^(b - h); runs of at most leaf_digits are floor(x * 10^n) through
 * mpz_get_str. Each step checks that x's interval settles it, else the result is "in doubt". */
enum { guard_bits = 64, leaf_digits = 2000 };
typedef struct { mpz_t x; long bits, slack, count, scaling; } fraction;

static long bits_for(long count) { return (long)ceil((double)count * (ln10 / log(2.0))) + guard_bits; }

static void five_power(mpz_t r, long exponent) { mpz_ui_pow_ui(r, 5, (unsigned long)exponent); }

/* Splits f at `high` into f (the first high decimals, a shift) and low, the rest with its
 * multiplication left to settle(): low = frac(X * 5^h / 2^(b - h)) for X = f's X mod 2^(b - h). */
static void split_deferred(fraction *f, long high, fraction *low)
{
    long width = f->bits - high, high_bits = bits_for(high), shift = f->bits - high_bits;
    mpz_init(low->x);
    mpz_tdiv_r_2exp(low->x, f->x, (mp_bitcnt_t)width);
    low->bits = width;
    low->slack = f->slack;
    low->count = f->count - high;
    low->scaling = high;
    mpz_tdiv_q_2exp(f->x, f->x, (mp_bitcnt_t)shift);
    f->slack = 1 + (shift >= 62 ? 1 : (f->slack + (1L << shift) - 1) >> shift);
    f->bits = high_bits;
    f->count = high;
}

/* Works out a deferred rest (no-op otherwise); returns 0 when x's interval does not settle it. */
static int settle(fraction *f)
{
    if (f->scaling == 0) return 1;
    long low_bits = bits_for(f->count), low_shift = f->bits - low_bits;
    mpz_t scale, reach;
    mpz_inits(scale, reach, NULL);
    five_power(scale, f->scaling);
    mpz_mul(f->x, f->x, scale);
    mpz_tdiv_r_2exp(f->x, f->x, (mp_bitcnt_t)f->bits);
    mpz_mul_ui(reach, scale, (unsigned long)f->slack);
    mpz_add(scale, f->x, reach);
    int settled = mpz_sizeinbase(scale, 2) <= (size_t)f->bits;
    mpz_tdiv_q_2exp(f->x, f->x, (mp_bitcnt_t)low_shift);
    mpz_tdiv_q_2exp(reach, reach, (mp_bitcnt_t)low_shift);
    settled = settled && mpz_sizeinbase(reach, 2) < 40;
    f->bits = low_bits;
    f->slack = 2 + (long)mpz_get_ui(reach);
    f->scaling = 0;
    mpz_clears(scale, reach, NULL);
    return settled;
}

/* Writes f's count decimals at out (consuming f); returns 0 when in doubt. */
static int write_decimals(fraction *f, char *out)
{
    if (!settle(f)) return 0;
    if (f->count > leaf_digits) {
        fraction low;
        long high = f->count / 2;
        int settled = 1;
        split_deferred(f, high, &low);
        settled = settled && write_decimals(f, out);
        settled = settled && write_decimals(&low, out + high);
        mpz_clear(low.x);
        return settled;
    }
    long width = f->bits - f->count;
    mpz_t scale, rest;
    mpz_inits(scale, rest, NULL);
    five_power(scale, f->count);
    mpz_mul(f->x, f->x, scale);
    mpz_tdiv_r_2exp(rest, f->x, (mp_bitcnt_t)width);
    mpz_addmul_ui(rest, scale, (unsigned long)f->slack);
    int settled = mpz_sizeinbase(rest, 2) <= (size_t)width;
    mpz_tdiv_q_2exp(f->x, f->x, (mp_bitcnt_t)width);
    char buffer[leaf_digits + 2];
    mpz_get_str(buffer, 10, f->x);
    long length = (long)strlen(buffer);
    memset(out, '0', (size_t)(f->count - length));
    memcpy(out + f->count - length, buffer, (size_t)length);
    mpz_clears(scale, rest, NULL);
    return settled;
}

static void send_fraction(fraction *f, int to)
{
    long header[4] = {f->bits, f->slack, f->count, f->scaling};
    MPI_Send(header, 4, MPI_LONG, to, 1, MPI_COMM_WORLD);
    send_mpz(f->x, to);
}

static void receive_fraction(fraction *f, int from)
{
    long header[4];
    MPI_Recv(header, 4, MPI_LONG, from, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    f->bits = header[0]; f->slack = header[1]; f->count = header[2]; f->scaling = header[3];
    mpz_init(f->x);
    receive_mpz(f->x, from);
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
    /* e - 2 = (P - Q)/Q, to within 1/Q <= 1/2^b; decimals cut into one run per rank (as many ranks
     * as there are thousands of digits, at most) down a tree of ranks from rank 0: a group's first
     * rank keeps its share by a shift and sends the rest, whose first rank does the multiplication
     * and so gets a fifth of its share less (as Sources/euler/Series.swift). */
    int blocks = size < digits / 1000 ? size : (digits / 1000 > 1 ? (int)(digits / 1000) : 1);
    fraction f = {.count = 0};
    int settled = 1;
    if (rank == 0) {
        f.bits = bits_for(digits); f.slack = 2; f.count = digits; f.scaling = 0;
        mpz_init(f.x);
        settled = mpz_sizeinbase(q, 2) > (size_t)f.bits;
        mpz_sub(p, p, q);
        mpz_mul_2exp(p, p, (mp_bitcnt_t)f.bits);
        mpz_tdiv_q(f.x, p, q);
    }
    long count = digits;
    if (rank < blocks) {
        int low = 0, high = blocks;
        while (high - low > 1) {
            int middle = low + (high - low) / 2;
            double share = (double)(middle - low) / (high - low);
            long cut = (long)((double)count * (share + 0.2 * (1 - share)));
            cut = cut < 1 ? 1 : (cut > count - 1 ? count - 1 : cut);
            if (rank == low) {
                fraction rest;
                settled = settle(&f) && settled;      /* a rest received from above: worked out first */
                split_deferred(&f, cut, &rest);
                send_fraction(&rest, middle);
                mpz_clear(rest.x);
            } else if (rank == middle) {
                receive_fraction(&f, low);
            }
            if (rank < middle) { high = middle; count = cut; } else { low = middle; count -= cut; }
        }
    }
    char *text = malloc((size_t)(rank < blocks ? count : 0) + 1);
    text[rank < blocks ? count : 0] = '\0';
    if (rank < blocks) { settled = write_decimals(&f, text) && settled; mpz_clear(f.x); }
    double seconds = MPI_Wtime() - start;
    int all_settled;
    MPI_Allreduce(&settled, &all_settled, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_settled) {
        if (rank == 0) fprintf(stderr, "rank 0: the guard bits do not settle the decimals\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    /* The last 10 decimals, from the last block's rank. */
    double result = 0;
    if (rank == blocks - 1) {
        long tail = count >= 10 ? 10 : count;
        result = strtod(text + count - tail, NULL);
        if (rank != 0) MPI_Send(&result, 1, MPI_DOUBLE, 0, 2, MPI_COMM_WORLD);
    }
    if (rank == 0 && blocks > 1) MPI_Recv(&result, 1, MPI_DOUBLE, blocks - 1, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    report("euler-series", result, seconds);
    free(text);
    mpz_clears(p, q, p_right, q_right, NULL);
    MPI_Finalize();
    return 0;
}
