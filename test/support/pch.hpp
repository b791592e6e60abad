// test/support/pch.hpp — what nearly every test file includes (doctest, <athanor/athanor.hpp>
// through backend.hpp, the common standard headers), precompiled once per build and put in
// front of each test file with -include (test/meson.build, test/support/make_pch.py): parsing
// it was ~5-25 % of a test file's compile (more for small ones), and both CI builds compile every test.
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/backend.hpp"
