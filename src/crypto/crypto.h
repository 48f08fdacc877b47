/*
 * crypto.h: the few primitives motcua needs, all from libsodium: argon2id password hashes,
 * random tokens, SHA-256 (for token storage and the hash chains) and constant-time equality.
 * crypto_init must run once before any thread uses the others.
 */
#ifndef MOTCUA_CRYPTO_H
#define MOTCUA_CRYPTO_H

#include <stddef.h>

#define CRYPTO_PWHASH_LEN 128 /* crypto_pwhash_STRBYTES */
#define CRYPTO_TOKEN_LEN  43  /* 32 random bytes, base64url without padding */
#define CRYPTO_SHA256_HEX 65  /* 64 hex digits and NUL */

/* crypto_init: 0, or -1 when libsodium cannot start. */
int crypto_init(void);

/* crypto_password_hash: argon2id (interactive limits, or the minimum in tests when
 * MOTCUA_FAST_HASH=1) into out[CRYPTO_PWHASH_LEN]. 0 or -1. */
int crypto_password_hash(const char *password, char out[CRYPTO_PWHASH_LEN]);
/* crypto_password_verify: 0 when password matches hash, -1 otherwise. */
int crypto_password_verify(const char *hash, const char *password);

/* crypto_token: a fresh random token, base64url, NUL-terminated, into out[CRYPTO_TOKEN_LEN+1]. */
void crypto_token(char out[CRYPTO_TOKEN_LEN + 1]);
/* crypto_random_digits: n random decimal digits, NUL-terminated (out holds n+1). */
void crypto_random_digits(char *out, size_t n);

/* crypto_sha256_hex: SHA-256 of data as 64 lowercase hex digits. */
void crypto_sha256_hex(const void *data, size_t len, char out[CRYPTO_SHA256_HEX]);

/* crypto_equal: constant-time comparison of two NUL-terminated strings; 1 when equal. */
int crypto_equal(const char *a, const char *b);

/* crypto_hmac_sha256_hex: HMAC-SHA-256 of data under a key of any length (the standard
 * construction, so a receiver checks it with any HMAC library) as 64 lowercase hex digits. */
void crypto_hmac_sha256_hex(const void *key, size_t keylen, const void *data, size_t len,
			    char out[CRYPTO_SHA256_HEX]);
/* crypto_base64: standard base64 with padding (RFC 4648 section 4) of n bytes into out, which
 * holds CRYPTO_BASE64_LEN(n) bytes with the NUL. */
#define CRYPTO_BASE64_LEN(n) (((n) + 2) / 3 * 4 + 1)
void crypto_base64(const void *data, size_t n, char *out);

#endif
