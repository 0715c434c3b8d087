/* Snapshot files of the PDQ index: a fixed header, the arrays, a SHA-256 trailer. */
#include "index/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index/pdq_index_internal.h"
#include "util/ctx.h"

static const char magic[8] = {'J', 'A', 'G', 'A', 'P', 'D', 'Q', 'X'};
enum { VERSION = 1, HEADER_SIZE = 64, ENDIAN_MARK = 0x01020304 };

typedef struct header {
    char magic[8];
    uint32_t version, endian;
    uint64_t n, active, table_n, nslots;
    uint32_t tables, buckets;
    uint8_t reserved[8];
} header;
_Static_assert(sizeof(header) == HEADER_SIZE, "snapshot header layout");

/* The arrays in file order. */
typedef struct section {
    void *data;
    size_t size;
} section;

/* Small multi-indexes are cheaper to rebuild than their fixed-size bucket tables are to
 * store. */
static int stores_table(const mih *t)
{
    return t->offsets && t->n >= MIH_BUCKETS;
}

static int sections_of(jaga_index *x, section out[9])
{
    size_t n = x->n, t = x->table.n;
    int has_table = stores_table(&x->table);
    section s[9] = {
        {x->hashes, n * sizeof(jaga_pdq_hash)},
        {x->ids, n * sizeof(uint64_t)},
        {x->banks, n * sizeof(uint32_t)},
        {x->withdrawn, n},
        {x->slots, x->nslots * sizeof(uint32_t)},
        {x->table.offsets, has_table ? (size_t)MIH_TABLES * (MIH_BUCKETS + 1) * 4 : 0},
        {x->table.partner, has_table ? (size_t)MIH_TABLES * t * 2 : 0},
        {x->table.pos, has_table ? (size_t)MIH_TABLES * t * 4 : 0},
    };
    memcpy(out, s, sizeof(s));
    return 8;
}

static int write_all(FILE *f, EVP_MD_CTX *md, const void *data, size_t size)
{
    if (size == 0)
        return 0;
    return fwrite(data, 1, size, f) == size && EVP_DigestUpdate(md, data, size) == 1 ? 0 : -1;
}

int snapshot_write(jaga_index *x, FILE *f)
{
    header h = {.version = VERSION,
                .endian = ENDIAN_MARK,
                .n = x->n,
                .active = x->active,
                .table_n = stores_table(&x->table) ? x->table.n : 0,
                .nslots = x->nslots,
                .tables = stores_table(&x->table) ? MIH_TABLES : 0,
                .buckets = MIH_BUCKETS};
    memcpy(h.magic, magic, sizeof(magic));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int rc = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 ? 0 : -1;
    if (rc == 0)
        rc = write_all(f, md, &h, sizeof(h));
    section s[9];
    int ns = sections_of(x, s);
    for (int i = 0; rc == 0 && i < ns; i++)
        rc = write_all(f, md, s[i].data, s[i].size);
    unsigned char sum[32];
    unsigned int len = 0;
    if (rc == 0 && (EVP_DigestFinal_ex(md, sum, &len) != 1 || fwrite(sum, 1, 32, f) != 32))
        rc = -1;
    EVP_MD_CTX_free(md);
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
        int rc = snapshot_write(x, f);
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

static jaga_status check_header(jaga_ctx *ctx, const header *h)
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
    if ((h->nslots & (h->nslots - 1)) != 0 || (h->n && h->nslots < 2 * h->n) ||
        h->nslots > ((uint64_t)1 << 34))
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: bad id table size");
    return JAGA_OK;
}

