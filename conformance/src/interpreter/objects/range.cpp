// range.
#include "../interp.hpp"

namespace aiospec::interp {

std::int64_t RangeObj::length() const {
  if (step > 0) return start < stop ? (stop - start - 1) / step + 1 : 0;
  return start > stop ? (start - stop - 1) / (-step) + 1 : 0;
}

}  // namespace aiospec::interp
