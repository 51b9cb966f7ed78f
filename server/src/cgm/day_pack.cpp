#include "cgm/day_pack.hpp"

#include <algorithm>
#include <stdexcept>

namespace glucoplay::cgm::pack {

std::int64_t day_of(std::int64_t at) {
    const std::int64_t day = at / kDaySeconds;
    return at % kDaySeconds < 0 ? day - 1 : day;
}

std::string encode(std::int64_t day, std::span<const Reading> readings) {
    std::string out(readings.size() * kWidth, '0');
    char* p = out.data();
    for (const Reading& r : readings) {
        const std::int64_t seconds = r.at - day * kDaySeconds;
        if (seconds < 0 || seconds >= kDaySeconds)
            throw std::invalid_argument("reading at " + std::to_string(r.at) + " is not in day " +
                                        std::to_string(day));
        if (r.mg_dl < 0 || r.mg_dl > 999)
            throw std::invalid_argument("mg/dL " + std::to_string(r.mg_dl) + " does not fit");
        auto s = static_cast<unsigned>(seconds), mg = static_cast<unsigned>(r.mg_dl);
        for (int i = 4; i >= 0; --i, s /= 10) p[i] = static_cast<char>('0' + s % 10);
        for (int i = 7; i >= 5; --i, mg /= 10) p[i] = static_cast<char>('0' + mg % 10);
        p += kWidth;
    }
    return out;
}

void decode(std::int64_t day, std::string_view text, std::vector<Reading>& out) {
    if (text.size() % kWidth != 0)
        throw std::invalid_argument("a day pack's length is not a multiple of 8");
    const std::size_t first = out.size();
    const std::int64_t start = day * kDaySeconds;
    bool in_order = true;
    for (std::size_t i = 0; i < text.size(); i += kWidth) {
        unsigned seconds = 0, mg = 0;
        for (std::size_t k = 0; k < kWidth; ++k) {
            const unsigned digit = static_cast<unsigned char>(text[i + k]) - unsigned{'0'};
            if (digit > 9) throw std::invalid_argument("a day pack holds a non-digit");
            if (k < 5)
                seconds = seconds * 10 + digit;
            else
                mg = mg * 10 + digit;
        }
        if (seconds >= kDaySeconds)
            throw std::invalid_argument("a day pack's time is past the day");
        const Reading r{start + seconds, static_cast<int>(mg)};
        if (out.size() > first && r.at <= out.back().at) in_order = false;
        out.push_back(r);
    }
    if (!in_order)
        std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                  [](const Reading& a, const Reading& b) { return a.at < b.at; });
}

}  // namespace glucoplay::cgm::pack
