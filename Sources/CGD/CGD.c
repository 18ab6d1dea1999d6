#include "CGD.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// Each entry: return type, name, parameter list, argument list.
#define CGD_FUNCTIONS(X) \
    X(gdImagePtr, ImageCreateTrueColor, (int sx, int sy), (sx, sy)) \
    X(void, ImageDestroy, (gdImagePtr im), (im)) \
    X(void, ImageAlphaBlending, (gdImagePtr im, int blending), (im, blending)) \
    X(void, ImageSaveAlpha, (gdImagePtr im, int save), (im, save)) \
    X(void, ImageSetThickness, (gdImagePtr im, int thickness), (im, thickness)) \
    X(void, ImageLine, (gdImagePtr im, int x1, int y1, int x2, int y2, int color), (im, x1, y1, x2, y2, color)) \
    X(void, ImageRectangle, (gdImagePtr im, int x1, int y1, int x2, int y2, int color), (im, x1, y1, x2, y2, color)) \
    X(void, ImageFilledRectangle, (gdImagePtr im, int x1, int y1, int x2, int y2, int color), (im, x1, y1, x2, y2, color)) \
    X(void, ImageFilledEllipse, (gdImagePtr im, int cx, int cy, int w, int h, int color), (im, cx, cy, w, h, color)) \
    X(char *, ImageStringFT, (gdImagePtr im, int *brect, int fg, const char *fontlist, double ptsize, double angle, \
                              int x, int y, const char *string), (im, brect, fg, fontlist, ptsize, angle, x, y, string)) \
    X(void *, ImagePngPtrEx, (gdImagePtr im, int *size, int level), (im, size, level)) \
    X(gdImagePtr, ImageCreateFromPngPtr, (int size, void *data), (size, data)) \
    X(int, ImagePaletteToTrueColor, (gdImagePtr src), (src)) \
    X(void, Free, (void *m), (m))

#define CGD_POINTER(ret, name, params, args) static ret (*p_##name) params;
CGD_FUNCTIONS(CGD_POINTER)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *failure;
static char message[512];

static void load(void) {
    void *handle = dlopen("libgd.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(message, sizeof message, "libgd could not be loaded (%s); install libgd3 (apt-get install libgd-dev)", dlerror());
        failure = message;
        return;
    }
#define CGD_RESOLVE(ret, name, params, args) \
    if (!(p_##name = (ret (*) params)dlsym(handle, "gd" #name))) { \
        snprintf(message, sizeof message, "libgd.so.3 lacks gd%s", #name); \
        failure = message; \
        return; \
    }
    CGD_FUNCTIONS(CGD_RESOLVE)
    // Font caching must be set up before several threads may draw text (libgd's own advice).
    int (*setup)(void) = (int (*)(void))dlsym(handle, "gdFontCacheSetup");
    if (setup) setup();
}

const char *cgd_load(void) {
    pthread_once(&once, load);
    return failure;
}

static void require(void) {
    const char *why = cgd_load();
    if (why) {
        fprintf(stderr, "sftatlas: %s\n", why);
        abort();
    }
}

#define CGD_WRAPPER(ret, name, params, args) \
    ret cgd_##name params { \
        require(); \
        return p_##name args; \
    }
CGD_FUNCTIONS(CGD_WRAPPER)
