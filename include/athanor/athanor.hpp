// athanor/athanor.hpp — everything: Core, dialects, engine (and the ORM as it lands).
// **Example**: `#include <athanor/athanor.hpp>` then `namespace orm = athanor;`
#pragma once

#include <athanor/core.hpp>
#include <athanor/dialect.hpp>
#include <athanor/engine.hpp>
#include <athanor/orm.hpp>
