/*
 * text.h: Vietnamese text at the boundary. Input is validated UTF-8 and stored in NFC
 * (utf8proc); search keys are accent-folded: lower case, diacritics removed, đ/Đ → d, runs
 * of white space collapsed, so "ĐĂNG KÝ  Khai sinh" and "dang ky khai sinh" meet.
 */
#ifndef MOTCUA_TEXT_H
#define MOTCUA_TEXT_H

#include <stddef.h>

#include "core/buf.h"

/* text_utf8_valid: 1 when s[0..len) is well-formed UTF-8 without NUL bytes. */
int text_utf8_valid(const char *s, size_t len);
/* text_utf8_len: code points in a valid UTF-8 string. */
size_t text_utf8_len(const char *s);
/* text_nfc: s normalised to NFC, appended to out. -1 on invalid UTF-8 or overflow. */
int text_nfc(const char *s, struct buf *out);
/* text_is_nfc: 1 when s is already NFC (the cheap common case). */
int text_is_nfc(const char *s);
/* text_fold: the search key of s appended to out (see above). -1 on invalid input. */
int text_fold(const char *s, struct buf *out);
/* text_email_ok: 1 for a plausible e-mail address, the one rule of every address the
 * system takes (users, applicants, units' feedback boxes, the SMTP sender): local@domain.tld,
 * one '@', at most 254 bytes, no white space, control or quoting characters that could
 * break an SMTP envelope or a header. */
int text_email_ok(const char *s);
/* text_trim_len: s's length without leading/trailing ASCII white space; *start set. */
size_t text_trim(const char *s, const char **start);

#endif
