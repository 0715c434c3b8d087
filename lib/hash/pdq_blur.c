#include "hash/pdq_internal.h"

#include <stdlib.h>
#include <string.h>

/* Reference: window = ceil(dimension / 128) per pass, two passes per axis. */
static uint32_t jarosz_window(uint32_t dim)
{
    return (dim + 127) / 128;
}

/* The layout of the scratch block, in floats; every part starts 64-byte aligned. */
typedef struct blur_layout {
    uint32_t cols, rows, wr, wc, ring_rows;
    float *strip_a;            /* cols x lanes: luma, then columns-pass rows, transposed */
    float *strip_b;            /* cols x lanes: rows-pass output, transposed */
    float *ring;               /* ring_rows x cols: rows-pass output awaiting the columns pass */
    float *col_sum;            /* cols: running sums of the columns pass */
    float *col_out[PDQ_LANES]; /* columns-pass output rows of the current strip */
    float *spare;              /* cols: sink for the lanes past the last image row */
    float *selected;           /* 64 x lanes: second rows pass at the decimated columns */
    float *narrow;             /* 64 / lanes strips of rows x lanes: those columns, every row */
    uint32_t sel_cols[PDQ_DIM], sel_rows[PDQ_DIM];
} blur_layout;

static size_t round_up16(size_t n)
{
    return (n + 15) & ~(size_t)15;
}

static size_t layout_floats(uint32_t cols, uint32_t rows, uint32_t ring_rows)
{
    size_t row = round_up16(cols);
    return row * (3 * PDQ_LANES + ring_rows + 2) + round_up16(PDQ_DIM * PDQ_LANES) +
           round_up16((size_t)rows * PDQ_DIM);
}

static void layout_assign(blur_layout *l, float *base)
{
    size_t row = round_up16(l->cols);
    float *p = base;
    l->strip_a = p, p += row * PDQ_LANES;
    l->strip_b = p, p += row * PDQ_LANES;
    l->ring = p, p += row * l->ring_rows;
    l->col_sum = p, p += row;
    for (int k = 0; k < PDQ_LANES; k++, p += row)
        l->col_out[k] = p;
    l->spare = p, p += row;
    l->selected = p, p += round_up16(PDQ_DIM * PDQ_LANES);
    l->narrow = p;
}

void jaga__pdq_blur_scratch_free(pdq_blur_scratch *s)
{
    free(s->block);
    s->block = NULL;
    s->block_cap = 0;
}

static float *scratch_reserve(pdq_blur_scratch *s, size_t floats)
{
    if (floats > s->block_cap) {
        free(s->block);
        s->block_cap = 0;
        s->block = aligned_alloc(64, round_up16(floats) * sizeof(float));
        if (!s->block)
            return NULL;
        s->block_cap = round_up16(floats);
    }
    return s->block;
}

/* Reference decimation: the centre sample of each of the 64 bands. */
static void decimation_indices(uint32_t dim, uint32_t idx[PDQ_DIM])
{
    for (int i = 0; i < PDQ_DIM; i++)
        idx[i] = (uint32_t)(((i + 0.5) * dim) / PDQ_DIM);
}

static float *ring_row(const blur_layout *l, uint32_t t)
{
    return l->ring + round_up16(l->cols) * (t % l->ring_rows);
}

/* Second rows pass over the columns-pass rows [base, base + count), keeping the 64 decimated
 * columns of each row in the narrow strips. */
static void flush_columns_pass(const blur_layout *l, const pdq_kernels *k, uint32_t base,
                               uint32_t count)
{
    k->transpose(l->col_out, l->cols, l->strip_a);
    k->box_strip(l->strip_a, l->selected, l->cols, l->wr, l->sel_cols, PDQ_DIM);
    for (uint32_t j = 0; j < PDQ_DIM; j++) {
        float *strip = l->narrow + (size_t)(j / PDQ_LANES) * l->rows * PDQ_LANES;
        for (uint32_t lane = 0; lane < count; lane++)
            strip[(size_t)(base + lane) * PDQ_LANES + j % PDQ_LANES] =
                l->selected[j * PDQ_LANES + lane];
    }
}

/* Emits columns-pass output row o into the current strip and flushes a full strip. */
static float *column_output(const blur_layout *l, uint32_t o)
{
    return l->col_out[o % PDQ_LANES];
}

