#include "crypto/crypto.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long pw_ops;
static size_t pw_mem;

int
crypto_init(void)
{
	if (sodium_init() < 0)
		return -1;
	const char *fast = getenv("MOTCUA_FAST_HASH");
	if (fast && strcmp(fast, "1") == 0) {
		/* Tests create many users; argon2id at its minimum cost is still argon2id. */
		pw_ops = crypto_pwhash_OPSLIMIT_MIN;
		pw_mem = crypto_pwhash_MEMLIMIT_MIN;
	} else {
		pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	}
	return 0;
}

int
crypto_password_hash(const char *password, char out[CRYPTO_PWHASH_LEN])
{
	return crypto_pwhash_str_alg(out, password, strlen(password), pw_ops, pw_mem,
				     crypto_pwhash_ALG_ARGON2ID13) == 0
		   ? 0
		   : -1;
}

int
crypto_password_verify(const char *hash, const char *password)
{
	if (!hash || !password)
		return -1;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 ? 0 : -1;
}

void
crypto_token(char out[CRYPTO_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, CRYPTO_TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void
crypto_random_digits(char *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (char)('0' + randombytes_uniform(10));
	out[n] = '\0';
}

void
crypto_sha256_hex(const void *data, size_t len, char out[CRYPTO_SHA256_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, CRYPTO_SHA256_HEX, h, sizeof(h));
}

int
crypto_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}

void
crypto_hmac_sha256_hex(const void *key, size_t keylen, const void *data, size_t len,
		       char out[CRYPTO_SHA256_HEX])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, data, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, CRYPTO_SHA256_HEX, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
}

void
crypto_base64(const void *data, size_t n, char *out)
{
	sodium_bin2base64(out, CRYPTO_BASE64_LEN(n), data, n, sodium_base64_VARIANT_ORIGINAL);
}
