// src/athanor.cpp — the one translation unit of the `athanor-compiled` Meson dependency
// (ATHANOR_SEPARATE_COMPILATION, see include/athanor/config.hpp).
#include <athanor/src.hpp>
