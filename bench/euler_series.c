/*
 * euler_series.c - the C reference of the series method of Sources/euler (Series.swift), step for
 * step, one thread per rank: e = sum of 1/k! to D decimals by binary splitting with GMP.
 * N is the least number of terms with N! > 10^(D + 20) (eSeriesTerms). The terms 0..N are cut
 * into one block per rank of about equal cost, the bits of its Q (eSeriesCuts: cut where lgamma(m + 1)
 * reaches i/ranks of lgamma(N + 1)); rank 0 computes the cuts and broadcasts them. Each rank splits
 * its block down to runs of 64 terms built in machine words, and the ranks' parts (P, Q) are combined
 * up a binary tree (rank r receives from r + step and combines, step doubling; numbers travel as
 * mpz_export bytes) that stops one step before the top (reduceInOrderToHalves): rank 0 holds the
 * parts of ranks 0..s-1 and rank s those of s..ranks-1, s the largest power of two below the ranks.
 * e - 2 = (P - Q)/Q to within 1/Q. Its decimals go to `blocks` ranks (one per thousand digits, at
 * most all of them). When s < blocks the last combine is shared (sharedTop): rank 0 sends Q_l to s
 * while s sends P_r and Q_r to 0; rank 0 computes P = P_l Q_r + P_r while s computes Q = Q_l Q_r;
 * s sends Q's top bits Q' = floor(Q / 2^t) (headOfQ) and rank 0 sends P. Rank 0 makes the fraction
 * of the first `high` decimals from P' = floor(P / 2^t) and Q' alone (eFractionHead: within 3/Q'),
 * rank s the fraction of all D decimals, X = floor((P - Q) 2^b / Q), and keeps the rest after
 * `high` (its multiplication deferred). Otherwise s sends its part to rank 0, which combines and
 * makes the fraction of all D decimals. Then each group of ranks (0..s-1 with the first `high`
 * decimals, s..blocks-1 with the rest; or 0..blocks-1 with all) cuts its decimals down a tree of
 * ranks: a group's first rank keeps its share by a shift and sends the rest, whose first rank does
 * the multiplication and so gets a fifth of its share less; each rank converts its run by
 * multiplication, every step checked (as Sources/Bignum/DecimalFraction.swift). A step that is not
 * settled aborts with a message (the program divides the whole out instead; never seen).
 * Usage: euler-series-c [--digits D]
 * Timed: from the cuts to each rank's block of decimals (a rank without one: until its part is
 * sent); reported: the slowest rank.
 * Result: the last 10 decimals, as an integer.
 * Build (as make bench): mpicc -O3 -Wall -Wextra -std=c11 -ffp-contract=off bench/euler_series.c
 *     -o euler-series-c -lgmp -lm
 */
#include <gmp.h>
#include <math.h>
#include <stdint.h>
#include "common.h"

enum { guard_digits = 20, leaf_terms = 64 };
static const double ln10 = 2.30258509299404568402;
/* The extra share of the decimals that rank 0's group takes at a shared top (Euler.headShare). */
static const double head_share = 0.15;

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

/* cuts[0..parts]: the terms 0..terms cut into `parts` blocks of about equal cost, the bits of Q,
 * log2(b!/a!): cuts[i] is the least m >= cuts[i - 1] with lgamma(m + 1) >= i/parts of
 * lgamma(terms + 1) (as eSeriesCuts). */
