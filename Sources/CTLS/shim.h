#ifndef CTLS_SHIM_H
#define CTLS_SHIM_H
// OpenSSL's TLS server side, for AtlasServer. The helpers wrap what OpenSSL defines as macros, which Swift
// cannot call, and the ALPN choice, which is a C callback.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <string.h>

/// Refuses every passphrase request: an encrypted key is an error at start-up, never a prompt on the terminal.
static int ctls_no_password(char *buf, int size, int rwflag, void *userdata) {
    (void)buf; (void)size; (void)rwflag; (void)userdata;
    return 0;
}

/// TLS 1.2 and 1.3 only, the server's cipher order, no compression or renegotiation, partial writes from
/// a buffer that may move (the connection's queue), a server-side session cache (TLS 1.2 resumption;
/// TLS 1.3 resumes by tickets, OpenSSL's default).
static inline int ctls_configure(SSL_CTX *ctx) {
    if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION)) return 0;
    SSL_CTX_set_default_passwd_cb(ctx, ctls_no_password);
    if (!SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION)) return 0;
    // A client that closes its socket without a close_notify is an end of input, not a fatal error: OpenSSL 3
    // otherwise sends a decode_error alert and drops the session from the cache (so it cannot be resumed).
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
    // Key exchange on the curves Mozilla's "intermediate" configuration names.
    if (!SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384")) return 0;
    static const unsigned char context[] = "sftatlas";
    if (!SSL_CTX_set_session_id_context(ctx, context, sizeof context - 1)) return 0;
    // TLS 1.2: ECDHE with AES-GCM or ChaCha20-Poly1305 only. TLS 1.3's suites are all AEAD.
    if (!SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                                      "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305")) return 0;
    return 1;
}

static int ctls_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in, unsigned int inlen, void *arg) {
    static const unsigned char http11[] = "\x08http/1.1";
    unsigned char *chosen = NULL;
    (void)ssl; (void)arg;
    if (SSL_select_next_proto(&chosen, outlen, http11, sizeof http11 - 1, in, inlen) != OPENSSL_NPN_NEGOTIATED) return SSL_TLSEXT_ERR_ALERT_FATAL;
    *out = chosen;
    return SSL_TLSEXT_ERR_OK;
}

/// ALPN: http/1.1 when the client offers it; a client offering only other protocols is refused.
static inline void ctls_use_http11(SSL_CTX *ctx) { SSL_CTX_set_alpn_select_cb(ctx, ctls_alpn, NULL); }

/// Whether the certificate's validity period includes now: 0 yes, -1 expired, 1 not yet valid.
static inline int ctls_validity(SSL_CTX *ctx) {
    X509 *cert = SSL_CTX_get0_certificate(ctx);
    if (!cert) return -2;
    if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0) return -1;
    if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0) return 1;
    return 0;
}

/// The oldest queued OpenSSL error as text (into buf), and the queue cleared.
static inline void ctls_error(char *buf, size_t size) {
    unsigned long e = ERR_get_error();
    if (e == 0) { strncpy(buf, "unknown error", size); buf[size - 1] = 0; }
    else ERR_error_string_n(e, buf, size);
    ERR_clear_error();
}
#endif
