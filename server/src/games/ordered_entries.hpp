#pragma once

// A sorted sequence with ranks: the entries of one leaderboard in order, answering "how many come
// before this one" and "the k-th" in O(log n) plus a short scan, laid out for the cache.
//
// The entries live in sorted blocks of up to `max_block` contiguous values; flat arrays keep each
// block's last entry and the number of entries in the blocks before it. A rank is a binary search
// over the block lasts (a few cache lines), one inside a block (contiguous) and one lookup of the
// count: about 5 cache misses for a 50 000-player board, where a red-black tree with subtree sizes
// (what this replaced, libstdc++'s __gnu_pbds tree) walks about 17 nodes scattered over the heap,
// one miss each (issue 9: those walks were most of GET /api/scores/me's own cost, and a score's
// rank needs several). An insert or erase moves at most a block and updates the counts after it:
// O(max_block + n / max_block).

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace glucoplay::games {

// `Less` is a strict total order (no two entries compare equal unless they are the same entry).
template <class T, class Less>
class OrderedEntries {
  public:
    explicit OrderedEntries(std::size_t max_block = 512, Less less = Less())
        : max_block_(max_block < 2 ? 2 : max_block), less_(less) {}

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    // Replaces the contents with `values` (any order).
    void assign(std::vector<T> values) {
        std::sort(values.begin(), values.end(), less_);
        blocks_.clear();
        const std::size_t half = max_block_ / 2;
        for (std::size_t i = 0; i < values.size(); i += half)
            blocks_.emplace_back(
                std::make_move_iterator(values.begin() + i),
                std::make_move_iterator(values.begin() + std::min(values.size(), i + half)));
        size_ = values.size();
        reindex(0);
    }

    // Inserts a value not already present.
    void insert(const T& value) {
        if (blocks_.empty()) {
            blocks_.push_back({value});
            size_ = 1;
            reindex(0);
            return;
        }
        std::size_t b = block_of(value);
        if (b == blocks_.size()) b = blocks_.size() - 1;  // after every entry: the last block
        std::vector<T>& block = blocks_[b];
        block.insert(std::lower_bound(block.begin(), block.end(), value, less_), value);
        ++size_;
        if (block.size() > max_block_) {
            // Split in two halves; the indexes change from this block on.
            std::vector<T> upper(std::make_move_iterator(block.begin() + block.size() / 2),
                                 std::make_move_iterator(block.end()));
            block.resize(block.size() / 2);
            blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(b) + 1, std::move(upper));
            reindex(b);
            return;
        }
        lasts_[b] = block.back();
        for (std::size_t i = b + 1; i < before_.size(); ++i) ++before_[i];
    }

    // Removes a value; false when it is not there.
    bool erase(const T& value) {
        const std::size_t b = block_of(value);
        if (b == blocks_.size()) return false;
        std::vector<T>& block = blocks_[b];
        auto it = std::lower_bound(block.begin(), block.end(), value, less_);
        if (it == block.end() || less_(value, *it)) return false;
        block.erase(it);
        --size_;
        if (block.empty()) {
            blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(b));
            reindex(b);
            return true;
        }
        lasts_[b] = block.back();
        for (std::size_t i = b + 1; i < before_.size(); ++i) --before_[i];
        return true;
    }

    // The number of entries ordered before `value` (its 0-based rank when present).
    std::size_t order_of(const T& value) const {
        const std::size_t b = block_of(value);
        if (b == blocks_.size()) return size_;
        const std::vector<T>& block = blocks_[b];
        return before_[b] +
               static_cast<std::size_t>(std::lower_bound(block.begin(), block.end(), value, less_) -
                                        block.begin());
    }

    // The entry at 0-based position k (< size()).
    const T& at(std::size_t k) const {
        // The last block starting at or before k.
        const std::size_t b =
            static_cast<std::size_t>(std::upper_bound(before_.begin(), before_.end(), k) -
                                     before_.begin()) -
            1;
        return blocks_[b][k - before_[b]];
    }

    // Calls f(entry) for positions first, first + 1, ... while fewer than `count` were visited.
    template <class F>
    void visit(std::size_t first, std::size_t count, F&& f) const {
        if (first >= size_ || count == 0) return;
        std::size_t b =
            static_cast<std::size_t>(std::upper_bound(before_.begin(), before_.end(), first) -
                                     before_.begin()) -
            1;
        std::size_t i = first - before_[b];
        for (; b < blocks_.size() && count > 0; ++b, i = 0)
            for (; i < blocks_[b].size() && count > 0; ++i, --count) f(blocks_[b][i]);
    }

  private:
    // The first block whose last entry is not before `value` (blocks_.size() when none).
    std::size_t block_of(const T& value) const {
        return static_cast<std::size_t>(
            std::lower_bound(lasts_.begin(), lasts_.end(), value, less_) - lasts_.begin());
    }
    // Rebuilds the lasts and the counts from block `from` on.
    void reindex(std::size_t from) {
        lasts_.resize(blocks_.size());
        before_.resize(blocks_.size());
        for (std::size_t i = from; i < blocks_.size(); ++i) {
            lasts_[i] = blocks_[i].back();
            before_[i] = i == 0 ? 0 : before_[i - 1] + blocks_[i - 1].size();
        }
    }

    std::size_t max_block_;
    Less less_;
    std::size_t size_ = 0;
    std::vector<std::vector<T>> blocks_;  // never an empty block
    std::vector<T> lasts_;                // lasts_[i] == blocks_[i].back()
    std::vector<std::size_t> before_;     // entries in blocks_[0 .. i)
};

}  // namespace glucoplay::games
