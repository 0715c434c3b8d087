#include "pdq_baseline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static float dct_matrix[16][64];

static void compute_dct_matrix(void)
{
    const float matrix_scale_factor = (float)sqrt(2.0 / 64.0);
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 64; j++)
            dct_matrix[i][j] =
                (float)(matrix_scale_factor * cos((M_PI / 2 / 64.0) * (i + 1) * (2 * j + 1)));
}

static void box1d(const float *in, float *out, int length, int stride, int full_window)
{
    int half_window = (full_window + 2) / 2;
    int phase1 = half_window - 1;
    int phase2 = full_window - half_window + 1;
    int phase3 = length - full_window;
    int phase4 = half_window - 1;
    int li = 0, ri = 0, oi = 0;
    float sum = 0.0f;
    int window = 0;
    for (int i = 0; i < phase1; i++) {
        sum += in[ri];
        window++;
        ri += stride;
    }
    for (int i = 0; i < phase2; i++) {
        sum += in[ri];
        window++;
        out[oi] = sum / window;
        ri += stride;
        oi += stride;
    }
    for (int i = 0; i < phase3; i++) {
        sum += in[ri];
        sum -= in[li];
        out[oi] = sum / window;
        li += stride;
        ri += stride;
        oi += stride;
    }
    for (int i = 0; i < phase4; i++) {
        sum -= in[li];
        window--;
        out[oi] = sum / window;
        li += stride;
        oi += stride;
    }
}

static void jarosz(float *b1, float *b2, int rows, int cols, int win_rows, int win_cols)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < rows; i++)
            box1d(&b1[i * cols], &b2[i * cols], cols, 1, win_rows);
        for (int j = 0; j < cols; j++)
            box1d(&b2[j], &b1[j], rows, cols, win_cols);
    }
}

static float torben(const float m[], int n)
{
    float min = m[0], max = m[0];
    for (int i = 1; i < n; i++) {
        if (m[i] < min)
            min = m[i];
        if (m[i] > max)
            max = m[i];
    }
    int less, greater, equal;
    float guess, maxlt, mingt;
    for (;;) {
        guess = (min + max) / 2;
        less = greater = equal = 0;
        maxlt = min;
        mingt = max;
        for (int i = 0; i < n; i++) {
            if (m[i] < guess) {
                less++;
                if (m[i] > maxlt)
                    maxlt = m[i];
            } else if (m[i] > guess) {
                greater++;
                if (m[i] < mingt)
                    mingt = m[i];
            } else {
                equal++;
            }
        }
        if (less <= (n + 1) / 2 && greater <= (n + 1) / 2)
            break;
        else if (less > greater)
            max = maxlt;
        else
            min = mingt;
    }
    if (less >= (n + 1) / 2)
        return maxlt;
    if (less + equal >= (n + 1) / 2)
        return guess;
    return mingt;
}

int pdq_baseline_hash(const uint8_t *pixels, int width, int height, int channels, uint16_t hash[16],
                      int *quality)
{
    memset(hash, 0, 16 * sizeof(uint16_t));
    *quality = 0;
    if (width < 5 || height < 5)
        return 0;
    if (dct_matrix[0][0] == 0.0f)
        compute_dct_matrix();
    float *b1 = malloc(sizeof(float) * width * height);
    float *b2 = malloc(sizeof(float) * width * height);
    if (!b1 || !b2) {
        free(b1);
        free(b2);
        return -1;
    }
    for (int i = 0; i < height; i++)
        for (int j = 0; j < width; j++) {
            const uint8_t *p = pixels + ((size_t)i * width + j) * channels;
            b1[i * width + j] =
                channels == 1 ? (float)p[0] : 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
        }
    jarosz(b1, b2, height, width, (width + 127) / 128, (height + 127) / 128);

    float a[64][64], t[16][64], b[16][16];
    for (int i = 0; i < 64; i++) {
        int ini = (int)(((i + 0.5) * height) / 64);
        for (int j = 0; j < 64; j++) {
            int inj = (int)(((j + 0.5) * width) / 64);
            a[i][j] = b1[ini * width + inj];
        }
    }
    free(b1);
    free(b2);

    int gradient_sum = 0;
    for (int i = 0; i < 63; i++)
        for (int j = 0; j < 64; j++) {
            int d = (int)(((a[i][j] - a[i + 1][j]) * 100) / 255);
            gradient_sum += abs(d);
        }
    for (int i = 0; i < 64; i++)
        for (int j = 0; j < 63; j++) {
            int d = (int)(((a[i][j] - a[i][j + 1]) * 100) / 255);
            gradient_sum += abs(d);
        }
    *quality = gradient_sum / 90 > 100 ? 100 : gradient_sum / 90;

    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 64; j++) {
            float sum = 0.0f;
            for (int k = 0; k < 64; k++)
                sum += dct_matrix[i][k] * a[k][j];
            t[i][j] = sum;
        }
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) {
            float sum = 0.0f;
            for (int k = 0; k < 64; k++)
                sum += t[i][k] * dct_matrix[j][k];
            b[i][j] = sum;
        }
    float median = torben(&b[0][0], 256);
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++)
            if (b[i][j] > median)
                hash[(i * 16 + j) >> 4] |= (uint16_t)(1u << ((i * 16 + j) & 15));
    return 0;
}
