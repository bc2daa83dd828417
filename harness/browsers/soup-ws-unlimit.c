/*
 * soup-ws-unlimit: LD_PRELOAD library for WebKitGTK's MiniBrowser under Playwright (see webkitgtk.mjs).
 *
 * Why: WebKitGTK's remote inspector server (WEBKIT_INSPECTOR_HTTP_SERVER) is a libsoup 3 SoupServer, and libsoup
 * closes a WebSocket whose incoming message exceeds max-incoming-payload-size, 128 KiB by default. Playwright sends
 * its injected script (~370 KB) in one inspector message, so waitForFunction, locators and expect(page) would drop
 * the connection (1006).
 *
 * How: we define soup_server_add_websocket_handler() ourselves, so the dynamic linker binds the inspector's call to
 * this one. It registers libsoup's real function with our callback in front of the inspector's; our callback sets
 * the new connection's limit to 0 (= unlimited) and hands over. Symbols are looked up at run time, so no libsoup or
 * GLib headers are needed to build:
 *
 *     gcc -shared -fPIC -O2 -Wall -o soup-ws-unlimit.so soup-ws-unlimit.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The libsoup 3 signatures we touch, with opaque pointers for the GObject types. */
typedef void (*websocket_callback)(void *server, void *msg, const char *path, void *connection, void *user_data);
typedef void (*destroy_notify)(void *data);
typedef void (*add_websocket_handler_fn)(void *server, const char *path, const char *origin, char **protocols,
                                         websocket_callback callback, void *user_data, destroy_notify destroy);
typedef void (*set_max_payload_fn)(void *connection, uint64_t max_incoming_payload_size);

/* What the inspector registered, kept for our callback. */
struct handler {
    websocket_callback callback;
    void *user_data;
    destroy_notify destroy;
};

static set_max_payload_fn set_max_payload(void)
{
    static set_max_payload_fn fn;
    if (!fn)
        fn = (set_max_payload_fn)dlsym(RTLD_DEFAULT, "soup_websocket_connection_set_max_incoming_payload_size");
    return fn;
}

static void on_websocket(void *server, void *msg, const char *path, void *connection, void *data)
{
    struct handler *h = data;
    set_max_payload_fn unlimit = set_max_payload();
    if (unlimit)
        unlimit(connection, 0);
    h->callback(server, msg, path, connection, h->user_data);
}

static void free_handler(void *data)
{
    struct handler *h = data;
    if (h->destroy)
        h->destroy(h->user_data);
    free(h);
}

void soup_server_add_websocket_handler(void *server, const char *path, const char *origin, char **protocols,
                                       websocket_callback callback, void *user_data, destroy_notify destroy)
{
    static add_websocket_handler_fn real;
    if (!real)
        real = (add_websocket_handler_fn)dlsym(RTLD_NEXT, "soup_server_add_websocket_handler");
    if (!real) {
        fprintf(stderr, "soup-ws-unlimit: libsoup's soup_server_add_websocket_handler not found\n");
        abort();
    }

    struct handler *h = malloc(sizeof *h);
    if (!h) {
        /* Out of memory: register unchanged (the 128 KiB limit stays) rather than fail the inspector. */
        real(server, path, origin, protocols, callback, user_data, destroy);
        return;
    }
    h->callback = callback;
    h->user_data = user_data;
    h->destroy = destroy;
    real(server, path, origin, protocols, on_websocket, h, free_handler);
}
