/* PDQ after the blur: quality metric, 16x16 DCT, dihedral variants and hash bits. */
#include "hash/pdq_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The DCT-II basis rows 1..16 of 64 points as the reference computes them: the scale factor
 * rounded to float, the product in double, stored as float. dct_t is the transpose, so that
 * the second product vectorizes. */
static float dct_matrix[16][PDQ_DIM];
static float dct_t[PDQ_DIM][16];
static pthread_once_t dct_once = PTHREAD_ONCE_INIT;

static void dct_init(void)
{
    const float scale = (float)sqrt(2.0 / 64.0);
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < PDQ_DIM; j++) {
            dct_matrix[i][j] = (float)(scale * cos((M_PI / 2 / 64.0) * (i + 1) * (2 * j + 1)));
            dct_t[j][i] = dct_matrix[i][j];
        }
}

int jaga__pdq_quality(const float buf[PDQ_DIM * PDQ_DIM])
{
    int gradient_sum = 0;
    for (int i = 0; i < PDQ_DIM - 1; i++)
        for (int j = 0; j < PDQ_DIM; j++) {
            int d = (int)(((buf[i * PDQ_DIM + j] - buf[(i + 1) * PDQ_DIM + j]) * 100) / 255);
            gradient_sum += abs(d);
        }
    for (int i = 0; i < PDQ_DIM; i++)
        for (int j = 0; j < PDQ_DIM - 1; j++) {
            int d = (int)(((buf[i * PDQ_DIM + j] - buf[i * PDQ_DIM + j + 1]) * 100) / 255);
            gradient_sum += abs(d);
        }
    int quality = gradient_sum / 90; /* the reference's heuristic scale */
    return quality > 100 ? 100 : quality;
}

/* B = D A D^T. Each output is the reference's float sum over k = 0..63 in order; the loops
 * run k outside j so that the j loop vectorizes without reordering any sum. */
void jaga__pdq_dct16(const float a[PDQ_DIM * PDQ_DIM], float b[16 * 16])
{
    pthread_once(&dct_once, dct_init);
    float t[16][PDQ_DIM];
    memset(t, 0, sizeof(t));
    for (int i = 0; i < 16; i++)
        for (int k = 0; k < PDQ_DIM; k++)
            for (int j = 0; j < PDQ_DIM; j++)
                t[i][j] += dct_matrix[i][k] * a[k * PDQ_DIM + j];
    memset(b, 0, sizeof(float) * 256);
    for (int i = 0; i < 16; i++)
        for (int k = 0; k < PDQ_DIM; k++)
            for (int j = 0; j < 16; j++)
                b[i * 16 + j] += t[i][k] * dct_t[k][j];
}

/* A reflection of the image negates the DCT coefficients of odd order along the reflected
 * axis; a reflection about a diagonal transposes them. Each variant is a transposition flag
 * and a sign that depends on the parities of the row and column orders. */
void jaga__pdq_dct16_dihedral(const float a[16 * 16], jaga_dihedral d, float out[16 * 16])
{
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) {
            /* DCT row i+1, column j+1: odd order where the index is even. */
            int odd_i = !(i & 1), odd_j = !(j & 1);
            int negate = 0, swap = 0;
            switch (d) {
            case JAGA_DIH_ORIG:
            case JAGA_DIH_COUNT:
                break;
            case JAGA_DIH_ROT90:
                swap = 1, negate = odd_j;
                break;
            case JAGA_DIH_ROT180:
                negate = odd_i ^ odd_j;
                break;
            case JAGA_DIH_ROT270:
                swap = 1, negate = odd_i;
                break;
            case JAGA_DIH_FLIPX:
                negate = odd_i;
                break;
            case JAGA_DIH_FLIPY:
                negate = odd_j;
                break;
            case JAGA_DIH_FLIP_PLUS1:
                swap = 1;
                break;
            case JAGA_DIH_FLIP_MINUS1:
                swap = 1, negate = odd_i ^ odd_j;
                break;
            }
            float v = negate ? -a[i * 16 + j] : a[i * 16 + j];
            out[swap ? j * 16 + i : i * 16 + j] = v;
        }
}

static int float_cmp(const void *pa, const void *pb)
{
    float a = *(const float *)pa, b = *(const float *)pb;
    return (a > b) - (a < b);
}

void jaga__pdq_dct16_to_hash(const float dct[16 * 16], jaga_pdq_hash *hash)
{
    /* Torben's median of 256 values, as the reference uses, is the 128th smallest. */
    float sorted[256];
    memcpy(sorted, dct, sizeof(sorted));
    qsort(sorted, 256, sizeof(float), float_cmp);
    const float median = sorted[127];
    memset(hash, 0, sizeof(*hash));
    for (int k = 0; k < 256; k++)
        if (dct[k] > median)
            hash->w[k >> 4] |= (uint16_t)(1u << (k & 15));
}
