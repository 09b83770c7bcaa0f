// strata: the umbrella header.
#pragma once

#include "strata/autogenerate.hpp"
#include "strata/compare.hpp"
#include "strata/database.hpp"
#include "strata/dialect.hpp"
#include "strata/errors.hpp"
#include "strata/inspect.hpp"
#include "strata/ops.hpp"
#include "strata/schema.hpp"
#include "strata/session.hpp"
#include "strata/sql_files.hpp"
#include "strata/types.hpp"
#include "strata/upgrader.hpp"
#include "strata/url.hpp"
#include "strata/validate.hpp"
