/*
 * sleef_sin_u35.h - the constants of SLEEF 3.5's deterministic sin, u35 (xsin in sleefsimddp.c,
 * built as Sleef_finz_sind*_u35*), for its path below |x| < 15, read from Debian's libsleef.so.3.5.1.
 * The vector paths evaluate that path inline, operation for operation as SLEEF does (so the same
 * bits, and SLEEF's 3.5-ulp bound), and call SLEEF for any vector with an element outside it.
 * VectorMathTests checks every path against SLEEF's scalar function, bit for bit, on 10^7 inputs.
 */
#ifndef SLEEF_SIN_U35_H
#define SLEEF_SIN_U35_H

#define SIN_RANGE 15.0                      /* TRIGRANGEMAX2 */
#define SIN_1_PI 0x1.45f306dc9c883p-2       /* M_1_PI */
#define SIN_PI_A2 0x1.921fb54442d18p+1      /* PI_A2 */
#define SIN_PI_B2 0x1.1a62633145c07p-53     /* PI_B2 */
#define SIN_C7 -0x1.2622b22d526bep-57       /* the polynomial in s = d², highest first */
#define SIN_C6 0x1.94fa618796592p-49
#define SIN_C5 -0x1.ae7ea531357bfp-41
#define SIN_C4 0x1.6124601c23966p-33
#define SIN_C3 -0x1.ae64567cb5786p-26
#define SIN_C2 0x1.71de3a5568a50p-19
#define SIN_C1 -0x1.a01a01a019fc7p-13
#define SIN_C0 0x1.111111111110fp-7
#define SIN_C_LAST -0x1.5555555555555p-3

#endif
