// Runs a fuzz target without libFuzzer (ctest label `fuzz`): every file of the
// corpus directories given, each also in a few hundred mutated forms (bytes
// flipped, dropped, repeated, spliced with another input), from a fixed seed so
// that a failure repeats. scripts/fuzz.sh does the real fuzzing with clang.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run(const std::string& input)
{
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::string mutate(std::string s, const std::vector<std::string>& all, std::mt19937& random)
{
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
        const std::size_t at = s.empty() ? 0 : random() % (s.size() + 1);
        switch (random() % 6) {
        case 0:
            if (at < s.size())
                s[at] = static_cast<char>(random());
            break;
        case 1:
            if (at < s.size())
                s.erase(at, 1 + random() % 8);
            break;
        case 2: s.insert(at, 1, "'\"`$;()-/*\n\\"[random() % 13]); break;
        case 3:
            if (at < s.size())
                s.insert(at, s.substr(at, 1 + random() % 16));
            break;
        case 4: {
            const auto& other = all[random() % all.size()];
            const std::size_t from = other.empty() ? 0 : random() % other.size();
            s.insert(at, other.substr(from, 1 + random() % 32));
            break;
        }
        default: s.resize(at); break;
        }
    }
    return s;
}

}  // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> inputs;
    for (int i = 1; i < argc; ++i) {
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(argv[i])) {
            for (const auto& entry : std::filesystem::directory_iterator(argv[i]))
                if (entry.is_regular_file())
                    files.push_back(entry.path());
        } else {
            files.emplace_back(argv[i]);
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            std::ifstream in(f, std::ios::binary);
            inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
    }
    if (inputs.empty()) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    std::mt19937 random(20261123);
    std::size_t runs = 0;
    for (const auto& input : inputs) {
        run(input);
        ++runs;
        for (int m = 0; m < 300; ++m, ++runs)
            run(mutate(input, inputs, random));
    }
    std::printf("%zu inputs from %zu corpus files: no crash\n", runs, inputs.size());
    return 0;
}
