# What the SQLite backend needs: found by strata's build, and again by
# find_package(strata) for a consumer (strataConfig.cmake includes this file).
strata_backend_dependency(SQLite3)
strata_backend_dependency(SOCI COMPONENTS sqlite3)
