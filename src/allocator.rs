//! The memory allocator: mimalloc, set to hand memory back to the system.
//!
//! A build allocates and frees millions of small strings and template values,
//! across threads; mimalloc does that in about half the instructions of
//! glibc's allocator, which a profile showed spending a fifth of a build. Left
//! at its defaults it also commits its arenas up front and keeps freed memory
//! for a while, which doubled the peak memory of a small build (76 MiB instead
//! of 35 for 1,000 ideas); the two options below turn that off at no cost in
//! time that a benchmark could see.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_arena_eager_commit` and `mi_option_purge_delay` in mimalloc's
/// `mi_option_e` (`mimalloc.h`), whose numbers are kept stable across versions
/// (retired options keep their place); the Rust bindings do not name these two.
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets the options before the build allocates in earnest.
pub fn configure() {
    // SAFETY: `mi_option_set` only stores a value in mimalloc's option table;
    // any value is valid for these two options, and nothing else runs yet.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
}
