/* Video decoding: the same frames from a file and from memory, each limit, a caller that
 * stops, and malformed input. The clip is made with ffmpeg's test source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jaga/video.h"
#include "jaga/vpdq.h"
#include "test_support.h"

static char dir[64], clip[96];
static void *clip_data;
static size_t clip_len;

/* A 2-second 64x48 clip at 25 frames a second (MPEG-4 in Matroska). */
static int make_clip(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/jaga-video-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(clip, sizeof(clip), "%s/clip.mkv", dir);
    char cmd[300];
    snprintf(cmd, sizeof(cmd),
             "ffmpeg -loglevel error -f lavfi -i testsrc=size=64x48:rate=25 -t 2 -c:v mpeg4 %s",
             clip);
    if (system(cmd) != 0)
        return -1;
    clip_data = test_read_file(clip, &clip_len);
    return 0;
}

static int remove_clip(void **state)
{
    (void)state;
    free(clip_data);
    unlink(clip);
    rmdir(dir);
    return 0;
}

typedef struct seen {
    uint64_t numbers[64];
    size_t n;
    size_t stop_after; /* 0: never */
} seen;

static int note(void *arg, const jaga_video_frame *f)
{
    seen *s = arg;
    assert_true(f->width == 64 && f->height == 48 && f->stride >= 64 * 3 && f->rgb);
    if (s->n < 64)
        s->numbers[s->n++] = f->number;
    return s->stop_after && s->n >= s->stop_after;
}

static jaga_status decode(const jaga_video_limits *lim, double every, seen *s,
                          jaga_video_info *info, jaga_ctx *ctx)
{
    memset(s->numbers, 0, sizeof(s->numbers));
    s->n = 0;
    return jaga_video_decode(ctx, NULL, clip_data, clip_len, lim, every, note, s, info);
}

static void test_selection_and_info(void **state)
{
    (void)state;
    jaga_ctx *ctx;
    jaga_ctx_open(&ctx);
    seen s = {0};
    jaga_video_info info;
    assert_int_equal(decode(NULL, 1, &s, &info, ctx), JAGA_OK);
    assert_int_equal(s.n, 2);
    assert_true(s.numbers[0] == 0 && s.numbers[1] == 25);
    assert_true(info.width == 64 && info.height == 48 && info.frames == 50 && info.selected == 2);
    assert_true(info.frame_rate > 24.99 && info.frame_rate < 25.01);
    assert_string_equal(info.codec, "mpeg4");
    assert_int_equal(decode(NULL, 0.2, &s, &info, ctx), JAGA_OK);
    assert_int_equal(s.n, 10); /* every 5th */
    assert_int_equal(s.numbers[9], 45);
    s.stop_after = 3;
    assert_int_equal(decode(NULL, 0, &s, &info, ctx), JAGA_OK); /* the caller stops: fine */
    assert_int_equal(s.n, 3);
    jaga_ctx_free(ctx);
}

/* A file and the same bytes in memory hash alike. */
static void test_file_and_memory_agree(void **state)
{
    (void)state;
    jaga_ctx *ctx;
    jaga_pdq_hasher *hasher;
    jaga_ctx_open(&ctx);
    jaga_pdq_hasher_open(&hasher);
    jaga_vpdq_feature *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    assert_int_equal(jaga_vpdq_hash_video(ctx, hasher, clip, NULL, 0, NULL, 0, &a, &na, NULL),
                     JAGA_OK);
    assert_int_equal(
        jaga_vpdq_hash_video(ctx, hasher, NULL, clip_data, clip_len, NULL, 0, &b, &nb, NULL),
        JAGA_OK);
    assert_int_equal(na, 50);
    assert_int_equal(nb, 50);
    assert_memory_equal(a, b, na * sizeof(*a));
    char line[JAGA_VPDQ_LINE_MAX];
    jaga_vpdq_feature_line(&a[25], line);
    assert_int_equal(strncmp(line, "25,", 3), 0);
    assert_non_null(strstr(line, ",1.000"));
    free(a), free(b);
    jaga_pdq_hasher_free(hasher);
    jaga_ctx_free(ctx);
}

static void limited(jaga_video_limits lim, const char *why)
{
    jaga_ctx *ctx;
    jaga_ctx_open(&ctx);
    seen s = {0};
    jaga_status st = decode(&lim, 0, &s, NULL, ctx);
    if (st != JAGA_ERR_LIMIT || !strstr(jaga_errmsg(ctx), why))
        fail_msg("%s: %s (%s)", why, jaga_status_str(st), jaga_errmsg(ctx));
    jaga_ctx_free(ctx);
}

static void test_limits(void **state)
{
    (void)state;
    jaga_video_limits lim;
    jaga_video_limits_default(&lim);
    jaga_video_limits l = lim;
    l.max_bytes = 1000;
    limited(l, "bytes exceeds");
    l = lim, l.max_width = 32;
    limited(l, "exceeds the limit of 32x");
    l = lim, l.max_height = 40;
    limited(l, "exceeds the limit of");
    l = lim, l.max_frames = 10;
    limited(l, "more than 10 frames");
    l = lim, l.max_seconds = 1;
    limited(l, "longer than 1 seconds");
}

static void refused(const void *data, size_t len, double every, jaga_status want, const char *why)
{
    jaga_ctx *ctx;
    jaga_ctx_open(&ctx);
    seen s = {0};
    jaga_status st = jaga_video_decode(ctx, NULL, data, len, NULL, every, note, &s, NULL);
    if (st != want || !strstr(jaga_errmsg(ctx), why))
        fail_msg("%s: %s (%s)", why, jaga_status_str(st), jaga_errmsg(ctx));
    jaga_ctx_free(ctx);
}

static void test_malformed(void **state)
{
    (void)state;
    refused("", 0, 1, JAGA_ERR_DECODE, "empty input");
    refused("not a video at all, just some text", 34, 1, JAGA_ERR_DECODE, "not a readable video");
    refused(clip_data, clip_len / 2, 0, JAGA_ERR_DECODE, "truncated");
    refused(clip_data, clip_len, -1, JAGA_ERR_INVALID, "seconds between frames");
    uint8_t *damaged = malloc(clip_len);
    memcpy(damaged, clip_data, clip_len);
    for (size_t i = clip_len / 4; i < clip_len; i += 5)
        damaged[i] ^= 0xa5;
    jaga_ctx *ctx;
    jaga_ctx_open(&ctx);
    seen s = {0};
    jaga_status st = jaga_video_decode(ctx, NULL, damaged, clip_len, NULL, 0, note, &s, NULL);
    assert_int_equal(st, JAGA_ERR_DECODE); /* corrupt data or a cut: never a quiet success */
    jaga_ctx_free(ctx);
    free(damaged);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selection_and_info),
        cmocka_unit_test(test_file_and_memory_agree),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, make_clip, remove_clip);
}
