# What the PostgreSQL backend needs: found by strata's build, and again by
# find_package(strata) for a consumer (strataConfig.cmake includes this file).
strata_backend_dependency(PostgreSQL)
strata_backend_dependency(SOCI COMPONENTS postgresql)
