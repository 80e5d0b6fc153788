// Per-state arenas (see strata_arena.h): size-class free lists over chunks of one state,
// chunks handed out by a process-wide pool of 2 MiB slabs. Chunks of closed states wait in the
// pool for the next state; above a watermark their pages go back to the system.
#include "strata_arena.h"
#include "strata_lua.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define STRATA_CHUNK_SIZE (8u * 1024)
#define STRATA_SLAB_SIZE (2u * 1024 * 1024)
#define STRATA_ALIGN 16u

typedef struct strata_chunk {
    struct strata_chunk *next;
    size_t pad;                      // keeps blocks 16-byte aligned
} strata_chunk;

// MARK: - The shared pool of chunks

static pthread_mutex_t strata_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t strata_trim_lock = PTHREAD_MUTEX_INITIALIZER;  // one trimmer at a time
static strata_chunk *strata_pool_free;      // chunks returned by closed states (pages resident)
static size_t strata_pool_count;
static size_t strata_pool_watermark = STRATA_ARENA_DEFAULT_WATERMARK / STRATA_CHUNK_SIZE;
// Chunks whose pages were given back (MADV_DONTNEED): still mapped, so reused before any new
// slab, but not resident. Kept in an array because a released chunk's own bytes are zeroed.
static void **strata_released;
static size_t strata_released_count;
static size_t strata_released_capacity;
static size_t strata_slab_count;
static unsigned char *strata_slab_next;     // the rest of the newest slab
static unsigned char *strata_slab_end;

// A new 2 MiB-aligned slab. (Asking for transparent huge pages was measured: no gain on ticks
// over 10,000 states, and loading got slower and erratic, paying for zeroing and compaction.)
static unsigned char *strata_newslab(void) {
    size_t span = 2 * STRATA_SLAB_SIZE;
    unsigned char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return NULL;
    uintptr_t aligned = ((uintptr_t)raw + STRATA_SLAB_SIZE - 1) & ~(uintptr_t)(STRATA_SLAB_SIZE - 1);
    unsigned char *slab = (unsigned char *)aligned;
    if (slab > raw) munmap(raw, (size_t)(slab - raw));
    size_t tail = (size_t)(raw + span - (slab + STRATA_SLAB_SIZE));
    if (tail) munmap(slab + STRATA_SLAB_SIZE, tail);
    return slab;
}

static strata_chunk *strata_takechunk(void) {
    pthread_mutex_lock(&strata_pool_lock);
    strata_chunk *chunk = strata_pool_free;
    if (chunk) {
        strata_pool_free = chunk->next;
        strata_pool_count--;
    } else if (strata_released_count > 0) {
        chunk = strata_released[--strata_released_count];   // its pages come back zeroed on first touch
    } else {
        if (strata_slab_next == strata_slab_end) {
            unsigned char *slab = strata_newslab();
            if (slab) {
                strata_slab_next = slab;
                strata_slab_end = slab + STRATA_SLAB_SIZE;
                strata_slab_count++;
            }
        }
        if (strata_slab_next != strata_slab_end) {
            chunk = (strata_chunk *)strata_slab_next;
            strata_slab_next += STRATA_CHUNK_SIZE;
        }
    }
    pthread_mutex_unlock(&strata_pool_lock);
    return chunk;
}

// MARK: - Size classes

static int strata_class(size_t size) {
    if (size <= 256) return (int)((size + 15) / 16) - 1;       // 0..15: 16..256
    int shift = 63 - __builtin_clzll((unsigned long long)(size - 1));  // size in (2^shift, 2^(shift+1)]
    size_t quarter = (size_t)1 << (shift - 2);
    int step = (int)((size - 1 - ((size_t)1 << shift)) / quarter);  // 0..3
    return 16 + (shift - 8) * 4 + step;                        // 16..27: 320..2048
}

static size_t strata_classsize(int c) {
    if (c < 16) return (size_t)(c + 1) * 16;
    int shift = 8 + (c - 16) / 4;
    return ((size_t)1 << shift) + (size_t)((c - 16) % 4 + 1) * ((size_t)1 << (shift - 2));
}

// MARK: - One state's arena

// Gives the rest of the current chunk to the free lists, then moves to a new chunk.
static int strata_nextchunk(strata_arena *a) {
    while (a->end - a->next >= 16) {
        size_t rest = (size_t)(a->end - a->next);
        int c = strata_class(rest);
        if (strata_classsize(c) > rest) c--;                    // the largest class that fits
        *(void **)a->next = a->free[c];
        a->free[c] = a->next;
        a->next += strata_classsize(c);
    }
    strata_chunk *chunk = strata_takechunk();
    if (!chunk) return 0;
    chunk->next = a->chunks;
    a->chunks = chunk;
    a->chunk_count++;
    a->next = (unsigned char *)(chunk + 1);
    a->end = (unsigned char *)chunk + STRATA_CHUNK_SIZE;
    return 1;
}