static void series_cuts(long terms, int parts, long *cuts)
{
    double total = lgamma((double)terms + 1);
    cuts[0] = 0;
    for (int part = 1; part < parts; part++) {
        double target = total * part / parts;
        long low = cuts[part - 1], high = terms;
        while (low < high) {
            long middle = low + (high - low) / 2;
            if (lgamma((double)middle + 1) < target) low = middle + 1; else high = middle;
        }
        cuts[part] = low;
    }
    cuts[parts] = terms;
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

/* A send under way: the bytes stay allocated until it is finished. */
typedef struct { void *bytes; MPI_Request request; } pending;

/* Starts sending a non-negative mpz as bytes, least significant first (none for zero). */
static pending isend_mpz(const mpz_t x, int to)
{
    pending sent;
    size_t count = 0;
    sent.bytes = mpz_export(NULL, &count, -1, 1, 0, 0, x);
    if (count > (size_t)INT32_MAX) { fprintf(stderr, "number too large to send\n"); MPI_Abort(MPI_COMM_WORLD, 1); }
    MPI_Isend(sent.bytes, (int)count, MPI_BYTE, to, 0, MPI_COMM_WORLD, &sent.request);
    return sent;
}

static void finish(pending *sent)
{
    MPI_Wait(&sent->request, MPI_STATUS_IGNORE);
    free(sent->bytes);
}

static void send_mpz(const mpz_t x, int to)
{
    pending sent = isend_mpz(x, to);
    finish(&sent);
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

static long bits_for(long count) { return (long)ceil((double)count * ln10 / log(2.0)) + guard_bits; }

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

/* Where to cut `count` decimals between a first part of `share` of the work and the rest, whose
 * receiver also does the cut's multiplication (DecimalFraction.cut). */
static long cut(long count, double share)
{
    long at = (long)((double)count * (share + 0.2 * (1 - share)));
    return at < 1 ? 1 : (at > count - 1 ? count - 1 : at);
}

/* f = e - 2 = (P - Q)/Q to `count` decimals from the part for 0..N (eFraction): X = floor((P - Q) 2^b / Q),
 * E = 2 (the tail is below 1/Q). Consumes p; returns 0 unless Q > 2^b. */
static int whole_fraction(fraction *f, mpz_t p, const mpz_t q, long count)
{
    f->bits = bits_for(count); f->slack = 2; f->count = count; f->scaling = 0;
    mpz_init(f->x);
    int settled = mpz_sizeinbase(q, 2) > (size_t)f->bits;
    mpz_sub(p, p, q);
    mpz_mul_2exp(p, p, (mp_bitcnt_t)f->bits);
    mpz_tdiv_q(f->x, p, q);
    return settled;
}

/* The shift t of Q's top bits for the first `count` decimals (headOfQ): Q' = floor(Q / 2^t) keeps
 * b + 64 bits. */
static long head_shift(const mpz_t q, long count)
{
    long shift = (long)mpz_sizeinbase(q, 2) - bits_for(count) - 64;
    return shift > 0 ? shift : 0;
}

/* f = the first `count` decimals of e - 2 from P and Q' = floor(Q / 2^t) (eFractionHead): with
 * P' = floor(P / 2^t), x lies within 3/Q' of (P' - Q')/Q' when Q' <= P' < 2Q', so X = X0 - 3 and
 * E = 7, X0 = floor((P' - Q') 2^b / Q'). Consumes p; returns 0 unless that holds and Q' > 2^b. */
static int head_fraction(fraction *f, mpz_t p, long shift, const mpz_t q_top, long count)
{
    f->bits = bits_for(count); f->slack = 7; f->count = count; f->scaling = 0;
    mpz_init(f->x);
    mpz_tdiv_q_2exp(p, p, (mp_bitcnt_t)shift);
    mpz_sub(p, p, q_top);
    int settled = mpz_sgn(p) >= 0 && mpz_cmp(p, q_top) < 0 && mpz_sizeinbase(q_top, 2) > (size_t)f->bits;
    mpz_mul_2exp(p, p, (mp_bitcnt_t)f->bits);
    mpz_tdiv_q(f->x, p, q_top);
    settled = settled && mpz_cmp_ui(f->x, 3) >= 0;
    if (settled) mpz_sub_ui(f->x, f->x, 3); else mpz_set_ui(f->x, 0);   /* harmless until the abort */
    return settled;
}

/* The tree's last combine, shared by rank 0 (P_l, Q_l in p, q) and its partner s (P_r, Q_r), as
 * sharedTop: rank 0 computes P = P_l Q_r + P_r while s computes Q = Q_l Q_r; s sends Q's top bits
 * and rank 0 sends P. Rank 0's f: the first `high` decimals from the top bits; rank s's f: the rest
 * of the whole fraction after `high`, its multiplication deferred. Returns 0 when not settled. */
static int shared_top(fraction *f, mpz_t p, mpz_t q, int rank, int partner, long high, long digits)
{
    mpz_t other, other_q;
    mpz_inits(other, other_q, NULL);
    int settled;
    if (rank == 0) {
        pending sent_q = isend_mpz(q, partner);
        receive_mpz(other, partner);                    /* P_r */
        receive_mpz(other_q, partner);                  /* Q_r */
        mpz_mul(p, p, other_q);
        mpz_add(p, p, other);                           /* P */
        pending sent_p = isend_mpz(p, partner);
        long shift;
        MPI_Recv(&shift, 1, MPI_LONG, partner, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        receive_mpz(other_q, partner);                  /* Q' */
        settled = head_fraction(f, p, shift, other_q, high);
        finish(&sent_q);
        finish(&sent_p);
    } else {
        pending sent_p = isend_mpz(p, 0), sent_q = isend_mpz(q, 0);
        receive_mpz(other_q, 0);                        /* Q_l */
        mpz_mul(q, other_q, q);                         /* Q */
        long shift = head_shift(q, high);
        MPI_Request sent_shift;
        MPI_Isend(&shift, 1, MPI_LONG, 0, 3, MPI_COMM_WORLD, &sent_shift);
        mpz_tdiv_q_2exp(other_q, q, (mp_bitcnt_t)shift);
        pending sent_head = isend_mpz(other_q, 0);
        receive_mpz(p, 0);                              /* P */
        fraction head;
        settled = whole_fraction(&head, p, q, digits);
        split_deferred(&head, high, f);
        mpz_clear(head.x);
        finish(&sent_p);
        finish(&sent_q);
        MPI_Wait(&sent_shift, MPI_STATUS_IGNORE);
        finish(&sent_head);
    }
    mpz_clears(other, other_q, NULL);
    return settled;
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
    long terms = series_terms(digits);
    long *cuts = malloc((size_t)(size + 1) * sizeof *cuts);
    int partner = 1;                    /* s, the largest power of two below size; none (size) on 1 rank */
    while (2 * partner < size) partner *= 2;

    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    if (rank == 0) series_cuts(terms, size, cuts);
    MPI_Bcast(cuts, size + 1, MPI_LONG, 0, MPI_COMM_WORLD);
    mpz_t p, q, p_right, q_right;
    mpz_inits(p, q, p_right, q_right, NULL);
    if (cuts[rank] < cuts[rank + 1]) split(p, q, cuts[rank], cuts[rank + 1]); else { mpz_set_ui(p, 0); mpz_set_ui(q, 1); }
    /* Up the tree, without its last step: rank 0 ends with ranks 0..s-1, rank s with s..size-1. */
    for (int step = 1; 2 * step < size; step *= 2) {
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
    /* The decimals go to `blocks` ranks (as many as there are thousands of digits, at most); each
     * rank starts from its group of ranks [low, end) and the count of the group's decimals. */
    int blocks = size < digits / 1000 ? size : (digits / 1000 > 1 ? (int)(digits / 1000) : 1);
    fraction f = {.count = 0};
    int settled = 1, low = 0, end = blocks;
    long count = digits;
    if (partner < blocks) {                     /* the last combine shared by ranks 0 and s */
        double share = (double)partner / blocks;
        long high = cut(digits, share + head_share * (1 - share));
        if (rank == 0 || rank == partner) settled = shared_top(&f, p, q, rank, partner, high, digits);
        if (rank < partner) { end = partner; count = high; } else { low = partner; count = digits - high; }
    } else {                                    /* few digits: the last step as it was, to rank 0 */
        if (rank == partner) {
            send_mpz(p, 0);
            send_mpz(q, 0);
        } else if (rank == 0 && partner < size) {
            receive_mpz(p_right, partner);
            receive_mpz(q_right, partner);
            mpz_mul(p, p, q_right);
            mpz_add(p, p, p_right);
            mpz_mul(q, q, q_right);
        }
        if (rank == 0) settled = whole_fraction(&f, p, q, digits);
    }
    /* Down the group's tree: its first rank keeps its share by a shift and sends the rest, whose
     * first rank does the multiplication and so gets a fifth of its share less. */
    if (rank < blocks) {
        while (end - low > 1) {
            int middle = low + (end - low) / 2;
            long high = cut(count, (double)(middle - low) / (end - low));
            if (rank == low) {
                fraction rest;
                settled = settle(&f) && settled;      /* a rest received from above: worked out first */
                split_deferred(&f, high, &rest);
                send_fraction(&rest, middle);
                mpz_clear(rest.x);
            } else if (rank == middle) {
                receive_fraction(&f, low);
            }
            if (rank < middle) { end = middle; count = high; } else { low = middle; count -= high; }
        }
    }
    char *text = malloc((size_t)(rank < blocks ? count : 0) + 1);
    text[rank < blocks ? count : 0] = '\0';
    if (rank < blocks) { settled = write_decimals(&f, text) && settled; mpz_clear(f.x); }
    double seconds = MPI_Wtime() - start;
    int all_settled;
    if (!settled) fprintf(stderr, "euler-series-c: rank %d: the guard bits do not settle its decimals\n", rank);
    MPI_Allreduce(&settled, &all_settled, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_settled) MPI_Abort(MPI_COMM_WORLD, 1);
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
    free(cuts);
    mpz_clears(p, q, p_right, q_right, NULL);
    MPI_Finalize();
    return 0;
}