static void column_emitted(const blur_layout *l, const pdq_kernels *k, uint32_t o)
{
    if (o % PDQ_LANES == PDQ_LANES - 1 || o == l->rows - 1)
        flush_columns_pass(l, k, o - o % PDQ_LANES, o % PDQ_LANES + 1);
}

/* First rows pass for the strip of rows [r0, r0 + n), into the ring. */
static void rows_pass_strip(const blur_layout *l, const pdq_kernels *k, const uint8_t *pixels,
                            size_t stride, jaga_pixels layout, uint32_t r0, uint32_t n)
{
    const uint8_t *src[PDQ_LANES];
    float *dst[PDQ_LANES];
    /* Lanes past the last image row repeat it; their output goes to the spare row. */
    for (uint32_t lane = 0; lane < PDQ_LANES; lane++)
        src[lane] = pixels + (size_t)(r0 + (lane < n ? lane : n - 1)) * stride;
    k->luma_strip(src, layout, l->cols, l->strip_a);
    k->box_strip(l->strip_a, l->strip_b, l->cols, l->wr, NULL, 0);
    for (uint32_t lane = 0; lane < PDQ_LANES; lane++)
        dst[lane] = lane < n ? ring_row(l, r0 + lane) : l->spare;
    k->untranspose(l->strip_b, l->cols, dst);
}

int jaga__pdq_blur_decimate(pdq_blur_scratch *s, const pdq_kernels *k, const uint8_t *pixels,
                            uint32_t width, uint32_t height, size_t stride, jaga_pixels layout,
                            float out64[PDQ_DIM * PDQ_DIM])
{
    blur_layout l = {.cols = width, .rows = height};
    l.wr = jarosz_window(width);
    l.wc = jarosz_window(height);
    l.ring_rows = l.wc + PDQ_LANES;
    float *block = scratch_reserve(s, layout_floats(width, height, l.ring_rows));
    if (!block)
        return -1;
    layout_assign(&l, block);
    /* Lanes past the last image row compute on whatever these rows hold: keep it defined. */
    memset(l.col_out[0], 0, sizeof(float) * round_up16(width) * PDQ_LANES);
    memset(l.col_sum, 0, sizeof(float) * width);
    decimation_indices(width, l.sel_cols);
    decimation_indices(height, l.sel_rows);

    /* Columns pass, streamed: row t enters once the rows pass made it; output row o leaves
     * when row o + half - 1 has entered (phases 1-3 of the reference box filter). */
    const uint32_t half = (l.wc + 2) / 2;
    for (uint32_t r0 = 0; r0 < height; r0 += PDQ_LANES) {
        uint32_t n = height - r0 < PDQ_LANES ? height - r0 : PDQ_LANES;
        rows_pass_strip(&l, k, pixels, stride, layout, r0, n);
        for (uint32_t t = r0; t < r0 + n; t++) {
            const float *sub = t >= l.wc ? ring_row(&l, t - l.wc) : NULL;
            if (t + 1 < half) {
                k->column_step(l.col_sum, ring_row(&l, t), sub, NULL, 0.0f, width);
                continue;
            }
            uint32_t o = t - (half - 1);
            float window = (float)(t + 1 < l.wc ? t + 1 : l.wc);
            k->column_step(l.col_sum, ring_row(&l, t), sub, column_output(&l, o), window, width);
            column_emitted(&l, k, o);
        }
    }
    /* Phase 4: the window shrinks over the last half - 1 rows. */
    for (uint32_t i = 0; i + 1 < half; i++) {
        uint32_t o = height - half + 1 + i;
        k->column_step(l.col_sum, NULL, ring_row(&l, height - l.wc + i), column_output(&l, o),
                       (float)(l.wc - 1 - i), width);
        column_emitted(&l, k, o);
    }

    /* Second columns pass on the 64 kept columns, decimated to the 64 rows. */
    for (uint32_t g = 0; g < PDQ_DIM / PDQ_LANES; g++) {
        k->box_strip(l.narrow + (size_t)g * height * PDQ_LANES, l.selected, height, l.wc,
                     l.sel_rows, PDQ_DIM);
        for (uint32_t i = 0; i < PDQ_DIM; i++)
            memcpy(out64 + i * PDQ_DIM + g * PDQ_LANES, l.selected + i * PDQ_LANES,
                   sizeof(float) * PDQ_LANES);
    }
    return 0;
}