static void *strata_arena_alloc(strata_arena *a, size_t size) {
    int c = strata_class(size);
    void *block = a->free[c];
    if (block) {
        a->free[c] = *(void **)block;
        return block;
    }
    size_t bytes = strata_classsize(c);
    if ((size_t)(a->end - a->next) < bytes && !strata_nextchunk(a)) return NULL;
    block = a->next;
    a->next += bytes;
    return block;
}

static void strata_arena_free(strata_arena *a, void *block, size_t size) {
    int c = strata_class(size);
    *(void **)block = a->free[c];
    a->free[c] = block;
}

void *strata_arena_start(strata_arena *scratch, size_t header) {
    memset(scratch, 0, sizeof *scratch);
    if (!strata_nextchunk(scratch)) return NULL;
    header = (header + STRATA_ALIGN - 1) & ~(size_t)(STRATA_ALIGN - 1);
    void *start = scratch->next;
    scratch->next += header;
    return start;
}

void *strata_arena_realloc(strata_arena *a, void *ptr, size_t osize, size_t nsize) {
    size_t old = ptr ? osize : 0;
    int small_old = old > 0 && old <= STRATA_ARENA_MAX_BLOCK;
    if (nsize == 0) {
        if (small_old) strata_arena_free(a, ptr, old);
        else free(ptr);
        return NULL;
    }
    if (nsize > STRATA_ARENA_MAX_BLOCK) {
        if (!small_old) return realloc(ptr, nsize);             // malloc to malloc (or new)
        void *block = malloc(nsize);
        if (block) {
            memcpy(block, ptr, old);
            strata_arena_free(a, ptr, old);
        }
        return block;
    }
    if (small_old && strata_class(old) == strata_class(nsize)) return ptr;  // same block fits
    void *block = strata_arena_alloc(a, nsize);
    if (block && ptr) {
        memcpy(block, ptr, old < nsize ? old : nsize);
        if (small_old) strata_arena_free(a, ptr, old);
        else free(ptr);
    }
    return block;
}

// Gives the pages of pooled chunks above the watermark back to the system, in batches: a batch
// is taken off the pool under the lock, its pages released outside it (the chunks are on no
// list meanwhile: no state can get them), then recorded as released.
static void strata_trimpool(void) {
    enum { batch = 256 };
    void *taken[batch];
    pthread_mutex_lock(&strata_trim_lock);
    for (;;) {
        size_t count = 0;
        pthread_mutex_lock(&strata_pool_lock);
        size_t excess = strata_pool_count > strata_pool_watermark ? strata_pool_count - strata_pool_watermark : 0;
        size_t needed = strata_released_count + (excess < batch ? excess : batch);
        if (needed > strata_released_capacity) {
            size_t capacity = strata_released_capacity ? strata_released_capacity : 1024;
            while (capacity < needed) capacity *= 2;
            void **grown = realloc(strata_released, capacity * sizeof *grown);
            if (grown) {
                strata_released = grown;
                strata_released_capacity = capacity;
            }
        }
        size_t room = strata_released_capacity - strata_released_count;
        while (count < excess && count < batch && count < room) {
            strata_chunk *chunk = strata_pool_free;
            strata_pool_free = chunk->next;
            taken[count++] = chunk;
        }
        strata_pool_count -= count;
        pthread_mutex_unlock(&strata_pool_lock);
        if (count == 0) break;
        for (size_t i = 0; i < count; i++) madvise(taken[i], STRATA_CHUNK_SIZE, MADV_DONTNEED);
        // The room is still there: only a trimmer adds to the array (one at a time), and
        // taking a chunk only removes from it.
        pthread_mutex_lock(&strata_pool_lock);
        for (size_t i = 0; i < count; i++) strata_released[strata_released_count++] = taken[i];
        pthread_mutex_unlock(&strata_pool_lock);
    }
    pthread_mutex_unlock(&strata_trim_lock);
}

void strata_arena_finish(strata_arena *a) {
    strata_chunk *first = a->chunks, *last = first;
    if (!first) return;
    size_t count = 1;
    while (last->next) {
        last = last->next;
        count++;
    }
    pthread_mutex_lock(&strata_pool_lock);                     // `a` may live in a chunk: read it first
    last->next = strata_pool_free;
    strata_pool_free = first;
    strata_pool_count += count;
    int over = strata_pool_count > strata_pool_watermark;
    pthread_mutex_unlock(&strata_pool_lock);
    if (over) strata_trimpool();
}

void strata_arena_set_watermark(size_t bytes) {
    pthread_mutex_lock(&strata_pool_lock);
    strata_pool_watermark = bytes / STRATA_CHUNK_SIZE;
    pthread_mutex_unlock(&strata_pool_lock);
    strata_trimpool();
}

strata_arena_stats strata_arena_getstats(void) {
    pthread_mutex_lock(&strata_pool_lock);
    strata_arena_stats stats = {
        .pooled_bytes = strata_pool_count * STRATA_CHUNK_SIZE,
        .released_bytes = strata_released_count * STRATA_CHUNK_SIZE,
        .slab_bytes = strata_slab_count * STRATA_SLAB_SIZE,
        .watermark_bytes = strata_pool_watermark * STRATA_CHUNK_SIZE,
    };
    pthread_mutex_unlock(&strata_pool_lock);
    return stats;
}
