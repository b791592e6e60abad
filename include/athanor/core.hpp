// athanor/core.hpp — the Core layer: types, schema, expressions and statements.
#pragma once

#include <athanor/core/column.hpp>
#include <athanor/core/compiled.hpp>
#include <athanor/core/constraints.hpp>
#include <athanor/core/ddl.hpp>
#include <athanor/core/dml.hpp>
#include <athanor/core/error.hpp>
#include <athanor/core/expression.hpp>
#include <athanor/core/from_clause.hpp>
#include <athanor/core/functions.hpp>
#include <athanor/core/isolation.hpp>
#include <athanor/core/metadata.hpp>
#include <athanor/core/select.hpp>
#include <athanor/core/table.hpp>
#include <athanor/core/text.hpp>
#include <athanor/core/types.hpp>
#include <athanor/core/value.hpp>
#include <athanor/core/window.hpp>
