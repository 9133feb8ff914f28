/*
 * declog.c - the decision log (see declog.h): a ring of malloc'ed lines under one mutex; the
 * writer thread takes every queued line at once and writes them outside the lock.
 */
#include "forward/declog.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct line {
    char *text;
    size_t len;
} line;

struct authz_declog {
    int fd;
    bool close_fd;
    unsigned sample;
    atomic_uint_fast64_t seen, written, dropped;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    line *ring;
    size_t cap, head, count;
    bool stop;
    pthread_t thread;
};

static void write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return; /* a broken log is not the request's problem */
        p += w;
        n -= (size_t)w;
    }
}

static void *writer(void *arg) {
    authz_declog *l = arg;
    line *batch = malloc(l->cap * sizeof *batch);
    pthread_mutex_lock(&l->lock);
    for (;;) {
        while (!l->count && !l->stop) pthread_cond_wait(&l->wake, &l->lock);
        if (!l->count && l->stop) break;
        size_t n = 0;
        while (l->count && batch) {
            batch[n++] = l->ring[l->head];
            l->head = (l->head + 1) % l->cap;
            l->count--;
        }
        pthread_mutex_unlock(&l->lock);
        for (size_t i = 0; i < n; i++) {
            write_all(l->fd, batch[i].text, batch[i].len);
            free(batch[i].text);
            atomic_fetch_add(&l->written, 1);
        }
        pthread_mutex_lock(&l->lock);
        if (!batch) break;
    }
    pthread_mutex_unlock(&l->lock);
    free(batch);
    return NULL;
}

authz_declog *authz_declog_new(int fd, bool close_fd, size_t capacity, unsigned sample) {
    authz_declog *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->fd = fd;
    l->close_fd = close_fd;
    l->sample = sample ? sample : 1;
    l->cap = capacity ? capacity : 1;
    l->ring = calloc(l->cap, sizeof *l->ring);
    if (!l->ring || pthread_mutex_init(&l->lock, NULL) != 0) {
        free(l->ring);
        free(l);
        return NULL;
    }
    pthread_cond_init(&l->wake, NULL);
    if (pthread_create(&l->thread, NULL, writer, l) != 0) {
        pthread_cond_destroy(&l->wake);
        pthread_mutex_destroy(&l->lock);
        free(l->ring);
        free(l);
        return NULL;
    }
    return l;
}

authz_declog *authz_declog_open(const char *path, size_t capacity, unsigned sample) {
    bool std = !strcmp(path, "-");
    int fd = std ? STDOUT_FILENO : open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) return NULL;
    authz_declog *l = authz_declog_new(fd, !std, capacity, sample);
    if (!l && !std) close(fd);
    return l;
}

bool authz_declog_wants(authz_declog *l, bool allowed) {
    if (!allowed || l->sample == 1) return true;
    return atomic_fetch_add(&l->seen, 1) % l->sample == 0;
}

void authz_declog_push(authz_declog *l, const char *text, size_t len) {
    char *copy = malloc(len + 1);
    if (!copy) {
        atomic_fetch_add(&l->dropped, 1);
        return;
    }
    memcpy(copy, text, len);
    copy[len] = '\n';
    pthread_mutex_lock(&l->lock);
    bool full = l->count == l->cap;
    if (!full) {
        l->ring[(l->head + l->count) % l->cap] = (line){copy, len + 1};
        l->count++;
        pthread_cond_signal(&l->wake);
    }
    pthread_mutex_unlock(&l->lock);
    if (full) {
        free(copy);
        atomic_fetch_add(&l->dropped, 1);
    }
}

uint64_t authz_declog_written(const authz_declog *l) {
    return l ? atomic_load(&((authz_declog *)(uintptr_t)l)->written) : 0;
}

uint64_t authz_declog_dropped(const authz_declog *l) {
    return l ? atomic_load(&((authz_declog *)(uintptr_t)l)->dropped) : 0;
}

void authz_declog_free(authz_declog *l) {
    if (!l) return;
    pthread_mutex_lock(&l->lock);
    l->stop = true;
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->lock);
    pthread_join(l->thread, NULL);
    while (l->count) { /* only if the writer could not get its batch array */
        free(l->ring[l->head].text);
        l->head = (l->head + 1) % l->cap;
        l->count--;
    }
    if (l->close_fd) close(l->fd);
    pthread_cond_destroy(&l->wake);
    pthread_mutex_destroy(&l->lock);
    free(l->ring);
    free(l);
}
