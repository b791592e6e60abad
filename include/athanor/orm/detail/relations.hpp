// athanor/orm/detail/relations.hpp — relationships at run time, for the Session: the linking
// columns and foreign keys kept in step, cascades, association rows, loading objects and
// loading relationships (lazy, selectin, joined). Only lists its parts.
#pragma once

#include <athanor/orm/detail/association_rows.hpp>
#include <athanor/orm/detail/cascades.hpp>
#include <athanor/orm/detail/joined_loader.hpp>
#include <athanor/orm/detail/object_loading.hpp>
#include <athanor/orm/detail/relation_keys.hpp>
#include <athanor/orm/detail/relation_loaders.hpp>
