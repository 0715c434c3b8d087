/* Snapshot files of the PDQ index: a header, the arrays each at a page boundary, an XXH3-128
 * trailer (against corruption; whoever can write the file can rewrite the checksum too). Loading
 * maps the file and uses the arrays where they lie: no copy, and no fresh memory to fault in, which
 * is what a large load would otherwise spend its time on. */
#include "index/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "index/pdq_index_internal.h"
#include "jaga/core.h"

static const char magic[8] = {'J', 'A', 'G', 'A', 'P', 'D', 'Q', 'X'};
enum {
    VERSION = 1,
    HEADER_SIZE = 64,
    ALIGN = 4096,
    SECTIONS = 8,
    TRAILER = 16,
    ENDIAN_MARK = 0x01020304
};

typedef struct header {
    char magic[8];
    uint32_t version, endian;
    uint64_t n, active, table_n, nslots;
    uint32_t tables, buckets;
    uint64_t tag;
} header;
_Static_assert(sizeof(header) == HEADER_SIZE, "snapshot header layout");

static uint64_t aligned(uint64_t v)
{
    return (v + ALIGN - 1) & ~(uint64_t)(ALIGN - 1);
}

/* Small multi-indexes are cheaper to rebuild than their fixed-size bucket tables are to
 * store. */
static int stores_table(const mih *t)
{
    return t->offsets && t->n >= MIH_BUCKETS;
}

/* The sizes of the arrays in file order, from a header. */
static void section_sizes(const header *h, uint64_t size[SECTIONS])
{
    uint64_t n = h->n, t = h->tables ? h->table_n : 0;
    size[0] = n * sizeof(jaga_pdq_hash);
    size[1] = n * 8;
    size[2] = n * 4;
    size[3] = n;
    size[4] = h->nslots * 4;
    size[5] = h->tables ? (uint64_t)MIH_TABLES * (MIH_BUCKETS + 1) * 4 : 0;
    size[6] = (uint64_t)MIH_TABLES * t * 2;
    size[7] = (uint64_t)MIH_TABLES * t * 4;
}

static uint64_t file_size_of(const header *h)
{
    uint64_t size[SECTIONS], total = aligned(HEADER_SIZE);
    section_sizes(h, size);
    for (int i = 0; i < SECTIONS; i++)
        total += aligned(size[i]);
    return total + TRAILER;
}

static int write_padded(FILE *f, XXH3_state_t *sum, const void *data, uint64_t size)
{
    static const uint8_t zeros[ALIGN];
    uint64_t pad = aligned(size) - size;
    if (size && (fwrite(data, 1, size, f) != size || XXH3_128bits_update(sum, data, size)))
        return -1;
    if (pad && (fwrite(zeros, 1, pad, f) != pad || XXH3_128bits_update(sum, zeros, pad)))
        return -1;
    return 0;
}

/* The trailer bytes of a checksum, fixed little-endian order. */
static void trailer_of(XXH128_hash_t h, uint8_t out[TRAILER])
{
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, h);
    memcpy(out, c.digest, TRAILER);
}

void jaga__snapshot_seal(uint8_t *data, size_t size)
{
    trailer_of(XXH3_128bits(data, size - TRAILER), data + size - TRAILER);
}

int jaga__snapshot_write(jaga_index *x, FILE *f)
{
    int table = stores_table(&x->table);
    header h = {.version = VERSION,
                .endian = ENDIAN_MARK,
                .n = x->n,
                .active = x->active,
                .table_n = table ? x->table.n : 0,
                .nslots = x->nslots,
                .tables = table ? MIH_TABLES : 0,
                .buckets = MIH_BUCKETS,
                .tag = x->tag};
    memcpy(h.magic, magic, sizeof(magic));
    const void *data[SECTIONS] = {x->hashes, x->ids,           x->banks,         x->withdrawn,
                                  x->slots,  x->table.offsets, x->table.partner, x->table.pos};
    uint64_t size[SECTIONS];
    section_sizes(&h, size);
    XXH3_state_t *sum = XXH3_createState();
    int rc = sum && XXH3_128bits_reset(sum) == XXH_OK ? 0 : -1;
    if (rc == 0)
        rc = write_padded(f, sum, &h, sizeof(h));
    for (int i = 0; rc == 0 && i < SECTIONS; i++)
        rc = write_padded(f, sum, data[i], size[i]);
    uint8_t trailer[TRAILER];
    if (rc == 0) {
        trailer_of(XXH3_128bits_digest(sum), trailer);
        rc = fwrite(trailer, 1, TRAILER, f) == TRAILER ? 0 : -1;
    }
    XXH3_freeState(sum);
    return rc;
}

