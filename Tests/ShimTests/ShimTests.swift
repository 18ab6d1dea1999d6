import CEpoll
import CGD
import COpenSSL
import CSQLite
import Foundation
import Testing

/// The system-library shims link and work.
@Suite struct ShimTests {
    @Test func gdEncodesAPNG() throws {
        #expect(cgd_load() == nil, "libgd.so.3 loads with dlopen")
        let image = try #require(cgd_ImageCreateTrueColor(8, 4))
        defer { cgd_ImageDestroy(image) }
        cgd_ImageFilledRectangle(image, 0, 0, 7, 3, Int32(0x336699))
        var size: Int32 = 0
        let bytes = try #require(cgd_ImagePngPtrEx(image, &size, -1))
        defer { cgd_Free(bytes) }
        let png = Array(UnsafeBufferPointer(start: bytes.assumingMemoryBound(to: UInt8.self), count: Int(size)))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }

    @Test func epollCreatesAndWaits() throws {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        #expect(fd >= 0)
        defer { close(fd) }
        var events = [epoll_event](repeating: epoll_event(), count: 1)
        #expect(epoll_wait(fd, &events, 1, 0) == 0)
    }

    @Test func sqliteIsRecentEnough() {
        // NULLS LAST (3.30) and the pragmas the writer uses.
        #expect(sqlite3_libversion_number() >= 3_030_000)
    }

    @Test func libcryptoHasSHA256() {
        #expect(EVP_MD_get_size(EVP_sha256()) == 32)
    }
}
