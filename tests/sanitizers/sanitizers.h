#pragma once
// Whether this test binary is built with a sanitizer (make test-asan, the tsan preset). Their
// allocators keep freed memory (ASan's quarantine) and add shadow memory, so bounds on RSS are
// not meaningful there; the rest of such a test still runs.
namespace appsignals::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kUnderSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kUnderSanitizer = true;
#else
inline constexpr bool kUnderSanitizer = false;
#endif
#else
inline constexpr bool kUnderSanitizer = false;
#endif

}  // namespace appsignals::testing
