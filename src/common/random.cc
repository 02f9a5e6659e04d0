#include "common/random.h"

#include <openssl/rand.h>

#include <cstdlib>
#include <vector>

#include "common/encoding.h"

namespace appsignals {

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) std::abort();
  return hex_encode(buf);
}

}  // namespace appsignals
