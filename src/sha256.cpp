// SHA-256 (FIPS 180-4), for step checksums that stay the same across releases.
#include "sha256.hpp"

#include <array>
#include <cstdint>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define STRATA_SHA_NI 1
#endif

namespace strata::detail {

namespace {

constexpr std::array<std::uint32_t, 64> k = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

void portable_block(std::array<std::uint32_t, 8>& h, const unsigned char* p)
{
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i)
        w[i] = (std::uint32_t(p[4 * i]) << 24) | (std::uint32_t(p[4 * i + 1]) << 16) |
               (std::uint32_t(p[4 * i + 2]) << 8) | std::uint32_t(p[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
        std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto [a, b, c, d, e, f, g, hh] = h;
    for (int i = 0; i < 64; ++i) {
        std::uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        std::uint32_t ch = (e & f) ^ (~e & g);
        std::uint32_t t1 = hh + s1 + ch + k[static_cast<std::size_t>(i)] + w[i];
        std::uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        std::uint32_t t2 = s0 + maj;
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void portable_blocks(std::array<std::uint32_t, 8>& h, const unsigned char* p, std::size_t count)
{
    for (std::size_t i = 0; i < count; ++i)
        portable_block(h, p + 64 * i);
}

#ifdef STRATA_SHA_NI
// The x86 SHA extensions: four rounds per instruction pair, the message
// schedule in hardware. The state lives as ABEF and CDGH in two registers.
__attribute__((target("sha,sse4.1,ssse3"))) void sha_ni_blocks(std::array<std::uint32_t, 8>& h, const unsigned char* p,
                                                                std::size_t count)
{
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&h[0])), 0xB1);  // CDAB
    __m128i state1 = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&h[4])), 0x1B);  // EFGH
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);      // ABEF
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);           // CDGH
    for (std::size_t b = 0; b < count; ++b, p += 64) {
        const __m128i abef = state0;
        const __m128i cdgh = state1;
        __m128i w[4];  // W[g], kept by g % 4; W[g-4] becomes msg1(W[g-4], W[g-3]) in time for group g
        for (int g = 0; g < 16; ++g) {
            if (g < 4) {
                w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * g)), byte_swap);
            } else {
                __m128i t = _mm_add_epi32(w[g % 4], _mm_alignr_epi8(w[(g + 3) % 4], w[(g + 2) % 4], 4));
                w[g % 4] = _mm_sha256msg2_epu32(t, w[(g + 3) % 4]);
            }
            __m128i m = _mm_add_epi32(w[g % 4], _mm_loadu_si128(reinterpret_cast<const __m128i*>(&k[4 * static_cast<std::size_t>(g)])));
            state1 = _mm_sha256rnds2_epu32(state1, state0, m);
            state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(m, 0x0E));
            // W[g-2] is no longer needed as such: fold in its part of W[g+2].
            if (g >= 2 && g <= 13)
                w[(g + 2) % 4] = _mm_sha256msg1_epu32(w[(g + 2) % 4], w[(g + 3) % 4]);
        }
        state0 = _mm_add_epi32(state0, abef);
        state1 = _mm_add_epi32(state1, cdgh);
    }
    tmp = _mm_shuffle_epi32(state0, 0x1B);          // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1);       // DCHG
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);    // DCBA
    state1 = _mm_alignr_epi8(state1, tmp, 8);       // E, F, G, H in memory order
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&h[0]), state0);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&h[4]), state1);
}

bool cpu_has_sha_ni()
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return false;
    const bool ssse3 = (c & (1u << 9)) != 0;
    const bool sse41 = (c & (1u << 19)) != 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return false;
    return ssse3 && sse41 && (b & (1u << 29)) != 0;
}
#endif

using Blocks = void (*)(std::array<std::uint32_t, 8>&, const unsigned char*, std::size_t);

Blocks fastest_blocks()
{
#ifdef STRATA_SHA_NI
    static const Blocks chosen = cpu_has_sha_ni() ? sha_ni_blocks : portable_blocks;
    return chosen;
#else
    return portable_blocks;
#endif
}

std::string digest(std::string_view data, Blocks blocks)
{
    std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
    const std::size_t full = data.size() / 64;
    blocks(h, bytes, full);
    unsigned char tail[128] = {};
    const std::size_t rest = data.size() - full * 64;
    for (std::size_t i = 0; i < rest; ++i)
        tail[i] = bytes[full * 64 + i];
    tail[rest] = 0x80;
    const std::size_t tail_blocks = rest + 9 > 64 ? 2 : 1;
    const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
    for (int i = 0; i < 8; ++i)
        tail[tail_blocks * 64 - 1 - static_cast<std::size_t>(i)] = static_cast<unsigned char>(bits >> (8 * i));
    blocks(h, tail, tail_blocks);
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(64);
    for (auto word : h)
        for (int shift = 28; shift >= 0; shift -= 4)
            out += digits[(word >> shift) & 15];
    return out;
}

}  // namespace

std::string sha256_hex(std::string_view data)
{
    return digest(data, fastest_blocks());
}

std::string sha256_hex_portable(std::string_view data)
{
    return digest(data, portable_blocks);
}

bool sha256_accelerated()
{
    return fastest_blocks() != portable_blocks;
}

}  // namespace strata::detail
