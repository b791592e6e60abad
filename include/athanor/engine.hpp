// athanor/engine.hpp — the engine layer: URL, Engine, create_engine, pool, Connection, Transaction, Result.
#pragma once

#include <athanor/engine/connection.hpp>
#include <athanor/engine/create_engine.hpp>
#include <athanor/engine/engine.hpp>
#include <athanor/engine/pool.hpp>
#include <athanor/engine/result.hpp>
#include <athanor/engine/retry.hpp>
#include <athanor/engine/row.hpp>
#include <athanor/engine/transaction.hpp>
#include <athanor/engine/url.hpp>
