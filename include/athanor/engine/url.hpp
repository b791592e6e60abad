// athanor/engine/url.hpp — `URL`, for code that includes it from the engine layer, where it
// was: it now lives in <athanor/driver/url.hpp>, below the drivers that connect from it.
#pragma once

#include <athanor/driver/url.hpp>