jaga_status jaga_index_save(jaga_index *x, jaga_ctx *ctx, const char *path)
{
    size_t len = strlen(path) + 8;
    char *tmp = malloc(len);
    if (!tmp)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "snapshot: no memory");
    snprintf(tmp, len, "%s.tmp", path);
    pthread_mutex_lock(&x->writer);
    jaga_status st = JAGA_OK;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        st = jaga_fail(ctx, JAGA_ERR_IO, "snapshot: %s: %s", tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
    } else {
        int rc = jaga__snapshot_write(x, f);
        rc |= fflush(f) != 0 || fsync(fileno(f)) != 0;
        rc |= fclose(f) != 0;
        if (rc != 0 || rename(tmp, path) != 0)
            st = jaga_fail(ctx, JAGA_ERR_IO, "snapshot: writing %s: %s", path, strerror(errno));
    }
    pthread_mutex_unlock(&x->writer);
    if (st != JAGA_OK)
        unlink(tmp);
    free(tmp);
    return st;
}

static jaga_status check_header(jaga_ctx *ctx, const header *h, uint64_t file_size)
{
    if (memcmp(h->magic, magic, sizeof(magic)) != 0)
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: not a jaga PDQ index snapshot");
    if (h->version != VERSION)
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: version %u, this jaga reads %u",
                         h->version, VERSION);
    if (h->endian != ENDIAN_MARK)
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: written on a host of other endianness");
    if (h->n > UINT32_MAX - 1 || h->active > h->n || h->table_n > h->n)
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: inconsistent entry counts");
    if ((h->tables != 0 && h->tables != MIH_TABLES) || h->buckets != MIH_BUCKETS ||
        (h->tables == 0 && h->table_n != 0) || (h->tables != 0 && h->table_n < MIH_BUCKETS))
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: unknown table layout");
    /* Open addressing needs a power of two with room to spare, or lookups never end. */
    if (h->nslots < 16 || (h->nslots & (h->nslots - 1)) != 0 || h->nslots < 2 * h->n ||
        h->nslots > ((uint64_t)1 << 34))
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: bad id table size");
    if (file_size_of(h) != file_size)
        return jaga_fail(ctx, JAGA_ERR_DECODE,
                         "snapshot: %llu bytes where its header implies %llu (truncated?)",
                         (unsigned long long)file_size, (unsigned long long)file_size_of(h));
    return JAGA_OK;
}

/* Bounds that keep every later access inside the arrays. */
static const char *check_contents(const jaga_index *x)
{
    size_t active = 0, used = 0;
    for (size_t p = 0; p < x->n; p++) {
        if (x->withdrawn[p] > 1)
            return "bad withdrawal flag";
        active += !x->withdrawn[p];
    }
    if (active != x->active)
        return "active count does not match";
    for (size_t s = 0; s < x->nslots; s++) {
        if (x->slots[s] != UINT32_MAX && x->slots[s] >= x->n)
            return "id table points outside the entries";
        used += x->slots[s] != UINT32_MAX;
    }
    if (used != x->n)
        return "id table does not hold every entry";
    const mih *t = &x->table;
    for (size_t w = 0; t->offsets && w < MIH_TABLES; w++) {
        const uint32_t *off = t->offsets + w * (MIH_BUCKETS + 1);
        if (off[0] != 0 || off[MIH_BUCKETS] != t->n)
            return "table bounds";
        for (size_t b = 0; b < MIH_BUCKETS; b++)
            if (off[b] > off[b + 1])
                return "table bounds";
        for (size_t j = 0; j < t->n; j++)
            if (t->pos[w * t->n + j] >= t->n)
                return "table points outside the entries";
    }
    return NULL;
}