static int read_all(FILE *f, EVP_MD_CTX *md, void *data, size_t size)
{
    if (size == 0)
        return 0;
    return fread(data, 1, size, f) == size && EVP_DigestUpdate(md, data, size) == 1 ? 0 : -1;
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

/* The file size a header implies (the header's fields are already bounded). */
static uint64_t implied_size(const header *h)
{
    uint64_t size = HEADER_SIZE + 32 + h->n * (sizeof(jaga_pdq_hash) + 8 + 4 + 1) + h->nslots * 4;
    if (h->tables)
        size += (uint64_t)MIH_TABLES * ((MIH_BUCKETS + 1) * 4 + h->table_n * 6);
    return size;
}

jaga_status snapshot_read(jaga_ctx *ctx, FILE *f, uint64_t file_size, jaga_index **out)
{
    *out = NULL;
    header h;
    if (fread(&h, 1, sizeof(h), f) != sizeof(h))
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: truncated header");
    jaga_status st = check_header(ctx, &h);
    if (st != JAGA_OK)
        return st;
    if (implied_size(&h) != file_size)
        return jaga_fail(ctx, JAGA_ERR_DECODE,
                         "snapshot: %llu bytes, its header implies %llu (truncated or corrupt)",
                         (unsigned long long)file_size, (unsigned long long)implied_size(&h));
    jaga_index *x;
    if (jaga_index_open(&x) != JAGA_OK)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "snapshot: no memory");
    size_t n = h.n ? h.n : 1;
    x->hashes = malloc(n * sizeof(jaga_pdq_hash));
    x->ids = malloc(n * sizeof(uint64_t));
    x->banks = malloc(n * sizeof(uint32_t));
    x->withdrawn = malloc(n);
    x->slots = malloc((h.nslots ? h.nslots : 1) * sizeof(uint32_t));
    int ok = x->hashes && x->ids && x->banks && x->withdrawn && x->slots;
    if (ok && h.tables) {
        size_t tn = h.table_n ? h.table_n : 1;
        x->table.offsets = malloc((size_t)MIH_TABLES * (MIH_BUCKETS + 1) * 4);
        x->table.partner = malloc((size_t)MIH_TABLES * tn * 2);
        x->table.pos = malloc((size_t)MIH_TABLES * tn * 4);
        ok = x->table.offsets && x->table.partner && x->table.pos;
    }
    if (!ok) {
        jaga_index_free(x);
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "snapshot: no memory for %llu entries",
                         (unsigned long long)h.n);
    }
    x->n = x->cap = h.n;
    x->active = h.active;
    x->nslots = h.nslots;
    x->table.n = (uint32_t)h.table_n;

    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int rc = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
                     EVP_DigestUpdate(md, &h, sizeof(h)) == 1
                 ? 0
                 : -1;
    section s[9];
    int ns = sections_of(x, s);
    for (int i = 0; rc == 0 && i < ns; i++)
        rc = read_all(f, md, s[i].data, s[i].size);
    unsigned char want[32], sum[32];
    unsigned int len = 0;
    const char *problem = NULL;
    if (rc != 0 || fread(want, 1, 32, f) != 32)
        problem = "truncated";
    else if (fgetc(f) != EOF)
        problem = "trailing bytes after the checksum";
    else if (EVP_DigestFinal_ex(md, sum, &len) != 1 || memcmp(sum, want, 32) != 0)
        problem = "checksum mismatch (corrupt file)";
    else
        problem = check_contents(x);
    EVP_MD_CTX_free(md);
    if (problem) {
        jaga_index_free(x);
        return jaga_fail(ctx, JAGA_ERR_DECODE, "snapshot: %s", problem);
    }
    if (!h.tables && x->n && jaga_index_compact(x, ctx) != JAGA_OK) {
        jaga_index_free(x);
        return JAGA_ERR_NOMEM;
    }
    *out = x;
    return JAGA_OK;
}

jaga_status jaga_index_load(jaga_ctx *ctx, const char *path, jaga_index **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    struct stat st_buf;
    if (!f || fstat(fileno(f), &st_buf) != 0) {
        jaga_status st = jaga_fail(ctx, JAGA_ERR_IO, "snapshot: %s: %s", path, strerror(errno));
        if (f)
            fclose(f);
        return st;
    }
    jaga_status st = snapshot_read(ctx, f, (uint64_t)st_buf.st_size, out);
    fclose(f);
    return st;
}
