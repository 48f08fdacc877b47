/*
 * log.h: JSON-lines logging. Each call writes one line, {"ts":...,"level":...,"event":...,
 * key: value...}, with one write(2) so lines from several threads never interleave. Goes to
 * standard error unless log_open names a file. Thread-safe.
 */
#ifndef MOTCUA_LOG_H
#define MOTCUA_LOG_H

#include "core/buf.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG__MAX };

/* log_open: send lines to path ("-" or NULL: standard error). 0 or -1. */
int log_open(const char *path);
/* log_set_level: drop lines below lv (default LOG_INFO). */
void log_set_level(enum log_level lv);

/* log_event: string key/value pairs ended by NULL; values are JSON-escaped. */
void log_event(enum log_level lv, const char *event, ...) __attribute__((sentinel));

/*
 * log_begin / log_end: build a line with buf_* calls for numbers and other fields.
 * log_begin starts the object with ts, level and event; append `,"key":value` pieces and call
 * log_end, which closes, writes and releases the buffer.
 */
int log_begin(struct buf *b, enum log_level lv, const char *event);
void log_end(struct buf *b);

#endif