/* Frees an index that failed to adopt its image, leaving the image to the caller. */
static void abandon(jaga_index *x)
{
    x->hashes = NULL, x->ids = NULL, x->banks = NULL, x->withdrawn = NULL, x->slots = NULL;
    if (x->table.borrowed)
        x->table = (mih){0};
    x->region = NULL;
    jaga_index_free(x);
}

jaga_status jaga__snapshot_adopt(jaga_ctx *ctx, uint8_t *data, size_t size, int mapped,
                                 jaga_index **out)
{
    *out = NULL;
    header h;
    if (size < sizeof(h) + TRAILER)
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: truncated header");
    memcpy(&h, data, sizeof(h));
    jaga_status st = check_header(ctx, &h, size);
    if (st != JAGA_OK)
        return st;
    uint8_t sum[TRAILER];
    trailer_of(XXH3_128bits(data, size - TRAILER), sum);
    if (memcmp(sum, data + size - TRAILER, TRAILER) != 0)
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: checksum mismatch (corrupt file)");
    jaga_index *x;
    if (jaga_index_open(&x) != JAGA_OK)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "snapshot: no memory");
    uint64_t sizes[SECTIONS], at = aligned(HEADER_SIZE);
    uint8_t *sections[SECTIONS];
    section_sizes(&h, sizes);
    for (int i = 0; i < SECTIONS; i++) {
        sections[i] = sizes[i] ? data + at : NULL;
        at += aligned(sizes[i]);
    }
    x->hashes = (jaga_pdq_hash *)sections[0];
    x->ids = (uint64_t *)sections[1];
    x->banks = (uint32_t *)sections[2];
    x->withdrawn = sections[3];
    x->slots = (uint32_t *)sections[4];
    x->table = (mih){.n = (uint32_t)h.table_n,
                     .offsets = (uint32_t *)sections[5],
                     .partner = (uint16_t *)sections[6],
                     .pos = (uint32_t *)sections[7],
                     .borrowed = 1};
    x->n = x->cap = h.n;
    x->active = h.active;
    x->nslots = h.nslots;
    x->tag = h.tag;
    const char *problem = check_contents(x);
    if (problem) {
        abandon(x);
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: %s", problem);
    }
    x->region = data;
    x->region_len = size;
    x->region_mapped = mapped;
    if (!h.tables && x->n && jaga_index_compact(x, ctx) != JAGA_OK) {
        abandon(x);
        return JAGA_ERR_NOMEM;
    }
    *out = x;
    return JAGA_OK;
}

jaga_status jaga_index_snapshot_tag(jaga_ctx *ctx, const char *path, uint64_t *tag)
{
    header h;
    struct stat sb;
    FILE *f = fopen(path, "rb");
    int got = f && fstat(fileno(f), &sb) == 0 && fread(&h, sizeof(h), 1, f) == 1;
    if (f)
        fclose(f);
    if (!f)
        return jaga_fail(ctx, JAGA_ERR_IO, "snapshot: %s: %s", path, strerror(errno));
    jaga_status st = got ? check_header(ctx, &h, (uint64_t)sb.st_size)
                         : jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: truncated header");
    if (st == JAGA_OK)
        *tag = h.tag;
    return st;
}

jaga_status jaga_index_load(jaga_ctx *ctx, const char *path, jaga_index **out)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        jaga_status st = jaga_fail(ctx, JAGA_ERR_IO, "snapshot: %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return st;
    }
    if ((uint64_t)sb.st_size < HEADER_SIZE) {
        close(fd);
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: truncated header");
    }
    /* Private and writable: withdrawals after the load copy the page they touch. */
    uint8_t *data = mmap(NULL, (size_t)sb.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    close(fd);
    if (data == MAP_FAILED)
        return jaga_fail(ctx, JAGA_ERR_IO, "snapshot: mapping %s: %s", path, strerror(errno));
    jaga_status st = jaga__snapshot_adopt(ctx, data, (size_t)sb.st_size, 1, out);
    if (st != JAGA_OK)
        munmap(data, (size_t)sb.st_size);
    return st;
}
