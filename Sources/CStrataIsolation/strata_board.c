// The call board shared by a worker and its engine (see strata_isolation.h).
#define _GNU_SOURCE
#include "strata_isolation.h"

#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>

int strata_board_create(strata_call_board **board) {
    int fd = memfd_create("strata-call-board", MFD_CLOEXEC);
    if (fd < 0) return -1;
    if (ftruncate(fd, (off_t)sizeof(strata_call_board)) != 0) {
        close(fd);
        return -1;
    }
    void *page = mmap(NULL, sizeof(strata_call_board), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (page == MAP_FAILED) {
        close(fd);
        return -1;
    }
    *board = page;
    __atomic_store_n(&(*board)->slot, -1, __ATOMIC_RELAXED);
    return fd;
}

strata_call_board *strata_board_map(int fd) {
    void *page = mmap(NULL, sizeof(strata_call_board), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return page == MAP_FAILED ? NULL : page;
}

void strata_board_unmap(strata_call_board *board) {
    if (board) munmap(board, sizeof(strata_call_board));
}

void strata_board_begin(strata_call_board *board, int64_t slot, uint64_t budget_ns) {
    __atomic_store_n(&board->slot, slot, __ATOMIC_RELAXED);
    __atomic_store_n(&board->budget_ns, budget_ns, __ATOMIC_RELAXED);
    // Release: a reader that sees the new sequence sees the slot it belongs to.
    __atomic_add_fetch(&board->sequence, 1, __ATOMIC_RELEASE);
}

void strata_board_end(strata_call_board *board) {
    __atomic_store_n(&board->slot, -1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&board->sequence, 1, __ATOMIC_RELEASE);
}

uint64_t strata_board_read(const strata_call_board *board, int64_t *slot, uint64_t *budget_ns) {
    uint64_t sequence = __atomic_load_n(&board->sequence, __ATOMIC_ACQUIRE);
    *slot = __atomic_load_n(&board->slot, __ATOMIC_RELAXED);
    *budget_ns = __atomic_load_n(&board->budget_ns, __ATOMIC_RELAXED);
    return sequence;
}
