// athanor/orm.hpp — the ORM layer: models, the typed DSL, Registry, Session.
// **Example**: `#include <athanor/orm.hpp>` and `namespace orm = athanor::orm;` (orm:: also
// reaches every Core and engine name: orm::create_engine, orm::MetaData…).
#pragma once

#include <athanor/orm/case.hpp>
#include <athanor/orm/cast.hpp>
#include <athanor/orm/column_traits.hpp>
#include <athanor/orm/dml.hpp>
#include <athanor/orm/expr.hpp>
#include <athanor/orm/functions.hpp>
#include <athanor/orm/insert.hpp>
#include <athanor/orm/mapped.hpp>
#include <athanor/orm/mapper.hpp>
#include <athanor/orm/model.hpp>
#include <athanor/orm/prepared.hpp>
#include <athanor/orm/ptr.hpp>
#include <athanor/orm/registry.hpp>
#include <athanor/orm/select.hpp>
#include <athanor/orm/session.hpp>
#include <athanor/orm/session_memory.hpp>
#include <athanor/orm/window.hpp>

namespace athanor::orm {
using namespace athanor;  // orm::create_engine, orm::MetaData, orm::Integer… (typed names win)
}  // namespace athanor::orm
