// SHA-256: the FIPS 180-4 examples, and the accelerated path equal to the portable one.
#include "sha256.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace strata::detail;

TEST(Sha256, KnownDigests)
{
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, AcceleratedEqualsPortableForEveryLength)
{
    std::mt19937 random(42);
    std::string data;
    for (std::size_t length = 0; length < 300; ++length) {
        EXPECT_EQ(sha256_hex(data), sha256_hex_portable(data)) << "length " << length;
        data += static_cast<char>(random());
    }
    if (!sha256_accelerated())
        GTEST_LOG_(INFO) << "this CPU has no SHA instructions: both sides ran the portable code";
}
