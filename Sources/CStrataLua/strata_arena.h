// Internal: per-state arenas. Each Lua state allocates its small blocks from chunks of its own,
// so the objects one tick touches sit together in a few pages instead of being spread over the
// whole heap among other states' objects (with 10,000 states, the cost of a tick is mostly
// cache and TLB misses). Chunks come from 2 MiB slabs shared by all states; a closed state's
// chunks go back to the pool for the next state, and the pages of pooled chunks above a
// watermark go back to the system (the chunks stay mapped, reused before any new slab).
#ifndef STRATA_ARENA_H
#define STRATA_ARENA_H

#include <stddef.h>

/// Size classes: 16-byte steps to 256, then four per doubling to STRATA_ARENA_MAX_BLOCK.
#define STRATA_ARENA_CLASSES 28
/// Blocks above this size come from malloc.
#define STRATA_ARENA_MAX_BLOCK 2048

/// One state's arena. Used by one thread at a time (the one running the state): no locks.
typedef struct strata_arena {
    unsigned char *next;                     ///< bump pointer in the current chunk
    unsigned char *end;                      ///< end of the current chunk
    void *free[STRATA_ARENA_CLASSES];        ///< free blocks, one list per size class
    struct strata_chunk *chunks;             ///< every chunk the arena owns
    size_t chunk_count;
} strata_arena;

/// Starts an arena in a fresh chunk and carves `header` bytes off its start (for the owner's own
/// bookkeeping, which then shares the chunk with the state's first objects). NULL on failure.
void *strata_arena_start(strata_arena *scratch, size_t header);

/// Allocates, resizes or frees a block like a `lua_Alloc` (osize is the block's exact size).
void *strata_arena_realloc(strata_arena *a, void *ptr, size_t osize, size_t nsize);

/// Returns every chunk of the arena to the shared pool. The arena (and its header) is gone after.
void strata_arena_finish(strata_arena *a);

#endif
